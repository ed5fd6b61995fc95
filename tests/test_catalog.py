"""The DCAT-AP catalogue: conforms to the official DCAT-AP 3.0.1 shapes and says what the data says."""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import fields, replace
from datetime import date
from pathlib import Path

import pytest
from pyshacl import validate
from rdflib import Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, DCTERMS, OWL, RDF, SH, XSD

from segraph.errors import UsageError
from segraph.load import Corpus, Role, SourceFile
from segraph.namespaces import COUNTRY, LANGUAGE, PREFIXES
from segraph.publish.catalog import SHA256, SPDX, coverage, write_catalog
from segraph.publish.config import PublishConfig, load_config
from segraph.publish.dumps import Dump, prepare, write_dumps

REPO_ROOT = Path(__file__).resolve().parent.parent
SHAPES_DIR = REPO_ROOT.parent / "shared" / "dcat-ap-3.0.1"
SHAPE_FILES = ("shapes.ttl", "range.ttl", "mdr-vocabularies.shape.ttl", "shapes_recommended.ttl", "deprecateduris.ttl")
ENDPOINT = "https://example.org/segraph/sparql"

# Warnings the catalogue cannot avoid with segraph's data (each named, so a new one shows up):
KNOWN_WARNINGS = {
    # The publisher is not a body of the EU corporate-body table (it is not an EU institution).
    ("dct:publisher", "sh:NodeConstraintComponent", None),
    # The countries of dct:spatial (dct:Location) come without geometry: the reference data has none.
    ("dcat:bbox", "sh:MinCountConstraintComponent", None),
    ("dcat:centroid", "sh:MinCountConstraintComponent", None),
}


def _qname(term: object) -> str | None:
    if term is None:
        return None
    text = str(term)
    namespaces = {**PREFIXES, "spdx": str(SPDX), "sh": str(SH)}
    for prefix, namespace in namespaces.items():
        if text.startswith(namespace):
            return f"{prefix}:{text[len(namespace) :]}"
    return text


@pytest.fixture(scope="module")
def dumps(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> tuple[Path, list[Dump]]:
    out = tmp_path_factory.mktemp("catalog")
    return out, write_dumps(prepare(shipped_corpus), out)


@pytest.fixture(scope="module")
def site(dumps: tuple[Path, list[Dump]], shipped_corpus: Corpus) -> Path:
    out, written = dumps
    assert write_catalog(shipped_corpus, written, PublishConfig(), out) == ["catalog.rdf", "catalog.ttl"]
    return out


@pytest.fixture(scope="module")
def catalogue(site: Path) -> Graph:
    return Graph().parse(site / "catalog.ttl", format="turtle")


@pytest.fixture(scope="module")
def with_endpoint(
    dumps: tuple[Path, list[Dump]], shipped_corpus: Corpus, tmp_path_factory: pytest.TempPathFactory
) -> Graph:
    out = tmp_path_factory.mktemp("catalog-endpoint")
    write_catalog(shipped_corpus, dumps[1], PublishConfig(sparql_endpoint=ENDPOINT), out)
    return Graph().parse(out / "catalog.ttl", format="turtle")


@pytest.fixture(scope="module")
def dcat_ap_shapes() -> Graph:
    """The official shapes, read from ../shared (never copied into the project)."""
    if not SHAPES_DIR.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"{SHAPES_DIR} is missing: CI must validate the catalogue against DCAT-AP 3.0.1")
        pytest.skip(f"{SHAPES_DIR} is missing")
    shapes = Graph()
    for name in SHAPE_FILES:
        shapes.parse(SHAPES_DIR / name, format="turtle")
    return shapes


def _results(catalogue: Graph, shapes: Graph) -> dict[str, set[tuple[str | None, str | None, str | None]]]:
    """Top-level results by severity (nested sh:detail results only explain them).

    As the shapes' README says, no inference and no OWL imports: the catalogue states every class itself.
    """
    _, report, _ = validate(catalogue, shacl_graph=shapes, inference="none", allow_warnings=True)
    found: dict[str, set[tuple[str | None, str | None, str | None]]] = {}
    for result in report.objects(None, SH.result):
        severity = str(report.value(result, SH.resultSeverity)).split("#")[1]
        value = report.value(result, SH.value)
        key = (
            _qname(report.value(result, SH.resultPath)),
            _qname(report.value(result, SH.sourceConstraintComponent)),
            _qname(value) if severity == "Violation" else None,
        )
        found.setdefault(severity, set()).add(key)
    return found


@pytest.mark.parametrize("configured", ["default", "with an endpoint"])
def test_conforms_to_dcat_ap_3(configured: str, catalogue: Graph, with_endpoint: Graph, dcat_ap_shapes: Graph) -> None:
    graph = catalogue if configured == "default" else with_endpoint
    results = _results(graph, dcat_ap_shapes)
    assert results.get("Violation", set()) == set()
    assert results.get("Warning", set()) == KNOWN_WARNINGS
    assert set(results) <= {"Violation", "Warning"}


def test_rdf_xml_holds_the_same_triples(site: Path, catalogue: Graph) -> None:
    assert isomorphic(Graph().parse(site / "catalog.rdf", format="xml"), catalogue)


