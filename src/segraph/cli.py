"""The ``segraph`` command: thin glue over functions that can be called from Python.

Each command parses its options, makes one call, renders the result and exits
with the code its outcome maps to (0 ok, 1 does not conform, 2 usage or parse
error). Every SegraphError becomes a one-line message on stderr, never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from pathlib import Path
from typing import ParamSpec, TypeVar

import click

from segraph.errors import EXIT_FAILED, EXIT_OK, SegraphError, UsageError

P = ParamSpec("P")
R = TypeVar("R")

PATHS = click.argument("paths", nargs=-1, type=click.Path(path_type=Path))


def reports_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn a SegraphError into its message on stderr and its exit code."""

    @functools.wraps(command)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except SegraphError as error:
            click.echo(f"error: {error}", err=True)
            sys.exit(error.exit_code)

    return wrapper


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="segraph", prog_name="segraph")
def main() -> None:
    """segraph: a knowledge graph of European social-economy projects.

    The graph is the ontology (ontology/segraph.ttl), the reference data
    (data/reference/) and one Turtle file per source document (data/).
    """


@main.command()
@PATHS
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "turtle", "junit", "github"]),
    default="text",
    show_default=True,
    help="text for people, json or turtle (a SHACL report) for tools, junit for CI test reports, "
    "github for GitHub Actions annotations.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the report to this file (atomically) instead of standard output.",
)
@click.option(
    "--engine",
    type=click.Choice(["fast", "pyshacl"]),
    default="fast",
    show_default=True,
    help="fast: the shapes compiled to SPARQL on Oxigraph; pyshacl: the reference engine (slow on big graphs).",
)
@click.option(
    "--endpoint",
    envvar="SEGRAPH_ENDPOINT",
    help="Validate the graph in this SPARQL endpoint where it lives, without downloading it.",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Validate the store made in this folder by 'segraph load' (for big graphs: nothing is parsed again).",
)
@click.option(
    "--incremental",
    is_flag=True,
    help="Re-check only the focus nodes that the files changed since the last --incremental run touch, keeping "
    "the graph and the other findings in --cache (for CI on big graphs). The first run, and any run after the "
    "ontology, reference data, shapes or checks change, is a full one. Results equal a full run's; values are "
    "shown as Oxigraph stores them (as with --store).",
)
@click.option(
    "--cache",
    "cache_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=".segraph-cache",
    show_default=True,
    help="Folder of the --incremental cache (a damaged or outdated cache is rebuilt, with a note).",
)
@reports_errors
def validate(
    paths: tuple[Path, ...],
    fmt: str,
    output: Path | None,
    engine: str,
    endpoint: str | None,
    store_dir: Path | None,
    incremental: bool,
    cache_dir: Path,
) -> None:
    """Validate data files against the shapes and the ontology's quality checks.

    PATHS are Turtle files or folders (default: data/); they are validated
    together with the ontology and the reference data. Exit 0 when the data
    conforms, 1 when it does not, 2 on a usage or parse error.
    """
    from segraph.export import write_atomically
    from segraph.report import RENDERERS
    from segraph.validate import validate_endpoint, validate_paths, validate_store

    if (endpoint or store_dir) and (paths or engine != "fast" or (endpoint and store_dir)):
        raise UsageError("--endpoint and --store validate their own graph with --engine fast: give one, no PATHS")
    if incremental and (endpoint or store_dir or engine != "fast"):
        raise UsageError("--incremental validates files with --engine fast: not with --endpoint or --store")
    if incremental:
        from segraph.validate_incremental import validate_incremental

        report = validate_incremental(list(paths) or None, cache_dir, note=lambda text: click.echo(text, err=True))
    elif endpoint:
        report = validate_endpoint(endpoint)
    elif store_dir:
        from segraph.run import open_local

        report = validate_store(open_local(None, store_dir))
    elif engine == "pyshacl":
        report = validate_paths(list(paths) or None, engine="pyshacl")
    else:
        report = validate_paths(list(paths) or None)
    text = RENDERERS[fmt](report)
    if output is not None:
        write_atomically(output, (text + "\n").encode("utf-8"))
        click.echo(f"report written to {output}", err=True)
    else:
        click.echo(text)
    sys.exit(EXIT_OK if report.conforms else EXIT_FAILED)


STORE = click.option(
    "--store",
    "store_dir",
    envvar="SEGRAPH_STORE",
    type=click.Path(file_okay=False, path_type=Path),
    help="Use the store made in this folder by 'segraph load' instead of reading the files (or set SEGRAPH_STORE); "
    "not with --endpoint.",
)


