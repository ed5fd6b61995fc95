"""Each SHACL shape and quality check fails on the one rule its fixture breaks, and on nothing else.

Every fixture in ``tests/fixtures/shapes/`` is cut from ``valid.ttl`` (which conforms
with zero results) and breaks exactly one rule, named by the file's first line. Each
test validates one fixture alone (the ontology and reference data are always added)
and compares the whole report with the rows of ``EXPECTED`` for that fixture:
shape, path, focus and message fragment, all of severity Violation, nothing more.

A result's shape is its ``source_shape`` when that is named, else (for the blank
property shapes) the node shape that holds it with ``sh:property``. A path given as
a tuple stands for ``sh:alternativePath ( … )``.

Fixtures marked ``BUGS`` show a shape that does not do what its message says; their
rows state what the message promises, and they are strict xfails until it is fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from rdflib import BNode, Graph, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCAT, DCTERMS, PROV, RDF, RDFS, SH, SKOS
from rdflib.term import Node

from segraph import paths
from segraph.checks import CHECKS_BASE
from segraph.load import Role, parse_shared
from segraph.namespaces import NUTS, SCHEMA, SEG, SEGSH
from segraph.validate import Severity, ValidationReport, ValidationResult, validate_paths

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "shapes"

BASE = "https://w3id.org/segraph/"
PROJECT = URIRef(BASE + "project/fixture")
PERIOD = URIRef(BASE + "period/fixture")
PARTICIPATION = URIRef(BASE + "participation/fixture-region-orebro-lan")
ORGANISATION = URIRef(BASE + "organisation/region-orebro-lan")
PERSON = URIRef(BASE + "person/fixture-contact")
AMOUNT = URIRef(BASE + "amount/fixture-total")
STATISTIC = URIRef(BASE + "statistic/fixture-regions")
OUTPUT = URIRef(BASE + "output/fixture-analyses")
MEMBERSHIP = URIRef(BASE + "membership/fixture-network")
COUNTRY = "http://publications.europa.eu/resource/authority/country/"

UNDECLARED_PROPERTY = URIRef(CHECKS_BASE + "undeclared-property")
UNDECLARED_CLASS = URIRef(CHECKS_BASE + "undeclared-class")

LABEL_PATH = (RDFS.label, SKOS.prefLabel)
PRIVACY_PATH = (
    SCHEMA.telephone,
    SCHEMA.email,
    SCHEMA.faxNumber,
    URIRef("http://xmlns.com/foaf/0.1/phone"),
    URIRef("http://xmlns.com/foaf/0.1/mbox"),
    URIRef("http://www.w3.org/2006/vcard/ns#hasTelephone"),
    URIRef("http://www.w3.org/2006/vcard/ns#hasEmail"),
)

Path_ = URIRef | tuple[URIRef, ...] | None

# Fixtures that break nothing: they conform, with no result of any severity.
CONFORMING = ["valid", "same-year-different-precision", "stated-duration-mid-month", "stated-duration-in-days"]

# (fixture, shape or check, path or None, focus, message fragment): one row per expected Violation.
EXPECTED: list[tuple[str, URIRef, Path_, URIRef, str]] = [
    # Labels and language tags
    ("missing-label", SEGSH.LabelShape, LABEL_PATH, PROJECT, "Missing label: give it an rdfs:label"),
    (
        "label-without-language",
        SEGSH.LabelLanguageShape,
        RDFS.label,
        ORGANISATION,
        "Text without a language tag: write rdfs:label",
    ),
    (
        "title-without-language",
        SEGSH.TitleLanguageShape,
        DCTERMS.title,
        PROJECT,
        "Text without a language tag: write dct:title",
    ),
    (
        "job-title-without-language",
        SEGSH.JobTitleLanguageShape,
        SCHEMA.jobTitle,
        PERSON,
        "Text without a language tag: write schema:jobTitle",
    ),
    # Periods and dates
    (
        "end-before-start",
        SEGSH.PeriodOwnerShape,
        SEG.period,
        PROJECT,
        "End before start: the period ends on 2017-01-01, before it starts on 2021-06-30.",
    ),
    (
        "end-before-start-mixed-precision",
        SEGSH.PeriodOwnerShape,
        SEG.period,
        PROJECT,
        "End before start: the period ends on 2020-12, before it starts on 2021.",
    ),
    (
        "stated-duration-contradicts-dates",
        SEGSH.PeriodOwnerShape,
        SEG.period,
        PROJECT,
        "Stated duration contradicts the dates: the document states 48 months, "
        "but the period up to 2021-06-30 covers 54",
    ),
    ("malformed-date", SEGSH.PeriodEndShape, DCAT.endDate, PERIOD, "Malformed end: a period ends on a valid xsd:date"),
    (
        "start-as-plain-string",
        SEGSH.PeriodStartShape,
        DCAT.startDate,
        PERIOD,
        "Malformed start: a period starts on a valid xsd:date",
    ),
    (
        "start-as-plain-string-with-end",
        SEGSH.PeriodStartShape,
        DCAT.startDate,
        PERIOD,
        "Malformed start: a period starts on a valid xsd:date",
    ),
    # Participations and memberships
    (
        "participation-without-organisation",
        SEGSH.ParticipationShape,
        SEG.organisation,
        PARTICIPATION,
        "Participation without organisation",
    ),
    ("participation-without-role", SEGSH.ParticipationShape, SEG.role, PARTICIPATION, "Participation without role"),
    (
        "participation-without-project",
        SEGSH.ParticipationShape,
        SEG.project,
        PARTICIPATION,
        "Participation without project",
    ),
    ("membership-without-role", SEGSH.MembershipShape, SEG.role, MEMBERSHIP, "Membership without role"),
    # Reference data
    (
        "role-not-in-scheme",
        SEGSH.RoleInSchemeShape,
        SKOS.inScheme,
        URIRef(BASE + "vocab/role/boss"),
        "Unknown role: use one of data/reference/roles.ttl",
    ),
    (
        "unknown-country",
        SEGSH.CountryShape,
        SKOS.inScheme,
        URIRef(COUNTRY + "XXX"),
        "Unknown country: not in data/reference/countries.ttl",
    ),
    (
        "malformed-country",
        SEGSH.CountryShape,
        None,
        URIRef(COUNTRY + "se"),
        "Malformed country: use an EU authority-table IRI",
    ),
    (
        "malformed-country",
        SEGSH.CountryShape,
        SKOS.inScheme,
        URIRef(COUNTRY + "se"),
        "Unknown country: not in data/reference/countries.ttl",
    ),
    (
        "unknown-nuts-region",
        SEGSH.RegionShape,
        SKOS.inScheme,
        NUTS.SE999,
        "Unknown NUTS region: the code is in neither NUTS 2021 nor NUTS 2024",
    ),
    (
        "malformed-nuts-region",
        SEGSH.RegionShape,
        None,
        NUTS.se124,
        "Malformed NUTS code: a region is http://data.europa.eu/nuts/code/",
    ),
    (
        "malformed-nuts-region",
        SEGSH.RegionShape,
        SKOS.inScheme,
        NUTS.se124,
        "Unknown NUTS region: the code is in neither NUTS 2021 nor NUTS 2024",
    ),
    (
        "region-not-a-nuts-iri",
        SEGSH.RegionShape,
        None,
        URIRef(COUNTRY + "SWE"),
        "Malformed NUTS code: a region is http://data.europa.eu/nuts/code/",
    ),
    (
        "region-not-a-nuts-iri",
        SEGSH.RegionShape,
        SKOS.inScheme,
        URIRef(COUNTRY + "SWE"),
        "Unknown NUTS region: the code is in neither NUTS 2021 nor NUTS 2024",
    ),
    (
        "organisation-without-kind",
        SEGSH.OrganisationShape,
        SEG.organisationKind,
        ORGANISATION,
        "Organisation without kind",
    ),
    ("unknown-theme", SEGSH.ThemeShape, SKOS.inScheme, URIRef(BASE + "vocab/theme/astrology"), "Unknown theme"),
    (
        "unknown-programme",
        SEGSH.ProgrammeShape,
        None,
        URIRef(BASE + "vocab/programme/marshall-plan"),
        "Unknown programme: use a seg:FundingProgramme",
    ),
    (
        "unknown-policy",
        SEGSH.PolicyLinkShape,
        None,
        URIRef(BASE + "vocab/policy/world-peace"),
        "Unknown policy: a policy link points to a seg:Policy",
    ),
    # Amounts, outputs, statistics. A string value fails both sh:datatype and sh:minInclusive.
    ("amount-without-currency", SEGSH.MonetaryAmountShape, SCHEMA.currency, AMOUNT, "Amount without currency"),
    (
        "amount-value-as-string",
        SEGSH.MonetaryAmountShape,
        SCHEMA.value,
        AMOUNT,
        "An amount needs one non-negative xsd:decimal schema:value",
    ),
    (
        "amount-value-as-string",
        SEGSH.MonetaryAmountShape,
        SCHEMA.value,
        AMOUNT,
        "An amount needs one non-negative xsd:decimal schema:value",
    ),
    ("statistic-without-unit", SEGSH.StatisticShape, SEG.unitText, STATISTIC, "A statistic needs a seg:unitText"),
    (
        "output-with-negative-count",
        SEGSH.OutputShape,
        SEG["count"],
        OUTPUT,
        "An output's count is one non-negative integer",
    ),
    # Provenance and privacy
    ("project-without-source-document", SEGSH.SourcedShape, PROV.wasDerivedFrom, PROJECT, "No source document"),
    (
        "organisation-without-source-document",
        SEGSH.SourcedShape,
        PROV.wasDerivedFrom,
        ORGANISATION,
        "No source document",
    ),
    (
        "person-with-telephone",
        SEGSH.PersonPrivacyShape,
        PRIVACY_PATH,
        PERSON,
        "Privacy: contact persons appear with name and role only",
    ),
    # Quality checks
    (
        "undeclared-property",
        UNDECLARED_PROPERTY,
        SEG.hasPartner,
        PROJECT,
        "Property neither declared in ontology/segraph.ttl nor from a reused vocabulary",
    ),
    (
        "undeclared-foreign-property",
        UNDECLARED_PROPERTY,
        URIRef("http://example.org/vocab#foo"),
        PROJECT,
        "Property neither declared in ontology/segraph.ttl nor from a reused vocabulary",
    ),
    (
        "undeclared-class",
        UNDECLARED_CLASS,
        RDF.type,
        PROJECT,
        "Class neither declared in ontology/segraph.ttl nor from a reused vocabulary",
    ),
]

# Fixtures on which a shape does not do what its message says (none known).
BUGS: dict[str, str] = {}


@dataclass(frozen=True)
class Seen:
    """One result as the expectations describe it."""

    shape: Node | None
    path: Node | tuple[Node, ...] | None
    focus: Node
    message: str
    severity: Severity

    def __str__(self) -> str:
        return f"{self.severity.value} shape={self.shape} path={self.path} focus={self.focus}: {self.message}"


def shapes_graph() -> Graph:
    """The shapes graph validate_paths used: parsed once per process, so its blank nodes match the results'."""
    return parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph


