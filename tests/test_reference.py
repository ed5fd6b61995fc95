"""The shipped NUTS and country data is exactly what scripts/build_reference.py produces."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE = REPO_ROOT / "data" / "reference"
GENERATED = ("nuts.ttl", "countries.ttl")

SEG = Namespace("https://w3id.org/segraph/ontology#")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")


def load_script() -> ModuleType:
    """Import scripts/build_reference.py, which is not part of the installed package."""
    path = REPO_ROOT / "scripts" / "build_reference.py"
    spec = importlib.util.spec_from_file_location("build_reference", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def build_reference() -> ModuleType:
    return load_script()


@pytest.fixture(scope="module")
def regenerated(build_reference: ModuleType, tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("reference")
    assert build_reference.main(["--out", str(out)]) == 0
    return out


@pytest.fixture(scope="module")
def nuts() -> Graph:
    return Graph().parse(REFERENCE / "nuts.ttl")


@pytest.fixture(scope="module")
def countries() -> Graph:
    return Graph().parse(REFERENCE / "countries.ttl")


@pytest.mark.parametrize("name", GENERATED)
def test_committed_file_is_what_the_script_produces(regenerated: Path, name: str) -> None:
    assert (regenerated / name).read_bytes() == (REFERENCE / name).read_bytes(), (
        f"data/reference/{name} is stale or hand-edited; run: python scripts/build_reference.py"
    )


def test_nuts_covers_the_whole_classification(nuts: Graph) -> None:
    regions = set(nuts.subjects(RDF.type, SKOS.Concept))
    assert len(regions) > 1500
    assert {NUTS.SE, NUTS.SEZZZ} <= regions  # level 0 and extra-regio are included


def test_nuts_region_spot_check(nuts: Graph) -> None:
    region = NUTS.SE124
    assert Literal("Örebro län", lang="sv") in set(nuts.objects(region, SKOS.prefLabel))
    assert nuts.value(region, SEG.nutsLevel).toPython() == 3
    assert nuts.value(region, SKOS.broader) == NUTS.SE12
    assert nuts.value(region, SEG.country) == COUNTRY.SWE
    assert set(nuts.objects(region, SKOS.inScheme)) == {
        URIRef("http://data.europa.eu/nuts/scheme/2021"),
        URIRef("http://data.europa.eu/nuts/scheme/2024"),
    }


def test_nuts_renamed_region_keeps_its_2021_label(nuts: Graph) -> None:
    assert nuts.value(NUTS.HU333, SKOS.prefLabel) == Literal("Csongrád-Csanád", lang="hu")
    assert nuts.value(NUTS.HU333, SKOS.altLabel) == Literal("Csongrád", lang="hu")


def test_countries_have_localised_names(countries: Graph, build_reference: ModuleType) -> None:
    sweden = set(countries.objects(COUNTRY.SWE, SKOS.prefLabel))
    assert {Literal("Sweden", lang="en"), Literal("Sverige", lang="sv")} <= sweden
    assert countries.value(COUNTRY.SWE, SEG.iso3166Alpha2) == Literal("SE")

    slovenia = set(countries.objects(COUNTRY.SVN, SKOS.prefLabel))
    if build_reference.country_catalogue("sl").gettext("Slovenia"):
        assert Literal("Slovenija", lang="sl") in slovenia
    # An untranslated name must not be passed off as Slovene.
    assert Literal("Czechia", lang="sl") not in set(countries.objects(COUNTRY.CZE, SKOS.prefLabel))
