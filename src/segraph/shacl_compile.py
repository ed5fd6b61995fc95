"""Compile segraph's SHACL shapes into SPARQL queries that select the violations.

pySHACL walks the data node by node in Python, which takes minutes at 10,000
projects. The shapes segraph uses need only a small part of SHACL, and each of its
constraints is one set-based SPARQL query that Oxigraph answers in a fraction of a
second: every row a query returns is one result, carrying the focus node, the value
and the query's shape, constraint component, severity, path and message exactly as
pySHACL reports them (``segraph.validate_fast`` runs them).

The subset: targets (``sh:targetClass`` with ``rdfs:subClassOf*``, ``sh:targetSubjectsOf``,
``sh:targetObjectsOf``, ``sh:targetNode``); node shapes and property shapes whose path is
an IRI or an ``sh:alternativePath`` of IRIs; ``sh:minCount``, ``sh:maxCount``,
``sh:datatype``, ``sh:class``, ``sh:nodeKind``, ``sh:pattern`` (no flags), ``sh:in``,
``sh:hasValue``, ``sh:min/maxInclusive``, ``sh:min/maxExclusive``, ``sh:or`` of shapes made
of term tests, and SHACL-SPARQL ``sh:sparql`` SELECT constraints on node shapes. A node
shape using anything else (or without an ``sh:message``, whose generic text is
pySHACL's own) is not compiled but named in ``CompiledShapes.fallback``, for pySHACL.

Each query can be restricted to some focus nodes (``CompiledConstraint.for_focus``): the
restriction opens the query and each subquery (Oxigraph evaluates a subquery on its own),
so re-validating the few nodes a changed file touches costs index lookups, not a pass
over the graph (0.2 s for all 106 queries on a 100,000-project store on disk).

Term tests (datatype, node kind, ``sh:in``, pattern) are decided in Python by the same
rules as pySHACL (``segraph.shacl_terms``); the query only leaves out values that
certainly pass, so Python looks at the few doubtful ones.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import Node

from segraph.shacl_terms import (
    TERM_TESTS,
    TermTest,
    Unsupported,
    only,
    or_test,
    range_test,
    sparql_term,
    term_test,
)

TARGETS = (SH.targetClass, SH.targetSubjectsOf, SH.targetObjectsOf, SH.targetNode)
_RANGES = {
    SH.minInclusive: (">=", SH.MinInclusiveConstraintComponent),
    SH.minExclusive: (">", SH.MinExclusiveConstraintComponent),
    SH.maxInclusive: ("<=", SH.MaxInclusiveConstraintComponent),
    SH.maxExclusive: ("<", SH.MaxExclusiveConstraintComponent),
}
_VALUE_TESTS = TERM_TESTS | {SH["class"], SH["or"], *_RANGES}
_ANNOTATIONS = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.name, SH.description}
_NODE_KEYS = _ANNOTATIONS | _VALUE_TESTS | set(TARGETS) | {SH.property, SH.sparql}
_PROPERTY_KEYS = _ANNOTATIONS | _VALUE_TESTS | {SH.path, SH.minCount, SH.maxCount, SH.hasValue}
_SPARQL_KEYS = {RDF.type, RDFS.label, RDFS.comment, SH.message, SH.severity, SH.prefixes, SH.select}

_DIVISION_BY_DECIMAL = re.compile(r"/\s*([0-9]+)\.([0-9]+)\b")
# Where a focus restriction goes in a query: first in its WHERE (so Oxigraph joins from it), inside
# the target subquery, any per-node count and a SHACL-SPARQL subquery (each evaluated on its own).
# A comment, so the unrestricted query is the same query without it.
_FOCUS_SLOT = "#@segraph-focus@\n"
# An anti-join: MINUS over the whole graph (Oxigraph evaluates it once, 3× faster than FILTER NOT EXISTS
# per value), FILTER NOT EXISTS for a few focus nodes (MINUS would still evaluate every value's side).
_ANTI_JOIN = "#@segraph-anti-join@\n"


@dataclass(frozen=True)
class SparqlConstraint:
    """A SHACL-SPARQL constraint as written, for rendering its message with rdflib (as pySHACL does)."""

    node: Node
    query: str
    messages: tuple[Literal, ...]

    @cached_property
    def prepared(self) -> Query:
        """The query parsed by rdflib once (parsing costs a second), when a message needs rendering."""
        from rdflib.plugins.sparql import prepareQuery

        return prepareQuery(self.query)

    @cached_property
    def algebra(self) -> tuple[frozenset[URIRef], tuple[tuple[object, object, object], ...]]:
        """The IRIs the query's algebra names anywhere, and its triple patterns (every BGP, subqueries included)."""
        iris: set[URIRef] = set()
        patterns: list[tuple[object, object, object]] = []

        def walk(node: object) -> None:
            if isinstance(node, URIRef):
                iris.add(node)
            elif isinstance(node, dict):
                if getattr(node, "name", "") == "BGP":
                    patterns.extend(node["triples"])
                for value in node.values():
                    walk(value)
            elif isinstance(node, list | tuple):
                for value in node:
                    walk(value)

        walk(self.prepared.algebra)
        return frozenset(iris), tuple(patterns)

    @cached_property
    def reach(self) -> tuple[frozenset[URIRef], int]:
        """The IRIs the query names and its number of triple patterns.

        The triples it can match lie within that many steps of the focus node along those IRIs.
        """
        iris, patterns = self.algebra
        return iris, len(patterns)

    @cached_property
    def forward_depth(self) -> int | None:
        """How far from $this the triples the query reads can lie, when it only walks forward from $this.

        Every triple pattern must have $this, or a variable some pattern reaches from
        $this, as its subject, and an IRI or a variable as its predicate; the answer is
        the largest number of steps to such a subject. None when the query reads
        anything else (a pattern backwards, a property path): only a full run is safe.
        """
        from rdflib.term import Variable

        triples = self.algebra[1]
        depth: dict[object, int] = {Variable("this"): 0}
        for _ in triples:  # each pass settles at least one more level of the tree
            for s, _p, o in triples:
                if s in depth and isinstance(o, Variable | BNode) and depth.get(o, len(triples)) > depth[s] + 1:
                    depth[o] = depth[s] + 1
        if any(s not in depth or not isinstance(p, URIRef | Variable) for s, p, _o in triples):
            return None
        return max((depth[s] for s, _p, _o in triples), default=0)


