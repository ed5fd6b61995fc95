"""The shipped graph conforms, its codes exist, and the quality checks catch what they guard."""

from __future__ import annotations

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from segraph import paths
from segraph.checks import load_checks
from segraph.load import Corpus, Role
from segraph.namespaces import COUNTRY, NUTS, SEG
from segraph.validate import ValidationReport, label_of


def test_shipped_data_conforms_without_any_result(shipped_report: ValidationReport) -> None:
    assert shipped_report.conforms
    assert shipped_report.results == []
    assert len(shipped_report.files) == 5


def _used_in_data(corpus: Corpus, namespace: str) -> set[URIRef]:
    return {
        o
        for f in corpus.files
        if f.role is Role.DATA
        for o in f.graph.objects()
        if isinstance(o, URIRef) and str(o).startswith(namespace)
    }


def test_every_nuts_code_used_in_data_exists(shipped_corpus: Corpus) -> None:
    used = _used_in_data(shipped_corpus, str(NUTS))
    nuts = next(f.graph for f in shipped_corpus.files if f.path.name == "nuts.ttl")
    codes = {str(code).rsplit("/", 1)[-1] for code in used}
    assert codes == {
        "SE124",
        "SE123",
        "ES51",
        "ES22",
        "ES62",
        "FRI",
        "SI032",
        "FI1D7",
        "ITH5",
        "ITH55",
        "HU11",
        "IE042",
        "BE10",
    }
    unknown = sorted(code for code in used if (code, SKOS.notation, None) not in nuts)
    assert not unknown, f"NUTS codes used in data/ but not in NUTS 2021/2024: {unknown}"


def test_every_country_used_in_data_exists(shipped_corpus: Corpus) -> None:
    used = _used_in_data(shipped_corpus, str(COUNTRY))
    countries = next(f.graph for f in shipped_corpus.files if f.path.name == "countries.ttl")
    assert {COUNTRY.SWE, COUNTRY.SVN, COUNTRY.ESP, COUNTRY.CAN, COUNTRY.IND} <= used
    assert not sorted(c for c in used if (c, SKOS.inScheme, None) not in countries)


def test_ontology_terms_have_english_and_swedish_labels_and_a_definition(shipped_corpus: Corpus) -> None:
    ontology = next(f.graph for f in shipped_corpus.files if f.role is Role.ONTOLOGY)
    terms = [t for t in ontology.subjects(RDFS.isDefinedBy, URIRef("https://w3id.org/segraph/ontology"))]
    assert len(terms) > 40
    for term in terms:
        languages = {label.language for label in ontology.objects(term, RDFS.label)}
        assert {"en", "sv"} <= languages, term
        assert any(d.language == "en" for d in ontology.objects(term, SKOS.definition)), term


def test_ontology_metadata(shipped_corpus: Corpus) -> None:
    ontology = next(f.graph for f in shipped_corpus.files if f.role is Role.ONTOLOGY)
    iri = URIRef("https://w3id.org/segraph/ontology")
    for predicate in (
        OWL.versionIRI,
        OWL.versionInfo,
        URIRef("http://purl.org/dc/terms/license"),
        URIRef("http://purl.org/dc/terms/creator"),
        URIRef("http://purl.org/dc/terms/description"),
    ):
        assert ontology.value(iri, predicate) is not None, predicate


def _bad_ontology() -> Graph:
    """A graph with one term breaking each check: no labels, no definition, no parent, an untagged label."""
    graph = Graph()
    graph.parse(paths.ontology_file())
    bare = SEG.Bare
    graph.add((bare, RDF.type, OWL.Class))
    graph.add((SEG.untagged, RDF.type, OWL.DatatypeProperty))
    graph.add((SEG.untagged, RDFS.label, Literal("untagged")))
    graph.add((URIRef("https://w3id.org/segraph/project/x"), URIRef("http://example.org/vocab#hasPartner"), Literal(1)))
    graph.add((URIRef("https://w3id.org/segraph/project/x"), RDF.type, URIRef("http://example.org/vocab#Projekt")))
    return graph


EXPECTED = {
    "term-without-english-label": {SEG.Bare, SEG.untagged},
    "term-without-swedish-label": {SEG.Bare, SEG.untagged},
    "term-without-definition": {SEG.Bare, SEG.untagged},
    "term-without-reused-parent": {SEG.Bare, SEG.untagged},
    "label-without-language": {SEG.untagged},
    "undeclared-property": {URIRef("https://w3id.org/segraph/project/x")},
    "undeclared-class": {URIRef("https://w3id.org/segraph/project/x")},
}


@pytest.mark.parametrize("check", load_checks(paths.checks_dir()), ids=lambda c: c.name)
def test_each_quality_check_finds_exactly_its_failures(check) -> None:  # type: ignore[no-untyped-def]
    assert check.name in EXPECTED, f"add the check {check.name} to EXPECTED"
    found = {row.focus for row in _bad_ontology().query(check.query)}  # type: ignore[union-attr]
    assert found == EXPECTED[check.name]


def test_label_of_prefers_english() -> None:
    graph = Graph()
    node = URIRef("https://w3id.org/segraph/organisation/x")
    graph.add((node, RDFS.label, Literal("Regeringen", lang="sv")))
    assert label_of(graph, node) == "Regeringen"
    graph.add((node, RDFS.label, Literal("Government of Sweden", lang="en")))
    assert label_of(graph, node) == "Government of Sweden"
    assert label_of(graph, URIRef("https://w3id.org/segraph/person/anna")) == "anna"
