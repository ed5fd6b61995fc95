"""The reference data the generator draws from: countries with their NUTS 3 regions and language, kinds,
themes, programmes, policies and roles, read once from data/reference/ with pyoxigraph and sorted."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import NamedTuple

import pyoxigraph as ox

from segraph import paths
from segraph.errors import UsageError
from segraph.namespaces import PREFIXES


class Region(NamedTuple):
    code: str
    label: str


@dataclass(frozen=True)
class Country:
    code: str
    label: str
    language: str | None
    regions: tuple[Region, ...]


@dataclass(frozen=True)
class Reference:
    """What the generator draws from, read once from data/reference/ and sorted."""

    countries: tuple[Country, ...]
    kinds: dict[str, str]  # local name -> English label
    themes: dict[str, str]
    programmes: tuple[str, ...]
    policies: tuple[str, ...]
    roles: frozenset[str]


def _select(store: ox.Store, query: str) -> list[tuple[str, ...]]:
    prologue = "".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items())
    rows = store.query(prologue + query)
    assert isinstance(rows, ox.QuerySolutions)
    return sorted(tuple(term.value for term in row) for row in rows)


def _local(iri: str, prefix: str) -> str:
    return iri.removeprefix(PREFIXES[prefix])


def load_reference(roles_needed: Iterable[str]) -> Reference:
    """Parse data/reference/*.ttl with pyoxigraph and pull out what the generator needs."""
    store = ox.Store()
    for path in sorted(paths.reference_dir().glob("*.ttl")):
        store.bulk_load(path=path, format=ox.RdfFormat.TURTLE)
    regions: dict[str, list[Region]] = {}
    for code, label, country in _select(
        store,
        """SELECT ?code (MIN(STR(?label)) AS ?name) ?country WHERE {
            ?r seg:nutsLevel 3 ; skos:notation ?code ; skos:prefLabel ?label ; seg:country ?country ;
               skos:inScheme <http://data.europa.eu/nuts/scheme/2024> .
            FILTER (!STRENDS(?code, "Z"))
        } GROUP BY ?code ?country""",
    ):
        regions.setdefault(_local(country, "country"), []).append(Region(code, label))
    # A country's language: the commonest two-letter tag (not en, not mul) of its NUTS region names.
    tags: dict[str, list[tuple[int, str]]] = {}
    for country, tag, count in _select(
        store,
        """SELECT ?country ?tag (COUNT(*) AS ?n) WHERE {
            ?r seg:nutsLevel ?level ; skos:prefLabel ?label ; seg:country ?country .
            FILTER (STRLEN(LANG(?label)) = 2 && LANG(?label) != "en")
        } GROUP BY ?country (LANG(?label) AS ?tag)""",
    ):
        tags.setdefault(_local(country, "country"), []).append((-int(count), tag))
    country_scheme = PREFIXES["country"].rstrip("/")
    names = {
        row[0]: row[1]
        for row in _select(
            store,
            f"""SELECT ?c ?l WHERE {{ ?c skos:inScheme <{country_scheme}> ; skos:prefLabel ?l .
                FILTER (LANG(?l) = "en") }}""",
        )
    }
    countries = tuple(
        Country(code, names[PREFIXES["country"] + code], min(tags[code])[1] if code in tags else None, tuple(found))
        for code, found in sorted(regions.items())
    )

    def scheme(prefix: str) -> dict[str, str]:
        rows = _select(
            store,
            f"""SELECT ?c ?label WHERE {{ ?c skos:inScheme <{PREFIXES[prefix].rstrip("/")}> ;
                skos:prefLabel ?label . FILTER (LANG(?label) = "en") }}""",
        )
        return {_local(c, prefix): label for c, label in rows}

    policies = _select(store, "SELECT ?p WHERE { ?p a seg:Policy }")
    programmes = _select(store, "SELECT ?p WHERE { ?p a seg:FundingProgramme }")
    reference = Reference(
        countries=countries,
        kinds=scheme("kind"),
        themes=scheme("theme"),
        programmes=tuple(_local(p, "programme") for (p,) in programmes),
        policies=tuple(_local(p, "policy") for (p,) in policies),
        roles=frozenset(scheme("role")),
    )
    missing = set(roles_needed) - reference.roles
    if missing:
        raise UsageError(f"data/reference/roles.ttl lacks the roles the generator uses: {sorted(missing)}")
    return reference
