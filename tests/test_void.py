"""VoID: every count matches the graph counted another way (SPARQL on the embedded store)."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF

from segraph.load import Corpus
from segraph.namespaces import SEG
from segraph.publish.config import PublishConfig
from segraph.publish.dumps import Dump, prepare, write_dumps
from segraph.publish.void import VOID, write_void
from segraph.store import EmbeddedStore

CONFIG = PublishConfig()
DATASET = URIRef(CONFIG.dataset_iri)
ENDPOINT = "https://example.org/segraph/sparql"


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> list[Dump]:
    return write_dumps(prepare(shipped_corpus), tmp_path_factory.mktemp("void-dumps"))


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus, dumps: list[Dump]) -> Path:
    out = tmp_path_factory.mktemp("void")
    assert write_void(shipped_corpus, dumps, CONFIG, out) == ["void.ttl"]
    return out


@pytest.fixture(scope="module")
def void(site: Path) -> Graph:
    return Graph().parse(site / "void.ttl", format="turtle")


def _count(store: EmbeddedStore, query: str) -> int:
    [row] = store.select(query).rows()
    return int(row["n"])


def _pairs(store: EmbeddedStore, predicate: str, condition: str = "true") -> int:
    """Distinct (subject, object) pairs linked by ``predicate`` (a seg: name) that meet ``condition``."""
    return _count(
        store,
        f"PREFIX seg: <{SEG}> SELECT (COUNT(*) AS ?n) WHERE {{ SELECT DISTINCT ?s ?o WHERE {{ "
        f"?s {predicate} ?o FILTER({condition}) }} }}",
    )


def _number(void: Graph, subject: URIRef, predicate: URIRef) -> int:
    value = void.value(subject, predicate)
    assert isinstance(value, Literal), (subject, predicate)
    return int(value)


# The store holds one named graph per file; a triple stated in two files is one triple of the graph.
COUNTS = {
    VOID.triples: "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }",
    VOID.entities: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o FILTER isIRI(?s) }",
    VOID.distinctSubjects: "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s ?p ?o }",
    VOID.distinctObjects: "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?s ?p ?o }",
    VOID.properties: "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }",
    VOID.classes: "SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE { ?s a ?c }",
}


@pytest.mark.parametrize("predicate", sorted(COUNTS), ids=lambda p: p.split("#")[1])
def test_dataset_counts(void: Graph, embedded_store: EmbeddedStore, predicate: URIRef) -> None:
    assert _number(void, DATASET, predicate) == _count(embedded_store, COUNTS[predicate])


def test_the_triple_count_is_the_dumps_triple_count(void: Graph, shipped_corpus: Corpus) -> None:
    assert _number(void, DATASET, VOID.triples) == len(shipped_corpus.union)


def test_project_partition_counts_the_projects(void: Graph, embedded_store: EmbeddedStore) -> None:
    [partition] = void.subjects(VOID["class"], SEG.Project)
    assert (DATASET, VOID.classPartition, partition) in void
    projects = _count(embedded_store, f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SEG.Project}> }}")
    assert _number(void, partition, VOID.entities) == projects == 5


def test_property_partitions_add_up_to_the_triples(void: Graph, embedded_store: EmbeddedStore) -> None:
    partitions = list(void.objects(DATASET, VOID.propertyPartition))
    assert len(partitions) == _number(void, DATASET, VOID.properties)
    assert sum(_number(void, p, VOID.triples) for p in partitions) == _number(void, DATASET, VOID.triples)
    [region] = void.subjects(VOID.property, SEG.region)
    assert _number(void, region, VOID.triples) == _pairs(embedded_store, "seg:region")


def test_linksets_count_links_from_segraph_resources(void: Graph, embedded_store: EmbeddedStore) -> None:
    linksets = {void.value(ls, VOID.linkPredicate): ls for ls in void.subjects(RDF.type, VOID.Linkset)}
    region = linksets[SEG.region]
    assert set(void.objects(region, VOID.target)) == {DATASET, URIRef("http://data.europa.eu/nuts")}
    from_segraph = 'STRSTARTS(STR(?s), "https://w3id.org/segraph/")'
    to_nuts = 'STRSTARTS(STR(?o), "http://data.europa.eu/nuts/")'
    assert _number(void, region, VOID.triples) == _pairs(embedded_store, "seg:region", f"{from_segraph} && {to_nuts}")
    country = linksets[SEG.participantCountry]
    authority = URIRef("http://publications.europa.eu/resource/authority/country")
    assert void.value(country, VOID.objectsTarget) == authority
    assert _number(void, country, VOID.triples) == _pairs(embedded_store, "seg:participantCountry")
    assert DCTERMS.language in linksets


def test_one_subset_per_source_document(void: Graph, embedded_store: EmbeddedStore, shipped_corpus: Corpus) -> None:
    per_graph = {
        URIRef(row["g"]): int(row["n"])
        for row in embedded_store.select(
            "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
        ).rows()
    }
    subsets = {
        void.value(s, DCTERMS.source): s
        for s in void.objects(DATASET, VOID.subset)
        if (s, DCTERMS.source, None) in void
    }
    assert set(subsets) == {source.name for source in shipped_corpus.data_files}
    for document, subset in subsets.items():
        assert _number(void, subset, VOID.triples) == per_graph[document]


def test_dumps_vocabularies_and_example(void: Graph, shipped_corpus: Corpus) -> None:
    dumps = set(void.objects(DATASET, VOID.dataDump))
    names = ("graph.ttl", "graph.nt.gz", "graph.jsonld", "graph.rdf", "graph.trig", "graph.nq")
    assert dumps == {URIRef(CONFIG.url(name)) for name in names}  # shapes.ttl is not data of the graph
    vocabularies = set(void.objects(DATASET, VOID.vocabulary))
    assert {URIRef(str(SEG)), URIRef("http://www.w3.org/2004/02/skos/core#")} <= vocabularies
    assert void.value(DATASET, VOID.uriSpace) == Literal("https://w3id.org/segraph/")
    assert (void.value(DATASET, VOID.exampleResource), RDF.type, SEG.Project) in shipped_corpus.union
    assert void.value(DATASET, DCTERMS.license) == URIRef(CONFIG.licence)
    assert void.value(DATASET, VOID.sparqlEndpoint) is None


def test_a_configured_endpoint_is_listed(shipped_corpus: Corpus, dumps: list[Dump], tmp_path: Path) -> None:
    write_void(shipped_corpus, dumps, PublishConfig(sparql_endpoint=ENDPOINT), tmp_path)
    assert Graph().parse(tmp_path / "void.ttl").value(DATASET, VOID.sparqlEndpoint) == URIRef(ENDPOINT)


def test_same_input_same_bytes(site: Path, shipped_corpus: Corpus, dumps: list[Dump], tmp_path: Path) -> None:
    write_void(shipped_corpus, dumps, CONFIG, tmp_path)
    assert (tmp_path / "void.ttl").read_bytes() == (site / "void.ttl").read_bytes()
