"""The ontology page: every class and property of ``ontology/segraph.ttl``, with what the shapes require.

Generated from the files it documents, so the page cannot drift from what segraph validates.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDFS, SKOS, VANN
from rdflib.term import Node

from segraph.publish import html
from segraph.publish.doctext import Field, Linker, best_text, local_name, node_order, render, values
from segraph.publish.shapes_doc import ShapeDoc, shapes_of

# Each kind of term: its OWL type, the id and heading of its part of the page, and one term's kind.
KINDS: tuple[tuple[URIRef, str, str, str], ...] = (
    (OWL.Class, "classes", "Classes", "class"),
    (OWL.ObjectProperty, "object-properties", "Object properties", "object property"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties", "datatype property"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties", "annotation property"),
)

ONTOLOGY_FIELDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Title", (DCTERMS.title, RDFS.label)),
    ("Description", (DCTERMS.description, RDFS.comment)),
    ("Version", (OWL.versionInfo,)),
    ("Version IRI", (OWL.versionIRI,)),
    ("Previous version", (OWL.priorVersion,)),
    ("Licence", (DCTERMS.license, DCTERMS.rights)),
    ("Creators", (DCTERMS.creator,)),
    ("Contributors", (DCTERMS.contributor,)),
    ("Publisher", (DCTERMS.publisher,)),
    ("Issued", (DCTERMS.issued,)),
    ("Modified", (DCTERMS.modified,)),
    ("Namespace", (VANN.preferredNamespaceUri,)),
    ("Preferred prefix", (VANN.preferredNamespacePrefix,)),
    ("Imports", (OWL.imports,)),
    ("See also", (RDFS.seeAlso,)),
)

TERM_FIELDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Labels", (RDFS.label, SKOS.prefLabel)),
    ("Alternative labels", (SKOS.altLabel,)),
    ("Definition", (SKOS.definition,)),
    ("Comment", (RDFS.comment,)),
    ("Example", (SKOS.example,)),
    ("Note", (SKOS.note, SKOS.scopeNote, SKOS.editorialNote)),
    ("Superclasses", (RDFS.subClassOf,)),
    ("Superproperties", (RDFS.subPropertyOf,)),
    ("Equivalent to", (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs)),
    ("Disjoint with", (OWL.disjointWith,)),
    ("Domain", (RDFS.domain,)),
    ("Range", (RDFS.range,)),
    ("Inverse of", (OWL.inverseOf,)),
    ("Exact match", (SKOS.exactMatch,)),
    ("Close match", (SKOS.closeMatch,)),
    ("Broad match", (SKOS.broadMatch,)),
    ("Narrow match", (SKOS.narrowMatch,)),
    ("Related match", (SKOS.relatedMatch,)),
    ("See also", (RDFS.seeAlso,)),
)

# Statements about a term the page shows elsewhere (its kind) or that only repeat the page (isDefinedBy).
_SHOWN_ELSEWHERE = {RDF.type, RDFS.isDefinedBy}


@dataclass(frozen=True)
class TermDoc:
    """One class or property of the ontology, as its section on the ontology page."""

    anchor: str
    iri: str
    curie: str
    label: str
    kind: str
    fields: tuple[Field, ...]
    shapes: tuple[ShapeDoc, ...]


def ontology_page(ontology: Graph, shapes: Graph, site: Linker) -> str:
    header = next(s for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    terms = {kind: _declared(ontology, kind) for kind, _, _, _ in KINDS}
    linker = site.on_page(html.ONTOLOGY_PAGE, anchors=[iri for group in terms.values() for iri in group])
    groups = [
        (anchor, heading, [_term(ontology, shapes, linker, URIRef(iri), name) for iri in terms[kind]])
        for kind, anchor, heading, name in KINDS
    ]
    return render(
        "ontology.html.j2",
        html.ONTOLOGY_PAGE,
        title=best_text(ontology, header, (DCTERMS.title, RDFS.label)) or str(header),
        iri=str(header),
        fields=_fields(ontology, header, ONTOLOGY_FIELDS, linker),
        groups=[group for group in groups if group[2]],
        jsonld=_jsonld(ontology, header, linker),
        alternates=[("ontology.ttl", "text/turtle")],
    )


def _declared(ontology: Graph, kind: URIRef) -> list[str]:
    """The terms of one kind the ontology declares, by local name (then IRI)."""
    iris = {str(s) for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(iris, key=lambda iri: (local_name(iri).lower(), local_name(iri), iri))


def _term(ontology: Graph, shapes: Graph, linker: Linker, term: URIRef, kind: str) -> TermDoc:
    fields = _fields(ontology, term, TERM_FIELDS, linker)
    reverse = [
        ("Subclasses", values(linker, ontology.subjects(RDFS.subClassOf, term))),
        ("Subproperties", values(linker, ontology.subjects(RDFS.subPropertyOf, term))),
        ("Inverse of", values(linker, ontology.subjects(OWL.inverseOf, term))),
        ("Properties with this domain", values(linker, ontology.subjects(RDFS.domain, term))),
        ("Properties with this range", values(linker, ontology.subjects(RDFS.range, term))),
        ("Characteristics", values(linker, _characteristics(ontology, term))),
    ]
    merged = _merge(fields, [Field(name, values) for name, values in reverse if values])
    return TermDoc(
        anchor=local_name(str(term)),
        iri=str(term),
        curie=linker.curie(str(term)),
        label=best_text(ontology, term, (RDFS.label, SKOS.prefLabel)) or local_name(str(term)),
        kind=kind,
        fields=merged,
        shapes=shapes_of(shapes, term, linker),
    )


def _characteristics(ontology: Graph, term: URIRef) -> Iterator[Node]:
    """The term's OWL types beyond its kind: functional, transitive, symmetric, …"""
    kinds = {kind for kind, _, _, _ in KINDS}
    return (t for t in ontology.objects(term, RDF.type) if t not in kinds)


