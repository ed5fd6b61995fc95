"""Write a synthetic programme database in segraph's own ontology: any size, same bytes for the same arguments.

The shipped data is five documents; the graphs segraph must serve are programme databases (keep.eu,
CORDIS, Kohesio) of up to a million projects. This script writes such a graph for benchmarks and
differential tests: ~8 participations per project (2-20) with roles from ``roles.ttl``, a pool of
about N/3 organisations reused with a long tail, each with a kind, a country and (mostly) a real NUTS 3
region of that country, periods at mixed precision, budgets, programmes, themes, policy links, contact
persons and labels in English plus the lead partner's language.

Design decisions:

* One file is one programme-database export: one ``seg:SourceDocument`` (``document/gen-export``),
  which every resource names with ``prov:wasDerivedFrom``. That satisfies ``segsh:SourcedShape`` and
  the one-document-per-file check. Per-project pages are not modelled as documents (a second
  ``seg:SourceDocument`` would break that check); each project keeps its record key in the export as
  ``dct:identifier`` instead.
* Generated resources are ``…/project/gen-0000042``, ``…/organisation/gen-0000007`` and so on:
  recognisable, readable, stable for a seed.
* Streaming: each project is written as text when it is generated (Turtle blocks or N-Triples lines,
  with literals escaped here), so memory holds only the organisation pool, never the graph.
* Deterministic: one ``random.Random(seed)``, reference data read once with pyoxigraph and sorted; no
  hash order, no clock in the output.
* ``--violations K`` mutates K projects spread evenly over the file, cycling through ``KINDS``; each
  mutation breaks one rule of ``ontology/shapes.ttl`` (like the fixtures in ``tests/fixtures/shapes``)
  and uses no randomness, so the rest of the graph is the same as the clean one. The results a
  validator must report are written to ``FILE.violations.json``.

Usage: python benchmarks/generate.py --projects N --out FILE.ttl|FILE.nt [--seed S] [--violations K]
"""

from __future__ import annotations

import argparse
import calendar
import json
import random
import sys
import time
from bisect import bisect
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate, groupby
from operator import itemgetter
from pathlib import Path
from typing import IO, Generic, NamedTuple, TypeVar

import pyoxigraph as ox

from segraph import paths
from segraph.errors import UsageError
from segraph.namespaces import PREFIXES

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn with fixed weights; the cumulative weights are summed once, not on every draw."""

    def __init__(self, items: Sequence[T], weights: Sequence[int]) -> None:
        self.items = tuple(items)
        self.cumulative = list(accumulate(weights))

    @classmethod
    def of(cls, weights: dict[str, int], keys: Sequence[str]) -> Weighted[str]:
        """The keys, each weighted as ``weights`` says or 1 if it does not say."""
        return Weighted(keys, [weights.get(k, 1) for k in keys])

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


FORMATS = {".ttl": "turtle", ".nt": "ntriples"}
DOCUMENT_ID = "gen-export"
ORGANISATIONS_PER_PROJECT = 1 / 3
# Participations per project, 2 to 20: the weight of each count (mean about 8, a long upper tail).
PARTICIPATIONS = Weighted(range(2, 21), (4, 7, 9, 11, 12, 12, 10, 8, 6, 5, 4, 3, 2, 2, 1, 1, 1, 1, 1))
# A higher exponent concentrates participations on fewer organisations (the long tail of reuse).
REUSE_EXPONENT = 2.0
KIND_WEIGHTS = {"public-authority": 25, "university": 15, "company": 15, "agency": 12, "network": 12}
PROGRAMME_WEIGHTS = {"interreg-europe": 25, "erasmus-plus": 25, "horizon-europe": 20, "interreg": 10}
SEK_PROGRAMMES = {"se-social-enterprise-initiative", "orebro-international-scholarship"}
POLICY_PREDICATES = ("policyLink", "contributesTo", "alignedWith", "basedOn", "aimsToImprove")
OTHER_ROLES = Weighted(("partner", "advisory-partner", "participant"), (8, 1, 1))
ROLES_USED = ("lead-partner", "coordinator", *OTHER_ROLES.items)
PRECISIONS = Weighted(("date", "gYearMonth", "gYear"), (55, 30, 15))
TITLES = (
    "Strengthening {t}",
    "Cross-border cooperation on {t}",
    "Regional ecosystems for {t}",
    "Capacity building for {t}",
    "Innovation in {t}",
    "Policies for {t}",
)
FIRST_NAMES = ("Anna", "Marco", "Sofia", "Jan", "Elena", "Lukas", "Marie", "Pedro", "Eva", "Tomas", "Ines", "Karl")
LAST_NAMES = ("Novak", "Rossi", "García", "Berg", "Dubois", "Kowalski", "Nagy", "Silva", "Jansen", "O'Brien")
JOB_TITLES = ("project manager", "project coordinator", "development officer", "head of international affairs")
MONTHS = tuple(calendar.month_name)


class Iri(NamedTuple):
    """An IRI as prefix and local name (prefixes of segraph.namespaces.PREFIXES)."""

    prefix: str
    local: str


class Lit(NamedTuple):
    """A literal: lexical form with a language tag, an xsd datatype's local name, or neither."""

    lexical: str
    language: str | None = None
    datatype: str | None = None