@dataclass(frozen=True)
class CompiledConstraint:
    """One constraint as a query: each row (?focus, ?value[, ?path, …]) is a candidate result.

    ``keep`` decides, by pySHACL's rules, whether a candidate row's value really fails
    (None: every row is a result). ``path`` is the result path as pySHACL reports it:
    the shapes graph's own path node (a blank node for an alternative path).
    """

    shape: Node
    component: URIRef
    severity: Node
    messages: tuple[Literal, ...]
    path: Node | None
    query: str
    reports_value: bool = True
    keep: TermTest | None = None
    sparql: SparqlConstraint | None = None
    path_properties: tuple[URIRef, ...] = ()  # what the path follows: itself, or each alternative
    template: str = ""  # the query with a slot for a focus restriction (``for_focus``)

    def for_focus(self, restriction: str) -> str:
        """The query limited to the focus nodes a group pattern binds (``focus_restriction``)."""
        return self.template.replace(_FOCUS_SLOT, restriction + "\n").replace(_ANTI_JOIN, "FILTER NOT EXISTS ")


@dataclass
class CompiledShapes:
    """The compiled constraints and the node shapes left to pySHACL, each with the reason."""

    constraints: list[CompiledConstraint] = field(default_factory=list)
    fallback: dict[Node, str] = field(default_factory=dict)


def compile_shapes(shapes: Graph) -> CompiledShapes:
    """Compile every targeted shape of a shapes graph; a shape outside the subset goes to ``fallback``."""
    compiled = CompiledShapes()
    targeted = {s for target in TARGETS for s in shapes.subjects(target, None)}
    for shape in sorted(targeted, key=str):
        try:
            compiled.constraints += _compile_shape(shapes, shape)
        except Unsupported as reason:
            compiled.fallback[shape] = str(reason)
    return compiled