@main.command()
@PATHS
@STORE
@reports_errors
def stats(paths: tuple[Path, ...], store_dir: Path | None) -> None:
    """Show what the graph holds: triples, resources by class, facts by source document."""
    from segraph.run import open_local
    from segraph.stats import compute_stats, render_stats

    click.echo(render_stats(compute_stats(open_local(list(paths) or None, store_dir))))


@main.command()
@PATHS
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["turtle", "nt", "jsonld", "trig"]),
    default="turtle",
    show_default=True,
    help="trig keeps one named graph per source document.",
)
@click.option("--out", "-o", required=True, type=click.Path(dir_okay=False, path_type=Path), help="File to write.")
@STORE
@reports_errors
def export(paths: tuple[Path, ...], fmt: str, out: Path, store_dir: Path | None) -> None:
    """Export the whole graph (ontology, reference data, data) to one file.

    From the files, the output is sorted and the same bytes every time; from --store
    it is streamed in the store's order (for graphs too big to sort in memory).
    """
    if store_dir is not None:
        from segraph.export import export_store
        from segraph.run import open_local

        size = export_store(open_local(list(paths) or None, store_dir), fmt, out)
    else:
        from segraph.export import export as export_corpus
        from segraph.load import load_corpus

        size = export_corpus(load_corpus(list(paths) or None), fmt, out)
    click.echo(f"wrote {out} ({size} bytes, {fmt})", err=True)


@main.command()
@PATHS
@click.option(
    "--store",
    "store_dir",
    required=True,
    envvar="SEGRAPH_STORE",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of the store (or set SEGRAPH_STORE); a store already there is replaced once the load succeeds.",
)
@click.option(
    "--progress/--no-progress", default=None, help="Show a progress bar (default: when stderr is a terminal)."
)
@click.option(
    "--compact/--no-compact",
    default=True,
    show_default=True,
    help="After a bulk load of over a million triples, compact the store: the load takes ~30 % longer and twice "
    "the disk, queries that look values up run 1.5-5x faster.",
)
@reports_errors
def load(paths: tuple[Path, ...], store_dir: Path, progress: bool | None, compact: bool) -> None:
    """Load the graph into a persistent store once, for --store on query, sparql, stats, export, validate and publish.

    The store holds the ontology, the reference data, data/ and PATHS (extra files or
    folders, e.g. a programme database export), one named graph per file, and a name
    index (every label and IRI's last segment in lower case), so that a name given in
    any case (memberships --param organisation=...) is looked up, not compared with
    every label. A file that does not parse stops the load (exit 2, file and line
    named) and leaves the previous store as it was.
    """
    from segraph import paths as where
    from segraph.store_load import load_store

    data = [where.data_dir(), *paths]
    summary = load_store(store_dir, data, sys.stderr.isatty() if progress is None else progress, compact)
    click.echo("\n".join(summary.lines()))


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UsageError(f"--param takes KEY=VALUE, not {pair!r}")
        params[key.strip()] = value
    return params


def _default_format() -> str:
    """An aligned table for people at a terminal; CSV when the output goes to a pipe or file."""
    return "table" if sys.stdout.isatty() else "csv"


FORMAT = click.option(
    "--format",
    "fmt",
    type=click.Choice(["table", "csv", "tsv", "json", "markdown"]),
    default=None,
    help="table (default on a terminal), csv (default otherwise), tsv, json (SPARQL 1.1 results JSON), markdown.",
)
ENDPOINT = click.option(
    "--endpoint",
    envvar="SEGRAPH_ENDPOINT",
    help="Run on this SPARQL 1.1 endpoint instead of the embedded graph. Basic-auth credentials come from "
    "SEGRAPH_ENDPOINT_USER and SEGRAPH_ENDPOINT_PASSWORD.",
)
TIMEOUT = click.option("--timeout", type=click.FloatRange(min=0.1), help="Seconds to wait for an endpoint's answer.")


@main.group(invoke_without_command=True)
@click.pass_context
@reports_errors
def queries(ctx: click.Context) -> None:
    """List the saved queries (queries/*.rq) with their summaries and parameters."""
    if ctx.invoked_subcommand is not None:
        return
    from segraph.queries import catalogue

    for saved in catalogue().values():
        click.echo(f"{saved.name}\n    {saved.summary}")
        for parameter in saved.params:
            click.echo(f"    --param {parameter.describe()}")
    click.echo("\nEvery query also takes --lang (or --param lang=…) for the preferred label language.")