def test_every_dump_is_a_distribution_with_its_real_size_and_checksum(
    site: Path, dumps: tuple[Path, list[Dump]], catalogue: Graph
) -> None:
    config = PublishConfig()
    dataset = URIRef(config.dataset_iri)
    for dump in dumps[1]:
        data = (site / dump.name).read_bytes()
        [distribution] = catalogue.subjects(DCAT.downloadURL, URIRef(config.url(dump.name)))
        assert (dataset, DCAT.distribution, distribution) in catalogue
        assert catalogue.value(distribution, DCAT.byteSize) == Literal(len(data), datatype=XSD.nonNegativeInteger)
        checksum = catalogue.value(distribution, SPDX.checksum)
        algorithm = catalogue.value(checksum, SPDX.algorithm)
        assert algorithm == SHA256
        assert (algorithm, OWL.sameAs, SPDX.checksumAlgorithm_sha256) in catalogue
        value = catalogue.value(checksum, SPDX.checksumValue)
        assert value == Literal(hashlib.sha256(data).hexdigest(), datatype=XSD.hexBinary)
    gzipped = next(catalogue.subjects(DCAT.downloadURL, URIRef(config.url("graph.nt.gz"))))
    assert catalogue.value(gzipped, DCAT.compressFormat) == URIRef(
        "https://www.iana.org/assignments/media-types/application/gzip"
    )


def test_coverage_comes_from_the_data(catalogue: Graph) -> None:
    dataset = URIRef(PublishConfig().dataset_iri)
    spatial = set(catalogue.objects(dataset, DCTERMS.spatial))
    assert {COUNTRY.SWE, COUNTRY.SVN} <= spatial
    assert COUNTRY.DEU not in spatial  # a NUTS region exists for it, but the data names none
    assert set(catalogue.objects(dataset, DCTERMS.language)) == {LANGUAGE.SWE, LANGUAGE.SLV}
    period = catalogue.value(dataset, DCTERMS.temporal)
    # RaiSE runs from 2017-01-01; RESEES ends 2027-03-30 (the latest project end).
    assert catalogue.value(period, DCAT.startDate) == Literal(date(2017, 1, 1))
    assert catalogue.value(period, DCAT.endDate) == Literal(date(2027, 3, 30))
    # document:orebro-silk was modified 2023-02-15, the newest of the source documents' dates.
    assert catalogue.value(dataset, DCTERMS.modified) == Literal(date(2023, 2, 15))
    assert Literal("social ekonomi", lang="sv") in set(catalogue.objects(dataset, DCAT.keyword))


def test_period_precision_widens_to_whole_years_and_months() -> None:
    graph = Graph().parse(
        data="""
        @prefix seg: <https://w3id.org/segraph/ontology#> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
        @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
        <urn:p1> a seg:Project ; seg:period <urn:t1> .
        <urn:t1> dcat:startDate "2019"^^xsd:gYear ; dcat:endDate "2024-02"^^xsd:gYearMonth .
        <urn:p2> a seg:Project ; seg:period <urn:t2> .
        <urn:t2> dcat:startDate "2019-03-05"^^xsd:date ; dcat:endDate "2023"^^xsd:gYear .
        <urn:event> seg:period <urn:t3> .
        <urn:t3> dcat:startDate "2001"^^xsd:gYear .
        """,
        format="turtle",
    )
    covered = coverage(Corpus([SourceFile(Path("small.ttl"), Role.DATA, graph, URIRef("urn:doc"))]))
    assert (covered.start, covered.end) == (date(2019, 1, 1), date(2024, 2, 29))


def test_a_sparql_endpoint_becomes_a_data_service(with_endpoint: Graph, catalogue: Graph) -> None:
    config = PublishConfig(sparql_endpoint=ENDPOINT)
    [service] = with_endpoint.subjects(RDF.type, DCAT.DataService)
    assert with_endpoint.value(service, DCAT.endpointURL) == URIRef(ENDPOINT)
    assert with_endpoint.value(service, DCAT.servesDataset) == URIRef(config.dataset_iri)
    assert (URIRef(config.catalog_iri), DCAT.service, service) in with_endpoint
    [distribution] = with_endpoint.subjects(DCAT.accessService, service)
    assert (URIRef(config.dataset_iri), DCAT.distribution, distribution) in with_endpoint
    assert not set(catalogue.subjects(RDF.type, DCAT.DataService))


def test_same_input_same_bytes(
    site: Path, dumps: tuple[Path, list[Dump]], shipped_corpus: Corpus, tmp_path: Path
) -> None:
    write_catalog(shipped_corpus, dumps[1], PublishConfig(), tmp_path)
    for name in ("catalog.ttl", "catalog.rdf"):
        assert (tmp_path / name).read_bytes() == (site / name).read_bytes(), name


def test_a_configured_code_without_a_label_is_refused(
    dumps: tuple[Path, list[Dump]], shipped_corpus: Corpus, tmp_path: Path
) -> None:
    cc0 = "http://publications.europa.eu/resource/authority/licence/CC0"
    config = replace(PublishConfig(), licence=cc0)
    with pytest.raises(UsageError, match=cc0):
        write_catalog(shipped_corpus, dumps[1], config, tmp_path)
    write_catalog(
        shipped_corpus, dumps[1], replace(config, labels={cc0: "Creative Commons CC0 1.0 Universal"}), tmp_path
    )
    assert Literal("Creative Commons CC0 1.0 Universal", lang="en") in set(
        Graph().parse(tmp_path / "catalog.ttl").objects(URIRef(cc0), None)
    )


def test_the_example_configuration_names_every_key_and_works(
    dumps: tuple[Path, list[Dump]], shipped_corpus: Corpus, tmp_path: Path
) -> None:
    example = REPO_ROOT / "segraph-publish.example.toml"
    assert set(tomllib.loads(example.read_text(encoding="utf-8"))) == {f.name for f in fields(PublishConfig)}
    write_catalog(shipped_corpus, dumps[1], load_config(example), tmp_path)
    assert (tmp_path / "catalog.ttl").stat().st_size > 0