def _compile_shape(shapes: Graph, shape: Node) -> list[CompiledConstraint]:
    if (shape, RDF.type, RDFS.Class) in shapes or (shape, SH.deactivated, None) in shapes:
        raise Unsupported("implicit class target or sh:deactivated")
    if (shape, SH.path, None) in shapes:
        raise Unsupported("a property shape with its own targets")
    only(shapes, shape, _NODE_KEYS)
    focus = _focus_pattern(shapes, shape)
    constraints = _value_constraints(shapes, shape, focus, None, "BIND (?focus AS ?value)")
    for prop in sorted(shapes.objects(shape, SH.property), key=str):
        constraints += _compile_property(shapes, prop, focus)
    for sparql in sorted(shapes.objects(shape, SH.sparql), key=str):
        constraints.append(_compile_sparql(shapes, shape, sparql, focus))
    return constraints


def _compile_property(shapes: Graph, prop: Node, focus: str) -> list[CompiledConstraint]:
    if (prop, SH.deactivated, None) in shapes:
        raise Unsupported(f"sh:deactivated on {prop}")
    only(shapes, prop, _PROPERTY_KEYS)
    path_node = shapes.value(prop, SH.path)
    path = _path(shapes, path_node)
    values = f"?focus {path} ?value ."
    constraints = _value_constraints(shapes, prop, focus, path_node, values)
    for count in shapes.objects(prop, SH.minCount):
        n = _integer(count)
        where = f"FILTER NOT EXISTS {{ ?focus {path} ?any }}" if n == 1 else _count(path, f"?n < {n}")
        constraints.append(_constraint(shapes, prop, SH.MinCountConstraintComponent, path_node, focus, where, False))
    for count in shapes.objects(prop, SH.maxCount):
        n = _integer(count)
        if n == 0:
            where = f"FILTER EXISTS {{ ?focus {path} ?any }}"
        elif n == 1:  # two different values: a join on the index, 3× faster than counting every focus node's values
            where = f"?focus {path} ?any , ?other .\nFILTER (!sameTerm(?any, ?other))"
        else:
            where = _count(path, f"?n > {n}")
        constraints.append(_constraint(shapes, prop, SH.MaxCountConstraintComponent, path_node, focus, where, False))
    for value in shapes.objects(prop, SH.hasValue):
        where = f"FILTER NOT EXISTS {{ ?focus {path} {sparql_term(value)} }}"
        constraints.append(_constraint(shapes, prop, SH.HasValueConstraintComponent, path_node, focus, where, False))
    return constraints


def _value_constraints(
    shapes: Graph, shape: Node, focus: str, path_node: Node | None, values: str
) -> list[CompiledConstraint]:
    """The constraints checked on each value node (the focus itself for a node shape)."""
    constraints = []
    for key in sorted(TERM_TESTS | {SH["or"]}, key=str):
        for parameter in shapes.objects(shape, key):
            sure, exact = or_test(shapes, parameter) if key == SH["or"] else term_test(shapes, key, parameter)
            where = f"{values}\nFILTER (!COALESCE({sure}, false))"
            component = SH.OrConstraintComponent if key == SH["or"] else _component(key)
            constraints.append(_constraint(shapes, shape, component, path_node, focus, where, True, exact))
    for cls in shapes.objects(shape, SH["class"]):
        where = f"{values}\n{_ANTI_JOIN}{{ ?value {RDF.type.n3()}/{RDFS.subClassOf.n3()}* {sparql_term(cls)} }}"
        constraints.append(_constraint(shapes, shape, SH.ClassConstraintComponent, path_node, focus, where, True))
    for key, (comparison, component) in _RANGES.items():
        for bound in shapes.objects(shape, key):
            if not isinstance(bound, Literal):
                raise Unsupported(f"{key} {bound} is not a literal")
            where = f"{values}\nFILTER (!COALESCE(?value {comparison} {sparql_term(bound)}, false))"
            keep = range_test(bound, comparison)
            constraints.append(_constraint(shapes, shape, component, path_node, focus, where, True, keep))
    return constraints