def shape_of(shapes: Graph, result: ValidationResult) -> Node | None:
    """The named shape behind a result: a named source shape itself, else the node shape holding it."""
    shape = result.source_shape
    if isinstance(shape, BNode):
        parents = set(shapes.subjects(SH.property, shape))
        assert len(parents) == 1, f"blank property shape {shape} has node shapes {parents}"
        return parents.pop()
    return shape


def path_of(shapes: Graph, result: ValidationResult) -> Node | tuple[Node, ...] | None:
    """A result's path; an alternative path becomes the tuple of its properties."""
    if isinstance(result.path, BNode):
        alternatives = shapes.value(result.path, SH.alternativePath)
        assert alternatives is not None, f"unexpected complex path {result.path}"
        return tuple(Collection(shapes, alternatives))
    return result.path


def seen(report: ValidationReport) -> list[Seen]:
    shapes = shapes_graph()
    return [Seen(shape_of(shapes, r), path_of(shapes, r), r.focus, r.message, r.severity) for r in report.results]


def unmatched(expected: list[tuple[URIRef, Path_, URIRef, str]], actual: list[Seen]) -> tuple[list, list[Seen]]:
    """Pair each expected row with one result of severity Violation; return what is left on either side."""
    left = list(actual)
    missing = []
    for shape, path, focus, fragment in expected:
        match = next(
            (
                s
                for s in left
                if s.severity is Severity.VIOLATION
                and s.shape == shape
                and s.path == path
                and s.focus == focus
                and fragment in s.message
            ),
            None,
        )
        if match is None:
            missing.append((shape, path, focus, fragment))
        else:
            left.remove(match)
    return missing, left


