"""Renderers on a small hand-built report: text, JSON, JUnit XML, GitHub annotations and Turtle."""

from __future__ import annotations

import json
from xml.etree import ElementTree as ET

import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SH, XSD

from segraph.namespaces import SEG, SEGSH
from segraph.report import (
    RENDERERS,
    render_github,
    render_json,
    render_junit,
    render_text,
    render_turtle,
    report_graph,
    summary,
)
from segraph.validate import Severity, ValidationReport, ValidationResult

PROJECT = Namespace("https://w3id.org/segraph/project/")
ORGANISATION = Namespace("https://w3id.org/segraph/organisation/")
CHECK = URIRef("https://w3id.org/segraph/checks#label-without-language")

END_BEFORE_START = ValidationResult(
    severity=Severity.VIOLATION,
    focus=PROJECT.alpha,
    focus_label="ALPHA",
    path=SEG.period,
    value=Literal("2024-04-01", datatype=XSD.date),
    message="End before start.",
    source_shape=SEGSH.PeriodOwnerShape,
    constraint=SH.SPARQLConstraintComponent,
    file="data/alpha.ttl",
    line=12,
)
NO_ENGLISH_LABEL = ValidationResult(
    severity=Severity.WARNING,
    focus=ORGANISATION.beta,
    focus_label="Beta AB",
    path=RDFS.label,
    value=Literal("Beta AB", lang="sv"),
    message="No English label.",
    source_shape=CHECK,
    constraint=CHECK,
    file="data/alpha.ttl",
    line=40,
)
TRICKY = ValidationResult(
    severity=Severity.VIOLATION,
    focus=PROJECT.gamma,
    focus_label="Gamma: one, two",
    path=SEG.budget,
    value=Literal(100),
    message="Budget 100% too high\nsecond line\rthird",
    source_shape=SEGSH.BudgetShape,
    constraint=SH.MinCountConstraintComponent,
    file="data/odd:name,1.ttl",
    line=3,
)
BLANK = ValidationResult(
    severity=Severity.INFO,
    focus=BNode(),
    focus_label="(blank node)",
    path=None,
    value=None,
    message="Just so you know.",
    source_shape=None,
    constraint=None,
    file=None,
    line=None,
)
RESULTS = [END_BEFORE_START, NO_ENGLISH_LABEL, TRICKY, BLANK]
FILES = ["data/alpha.ttl", "data/clean.ttl", "data/odd:name,1.ttl"]


@pytest.fixture
def report() -> ValidationReport:
    return ValidationReport(results=list(RESULTS), files=list(FILES))


@pytest.fixture
def warnings_only() -> ValidationReport:
    return ValidationReport(results=[NO_ENGLISH_LABEL], files=["data/alpha.ttl", "data/clean.ttl"])


# --- the report itself --------------------------------------------------------------------------


def test_conforms_counts_only_violations(report: ValidationReport, warnings_only: ValidationReport) -> None:
    assert not report.conforms
    assert warnings_only.conforms
    assert ValidationReport().conforms
    counts = (report.count(Severity.VIOLATION), report.count(Severity.WARNING), report.count(Severity.INFO))
    assert counts == (2, 1, 1)


def test_by_file_groups_in_order(report: ValidationReport) -> None:
    assert report.by_file() == {
        "data/alpha.ttl": [END_BEFORE_START, NO_ENGLISH_LABEL],
        "data/odd:name,1.ttl": [TRICKY],
        "(no file)": [BLANK],
    }


def test_summary(report: ValidationReport, warnings_only: ValidationReport) -> None:
    assert summary(report) == (
        "Validated 3 data file(s): the graph does not conform; 2 violation(s), 1 warning(s), 1 info."
    )
    assert "the graph conforms; 0 violation(s), 1 warning(s)" in summary(warnings_only)


def test_every_format_has_a_renderer() -> None:
    assert set(RENDERERS) == {"text", "json", "turtle", "junit", "github"}


# --- text ----------------------------------------------------------------------------------------