Term = Iri | Lit
Statements = list[tuple[Iri, Term]]
TYPE = Iri("rdf", "type")
DOCUMENT = Iri("document", DOCUMENT_ID)
DERIVED = Iri("prov", "wasDerivedFrom")
LABEL = Iri("rdfs", "label")


@cache
def v(curie: str) -> Iri:
    """A class or property the generator writes, made once (cheaper than a new tuple per triple)."""
    prefix, local = curie.split(":")
    return Iri(prefix, local)


# --------------------------------------------------------------------------- reference data


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


def load_reference() -> Reference:
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
    missing = set(ROLES_USED) - reference.roles
    if missing:
        raise UsageError(f"data/reference/roles.ttl lacks the roles the generator uses: {sorted(missing)}")
    return reference


# --------------------------------------------------------------------------- writers

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BARE_DATATYPES = {"decimal", "integer"}
# Prefixes of the resources the generator makes: one IRI each per project or organisation, never cached.
GENERATED_PREFIXES = {"project", "period", "amount", "participation", "person", "organisation"}


class Writer:
    """Writes one resource at a time as N-Triples lines or a Turtle block, and counts the triples.

    Vocabulary IRIs (predicates, classes, codes) are rendered once and cached; the IRIs of generated
    resources are not, so the cache stays small at any size.
    """

    def __init__(self, stream: IO[str], turtle: bool) -> None:
        self.stream = stream
        self.turtle = turtle
        self.triples = 0
        self.render = _short if turtle else _full
        self.cache: dict[Term, str] = {TYPE: "a"} if turtle else {}

    def header(self, comment: Sequence[str], prefixes: Sequence[str]) -> None:
        if not self.turtle:
            return
        lines = [f"# {line}" for line in comment] + [""]
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(prefixes)]
        self.stream.write("\n".join(lines) + "\n\n")

    def term(self, term: Term) -> str:
        text = self.cache.get(term)
        if text is None:
            text = self.render(term)
            if type(term) is Iri and term.prefix not in GENERATED_PREFIXES:
                self.cache[term] = text
        return text

    def resource(self, subject: Iri, statements: Statements) -> None:
        self.triples += len(statements)
        term, cached = self.term, self.cache.get  # a cached term (most are) skips the method call
        if self.turtle:
            parts = [
                f"    {cached(predicate) or term(predicate)} " + " , ".join([cached(o) or term(o) for _, o in group])
                for predicate, group in groupby(statements, key=itemgetter(0))
            ]
            self.stream.write(f"{term(subject)}\n" + " ;\n".join(parts) + " .\n\n")
        else:
            head = term(subject)
            self.stream.write(
                "".join([f"{head} {cached(p) or term(p)} {cached(o) or term(o)} .\n" for p, o in statements])
            )


def _full(term: Term) -> str:
    """A term in N-Triples."""
    if isinstance(term, Iri):
        return f"<{PREFIXES[term.prefix]}{term.local}>"
    text = '"' + term.lexical.translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{PREFIXES['xsd']}{term.datatype}>"
    return text


def _short(term: Term) -> str:
    """A term in Turtle, with prefixed names and bare numbers, as the shipped data writes them."""
    if isinstance(term, Iri):
        return f"{term.prefix}:{term.local}"
    if term.datatype in _BARE_DATATYPES:
        return term.lexical
    text = '"' + term.lexical.translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^xsd:{term.datatype}"
    return text


