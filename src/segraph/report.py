"""Render a validation report as text, JSON, Turtle, JUnit XML or GitHub annotations.

Each renderer is a pure function from the typed report to a string, so the CLI
only picks one and prints it.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from xml.etree import ElementTree as ET

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from segraph.namespaces import SEG, bind_prefixes
from segraph.validate import Severity, ValidationReport, ValidationResult

_SEVERITY_IRI = {Severity.VIOLATION: SH.Violation, Severity.WARNING: SH.Warning, Severity.INFO: SH.Info}


def _short(graph: Graph, node: Node | None) -> str:
    """A compact form of a term for humans: a prefixed name where one is bound."""
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return graph.namespace_manager.normalizeUri(node)
        except ValueError:
            return f"<{node}>"
    if isinstance(node, Literal):
        return node.n3(graph.namespace_manager)
    return "(blank node)"


_NAMES = bind_prefixes(Graph())


def summary(report: ValidationReport) -> str:
    verdict = "conforms" if report.conforms else "does not conform"
    return (
        f"Validated {len(report.files)} data file(s): the graph {verdict}; "
        f"{report.count(Severity.VIOLATION)} violation(s), {report.count(Severity.WARNING)} warning(s), "
        f"{report.count(Severity.INFO)} info."
    )


def render_text(report: ValidationReport) -> str:
    """Grouped by file; each result names node, property, value and message."""
    lines: list[str] = []
    for file, results in report.by_file().items():
        lines.append(file)
        for r in results:
            where = f"line {r.line}: " if r.line else ""
            lines.append(
                f"  {r.severity.value}: {where}{r.focus_label} <{r.focus}>"
                if isinstance(r.focus, URIRef)
                else f"  {r.severity.value}: {where}{r.focus_label}"
            )
            if r.used_by is not None:
                lines.append(f"    used by:  {_short(_NAMES, r.used_by[0])} {_short(_NAMES, r.used_by[1])}")
            if r.path is not None:
                lines.append(f"    property: {_short(_NAMES, r.path)}")
            if r.value is not None:
                lines.append(f"    value:    {_short(_NAMES, r.value)}")
            lines.append(f"    message:  {r.message}")
            if r.source_shape is not None and isinstance(r.source_shape, URIRef):
                lines.append(f"    rule:     {_short(_NAMES, r.source_shape)}")
        lines.append("")
    lines.append(summary(report))
    return "\n".join(lines)


def _as_dict(r: ValidationResult) -> dict[str, object]:
    return {
        "severity": r.severity.value,
        "file": r.file,
        "line": r.line,
        "focusNode": str(r.focus) if isinstance(r.focus, URIRef) else None,
        "focusLabel": r.focus_label,
        "path": str(r.path) if isinstance(r.path, URIRef) else None,
        "value": str(r.value) if r.value is not None else None,
        "valueTerm": r.value.n3() if isinstance(r.value, (URIRef, Literal)) else None,
        "message": r.message,
        "usedBy": {"subject": str(r.used_by[0]), "property": str(r.used_by[1])} if r.used_by else None,
        "sourceShape": str(r.source_shape) if isinstance(r.source_shape, URIRef) else None,
        "sourceConstraintComponent": str(r.constraint) if isinstance(r.constraint, URIRef) else None,
    }


def render_json(report: ValidationReport) -> str:
    return json.dumps(
        {
            "conforms": report.conforms,
            "files": report.files,
            "violations": report.count(Severity.VIOLATION),
            "warnings": report.count(Severity.WARNING),
            "results": [_as_dict(r) for r in report.results],
        },
        indent=2,
        ensure_ascii=False,
    )


def report_graph(report: ValidationReport) -> Graph:
    """The report as a SHACL sh:ValidationReport graph, quality-check results included."""
    graph = bind_prefixes(Graph())
    root = BNode()
    graph.add((root, RDF.type, SH.ValidationReport))
    graph.add((root, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        node = BNode()
        graph.add((root, SH.result, node))
        graph.add((node, RDF.type, SH.ValidationResult))
        graph.add((node, SH.resultSeverity, _SEVERITY_IRI[r.severity]))
        graph.add((node, SH.focusNode, r.focus))
        graph.add((node, SH.resultMessage, Literal(r.message, lang="en")))
        for predicate, value in (
            (SH.resultPath, r.path),
            (SH.value, r.value),
            (SH.sourceShape, r.source_shape),
            (SH.sourceConstraintComponent, r.constraint),
        ):
            if value is not None:
                graph.add((node, predicate, value))
        if r.file:
            graph.add((node, SEG.sourceFile, Literal(r.file)))
        if r.line:
            graph.add((node, SEG.sourceLine, Literal(r.line, datatype=XSD.integer)))
    return graph


def render_turtle(report: ValidationReport) -> str:
    return report_graph(report).serialize(format="turtle")


def render_junit(report: ValidationReport) -> str:
    """JUnit XML: one test suite per file, one failing test case per violation.

    CI systems show each violation as a failed test; a conforming file is one
    passing test case, so a green run still lists what was checked.
    """
    suites = ET.Element("testsuites", name="segraph validate")
    grouped = report.by_file()
    for file in report.files:
        grouped.setdefault(file, [])
    for file, results in grouped.items():
        failures = [r for r in results if r.severity is Severity.VIOLATION]
        suite = ET.SubElement(
            suites, "testsuite", name=file, tests=str(max(len(results), 1)), failures=str(len(failures)), errors="0"
        )
        if not results:
            ET.SubElement(suite, "testcase", classname=file, name="conforms")
        for r in results:
            case = ET.SubElement(
                suite,
                "testcase",
                classname=file,
                name=f"{r.focus_label} {_short(_NAMES, r.path)}".strip(),
            )
            body = f"{r.focus}\nproperty: {_short(_NAMES, r.path)}\nvalue: {_short(_NAMES, r.value)}\n{r.message}"
            if r.severity is Severity.VIOLATION:
                ET.SubElement(case, "failure", message=r.message, type=r.severity.value).text = body
            else:
                ET.SubElement(case, "system-out").text = f"{r.severity.value}: {body}"
    ET.indent(suites)
    return ET.tostring(suites, encoding="unicode", xml_declaration=True)


def _escape_github(text: str, *, property_value: bool = False) -> str:
    """Escape for GitHub workflow commands (%, CR, LF; and : , in properties)."""
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if property_value:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def render_github(report: ValidationReport) -> str:
    """GitHub Actions annotations: ``::error file=…,line=…::message`` per result."""
    level = {Severity.VIOLATION: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
    lines = []
    for r in report.results:
        props = []
        if r.file:
            props.append(f"file={_escape_github(r.file, property_value=True)}")
        if r.line:
            props.append(f"line={r.line}")
        props.append(f"title={_escape_github(f'segraph: {r.focus_label}', property_value=True)}")
        detail = f"{r.message} (node {r.focus}"
        detail += f", used by {_short(_NAMES, r.used_by[0])} {_short(_NAMES, r.used_by[1])}" if r.used_by else ""
        detail += f", property {_short(_NAMES, r.path)}" if r.path is not None else ""
        detail += f", value {_short(_NAMES, r.value)})" if r.value is not None else ")"
        lines.append(f"::{level[r.severity]} {','.join(props)}::{_escape_github(detail)}")
    lines.append(summary(report))
    return "\n".join(lines)


RENDERERS: dict[str, Callable[[ValidationReport], str]] = {
    "text": render_text,
    "json": render_json,
    "turtle": render_turtle,
    "junit": render_junit,
    "github": render_github,
}
