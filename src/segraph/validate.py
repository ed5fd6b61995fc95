"""Validate the graph: SHACL shapes (pySHACL) plus the ontology's quality checks.

The result is a typed report: each result keeps the severity its shape declares,
the focus node with a readable label, the property, the value, the message, and
the file (and line, where it can be found) that states the focus node. Renderers
in ``report.py`` turn it into text, JSON, Turtle, JUnit or GitHub annotations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

import pyshacl
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from segraph import paths
from segraph.checks import CHECKS_BASE, Check, load_checks
from segraph.errors import UsageError
from segraph.load import Corpus, Role, SourceFile, load_corpus, parse_shared
from segraph.namespaces import SCHEMA, SEG


class Severity(StrEnum):
    """SHACL's three severities, ordered from worst."""

    VIOLATION = "Violation"
    WARNING = "Warning"
    INFO = "Info"

    @classmethod
    def from_iri(cls, iri: Node | None) -> Severity:
        if iri == SH.Warning:
            return cls.WARNING
        if iri == SH.Info:
            return cls.INFO
        return cls.VIOLATION


@dataclass(frozen=True)
class ValidationResult:
    """One failure, with everything a curator needs to find and fix it."""

    severity: Severity
    focus: Node
    focus_label: str
    path: Node | None
    value: Node | None
    message: str
    source_shape: Node | None
    constraint: Node | None
    file: str | None
    line: int | None
    used_by: tuple[Node, Node] | None = None


@dataclass
class ValidationReport:
    """All results of one run; the data conforms when there is no violation."""

    results: list[ValidationResult] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity is Severity.VIOLATION for r in self.results)

    def count(self, severity: Severity) -> int:
        return sum(1 for r in self.results if r.severity is severity)

    def by_file(self) -> dict[str, list[ValidationResult]]:
        """Results grouped by the file that states their focus node, in file order."""
        grouped: dict[str, list[ValidationResult]] = {}
        for result in self.results:
            grouped.setdefault(result.file or "(no file)", []).append(result)
        return grouped


def validate_paths(data_paths: Sequence[Path] | None = None) -> ValidationReport:
    """Load the corpus (ontology, reference data, data files) and validate it."""
    return validate_corpus(load_corpus(data_paths))


def validate_corpus(corpus: Corpus) -> ValidationReport:
    """Run the shapes and the quality checks over the union of all files."""
    if not corpus.data_files:
        raise UsageError("no data files to validate: the given paths hold only the ontology or reference data")
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    _conforms, results_graph, _text = pyshacl.validate(
        corpus.union,
        shacl_graph=shapes,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
    )
    results = [
        _from_shacl(corpus, results_graph, node) for node in results_graph.subjects(RDF.type, SH.ValidationResult)
    ]
    results += [r for check in load_checks(paths.checks_dir()) for r in _run_check(corpus, check)]
    results += [r for source in corpus.data_files if (r := _check_one_document(source)) is not None]
    results.sort(key=_sort_key)
    return ValidationReport(results=results, files=[f.display for f in corpus.data_files])


def _sort_key(result: ValidationResult) -> tuple[str, int, str, str, str]:
    return (result.file or "~", result.line or 0, str(result.focus), str(result.path), result.message)


def _from_shacl(corpus: Corpus, report: Graph, node: Node) -> ValidationResult:
    focus = report.value(node, SH.focusNode)
    assert focus is not None, "pySHACL results always carry a focus node"
    message = report.value(node, SH.resultMessage)
    return _result(
        corpus,
        severity=Severity.from_iri(report.value(node, SH.resultSeverity)),
        focus=focus,
        path=report.value(node, SH.resultPath),
        value=report.value(node, SH.value),
        message=str(message) if message is not None else "Constraint not met.",
        source_shape=report.value(node, SH.sourceShape),
        constraint=report.value(node, SH.sourceConstraintComponent),
    )


def _run_check(corpus: Corpus, check: Check) -> list[ValidationResult]:
    """Each row a quality-check query returns is one failure."""
    return [
        _result(
            corpus,
            severity=check.severity,
            focus=row["focus"],
            path=row.get("path"),
            value=row.get("value"),
            message=check.message,
            source_shape=check.iri,
            constraint=check.iri,
        )
        for row in (r.asdict() for r in corpus.union.query(check.query))  # type: ignore[union-attr]
    ]


def _check_one_document(source: SourceFile) -> ValidationResult | None:
    """A data file holds the facts of exactly one source document (its named graph)."""
    documents = sorted(str(d) for d in source.graph.subjects(RDF.type, SEG.SourceDocument))
    if len(documents) == 1:
        return None
    found = ", ".join(f"<{d}>" for d in documents) or "none"
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus=URIRef(source.path.resolve().as_uri()),
        focus_label=source.path.name,
        path=RDF.type,
        value=SEG.SourceDocument,
        message=f"A data file states the facts of exactly one seg:SourceDocument; found {found}.",
        source_shape=URIRef(CHECKS_BASE + "one-document-per-file"),
        constraint=URIRef(CHECKS_BASE + "one-document-per-file"),
        file=source.display,
        line=None,
    )


def _result(corpus: Corpus, *, focus: Node, **fields: object) -> ValidationResult:
    source, line = corpus.locate(focus)
    stating = _data_file_stating(corpus, focus, fields.get("path"), fields.get("value"))
    if stating is not None:
        source, line = stating, stating.subject_lines.get(focus)
    described = source is not None and (focus, None, None) in source.graph
    use = next(((s, p) for f, s, p in corpus.uses(focus) if f is source), None) if not described else None
    return ValidationResult(
        focus=focus,
        focus_label=label_of(corpus.union, focus),
        file=source.display if source else None,
        line=line,
        used_by=use,
        **fields,  # type: ignore[arg-type]
    )


def _data_file_stating(corpus: Corpus, focus: Node, path: object, value: object) -> SourceFile | None:
    """The data file that states the offending triple itself, when a result names one."""
    if not isinstance(path, URIRef) or not isinstance(value, Node) or isinstance(focus, BNode):
        return None
    return next((f for f in corpus.data_files if (focus, path, value) in f.graph), None)


def label_of(graph: Graph, node: Node) -> str:
    """A readable name for a node: its English label, else any label, else its IRI's last part."""
    labels = [
        o for p in (RDFS.label, SKOS.prefLabel, SCHEMA.name) for o in graph.objects(node, p) if isinstance(o, Literal)
    ]
    for literal in labels:
        if literal.language == "en":
            return str(literal)
    if labels:
        return str(labels[0])
    if isinstance(node, URIRef):
        return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return "(blank node)"
