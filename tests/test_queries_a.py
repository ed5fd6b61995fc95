"""Saved queries partner-regions, project-durations, active-on, contacts and sources.

Every test that takes ``store`` runs twice: on the embedded graph and on a real
Oxigraph server over HTTP, and checks the actual answers the shipped data gives.
A few tests run the saved query text on a small made-up graph, to check the date
arithmetic and fallbacks on cases the shipped data does not have.
"""

from __future__ import annotations

import calendar
import math
import re
from datetime import date
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from oxigraph_server import OxigraphServer
from rdflib.plugins.sparql import prepareQuery

from segraph.errors import UsageError
from segraph.queries import get_query, with_values
from segraph.results import QueryResult
from segraph.run import run_query
from segraph.store import EmbeddedStore, RemoteStore, Store

REPO_ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = REPO_ROOT / "data" / "reference" / "languages.ttl"

CONTRACTS: dict[str, tuple[list[str], dict[str, tuple[str, bool]]]] = {
    "partner-regions": (
        ["acronym", "organisation", "role", "region", "nuts", "country"],
        {"project": ("acronym", False)},
    ),
    "project-durations": (["acronym", "start", "end", "precision", "days", "months", "extended_end"], {}),
    "active-on": (["acronym", "start", "end"], {"date": ("date", True)}),
    "contacts": (["acronym", "person", "role", "organisation"], {"project": ("acronym", False)}),
    "sources": (
        ["acronym", "document", "title", "publisher", "language", "issued", "modified"],
        {"project": ("acronym", False)},
    ),
}

# Parameters that every query must accept, for the runs that compare engines and columns.
SAMPLE_PARAMS: dict[str, dict[str, Any]] = {
    "partner-regions": {},
    "project-durations": {},
    "active-on": {"date": "2021-06-15"},
    "contacts": {},
    "sources": {},
}


def rows(result: QueryResult) -> list[dict[str, Any]]:
    return result.rows()


def iso6391_in_reference() -> bool:
    """Whether the reference data gives ISO 639-1 codes (data/reference/languages.ttl)."""
    return LANGUAGES.exists() and "seg:iso6391" in LANGUAGES.read_text(encoding="utf-8")


def language_code(iso6391: str, iso6393: str) -> str:
    return iso6391 if iso6391_in_reference() else iso6393


# ---------------------------------------------------------------------------
# Metadata and contract
# ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_header_metadata_is_complete(name: str) -> None:
    saved = get_query(name)
    columns, params = CONTRACTS[name]
    assert saved.summary.strip() and len(saved.summary) > 20
    assert len(saved.description) > 100
    assert saved.tags
    assert list(saved.columns) == columns
    assert {p.name: (p.type, p.required) for p in saved.params} == params
    for parameter in saved.params:
        assert parameter.description.strip(), f"{name}: parameter {parameter.name} has no description"
        assert parameter.default is None
        assert re.search(rf"\?{parameter.variable}\b", saved.text), f"{name} never uses ?{parameter.variable}"
    # The SELECT clause projects exactly the declared columns, in order.
    select = re.search(r"^SELECT (?:DISTINCT )?(.*)$", saved.text, flags=re.MULTILINE)
    assert select is not None
    projected = re.findall(r"\(\s*\?\w+\s+AS\s+(\?\w+)\s*\)|(\?\w+)", select.group(1))
    assert [renamed or plain for renamed, plain in projected] == ["?" + c for c in columns]
    assert re.search(r"^ORDER BY ", saved.text, flags=re.MULTILINE), f"{name} has no ORDER BY"


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_query_is_standard_sparql_with_its_parameters_bound(name: str) -> None:
    """Another engine's parser (rdflib) accepts the query as the runner sends it."""
    saved = get_query(name)
    params = dict(SAMPLE_PARAMS[name])
    if any(p.name == "project" for p in saved.params):
        params["project"] = "raise"
    bound = with_values(saved.text, saved.bind(params))
    if saved.params or "?_lang" in saved.text:
        assert "VALUES" in bound
    prepareQuery(bound)
    # Only vocabulary namespaces: no engine's function library, no SERVICE.
    for iri in re.findall(r"^PREFIX \w*: <([^>]+)>", saved.text, flags=re.MULTILINE):
        assert iri in {
            "http://www.w3.org/ns/dcat#",
            "http://purl.org/dc/terms/",
            "http://www.w3.org/ns/prov#",
            "http://www.w3.org/2000/01/rdf-schema#",
            "http://schema.org/",
            "https://w3id.org/segraph/ontology#",
            "http://www.w3.org/2004/02/skos/core#",
            "http://www.w3.org/2001/XMLSchema#",
        }, f"{name}: unexpected namespace {iri}"
    assert "SERVICE" not in saved.text.upper()