# --------------------------------------------------------------------------- the data


class Organisation(NamedTuple):
    number: int
    country: Country
    region: Region | None
    kind: str


@dataclass
class ProjectRecord:
    """One project's resources before they are written, so a violation can change them."""

    number: int
    resources: list[tuple[Iri, Statements]]
    organisations: list[Organisation]

    @property
    def project(self) -> Statements:
        return self.resources[0][1]

    @property
    def period(self) -> Statements:
        return self.resources[1][1]

    @property
    def amount(self) -> Statements:
        return self.resources[2][1]

    def participation(self) -> tuple[Iri, Statements]:
        """The project's last participation: the one a violation changes."""
        return [r for r in self.resources if r[0].prefix == "participation"][-1]


def _ident(number: int) -> str:
    return f"gen-{number:07d}"


@dataclass
class Generator:
    """Draws projects one by one from one random stream; organisations are made on first use."""

    reference: Reference
    projects: int
    seed: int
    rng: random.Random = field(init=False)
    pool: list[Organisation | None] = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)
        self.pool = [None] * max(20, round(self.projects * ORGANISATIONS_PER_PROJECT))
        self.countries = Weighted(self.reference.countries, [len(c.regions) for c in self.reference.countries])
        self.kinds = Weighted.of(KIND_WEIGHTS, sorted(self.reference.kinds))
        self.programmes = Weighted.of(PROGRAMME_WEIGHTS, self.reference.programmes)
        self.themes = sorted(self.reference.themes)
        self.syllables = [c + v for c in "BCDFGKLMNPRSTVZ" for v in "AEIOU"]
        self.rng.shuffle(self.syllables)

    def acronym(self, number: int) -> str:
        """A pronounceable acronym, unique per project: the number in base-75 syllables, at least three."""
        word: list[str] = []
        while number or len(word) < 3:
            number, digit = divmod(number, len(self.syllables))
            word.append(self.syllables[digit])
        return "".join(reversed(word))

    def organisation(self, index: int) -> tuple[Organisation, Statements | None]:
        """The organisation at ``index`` of the pool, and its statements if this is its first use."""
        known = self.pool[index]
        if known is not None:
            return known, None
        rng = self.rng
        country = self.countries.pick(rng)
        region = rng.choice(country.regions) if rng.random() < 0.85 else None
        kind = self.kinds.pick(rng)
        org = Organisation(index + 1, country, region, kind)
        self.pool[index] = org
        place = region.label if region else country.label
        labels: list[Lit] = [Lit(f"{place} {self.reference.kinds[kind]} {org.number}", "en")]
        if country.language and rng.random() < 0.45:
            labels.append(Lit(f"{place} {org.number}", country.language))
        statements: Statements = [(TYPE, v("seg:Organisation"))]
        statements += [(LABEL, label) for label in labels]
        statements += [
            (v("seg:organisationKind"), Iri("kind", kind)),
            (v("seg:country"), Iri("country", country.code)),
        ]
        if region:
            statements.append((v("seg:region"), Iri("nuts", region.code)))
        statements.append((DERIVED, DOCUMENT))
        return org, statements

    def project(self, number: int) -> ProjectRecord:
        rng = self.rng
        ident = _ident(number)
        programme = self.programmes.pick(rng)
        count = min(PARTICIPATIONS.pick(rng), len(self.pool))
        chosen: list[int] = []
        while len(chosen) < count:
            index = int(len(self.pool) * rng.random() ** REUSE_EXPONENT)
            if index not in chosen:
                chosen.append(index)
        made = [self.organisation(i) for i in chosen]
        lead = made[0][0]
        lead_role = "lead-partner" if programme.startswith("interreg") else "coordinator"  # as Interreg says
        iri = Iri("project", ident)
        resources: list[tuple[Iri, Statements]] = [(iri, []), self.period(ident), self.amount(ident, programme)]
        for position, (org, _) in enumerate(made):
            role = lead_role if position == 0 else OTHER_ROLES.pick(rng)
            resources.append(
                (
                    Iri("participation", f"{ident}-{position + 1:02d}"),
                    [
                        (TYPE, v("seg:Participation")),
                        (v("seg:project"), iri),
                        (v("seg:organisation"), Iri("organisation", _ident(org.number))),
                        (v("seg:role"), Iri("role", role)),
                        (DERIVED, DOCUMENT),
                    ],
                )
            )
        themes = rng.sample(self.themes, rng.randint(1, 3))
        place = lead.region.label if lead.region else "Europe"
        title = rng.choice(TITLES).format(t=self.reference.themes[themes[0]]) + f" in {place}"
        acronym = self.acronym(number)
        statements: Statements = [
            (TYPE, v("seg:Project")),
            (v("seg:acronym"), Lit(acronym)),
            (LABEL, Lit(acronym, "en")),
        ]
        if lead.country.language and rng.random() < 0.5:
            statements.append((LABEL, Lit(acronym, lead.country.language)))
        statements += [
            (v("dct:title"), Lit(title, "en")),
            (v("dct:identifier"), Lit(ident)),
            (v("seg:period"), resources[1][0]),
            (v("seg:programme"), Iri("programme", programme)),
            (v("seg:budget"), resources[2][0]),
        ]
        statements += [(v("seg:theme"), Iri("theme", t)) for t in themes]
        for policy in rng.sample(self.reference.policies, rng.choice((0, 0, 1, 1, 1, 2))):
            statements.append((Iri("seg", rng.choice(POLICY_PREDICATES)), Iri("policy", policy)))
        if rng.random() < 0.25:
            person = self.person(ident, lead)
            statements.append((v("seg:contactPerson"), person[0]))
            resources.append(person)
        statements.append((DERIVED, DOCUMENT))
        resources[0] = (iri, statements)
        resources += [(Iri("organisation", _ident(org.number)), s) for org, s in made if s is not None]
        return ProjectRecord(number, resources, [org for org, _ in made])

    def period(self, ident: str) -> tuple[Iri, Statements]:
        """A period at day, month or year precision; it never ends before it starts."""
        rng = self.rng
        year, month = rng.randint(2000, 2025), rng.randint(1, 12)
        last = year * 12 + month - 1 + rng.randint(6, 60) - 1
        end_year, end_month = divmod(last, 12)
        end_month += 1
        precision = PRECISIONS.pick(rng)
        if precision == "date":
            end_day = calendar.monthrange(end_year, end_month)[1]
            start, end = f"{year}-{month:02d}-01", f"{end_year}-{end_month:02d}-{end_day:02d}"
            label = f"1 {MONTHS[month]} {year} – {end_day} {MONTHS[end_month]} {end_year}"
        elif precision == "gYearMonth":
            start, end = f"{year}-{month:02d}", f"{end_year}-{end_month:02d}"
            label = f"{MONTHS[month]} {year} – {MONTHS[end_month]} {end_year}"
        else:
            start, end = str(year), str(end_year)
            label = start if year == end_year else f"{year}–{end_year}"
        return Iri("period", ident), [
            (TYPE, v("seg:Period")),
            (LABEL, Lit(label, "en")),
            (v("dcat:startDate"), Lit(start, datatype=precision)),
            (v("dcat:endDate"), Lit(end, datatype=precision)),
            (DERIVED, DOCUMENT),
        ]

    def amount(self, ident: str, programme: str) -> tuple[Iri, Statements]:
        cents = self.rng.randrange(2_000_000, 500_000_000)
        return Iri("amount", f"{ident}-total"), [
            (TYPE, v("schema:MonetaryAmount")),
            (LABEL, Lit("total budget", "en")),
            (v("schema:value"), Lit(f"{cents // 100}.{cents % 100:02d}", datatype="decimal")),
            (v("schema:currency"), Lit("SEK" if programme in SEK_PROGRAMMES else "EUR")),
            (DERIVED, DOCUMENT),
        ]

    def person(self, ident: str, employer: Organisation) -> tuple[Iri, Statements]:
        """A contact person: name and job title only (segsh:PersonPrivacyShape)."""
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        return Iri("person", f"{ident}-contact"), [
            (TYPE, v("seg:Person")),
            (v("schema:name"), Lit(name)),
            (LABEL, Lit(name, "en")),
            (v("schema:jobTitle"), Lit(rng.choice(JOB_TITLES), "en")),
            (v("schema:worksFor"), Iri("organisation", _ident(employer.number))),
            (DERIVED, DOCUMENT),
        ]


