"""Incremental validation gives a full run's results: a differential test over a series of edits."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode

from segraph import paths
from segraph.cli import main
from segraph.store import open_embedded
from segraph.validate import ValidationReport, ValidationResult, validate_store
from segraph.validate_cache import STATE
from segraph.validate_incremental import validate_incremental

Edit = Callable[[Path], None]


def _term(node: object) -> object:
    """A term with blank nodes made anonymous: two parses of a file name them differently."""
    return "_:" if isinstance(node, BNode) else node


def _key(result: ValidationResult) -> tuple[object, ...]:
    used_by = tuple(_term(n) for n in result.used_by) if result.used_by else None
    fields = (result.severity, result.focus, result.focus_label, result.path, result.value, result.message)
    return (*map(_term, fields), result.source_shape, result.constraint, result.file, result.line, used_by)


def _same(incremental: ValidationReport, full: ValidationReport) -> None:
    assert sorted(map(_key, incremental.results), key=str) == sorted(map(_key, full.results), key=str)
    assert incremental.files == full.files


def _replace(name: str, old: str, new: str) -> Edit:
    def edit(folder: Path) -> None:
        path = folder / name
        text = path.read_text(encoding="utf-8")
        assert re.search(old, text, flags=re.MULTILINE), f"{old!r} not in {name}"
        path.write_text(re.sub(old, new, text, count=1, flags=re.MULTILINE), encoding="utf-8")

    return edit


def _append(name: str, text: str) -> Edit:
    def edit(folder: Path) -> None:
        with (folder / name).open("a", encoding="utf-8") as handle:
            handle.write(text)

    return edit


def _delete(name: str) -> Edit:
    return lambda folder: (folder / name).unlink()


def _copy(source: str, name: str) -> Edit:
    return lambda folder: shutil.copyfile(paths.data_dir() / source, folder / name)


VIOLATIONS = """
project:silk seg:undeclaredThing "x" .
project:silk rdfs:label "without a language" .
project:silk seg:period organisation:oecd .
"""

# A file whose participation names an organisation that silk.ttl describes.
USES_DIESIS = """@prefix dct: <http://purl.org/dc/terms/> .
@prefix seg: <https://w3id.org/segraph/ontology#> .
<https://w3id.org/segraph/document/uses-diesis> a seg:SourceDocument ; dct:title "Uses DIESIS"@en .
<https://w3id.org/segraph/participation/uses-diesis> a seg:Participation ;
    seg:organisation <https://w3id.org/segraph/organisation/diesis-network> ;
    seg:project <https://w3id.org/segraph/project/silk> .
