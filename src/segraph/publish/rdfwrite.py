"""Turtle and JSON-LD written straight from sorted triples: the same bytes for the same triples.

rdflib's writers build an indexed graph and walk it for every file, which costs tens of
milliseconds even for a resource of ten triples; a site has one Turtle and one JSON-LD
file per resource, and the whole-graph dumps hold every triple. These writers take the
triples already sorted and cost a few microseconds a triple. They write what rdflib writes
for segraph's data: Turtle with only the prefixes used, a blank node used once written in
place (``[ … ]``), numbers and booleans bare; JSON-LD compacted with segraph's prefixes as
its ``@context``, one node object per subject, arrays sorted. Terms are escaped by Oxigraph.
"""

from __future__ import annotations

import json
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, XSD
from rdflib.term import Node

from segraph.namespaces import PREFIXES

Triple = tuple[Node, Node, Node]

# A prefixed name's local part this writer trusts (a subset of Turtle's PN_LOCAL): no escapes needed.
_LOCAL = re.compile(r"[A-Za-z0-9_](?:[A-Za-z0-9_.-]*[A-Za-z0-9_-])?")
_BARE = {
    XSD.integer: re.compile(r"[+-]?[0-9]+"),
    XSD.decimal: re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD.double: re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD.boolean: re.compile(r"true|false"),
}
# Longest namespace first, so that ``kind:`` wins over a shorter namespace it lies in.
_BY_LENGTH = sorted(PREFIXES.items(), key=lambda item: (-len(item[1]), item[0]))
_FIRST = (RDF.type, RDFS.label)
# JSON-LD values that rdflib writes as native JSON (numbers, booleans, strings).
_NATIVE = {XSD.boolean, XSD.integer, XSD.double, XSD.string}
JSONLD_CONTEXT = {prefix: iri for prefix, iri in sorted(PREFIXES.items())}
_JSONLD_PREFIXES = {namespace: prefix for prefix, namespace in JSONLD_CONTEXT.items()}


def triple_key(triple: Triple) -> tuple[str, str, str]:
    """A total order on triples (rdflib terms of different kinds do not compare)."""
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


@lru_cache(maxsize=1 << 16)
def _prefixed(iri: str) -> tuple[str, str] | None:
    for prefix, namespace in _BY_LENGTH:
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :]):
            return prefix, iri[len(namespace) :]
    return None