@pytest.mark.parametrize("name", sorted(CONTRACTS))
def test_columns_are_the_contract(store: Store, name: str) -> None:
    result = run_query(name, store=store, **SAMPLE_PARAMS[name])
    assert result.columns == CONTRACTS[name][0]
    assert len(result) > 0


@pytest.mark.parametrize(
    ("name", "params"),
    [
        ("partner-regions", {}),
        ("partner-regions", {"lang": "sv"}),
        ("project-durations", {}),
        ("active-on", {"date": "2021-06-15"}),
        ("active-on", {"date": "2020-06-01"}),
        ("contacts", {}),
        ("contacts", {"lang": "sv"}),
        ("sources", {}),
        ("sources", {"lang": "sv"}),
    ],
)
def test_embedded_and_oxigraph_server_give_identical_answers(
    embedded_store: EmbeddedStore, oxigraph: OxigraphServer, name: str, params: dict[str, Any]
) -> None:
    local = run_query(name, store=embedded_store, **params)
    remote = run_query(name, store=RemoteStore(oxigraph.query_url), **params)
    assert local.columns == remote.columns
    assert local.terms == remote.terms
    assert len(local) > 0


# ---------------------------------------------------------------------------
# partner-regions
# ---------------------------------------------------------------------------

RESEES_PARTNERS = {
    ("Government of Navarre", "lead partner", "Comunidad Foral de Navarra", "ES22", "ES"),
    ("Regional Development Agency Podravje - Maribor", "partner", "Podravska", "SI032", "SI"),
    ("Association of Social Economy Enterprises of Navarre", "partner", "Comunidad Foral de Navarra", "ES22", "ES"),
    ("Nouvelle-Aquitaine Region", "partner", "Nouvelle-Aquitaine", "FRI", "FR"),
    (
        "Regional Chamber of the Social and Solidarity Economy of Nouvelle-Aquitaine",
        "partner",
        "Nouvelle-Aquitaine",
        "FRI",
        "FR",
    ),
    ("Lapland University of Applied Sciences", "partner", "Lappi", "FI1D7", "FI"),
    ("ART-ER", "partner", "Emilia-Romagna", "ITH5", "IT"),
    ("Government of the Region of Murcia", "partner", "Región de Murcia", "ES62", "ES"),
    ("Union of Worker Cooperatives of the Region of Murcia", "partner", "Región de Murcia", "ES62", "ES"),
    ("European Network of Cities and Regions for the Social Economy", "partner", None, None, "BE"),
}


def partner_tuples(result: QueryResult) -> list[tuple[Any, ...]]:
    return [(r["organisation"], r["role"], r["region"], r["nuts"], r["country"]) for r in result]


def test_partner_regions_of_resees(store: Store) -> None:
    result = run_query("partner-regions", store=store, project="RESEES")
    assert result.column("acronym") == ["RESEES"] * 10
    tuples = partner_tuples(result)
    assert len(tuples) == 10
    assert set(tuples) == RESEES_PARTNERS
    assert [r["organisation"] for r in result if r["role"] == "lead partner"] == ["Government of Navarre"]
    assert result.column("role").count("partner") == 9
    assert set(result.column("country")) == {"ES", "SI", "FR", "FI", "IT", "BE"}
    # Ordered by organisation.
    assert result.column("organisation") == sorted(result.column("organisation"), key=str.lower)


