"""Start-up: `segraph query` on the shipped data imports no heavy library it does not need.

Speed itself is measured by the benchmarks (`time segraph query projects`), never asserted
here; what a test can check is the cause of a slow start: which modules got imported.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
HEAVY = ("rdflib", "pyshacl", "SPARQLWrapper", "rich", "pandas")

SCRIPT = """
import json, sys
from segraph.cli import main
main({args!r}, standalone_mode=False)
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0] in {heavy!r})), file=sys.stderr)
"""


def imported_by(*args: str) -> list[str]:
    """The heavy modules a fresh process holds after running `segraph ARGS` (its output checked too)."""
    code = SCRIPT.format(args=list(args), heavy=set(HEAVY))
    done = subprocess.run([sys.executable, "-c", code], cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip(), "the command printed nothing"
    return list(json.loads(done.stderr.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ("query", "projects", "--format", "csv"),
        ("query", "partner-regions", "--param", "project=resees", "--format", "json"),
        ("sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", "--format", "csv"),
        ("stats",),
    ],
    ids=["query", "query-with-param", "sparql", "stats"],
)
def test_commands_on_the_shipped_data_import_no_heavy_library(args: tuple[str, ...]) -> None:
    assert imported_by(*args) == []


def test_the_table_format_imports_rich_and_nothing_heavier() -> None:
    imported = imported_by("query", "projects", "--format", "table")
    assert imported and {m.split(".")[0] for m in imported} == {"rich"}


def test_loading_a_store_imports_no_rdflib(tmp_path: Path) -> None:
    """`segraph load` reads files straight into Oxigraph: a big export never waits for rdflib to import."""
    imported = imported_by("load", "--store", str(tmp_path / "store"), "--no-progress")
    assert not {m.split(".")[0] for m in imported} & {"rdflib", "pyshacl", "SPARQLWrapper"}
