"""The VoID description of the published graph: void.ttl.

Linked-data crawlers and SPARQL federation tools read VoID to learn how big a dataset
is, which classes and properties it uses, where its dumps are and which other
datasets it links to. Every number is counted from the graph in one pass over its
triples (so it stays linear in the size of the data); nothing depends on when it runs.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF
from rdflib.term import Node

from segraph.load import Corpus
from segraph.namespaces import BASE, COUNTRY, LANGUAGE, PREFIXES, SEG, bind_prefixes
from segraph.publish.config import PublishConfig
from segraph.publish.dumps import Dump

VOID = Namespace("http://rdfs.org/ns/void#")


@dataclass(frozen=True)
class Target:
    """A dataset the graph links to: its key in linkset IRIs, its IRI, title and URI space."""

    key: str
    iri: str
    title: str
    uri_space: str


TARGETS = (
    Target("nuts", "http://data.europa.eu/nuts", "NUTS regions (Eurostat)", "http://data.europa.eu/nuts/"),
    Target(
        "country",
        "http://publications.europa.eu/resource/authority/country",
        "Countries and territories (EU Publications Office)",
        str(COUNTRY),
    ),
    Target(
        "language",
        "http://publications.europa.eu/resource/authority/language",
        "Languages (EU Publications Office)",
        str(LANGUAGE),
    ),
)


@dataclass(frozen=True)
class Statistics:
    """What VoID says about a graph, counted in one pass."""

    triples: int
    entities: int
    distinct_subjects: int
    distinct_objects: int
    class_entities: dict[URIRef, int]
    property_triples: dict[URIRef, int]
    vocabularies: list[str]
    links: dict[tuple[Target, URIRef], int]


def statistics(graph: Graph) -> Statistics:
    """Count the graph in one pass.

    ``entities`` are distinct IRI subjects (also per class); links run from segraph's own
    resources (IRIs under segraph's base) into a target's URI space.
    """
    subjects: set[Node] = set()
    objects: set[Node] = set()
    properties: Counter[URIRef] = Counter()
    classes: Counter[URIRef] = Counter()
    links: Counter[tuple[Target, URIRef]] = Counter()
    for s, p, o in graph:
        predicate = URIRef(str(p))
        subjects.add(s)
        objects.add(o)
        properties[predicate] += 1
        if predicate == RDF.type and isinstance(o, URIRef):
            classes[o] += 1 if isinstance(s, URIRef) else 0  # a class of blank nodes only is still a class
        if isinstance(o, URIRef) and isinstance(s, URIRef) and s.startswith(BASE):
            for target in TARGETS:
                if o.startswith(target.uri_space):
                    links[(target, predicate)] += 1
    return Statistics(
        triples=len(graph),
        entities=sum(1 for s in subjects if isinstance(s, URIRef)),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        class_entities=dict(classes),
        property_triples=dict(properties),
        vocabularies=sorted({_namespace(term) for term in (*properties, *classes)}),
        links=dict(links),
    )


def _namespace(iri: str) -> str:
    """The vocabulary an IRI belongs to: everything up to its last ``#`` or ``/``."""
    cut = iri.rfind("#") if "#" in iri else iri.rfind("/")
    return iri[: cut + 1]


def _slug(iri: str) -> str:
    """A short, stable path segment for a term: its prefixed name (``seg-region``), else a hash."""
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda item: -len(item[1])):
        if iri.startswith(namespace) and _SEGMENT.fullmatch(iri[len(namespace) :]):
            return f"{prefix}-{iri[len(namespace) :]}"
    return hashlib.sha256(iri.encode()).hexdigest()[:16]


_SEGMENT = re.compile(r"[A-Za-z0-9_-]+")


def void_graph(corpus: Corpus, dumps: list[Dump], config: PublishConfig) -> Graph:
    """The VoID description of the whole graph, with partitions, linksets and per-document subsets."""
    graph = bind_prefixes(Graph())
    graph.bind("void", VOID)
    dataset = URIRef(config.dataset_iri)
    stats = statistics(corpus.union)
    _describe(graph, dataset, stats, corpus, dumps, config)
    _partitions(graph, dataset, stats)
    _linksets(graph, dataset, stats)
    _subsets(graph, dataset, corpus)
    return graph