@pytest.mark.parametrize("acronym", ["resees", "Resees", "rEsEeS"])
def test_partner_regions_acronym_is_case_insensitive(store: Store, acronym: str) -> None:
    result = run_query("partner-regions", store=store, project=acronym)
    assert set(partner_tuples(result)) == RESEES_PARTNERS
    assert set(result.column("acronym")) == {"RESEES"}


def test_partner_regions_of_an_unknown_project_is_empty(store: Store) -> None:
    result = run_query("partner-regions", store=store, project="NOSUCH")
    assert len(result) == 0
    assert result.columns == CONTRACTS["partner-regions"][0]


def test_partner_regions_of_raise(store: Store) -> None:
    result = run_query("partner-regions", store=store, project="raise")
    assert partner_tuples(result) == [
        ("Catalan Agency for Business Competitiveness", "lead partner", "Cataluña", "ES51", "ES"),
        ("Center for Social Innovation", "advisory partner", None, None, "AT"),
        ("ERVET – Emilia-Romana Economic Development Agency L.t.d.", "partner", "Emilia-Romagna", "ITH5", "IT"),
        ("IFKA Public Benefit Non-Profit Ltd for the Development of the Industry", "partner", None, None, "HU"),
        ("Innovation & Management Centre Limited", "partner", None, None, "IE"),
        ("Partnership for Social Innovation in Örebro County", "stakeholder group", "Örebro län", "SE124", "SE"),
        ("Region Örebro County", "partner", "Örebro län", "SE124", "SE"),
    ]


def test_partner_regions_one_row_per_participation(store: Store) -> None:
    result = run_query("partner-regions", store=store)
    counts: dict[str, int] = {}
    for acronym in result.column("acronym"):
        counts[acronym] = counts.get(acronym, 0) + 1
    # The competence centre has no acronym and is left out.
    assert counts == {"RaiSE": 7, "RESEES": 10, "SE Innovation": 4, "SILK": 2}
    assert ("Diesis Network", "coordinator", None, None, None) in partner_tuples(result)
    assert result.column("acronym") == sorted(result.column("acronym"), key=str.lower)


def test_partner_regions_in_swedish(store: Store) -> None:
    result = run_query("partner-regions", store=store, project="resees", lang="sv")
    by_organisation = {r["organisation"]: r for r in result}
    assert by_organisation["Government of Navarre"]["role"] == "huvudpartner"  # no Swedish name: English
    assert by_organisation["ART-ER"]["role"] == "projektpartner"
    assert "REVES" in by_organisation  # the Swedish label from Region Örebro län's page
    raise_rows = run_query("partner-regions", store=store, project="raise", lang="sv")
    assert ("Region Örebro län", "projektpartner") in [(r["organisation"], r["role"]) for r in raise_rows]
    assert ("Partnerskapet för sociala innovationer i Örebro län", "intressentgrupp") in [
        (r["organisation"], r["role"]) for r in raise_rows
    ]


def test_partner_regions_fall_back_to_english_then_any(store: Store) -> None:
    result = run_query("partner-regions", store=store, project="resees", lang="fi")
    by_nuts = {(r["nuts"], r["role"]): r["organisation"] for r in result}
    # A Finnish name where there is one; else English, not Swedish or Slovene.
    assert by_nuts[("FI1D7", "partner")] == "Lapin ammattikorkeakoulu"
    assert by_nuts[("ES22", "lead partner")] == "Government of Navarre"
    spanish = run_query("partner-regions", store=store, project="resees", lang="es")
    assert ("Gobierno de Navarra", "lead partner") in [(r["organisation"], r["role"]) for r in spanish]


# ---------------------------------------------------------------------------
# project-durations
# ---------------------------------------------------------------------------

DURATIONS = [
    {
        "acronym": "RaiSE",
        "start": "2017-01-01",
        "end": "2021-06-30",
        "precision": "day",
        "days": 1642,
        "months": 54,
        "extended_end": "2022-08",
    },
    {
        "acronym": "RESEES",
        "start": "2024-04-01",
        "end": "2027-03-30",
        "precision": "day",
        "days": 1094,
        "months": 36,
        "extended_end": None,
    },
    {
        "acronym": "SE Innovation",
        "start": "2019",
        "end": "2020",
        "precision": "year",
        "days": 731,
        "months": 24,
        "extended_end": None,
    },
    {
        "acronym": "SILK",
        "start": "2021-05",
        "end": "2021-12",
        "precision": "month",
        "days": 245,
        "months": 8,
        "extended_end": None,
    },
]


