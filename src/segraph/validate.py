"""Validate the graph: SHACL shapes plus the ontology's quality checks.

Two engines give the same results: ``fast`` (the default) runs the shapes compiled
to SPARQL on Oxigraph (``shacl_compile``, ``validate_fast``); ``pyshacl`` is the
reference. A corpus parsed with rdflib (``validate_paths``, ``validate_corpus``), a
graph loaded straight into Oxigraph (``validate_store``, for big graphs) and a graph
behind a SPARQL endpoint (``validate_endpoint``) are validated alike.

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

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SH, SKOS
from rdflib.term import Node

from segraph import paths
from segraph.checks import CHECKS_BASE, Check, load_checks
from segraph.errors import UsageError
from segraph.load import Corpus, Role, SourceFile, load_corpus, parse_shared
from segraph.namespaces import SCHEMA, SEG
from segraph.shacl_compile import compile_shapes
from segraph.store import (
    GRAPH_BASE,
    ONTOLOGY_GRAPH,
    EmbeddedStore,
    OxigraphStore,
    RemoteStore,
    StoredFile,
    open_embedded,
    source_files,
)
from segraph.store_locate import StoreLocator, locate_remote, readable
from segraph.validate_fast import (
    Finding,
    oxigraph_select,
    pyshacl_findings,
    run_checks,
    run_shapes,
    store_select,
)


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


ENGINES = ("fast", "pyshacl")

# Data beyond this many bytes goes straight into Oxigraph (no rdflib copy): a curator's files
# keep every value exactly as written in the report, a programme database validates in minutes.
STRAIGHT_TO_OXIGRAPH = 4 << 20


def validate_paths(data_paths: Sequence[Path] | None = None, engine: str = "fast") -> ValidationReport:
    """Load the ontology, reference data and data files and validate them.

    With the fast engine, data of more than ``STRAIGHT_TO_OXIGRAPH`` bytes is read straight
    into Oxigraph (``validate_store``) instead of being parsed with rdflib first.
    """
    if engine == "fast" and _data_bytes(data_paths) > STRAIGHT_TO_OXIGRAPH:
        return validate_store(open_embedded(data_paths))
    return validate_corpus(load_corpus(data_paths), engine=engine)


def _data_bytes(data_paths: Sequence[Path] | None) -> int:
    return sum(path.stat().st_size for path, role in source_files(data_paths) if role == "data")


def validate_corpus(corpus: Corpus, engine: str = "fast") -> ValidationReport:
    """Run the shapes and the quality checks over the union of all files.

    ``fast`` compiles the shapes to SPARQL and runs them on Oxigraph; ``pyshacl`` is the
    reference engine (slow on big graphs). Both give the same results.
    """
    if not corpus.data_files:
        raise UsageError("no data files to validate: the given paths hold only the ontology or reference data")
    if engine not in ENGINES:
        raise UsageError(f"unknown validation engine {engine!r}: use {' or '.join(ENGINES)}")
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    checks = load_checks(paths.checks_dir())
    if engine == "fast":
        select = oxigraph_select(EmbeddedStore(corpus).oxigraph)
        findings = run_shapes(select, compile_shapes(shapes), shapes, corpus.union)
        findings += run_checks(select, checks)
    else:
        findings = pyshacl_findings(corpus.union, shapes)
        findings += [f for check in checks for f in _run_check(corpus, check)]
    results = [_result(corpus, f) for f in findings]
    results += [r for source in corpus.data_files if (r := _check_one_document(source)) is not None]
    results.sort(key=_sort_key)
    return ValidationReport(results=results, files=[f.display for f in corpus.data_files])


def validate_store(store: OxigraphStore) -> ValidationReport:
    """Validate a graph loaded straight into Oxigraph (a ``segraph load`` store, or files read without rdflib).

    This is the path for big graphs: nothing is parsed with rdflib. Results are
    pySHACL's, located by the same rules as ``validate_corpus``; one difference is
    that Oxigraph keeps valid literals in canonical form, so a value written
    ``"-1.50"^^xsd:decimal`` is reported as ``-1.5``.
    """
    _data_of(store)
    select = oxigraph_select(store.oxigraph)
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    findings = run_shapes(select, compile_shapes(shapes), shapes)
    findings += run_checks(select, load_checks(paths.checks_dir()))
    return store_report(store, findings)


def _data_of(store: OxigraphStore) -> list[StoredFile]:
    data = [f for f in store.files if f.role == "data"]
    if not data:
        raise UsageError("no data files to validate: the store holds only the ontology or reference data")
    return data


def store_report(store: OxigraphStore, findings: Sequence[Finding]) -> ValidationReport:
    """The report of findings made on a store: each located in its file, plus the one-document-per-file check."""
    data = _data_of(store)
    locator = StoreLocator(store)
    placed = [(f, *_place(locator, f)) for f in findings]
    wanted: dict[StoredFile, set[Node]] = {}
    for _, stored, subject, _use in placed:
        if stored is not None and subject is not None:
            wanted.setdefault(stored, set()).add(subject)
    locator.prepare_lines(wanted)
    results = [
        ValidationResult(
            severity=Severity.from_iri(f.severity),
            focus=f.focus,
            focus_label=locator.label(f.focus),
            path=f.path,
            value=f.value,
            message=f.message,
            source_shape=f.source_shape,
            constraint=f.constraint,
            file=stored.display if stored else None,
            line=locator.line(stored, subject),
            used_by=use,
        )
        for f, stored, subject, use in placed
    ]
    results += [r for stored in data if (r := _one_document(stored.path, stored.display, locator.documents(stored)))]
    results.sort(key=_sort_key)
    return ValidationReport(results=results, files=[f.display for f in data])


def _place(locator: StoreLocator, finding: Finding) -> tuple[StoredFile | None, Node | None, tuple[Node, Node] | None]:
    """The file, the subject whose line to show, and the use of the focus (as ``_result`` finds them)."""
    stored, subject = locator.locate(finding.focus)
    stating = locator.stating(finding.focus, finding.path, finding.value)
    if stating is not None:
        stored, subject = stating, finding.focus
    described = stored is not None and stored in locator.describing(finding.focus)
    use = None
    if not described:
        use = next(((s, p) for f, s, p in locator.uses(finding.focus) if f == stored), None)
    return stored, subject, use


def validate_endpoint(endpoint: str) -> ValidationReport:
    """Validate the graph behind a SPARQL endpoint where it lives, with the compiled shapes.

    Results name the named graph that states their focus node in place of a file.
    Shapes outside the compiled subset would need the whole graph: it is downloaded
    only then.
    """
    select = store_select(RemoteStore(endpoint))
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    findings = run_shapes(select, compile_shapes(shapes), shapes)
    findings += run_checks(select, load_checks(paths.checks_dir()))
    located = locate_remote(select, {f.focus for f in findings})
    results = [
        ValidationResult(
            severity=Severity.from_iri(f.severity),
            focus=f.focus,
            focus_label=located[f.focus][0],
            path=f.path,
            value=f.value,
            message=f.message,
            source_shape=f.source_shape,
            constraint=f.constraint,
            file=located[f.focus][1],
            line=None,
        )
        for f in findings
    ]
    results.sort(key=_sort_key)
    graphs = [str(row["g"]) for row in select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")]
    shared = (ONTOLOGY_GRAPH, f"{GRAPH_BASE}reference/")  # the ontology and reference data are not data files
    return ValidationReport(results=results, files=[g for g in graphs if not g.startswith(shared)])


def _sort_key(result: ValidationResult) -> tuple[str, int, str, str, str]:
    return (result.file or "~", result.line or 0, str(result.focus), str(result.path), result.message)


def _run_check(corpus: Corpus, check: Check) -> list[Finding]:
    """Each row a quality-check query returns (on rdflib, the reference) is one failure."""
    rows = (r.asdict() for r in corpus.union.query(check.query))  # type: ignore[union-attr]
    severity = URIRef(str(SH) + check.severity.value)
    return [
        Finding(severity, row["focus"], row.get("path"), row.get("value"), check.message, check.iri, check.iri)
        for row in rows
    ]


def _check_one_document(source: SourceFile) -> ValidationResult | None:
    """A data file holds the facts of exactly one source document (its named graph)."""
    documents = [str(d) for d in source.graph.subjects(RDF.type, SEG.SourceDocument)]
    return _one_document(source.path, source.display, documents)


def _one_document(path: Path, display: str, documents: list[str]) -> ValidationResult | None:
    if len(documents) == 1:
        return None
    found = ", ".join(f"<{d}>" for d in sorted(documents)) or "none"
    return ValidationResult(
        severity=Severity.VIOLATION,
        focus=URIRef(path.resolve().as_uri()),
        focus_label=path.name,
        path=RDF.type,
        value=SEG.SourceDocument,
        message=f"A data file states the facts of exactly one seg:SourceDocument; found {found}.",
        source_shape=URIRef(CHECKS_BASE + "one-document-per-file"),
        constraint=URIRef(CHECKS_BASE + "one-document-per-file"),
        file=display,
        line=None,
    )


def _result(corpus: Corpus, finding: Finding) -> ValidationResult:
    focus = finding.focus
    source, line = corpus.locate(focus)
    stating = _data_file_stating(corpus, focus, finding.path, finding.value)
    if stating is not None:
        source, line = stating, stating.subject_lines.get(focus)
    described = source is not None and (focus, None, None) in source.graph
    use = next(((s, p) for f, s, p in corpus.uses(focus) if f is source), None) if not described else None
    return ValidationResult(
        severity=Severity.from_iri(finding.severity),
        focus=focus,
        focus_label=label_of(corpus.union, focus),
        path=finding.path,
        value=finding.value,
        message=finding.message,
        source_shape=finding.source_shape,
        constraint=finding.constraint,
        file=source.display if source else None,
        line=line,
        used_by=use,
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
    return readable(node, labels)
