"""Where a result lives, found in an Oxigraph store: file, line, label and the resource using it.

``validate_corpus`` finds a result's file through the rdflib graph of each file; a
graph loaded straight into Oxigraph (``segraph load``, or a file too big to parse
with rdflib) has only its named graphs, one per file. This module answers the same
questions from the store's indexes, by the same rules as ``Corpus.locate``: a data
file describing the node first, then a data file using it, then the reference data
and the ontology; a blank node is traced to the named resource holding it. Each
lookup is a pattern on the store's indexes, so locating costs O(results); lines come
from one pass over the text of each file that has a result.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, RDFS, SKOS
from rdflib.term import Node

from segraph.namespaces import SCHEMA, SEG
from segraph.store import OxigraphStore, StoredFile, to_oxigraph
from segraph.validate_fast import Select, from_oxigraph

_LABEL_PROPERTIES = (RDFS.label, SKOS.prefLabel, SCHEMA.name)
_LABELS = [to_oxigraph(p) for p in _LABEL_PROPERTIES]
_DIRECTIVE = re.compile(r"(?i)(@?prefix|@?base)\s")
_PREFIX = re.compile(r"(?i)@?prefix\s+([A-Za-z][\w.-]*)?:\s*<([^>]*)>")
_LOCAL = re.compile(r"[\w.\-/%]*")


class StoreLocator:
    """Files, lines, labels and uses of nodes in one store, with each file's lines read once."""

    def __init__(self, store: OxigraphStore) -> None:
        self._store = store.oxigraph
        self._files = {f.graph: f for f in store.files}
        self._order = {f.graph: i for i, f in enumerate(store.files)}
        self._lines: dict[str, dict[Node, int]] = {}

    def prepare_lines(self, wanted: dict[StoredFile, set[Node]]) -> None:
        """Read each file once for the lines of the subjects results will point at."""
        for stored, subjects in wanted.items():
            self._lines[stored.graph] = subject_lines(stored.path, subjects)

    def line(self, stored: StoredFile | None, node: Node | None) -> int | None:
        if stored is None or node is None:
            return None
        return self._lines.get(stored.graph, {}).get(node)

    def _graphs(self, subject: Node | None, predicate: Node | None, obj: Node | None) -> list[ox.Quad]:
        s, p, o = (to_oxigraph(t) if t is not None else None for t in (subject, predicate, obj))
        return list(self._store.quads_for_pattern(s, p, o, None))  # type: ignore[arg-type]

    def _sorted_files(self, graphs: Iterable[str]) -> list[StoredFile]:
        return [self._files[g] for g in sorted(set(graphs), key=lambda g: self._order.get(g, len(self._order)))]

    def describing(self, node: Node) -> list[StoredFile]:
        if isinstance(node, Literal):
            return []
        return self._sorted_files(q.graph_name.value for q in self._graphs(node, None, None))  # type: ignore[union-attr]

    def uses(self, node: Node) -> list[tuple[StoredFile, Node, Node]]:
        """Where data files use ``node`` as an object, sorted as ``Corpus.uses`` sorts them."""
        if not isinstance(node, URIRef):
            return []
        found = {
            (self._files[q.graph_name.value], from_oxigraph(q.subject), from_oxigraph(q.predicate))  # type: ignore[union-attr]
            for q in self._graphs(None, None, node)
            if self._files[q.graph_name.value].role == "data"  # type: ignore[union-attr]
        }
        return sorted(found, key=lambda use: (str(use[0].path), str(use[1]), str(use[2])))

    def locate(self, node: Node) -> tuple[StoredFile | None, Node | None]:
        """The file to open and the subject whose line to show, as ``Corpus.locate`` chooses them."""
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            holders = self._graphs(None, None, node)
            if not holders:
                break
            node = from_oxigraph(holders[0].subject)
        describing = self.describing(node)
        for stored in describing:
            if stored.role == "data":
                return stored, node
        for stored, subject, _ in self.uses(node):
            return stored, subject
        for role in ("reference", "ontology"):
            for stored in describing:
                if stored.role == role:
                    return stored, node
        return None, None

    def stating(self, focus: Node, path: Node | None, value: Node | None) -> StoredFile | None:
        """The data file that states the offending triple itself, when a result names one."""
        if not isinstance(path, URIRef) or value is None or isinstance(focus, BNode):
            return None
        files = self._sorted_files(q.graph_name.value for q in self._graphs(focus, path, value))  # type: ignore[union-attr]
        return next((f for f in files if f.role == "data"), None)

    def label(self, node: Node) -> str:
        """A readable name, as ``validate.label_of`` picks it."""
        labels: list[Literal] = []
        if not isinstance(node, Literal):
            for predicate in _LABELS:
                for quad in self._store.quads_for_pattern(to_oxigraph(node), predicate, None, None):  # type: ignore[arg-type]
                    term = from_oxigraph(quad.object)
                    if isinstance(term, Literal) and term not in labels:
                        labels.append(term)
        return readable(node, labels)

    def documents(self, stored: StoredFile) -> list[str]:
        """The seg:SourceDocuments a file's graph types."""
        graph = ox.NamedNode(stored.graph)
        pattern = (None, to_oxigraph(RDF.type), to_oxigraph(SEG.SourceDocument), graph)
        return sorted({str(from_oxigraph(q.subject)) for q in self._store.quads_for_pattern(*pattern)})  # type: ignore[arg-type]