def test_project_durations(store: Store) -> None:
    result = run_query("project-durations", store=store)
    assert result.rows() == DURATIONS


def test_project_durations_are_integers_and_dates_keep_their_datatype(store: Store) -> None:
    result = run_query("project-durations", store=store)
    xsd = "http://www.w3.org/2001/XMLSchema#"
    columns = result.columns
    for row in result.terms:
        cell = dict(zip(columns, row, strict=True))
        assert cell["days"].datatype.value == xsd + "integer"  # type: ignore[union-attr]
        assert cell["months"].datatype.value == xsd + "integer"  # type: ignore[union-attr]
    silk = dict(zip(columns, result.terms[3], strict=True))
    assert silk["start"].datatype.value == xsd + "gYearMonth"  # type: ignore[union-attr]
    raise_ = dict(zip(columns, result.terms[0], strict=True))
    assert raise_["end"].datatype.value == xsd + "date"  # type: ignore[union-attr]
    assert raise_["extended_end"].datatype.value == xsd + "gYearMonth"  # type: ignore[union-attr]


# ---- the arithmetic on periods the shipped data does not have --------------------------


def run_on(turtle: str, name: str, **params: str) -> QueryResult:
    """Run a saved query, as the runner sends it, on a made-up graph in a fresh Oxigraph store."""
    store = ox.Store()
    store.load(turtle.encode("utf-8"), format=ox.RdfFormat.TURTLE)
    saved = get_query(name)
    solutions = store.query(with_values(saved.text, saved.bind(params)))
    assert isinstance(solutions, ox.QuerySolutions)
    serialized = solutions.serialize(format=ox.QueryResultsFormat.JSON)
    assert serialized is not None
    return QueryResult.from_json(serialized)


PREFIXES = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix seg: <https://w3id.org/segraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix ex: <https://example.org/> .
"""

DATATYPE = {4: "gYear", 7: "gYearMonth", 10: "date"}

PERIODS = [
    ("2017-01-01", "2021-06-30"),
    ("2024-04-01", "2027-03-30"),
    ("2021-01-15", "2021-07-14"),
    ("2020-02-01", "2020-02-29"),
    ("2024-02-29", "2024-03-01"),
    ("2023-12-31", "2024-01-01"),
    ("2021-03-10", "2021-03-10"),
    ("2021-05", "2021-12"),
    ("2019-02", "2019-02"),
    ("2020-02", "2020-02"),
    ("1900-02", "1900-02"),
    ("2000-02", "2000-02"),
    ("1999-11", "2000-02"),
    ("2019", "2020"),
    ("1900", "1900"),
    ("2000", "2000"),
    ("2100", "2101"),
    ("2017-01", "2021-06-30"),
    ("2017-01-01", "2021-06"),
    ("2017", "2021-06-30"),
    ("2017-03-15", "2018"),
]


def expected_duration(start: str, end: str) -> tuple[str, int, int]:
    """precision, days and months of a stated period, computed with Python's calendar."""

    def first_day(text: str) -> date:
        parts = [int(p) for p in text.split("-")]
        return date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)

    def last_day(text: str) -> date:
        parts = [int(p) for p in text.split("-")]
        year, month = parts[0], parts[1] if len(parts) > 1 else 12
        return date(year, month, parts[2] if len(parts) > 2 else calendar.monthrange(year, month)[1])

    shortest = min(len(start), len(end))
    precision = {10: "day", 7: "month", 4: "year"}[shortest]
    first, last = first_day(start), last_day(end)
    span = (last.year * 12 + last.month) - (first.year * 12 + first.month)
    # Rounded half up, as SPARQL's ROUND does.
    months = math.floor(span + (last.day - (first.day - 1)) / 30.44 + 0.5) if precision == "day" else span + 1
    return precision, (last - first).days + 1, months


