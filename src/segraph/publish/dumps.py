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
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Graph, URIRef
from rdflib.compare import to_canonical_graph

from segraph import paths
from segraph.load import Corpus, Role
from segraph.namespaces import PREFIXES
from segraph.publish import rdfwrite
from segraph.publish.rdfwrite import Triple, triple_key
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


def serialize_sorted(triples: list[Triple], fmt: ox.RdfFormat) -> bytes:
    """Oxigraph writes in the order it is given: sorted triples give the same bytes every time."""
    converted = [ox.Triple(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in triples]  # type: ignore[arg-type]
    return ox.serialize(converted, format=fmt, prefixes=PREFIXES) or b""


def _oxigraph_quads(per_file: list[tuple[URIRef, list[Triple]]], fmt: ox.RdfFormat) -> bytes:
    quads = [
        ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(name)))  # type: ignore[arg-type]
        for name, triples in per_file
        for s, p, o in triples
    ]
    return ox.serialize(quads, format=fmt, prefixes=PREFIXES) or b""


@dataclass(frozen=True)
class PreparedFile:
    """One source file's triples, sorted, with stable blank-node labels."""

    name: URIRef
    role: Role
    triples: list[Triple]


@dataclass(frozen=True)
class Prepared:
    """The corpus made ready for deterministic writing: stable blank nodes, sorted triples.

    ``files`` keep the corpus's order; ``per_file`` is sorted by graph name, as the dumps write them.
    """

    files: list[PreparedFile]
    union: list[Triple]

    @property
    def per_file(self) -> list[tuple[URIRef, list[Triple]]]:
        return sorted(((f.name, f.triples) for f in self.files), key=lambda pair: str(pair[0]))


def prepare(corpus: Corpus) -> Prepared:
    """Canonical blank nodes per named graph (labelled by the file's position), triples sorted."""
    files = [
        PreparedFile(
            source.name, source.role, sorted(canonical_blank_nodes(source.graph, f"g{index}x"), key=triple_key)
        )
        for index, source in enumerate(corpus.files)
    ]
    union = sorted({triple for prepared in files for triple in prepared.triples}, key=triple_key)
    return Prepared(files, union)


# One writer per format, shared by `segraph export` and `segraph publish`. Turtle and
# JSON-LD come from segraph's own writers (rdfwrite), the rest from Oxigraph; all are
# given the triples sorted.
WRITERS: dict[str, Callable[[Prepared], bytes]] = {
    "turtle": lambda p: rdfwrite.turtle(p.union),
    "nt": lambda p: serialize_sorted(p.union, ox.RdfFormat.N_TRIPLES),
    "jsonld": lambda p: rdfwrite.jsonld(p.union),
    "rdfxml": lambda p: serialize_sorted(p.union, ox.RdfFormat.RDF_XML),
    "trig": lambda p: _oxigraph_quads(p.per_file, ox.RdfFormat.TRIG),
    "nquads": lambda p: _oxigraph_quads(p.per_file, ox.RdfFormat.N_QUADS),
}


def render(corpus: Corpus, fmt: str) -> bytes:
    """The corpus in one of WRITERS' formats, the same bytes for the same input."""
    return WRITERS[fmt](prepare(corpus))


def write_dumps(prepared: Prepared, out: Path) -> list[Dump]:
    """Write every dump of the prepared corpus into ``out`` and describe each file."""
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