def subject_lines(path: Path, wanted: set[Node]) -> dict[Node, int]:
    """The first line on which each wanted subject's Turtle block starts (as ``SourceFile.subject_lines``).

    Each wanted IRI is written as the tokens that can name it (``<iri>``, then
    ``prefix:local`` for each prefix as the file declares it), so a line costs one
    set lookup of its first word.
    """
    iris = [str(node) for node in wanted if isinstance(node, URIRef)]
    if path.suffix.lower() != ".ttl" or not iris:
        return {}
    tokens: dict[str, URIRef] = {f"<{iri}>": URIRef(iri) for iri in iris}
    found: dict[Node, int] = {}
    try:
        with path.open(encoding="utf-8") as text:
            for number, line in enumerate(text, start=1):
                if not line or line[0] in " \t#\n\r":
                    continue
                if _DIRECTIVE.match(line):
                    if prefix := _PREFIX.match(line):
                        name, namespace = prefix.group(1) or "", prefix.group(2)
                        for iri in iris:
                            local = iri[len(namespace) :]
                            if iri.startswith(namespace) and _LOCAL.fullmatch(local):
                                tokens.setdefault(f"{name}:{local}", URIRef(iri))
                    continue
                node = tokens.get(line.split(maxsplit=1)[0])
                if node is not None and node not in found:
                    found[node] = number
                    if len(found) == len(iris):
                        break
    except (OSError, UnicodeDecodeError):  # moved or rewritten since it was loaded: no lines
        return {}
    return found


def locate_remote(select: Select, foci: Iterable[Node]) -> dict[Node, tuple[str, str | None]]:
    """For each focus node: a readable label (picked as ``label_of`` does) and a named graph stating it.

    Two queries for all nodes together, so locating costs O(results), not O(data).
    """
    nodes = sorted(set(foci), key=str)
    named = " ".join(n.n3() for n in nodes if isinstance(n, URIRef))
    labels: dict[Node, list[tuple[int, Literal]]] = {}
    graphs: dict[Node, str] = {}
    if named:
        predicates = " ".join(p.n3() for p in _LABEL_PROPERTIES)
        query = f"SELECT DISTINCT ?n ?p ?label WHERE {{ VALUES ?n {{ {named} }} VALUES ?p {{ {predicates} }}"
        query += " ?n ?p ?label }"
        for row in select(query):
            label = row["label"]
            if isinstance(label, Literal):
                labels.setdefault(row["n"], []).append((_LABEL_PROPERTIES.index(row["p"]), label))
        query = f"SELECT ?n (MIN(STR(?g)) AS ?graph) WHERE {{ VALUES ?n {{ {named} }} GRAPH ?g {{ ?n ?p ?o }} }}"
        query += " GROUP BY ?n"
        graphs = {row["n"]: str(row["graph"]) for row in select(query)}
    return {
        n: (readable(n, [label for _, label in sorted(labels.get(n, []), key=lambda x: x[0])]), graphs.get(n))
        for n in nodes
    }


def readable(node: Node, labels: list[Literal]) -> str:
    """A node's English label, else its first label, else its IRI's last part (as ``validate.label_of``)."""
    english = next((label for label in labels if label.language == "en"), None)
    if english is not None or labels:
        return str(english if english is not None else labels[0])
    if isinstance(node, URIRef):
        return str(node).rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    return "(blank node)"
