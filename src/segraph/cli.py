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

from segraph import __version__
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
@click.version_option(__version__, prog_name="segraph")
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
@reports_errors
def validate(paths: tuple[Path, ...], fmt: str, output: Path | None) -> None:
    """Validate data files against the shapes and the ontology's quality checks.

    PATHS are Turtle files or folders (default: data/); they are validated
    together with the ontology and the reference data. Exit 0 when the data
    conforms, 1 when it does not, 2 on a usage or parse error.
    """
    from segraph.export import write_atomically
    from segraph.report import RENDERERS
    from segraph.validate import validate_paths

    report = validate_paths(list(paths) or None)
    text = RENDERERS[fmt](report)
    if output is not None:
        write_atomically(output, (text + "\n").encode("utf-8"))
        click.echo(f"report written to {output}", err=True)
    else:
        click.echo(text)
    sys.exit(EXIT_OK if report.conforms else EXIT_FAILED)


@main.command()
@PATHS
@reports_errors
def stats(paths: tuple[Path, ...]) -> None:
    """Show what the graph holds: triples, resources by class, facts by source document."""
    from segraph.load import load_corpus
    from segraph.stats import compute_stats, render_stats

    click.echo(render_stats(compute_stats(load_corpus(list(paths) or None))))


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
@reports_errors
def export(paths: tuple[Path, ...], fmt: str, out: Path) -> None:
    """Export the whole graph (ontology, reference data, data) to one file."""
    from segraph.export import export as export_corpus
    from segraph.load import load_corpus

    size = export_corpus(load_corpus(list(paths) or None), fmt, out)
    click.echo(f"wrote {out} ({size} bytes, {fmt})", err=True)


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
@FORMAT
@ENDPOINT
@TIMEOUT
@reports_errors
def query(
    name: str, pairs: tuple[str, ...], lang: str | None, fmt: str | None, endpoint: str | None, timeout: float | None
) -> None:
    """Run the saved query NAME on the embedded graph or on --endpoint.

    Example: segraph query partner-regions --param project=resees
    """
    from segraph.run import run_query

    params = _parse_params(pairs)
    if lang:
        params["lang"] = lang
    result = run_query(name, params, endpoint=endpoint, timeout=timeout)
    click.echo(result.serialize(fmt or _default_format()).rstrip("\n"))


@main.command()
@click.argument("query_text", metavar="FILE_OR_TEXT")
@FORMAT
@ENDPOINT
@TIMEOUT
@reports_errors
def sparql(query_text: str, fmt: str | None, endpoint: str | None, timeout: float | None) -> None:
    """Run your own SELECT query, given as a file (.rq) or as text, on the embedded graph or on --endpoint."""
    from segraph.run import run_sparql

    looks_like_file = "\n" not in query_text and len(query_text) < 1024
    if looks_like_file and Path(query_text).is_file():
        query_text = Path(query_text).read_text(encoding="utf-8")
    elif looks_like_file and query_text.endswith((".rq", ".sparql")):
        raise UsageError(f"{query_text}: no such query file")
    result = run_sparql(query_text, endpoint=endpoint, timeout=timeout)
    click.echo(result.serialize(fmt or _default_format()).rstrip("\n"))


@main.command()
@PATHS
@click.option("--out", "-o", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder to write.")
@reports_errors
def publish(paths: tuple[Path, ...], out: Path) -> None:
    """Write the graph's dumps (Turtle, N-Triples gzip, JSON-LD, RDF/XML, TriG, N-Quads) to a folder.

    The folder is replaced atomically: a failed run leaves the previous one untouched.
    """
    from segraph.load import load_corpus
    from segraph.publish import publish as publish_site

    for dump in publish_site(load_corpus(list(paths) or None), out):
        click.echo(f"{out / dump.name}  {dump.byte_size} bytes  sha256 {dump.sha256[:12]}…", err=True)


if __name__ == "__main__":
    main()
