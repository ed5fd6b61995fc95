"""Where queries run: one interface over an embedded store, a persistent store on disk and a remote endpoint.

Commands and saved queries only see the ``Store`` protocol (SELECT, ASK and
CONSTRUCT with typed bindings, counts, named graphs); the engine behind it can
change without touching them. The embedded and persistent stores are Oxigraph
(pyoxigraph), the same engine as the ``oxigraph`` server, so a saved query gives
the same rows everywhere. Both hold one named graph per file and query their
union; both read RDF files straight into Oxigraph, without rdflib, so a query
starts fast and a big graph is parsed once (``segraph load``).

The parts live in their own modules and are named here, so that commands import
them from one place:

- ``store_files``: which files, the named graph of each, reading them into Oxigraph;
- ``store_oxigraph``: the embedded store (Oxigraph in this process);
- ``store_persistent``: the store on disk that ``segraph load`` writes;
- ``store_remote``: a SPARQL 1.1 endpoint.

This module must not import rdflib: ``segraph query`` on the shipped data starts
without it.
"""

from __future__ import annotations

from typing import Protocol

import pyoxigraph as ox

from segraph.results import QueryResult
from segraph.store_files import (
    GRAPH_BASE,
    ONTOLOGY_GRAPH,
    RDF_FORMATS,
    SOURCE_DOCUMENT,
    LoadProgress,
    StoredFile,
    documents_in,
    expand_paths,
    graph_name,
    load_file,
    source_files,
)
from segraph.store_oxigraph import Bindings, EmbeddedStore, OxigraphStore, open_embedded, to_oxigraph
from segraph.store_persistent import BULK_THRESHOLD, DATABASE, METADATA, PersistentStore
from segraph.store_remote import PASSWORD_ENV, USER_ENV, RemoteStore

__all__ = [
    "BULK_THRESHOLD",
    "DATABASE",
    "GRAPH_BASE",
    "METADATA",
    "ONTOLOGY_GRAPH",
    "PASSWORD_ENV",
    "RDF_FORMATS",
    "SOURCE_DOCUMENT",
    "USER_ENV",
    "Bindings",
    "EmbeddedStore",
    "LoadProgress",
    "OxigraphStore",
    "PersistentStore",
    "RemoteStore",
    "Store",
    "StoredFile",
    "documents_in",
    "expand_paths",
    "graph_name",
    "load_file",
    "open_embedded",
    "source_files",
    "to_oxigraph",
]


class Store(Protocol):
    """What a command needs from a graph: queries with typed bindings, counts, the named graphs."""

    def select(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> QueryResult: ...

    def ask(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> bool: ...

    def construct(
        self, query: str, timeout: float | None = None, bindings: Bindings | None = None
    ) -> list[ox.Triple]: ...

    def count(self, graph: str | None = None) -> int: ...

    def graphs(self) -> dict[str, int]: ...

    def describe(self) -> str: ...

    def named(self, name: str) -> tuple[ox.NamedNode, ...] | None:
        """The resources a name (a label, or an IRI's last segment) stands for in any case, from an index;
        None when the store keeps no such index (see names.py)."""
        ...
