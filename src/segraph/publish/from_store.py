"""The corpus held in a store made by ``segraph load``, for ``segraph publish --store``.

The store keeps one named graph per source file, with the file's path and role; each
named graph becomes that file's rdflib graph again, from the store's quads, so no data
file is parsed a second time. The site built from it is the one built from the files:
blank nodes get their canonical labels per file (from the graph's shape, not the labels
the store gave them), and the dumps are sorted. Only the prefixes the ontology file declares
are read from it (the ontology page names terms with them); its triples come from the store.
"""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox
from rdflib import Graph, URIRef
from rdflib.term import Node

from segraph.load import Corpus, Role, SourceFile, parse_shared
from segraph.store import OxigraphStore, StoredFile
from segraph.validate_fast import from_oxigraph


def corpus_from_store(store: OxigraphStore) -> Corpus:
    """Every file the store holds, as the corpus ``load_corpus`` would give for the same files."""
    terms: dict[object, Node] = {}  # one rdflib term per distinct term: the graphs share them

    def term(value: ox.NamedNode | ox.BlankNode | ox.Literal) -> Node:
        found = terms.get(value)
        if found is None:
            found = terms[value] = from_oxigraph(value)
        return found

    files = []
    for stored in store.files:
        role = Role(stored.role)
        graph = Graph()
        for quad in _quads(store, stored):
            graph.add((term(quad.subject), term(quad.predicate), term(quad.object)))  # type: ignore[arg-type]
        if role is Role.ONTOLOGY and stored.path.is_file():
            for prefix, namespace in parse_shared(stored.path, role).graph.namespaces():
                graph.bind(prefix, namespace, override=True, replace=True)
        files.append(SourceFile(path=stored.path, role=role, graph=graph, name=URIRef(stored.graph)))
    return Corpus(files)


def _quads(store: OxigraphStore, stored: StoredFile) -> Iterator[ox.Quad]:
    return store.oxigraph.quads_for_pattern(None, None, None, ox.NamedNode(stored.graph))
