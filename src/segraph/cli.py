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
from segraph.errors import EXIT_FAILED, EXIT_OK, SegraphError

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