@queries.command("show")
@click.argument("name")
@reports_errors
def queries_show(name: str) -> None:
    """Print one saved query with its metadata."""
    from segraph.queries import LANG, get_query

    saved = get_query(name)
    click.echo(f"name:        {saved.name}")
    click.echo(f"summary:     {saved.summary}")
    if saved.description:
        click.echo(f"description: {saved.description}")
    if saved.tags:
        click.echo(f"tags:        {', '.join(saved.tags)}")
    click.echo(f"columns:     {', '.join(saved.columns)}")
    click.echo("parameters:")
    for parameter in (*saved.params, LANG):
        click.echo(f"  {parameter.describe()}")
    click.echo(f"file:        {saved.path}\n")
    click.echo(saved.text.rstrip())


@main.command()
@click.argument("name")
@click.option("--param", "-p", "pairs", multiple=True, metavar="KEY=VALUE", help="A query parameter; repeatable.")
@click.option("--lang", help="Preferred language of labels (default en; falls back to English, then any).")
@click.option(
    "--limit",
    type=click.IntRange(min=0),
    help="Rows per page (0: every row). Default: the query's own page size, if it has one, else every row.",
)
@click.option("--page", type=click.IntRange(min=1), default=1, show_default=True, help="Which page of rows to show.")
@FORMAT
@ENDPOINT
@STORE
@TIMEOUT
@reports_errors
def query(
    name: str,
    pairs: tuple[str, ...],
    lang: str | None,
    limit: int | None,
    page: int,
    fmt: str | None,
    endpoint: str | None,
    store_dir: Path | None,
    timeout: float | None,
) -> None:
    """Run the saved query NAME on the embedded graph, on --store or on --endpoint.

    Example: segraph query partner-regions --param project=resees
    """
    from segraph.run import run_query

    params = _parse_params(pairs)
    if lang:
        params["lang"] = lang
    result = run_query(name, params, endpoint=endpoint, store_dir=store_dir, timeout=timeout, limit=limit, page=page)
    click.echo(result.serialize(fmt or _default_format()).rstrip("\n"))
    if result.more:
        click.echo(f"more rows on page {page + 1} (--page {page + 1}; --limit 0 for every row)", err=True)


@main.command()
@click.argument("query_text", metavar="FILE_OR_TEXT")
@FORMAT
@ENDPOINT
@STORE
@TIMEOUT
@reports_errors
def sparql(
    query_text: str, fmt: str | None, endpoint: str | None, store_dir: Path | None, timeout: float | None
) -> None:
    """Run your own SELECT query, given as a file (.rq) or as text, on the embedded graph, --store or --endpoint."""
    from segraph.run import run_sparql

    looks_like_file = "\n" not in query_text and len(query_text) < 1024
    if looks_like_file and Path(query_text).is_file():
        query_text = Path(query_text).read_text(encoding="utf-8")
    elif looks_like_file and query_text.endswith((".rq", ".sparql")):
        raise UsageError(f"{query_text}: no such query file")
    result = run_sparql(query_text, endpoint=endpoint, store_dir=store_dir, timeout=timeout)
    click.echo(result.serialize(fmt or _default_format()).rstrip("\n"))


CONFIG = click.option(
    "--config",
    "config_file",
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="Publisher settings (TOML; default ./segraph-publish.toml if present). See segraph-publish.example.toml.",
)
BASE_URL = click.option("--base-url", help="Public URL of the site, for download links (overrides the config file).")


@main.command()
@PATHS
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write.")
@BASE_URL
@CONFIG
@STORE
@reports_errors
def publish(
    paths: tuple[Path, ...], out: Path, base_url: str | None, config_file: Path | None, store_dir: Path | None
) -> None:
    """Write the graph as a linked-data site: dumps, DCAT-AP catalogue, VoID, HTML pages, nginx config.

    PATHS are data files or folders (default: data/); with --store, the graph the store holds
    (no file is parsed again) and no PATHS. The folder is replaced atomically: a failed run
    leaves the previous one untouched.
    """
    from segraph.publish import publish as publish_site
    from segraph.publish.config import load_config

    config = load_config(config_file, base_url)
    if store_dir is not None:
        from segraph.publish.from_store import corpus_from_store
        from segraph.run import open_local

        corpus = corpus_from_store(open_local(list(paths) or None, store_dir))
    else:
        from segraph.load import load_corpus

        corpus = load_corpus(list(paths) or None)
    site = publish_site(corpus, out, config)
    for dump in site.dumps:
        click.echo(f"{out / dump.name}  {dump.byte_size} bytes  sha256 {dump.sha256[:12]}…", err=True)
    click.echo(f"{out}: {len(site.dumps)} dumps and {len(site.files)} other files", err=True)