def test_text_groups_by_file_with_property_value_and_message(report: ValidationReport) -> None:
    lines = render_text(report).splitlines()
    assert lines[:12] == [
        "data/alpha.ttl",
        "  Violation: line 12: ALPHA <https://w3id.org/segraph/project/alpha>",
        "    property: seg:period",
        '    value:    "2024-04-01"^^xsd:date',
        "    message:  End before start.",
        "    rule:     segsh:PeriodOwnerShape",
        "  Warning: line 40: Beta AB <https://w3id.org/segraph/organisation/beta>",
        "    property: rdfs:label",
        '    value:    "Beta AB"@sv',
        "    message:  No English label.",
        "    rule:     <https://w3id.org/segraph/checks#label-without-language>",
        "",
    ]
    assert lines[12] == "data/odd:name,1.ttl"
    assert "(no file)" in lines
    assert "  Info: (blank node)" in lines
    assert lines[-1] == summary(report)


def test_text_of_a_clean_report_is_the_summary() -> None:
    clean = ValidationReport(results=[], files=["data/a.ttl"])
    assert render_text(clean) == summary(clean)


# --- JSON ----------------------------------------------------------------------------------------


def test_json_round_trips(report: ValidationReport) -> None:
    data = json.loads(render_json(report))
    assert data["conforms"] is False
    assert data["files"] == FILES
    assert (data["violations"], data["warnings"]) == (2, 1)
    assert len(data["results"]) == len(RESULTS)
    first = data["results"][0]
    assert first == {
        "severity": "Violation",
        "file": "data/alpha.ttl",
        "line": 12,
        "focusNode": str(PROJECT.alpha),
        "focusLabel": "ALPHA",
        "path": str(SEG.period),
        "value": "2024-04-01",
        "valueTerm": '"2024-04-01"^^<http://www.w3.org/2001/XMLSchema#date>',
        "message": "End before start.",
        "usedBy": None,
        "sourceShape": str(SEGSH.PeriodOwnerShape),
        "sourceConstraintComponent": str(SH.SPARQLConstraintComponent),
    }
    for result, rendered in zip(RESULTS, data["results"], strict=True):
        assert rendered["severity"] == result.severity.value
        assert rendered["message"] == result.message
        assert rendered["file"] == result.file
        assert rendered["line"] == result.line
    blank = data["results"][3]
    assert blank["focusNode"] is None and blank["path"] is None and blank["value"] is None


def test_json_keeps_non_ascii_text() -> None:
    result = ValidationResult(
        Severity.WARNING,
        ORGANISATION.o,
        "Region Örebro län",
        None,
        None,
        "Kein Label für „X“",
        None,
        None,
        "data/ö.ttl",
        1,
    )
    text = render_json(ValidationReport([result], ["data/ö.ttl"]))
    assert "Region Örebro län" in text
    assert json.loads(text)["results"][0]["message"] == "Kein Label für „X“"


# --- JUnit ---------------------------------------------------------------------------------------


def test_junit_has_one_failure_per_violation(report: ValidationReport) -> None:
    root = ET.fromstring(render_junit(report))
    assert root.tag == "testsuites"
    suites = {s.get("name"): s for s in root.findall("testsuite")}
    assert set(suites) == {"data/alpha.ttl", "data/clean.ttl", "data/odd:name,1.ttl", "(no file)"}
    assert len(root.findall(".//failure")) == report.count(Severity.VIOLATION)
    for name, suite in suites.items():
        assert int(suite.get("failures", "-1")) == len(suite.findall(".//failure")), name
        assert int(suite.get("tests", "-1")) == len(suite.findall("testcase")), name
    alpha = suites["data/alpha.ttl"]
    failure = alpha.find("testcase/failure")
    assert failure is not None
    assert failure.get("message") == "End before start."
    assert failure.get("type") == "Violation"
    assert str(PROJECT.alpha) in (failure.text or "")


def test_junit_warnings_and_infos_are_not_failures(report: ValidationReport, warnings_only: ValidationReport) -> None:
    root = ET.fromstring(render_junit(report))
    cases = root.findall(".//testcase")
    warning = next(c for c in cases if c.get("name") == "Beta AB rdfs:label")
    assert warning.find("failure") is None
    assert (warning.findtext("system-out") or "").startswith("Warning: ")
    info = next(c for c in cases if c.get("classname") == "(no file)")
    assert info.find("failure") is None
    clean = ET.fromstring(render_junit(warnings_only))
    assert clean.findall(".//failure") == []
    assert all(s.get("failures") == "0" for s in clean.findall("testsuite"))


