"""Projects drawn one by one from one random stream, with organisations made on first use and reused."""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field
from typing import NamedTuple

from synthetic.reference import Country, Reference, Region
from synthetic.terms import DERIVED, DOCUMENT, LABEL, TYPE, Iri, Lit, Statements, Weighted, v

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
# Networks and expert groups have members; about this share of the other organisations belong to one or
# two of those made before them, as a member of a network or represented in an expert group.
BODY_KINDS = {"network": "member", "expert-group": "representative"}
MEMBERSHIP_SHARE = 0.3
MEMBERSHIP_SINCE_SHARE = 0.7  # the rest state no start, as the shipped data often does
ROLES_USED = ("lead-partner", "coordinator", *OTHER_ROLES.items, *BODY_KINDS.values())
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


def _place(org: Organisation) -> str:
    """Where an organisation is, as its labels name it: its NUTS region, else its country."""
    return org.region.label if org.region else org.country.label


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
        # Memberships draw from a stream of their own, so the projects stay those of the main stream.
        self.membership_rng = random.Random(f"{self.seed}/memberships")
        self.bodies: list[Organisation] = []
        self.memberships_made = 0
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

    def organisation(self, index: int) -> tuple[Organisation, list[tuple[Iri, Statements]]]:
        """The organisation at ``index`` of the pool, and on its first use its resources (it, its memberships)."""
        known = self.pool[index]
        if known is not None:
            return known, []
        rng = self.rng
        country = self.countries.pick(rng)
        region = rng.choice(country.regions) if rng.random() < 0.85 else None
        kind = self.kinds.pick(rng)
        org = Organisation(index + 1, country, region, kind)
        self.pool[index] = org
        labels: list[Lit] = [Lit(self.label(org), "en")]
        if country.language and rng.random() < 0.45:
            labels.append(Lit(f"{_place(org)} {org.number}", country.language))
        statements: Statements = [(TYPE, v("seg:Organisation"))]
        statements += [(LABEL, label) for label in labels]
        statements += [
            (v("seg:organisationKind"), Iri("kind", kind)),
            (v("seg:country"), Iri("country", country.code)),
        ]
        if region:
            statements.append((v("seg:region"), Iri("nuts", region.code)))
        statements.append((DERIVED, DOCUMENT))
        resources = [(Iri("organisation", _ident(org.number)), statements), *self.memberships(org)]
        if kind in BODY_KINDS:
            self.bodies.append(org)
        return org, resources

    def label(self, org: Organisation) -> str:
        """An organisation's English label: its place, its kind and its number."""
        return f"{_place(org)} {self.reference.kinds[org.kind]} {org.number}"

    def memberships(self, member: Organisation) -> list[tuple[Iri, Statements]]:
        """A new organisation's memberships of networks and expert groups made before it, with a start year for most."""
        rng = self.membership_rng
        if member.kind in BODY_KINDS or not self.bodies or rng.random() >= MEMBERSHIP_SHARE:
            return []
        resources: list[tuple[Iri, Statements]] = []
        for body in rng.sample(self.bodies, min(len(self.bodies), rng.choice((1, 1, 2)))):
            ident = f"{_ident(member.number)}-{_ident(body.number)}"
            role = BODY_KINDS[body.kind]
            statements: Statements = [
                (TYPE, v("seg:Membership")),
                (LABEL, Lit(f"{self.label(member)}: {role} of {self.label(body)}", "en")),
                (v("org:member"), Iri("organisation", _ident(member.number))),
                (v("org:organization"), Iri("organisation", _ident(body.number))),
                (v("seg:role"), Iri("role", role)),
            ]
            since: tuple[Iri, Statements] | None = None
            if rng.random() < MEMBERSHIP_SINCE_SHARE:
                year = str(rng.randint(1990, 2025))
                since = (
                    Iri("period", f"membership-{ident}"),
                    [
                        (TYPE, v("seg:Period")),
                        (LABEL, Lit(f"since {year}", "en")),
                        (v("dcat:startDate"), Lit(year, datatype="gYear")),
                        (DERIVED, DOCUMENT),
                    ],
                )
                statements.append((v("seg:period"), since[0]))
            statements.append((DERIVED, DOCUMENT))
            resources.append((Iri("membership", ident), statements))
            if since:
                resources.append(since)
            self.memberships_made += 1
        return resources

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
        resources += [resource for _, made_resources in made for resource in made_resources]
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