class _TurtleTerms:
    """Writes terms, remembering which prefixes were used."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def iri(self, iri: str) -> str:
        found = _prefixed(iri)
        if found is None:
            return str(ox.NamedNode(iri))
        self.used.add(found[0])
        return f"{found[0]}:{found[1]}"

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.iri(str(node))
        if isinstance(node, BNode):
            return str(ox.BlankNode(str(node)))
        if isinstance(node, Literal):
            if node.language:
                return str(ox.Literal(str(node), language=node.language))
            quoted = str(ox.Literal(str(node)))
            if node.datatype is None:
                return quoted
            datatype = self.iri(str(node.datatype))  # declared even when the literal is written bare
            bare = _BARE.get(node.datatype)
            if bare is not None and bare.fullmatch(str(node)):
                return str(node)
            return f"{quoted}^^{datatype}"
        raise TypeError(f"not an RDF term: {node!r}")


def turtle(triples: Sequence[Triple]) -> bytes:
    """Sorted triples as Turtle: one block per subject, in the order given."""
    described: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
    for s, p, o in triples:
        described[s].append((p, o))
    used: Counter[Node] = Counter(o for _, _, o in triples if isinstance(o, BNode))
    inline: set[Node] = {node for node, times in used.items() if times == 1 and node in described}
    top = [s for s in described if s not in inline]
    inline &= _reachable(top, described, inline)  # a cycle of blank nodes used once each has no way in
    terms = _TurtleTerms()
    blocks = [f"{terms.term(s)} {_predicates(s, described, inline, terms, 1)} ." for s in described if s not in inline]
    heads = [f"@prefix {prefix}: <{PREFIXES[prefix]}> ." for prefix in sorted(terms.used)]
    parts = ["\n".join(heads), *blocks] if heads else blocks
    return ("\n\n".join(parts) + "\n\n").encode() if parts else b""


def _reachable(top: Iterable[Node], described: dict[Node, list[tuple[Node, Node]]], inline: set[Node]) -> set[Node]:
    found: set[Node] = set()
    pending = list(top)
    while pending:
        for _, o in described.get(pending.pop(), ()):
            if o in inline and o not in found:
                found.add(o)
                pending.append(o)
    return found


def _predicates(
    subject: Node, described: dict[Node, list[tuple[Node, Node]]], inline: set[Node], terms: _TurtleTerms, depth: int
) -> str:
    """``p o1, o2 ; q o3``, rdf:type (as ``a``) and rdfs:label first as rdflib writes them, one predicate a line."""
    grouped: dict[Node, list[str]] = defaultdict(list)
    for p, o in sorted(described[subject], key=lambda pair: _object_key(pair[1])):
        if o in inline:
            grouped[p].append(f"[ {_predicates(o, described, inline, terms, depth + 2)} ]")
        else:
            grouped[p].append(terms.term(o))
    order = sorted(grouped, key=lambda p: (_FIRST.index(p) if p in _FIRST else len(_FIRST), str(p)))
    indent = "    " * depth
    lines = [("a" if p == RDF.type else terms.term(p)) + " " + f",\n{indent}    ".join(grouped[p]) for p in order]
    return f" ;\n{indent}".join(lines)


def _object_key(node: Node) -> tuple[int, str, str, str]:
    """rdflib's order of a predicate's objects: blank nodes, IRIs, then literals by datatype and language."""
    if isinstance(node, Literal):
        return (2, str(node.datatype or ""), node.language or "", str(node))
    return (0 if isinstance(node, BNode) else 1, str(node), "", "")


def jsonld_data(triples: Iterable[Triple]) -> dict[str, Any]:
    """Triples as compacted JSON-LD (segraph's prefixes as the context), arrays sorted for stable output.

    The shape is rdflib's: the node itself when there is one subject, else ``@graph``.
    """
    nodes: dict[Node, dict[str, Any]] = {}
    objects: set[Node] = set()
    for s, p, o in triples:
        node = nodes.setdefault(s, {"@id": _node_id(s)})
        if p == RDF.type and isinstance(o, URIRef):
            key, value = "@type", _symbol(str(o))
        else:
            key = "@type" if p == RDF.type else _symbol(str(p))
            value = _value(o)
        if isinstance(o, BNode):
            objects.add(o)
            nodes.setdefault(o, {"@id": _node_id(o)})
        held = node.get(key)
        node[key] = value if held is None else [*held, value] if isinstance(held, list) else [held, value]
    listed = list(nodes.values())
    body: dict[str, Any] = dict(listed[0]) if len(listed) == 1 else {"@graph": listed}
    ordered: dict[str, Any] = _ordered({**body, "@context": JSONLD_CONTEXT})
    return ordered


def jsonld(triples: Iterable[Triple]) -> bytes:
    """``jsonld_data`` as indented JSON, keys sorted."""
    return dump_json(jsonld_data(triples))


def dump_json(data: Any) -> bytes:
    """JSON as the site writes it: indented, keys sorted, non-ASCII as is, a newline at the end."""
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _split(iri: str) -> tuple[str, str]:
    """rdflib's JSON-LD split: the namespace runs to the last ``#``, else ``/``, else ``:``."""
    for delimiter in "#/:":
        at = iri.rfind(delimiter)
        if at > -1:
            return iri[: at + 1], iri[at + 1 :]
    return iri, ""


def _node_id(node: Node) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    namespace, local = _split(str(node))
    prefix = _JSONLD_PREFIXES.get(namespace)
    return f"{prefix}:{local}" if prefix else str(node)


def _symbol(iri: str) -> str:
    if iri in _JSONLD_PREFIXES:
        return _JSONLD_PREFIXES[iri]
    return _node_id(URIRef(iri))


def _value(node: Node) -> Any:
    if isinstance(node, BNode | URIRef):
        return {"@id": _node_id(node)}
    if not isinstance(node, Literal):
        raise TypeError(f"not an RDF term: {node!r}")
    if node.language:
        return {"@language": node.language, "@value": str(node)}
    if node.datatype is None:
        return str(node)
    if node.datatype in _NATIVE:
        native = node.toPython()
        return str(native) if isinstance(native, Literal) else native
    return {"@type": _symbol(str(node.datatype)), "@value": str(node)}


def _ordered(value: Any) -> Any:
    """Sort JSON-LD arrays (sets of nodes or values here; segraph writes no @list) for stable output."""
    if isinstance(value, dict):
        return {key: _ordered(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        if len(items) < 2:
            return items
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value
