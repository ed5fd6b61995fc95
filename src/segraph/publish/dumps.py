"""The graph as downloadable files: Turtle, N-Triples (gzip), JSON-LD, RDF/XML, TriG, N-Quads.

Dumps are deterministic (same input, same bytes): blank nodes get canonical
labels (rdflib's canonicalisation, prefixed per named graph so that blank nodes
of different documents never merge), line-based formats are sorted, and gzip
carries no timestamp. TriG and N-Quads keep one named graph per source file. `segraph export` writes
single files with the same writers.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph
from rdflib.term import Node

from segraph import paths
from segraph.load import Corpus
from segraph.namespaces import PREFIXES, bind_prefixes
from segraph.store import to_oxigraph

FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@dataclass(frozen=True)
class Dump:
    """One written file and what a catalogue says about it."""

    name: str
    title: str
    media_type: str
    file_type: str
    byte_size: int
    sha256: str
    compress_format: str | None = None
    package_format: str | None = None


def canonical_blank_nodes(graph: Graph, prefix: str) -> Graph:
    """A copy with stable blank-node labels, unique to ``prefix``."""
    if not any(isinstance(term, BNode) for triple in graph for term in triple):
        return graph
    canonical = to_canonical_graph(graph)
    renamed = Graph()
    for triple in canonical:
        renamed.add(tuple(BNode(f"{prefix}{t}") if isinstance(t, BNode) else t for t in triple))  # type: ignore[arg-type]
    return renamed


def _key(triple: tuple[Node, Node, Node]) -> tuple[str, str, str]:
    """A total order on triples (rdflib terms of different kinds do not compare)."""
    return (triple[0].n3(), triple[1].n3(), triple[2].n3())


def serialize_sorted(graph: Graph, fmt: ox.RdfFormat) -> bytes:
    """Oxigraph writes in the order it is given: sorted triples give the same bytes every time."""
    triples = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in sorted(graph, key=_key)]  # type: ignore[arg-type]
    return ox.serialize(triples, format=fmt, prefixes=PREFIXES) or b""


def _oxigraph_quads(per_file: list[tuple[URIRef, Graph]], fmt: ox.RdfFormat) -> bytes:
    quads = [
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(name)))  # type: ignore[arg-type]
        for name, graph in per_file
        for s, p, o in sorted(graph, key=_key)
    ]
    return ox.serialize(quads, format=fmt, prefixes=PREFIXES) or b""


def _jsonld(graph: Graph) -> bytes:
    """JSON-LD with segraph's prefixes as a readable @context, keys sorted."""
    context = {prefix: iri for prefix, iri in sorted(PREFIXES.items())}
    text = graph.serialize(format="json-ld", context=context, auto_compact=True)
    return (json.dumps(_ordered(json.loads(text)), indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _ordered(value: Any) -> Any:
    """Sort JSON-LD arrays (sets of nodes or values here; segraph writes no @list) for stable output."""
    if isinstance(value, dict):
        return {key: _ordered(item) for key, item in value.items()}
    if isinstance(value, list):
        items = [_ordered(item) for item in value]
        return sorted(items, key=lambda item: json.dumps(item, sort_keys=True, ensure_ascii=False))
    return value


@dataclass(frozen=True)
class Prepared:
    """The corpus made ready for deterministic writing: stable blank nodes, sorted triples."""

    per_file: list[tuple[URIRef, Graph]]
    union: Graph


def prepare(corpus: Corpus) -> Prepared:
    """Canonical blank nodes per named graph, graphs sorted by name, triples sorted."""
    per_file = sorted(
        ((source.name, canonical_blank_nodes(source.graph, f"g{index}x")) for index, source in enumerate(corpus.files)),
        key=lambda pair: str(pair[0]),
    )
    union = bind_prefixes(Graph())
    for triple in sorted({triple for _, graph in per_file for triple in graph}, key=_key):
        union.add(triple)
    return Prepared(per_file, union)


# One writer per format, shared by `segraph export` and `segraph publish`. Turtle and
# JSON-LD come from rdflib (its Turtle writer sorts; JSON-LD arrays are sorted after);
# the rest from Oxigraph, which writes in the order it is given.
WRITERS: dict[str, Callable[[Prepared], bytes]] = {
    "turtle": lambda p: p.union.serialize(format="turtle", encoding="utf-8"),
    "nt": lambda p: serialize_sorted(p.union, ox.RdfFormat.N_TRIPLES),
    "jsonld": lambda p: _jsonld(p.union),
    "rdfxml": lambda p: serialize_sorted(p.union, ox.RdfFormat.RDF_XML),
    "trig": lambda p: _oxigraph_quads(p.per_file, ox.RdfFormat.TRIG),
    "nquads": lambda p: _oxigraph_quads(p.per_file, ox.RdfFormat.N_QUADS),
}


def render(corpus: Corpus, fmt: str) -> bytes:
    """The corpus in one of WRITERS' formats, the same bytes for the same input."""
    return WRITERS[fmt](prepare(corpus))


def write_dumps(corpus: Corpus, out: Path) -> list[Dump]:
    """Write every dump of the corpus into ``out`` and describe each file."""
    prepared = prepare(corpus)
    files: list[tuple[str, str, bytes, str, str, str | None]] = [
        ("graph.ttl", "The whole graph in Turtle", WRITERS["turtle"](prepared), "text/turtle", "RDF_TURTLE", None),
        (
            "graph.nt.gz",
            "The whole graph in N-Triples, gzip-compressed",
            gzip.compress(WRITERS["nt"](prepared), mtime=0),
            "application/n-triples",
            "RDF_N_TRIPLES",
            "application/gzip",
        ),
        (
            "graph.jsonld",
            "The whole graph in JSON-LD",
            WRITERS["jsonld"](prepared),
            "application/ld+json",
            "JSON_LD",
            None,
        ),
        (
            "graph.rdf",
            "The whole graph in RDF/XML",
            WRITERS["rdfxml"](prepared),
            "application/rdf+xml",
            "RDF_XML",
            None,
        ),
        (
            "graph.trig",
            "The graph in TriG, one named graph per source document",
            WRITERS["trig"](prepared),
            "application/trig",
            "RDF_TRIG",
            None,
        ),
        (
            "graph.nq",
            "The graph in N-Quads, one named graph per source document",
            WRITERS["nquads"](prepared),
            "application/n-quads",
            "RDF_N_QUADS",
            None,
        ),
    ]
    dumps = []
    out.mkdir(parents=True, exist_ok=True)
    for name, title, data, media_type, file_type, compress in files:
        (out / name).write_bytes(data)
        dumps.append(_describe(name, title, data, media_type, file_type, compress))
    for name, title, original in (
        ("ontology.ttl", "The segraph ontology (OWL)", paths.ontology_file()),
        ("shapes.ttl", "The segraph SHACL shapes", paths.shapes_file()),
    ):
        shutil.copyfile(original, out / name)
        data = (out / name).read_bytes()
        dumps.append(_describe(name, title, data, "text/turtle", "RDF_TURTLE", None))
    return dumps


def _describe(name: str, title: str, data: bytes, media_type: str, file_type: str, compress: str | None) -> Dump:
    return Dump(
        name=name,
        title=title,
        media_type=media_type,
        file_type=FILE_TYPE + file_type,
        byte_size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        compress_format=compress,
    )