"""
RENAME_DIESIS = _replace("silk.ttl", r"^organisation:diesis-network$", "organisation:diesis")


def _write(name: str, text: str) -> Edit:
    return lambda folder: (folder / name).write_text(text, encoding="utf-8")


# Each edit, and whether the run after it must be incremental (True) or a full one (False).
EDITS: list[tuple[str, Edit, bool]] = [
    ("add violations", _append("silk.ttl", VIOLATIONS), True),
    ("fix one", _replace("silk.ttl", r'^project:silk seg:undeclaredThing "x" \.$', ""), True),
    ("stated duration in a blank node", _replace("raise.ttl", r"numericDuration 4\.5 ;", "numericDuration 3 ;"), True),
    ("name an unknown country", _append("silk.ttl", "project:silk seg:participantCountry country:XXX .\n"), True),
    ("stop naming it", _replace("silk.ttl", r"^project:silk seg:participantCountry country:XXX \.$", ""), True),
    ("end before start", _replace("silk.ttl", r'endDate "2021-12"', 'endDate "2020-12"'), True),
    ("add a file using another file's node", _write("uses-diesis.ttl", USES_DIESIS), True),
    ("rename a node another file uses", RENAME_DIESIS, True),
    ("delete a file", _delete("resees.ttl"), True),
    ("add a file", _copy("resees.ttl", "resees-again.ttl"), True),
    ("nothing changed", lambda folder: None, True),
    ("fix the duration", _replace("raise.ttl", r"numericDuration 3 ;", "numericDuration 4.5 ;"), True),
    ("two files state one document", _copy("silk.ttl", "silk-copy.ttl"), False),
]


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for source in sorted(paths.data_dir().glob("*.ttl")):
        shutil.copyfile(source, folder / source.name)
    return folder


def _run(folder: Path, cache: Path) -> tuple[ValidationReport, list[str]]:
    notes: list[str] = []
    return validate_incremental([folder], cache, notes.append), notes


def test_incremental_equals_full_after_each_edit(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    report, notes = _run(corpus, cache)
    assert notes and notes[0].startswith("full run: no cache")
    _same(report, validate_store(open_embedded([corpus])))
    violations = 0
    for name, edit, incremental in EDITS:
        edit(corpus)
        report, notes = _run(corpus, cache)
        assert notes[0].startswith("incremental" if incremental else "full run"), (name, notes)
        _same(report, validate_store(open_embedded([corpus])))
        violations += len(report.results)
    assert violations > 10  # the edits made results to compare, not just conforming graphs


def test_rename_reports_the_nodes_of_unchanged_files(corpus: Path, tmp_path: Path) -> None:
    """A node renamed in one file makes a file that still names it fail sh:class, though that file did not change."""
    cache = tmp_path / "cache"
    _write("uses-diesis.ttl", USES_DIESIS)(corpus)
    _run(corpus, cache)
    RENAME_DIESIS(corpus)
    report, notes = _run(corpus, cache)
    assert notes[0].startswith("incremental")
    found = {(r.file, str(r.focus)) for r in report.results if str(r.value).endswith("/diesis-network")}
    assert (str(corpus / "uses-diesis.ttl"), "https://w3id.org/segraph/participation/uses-diesis") in found


@pytest.mark.parametrize("what", ["shapes", "ontology"])
def test_a_changed_shapes_or_ontology_file_invalidates_the_cache(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, what: str
) -> None:
    cache = tmp_path / "cache"
    _run(corpus, cache)
    original = paths.shapes_file() if what == "shapes" else paths.ontology_file()
    changed = tmp_path / original.name
    text = original.read_text(encoding="utf-8")
    if what == "shapes":  # a compiled rule the cached findings know nothing of
        rule = (
            'sh:targetSubjectsOf rdfs:label ;\n    sh:nodeKind sh:BlankNode ;\n    sh:message "Not a blank node."@en ;'
        )
        text = text.replace("sh:targetSubjectsOf rdfs:label ;", rule, 1)
    changed.write_text(text + "\n# changed\n", encoding="utf-8")
    monkeypatch.setattr(paths, "shapes_file" if what == "shapes" else "ontology_file", lambda: changed)
    report, notes = _run(corpus, cache)
    assert notes[0].startswith("full run")
    full = validate_store(open_embedded([corpus]))
    _same(report, full)
    assert what == "ontology" or not full.conforms


def test_shapes_outside_the_compiled_subset_are_never_incremental(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    changed = tmp_path / "shapes.ttl"
    text = paths.shapes_file().read_text(encoding="utf-8")
    rule = 'sh:targetSubjectsOf rdfs:label ;\n    sh:languageIn ( "en" ) ;'
    changed.write_text(text.replace("sh:targetSubjectsOf rdfs:label ;", rule, 1), encoding="utf-8")
    monkeypatch.setattr(paths, "shapes_file", lambda: changed)
    report, notes = _run(corpus, tmp_path / "cache")
    assert notes[0].startswith("not incremental")
    assert not report.conforms
    assert not (tmp_path / "cache").exists()


def test_a_damaged_cache_is_ignored_with_a_note(corpus: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    _run(corpus, cache)
    _append("silk.ttl", VIOLATIONS)(corpus)
    (cache / STATE).write_text('{"fingerprint": "x", "files": [', encoding="utf-8")
    report, notes = _run(corpus, cache)
    assert "damaged" in notes[0]
    assert not report.conforms
    _same(report, validate_store(open_embedded([corpus])))
    assert "fingerprint" in json.loads((cache / STATE).read_text(encoding="utf-8"))


def test_cli_incremental_notes_and_exit_codes(corpus: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    cache = str(tmp_path / "cache")
    first = runner.invoke(main, ["validate", "--incremental", "--cache", cache, str(corpus)])
    assert first.exit_code == 0, first.output
    assert "full run" in first.stderr
    _append("silk.ttl", VIOLATIONS)(corpus)
    second = runner.invoke(main, ["validate", "--incremental", "--cache", cache, str(corpus)])
    assert second.exit_code == 1
    assert "incremental: 1 file(s) changed" in second.stderr
    wrong = runner.invoke(main, ["validate", "--incremental", "--engine", "pyshacl", str(corpus)])
    assert wrong.exit_code == 2
    assert "--incremental" in wrong.stderr
