"""Saved queries funding, policy-links, shared-organisations, connections and memberships.

Every test that takes ``store`` runs twice: on the embedded graph and on a real Oxigraph
server over HTTP; both must give the same answers. The expected rows are the facts of the
shipped data (data/*.ttl and data/reference/*.ttl), checked by hand against the documents.
GROUP_CONCAT lists have no defined order in SPARQL, so they are compared as sets.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from segraph import paths
from segraph.load import load_corpus
from segraph.queries import get_query
from segraph.results import QueryResult
from segraph.run import run_query
from segraph.store import EmbeddedStore, Store

COLUMNS = {
    "funding": ["programme", "funder", "acronym", "amount", "currency"],
    "policy-links": ["acronym", "policy", "relation"],
    "shared-organisations": ["organisation", "projects", "count"],
    "connections": ["acronym_a", "acronym_b", "via", "kind"],
    "memberships": ["organisation", "body", "relation", "since"],
}
PARAMS = {
    "funding": {"programme": "string"},
    "policy-links": {"project": "acronym", "policy": "string"},
    "shared-organisations": {},
    "connections": {"project": "acronym"},
    "memberships": {"organisation": "name"},
}

COMPETENCE_CENTRE = "common European competence centre within the Thematic Platform for the Social Economy"
COMPETENCE_CENTRE_SV = "gemensamt europeiskt kompetenscentrum inom Tematisk plattform för social ekonomi"
SE_INITIATIVE = "Swedish Government initiative for social enterprises 2018–2020"
SE_INITIATIVE_SV = "regeringens nationella satsning på sociala företag 2018–2020"
AGENDA_2030 = "2030 Agenda for Sustainable Development"
OREBRO_STRATEGY = "Regional development strategy of Örebro County"
# organisation:reves has two English rdfs:labels (one from each document that names it);
# the label idiom takes the first in code-point order.
REVES_EN = "European Network of Cities and Regions for the Social Economy"


def rows(result: QueryResult) -> list[tuple[Any, ...]]:
    return [tuple(row.values()) for row in result]


def run(name: str, store: Store, **params: Any) -> QueryResult:
    result = run_query(name, store=store, **params)
    assert result.columns == COLUMNS[name]
    return result


#################################################################
# Headers
#################################################################


def raw_header(name: str) -> dict[str, Any]:
    text = get_query(name).text
    lines = [m.group(1) for m in map(re.compile(r"^#\+ ?(.*)$").match, text.splitlines()) if m]
    header = yaml.safe_load("\n".join(lines))
    assert isinstance(header, dict)
    return header


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_header_metadata_is_complete(name: str) -> None:
    saved = get_query(name)
    assert saved.name == name
    assert len(saved.summary.strip()) > 20
    assert len(saved.description) > 100
    assert saved.tags and all(isinstance(tag, str) and tag for tag in saved.tags)
    assert list(saved.columns) == COLUMNS[name]
    assert {p.name: p.type for p in saved.params} == PARAMS[name]
    header = raw_header(name)
    assert set(header) >= {"summary", "description", "tags", "columns"}
    for parameter_name, spec in (header.get("params") or {}).items():
        assert set(spec) == {"type", "required", "default", "description"}, parameter_name
    for parameter in saved.params:
        assert parameter.required is False
        assert parameter.default is None
        assert len(parameter.description) > 20
        assert f"?_{parameter.name}" in saved.text
    assert "\nORDER BY " in saved.text


#################################################################
# funding
#################################################################

FUNDING = [
    (None, "OECD", "SILK", None, None),
    ("Interreg Europe", None, "RaiSE", None, None),
    ("Interreg Europe", None, "RESEES", Decimal("1885230.00"), "EUR"),
    (SE_INITIATIVE, "Government of Sweden", "SE Innovation", None, None),
]


def test_funding_rows(store: Store) -> None:
    result = run("funding", store)
    assert rows(result) == FUNDING
    amount = result.column("amount")[2]
    assert isinstance(amount, Decimal) and amount == Decimal("1885230.00")
    # The competence centre has neither programme nor funder; the programme's own budget
    # (SEK 150 million) is not SE Innovation's amount.
    assert COMPETENCE_CENTRE not in result.column("acronym")
    assert "SEK" not in result.column("currency")


@pytest.mark.parametrize(
    "programme", ["interreg-europe", "Interreg Europe", "INTERREG EUROPE", "interreg europe", "Interreg-Europe"]
)
def test_funding_programme_by_label_or_iri_segment_any_case(store: Store, programme: str) -> None:
    result = run("funding", store, programme=programme)
    assert rows(result) == FUNDING[1:3]


@pytest.mark.parametrize(
    "programme",
    [
        "se-social-enterprise-initiative",
        SE_INITIATIVE.upper(),
        "Regeringens nationella satsning på sociala företag 2018–2020",
    ],
)
def test_funding_programme_matches_any_language(store: Store, programme: str) -> None:
    assert rows(run("funding", store, programme=programme)) == [FUNDING[3]]


@pytest.mark.parametrize("programme", ["nope", "interreg", "horizon-europe", "OECD", "Interreg Europ", ""])
def test_funding_unknown_or_other_programme_gives_no_rows(store: Store, programme: str) -> None:
    # interreg is the broader programme: no subsumption; horizon-europe funds no project here;
    # OECD is a funder, not a programme.
    assert rows(run("funding", store, programme=programme)) == []


def test_funding_labels_in_swedish(store: Store) -> None:
    result = run("funding", store, lang="sv")
    assert rows(result) == [
        (None, "OECD", "SILK", None, None),
        ("Interreg Europe", None, "RaiSE", None, None),
        ("Interreg Europe", None, "RESEES", Decimal("1885230.00"), "EUR"),
        (SE_INITIATIVE_SV, "Regeringen", "SE Innovation", None, None),
    ]


def test_funding_language_without_labels_falls_back_to_english(store: Store) -> None:
    assert rows(run("funding", store, lang="de")) == FUNDING


#################################################################
# policy-links
#################################################################

POLICY_LINKS = [
    ("RaiSE", "regional policies for work-integration social enterprises", "aims to improve"),
    ("RaiSE", OREBRO_STRATEGY, "based on"),
    ("RESEES", "regional development policies for social-economy ecosystems", "aims to improve"),
    ("RESEES", "European Skills Agenda", "aligned with"),
    ("RESEES", "European Social Economy Action Plan", "aligned with"),
    ("RESEES", "Research and innovation strategies for smart specialisation (RIS3)", "based on"),
    ("SE Innovation", AGENDA_2030, "contributes to"),
    ("SE Innovation", "Agreement with the ideas-based sector", "includes work on"),
    ("SILK", OREBRO_STRATEGY, "aligned with"),
    ("SILK", AGENDA_2030, "contributes to"),
]


def test_policy_links_rows(store: Store) -> None:
    # Only projects: the Swedish initiative (a programme) also contributes to Agenda 2030.
    assert rows(run("policy-links", store)) == POLICY_LINKS


@pytest.mark.parametrize("project", ["raise", "RAISE", "RaiSE"])
def test_policy_links_for_one_project_any_case(store: Store, project: str) -> None:
    assert rows(run("policy-links", store, project=project)) == POLICY_LINKS[:2]


@pytest.mark.parametrize(
    "policy", ["agenda-2030", "AGENDA-2030", "Agenda 2030", AGENDA_2030.lower(), "agenda 2030 för hållbar utveckling"]
)
def test_policy_links_for_one_policy(store: Store, policy: str) -> None:
    assert rows(run("policy-links", store, policy=policy)) == [
        ("SE Innovation", AGENDA_2030, "contributes to"),
        ("SILK", AGENDA_2030, "contributes to"),
    ]


def test_policy_links_policy_by_slovenian_label_and_both_parameters(store: Store) -> None:
    assert rows(run("policy-links", store, policy="evropska agenda spretnosti")) == [
        ("RESEES", "European Skills Agenda", "aligned with")
    ]
    assert rows(run("policy-links", store, project="silk", policy="orebro-regional-development-strategy")) == [
        ("SILK", OREBRO_STRATEGY, "aligned with")
    ]
    assert rows(run("policy-links", store, project="resees", policy="agenda-2030")) == []


@pytest.mark.parametrize("params", [{"project": "nope"}, {"policy": "nope"}, {"policy": "agenda"}, {"project": ""}])
def test_policy_links_unknown_values_give_no_rows(store: Store, params: dict[str, str]) -> None:
    assert rows(run("policy-links", store, **params)) == []


def test_policy_links_in_swedish(store: Store) -> None:
    assert rows(run("policy-links", store, project="silk", lang="sv")) == [
        ("SILK", "Agenda 2030 för hållbar utveckling", "bidrar till"),
        ("SILK", "Regional utvecklingsstrategi för Örebro län", "i linje med"),
    ]


#################################################################
# shared-organisations
#################################################################


def test_shared_organisations(store: Store) -> None:
    result = run("shared-organisations", store)
    # Only Region Örebro län takes part in more than one project; the others take part in one
    # (REVES, a RESEES partner, is only a member-of body for Region Örebro län).
    assert len(result) == 1
    (row,) = result.rows()
    assert row["organisation"] == "Region Örebro County"
    assert row["count"] == 3 and isinstance(row["count"], int)
    assert row["projects"].split(", ") and set(row["projects"].split(", ")) == {"SILK", "RaiSE", COMPETENCE_CENTRE}
    assert len(row["projects"].split(", ")) == 3


def test_shared_organisations_in_swedish(store: Store) -> None:
    (row,) = run("shared-organisations", store, lang="sv").rows()
    assert row["organisation"] == "Region Örebro län"
    assert set(row["projects"].split(", ")) == {"SILK", "RaiSE", COMPETENCE_CENTRE_SV}
    assert row["count"] == 3


#################################################################
# connections
#################################################################

CONNECTIONS = {
    ("RaiSE", COMPETENCE_CENTRE, "Region Örebro County", "organisation"),
    ("RaiSE", COMPETENCE_CENTRE, "Örebro län", "region"),
    ("RaiSE", "SILK", "Region Örebro County", "organisation"),
    ("RaiSE", "SILK", "Anders Bro", "person"),
    ("RaiSE", "SILK", OREBRO_STRATEGY, "policy"),
    ("RaiSE", "SILK", "Örebro län", "region"),
    ("RESEES", COMPETENCE_CENTRE, REVES_EN, "network"),
    ("RESEES", "RaiSE", REVES_EN, "network"),
    ("RESEES", "RaiSE", "Interreg Europe", "programme"),
    ("RESEES", "RaiSE", "Emilia-Romagna", "region"),
    ("RESEES", "SILK", REVES_EN, "network"),
    ("SE Innovation", "SILK", AGENDA_2030, "policy"),
    ("SILK", COMPETENCE_CENTRE, "Region Örebro County", "organisation"),
    ("SILK", COMPETENCE_CENTRE, "Örebro län", "region"),
}


def test_connections_rows(store: Store) -> None:
    result = run("connections", store)
    found = rows(result)
    assert len(found) == len(set(found)) == len(CONNECTIONS)
    assert set(found) == CONNECTIONS
    for acronym_a, acronym_b, _via, kind in found:
        assert acronym_a < acronym_b
        assert kind in {"organisation", "person", "programme", "network", "region", "policy"}
    # Ordered by the pair (ignoring case), then kind.
    keys = [(a.lower(), a, b.lower(), b, kind) for a, b, _via, kind in found]
    assert keys == sorted(keys)


@pytest.mark.parametrize("project", ["silk", "SILK", "Silk"])
def test_connections_of_one_project_either_side(store: Store, project: str) -> None:
    found = set(rows(run("connections", store, project=project)))
    assert found == {row for row in CONNECTIONS if "SILK" in row[:2]}
    assert len(found) == 8


def test_connections_of_se_innovation_only_through_agenda_2030(store: Store) -> None:
    assert set(rows(run("connections", store, project="se innovation"))) == {
        ("SE Innovation", "SILK", AGENDA_2030, "policy")
    }


@pytest.mark.parametrize("project", ["nope", "SIL", ""])
def test_connections_unknown_project_gives_no_rows(store: Store, project: str) -> None:
    assert rows(run("connections", store, project=project)) == []


def test_connections_in_swedish(store: Store) -> None:
    found = set(rows(run("connections", store, project="resees", lang="sv")))
    assert found == {
        ("RESEES", COMPETENCE_CENTRE_SV, "REVES", "network"),
        ("RESEES", "RaiSE", "REVES", "network"),
        ("RESEES", "RaiSE", "Interreg Europe", "programme"),
        ("RESEES", "RaiSE", "Emilia-Romagna", "region"),
        ("RESEES", "SILK", "REVES", "network"),
    }
    silk = set(rows(run("connections", store, project="silk", lang="sv")))
    assert ("RaiSE", "SILK", "Region Örebro län", "organisation") in silk
    assert ("SE Innovation", "SILK", "Agenda 2030 för hållbar utveckling", "policy") in silk


#################################################################
# memberships
#################################################################

MEMBERSHIPS = [
    (
        "Region Örebro County",
        "European Commission expert group on the social economy and social enterprises",
        "represented body",
        None,
    ),
    ("Region Örebro County", REVES_EN, "member", "before 2001"),
    ("Region Örebro County", "Thematic Platform for the Social Economy", "represented body", None),
]


def test_memberships_rows(store: Store) -> None:
    assert rows(run("memberships", store)) == MEMBERSHIPS


@pytest.mark.parametrize(
    "organisation", ["region-orebro-lan", "REGION-OREBRO-LAN", "Region Örebro län", "region örebro county"]
)
def test_memberships_of_one_organisation(store: Store, organisation: str) -> None:
    assert rows(run("memberships", store, organisation=organisation)) == MEMBERSHIPS


@pytest.mark.parametrize("organisation", ["nope", "reves", "region-orebro", "oecd"])
def test_memberships_unknown_or_non_member_gives_no_rows(store: Store, organisation: str) -> None:
    # REVES is a body Region Örebro län belongs to, not a member of anything.
    assert rows(run("memberships", store, organisation=organisation)) == []


def test_memberships_in_swedish(store: Store) -> None:
    assert rows(run("memberships", store, lang="sv")) == [
        (
            "Region Örebro län",
            "EU-kommissionens europeiska expertgrupp för social ekonomi och socialt företagande",
            "representerad",
            None,
        ),
        ("Region Örebro län", "REVES", "medlem", "before 2001"),
        ("Region Örebro län", "Tematisk plattform för social ekonomi", "representerad", None),
    ]


#################################################################
# Rules the shipped data does not exercise, on the shipped data plus one extra document
#################################################################

EXTRA = """\
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <http://schema.org/> .
@prefix seg: <https://w3id.org/segraph/ontology#> .
@prefix time: <http://www.w3.org/2006/time#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix x: <https://w3id.org/segraph/test/> .