def test_expected_duration_reference_itself() -> None:
    assert expected_duration("2017-01-01", "2021-06-30") == ("day", 1642, 54)
    assert expected_duration("2021-05", "2021-12") == ("month", 245, 8)
    assert expected_duration("2019", "2020") == ("year", 731, 24)


def test_duration_arithmetic_on_leap_years_and_month_ends() -> None:
    turtle = PREFIXES + "".join(
        f"""
ex:p{i} a seg:Project ; seg:acronym "P{i:02d}" ; seg:period ex:period{i} .
ex:period{i} dcat:startDate "{s}"^^xsd:{DATATYPE[len(s)]} ; dcat:endDate "{e}"^^xsd:{DATATYPE[len(e)]} .
"""
        for i, (s, e) in enumerate(PERIODS)
    )
    result = run_on(turtle, "project-durations")
    assert len(result) == len(PERIODS)
    for i, ((start, end), row) in enumerate(zip(PERIODS, result, strict=True)):
        assert row["acronym"] == f"P{i:02d}"
        assert (row["start"], row["end"]) == (start, end)
        assert (row["precision"], row["days"], row["months"]) == expected_duration(start, end), (start, end)
        assert row["extended_end"] is None


def test_duration_of_a_period_without_end_is_unbound() -> None:
    turtle = (
        PREFIXES
        + """
ex:p a seg:Project ; seg:acronym "OPEN" ; seg:period ex:period .
ex:period dcat:startDate "2014"^^xsd:gYear .
ex:q a seg:Project ; seg:period ex:qperiod .
ex:qperiod dcat:startDate "2014"^^xsd:gYear ; dcat:endDate "2015"^^xsd:gYear .
"""
    )
    assert run_on(turtle, "project-durations").rows() == [
        {
            "acronym": "OPEN",
            "start": "2014",
            "end": None,
            "precision": "year",
            "days": None,
            "months": None,
            "extended_end": None,
        }
    ]


# ---------------------------------------------------------------------------
# active-on
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "acronyms"),
    [
        ("2021-06-15", ["RaiSE", "SILK"]),
        ("2022-03-01", ["RaiSE"]),  # only thanks to the extension
        ("2020-06-01", ["RaiSE", "SE Innovation"]),
        ("2025-01-01", ["RESEES"]),
        # Bounds compared at their own precision, both ends included.
        ("2016-12-31", []),
        ("2017-01-01", ["RaiSE"]),
        ("2018-12-31", ["RaiSE"]),
        ("2019-01-01", ["RaiSE", "SE Innovation"]),
        ("2020-12-31", ["RaiSE", "SE Innovation"]),
        ("2021-01-01", ["RaiSE"]),
        ("2021-04-30", ["RaiSE"]),
        ("2021-05-01", ["RaiSE", "SILK"]),
        ("2021-12-31", ["RaiSE", "SILK"]),
        ("2021-07-01", ["SILK"]),  # RaiSE ended 2021-06-30; its extension starts in September
        ("2021-08-31", ["SILK"]),
        ("2021-09-01", ["RaiSE", "SILK"]),
        ("2022-01-01", ["RaiSE"]),
        ("2022-08-31", ["RaiSE"]),
        ("2022-09-01", []),
        ("2024-03-31", []),
        ("2024-04-01", ["RESEES"]),
        ("2027-03-30", ["RESEES"]),
        ("2027-03-31", []),
    ],
)
def test_active_on(store: Store, day: str, acronyms: list[str]) -> None:
    result = run_query("active-on", store=store, date=day)
    assert result.column("acronym") == acronyms


def test_active_on_returns_the_stated_dates(store: Store) -> None:
    result = run_query("active-on", store=store, date="2021-06-15")
    assert result.rows() == [
        {"acronym": "RaiSE", "start": "2017-01-01", "end": "2021-06-30"},
        {"acronym": "SILK", "start": "2021-05", "end": "2021-12"},
    ]


def test_active_on_needs_a_valid_date(store: Store) -> None:
    with pytest.raises(UsageError, match="needs parameter date"):
        run_query("active-on", store=store)
    with pytest.raises(UsageError, match="not a date"):
        run_query("active-on", store=store, date="2021-13-01")


