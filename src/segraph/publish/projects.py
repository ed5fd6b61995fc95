"""A project page's readable summary: acronym, titles, period, partners, funding, policies and themes.

The generic property table shows every triple; this summary follows the links a reader
cares about (participation → organisation, role, region, country; period → extension,
stated duration; programme → funder) the way the saved queries do.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, SKOS, TIME
from rdflib.term import Node

from segraph.namespaces import SCHEMA, SEG
from segraph.publish.describe import Presenter, Shown, language_rank

PRECISION = {10: "day", 7: "month", 4: "year"}
TIME_UNITS = {
    TIME.unitYear: ("year", "years"),
    TIME.unitMonth: ("month", "months"),
    TIME.unitWeek: ("week", "weeks"),
    TIME.unitDay: ("day", "days"),
}


@dataclass(frozen=True)
class PeriodView:
    """A period as stated: its dates at their own precision, its stated durations."""

    link: Shown
    start: str | None
    end: str | None
    precision: str
    durations: tuple[str, ...]


@dataclass(frozen=True)
class Partner:
    """One participation: the organisation, its role, region, country and own period."""

    organisation: Shown
    roles: tuple[Shown, ...]
    regions: tuple[Shown, ...]
    countries: tuple[Shown, ...]
    period: PeriodView | None
    participation: Shown


@dataclass(frozen=True)
class Programme:
    """A funding programme of the project, with the programme's own funders."""

    programme: Shown
    funders: tuple[Shown, ...]


@dataclass(frozen=True)
class Budget:
    """A stated amount (schema:MonetaryAmount), written for reading."""

    link: Shown
    amount: str


@dataclass(frozen=True)
class ProjectSummary:
    """Everything the summary at the top of a project's page shows."""

    acronyms: tuple[str, ...]
    titles: tuple[Shown, ...]
    periods: tuple[PeriodView, ...]
    extensions: tuple[PeriodView, ...]
    partners: tuple[Partner, ...]
    funders: tuple[Shown, ...]
    programmes: tuple[Programme, ...]
    budgets: tuple[Budget, ...]
    policies: tuple[tuple[Shown, Shown], ...]
    themes: tuple[Shown, ...]


def summarise(show: Presenter, project: URIRef, policy_links: set[URIRef]) -> ProjectSummary:
    """What a reader wants first about a project, from the links the ontology defines."""
    index = show.index
    periods = index.values(project, SEG.period)
    extensions = [e for p in periods for e in index.values(p, SEG.extension)]
    return ProjectSummary(
        acronyms=tuple(sorted(str(a) for a in index.values(project, SEG.acronym))),
        titles=_titles(show, project),
        periods=tuple(_period(show, p) for p in periods),
        extensions=tuple(_period(show, e) for e in sorted(set(extensions), key=str)),
        partners=_partners(show, project),
        funders=show.terms(index.values(project, SEG.funder)),
        programmes=tuple(
            Programme(show.term(p), show.terms(index.values(p, SEG.funder)))
            for p in index.values(project, SEG.programme)
        ),
        budgets=tuple(_budget(show, b) for b in index.values(project, SEG.budget)),
        policies=tuple(
            sorted(
                ((show.term(p), show.term(o)) for p, o in index.outgoing.get(project, ()) if p in policy_links),
                key=lambda pair: (pair[0].text.casefold(), pair[1].text.casefold()),
            )
        ),
        themes=show.terms(index.values(project, SEG.theme)),
    )


def _titles(show: Presenter, project: URIRef) -> tuple[Shown, ...]:
    """The project's titles, English first, then Swedish, then the others."""
    titles = [t for t in show.index.values(project, DCTERMS.title) if isinstance(t, Literal)]
    titles.sort(key=lambda t: (language_rank(t), t.language or "", str(t)))
    return tuple(show.term(t) for t in titles)


def _period(show: Presenter, period: Node) -> PeriodView:
    """Start and end exactly as stated; the precision is that of the coarser date."""
    start = show.index.first(period, DCAT.startDate)
    end = show.index.first(period, DCAT.endDate)
    lengths = [len(str(d)) for d in (start, end) if isinstance(d, Literal)]
    precision = PRECISION.get(min(lengths), "stated") if lengths else "none"
    durations = tuple(sorted(_duration(show, d) for d in show.index.values(period, SEG.statedDuration)))
    return PeriodView(
        link=show.term(period),
        start=str(start) if start is not None else None,
        end=str(end) if end is not None else None,
        precision=precision,
        durations=durations,
    )


def _duration(show: Presenter, duration: Node) -> str:
    """A time:Duration as words: "4.5 years"."""
    stated = show.index.first(duration, TIME.numericDuration)
    number = str(stated) if stated is not None else "(no number stated)"
    unit = show.index.first(duration, TIME.unitType)
    if unit is None:
        return number
    names = TIME_UNITS.get(unit) if isinstance(unit, URIRef) else None
    if names is None:
        return f"{number} {show.term(unit).text}"
    return f"{number} {names[0] if number == '1' else names[1]}"


def _partners(show: Presenter, project: URIRef) -> tuple[Partner, ...]:
    """Participations named by the project or naming it, one row each."""
    index = show.index
    named = set(index.values(project, SEG.participation))
    naming = {
        s for s, p in index.incoming.get(project, ()) if p == SEG.project and index.has_type(s, SEG.Participation)
    }
    partners = [_partner(show, participation) for participation in named | naming]
    return tuple(sorted(partners, key=lambda p: (p.organisation.text.casefold(), p.participation.short or "")))


def _partner(show: Presenter, participation: Node) -> Partner:
    index = show.index
    organisations = index.values(participation, SEG.organisation)
    organisation = show.term(organisations[0]) if organisations else Shown(text="(not stated)")
    periods = index.values(participation, SEG.period)
    return Partner(
        organisation=organisation,
        roles=show.terms(index.values(participation, SEG.role)),
        regions=tuple(_region(show, r) for o in organisations for r in index.values(o, SEG.region)),
        countries=tuple(show.term(c) for o in organisations for c in index.values(o, SEG.country)),
        period=_period(show, periods[0]) if periods else None,
        participation=show.term(participation),
    )


def _region(show: Presenter, region: Node) -> Shown:
    """A NUTS region's name with its code: "Örebro län (SE124)"."""
    shown = show.term(region)
    code = show.index.first(region, SKOS.notation)
    return replace(shown, text=f"{shown.text} ({code})") if code is not None and str(code) != shown.text else shown


def _budget(show: Presenter, budget: Node) -> Budget:
    """An amount with its currency, digits grouped: "EUR 1,885,230.00"."""
    value = show.index.first(budget, SCHEMA.value)
    currency = show.index.first(budget, SCHEMA.currency)
    try:
        amount = f"{Decimal(str(value)):,}" if value is not None else "(no value stated)"
    except InvalidOperation:
        amount = str(value)
    return Budget(link=show.term(budget), amount=f"{currency} {amount}" if currency is not None else amount)
