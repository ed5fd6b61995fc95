"""Files → Oxigraph: which files a store holds, the named graph of each, and reading them in.

Every file goes into its own named graph (a data file's is the one document it
describes), read straight by Oxigraph's parsers, never through rdflib.

A big N-Triples file is read whole, by one bulk load. Cutting it at line breaks
and bulk-loading the parts side by side keeps both cores busy, but each part
writes its own overlapping table files, and queries on the store then ran 25–50 %
slower (10,000 projects: funding 7.0 → 10.5 s); compacting them afterwards costs
as much as the time saved.

This module must not import rdflib: ``segraph query`` on the shipped data starts
without it.
"""

from __future__ import annotations

import io
import mmap
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pyoxigraph as ox

from segraph import paths
from segraph.errors import LoadError, UsageError

ONTOLOGY_GRAPH = "https://w3id.org/segraph/ontology"
GRAPH_BASE = "https://w3id.org/segraph/graph/"
SOURCE_DOCUMENT = "https://w3id.org/segraph/ontology#SourceDocument"
RDF_FORMATS: dict[str, ox.RdfFormat] = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".n3": ox.RdfFormat.N3,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
}

# ---- which files, and the named graph of each ---------------------------------------------------


def graph_name(path: Path, role: str, documents: Sequence[str]) -> str:
    """A stable named-graph IRI: the document a data file describes (if exactly one), else one from the file name."""
    if role == "ontology":
        return ONTOLOGY_GRAPH
    if role == "data" and len(documents) == 1:
        return documents[0]
    return f"{GRAPH_BASE}{role}/{path.stem}"


def expand_paths(given: Iterable[Path]) -> list[Path]:
    """Files named by the user: files as given, folders searched for RDF files, sorted."""
    found: list[Path] = []
    for path in given:
        if not path.exists():
            raise UsageError(f"{path}: no such file or folder")
        if path.is_dir():
            inside = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in RDF_FORMATS)
            if not inside:
                raise UsageError(f"{path}: the folder holds no RDF files ({', '.join(sorted(RDF_FORMATS))})")
            found.extend(inside)
        else:
            found.append(path)
    return found


def source_files(data_paths: Sequence[Path] | None = None) -> list[tuple[Path, str]]:
    """The ontology, the reference data and the given data files (default data/), each once, with its role."""
    listed = [(paths.ontology_file(), "ontology")]
    listed += [(p, "reference") for p in sorted(paths.reference_dir().glob("*.ttl"))]
    listed += [(p, "data") for p in expand_paths(data_paths if data_paths else [paths.data_dir()])]
    seen: set[Path] = set()
    chosen: list[tuple[Path, str]] = []
    for path, role in listed:
        if path.resolve() not in seen:
            seen.add(path.resolve())
            chosen.append((path, role))
    return chosen


@dataclass(frozen=True)
class StoredFile:
    """One file a store holds: where it came from, its role, its named graph and its triple count."""

    path: Path
    role: str
    graph: str
    triples: int

    @property
    def display(self) -> str:
        """The path as a user would type it: relative to the working folder where possible."""
        return paths.shown(self.path)


class LoadProgress(Protocol):
    """What a loader reports while it reads files: each file it starts, bytes as they are read, each file it ends,
    and each step after the last (compacting the store, indexing names).

    ``lines`` counts line breaks in an N-Triples file (one triple a line), else 0.
    """

    def begin(self, path: Path) -> None: ...

    def advance(self, nbytes: int, lines: int) -> None: ...

    def file_done(self, stored: StoredFile) -> None: ...

    def step(self, description: str) -> None: ...


# ---- reading one file ---------------------------------------------------------------------------


def load_file(
    store: ox.Store, path: Path, role: str, *, bulk: bool = False, progress: LoadProgress | None = None
) -> StoredFile:
    """Read one RDF file into its own named graph and count the triples it added there.

    The count is of the graph, before and after: a file whose document another file
    also describes shares that graph, and a triple stated twice counts once.
    """
    graph = ox.NamedNode(graph_for(path, role))
    before = count_graph(store, graph) if store.contains_named_graph(graph) else 0
    read_file(store, path, graph, bulk=bulk, progress=progress)
    return StoredFile(path=path, role=role, graph=graph.value, triples=count_graph(store, graph) - before)