def test_active_on_open_periods() -> None:
    turtle = (
        PREFIXES
        + """
ex:open a seg:Project ; seg:acronym "OPEN" ; seg:period ex:openPeriod .
ex:openPeriod dcat:startDate "2014"^^xsd:gYear .
ex:closed a seg:Project ; seg:acronym "CLOSED" ; seg:period ex:closedPeriod .
ex:closedPeriod dcat:startDate "2014-03"^^xsd:gYearMonth ; dcat:endDate "2014-03-31"^^xsd:date ;
    seg:extension ex:ext1 , ex:ext2 .
ex:ext1 dcat:startDate "2014-04"^^xsd:gYearMonth ; dcat:endDate "2014-06"^^xsd:gYearMonth .
ex:ext2 dcat:startDate "2014-07"^^xsd:gYearMonth ; dcat:endDate "2014-09"^^xsd:gYearMonth .
"""
    )
    assert run_on(turtle, "active-on", date="2013-12-31").column("acronym") == []
    assert run_on(turtle, "active-on", date="2014-02-28").column("acronym") == ["OPEN"]
    assert run_on(turtle, "active-on", date="2014-03-01").column("acronym") == ["CLOSED", "OPEN"]
    # The latest extension counts.
    assert run_on(turtle, "active-on", date="2014-09-30").column("acronym") == ["CLOSED", "OPEN"]
    assert run_on(turtle, "active-on", date="2014-10-01").column("acronym") == ["OPEN"]
    assert run_on(turtle, "active-on", date="2099-01-01").rows() == [{"acronym": "OPEN", "start": "2014", "end": None}]


# ---------------------------------------------------------------------------
# contacts
# ---------------------------------------------------------------------------

ANDERS_BRO_TITLES_EN = {"development manager, social economy", "development manager, Regional Development"}
ANDERS_BRO_TITLES_SV = {"Utvecklingsledare: Social ekonomi", "utvecklingsledare inom Regional utveckling"}


def test_contacts_of_all_projects(store: Store) -> None:
    result = run_query("contacts", store=store)
    assert [(r["acronym"], r["person"]) for r in result] == [
        ("RaiSE", "Anders Bro"),
        ("RaiSE", "Mona Hedfeldt"),
        ("SE Innovation", "Cecilia Hunnershage-Sandgren"),
        ("SE Innovation", "Margareta Wandel"),
        ("SILK", "Anders Bro"),
    ]


def test_contacts_of_se_innovation_are_its_project_leaders(store: Store) -> None:
    result = run_query("contacts", store=store, project="se innovation")
    assert result.rows() == [
        {
            "acronym": "SE Innovation",
            "person": "Cecilia Hunnershage-Sandgren",
            "role": "strategist, business development",
            "organisation": "Region Östergötland",
        },
        {
            "acronym": "SE Innovation",
            "person": "Margareta Wandel",
            "role": "strategist, social economy",
            "organisation": "Region Östergötland",
        },
    ]


def test_contacts_of_silk_is_the_representative(store: Store) -> None:
    result = run_query("contacts", store=store, project="SILK")
    assert len(result) == 1
    row = result.rows()[0]
    assert (row["acronym"], row["person"]) == ("SILK", "Anders Bro")
    # He works for Region Örebro län and its Regional Development unit; the participant comes first.
    assert row["organisation"] == "Region Örebro County"
    assert row["role"] in ANDERS_BRO_TITLES_EN


def test_contacts_of_raise(store: Store) -> None:
    result = run_query("contacts", store=store, project="raise")
    rows_ = result.rows()
    assert [r["person"] for r in rows_] == ["Anders Bro", "Mona Hedfeldt"]
    assert rows_[1] == {
        "acronym": "RaiSE",
        "person": "Mona Hedfeldt",
        "role": "development manager, civil society",
        "organisation": "Region Örebro County",
    }
    assert rows_[0]["role"] in ANDERS_BRO_TITLES_EN
    assert rows_[0]["organisation"] == "Region Örebro County"


