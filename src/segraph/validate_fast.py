"""Run the compiled shapes and the quality checks on Oxigraph (embedded or behind an endpoint).

The engine only needs a way to run a SELECT: an in-process pyoxigraph ``Store``
(queried over the union of its named graphs) or any ``segraph.store.Store``, such as a
remote endpoint, so a graph in a triple store is validated where it lives. Each row
becomes a ``Finding``: a result as pySHACL reports it, before it is located in a file.

Two things are left to the reference engines, so that findings equal pySHACL's:
shapes outside the compiled subset run in pySHACL (on an rdflib graph of the data),
and the message of a SHACL-SPARQL result is rendered by rdflib from the focus node's
neighbourhood, since Oxigraph writes computed numbers differently (``54`` for rdflib's
``54.0``, 18 decimal places where rdflib keeps 28 digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD
from rdflib.term import Node

from segraph.checks import Check
from segraph.shacl_compile import TARGETS, CompiledConstraint, CompiledShapes
from segraph.store import Store

Row = dict[str, Node]
Select = Callable[[str], list[Row]]


@dataclass(frozen=True)
class Finding:
    """One SHACL or quality-check result, as pySHACL states it."""

    severity: Node
    focus: Node
    path: Node | None
    value: Node | None
    message: str
    source_shape: Node | None
    constraint: Node | None


def from_oxigraph(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple) -> Node:
    """The rdflib term for a pyoxigraph term (a plain string literal has no datatype in rdflib)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Triple):
        raise TypeError("RDF-star triple terms are not supported")
    if term.language:
        return Literal(term.value, lang=term.language)
    if term.datatype.value == str(XSD.string):
        return Literal(term.value)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


def oxigraph_select(store: ox.Store) -> Select:
    """Run SELECTs on a pyoxigraph store, over the union of its named graphs."""

    def select(query: str) -> list[Row]:
        solutions = store.query(query, use_default_graph_as_union=True)
        assert isinstance(solutions, ox.QuerySolutions), "the engine only sends SELECT queries"
        names = [v.value for v in solutions.variables]
        return [
            {name: from_oxigraph(term) for name, term in zip(names, solution, strict=True) if term is not None}
            for solution in solutions
        ]

    return select


def store_select(store: Store) -> Select:
    """Run SELECTs through the ``Store`` protocol (e.g. a remote SPARQL endpoint)."""

    def select(query: str) -> list[Row]:
        result = store.select(query)
        return [
            {name: from_oxigraph(term) for name, term in zip(result.columns, row, strict=True) if term is not None}
            for row in result.terms
        ]

    return select


def download_graph(select: Select) -> Graph:
    """Every triple behind an endpoint, for the shapes pySHACL has to check (this downloads the graph)."""
    graph = Graph()
    for row in select("SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o }"):
        graph.add((row["s"], row["p"], row["o"]))
    return graph


def run_shapes(select: Select, compiled: CompiledShapes, shapes: Graph, data: Graph | None = None) -> list[Finding]:
    """Every SHACL result: compiled constraints on the store, shapes outside the subset in pySHACL.

    ``data`` is the same graph in rdflib, when the caller holds one. Oxigraph stores
    valid literals in canonical form ("5.0"^^xsd:decimal comes back as "5"); with
    ``data`` each value is reported as written and SHACL-SPARQL messages are rendered
    on it, exactly as pySHACL does. Without it (a remote endpoint), values keep
    Oxigraph's canonical form, messages are rendered on the focus node's neighbourhood,
    and shapes outside the subset download the graph.
    """
    findings: set[Finding] = set()
    for constraint in compiled.constraints:
        findings.update(constraint_findings(select, constraint, select(constraint.query), data))
    if compiled.fallback:
        graph = data if data is not None else download_graph(select)
        findings.update(pyshacl_findings(graph, _only_shapes(shapes, compiled.fallback)))
    return list(findings)


def run_checks(select: Select, checks: Iterable[Check]) -> list[Finding]:
    """Each distinct row a quality check returns is one failure (the union repeats triples stated twice)."""
    findings: set[Finding] = set()
    for check in checks:
        findings.update(check_findings(check, select(check.query)))
    return list(findings)


def check_findings(check: Check, rows: Iterable[Row]) -> set[Finding]:
    """The failures a quality check's rows state, once each."""
    severity = URIRef(str(SH) + check.severity.value)
    return {
        Finding(severity, row["focus"], row.get("path"), row.get("value"), check.message, check.iri, check.iri)
        for row in rows
    }


def constraint_findings(
    select: Select, constraint: CompiledConstraint, rows: list[Row], data: Graph | None
) -> Iterable[Finding]:
    """The results a compiled constraint's rows stand for (its query's answer, or part of it)."""
    if constraint.sparql is not None:
        return _sparql_findings(select, constraint, rows, data)
    return _findings(constraint, rows, data)