x:doc-2019 a seg:SourceDocument ; dct:modified "2019-06-01"^^xsd:date .
x:doc-2024 a seg:SourceDocument ; dct:modified "2024-01-31T10:00:00Z"^^xsd:dateTime .

x:member a seg:Organisation ; rdfs:label "Test member"@en .
x:network a seg:Organisation ; rdfs:label "Test network"@en .
x:platform a seg:Organisation ; rdfs:label "Test platform"@en .

# A stated start wins over a minimum duration.
x:membership-start a seg:Membership ;
    org:member x:member ; org:organization x:network ;
    seg:role <https://w3id.org/segraph/vocab/role/member> ;
    seg:period [ a seg:Period ; dcat:startDate "2015-03"^^xsd:gYearMonth ] ;
    seg:minimumDuration [ a time:Duration ; time:numericDuration 30 ; time:unitType time:unitYear ] ;
    prov:wasDerivedFrom x:doc-2019 .

# Two documents: 2019 - 10 = 2009 and 2024 - 10 = 2014; the earliest bound is kept.
x:membership-duration a seg:Membership ;
    org:member x:member ; org:organization x:platform ;
    seg:role <https://w3id.org/segraph/vocab/role/representative> ;
    seg:minimumDuration [ a time:Duration ; time:numericDuration 10 ; time:unitType time:unitYear ] ;
    prov:wasDerivedFrom x:doc-2019 , x:doc-2024 .