@main.command()
@PATHS
@click.option(
    "--port",
    "-p",
    default=8000,
    show_default=True,
    type=click.IntRange(0, 65535),
    help="Port on 127.0.0.1 (0: any free one).",
)
@click.option(
    "--site",
    type=click.Path(file_okay=False, exists=True, path_type=Path),
    help="Serve a folder written by 'segraph publish' instead of publishing the data afresh.",
)
@click.option("--log/--no-log", "log_requests", default=True, show_default=True, help="Print one line per request.")
@reports_errors
def serve(paths: tuple[Path, ...], port: int, site: Path | None, log_requests: bool) -> None:
    """Browse the graph locally: the published site and a SPARQL endpoint on 127.0.0.1.

    Resource IRIs answer with HTML, Turtle or JSON-LD by the Accept header, and /sparql
    takes SPARQL 1.1 Protocol queries (read-only) over the same graph. PATHS are data
    files or folders (default: data/). Ctrl-C stops the server.
    """
    import tempfile

    from segraph.load import load_corpus
    from segraph.publish import publish as publish_site
    from segraph.publish.config import load_config
    from segraph.serve import SiteServer
    from segraph.store import EmbeddedStore

    corpus = load_corpus(list(paths) or None)
    with tempfile.TemporaryDirectory(prefix="segraph-serve-") as scratch:
        server = SiteServer(
            site or Path(scratch) / "site", EmbeddedStore(corpus).oxigraph, port, log_requests=log_requests
        )
        try:
            if site is None:
                publish_site(corpus, server.site, load_config(None, server.url))
            click.echo(f"Serving the graph at {server.url} (SPARQL endpoint: {server.sparql_url}); Ctrl-C stops.")
            server.serve_forever()
        except KeyboardInterrupt:
            click.echo("Stopped.", err=True)
        finally:
            server.server_close()


@main.command()
@PATHS
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="The store's SPARQL 1.1 Graph Store HTTP Protocol URL: Oxigraph http://host:7878/store, Fuseki "
    "http://host:3030/DATASET/data, GraphDB http://host:7200/repositories/REPO/rdf-graphs/service, Virtuoso "
    "http://host:8890/sparql-graph-crud-auth. Basic- or digest-auth credentials come from SEGRAPH_ENDPOINT_USER "
    "and SEGRAPH_ENDPOINT_PASSWORD.",
)
@click.option(
    "--query-endpoint",
    metavar="URL",
    help="SPARQL query endpoint used to count the uploaded triples (default: the one beside --endpoint for the "
    "four stores above, e.g. …/store → …/query).",
)
@click.option(
    "--graph",
    metavar="IRI",
    help="Put everything into this one named graph (a single atomic upload) instead of one named graph per "
    "source file.",
)
@click.option(
    "--replace",
    is_flag=True,
    help="Replace target graphs that already hold triples. Without it the push refuses, before uploading "
    "anything, when one does. Graphs the push does not name are never touched.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=60.0,
    show_default=True,
    help="Seconds to wait for each answer from the store.",
)
@reports_errors
def push(
    paths: tuple[Path, ...],
    endpoint: str,
    query_endpoint: str | None,
    graph: str | None,
    replace: bool,
    timeout: float,
) -> None:
    """Upload the graph to a triple store, one named graph per source file, and check the store's counts.

    Each graph is replaced with one HTTP PUT (atomic per graph); if an upload fails, the error says
    which graphs were replaced and which still hold their previous triples. Exit 0 when every graph's
    count in the store equals the local one, 1 when an upload failed or a count differs, 2 on a usage error.
    See docs/triple-stores.md.
    """
    from segraph.push import push as push_graph
    from segraph.store import source_files

    report = push_graph(
        source_files(list(paths) or None),
        endpoint,
        query_endpoint=query_endpoint,
        graph=graph,
        replace=replace,
        timeout=timeout,
    )
    click.echo("\n".join(report.lines()))


if __name__ == "__main__":
    main()