def test_junit_lists_a_conforming_file_as_one_passing_test(report: ValidationReport) -> None:
    root = ET.fromstring(render_junit(report))
    clean = next(s for s in root.findall("testsuite") if s.get("name") == "data/clean.ttl")
    assert clean.get("tests") == "1" and clean.get("failures") == "0"
    assert [c.get("name") for c in clean.findall("testcase")] == ["conforms"]


def test_junit_declares_xml() -> None:
    assert render_junit(ValidationReport()).startswith("<?xml version='1.0' encoding='utf-8'?>")


# --- GitHub annotations --------------------------------------------------------------------------


def test_github_one_annotation_per_result(report: ValidationReport) -> None:
    lines = render_github(report).splitlines()
    assert [line.split(" ", 1)[0] for line in lines[:-1]] == ["::error", "::warning", "::error", "::notice"]
    assert lines[-1] == summary(report)
    assert lines[0] == (
        "::error file=data/alpha.ttl,line=12,title=segraph%3A ALPHA::End before start. "
        '(node https://w3id.org/segraph/project/alpha, property seg:period, value "2024-04-01"^^xsd:date)'
    )


def test_github_escapes_properties_and_message(report: ValidationReport) -> None:
    tricky = render_github(report).splitlines()[2]
    properties, message = tricky.removeprefix("::error ").split("::", 1)
    assert properties == "file=data/odd%3Aname%2C1.ttl,line=3,title=segraph%3A Gamma%3A one%2C two"
    assert message.startswith("Budget 100%25 too high%0Asecond line%0Dthird (node ")
    assert "\n" not in tricky and "\r" not in tricky


def test_github_without_file_or_line() -> None:
    line = render_github(ValidationReport([BLANK], [])).splitlines()[0]
    assert line == "::notice title=segraph%3A (blank node)::Just so you know. (node " + str(BLANK.focus) + ")"


# --- Turtle (a SHACL validation report) ---------------------------------------------------------


def test_turtle_is_a_shacl_report_with_every_result(report: ValidationReport) -> None:
    graph = Graph().parse(data=render_turtle(report), format="turtle")
    root = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert root is not None
    assert graph.value(root, SH.conforms) == Literal(False)
    results = list(graph.objects(root, SH.result))
    assert len(results) == len(RESULTS)
    assert all((r, RDF.type, SH.ValidationResult) in graph for r in results)
    severities = sorted(str(graph.value(r, SH.resultSeverity)) for r in results)
    assert severities == sorted(map(str, [SH.Violation, SH.Warning, SH.Violation, SH.Info]))
    alpha = next(r for r in results if graph.value(r, SH.focusNode) == PROJECT.alpha)
    assert graph.value(alpha, SH.resultPath) == SEG.period
    assert graph.value(alpha, SH.value) == Literal("2024-04-01", datatype=XSD.date)
    assert graph.value(alpha, SH.resultMessage) == Literal("End before start.", lang="en")
    assert graph.value(alpha, SH.sourceShape) == SEGSH.PeriodOwnerShape
    assert graph.value(alpha, SH.sourceConstraintComponent) == SH.SPARQLConstraintComponent
    assert graph.value(alpha, SEG.sourceFile) == Literal("data/alpha.ttl")
    assert graph.value(alpha, SEG.sourceLine) == Literal(12, datatype=XSD.integer)


def test_turtle_of_a_conforming_report(warnings_only: ValidationReport) -> None:
    graph = Graph().parse(data=render_turtle(warnings_only), format="turtle")
    root = graph.value(None, RDF.type, SH.ValidationReport, any=False)
    assert graph.value(root, SH.conforms) == Literal(True)
    assert len(list(graph.objects(root, SH.result))) == 1


def test_report_graph_leaves_out_what_is_unknown() -> None:
    graph = report_graph(ValidationReport([BLANK], []))
    result = graph.value(None, RDF.type, SH.ValidationResult, any=False)
    for predicate in (
        SH.resultPath,
        SH.value,
        SH.sourceShape,
        SH.sourceConstraintComponent,
        SEG.sourceFile,
        SEG.sourceLine,
    ):
        assert graph.value(result, predicate) is None, predicate
