"""The embedded store: Oxigraph in this process, one named graph per file, queried as their union.

Bindings reach every store as VALUES rows (``queries.with_values``). On
Oxigraph that is as fast as its ``substitutions=`` (0.8 ms for one project's
partners at 100,000 projects, both ways: Oxigraph joins the row first), and
substitutions would need every bound variable in the SELECT projection, which the
saved queries (and GROUP BY queries) do not have.

This module must not import rdflib at import time: ``segraph query`` on the
shipped data starts without it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from segraph.errors import QueryError, UsageError
from segraph.queries import with_values
from segraph.results import QueryResult, Term
from segraph.store_files import StoredFile, load_file, source_files

if TYPE_CHECKING:
    from rdflib.term import Node

    from segraph.load import Corpus

Bindings = Mapping[str, Term]

UNION_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def count_query(graph: str | None) -> str:
    """Distinct triples of the union, or of one named graph (a triple stated twice counts once)."""
    return UNION_COUNT if graph is None else f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


class OxigraphStore:
    """A pyoxigraph store holding one named graph per file, queried as the union of them.

    Oxigraph runs queries in process and has no timeout; ``timeout`` is accepted
    so that every store answers the same calls.
    """

    def __init__(self, store: ox.Store, files: Sequence[StoredFile], description: str) -> None:
        self._store = store
        self.files = list(files)
        self._description = description

    def describe(self) -> str:
        return self._description

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store itself, for what needs more than queries (e.g. `segraph serve`)."""
        return self._store

    def nquads(self) -> bytes:
        """The whole store as N-Quads, one named graph per file (to load into a triple store)."""
        return self._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def _query(self, query: str, bindings: Bindings | None) -> ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples:
        try:
            return self._store.query(with_values(query, bindings or {}), use_default_graph_as_union=True)
        except SyntaxError as error:
            raise UsageError(f"SPARQL syntax error: {error}") from None
        except OSError as error:
            raise QueryError(f"{self.describe()}: the query failed ({error})") from None

    def select(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> QueryResult:
        solutions = self._query(query, bindings)
        if not isinstance(solutions, ox.QuerySolutions):
            raise UsageError("only SELECT queries are supported here")
        return QueryResult.from_solutions(solutions)

    def ask(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> bool:
        answer = self._query(query, bindings)
        if not isinstance(answer, ox.QueryBoolean):
            raise UsageError("expected an ASK query")
        return bool(answer)

    def construct(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> list[ox.Triple]:
        triples = self._query(query, bindings)
        if not isinstance(triples, ox.QueryTriples):
            raise UsageError("expected a CONSTRUCT or DESCRIBE query")
        return list(triples)

    def count(self, graph: str | None = None) -> int:
        return int(self.select(count_query(graph)).column("n")[0])

    def graphs(self) -> dict[str, int]:
        return {str(row["g"]): int(row["n"]) for row in self.select(GRAPH_COUNTS)}

    def named(self, name: str) -> tuple[ox.NamedNode, ...] | None:
        """None: a store in memory keeps no name index (its saved queries compare names themselves)."""
        return None


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term (rdflib is imported only by code that has rdflib terms)."""
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


class EmbeddedStore(OxigraphStore):
    """A parsed corpus in an in-memory Oxigraph store (for code that already holds rdflib graphs)."""

    def __init__(self, corpus: Corpus) -> None:
        store = ox.Store()
        store.bulk_extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(source.name)))  # type: ignore[arg-type]
            for source in corpus.files
            for s, p, o in source.graph
        )
        files = [StoredFile(f.path, f.role.value, str(f.name), len(f.graph)) for f in corpus.files]
        super().__init__(store, files, "the embedded graph")


def open_embedded(data_paths: Sequence[Path] | None = None) -> OxigraphStore:
    """The ontology, reference data and data files (default data/) read straight into memory: no rdflib."""
    store = ox.Store()
    files = [load_file(store, path, role) for path, role in source_files(data_paths)]
    return OxigraphStore(store, files, "the embedded graph")