def fixture_names() -> list[str]:
    return sorted(p.stem for p in FIXTURES.glob("*.ttl"))


def expected_for(name: str) -> list[tuple[URIRef, Path_, URIRef, str]]:
    return [row[1:] for row in EXPECTED if row[0] == name]


def param(name: str) -> object:
    marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {BUGS[name]}")] if name in BUGS else []
    return pytest.param(name, marks=marks, id=name)


BROKEN = sorted({row[0] for row in EXPECTED})


def test_every_fixture_is_in_the_table_and_says_what_it_breaks() -> None:
    on_disk = set(fixture_names())
    in_table = set(BROKEN) | set(CONFORMING)
    assert on_disk == in_table, f"not in the table: {on_disk - in_table}; no such file: {in_table - on_disk}"
    assert not set(BROKEN) & set(CONFORMING)
    assert set(BUGS) <= in_table
    for name in on_disk:
        first = (FIXTURES / f"{name}.ttl").read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# ") and len(first) > 10, f"{name}.ttl: first line must say which rule it breaks"


@pytest.mark.parametrize("name", [param(n) for n in CONFORMING])
def test_fixture_conforms(name: str) -> None:
    report = validate_paths([FIXTURES / f"{name}.ttl"])
    results = "\n".join(map(str, seen(report)))
    assert report.results == [], f"{name}.ttl should give no result at all, got:\n{results}"
    assert report.conforms


@pytest.mark.parametrize("name", [param(n) for n in BROKEN])
def test_fixture_breaks_exactly_its_rule(name: str) -> None:
    expected = expected_for(name)
    report = validate_paths([FIXTURES / f"{name}.ttl"])
    actual = seen(report)
    missing, extra = unmatched(expected, actual)
    listing = "\n".join(f"  {s}" for s in actual) or "  (none)"
    assert not missing and not extra, (
        f"{name}.ttl\nexpected but not reported: {missing}\nreported but not expected: "
        f"{[str(s) for s in extra]}\nall results:\n{listing}"
    )
    assert report.count(Severity.VIOLATION) == len(expected)
    assert not report.conforms
