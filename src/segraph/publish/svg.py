"""Geometry of the index page's two drawings: the projects' timeline and who works with whom.

Only numbers and already-chosen texts are computed here; the SVG itself is written by the
templates, so every text from the data goes through Jinja2's escaping.

Dates keep the precision they are stated at: a start stated as a year (gYear) or a month
(gYearMonth) counts from its first day, an end from its last day.
"""

from __future__ import annotations

import calendar
import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from rdflib import URIRef
from rdflib.namespace import DCAT
from rdflib.term import Node

from segraph.namespaces import SEG
from segraph.publish.describe import Presenter, Shown

_DATE = re.compile(r"(-?\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")

# Layout, in SVG user units.
LANE_HEIGHT = 26
BAR_HEIGHT = 14
LABEL_WIDTH = 170
PLOT_WIDTH = 720
AXIS_HEIGHT = 28
NETWORK_ROW = 18
NETWORK_WIDTH = 900
PROJECT_X = 190
ORGANISATION_X = 420
LONGEST_TEXT = 62
LONGEST_PROJECT = 26
YEAR_LABEL_WIDTH = 36


def first_day(lexical: str) -> date | None:
    """The first day an xsd:date, xsd:gYearMonth or xsd:gYear covers; None if it is none of them."""
    match = _DATE.match(lexical)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


def last_day(lexical: str) -> date | None:
    """The last day an xsd:date, xsd:gYearMonth or xsd:gYear covers: 2021 ends on 31 December."""
    match = _DATE.match(lexical)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        if day:
            return date(int(year), int(month), int(day))
        last_month = int(month or 12)
        return date(int(year), last_month, calendar.monthrange(int(year), last_month)[1])
    except ValueError:
        return None


@dataclass(frozen=True)
class Bar:
    """One period drawn on a lane; an open end runs to the edge of the axis."""

    x: float
    y: float
    width: float
    height: int
    title: str
    kind: str
    open_end: bool


@dataclass(frozen=True)
class Lane:
    project: Shown
    text: str
    text_y: float
    bars: tuple[Bar, ...]


@dataclass(frozen=True)
class Tick:
    """A year on the axis: a line at 1 January, the year's number (if it fits) in the middle of the year."""

    x: float
    label_x: float
    label: str


@dataclass(frozen=True)
class Timeline:
    width: int
    height: int
    axis_y: float
    plot_left: int
    plot_right: int
    lanes: tuple[Lane, ...]
    ticks: tuple[Tick, ...]
    undated: tuple[Shown, ...]


@dataclass(frozen=True)
class _Stated:
    """A period's stated dates, as days, with the text a reader sees."""

    start: date
    end: date | None
    text: str
    kind: str


def timeline(show: Presenter, projects: list[URIRef]) -> Timeline:
    """One lane per project with a dated period (and its extensions); the others are listed as undated."""
    stated: list[tuple[Shown, list[_Stated]]] = []
    undated: list[Shown] = []
    for project in projects:
        periods = _stated_periods(show, project)
        if periods:
            stated.append((show.term(project), periods))
        else:
            undated.append(show.term(project))
    stated.sort(key=lambda lane: (min(p.start for p in lane[1]), lane[0].text.casefold()))
    axis = _axis([p for _, periods in stated for p in periods])
    return Timeline(
        width=LABEL_WIDTH + PLOT_WIDTH + 20,
        height=AXIS_HEIGHT + LANE_HEIGHT * len(stated) + 8,
        axis_y=AXIS_HEIGHT - 8,
        plot_left=LABEL_WIDTH,
        plot_right=LABEL_WIDTH + PLOT_WIDTH,
        lanes=tuple(_lane(axis, number, name, periods) for number, (name, periods) in enumerate(stated)),
        ticks=_ticks(axis),
        undated=tuple(sorted(undated, key=lambda s: s.text.casefold())),
    )


@dataclass(frozen=True)
class _Axis:
    """Whole years, from 1 January of the first to 31 December of the last."""

    start: date
    end: date

    def x(self, day: date) -> float:
        return round(LABEL_WIDTH + PLOT_WIDTH * (day - self.start).days / (self.end - self.start).days, 1)


def _axis(periods: list[_Stated]) -> _Axis:
    """The years the periods cover, and one more when a period has no stated end."""
    days = [d for p in periods for d in (p.start, p.end) if d is not None]
    # No dated project: an empty axis of one year (any year would do; 2000 keeps output fixed).
    first_year = min((d.year for d in days), default=2000)
    last_year = max((d.year for d in days), default=first_year)
    if any(p.end is None for p in periods):
        last_year += 1
    return _Axis(date(first_year, 1, 1), date(last_year + 1, 1, 1))