def _describe(
    graph: Graph, dataset: URIRef, stats: Statistics, corpus: Corpus, dumps: list[Dump], config: PublishConfig
) -> None:
    """The dataset itself: its counts, vocabularies, dumps, endpoint and an example project."""
    description = URIRef(config.url("void.ttl"))
    graph.add((description, RDF.type, VOID.DatasetDescription))
    graph.add((description, DCTERMS.title, Literal("VoID description of the segraph graph", lang="en")))
    graph.add((description, FOAF.primaryTopic, dataset))
    for predicate, value in (
        (RDF.type, VOID.Dataset),
        (DCTERMS.title, Literal("segraph: European social-economy projects", lang="en")),
        (DCTERMS.license, URIRef(config.licence)),
        (DCTERMS.publisher, URIRef(config.publisher_iri)),
        (FOAF.homepage, URIRef(config.url("index.html"))),
        (VOID.uriSpace, Literal(BASE)),
        (VOID.triples, Literal(stats.triples)),
        (VOID.entities, Literal(stats.entities)),
        (VOID.distinctSubjects, Literal(stats.distinct_subjects)),
        (VOID.distinctObjects, Literal(stats.distinct_objects)),
        (VOID.properties, Literal(len(stats.property_triples))),
        (VOID.classes, Literal(len(stats.class_entities))),
    ):
        graph.add((dataset, predicate, value))
    for vocabulary in stats.vocabularies:
        graph.add((dataset, VOID.vocabulary, URIRef(vocabulary)))
    for dump in dumps:
        if dump.name.startswith("graph."):  # the whole-graph dumps; ontology.ttl and shapes.ttl are parts or extras
            graph.add((dataset, VOID.dataDump, URIRef(config.url(dump.name))))
    if config.sparql_endpoint:
        graph.add((dataset, VOID.sparqlEndpoint, URIRef(config.sparql_endpoint)))
    projects = sorted(s for s in corpus.union.subjects(RDF.type, SEG.Project) if isinstance(s, URIRef))
    if projects:
        graph.add((dataset, VOID.exampleResource, projects[0]))


def _partitions(graph: Graph, dataset: URIRef, stats: Statistics) -> None:
    """One class partition per class (its entities), one property partition per property (its triples)."""
    for cls, entities in stats.class_entities.items():
        partition = URIRef(f"{dataset}/class/{_slug(cls)}")
        graph.add((dataset, VOID.classPartition, partition))
        graph.add((partition, VOID["class"], cls))
        graph.add((partition, VOID.entities, Literal(entities)))
    for prop, triples in stats.property_triples.items():
        partition = URIRef(f"{dataset}/property/{_slug(prop)}")
        graph.add((dataset, VOID.propertyPartition, partition))
        graph.add((partition, VOID.property, prop))
        graph.add((partition, VOID.triples, Literal(triples)))


def _linksets(graph: Graph, dataset: URIRef, stats: Statistics) -> None:
    """One linkset per target dataset and link predicate, and a short description of each target."""
    for (target, predicate), triples in stats.links.items():
        linkset = URIRef(f"{dataset}/linkset/{target.key}/{_slug(predicate)}")
        other = URIRef(target.iri)
        graph.add((dataset, VOID.subset, linkset))
        for p, o in (
            (RDF.type, VOID.Linkset),
            (VOID.subjectsTarget, dataset),
            (VOID.objectsTarget, other),
            (VOID.target, dataset),
            (VOID.target, other),
            (VOID.linkPredicate, predicate),
            (VOID.triples, Literal(triples)),
        ):
            graph.add((linkset, p, o))
        graph.add((other, RDF.type, VOID.Dataset))
        graph.add((other, DCTERMS.title, Literal(target.title, lang="en")))
        graph.add((other, VOID.uriSpace, Literal(target.uri_space)))


def _subsets(graph: Graph, dataset: URIRef, corpus: Corpus) -> None:
    """One subset per source document: the named graph of its data file, with its triple count."""
    for source in corpus.data_files:
        local = source.name[len(BASE) :] if source.name.startswith(BASE) else _slug(source.name)
        subset = URIRef(f"{dataset}/subset/{local}")
        graph.add((dataset, VOID.subset, subset))
        graph.add((subset, RDF.type, VOID.Dataset))
        graph.add((subset, DCTERMS.source, source.name))
        graph.add((subset, VOID.triples, Literal(len(source.graph))))
        for title in source.graph.objects(source.name, DCTERMS.title):
            graph.add((subset, DCTERMS.title, title))


def write_void(corpus: Corpus, dumps: list[Dump], config: PublishConfig, out: Path) -> list[str]:
    """Write void.ttl into ``out``."""
    (out / "void.ttl").write_bytes(void_graph(corpus, dumps, config).serialize(format="turtle", encoding="utf-8"))
    return ["void.ttl"]