def rdf_format(path: Path) -> ox.RdfFormat:
    """The RDF format a file's suffix names; any other suffix is a LoadError."""
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            str(path), f"not an RDF file this tool reads (expected one of {', '.join(sorted(RDF_FORMATS))})"
        )
    return fmt


def graph_for(path: Path, role: str) -> str:
    """The named graph a file goes into (a data file is scanned for its source documents first)."""
    fmt = rdf_format(path)
    try:
        documents = documents_in(path, fmt, path.resolve().as_uri()) if role == "data" else []
    except SyntaxError as error:
        raise LoadError(str(path), f"{fmt.name} syntax error: {error.msg}", error.lineno) from None
    except OSError as error:
        raise LoadError(str(path), f"cannot read: {error.strerror or error}") from None
    return graph_name(path, role, documents)


def read_file(
    store: ox.Store, path: Path, graph: ox.NamedNode, *, bulk: bool = False, progress: LoadProgress | None = None
) -> None:
    """Read one file into ``graph``; a syntax error becomes a LoadError with file and line.

    ``bulk`` uses Oxigraph's bulk loader (for a store on disk: fast, not atomic,
    never holding the file in memory). Without a progress display Oxigraph reads
    the file itself; with one, through a reader that reports how far it got.
    """
    fmt = rdf_format(path)
    load = store.bulk_load if bulk else store.load
    base = path.resolve().as_uri()
    try:
        if progress is None:
            load(path=path, format=fmt, base_iri=base, to_graph=graph)
            return
        progress.begin(path)
        with path.open("rb") as handle:
            counting = _CountingReader(handle, progress, fmt == ox.RdfFormat.N_TRIPLES)
            load(io.BufferedReader(counting, 1 << 20), format=fmt, base_iri=base, to_graph=graph)
    except SyntaxError as error:
        raise LoadError(str(path), f"{fmt.name} syntax error: {error.msg}", error.lineno) from None
    except (OSError, ValueError) as error:
        raise LoadError(str(path), f"cannot read: {getattr(error, 'strerror', None) or error}") from None


def count_graph(store: ox.Store, graph: ox.NamedNode) -> int:
    """Distinct triples in one named graph."""
    solutions = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH {graph} {{ ?s ?p ?o }} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


def documents_in(path: Path, fmt: ox.RdfFormat, base_iri: str) -> list[str]:
    """The IRIs a file types as seg:SourceDocument, as far as the naming rule needs them (none, one, or two).

    In N-Triples and Turtle a document's type spells the class name, so a file whose
    bytes never say ``SourceDocument`` declares none and is not parsed here, and a
    file that says it once ends the scan at its document (at the top of a big
    export). Other formats can alias the class (a JSON-LD context), so they are
    parsed until two documents are found or the file ends.
    """
    mentions = 2
    if fmt in _SPELLED_OUT:
        mentions = min(_occurrences(path, b"SourceDocument", 2), 2)
    found: list[str] = []
    if mentions == 0:
        return found
    for quad in ox.parse(path=path, format=fmt, base_iri=base_iri):
        if (
            quad.predicate == _RDF_TYPE
            and quad.object == _SOURCE_DOCUMENT_CLASS
            and isinstance(quad.subject, ox.NamedNode)
            and quad.subject.value not in found
        ):
            found.append(quad.subject.value)
            if len(found) == mentions:
                break
    return found


_SPELLED_OUT = (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.N3)
_RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
_SOURCE_DOCUMENT_CLASS = ox.NamedNode(SOURCE_DOCUMENT)


def _occurrences(path: Path, needle: bytes, enough: int) -> int:
    """How often ``needle`` occurs in a file, counting no further than ``enough`` (a memchr-speed scan)."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            return 0
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
            seen, at = 0, data.find(needle)
            while at >= 0 and seen < enough:
                seen, at = seen + 1, data.find(needle, at + 1)
            return seen


class _CountingReader(io.RawIOBase):
    """A file reader that tells the progress display how far it got (bytes, and lines for line formats)."""

    def __init__(self, handle: io.BufferedReader, progress: LoadProgress, count_lines: bool) -> None:
        self._handle = handle
        self._progress = progress
        self._count_lines = count_lines

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._handle.readinto(buffer) or 0
        if count:
            lines = memoryview(buffer)[:count].tobytes().count(b"\n") if self._count_lines else 0
            self._progress.advance(count, lines)
        return count