# --------------------------------------------------------------------------- violations

Expected = dict[str, object]
START, END = v("dcat:startDate"), v("dcat:endDate")


def _iri(term: Iri) -> str:
    return PREFIXES[term.prefix] + term.local


def _expect(kind: str, focus: Iri, path: Iri | tuple[Iri, ...] | None, shape: str) -> Expected:
    """One result as segraph's ValidationResult names it; a blank property shape is named by its node shape."""
    return {
        "kind": kind,
        "focus": _iri(focus),
        "path": None if path is None else _iri(path) if isinstance(path, Iri) else [_iri(p) for p in path],
        "source_shape": PREFIXES["segsh"] + shape,
        "severity": "Violation",
    }


def _replace(statements: Statements, predicate: Iri, new: Term) -> None:
    """Replace the first value of ``predicate`` in place."""
    at = next(i for i, (p, _) in enumerate(statements) if p == predicate)
    statements[at] = (predicate, new)


def _literal(statements: Statements, predicate: Iri) -> Lit:
    value = next(o for p, o in statements if p == predicate)
    assert isinstance(value, Lit), f"{predicate} holds an IRI, not a literal"
    return value


def _drop(statements: Statements, predicate: Iri) -> None:
    statements[:] = [s for s in statements if s[0] != predicate]