def test_contacts_choose_one_job_title_deterministically(store: Store) -> None:
    first = run_query("contacts", store=store)
    second = run_query("contacts", store=store)
    assert first.terms == second.terms
    anders = {r["role"] for r in first if r["person"] == "Anders Bro"}
    assert len(anders) == 1  # the same title for both of his projects
    # One row per (project, person), however many ways the person is linked.
    keys = [(r["acronym"], r["person"]) for r in first]
    assert len(keys) == len(set(keys))


def test_contacts_in_swedish(store: Store) -> None:
    result = run_query("contacts", store=store, project="RAISE", lang="sv")
    by_person = {r["person"]: r for r in result}
    assert by_person["Mona Hedfeldt"]["role"] == "Utvecklingsledare: Civilsamhälle"
    assert by_person["Mona Hedfeldt"]["organisation"] == "Region Örebro län"
    assert by_person["Anders Bro"]["role"] in ANDERS_BRO_TITLES_SV
    assert by_person["Anders Bro"]["organisation"] == "Region Örebro län"


@pytest.mark.parametrize("acronym", ["NOSUCH", "resees"])
def test_contacts_of_a_project_without_contacts_is_empty(store: Store, acronym: str) -> None:
    assert len(run_query("contacts", store=store, project=acronym)) == 0


def test_contacts_matches_both_properties_and_deduplicates() -> None:
    turtle = (
        PREFIXES
        + """
@prefix schema: <http://schema.org/> .
ex:p a seg:Project ; seg:acronym "P" ;
    seg:contactPerson ex:leader , ex:contact ; seg:projectLeader ex:leader , ex:onlyLeader .
ex:part seg:project ex:p ; seg:organisation ex:org ; seg:representative ex:leader , ex:rep .
ex:leader schema:name "A Leader" .
ex:contact schema:name "B Contact" .
ex:onlyLeader schema:name "C Only Leader" .
ex:rep schema:name "D Representative" .
"""
    )
    assert run_on(turtle, "contacts").column("person") == ["A Leader", "B Contact", "C Only Leader", "D Representative"]


def test_contacts_prefer_an_employer_taking_part_in_the_project() -> None:
    turtle = (
        PREFIXES
        + """
@prefix schema: <http://schema.org/> .
ex:p1 a seg:Project ; seg:acronym "P1" ; seg:contactPerson ex:person .
ex:p2 a seg:Project ; seg:acronym "P2" ; seg:contactPerson ex:person .
ex:p3 a seg:Project ; seg:acronym "P3" ; seg:contactPerson ex:person .
ex:part1 seg:project ex:p1 ; seg:organisation ex:zeta .
ex:part2 seg:project ex:p2 ; seg:organisation ex:alpha .
ex:person schema:name "Person" ; schema:worksFor ex:alpha , ex:zeta ;
    schema:jobTitle "b title"@en , "a title"@en , "titel"@sv , "otsikko"@fi .
ex:alpha rdfs:label "Alpha"@en , "Alfa"@sv .
ex:zeta rdfs:label "Zeta"@en .
"""
    )
    result = run_on(turtle, "contacts")
    assert [(r["acronym"], r["role"], r["organisation"]) for r in result] == [
        ("P1", "a title", "Zeta"),  # the participant, though not first in IRI order
        ("P2", "a title", "Alpha"),
        ("P3", "a title", "Alpha"),  # no participant: the first in IRI order
    ]
    swedish = run_on(turtle, "contacts", lang="sv")
    assert [(r["role"], r["organisation"]) for r in swedish] == [
        ("titel", "Zeta"),
        ("titel", "Alfa"),
        ("titel", "Alfa"),
    ]
    # No Slovene: English, the first in order.
    assert set(run_on(turtle, "contacts", lang="sl").column("role")) == {"a title"}


# ---------------------------------------------------------------------------
# sources
# ---------------------------------------------------------------------------

DOCUMENT = "https://w3id.org/segraph/document/"


