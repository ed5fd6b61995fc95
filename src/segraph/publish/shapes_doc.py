"""What the SHACL shapes require of a class's instances, in words, for the ontology page."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDFS, SH
from rdflib.term import Node

from segraph.publish.doctext import Linker, Part, Value, best_text, local_name

# SHACL terms that structure a shape rather than constrain values.
_SHAPE_STRUCTURE = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.property, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.order, SH.group, SH.minCount, SH.maxCount,
    SH.prefixes, SH.declare, RDF.type, RDFS.label, RDFS.comment,
}  # fmt: skip

_COMPARISONS: dict[Node, str] = {SH.minInclusive: "≥", SH.minExclusive: ">", SH.maxInclusive: "≤", SH.maxExclusive: "<"}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "an IRI",
    SH.Literal: "a literal",
    SH.BlankNode: "a blank node",
    SH.BlankNodeOrIRI: "an IRI or blank node",
    SH.BlankNodeOrLiteral: "a blank node or literal",
    SH.IRIOrLiteral: "an IRI or literal",
}
_PATH_SUFFIXES = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}


@dataclass(frozen=True)
class Requirement:
    """What one SHACL shape asks of a path (or of the instance itself, when path is empty)."""

    path: Value
    count: str
    constraints: tuple[Value, ...]
    severity: str
    message: str


@dataclass(frozen=True)
class ShapeDoc:
    """A node shape that targets a class, with its requirements."""

    name: str
    curie: str
    requirements: tuple[Requirement, ...]


def shapes_of(shapes: Graph, cls: URIRef, linker: Linker) -> tuple[ShapeDoc, ...]:
    """The node shapes targeting the class (sh:targetClass), each with its readable requirements."""
    docs = []
    for shape in set(shapes.subjects(SH.targetClass, cls)):
        requirements = [_requirement(shapes, p, linker) for p in shapes.objects(shape, SH.property)]
        if _constraints(shapes, shape, linker):
            requirements.append(_requirement(shapes, shape, linker))
        curie = linker.curie(str(shape)) if isinstance(shape, URIRef) else ""
        name = best_text(shapes, shape, (RDFS.label, SH.name)) or curie
        docs.append(ShapeDoc(name, curie, tuple(sorted(requirements, key=_requirement_order))))
    return tuple(sorted(docs, key=lambda doc: (doc.name, doc.curie)))


def _requirement(shapes: Graph, shape: Node, linker: Linker) -> Requirement:
    """One shape's path, cardinality, value constraints, severity and message, in words."""
    path = shapes.value(shape, SH.path)
    severity = shapes.value(shape, SH.severity)
    return Requirement(
        path=() if path is None else _path(shapes, path, linker),
        count=_count(shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)),
        constraints=_constraints(shapes, shape, linker),
        severity=local_name(str(severity or SH.Violation)),
        message=best_text(shapes, shape, (SH.message,)),
    )


def _requirement_order(requirement: Requirement) -> tuple[str, ...]:
    """Rows in order of path, then of what they ask: independent of blank-node ids."""
    text = ["".join(part.text for part in requirement.path)]
    text += ["".join(part.text for part in value) for value in requirement.constraints]
    return (*text, requirement.count, requirement.message)


def _path(shapes: Graph, path: Node, linker: Linker) -> Value:
    """A SHACL property path in SPARQL's notation: ``a | b``, ``^a``, ``a / b``, ``a*``."""
    if isinstance(path, URIRef):
        return (linker.ref(str(path)),)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return _joined([_path(shapes, p, linker) for p in Collection(shapes, alternatives)], " | ")
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return (Part("^"), *_path(shapes, inverse, linker))
    for predicate, suffix in _PATH_SUFFIXES.items():
        inner = shapes.value(path, predicate)
        if inner is not None:
            return (Part("("), *_path(shapes, inner, linker), Part(")" + suffix))
    return _joined([_path(shapes, p, linker) for p in Collection(shapes, path)], " / ")


def _quoted(node: Node, linker: Linker) -> Value:
    """A value a shape names: a literal in quotes, so "exact" reads as the string it is."""
    return (Part(f'"{node}"'),) if isinstance(node, Literal) else linker.value(node)


def _joined(values: Iterable[Value], separator: str) -> Value:
    parts: list[Part] = []
    for number, value in enumerate(values):
        parts += [Part(separator)] if number else []
        parts += value
    return tuple(parts)


def _count(minimum: Node | None, maximum: Node | None) -> str:
    """sh:minCount / sh:maxCount in words."""
    low = int(minimum) if isinstance(minimum, Literal) else 0
    high = int(maximum) if isinstance(maximum, Literal) else None
    if high == 0:
        return "none allowed"
    if high is None:
        return f"at least {low}" if low else "any number"
    if low == high:
        return f"exactly {low}"
    return f"{low} to {high}" if low else f"at most {high}"


def _constraints(shapes: Graph, shape: Node, linker: Linker) -> tuple[Value, ...]:
    """The shape's value constraints in words, in a stable order; unknown ones by their CURIE."""
    values = []
    for predicate, obj in shapes.predicate_objects(shape):
        if predicate not in _SHAPE_STRUCTURE:
            values.append(_constraint(shapes, predicate, obj, linker))
    return tuple(sorted(values, key=lambda value: "".join(part.text for part in value)))


def _constraint(shapes: Graph, predicate: Node, obj: Node, linker: Linker) -> Value:
    if predicate == SH.datatype:
        return (Part("datatype "), *linker.value(obj))
    if predicate == SH["class"]:
        return (Part("instance of "), *linker.value(obj))
    if predicate == SH.nodeKind:
        return (Part("is " + _NODE_KINDS.get(obj, linker.curie(str(obj)))),)
    if predicate == SH["in"]:
        return (Part("one of "), *_joined((_quoted(o, linker) for o in Collection(shapes, obj)), ", "))
    if predicate == SH.hasValue:
        return (Part("includes "), *_quoted(obj, linker))
    if predicate == SH.pattern:
        return (Part(f"matches the pattern {obj}"),)
    if predicate in _COMPARISONS:
        return (Part(f"{_COMPARISONS[predicate]} {obj}"),)
    if predicate == SH["or"]:
        alternatives = [_joined(_constraints(shapes, s, linker), " and ") for s in Collection(shapes, obj)]
        return _joined(sorted(alternatives, key=lambda v: "".join(p.text for p in v)), " or ")
    if predicate == SH.sparql:
        return (Part("SPARQL check: " + best_text(shapes, obj, (SH.message, RDFS.label, RDFS.comment))),)
    return (Part(linker.curie(str(predicate)) + " "), *linker.value(obj))