def _findings(constraint: CompiledConstraint, rows: list[Row], data: Graph | None) -> Iterable[Finding]:
    message = str(constraint.messages[0])
    for row in rows:
        value = row.get("value") if constraint.reports_value else None
        if data is not None and isinstance(value, Literal):
            value = _as_written(data, row["focus"], constraint.path_properties, value)
        if constraint.keep is not None and value is not None and constraint.keep(value):
            continue
        yield Finding(
            constraint.severity, row["focus"], constraint.path, value, message, constraint.shape, constraint.component
        )


def _as_written(data: Graph, focus: Node, predicates: tuple[URIRef, ...], value: Literal) -> Literal:
    """The literal as the data writes it, for Oxigraph's canonical form of it ("5" for "5.0")."""
    written = [
        o
        for p in predicates
        for o in data.objects(focus, p)
        if isinstance(o, Literal) and o.datatype == value.datatype and o.language == value.language
    ]
    if value in written:
        return value
    for literal in written:
        try:
            if literal.eq(value):
                return literal
        except TypeError:  # rdflib cannot compare values of this datatype
            continue
    return value


def _sparql_findings(
    select: Select, constraint: CompiledConstraint, rows: list[Row], data: Graph | None
) -> Iterable[Finding]:
    """SHACL-SPARQL results, with messages rendered by rdflib (as pySHACL renders them)."""
    sparql = constraint.sparql
    assert sparql is not None
    by_focus: dict[Node, list[Row]] = {}
    for row in rows:
        by_focus.setdefault(row["focus"], []).append(row)
    context = data if data is not None else _neighbourhood(select, list(by_focus), *sparql.reach)
    for focus, oxigraph_rows in by_focus.items():
        answer = context.query(sparql.prepared, initBindings={"this": focus})  # type: ignore[dict-item]
        rendered: list[dict[str, Node]] = [
            {str(name): term for name, term in solution.asdict().items()}  # type: ignore[union-attr]
            for solution in answer
        ]
        for row in rendered or [{**r, "this": focus} for r in oxigraph_rows]:
            bound: dict[str, Node | None] = {k: v for k, v in row.items() if k not in ("path", "value", "focus")}
            bound.update(path=row.get("path"), value=row.get("value"))
            yield Finding(
                constraint.severity,
                focus,
                row.get("path"),
                row.get("value"),
                _format_message(str(sparql.messages[0]), bound),
                constraint.shape,
                constraint.component,
            )


def _format_message(message: str, bound: dict[str, Node | None]) -> str:
    """pySHACL's substitution of ``{?var}`` and ``{$var}`` in a SHACL-SPARQL message."""
    for name, value in bound.items():
        if value is not None:
            message = re.sub(f"{{[?$]{name}}}", str(value), message)
    return message


def _neighbourhood(select: Select, roots: list[Node], predicates: frozenset[URIRef], hops: int) -> Graph:
    """The triples reachable from the roots in up to ``hops`` steps along the given predicates.

    That holds every triple a constraint query with those predicates and that many
    patterns can match from its focus node (a query with an unrestricted variable
    predicate may need more: then its rows are not found and Oxigraph's are used).
    """
    graph = Graph()
    named = " ".join(r.n3() for r in roots if isinstance(r, URIRef))  # blank nodes cannot be named in a query
    if not named or not predicates:
        return graph
    allowed = " ".join(sorted(p.n3() for p in predicates))
    branches = []
    for depth in range(hops):
        steps = " ".join(f"VALUES ?q{i} {{ {allowed} }} ?h{i} ?q{i} ?h{i + 1} ." for i in range(depth))
        branches.append(f"{{ {steps} VALUES ?p {{ {allowed} }} ?h{depth} ?p ?o . BIND (?h{depth} AS ?s) }}")
    query = f"SELECT DISTINCT ?s ?p ?o WHERE {{ VALUES ?h0 {{ {named} }} {' UNION '.join(branches)} }}"
    for row in select(query):
        graph.add((row["s"], row["p"], row["o"]))
    return graph


def _only_shapes(shapes: Graph, keep: Iterable[Node]) -> Graph:
    """The shapes graph with the targets of every shape but ``keep`` removed (blank nodes kept as they are)."""
    kept = set(keep)
    subset = Graph()
    for s, p, o in shapes:
        if p in TARGETS and s not in kept:
            continue
        subset.add((s, p, o))
    return subset


def pyshacl_findings(data: Graph, shapes: Graph) -> list[Finding]:
    """pySHACL's own report (the reference engine), read into findings."""
    import pyshacl

    _conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes, inference="none", abort_on_first=False, allow_infos=True, allow_warnings=True
    )
    return [_from_report(report, node) for node in report.subjects(RDF.type, SH.ValidationResult)]


def _from_report(report: Graph, node: Node) -> Finding:
    focus = report.value(node, SH.focusNode)
    assert focus is not None, "pySHACL results always carry a focus node"
    message = report.value(node, SH.resultMessage)
    return Finding(
        report.value(node, SH.resultSeverity) or SH.Violation,
        focus,
        report.value(node, SH.resultPath),
        report.value(node, SH.value),
        str(message) if message is not None else "Constraint not met.",
        report.value(node, SH.sourceShape),
        report.value(node, SH.sourceConstraintComponent),
    )
