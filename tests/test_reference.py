"""The shipped NUTS, country and language data is exactly what scripts/build_reference.py produces."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS
from script_import import import_script

REPO_ROOT = Path(__file__).resolve().parent.parent
REFERENCE = REPO_ROOT / "data" / "reference"
GENERATED = ("nuts.ttl", "countries.ttl", "languages.ttl")

SEG = Namespace("https://w3id.org/segraph/ontology#")
NUTS = Namespace("http://data.europa.eu/nuts/code/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")
LANGUAGE_SCHEME = URIRef("http://publications.europa.eu/resource/authority/language")


@pytest.fixture(scope="module")
def build_reference() -> ModuleType:
    return import_script(REPO_ROOT / "scripts" / "build_reference.py")


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


@pytest.fixture(scope="module")
def languages() -> Graph:
    return Graph().parse(REFERENCE / "languages.ttl")


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


def test_languages_are_the_iso_639_1_languages(languages: Graph) -> None:
    concepts = set(languages.subjects(SKOS.inScheme, LANGUAGE_SCHEME))
    assert len(concepts) > 150
    assert {LANGUAGE.ENG, LANGUAGE.FRA, LANGUAGE.DEU, LANGUAGE.SPA, LANGUAGE.FIN, LANGUAGE.NLD} <= concepts
    assert (LANGUAGE_SCHEME, RDF.type, SKOS.ConceptScheme) in languages


@pytest.mark.parametrize(
    ("language", "code", "tag", "english", "native"),
    [(LANGUAGE.SWE, "sv", "sv", "Swedish", "Svenska"), (LANGUAGE.SLV, "sl", "sl", "Slovenian", "slovenščina")],
)
def test_language_spot_check(
    languages: Graph, build_reference: ModuleType, language: URIRef, code: str, tag: str, english: str, native: str
) -> None:
    assert {SKOS.Concept, DCTERMS.LinguisticSystem} <= set(languages.objects(language, RDF.type))
    assert languages.value(language, SKOS.notation) == Literal(str(language).rsplit("/", 1)[1])
    assert languages.value(language, SEG.iso6391) == Literal(code)
    assert languages.value(language, SKOS.inScheme) == LANGUAGE_SCHEME
    labels = set(languages.objects(language, SKOS.prefLabel))
    assert Literal(english, lang="en") in labels
    # The name in the language itself, whenever pycountry's catalogue translates it.
    if build_reference.language_catalogue(tag).gettext(english):
        assert Literal(native, lang=tag) in labels


def test_untranslated_language_names_are_not_passed_off(languages: Graph, build_reference: ModuleType) -> None:
    # pycountry's Slovene catalogue has no entry for Luxembourgish: no @sl label rather than the English one.
    if not build_reference.language_catalogue("sl").gettext("Luxembourgish"):
        labels = languages.objects(LANGUAGE.LTZ, SKOS.prefLabel)
        assert "sl" not in {label.language for label in labels if isinstance(label, Literal)}