def _end_before_start(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    start = _literal(record.period, START)
    _replace(record.period, END, Lit(str(int(start.lexical[:4]) - 1), datatype="gYear"))
    return [_expect(kind, record.resources[0][0], v("seg:period"), "PeriodOwnerShape")]


def _malformed_date(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    end = _literal(record.period, END)
    _replace(record.period, END, Lit(f"{end.lexical[:4]}-13-45", datatype="date"))
    return [_expect(kind, record.resources[1][0], END, "PeriodEndShape")]


def _participation_without(predicate: str) -> Callable[[str, ProjectRecord, int], list[Expected]]:
    def mutate(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
        subject, statements = record.participation()
        _drop(statements, Iri("seg", predicate))
        return [_expect(kind, subject, Iri("seg", predicate), "ParticipationShape")]

    return mutate


def _label_without_language(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _replace(record.project, LABEL, Lit(_literal(record.project, LABEL).lexical))
    return [_expect(kind, record.resources[0][0], LABEL, "LabelLanguageShape")]


def _title_without_language(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    title = v("dct:title")
    _replace(record.project, title, Lit(_literal(record.project, title).lexical))
    return [_expect(kind, record.resources[0][0], title, "TitleLanguageShape")]


def _missing_label(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _drop(record.project, LABEL)
    return [_expect(kind, record.resources[0][0], (LABEL, Iri("skos", "prefLabel")), "LabelShape")]


def _amount_without_currency(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    currency = v("schema:currency")
    _drop(record.amount, currency)
    return [_expect(kind, record.resources[2][0], currency, "MonetaryAmountShape")]


def _project_without_source_document(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    _drop(record.project, DERIVED)
    return [_expect(kind, record.resources[0][0], DERIVED, "SourcedShape")]


def _malformed_country(kind: str, record: ProjectRecord, k: int) -> list[Expected]:
    """A participant country in lower case: fails the IRI pattern and is in no scheme (two results, as the fixture).

    The injection number makes each malformed IRI distinct, so no two injections share a focus node.
    """
    subject, statements = record.participation()
    country = Iri("country", f"{record.organisations[-1].country.code.lower()}-{k}")
    statements.insert(len(statements) - 1, (v("seg:participantCountry"), country))
    return [
        _expect(kind, country, None, "CountryShape"),
        _expect(kind, country, Iri("skos", "inScheme"), "CountryShape"),
    ]


VIOLATIONS: dict[str, Callable[[str, ProjectRecord, int], list[Expected]]] = {
    "end-before-start": _end_before_start,
    "participation-without-role": _participation_without("role"),
    "label-without-language": _label_without_language,
    "malformed-country": _malformed_country,
    "amount-without-currency": _amount_without_currency,
    "missing-label": _missing_label,
    "participation-without-organisation": _participation_without("organisation"),
    "project-without-source-document": _project_without_source_document,
    "malformed-date": _malformed_date,
    "title-without-language": _title_without_language,
}
KINDS = tuple(VIOLATIONS)
# The prefixes the data uses (violations included), declared at the top of a Turtle file.
TURTLE_PREFIXES = (
    "amount", "country", "dcat", "dct", "document", "kind", "language", "nuts", "organisation", "participation",
    "period", "person", "policy", "programme", "project", "prov", "rdfs", "role", "schema", "seg", "theme", "xsd",
)  # fmt: skip


# --------------------------------------------------------------------------- the file


@dataclass(frozen=True)
class Summary:
    """What one run wrote, and how fast."""

    out: Path
    projects: int
    organisations: int
    participations: int
    triples: int
    seconds: float
    cpu_seconds: float
    expected: list[Expected]

    def __str__(self) -> str:
        rate = self.triples / self.seconds if self.seconds else 0.0
        return (
            f"{self.out}: {self.projects:,} projects, {self.organisations:,} organisations, "
            f"{self.participations:,} participations, {self.triples:,} triples "
            f"({self.triples / self.projects:.1f} per project) in {self.seconds:.1f} s, {self.cpu_seconds:.1f} s CPU "
            f"({rate:,.0f} triples/s); "
            f"{len(self.expected)} expected validation results in {violations_file(self.out).name}"
        )


def violations_file(out: Path) -> Path:
    """Where the ground truth of the injected violations goes: beside the output."""
    return out.with_name(out.name + ".violations.json")


def check_arguments(projects: int, out: Path, seed: int, violations: int) -> None:
    if projects < 1:
        raise UsageError(f"--projects must be at least 1, not {projects}")
    if out.suffix.lower() not in FORMATS:
        raise UsageError(f"--out {out}: the file name must end in .ttl (Turtle) or .nt (N-Triples)")
    if seed < 0:
        raise UsageError(f"--seed must be a non-negative integer, not {seed}")
    if not 0 <= violations <= projects:
        raise UsageError(f"--violations must be between 0 and the number of projects ({projects}), not {violations}")


def generate(projects: int, out: Path, seed: int = 0, violations: int = 0) -> Summary:
    """Write ``projects`` generated projects to ``out`` (.ttl or .nt) and the ground truth beside it."""
    check_arguments(projects, out, seed, violations)
    started, cpu = time.perf_counter(), time.process_time()
    generator = Generator(load_reference(), projects, seed)
    targets = {(2 * k + 1) * projects // (2 * violations) + 1: k for k in range(violations)}
    expected: list[Expected] = []
    participations = 0
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="\n", buffering=1 << 20) as stream:
        writer = Writer(stream, turtle=out.suffix.lower() == ".ttl")
        writer.header(
            [
                f"Synthetic programme-database export: {projects} projects, seed {seed}, {violations} violations.",
                "Written by benchmarks/generate.py; every triple is stated by document:" + DOCUMENT_ID + ".",
            ],
            TURTLE_PREFIXES,
        )
        writer.resource(
            DOCUMENT,
            [
                (TYPE, v("seg:SourceDocument")),
                (v("dct:title"), Lit(f"Synthetic programme database export (seed {seed})", "en")),
                (v("dct:language"), Iri("language", "ENG")),
                (v("dct:identifier"), Lit(f"{DOCUMENT_ID}-{seed}")),
            ],
        )
        for number in range(1, projects + 1):
            record = generator.project(number)
            if number in targets:
                k = targets[number]
                kind = KINDS[k % len(KINDS)]
                expected += VIOLATIONS[kind](kind, record, k)
            participations += len(record.organisations)
            for subject, statements in record.resources:
                writer.resource(subject, statements)
    violations_file(out).write_text(json.dumps(expected, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    organisations = sum(1 for org in generator.pool if org is not None)
    seconds = time.perf_counter() - started
    return Summary(
        out, projects, organisations, participations, writer.triples, seconds, time.process_time() - cpu, expected
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python benchmarks/generate.py",
        description="Write a deterministic synthetic programme database in segraph's ontology.",
    )
    parser.add_argument("--projects", type=int, required=True, help="number of projects (1,000 … 1,000,000)")
    parser.add_argument("--out", type=Path, required=True, help="output file: .ttl (Turtle) or .nt (N-Triples)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0): same seed, same bytes")
    parser.add_argument("--violations", type=int, default=0, help="inject this many known violations (default 0)")
    args = parser.parse_args(argv)
    try:
        summary = generate(args.projects, args.out, args.seed, args.violations)
    except UsageError as error:
        parser.error(str(error))
    print(summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