def _constraint(
    shapes: Graph,
    shape: Node,
    component: URIRef,
    path_node: Node | None,
    focus: str,
    where: str,
    reports_value: bool,
    keep: TermTest | None = None,
) -> CompiledConstraint:
    messages = _messages(shapes, shape)
    if not messages:
        raise Unsupported(f"{shape} has no sh:message (pySHACL writes its own)")
    projection = "?focus ?value" if reports_value else "?focus"
    template = f"SELECT DISTINCT {projection}\nWHERE {{\n{_FOCUS_SLOT}{focus}\n{where}\n}}"
    severity = shapes.value(shape, SH.severity) or SH.Violation
    properties = _path_properties(shapes, path_node)
    query = template.replace(_FOCUS_SLOT, "").replace(_ANTI_JOIN, "MINUS ")
    return CompiledConstraint(
        shape, component, severity, messages, path_node, query, reports_value, keep, None, properties, template
    )


def _path_properties(shapes: Graph, path: Node | None) -> tuple[URIRef, ...]:
    """The properties a (compiled) path follows: the path itself, or each alternative."""
    if isinstance(path, URIRef):
        return (path,)
    alternatives = shapes.value(path, SH.alternativePath) if path is not None else None
    if alternatives is None:
        return ()
    return tuple(m for m in Collection(shapes, alternatives) if isinstance(m, URIRef))


def _compile_sparql(shapes: Graph, shape: Node, constraint: Node, focus: str) -> CompiledConstraint:
    if (constraint, SH.deactivated, None) in shapes:
        raise Unsupported(f"sh:deactivated on {constraint}")
    only(shapes, constraint, _SPARQL_KEYS)
    select = shapes.value(constraint, SH.select)
    if not isinstance(select, Literal):
        raise Unsupported(f"{constraint} has no sh:select")
    text = str(select)
    if re.search(r"\$(currentShape|shapesGraph|PATH)\b|\?failure\b", text):
        raise Unsupported(f"{constraint} uses $currentShape, $shapesGraph, $PATH or ?failure")
    messages = _messages(shapes, constraint) or _messages(shapes, shape)
    if not messages:
        raise Unsupported(f"{constraint} has no sh:message (pySHACL writes its own)")
    prefixes = "".join(f"PREFIX {p}: <{n}>\n" for p, n in _declared_prefixes(shapes, constraint))
    inner = _safe_divisions(re.sub(r"\$this\b", "?focus", text))
    template = f"{prefixes}SELECT * WHERE {{\n{_FOCUS_SLOT}{focus}\n{{ {_slotted(inner)} }}\n}}"
    severity = shapes.value(shape, SH.severity) or SH.Violation  # pySHACL takes the shape's, as SHACL says
    original = SparqlConstraint(constraint, prefixes + text, messages)
    query = template.replace(_FOCUS_SLOT, "")
    component = SH.SPARQLConstraintComponent
    return CompiledConstraint(shape, component, severity, messages, None, query, sparql=original, template=template)


def _slotted(select: str) -> str:
    """A SHACL-SPARQL SELECT with a focus slot opening its WHERE, when it projects the focus node.

    Oxigraph evaluates a subquery on its own, so a restriction outside it would still
    let it run over the whole graph.
    """
    head = re.match(r"\s*SELECT\s+(?:DISTINCT\s+|REDUCED\s+)?([^{]*?)\s*WHERE\s*\{", select, re.IGNORECASE)
    if head is None or not re.search(r"(\?focus\b|\*)", head.group(1)):
        return select
    return select[: head.end()] + "\n" + _FOCUS_SLOT + select[head.end() :]


def _safe_divisions(query: str) -> str:
    """Divide by an integer: Oxigraph 0.5 leaves ``0 / 30.44`` unbound, while ``0 * 100 / 3044`` is 0.

    ``x / 30.44`` and ``x * 100 / 3044`` are the same decimal number (``*`` and ``/``
    bind equally tight, from the left), so the rewrite changes no result.
    """

    def integer_divisor(match: re.Match[str]) -> str:
        whole, fraction = match.groups()
        return f"* 1{'0' * len(fraction)} / {int(whole + fraction)}"

    return _DIVISION_BY_DECIMAL.sub(integer_divisor, query)


