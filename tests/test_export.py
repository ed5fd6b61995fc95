"""``segraph export``: every format parses back to the whole graph, TriG keeps one graph per file,
and the output file is written atomically."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from rdflib import Dataset, Graph, URIRef

import segraph.export
from segraph.cli import main
from segraph.errors import UsageError
from segraph.export import WriteError, serialize, write_atomically
from segraph.load import Corpus

REPO_ROOT = Path(__file__).resolve().parent.parent
RESEES_DOCUMENT = URIRef("https://w3id.org/segraph/document/resees")
RESEES = URIRef("https://w3id.org/segraph/project/resees")
RDFLIB_FORMATS = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "trig": "trig"}
SUFFIXES = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld", "trig": "trig"}


def run(*args: str) -> Result:
    return CliRunner().invoke(main, list(args))


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Result]]:
    """Run ``segraph export`` once per format, all into one folder."""
    folder = tmp_path_factory.mktemp("export")
    results = {fmt: run("export", "--format", fmt, "--out", str(folder / f"graph.{SUFFIXES[fmt]}")) for fmt in SUFFIXES}
    return folder, results


@pytest.fixture(scope="module")
def trig(exported: tuple[Path, dict[str, Result]]) -> Dataset:
    folder, _ = exported
    dataset = Dataset()
    dataset.parse(folder / "graph.trig", format="trig")
    return dataset


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld", "trig"])
def test_export_exits_0_and_says_what_it_wrote(exported: tuple[Path, dict[str, Result]], fmt: str) -> None:
    folder, results = exported
    result = results[fmt]
    out = folder / f"graph.{SUFFIXES[fmt]}"
    assert result.exit_code == 0, (result.stderr, result.exception)
    assert result.stdout == ""
    assert result.stderr.strip() == f"wrote {out} ({out.stat().st_size} bytes, {fmt})"


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_export_parses_back_to_the_whole_graph(
    exported: tuple[Path, dict[str, Result]], shipped_corpus: Corpus, fmt: str
) -> None:
    folder, _ = exported
    graph = Graph().parse(folder / f"graph.{SUFFIXES[fmt]}", format=RDFLIB_FORMATS[fmt])
    assert len(graph) == len(shipped_corpus.union)


def test_trig_has_one_named_graph_per_file(trig: Dataset, shipped_corpus: Corpus) -> None:
    named = {g.identifier: len(g) for g in trig.graphs() if len(g)}
    assert set(named) == {f.name for f in shipped_corpus.files}
    assert {f.name for f in shipped_corpus.data_files} <= set(named)
    for source in shipped_corpus.files:
        assert named[source.name] == len(source.graph), source.path.name


def test_trig_holds_the_whole_graph(trig: Dataset, shipped_corpus: Corpus) -> None:
    # A triple stated by two documents (say, an organisation's label) is in both named graphs,
    # so the total over graphs is the sum over files; the distinct triples are the union.
    graphs = [g for g in trig.graphs() if len(g)]
    assert sum(len(g) for g in graphs) == sum(len(f.graph) for f in shipped_corpus.files)
    distinct: set[tuple[object, object, object]] = set()
    for g in graphs:
        distinct.update(g)
    assert len(distinct) == len(shipped_corpus.union)


def test_trig_names_resees_graph_by_its_document(trig: Dataset, shipped_corpus: Corpus) -> None:
    resees_file = next(f for f in shipped_corpus.data_files if f.path.name == "resees.ttl")
    graph = trig.graph(RESEES_DOCUMENT)
    assert len(graph) == len(resees_file.graph)
    assert set(shipped_corpus.union.triples((RESEES, None, None))) <= set(graph)
    assert len(set(graph.triples((RESEES, None, None)))) > 0
    others = [g for g in trig.graphs() if g.identifier != RESEES_DOCUMENT]
    assert all(len(set(g.triples((RESEES, None, None)))) == 0 for g in others)


def test_export_leaves_no_temporary_files(exported: tuple[Path, dict[str, Result]]) -> None:
    folder, _ = exported
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"graph.{s}" for s in SUFFIXES.values())


def test_failed_serialisation_leaves_an_existing_file_unchanged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.ttl"
    out.write_text("previous export\n", encoding="utf-8")

    def broken(corpus: Corpus, fmt: str) -> bytes:
        raise RuntimeError("serialiser crashed")

    monkeypatch.setattr(segraph.export, "serialize", broken)
    result = run("export", str(REPO_ROOT / "data" / "resees.ttl"), "--format", "turtle", "--out", str(out))
    assert result.exit_code != 0
    assert isinstance(result.exception, RuntimeError)
    assert out.read_text(encoding="utf-8") == "previous export\n"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_a_segraph_error_while_serialising_is_exit_2_and_keeps_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "graph.nt"
    out.write_bytes(b"old")

    def refuses(corpus: Corpus, fmt: str) -> bytes:
        raise UsageError("cannot serialise this")

    monkeypatch.setattr(segraph.export, "serialize", refuses)
    result = run("export", str(REPO_ROOT / "data" / "resees.ttl"), "--format", "nt", "--out", str(out))
    assert result.exit_code == 2
    assert result.stderr.strip() == "error: cannot serialise this"
    assert out.read_bytes() == b"old"


def test_write_atomically_cleans_up_when_the_write_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "graph.ttl"
    out.write_bytes(b"old")

    def no_rename(src: object, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", no_rename)
    with pytest.raises(WriteError, match="disk full"):
        write_atomically(out, b"new")
    assert out.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["graph.ttl"]


def test_write_atomically_creates_folders_and_replaces(tmp_path: Path) -> None:
    out = tmp_path / "a" / "b" / "graph.nt"
    write_atomically(out, b"first")
    write_atomically(out, b"second")
    assert out.read_bytes() == b"second"
    assert [p.name for p in out.parent.iterdir()] == ["graph.nt"]


def test_written_files_get_the_usual_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        out = tmp_path / "graph.nt"
        write_atomically(out, b"data")
    finally:
        os.umask(old)
    assert stat.S_IMODE(out.stat().st_mode) == 0o644


def test_unknown_format_is_a_click_usage_error(tmp_path: Path) -> None:
    out = tmp_path / "graph.xml"
    result = run("export", "--format", "rdfxml", "--out", str(out))
    assert result.exit_code == 2
    assert "Invalid value for '--format'" in result.stderr
    assert not out.exists()


def test_out_is_required(tmp_path: Path) -> None:
    result = run("export", "--format", "nt")
    assert result.exit_code == 2
    assert "--out" in result.stderr


def test_serialize_refuses_an_unknown_format(shipped_corpus: Corpus) -> None:
    with pytest.raises(UsageError, match="unknown format 'rdfxml'"):
        serialize(shipped_corpus, "rdfxml")


def test_export_of_a_bad_path_is_exit_2(tmp_path: Path) -> None:
    out = tmp_path / "graph.ttl"
    result = run("export", str(tmp_path / "missing"), "--out", str(out))
    assert result.exit_code == 2
    assert "no such file or folder" in result.stderr
    assert not out.exists()