def _lane(axis: _Axis, number: int, name: Shown, periods: list[_Stated]) -> Lane:
    """A project's row: its name, and a bar from each period's first day to the end of its last."""
    top = AXIS_HEIGHT + number * LANE_HEIGHT
    bars = []
    for period in periods:
        until = period.end + timedelta(days=1) if period.end else axis.end
        bars.append(
            Bar(
                x=axis.x(period.start),
                y=top + (LANE_HEIGHT - BAR_HEIGHT) / 2,
                width=max(round(axis.x(until) - axis.x(period.start), 1), 1.0),
                height=BAR_HEIGHT,
                title=f"{name.text}: {period.text}",
                kind=period.kind,
                open_end=period.end is None,
            )
        )
    return Lane(
        project=name, text=_shorten(name.text, LONGEST_PROJECT), text_y=top + LANE_HEIGHT / 2 + 4, bars=tuple(bars)
    )


def _ticks(axis: _Axis) -> tuple[Tick, ...]:
    """A line at each 1 January; year numbers only as often as they fit."""
    years = list(range(axis.start.year, axis.end.year))
    every = max(1, math.ceil(YEAR_LABEL_WIDTH * len(years) / PLOT_WIDTH))
    return tuple(
        Tick(
            x=axis.x(date(year, 1, 1)),
            label_x=round((axis.x(date(year, 1, 1)) + axis.x(date(year + 1, 1, 1))) / 2, 1),
            label=str(year) if (year - years[0]) % every == 0 else "",
        )
        for year in years
    )


def _stated_periods(show: Presenter, project: URIRef) -> list[_Stated]:
    """The project's periods and their extensions that state at least a start."""
    found: list[_Stated] = []
    for period in show.index.values(project, SEG.period):
        found += _dated(show, period, "period")
        for extension in show.index.values(period, SEG.extension):
            found += _dated(show, extension, "extension")
    return found


def _dated(show: Presenter, period: Node, kind: str) -> list[_Stated]:
    start = show.index.first(period, DCAT.startDate)
    end = show.index.first(period, DCAT.endDate)
    start_day = first_day(str(start)) if start is not None else None
    end_day = last_day(str(end)) if end is not None else None
    if start_day is None:
        return []
    ending = str(end) if end_day is not None else "no end stated"
    label = "extension " if kind == "extension" else ""
    return [_Stated(start_day, end_day, f"{label}{start} – {ending}", kind)]


@dataclass(frozen=True)
class Point:
    """A project or an organisation in the drawing, with its (possibly shortened) text."""

    x: int
    y: int
    name: Shown
    text: str


@dataclass(frozen=True)
class Line:
    x1: int
    y1: int
    x2: int
    y2: int
    title: str


@dataclass(frozen=True)
class Network:
    width: int
    height: int
    projects: tuple[Point, ...]
    organisations: tuple[Point, ...]
    lines: tuple[Line, ...]


def network(show: Presenter, participations: list[tuple[URIRef, URIRef, str]]) -> Network:
    """Projects on the left, organisations on the right, a line for each (project, organisation, role)."""
    projects = sorted({p for p, _, _ in participations}, key=lambda n: (show.term(n).text.casefold(), str(n)))
    organisations = sorted({o for _, o, _ in participations}, key=lambda n: (show.term(n).text.casefold(), str(n)))
    rows = max(len(projects), len(organisations), 1)
    height = rows * NETWORK_ROW + 2 * NETWORK_ROW

    def column(nodes: list[URIRef], x: int, longest: int) -> dict[URIRef, Point]:
        step = (height - 2 * NETWORK_ROW) / max(len(nodes), 1)
        return {
            node: Point(x, round(NETWORK_ROW + step * (number + 0.5)), name, _shorten(name.text, longest))
            for number, (node, name) in enumerate((n, show.term(n)) for n in nodes)
        }

    left = column(projects, PROJECT_X, LONGEST_PROJECT)
    right = column(organisations, ORGANISATION_X, LONGEST_TEXT)
    lines = tuple(
        Line(
            PROJECT_X + 6,
            left[p].y,
            ORGANISATION_X - 6,
            right[o].y,
            f"{right[o].name.text} — {role} — {left[p].name.text}",
        )
        for p, o, role in sorted(participations, key=lambda t: (left[t[0]].y, right[t[1]].y, t[2]))
    )
    return Network(NETWORK_WIDTH, height, tuple(left.values()), tuple(right.values()), lines)


def _shorten(text: str, longest: int) -> str:
    """A text cut to fit its column; the full text stays in the element's <title>."""
    return text if len(text) <= longest else text[: longest - 1].rstrip() + "…"