def _focus_pattern(shapes: Graph, shape: Node) -> str:
    """A subquery binding ?focus to each target node of the shape, once."""
    branches = []
    for cls in shapes.objects(shape, SH.targetClass):
        branches.append(f"?focus {RDF.type.n3()} ?class . ?class {RDFS.subClassOf.n3()}* {sparql_term(cls)} .")
    branches += [f"?focus {sparql_term(p)} [] ." for p in shapes.objects(shape, SH.targetSubjectsOf)]
    branches += [f"[] {sparql_term(p)} ?focus ." for p in shapes.objects(shape, SH.targetObjectsOf)]
    branches += [f"VALUES ?focus {{ {sparql_term(n)} }}" for n in shapes.objects(shape, SH.targetNode)]
    union = " UNION ".join(f"{{ {b} }}" for b in sorted(branches))
    return f"{{ SELECT DISTINCT ?focus WHERE {{ {_FOCUS_SLOT}{union} }} }}"


def focus_restriction(iris: Iterable[URIRef], holders: Mapping[int, Iterable[URIRef]] | None = None) -> str:
    """A group pattern binding ?focus to the given IRIs, and to the blank nodes the holders hold.

    A query cannot name a blank node, so one is reached from the IRI that holds it:
    ``holders[k]`` are IRIs whose blank nodes ``k`` steps down are wanted (each step
    through a blank node). That binds a superset (the holder's other blank nodes too),
    which the caller filters. Every branch starts from its VALUES, so Oxigraph answers
    with index lookups.
    """
    branches = []
    named = " ".join(sorted(iri.n3() for iri in iris))
    if named:
        branches.append(f"{{ VALUES ?focus {{ {named} }} }}")
    for depth, held in sorted((holders or {}).items()):
        roots = " ".join(sorted(iri.n3() for iri in held))
        if not roots or depth < 1:
            continue
        hops = ["?restrictH"] + [f"?restrictB{i}" for i in range(1, depth)] + ["?focus"]
        steps = " . ".join(f"{a} ?restrictP{i} {b}" for i, (a, b) in enumerate(zip(hops, hops[1:], strict=False)))
        blank = " && ".join(f"isBlank({v})" for v in hops[1:])
        branches.append(f"{{ VALUES ?restrictH {{ {roots} }} {steps} FILTER ({blank}) }}")
    return "{ " + (" UNION ".join(branches) or "FILTER (false)") + " }"


def _path(shapes: Graph, path: Node | None) -> str:
    if isinstance(path, URIRef):
        return path.n3()
    alternatives = shapes.value(path, SH.alternativePath) if isinstance(path, BNode) else None
    if alternatives is not None and len(set(shapes.predicate_objects(path))) == 1:
        members = list(Collection(shapes, alternatives))
        if members and all(isinstance(m, URIRef) for m in members):
            return "(" + "|".join(m.n3() for m in members) + ")"
    raise Unsupported(f"path {path} is neither an IRI nor an alternative path of IRIs")


def _count(path: str, condition: str) -> str:
    """Focus nodes whose number of distinct values meets ``condition`` on ?n (a node without values counts 0)."""
    counts = f"SELECT ?focus (COUNT(DISTINCT ?any) AS ?n) WHERE {{ {_FOCUS_SLOT}?focus {path} ?any }} GROUP BY ?focus"
    return f"OPTIONAL {{ {counts} }}\nBIND (COALESCE(?n, 0) AS ?count)\nFILTER ({condition.replace('?n', '?count')})"


def _component(key: URIRef) -> URIRef:
    return {
        SH.datatype: SH.DatatypeConstraintComponent,
        SH.nodeKind: SH.NodeKindConstraintComponent,
        SH["in"]: SH.InConstraintComponent,
        SH.pattern: SH.PatternConstraintComponent,
    }[key]


def _messages(shapes: Graph, node: Node) -> tuple[Literal, ...]:
    return tuple(sorted((m for m in shapes.objects(node, SH.message) if isinstance(m, Literal)), key=str))


def _integer(value: Node) -> int:
    if not isinstance(value, Literal) or not isinstance(value.value, int):
        raise Unsupported(f"count {value} is not an integer")
    return value.value


def _declared_prefixes(shapes: Graph, constraint: Node) -> Iterable[tuple[str, str]]:
    for source in shapes.objects(constraint, SH.prefixes):
        for declaration in shapes.objects(source, SH.declare):
            prefix, namespace = shapes.value(declaration, SH.prefix), shapes.value(declaration, SH.namespace)
            if prefix is not None and namespace is not None:
                yield str(prefix), str(namespace)
