"""`segraph publish`: every dump parses back to the graph, output is deterministic and atomic."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from segraph.cli import main
from segraph.load import Corpus, Role
from segraph.publish import publish
from segraph.publish.dumps import Prepared

FORMATS = {"graph.ttl": "turtle", "graph.jsonld": "json-ld", "graph.rdf": "xml"}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> Path:
    out = tmp_path_factory.mktemp("publish") / "site"
    publish(shipped_corpus, out)
    return out


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_dump_parses_back_to_the_whole_graph(site: Path, name: str, shipped_corpus: Corpus) -> None:
    graph = Graph().parse(site / name, format=FORMATS[name])
    assert len(graph) == len(shipped_corpus.union)


def test_ntriples_gzip_parses_back(site: Path, shipped_corpus: Corpus) -> None:
    graph = Graph().parse(data=gzip.decompress((site / "graph.nt.gz").read_bytes()), format="nt")
    assert len(graph) == len(shipped_corpus.union)


@pytest.mark.parametrize(("name", "fmt"), [("graph.trig", "trig"), ("graph.nq", "nquads")])
def test_quads_keep_one_named_graph_per_file(site: Path, name: str, fmt: str, shipped_corpus: Corpus) -> None:
    dataset = Dataset()
    dataset.parse(site / name, format=fmt)
    graphs = {g.identifier: len(g) for g in dataset.graphs() if len(g)}
    assert graphs == {f.name: len(f.graph) for f in shipped_corpus.files}
    documents = {f.name for f in shipped_corpus.files if f.role is Role.DATA}
    assert URIRef("https://w3id.org/segraph/document/resees") in documents
    resees = dataset.graph(URIRef("https://w3id.org/segraph/document/resees"))
    assert (URIRef("https://w3id.org/segraph/project/resees"), None, None) in resees


def test_ontology_and_shapes_are_published_as_they_are(site: Path) -> None:
    root = Path(__file__).resolve().parent.parent
    assert (site / "ontology.ttl").read_bytes() == (root / "ontology" / "segraph.ttl").read_bytes()
    assert (site / "shapes.ttl").read_bytes() == (root / "ontology" / "shapes.ttl").read_bytes()


def test_same_input_same_bytes_in_another_process(site: Path, tmp_path: Path) -> None:
    """A fresh process parses with fresh blank-node ids; the dumps must not change."""
    out = tmp_path / "again"
    subprocess.run([sys.executable, "-m", "segraph.cli", "publish", "--out", str(out)], check=True, capture_output=True)
    written = sorted(p.relative_to(site) for p in site.rglob("*") if p.is_file())
    assert sorted(p.relative_to(out) for p in out.rglob("*") if p.is_file()) == written
    for path in written:
        assert (out / path).read_bytes() == (site / path).read_bytes(), path


def test_a_failed_run_leaves_the_previous_site(
    tmp_path: Path, shipped_corpus: Corpus, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "site"
    out.mkdir()
    (out / "graph.ttl").write_text("previous", encoding="utf-8")

    def broken(prepared: Prepared, folder: Path) -> list[object]:
        (folder / "graph.ttl").write_text("half", encoding="utf-8")
        raise OSError("disk full")

    monkeypatch.setattr("segraph.publish.write_dumps", broken)
    with pytest.raises(OSError, match="disk full"):
        publish(shipped_corpus, out)
    assert (out / "graph.ttl").read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["site"]


def test_cli_publish(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--out", str(tmp_path / "site")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "site" / "graph.ttl").is_file()
    assert "graph.nt.gz" in result.stderr