def _merge(fields: list[Field], more: list[Field]) -> tuple[Field, ...]:
    """Fields in order; a computed field with a stated field's name joins its values, without repeats."""
    by_name = {field.name: list(field.values) for field in fields}
    for field in more:
        values = by_name.setdefault(field.name, [])
        values.extend(v for v in field.values if v not in values)
    return tuple(Field(name, tuple(values)) for name, values in by_name.items())


def _fields(
    graph: Graph, subject: URIRef, known: tuple[tuple[str, tuple[URIRef, ...]], ...], linker: Linker
) -> list[Field]:
    """The subject's statements as named fields: the known ones in order, then any other, by CURIE."""
    fields = [
        Field(name, values(linker, (o for p in predicates for o in graph.objects(subject, p))))
        for name, predicates in known
    ]
    covered = {p for _, predicates in known for p in predicates} | _SHOWN_ELSEWHERE
    others = sorted({p for p in graph.predicates(subject) if p not in covered}, key=lambda p: linker.curie(str(p)))
    fields += [Field(linker.curie(str(p)), values(linker, graph.objects(subject, p))) for p in others]
    return [field for field in fields if field.values]


def _jsonld(graph: Graph, subject: URIRef, linker: Linker) -> dict[str, Any]:
    """The ontology header as compact JSON-LD, with a context of the prefixes its keys and types use."""
    node: dict[str, Any] = {"@id": str(subject)}
    used: set[str] = set()
    for predicate in set(graph.predicates(subject)):
        objects = sorted(
            (o for o in set(graph.objects(subject, predicate)) if not isinstance(o, BNode)), key=node_order
        )
        if predicate == RDF.type:
            node["@type"] = [linker.curie(str(o)) for o in objects]
            used.update(str(o) for o in objects)
        else:
            node[linker.curie(str(predicate))] = [_jsonld_value(o) for o in objects]
            used.add(str(predicate))
    context = dict(filter(None, (linker.namespace(iri) for iri in sorted(used))))
    return {"@context": context, **node}


def _jsonld_value(node: Node) -> dict[str, str]:
    if isinstance(node, Literal):
        if node.language:
            return {"@value": str(node), "@language": node.language}
        return {"@value": str(node), "@type": str(node.datatype)} if node.datatype else {"@value": str(node)}
    return {"@id": str(node)}