# The project's own funder wins over its programme's funder; a decimal budget stated as an integer.
x:project a seg:Project ;
    seg:acronym "TESTPROJ" ;
    seg:programme <https://w3id.org/segraph/vocab/programme/se-social-enterprise-initiative> ;
    seg:funder <https://w3id.org/segraph/organisation/oecd> ;
    seg:budget [ a schema:MonetaryAmount ; schema:value 5000 ; schema:currency "SEK" ] ;
    seg:participation x:participation .

x:participation a seg:Participation ;
    seg:project x:project ;
    seg:organisation x:member .
"""


@pytest.fixture(scope="module")
def extended_store(tmp_path_factory: pytest.TempPathFactory) -> EmbeddedStore:
    extra = tmp_path_factory.mktemp("extra") / "extra.ttl"
    extra.write_text(EXTRA, encoding="utf-8")
    return EmbeddedStore(load_corpus([paths.data_dir(), Path(extra)]))


def test_memberships_since_from_start_or_earliest_minimum_duration(extended_store: EmbeddedStore) -> None:
    assert rows(run("memberships", extended_store, organisation="test member")) == [
        ("Test member", "Test network", "member", "2015-03"),
        ("Test member", "Test platform", "represented body", "before 2009"),
    ]


def test_funding_project_funder_wins_and_amount_is_decimal(extended_store: EmbeddedStore) -> None:
    result = run("funding", extended_store, programme="se-social-enterprise-initiative")
    assert rows(result) == [
        (SE_INITIATIVE, "Government of Sweden", "SE Innovation", None, None),
        (SE_INITIATIVE, "OECD", "TESTPROJ", Decimal(5000), "SEK"),
    ]
    assert isinstance(result.column("amount")[1], Decimal)


def test_connections_through_a_network_either_way(extended_store: EmbeddedStore) -> None:
    # TESTPROJ shares the programme with SE Innovation; no other project touches its member.
    assert set(rows(run("connections", extended_store, project="testproj"))) == {
        ("SE Innovation", "TESTPROJ", SE_INITIATIVE, "programme")
    }
