"""The site's own Turtle and JSON-LD writers: what they write parses back to the same triples."""

from __future__ import annotations

import json
import posixpath
import re

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, RDFS, XSD

from segraph.namespaces import PREFIXES, SEG
from segraph.publish import html
from segraph.publish.rdfwrite import JSONLD_CONTEXT, jsonld, triple_key, turtle

PROJECT = URIRef("https://w3id.org/segraph/project/x")
TRICKY = [
    (PROJECT, RDF.type, SEG.Project),
    (PROJECT, RDFS.label, Literal('quotes " and \\ and\nnew line', lang="en")),
    (PROJECT, RDFS.label, Literal("plain")),
    (PROJECT, RDFS.label, Literal("typed string", datatype=XSD.string)),
    (PROJECT, SEG["count"], Literal("7", datatype=XSD.integer)),
    (PROJECT, SEG["count"], Literal("007.50", datatype=XSD.decimal)),
    (PROJECT, SEG["count"], Literal("1.5E3", datatype=XSD.double)),
    (PROJECT, SEG["count"], Literal("12", datatype=XSD.decimal)),  # not a Turtle decimal: written quoted
    (PROJECT, SEG.flag, Literal("true", datatype=XSD.boolean)),
    (PROJECT, SEG.since, Literal("2021-05", datatype=XSD.gYearMonth)),
    (PROJECT, RDFS.seeAlso, URIRef("https://example.org/a/b?c=d#e")),
    (PROJECT, RDFS.seeAlso, URIRef("https://w3id.org/segraph/project/with.dot.")),  # no prefixed name
    (PROJECT, SEG.period, BNode("b1")),
    (BNode("b1"), SEG.extension, BNode("b2")),
    (BNode("b2"), RDFS.label, Literal("nested")),
    (PROJECT, SEG.shared, BNode("b3")),
    (URIRef("https://w3id.org/segraph/project/y"), SEG.shared, BNode("b3")),
    (BNode("c1"), SEG.next, BNode("c2")),  # a cycle of blank nodes used once each
    (BNode("c2"), SEG.next, BNode("c1")),
]


def _graph(triples: list[tuple[URIRef | BNode, URIRef, URIRef | BNode | Literal]]) -> Graph:
    graph = Graph()
    for triple in triples:
        graph.add(triple)
    return graph


def test_turtle_parses_back_to_the_same_triples() -> None:
    written = turtle(sorted(TRICKY, key=triple_key))
    assert isomorphic(Graph().parse(data=written, format="turtle"), _graph(TRICKY))
    text = written.decode()
    assert re.search(r"\s7\.50,\n", text) and re.search(r"\s7 ;", text) and "seg:flag true ;" in text  # bare
    assert '"12"^^xsd:decimal' in text and "[ seg:extension [ rdfs:label" in text
    assert "@prefix foaf:" not in text  # only the prefixes used


def test_turtle_of_nothing_is_empty() -> None:
    assert turtle([]) == b""


def test_json_ld_parses_back_and_matches_rdflib() -> None:
    written = jsonld(sorted(TRICKY, key=triple_key))
    # Compacted JSON-LD writes doubles and xsd:strings as native JSON: they come back as other lexical forms.
    kept = [t for t in TRICKY if not (isinstance(t[2], Literal) and t[2].datatype in (XSD.double, XSD.string))]
    assert isomorphic(Graph().parse(data=jsonld(sorted(kept, key=triple_key)), format="json-ld"), _graph(kept))
    # rdflib leaves out a cycle of blank nodes that nothing else uses; segraph's writer keeps it.
    acyclic = [t for t in TRICKY if t[1] != SEG.next]
    written = jsonld(sorted(acyclic, key=triple_key))
    rdflib_text = _graph(acyclic).serialize(format="json-ld", context=JSONLD_CONTEXT, auto_compact=True)
    assert json.loads(written) == _sorted(json.loads(rdflib_text))


def test_json_ld_of_one_resource_is_its_node_object() -> None:
    data = json.loads(jsonld([(PROJECT, RDF.type, SEG.Project)]))
    assert data["@id"] == "project:x" and data["@type"] == "seg:Project"
    assert data["@context"] == dict(sorted(PREFIXES.items()))


def _sorted(value: object) -> object:
    if isinstance(value, dict):
        return {key: _sorted(item) for key, item in value.items()}
    if isinstance(value, list):
        return sorted((_sorted(item) for item in value), key=lambda item: json.dumps(item, sort_keys=True))
    return value


@pytest.mark.parametrize(
    ("page", "target"),
    [
        ("project/a", "project/b.html"),
        ("project/a", "organisation/b.html"),
        ("index", "project/b.html"),
        ("project/a", "index.html"),
        ("authority/country/SWE", "region/SE12.html"),
        ("authority/country/SWE", "authority/language/SWE.html"),
        ("queries/projects", "queries/projects.rq"),
        ("a/b", "a"),
    ],
)
def test_relative_links_are_what_relpath_gives(page: str, target: str) -> None:
    assert html.relative(page, target) == posixpath.relpath(target, posixpath.dirname(page) or ".")
