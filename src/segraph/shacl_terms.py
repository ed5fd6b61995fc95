"""Term tests of the compiled shapes: tests on one value node alone (datatype, node kind, ``sh:in``,
pattern, ``sh:or`` of these, range bounds), each as SPARQL that surely passes only passing values
and as pySHACL's exact test in Python, which decides the few doubtful values.

rdflib's notion of an ill-typed literal is more lenient than Oxigraph's (``"2021-13"^^xsd:gYearMonth``
passes pySHACL), so the SPARQL side only leaves out what certainly passes.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF, RDFS, SH, XSD
from rdflib.term import Node

TermTest = Callable[[Node], bool]
TERM_TESTS = {SH.datatype, SH.nodeKind, SH["in"], SH.pattern}


# A value of these datatypes that has this lexical shape and that Oxigraph can cast is
# well-formed for rdflib too; any other value of the datatype is left to Python.
_PLAIN_FORMS = {
    XSD.date: r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}$",
    XSD.dateTime: r"^[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}T([01][0-9]|2[0-3]):[0-9]{2}:[0-9]{2}(\.[0-9]+)?"
    r"(Z|[+-][0-9]{2}:[0-9]{2})?$",
    XSD.gYear: r"^[0-9]{4}$",
    XSD.gYearMonth: r"^[0-9]{4}-(0[1-9]|1[0-2])$",
    XSD.integer: r"^[+-]?[0-9]+$",
    XSD.decimal: r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$",
}
_PYTHON_TYPES: dict[URIRef, type | tuple[type, ...]] = {
    XSD.string: str,
    RDF.langString: str,
    XSD.integer: int,
    XSD.float: float,
    XSD.decimal: Decimal,
    XSD.boolean: bool,
    XSD.date: date,
    XSD.time: time,
    XSD.dateTime: datetime,
}


class Unsupported(Exception):
    """A shape uses a SHACL feature outside the compiled subset."""


def only(shapes: Graph, node: Node, allowed: set[URIRef]) -> None:
    unknown = {p for p in shapes.predicates(node, None) if p not in allowed and str(p).startswith(str(SH))}
    if unknown:
        raise Unsupported(f"{node} uses {', '.join(sorted(str(p) for p in unknown))}")


def or_test(shapes: Graph, members: Node) -> tuple[str, TermTest]:
    """sh:or of shapes made of term tests: the SPARQL test that surely passes, and pySHACL's exact one."""
    alternatives = []
    for member in Collection(shapes, members):
        only(shapes, member, TERM_TESTS | {RDF.type})
        tests = [term_test(shapes, key, value) for key, value in shapes.predicate_objects(member) if key != RDF.type]
        if not tests:
            raise Unsupported(f"empty sh:or member {member}")
        alternatives.append(tests)
    sure = " || ".join("(" + " && ".join(s for s, _ in tests) + ")" for tests in alternatives)
    checks = [[exact for _, exact in tests] for tests in alternatives]
    return sure, lambda value: any(all(check(value) for check in tests) for tests in checks)


def term_test(shapes: Graph, key: Node, parameter: Node) -> tuple[str, TermTest]:
    """A test on the value node alone: (SPARQL that surely passes only passing values, the exact Python test)."""
    if key == SH.datatype and isinstance(parameter, URIRef):
        return datatype_test(parameter)
    if key == SH.nodeKind and parameter in _NODE_KINDS:
        sparql, kinds = _NODE_KINDS[parameter]
        return sparql, lambda value: isinstance(value, kinds)
    if key == SH["in"]:
        allowed = list(Collection(shapes, parameter))
        sparql = " || ".join(f"sameTerm(?value, {sparql_term(a)})" for a in allowed) or "false"
        return f"({sparql})", lambda value: value in allowed
    if key == SH.pattern and isinstance(parameter, Literal):
        pattern = re.compile(str(parameter))
        sparql = f"(!isBlank(?value) && REGEX(STR(?value), {sparql_term(Literal(str(parameter)))}))"
        return sparql, lambda value: not isinstance(value, BNode) and bool(pattern.search(str(value)))
    raise Unsupported(f"{key} {parameter}")


_NODE_KINDS: dict[Node, tuple[str, type | tuple[type, ...]]] = {
    SH.IRI: ("isIRI(?value)", URIRef),
    SH.Literal: ("isLiteral(?value)", Literal),
    SH.BlankNode: ("isBlank(?value)", BNode),
    SH.BlankNodeOrIRI: ("(isBlank(?value) || isIRI(?value))", (BNode, URIRef)),
    SH.BlankNodeOrLiteral: ("(isBlank(?value) || isLiteral(?value))", (BNode, Literal)),
    SH.IRIOrLiteral: ("(isIRI(?value) || isLiteral(?value))", (URIRef, Literal)),
}


def range_test(bound: Literal, comparison: str) -> TermTest:
    """pySHACL's comparison of a value with a range bound (a string only compares with a string)."""

    def passes(value: Node) -> bool:
        from pyshacl.rdfutil.compare import compare_literal

        if not isinstance(value, Literal) or isinstance(value.value, str) != isinstance(bound.value, str):
            return False
        try:
            difference = compare_literal(value, bound)  # type: ignore[no-untyped-call]
        except (TypeError, NotImplementedError):
            return False
        return _COMPARE[comparison](difference, 0)

    return passes


_COMPARE: dict[str, Callable[[int, int], bool]] = {
    ">=": operator.ge,
    ">": operator.gt,
    "<=": operator.le,
    "<": operator.lt,
}


def datatype_test(datatype: URIRef) -> tuple[str, TermTest]:
    if datatype == RDF.langString:
        sparql = 'LANG(?value) != ""'
    elif datatype == XSD.string:
        sparql = f'(DATATYPE(?value) = {XSD.string.n3()} && LANG(?value) = "")'
    elif datatype in _PLAIN_FORMS:
        form = sparql_term(Literal(_PLAIN_FORMS[datatype]))
        cast = f"isLiteral({datatype.n3()}(STR(?value)))"
        sparql = f"(DATATYPE(?value) = {datatype.n3()} && REGEX(STR(?value), {form}) && {cast})"
    elif datatype.startswith(str(XSD)):
        sparql = "false"  # rdflib knows this datatype's values and Oxigraph may not: Python decides
    else:
        sparql = f"(DATATYPE(?value) = {datatype.n3()})"
    return f"(isLiteral(?value) && {sparql})", lambda value: _has_datatype(value, datatype)


def _has_datatype(value: Node, datatype: URIRef) -> bool:
    """pySHACL's sh:datatype test: the datatype matches and rdflib finds the literal well-formed."""
    if not isinstance(value, Literal):
        return False
    if value.datatype == datatype:
        if getattr(value, "ill_typed", None) is True:
            return False
        return isinstance(value.value, _PYTHON_TYPES.get(datatype, object))
    if datatype == RDFS.Literal or (datatype == RDFS.Datatype and value.datatype is not None):
        return True
    if value.datatype is None and value.language is None and datatype == XSD.string:
        return isinstance(value.value, str)
    return datatype == RDF.langString and bool(value.language) and isinstance(value.value, str)


def sparql_term(node: Node) -> str:
    if isinstance(node, URIRef | Literal):
        return node.n3()
    raise Unsupported(f"blank node {node} where SPARQL needs a constant")