def test_sources_of_all_projects(store: Store) -> None:
    swedish, slovene = language_code("sv", "swe"), language_code("sl", "slv")
    assert run_query("sources", store=store).rows() == [
        {
            "acronym": "RaiSE",
            "document": DOCUMENT + "orebro-raise",
            "title": "RaiSE - Stärk sociala företags konkurrenskraft",
            "publisher": "Region Örebro County",
            "language": swedish,
            "issued": None,
            "modified": "2021-10-05",
        },
        {
            "acronym": "RESEES",
            "document": DOCUMENT + "resees",
            "title": "RESEES - Krepitev regionalnih ekosistemov socialne ekonomije in zmogljivosti "
            "zainteresiranih strani",
            "publisher": None,
            "language": slovene,
            "issued": None,
            "modified": None,
        },
        {
            "acronym": "SE Innovation",
            "document": DOCUMENT + "ostergotland-se-innovation",
            "title": "SE Innovation",
            "publisher": "Region Östergötland",
            "language": swedish,
            "issued": None,
            "modified": None,
        },
        {
            "acronym": "SILK",
            "document": DOCUMENT + "orebro-silk",
            "title": "Region Örebro län ingår i globalt projekt för internationalisering av social ekonomi",
            "publisher": "Region Örebro County",
            "language": swedish,
            "issued": "2021-05-31T14:40:00+02:00",
            "modified": "2023-02-15",
        },
    ]


def test_sources_document_is_an_iri_and_dates_keep_their_datatype(store: Store) -> None:
    result = run_query("sources", store=store, project="silk")
    cell = dict(zip(result.columns, result.terms[0], strict=True))
    assert isinstance(cell["document"], ox.NamedNode)
    assert cell["issued"].datatype.value == "http://www.w3.org/2001/XMLSchema#dateTime"  # type: ignore[union-attr]
    assert cell["modified"].datatype.value == "http://www.w3.org/2001/XMLSchema#date"  # type: ignore[union-attr]


@pytest.mark.parametrize("acronym", ["raise", "RAISE", "RaiSE"])
def test_sources_acronym_is_case_insensitive(store: Store, acronym: str) -> None:
    result = run_query("sources", store=store, project=acronym)
    assert result.column("document") == [DOCUMENT + "orebro-raise"]
    assert result.column("modified") == ["2021-10-05"]


def test_sources_of_an_unknown_project_is_empty(store: Store) -> None:
    assert len(run_query("sources", store=store, project="NOSUCH")) == 0


def test_sources_in_swedish(store: Store) -> None:
    result = run_query("sources", store=store, lang="sv")
    assert dict(zip(result.column("acronym"), result.column("publisher"), strict=True)) == {
        "RaiSE": "Region Örebro län",
        "RESEES": None,
        "SE Innovation": "Region Östergötland",
        "SILK": "Region Örebro län",
    }


def test_sources_language_falls_back_to_the_lower_cased_code() -> None:
    turtle = (
        PREFIXES
        + """
@prefix language: <http://publications.europa.eu/resource/authority/language/> .
ex:p a seg:Project ; seg:acronym "P" ; prov:wasDerivedFrom ex:d1 , ex:d2 .
ex:d1 dct:title "Without ISO 639-1"@en ; dct:language language:SWE .
ex:d2 dct:title "With ISO 639-1"@en ; dct:language language:SLV .
language:SLV seg:iso6391 "sl" .
"""
    )
    result = run_on(turtle, "sources")
    assert [(r["document"], r["language"]) for r in result] == [
        ("https://example.org/d1", "swe"),
        ("https://example.org/d2", "sl"),
    ]


def test_sources_labels_are_ranked_by_language_then_text() -> None:
    turtle = (
        PREFIXES
        + """
ex:p a seg:Project ; seg:acronym "P" ; prov:wasDerivedFrom ex:d .
ex:d dct:title "Titel"@sv , "B title"@en , "A title"@en , "Otsikko"@fi ; dct:publisher ex:pub .
ex:pub rdfs:label "Z publisher"@en , "Y publisher"@en , "Utgivare"@sv .
"""
    )
    english = run_on(turtle, "sources").rows()[0]
    assert (english["title"], english["publisher"], english["language"]) == ("A title", "Y publisher", None)
    swedish = run_on(turtle, "sources", lang="sv").rows()[0]
    assert (swedish["title"], swedish["publisher"]) == ("Titel", "Utgivare")
    finnish = run_on(turtle, "sources", lang="fi").rows()[0]
    assert (finnish["title"], finnish["publisher"]) == ("Otsikko", "Y publisher")
