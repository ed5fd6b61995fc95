"""Every source document's key facts are in its own file (the checklists in tests/coverage/)."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import REPO_ROOT
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from segraph.load import Corpus, Role
from segraph.namespaces import PREFIXES, SCHEMA, SEG

COVERAGE = Path(__file__).resolve().parent / "coverage"
CHECKLISTS = {p.stem: tomllib.loads(p.read_text(encoding="utf-8")) for p in sorted(COVERAGE.glob("*.toml"))}
PROLOGUE = "".join(f"PREFIX {prefix}: <{iri}>\n" for prefix, iri in PREFIXES.items())
# A fact's `ask` is one graph pattern or a list of them; patterns are asked one by one
# (rdflib joins many blank-node branches of one pattern as a cartesian product).
FACTS = [
    (name, fact["says"], pattern)
    for name, checklist in CHECKLISTS.items()
    for fact in checklist["fact"]
    for pattern in ([fact["ask"]] if isinstance(fact["ask"], str) else fact["ask"])
]


def _expand(curie: str) -> URIRef:
    prefix, local = curie.split(":", 1)
    return URIRef(PREFIXES[prefix] + local)


def _file_graph(corpus: Corpus, name: str) -> Graph:
    target = (REPO_ROOT / CHECKLISTS[name]["file"]).resolve()
    return next(f.graph for f in corpus.files if f.path.resolve() == target)


def test_every_document_has_a_checklist(shipped_corpus: Corpus) -> None:
    files = {f.path.resolve() for f in shipped_corpus.data_files}
    listed = {(REPO_ROOT / c["file"]).resolve() for c in CHECKLISTS.values()}
    assert files == listed


@pytest.mark.parametrize(("name", "says", "pattern"), FACTS, ids=[f"{n}: {s[:50]}" for n, s, _ in FACTS])
def test_fact_is_stated_in_its_document_file(shipped_corpus: Corpus, name: str, says: str, pattern: str) -> None:
    graph = _file_graph(shipped_corpus, name)
    assert graph.query(f"{PROLOGUE}ASK {{ {pattern} }}").askAnswer, f"{name}: missing fact «{says}»"


@pytest.mark.parametrize("name", sorted(CHECKLISTS))
def test_file_describes_its_document_and_derives_everything_from_it(shipped_corpus: Corpus, name: str) -> None:
    graph = _file_graph(shipped_corpus, name)
    document = _expand(CHECKLISTS[name]["document"])
    assert (document, RDF.type, SEG.SourceDocument) in graph
    source = next(f for f in shipped_corpus.data_files if f.graph is graph)
    assert source.name == document, "the file's named graph is its document"
    described = {s for s in graph.subjects(RDF.type) if isinstance(s, URIRef)} - {document}
    unsourced = sorted(s for s in described if (s, SEG_DERIVED, document) not in graph and not _is_website(graph, s))
    assert not unsourced, f"resources in {name} without prov:wasDerivedFrom its document: {unsourced}"


SEG_DERIVED = URIRef("http://www.w3.org/ns/prov#wasDerivedFrom")


def _is_website(graph: Graph, node: URIRef) -> bool:
    return (node, RDF.type, SCHEMA.WebSite) in graph and (node, SEG_DERIVED, None) in graph


def test_no_phone_numbers_or_emails_anywhere() -> None:
    """Privacy: the seeds give phone numbers (010-103 65 31); none may reach the data."""
    for path in sorted((REPO_ROOT / "data").glob("*.ttl")):
        text = path.read_text(encoding="utf-8")
        assert "010-103" not in text and "@regionostergotland" not in text and "mailto:" not in text, path


def test_same_organisation_is_one_resource_across_documents(shipped_corpus: Corpus) -> None:
    """REVES (seeds 002 and 004) and Region Örebro län (000, 001, 002) are one resource each."""

    def stating(iri: str) -> set[str]:
        node = _expand(iri)
        return {f.path.stem for f in shipped_corpus.files if f.role is Role.DATA and (node, RDF.type, None) in f.graph}

    assert stating("organisation:reves") == {"orebro-international", "resees"}
    assert stating("organisation:region-orebro-lan") == {"silk", "raise", "orebro-international"}
    assert stating("person:anders-bro") == {"silk", "raise"}
