"""Where queries run: one interface over an embedded store, a persistent store on disk and a remote endpoint.

Commands and saved queries only see the ``Store`` protocol (SELECT, ASK and
CONSTRUCT with typed bindings, counts, named graphs); the engine behind it can
change without touching them. The embedded and persistent stores are Oxigraph
(pyoxigraph), the same engine as the ``oxigraph`` server, so a saved query gives
the same rows everywhere. Both hold one named graph per file and query their
union; both read RDF files straight into Oxigraph, without rdflib, so a query
starts fast and a big graph is parsed once (``segraph load``). A remote store
talks SPARQL 1.1 Protocol through SPARQLWrapper, with HTTP basic auth from
environment variables.

Bindings reach every store as one VALUES row (``queries.with_values``). On
Oxigraph that is as fast as its ``substitutions=`` (0.8 ms for one project's
partners at 100,000 projects, both ways: Oxigraph joins the row first), and
substitutions would need every bound variable in the SELECT projection, which the
saved queries (and GROUP BY queries) do not have.

This module must not import rdflib: ``segraph query`` on the shipped data starts
without it.
"""

from __future__ import annotations

import io
import json
import mmap
import os
import shutil
import socket
import urllib.error
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Protocol

import pyoxigraph as ox

from segraph import paths
from segraph.errors import LoadError, QueryError, UsageError
from segraph.queries import with_values
from segraph.results import QueryResult, Term

if TYPE_CHECKING:
    from rdflib.term import Node

    from segraph.load import Corpus

USER_ENV = "SEGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "SEGRAPH_ENDPOINT_PASSWORD"

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
Bindings = Mapping[str, Term]

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
    """What a loader reports while it reads files: each file it starts, bytes as they are read, each file it ends.

    ``lines`` counts line breaks in an N-Triples file (one triple a line), else 0.
    """

    def begin(self, path: Path) -> None: ...

    def advance(self, nbytes: int, lines: int) -> None: ...

    def file_done(self, stored: StoredFile) -> None: ...


class _CountingReader(io.RawIOBase):
    """A file reader that tells the progress display how far it got (bytes, and lines for line formats)."""

    def __init__(self, handle: io.BufferedReader, progress: LoadProgress, count_lines: bool) -> None:
        self._handle = handle
        self._progress = progress
        self._count_lines = count_lines

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        count = self._handle.readinto(buffer)
        if count:
            self._progress.advance(count, bytes(buffer[:count]).count(b"\n") if self._count_lines else 0)
        return count


def load_file(
    store: ox.Store, path: Path, role: str, *, bulk: bool = False, progress: LoadProgress | None = None
) -> StoredFile:
    """Read one RDF file into its own named graph; a syntax error becomes a LoadError with file and line.

    The graph's name needs the file's source documents, so a data file is first
    scanned for them (``documents_in``: cheap, it stops as soon as it knows); then
    the file goes straight into that graph. ``bulk`` uses Oxigraph's bulk loader
    (for a store on disk: fast, not atomic, never holding the file in memory).
    """
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        expected = ", ".join(sorted(RDF_FORMATS))
        raise LoadError(str(path), f"not an RDF file this tool reads (expected one of {expected})")
    base = path.resolve().as_uri()
    try:
        graph = ox.NamedNode(graph_name(path, role, documents_in(path, fmt, base) if role == "data" else []))
        before = _count(store, f"GRAPH {graph} {{ ?s ?p ?o }}") if store.contains_named_graph(graph) else 0
        with path.open("rb") as handle:
            if progress:
                progress.begin(path)
                lines = fmt == ox.RdfFormat.N_TRIPLES
                source: IO[bytes] = io.BufferedReader(_CountingReader(handle, progress, lines), 1 << 20)
            else:
                source = handle
            (store.bulk_load if bulk else store.load)(source, format=fmt, base_iri=base, to_graph=graph)
    except SyntaxError as error:
        raise LoadError(str(path), f"{fmt.name} syntax error: {error.msg}", error.lineno) from None
    except (OSError, ValueError) as error:
        raise LoadError(str(path), f"cannot read: {getattr(error, 'strerror', None) or error}") from None
    triples = _count(store, f"GRAPH {graph} {{ ?s ?p ?o }}") - before
    return StoredFile(path=path, role=role, graph=graph.value, triples=triples)


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
        with path.open("rb") as handle:
            if os.fstat(handle.fileno()).st_size == 0:
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                mentions, at = 0, data.find(b"SourceDocument")
                while at >= 0 and mentions < 2:
                    mentions, at = mentions + 1, data.find(b"SourceDocument", at + 1)
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


def _count(store: ox.Store, pattern: str) -> int:
    solutions = store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")
    assert isinstance(solutions, ox.QuerySolutions)
    return int(next(iter(solutions))["n"].value)


# ---- the interface ----------------------------------------------------------------------------


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


_UNION_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"
_GRAPH_COUNTS = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"


def _count_query(graph: str | None) -> str:
    """Distinct triples of the union, or of one named graph (a triple stated twice counts once)."""
    return _UNION_COUNT if graph is None else f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"


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
        return int(self.select(_count_query(graph)).column("n")[0])

    def graphs(self) -> dict[str, int]:
        return {str(row["g"]): int(row["n"]) for row in self.select(_GRAPH_COUNTS)}


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


# ---- the persistent store -----------------------------------------------------------------------

STORE_FORMAT = 1
BULK_THRESHOLD = 8 << 20  # bytes; smaller files load faster in one transaction than through the bulk loader
METADATA = "segraph-store.json"
DATABASE = "oxigraph"


def _made_by() -> dict[str, object]:
    """What a store must have been made by to be opened: this store format, segraph and pyoxigraph."""
    from segraph import __version__

    return {"format": STORE_FORMAT, "segraph": __version__, "pyoxigraph": ox.__version__}


def _versions(made_by: Mapping[str, object]) -> str:
    segraph, pyoxigraph, layout = (made_by.get(k) for k in ("segraph", "pyoxigraph", "format"))
    return f"segraph {segraph} (pyoxigraph {pyoxigraph}, store format {layout})"


class PersistentStore(OxigraphStore):
    """An Oxigraph store on disk, written once by ``segraph load`` and opened read-only by every query.

    The folder holds the database (``oxigraph/``) and ``segraph-store.json``: which
    files it holds, their graphs and counts, and which segraph and pyoxigraph made it.
    """

    def __init__(self, directory: Path, store: ox.Store, files: Sequence[StoredFile]) -> None:
        super().__init__(store, files, f"the store in {directory}")
        self.directory = directory

    @classmethod
    def open(cls, directory: Path) -> PersistentStore:
        """Open a store read-only; a missing, foreign, damaged or other-version store is a usage error."""
        hint = f"make it with: segraph load --store {directory}"
        if not directory.is_dir():
            raise UsageError(f"{directory}: no segraph store here ({hint})")
        try:
            meta = json.loads((directory / METADATA).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise UsageError(f"{directory}: not a segraph store, {METADATA} is missing ({hint})") from None
        except (OSError, ValueError) as error:
            raise UsageError(f"{directory}: the store is damaged, {METADATA} is unreadable ({error})") from None
        expected = _made_by()
        made_by = {k: meta.get(k) for k in expected} if isinstance(meta, dict) else {}
        if made_by != expected:
            raise UsageError(
                f"{directory}: the store was made by {_versions(made_by)}; this is {_versions(expected)}: "
                f"load it again with: segraph load --store {directory}"
            )
        try:
            store = ox.Store.read_only(str(directory / DATABASE))
            files = [StoredFile(Path(f["path"]), f["role"], f["graph"], int(f["triples"])) for f in meta["files"]]
        except (OSError, KeyError, TypeError, ValueError) as error:
            raise UsageError(f"{directory}: the store is damaged ({error}); load it again with segraph load") from None
        return cls(directory, store, files)

    @classmethod
    def build(
        cls, directory: Path, data_paths: Sequence[Path] | None = None, progress: LoadProgress | None = None
    ) -> PersistentStore:
        """Load the ontology, reference data and data files into a new store at ``directory``.

        The store is built in a folder beside ``directory`` and swapped in when every
        file is in: a failed load (say, a syntax error) leaves the previous store as it was.
        """
        sources = source_files(data_paths)
        if directory.exists() and not directory.is_dir():
            raise UsageError(f"{directory}: a file, not a folder; choose another --store")
        if directory.exists() and any(directory.iterdir()) and not (directory / METADATA).is_file():
            raise UsageError(f"{directory}: the folder exists and is not a segraph store; choose another --store")
        directory.parent.mkdir(parents=True, exist_ok=True)
        fresh = directory.parent / f".{directory.name}.loading-{os.getpid()}"
        shutil.rmtree(fresh, ignore_errors=True)
        try:
            fresh.mkdir()
            store = ox.Store(str(fresh / DATABASE))
            files = []
            for path, role in sources:
                bulk = path.stat().st_size > BULK_THRESHOLD
                files.append(load_file(store, path, role, bulk=bulk, progress=progress))
                if progress:
                    progress.file_done(files[-1])
            store.flush()
            del store  # closes the database before the folder moves
            meta = {**_made_by(), "files": [_file_record(f) for f in files]}
            (fresh / METADATA).write_text(json.dumps(meta, indent=1), encoding="utf-8")
            _swap(fresh, directory)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise
        return cls.open(directory)


def _file_record(stored: StoredFile) -> dict[str, object]:
    return {"path": str(stored.path.resolve()), "role": stored.role, "graph": stored.graph, "triples": stored.triples}


def _swap(fresh: Path, directory: Path) -> None:
    """Put ``fresh`` where ``directory`` is, then remove the old one."""
    old = directory.parent / f".{directory.name}.old-{os.getpid()}"
    if directory.exists():
        directory.rename(old)
    fresh.rename(directory)
    shutil.rmtree(old, ignore_errors=True)


# ---- a remote SPARQL endpoint -------------------------------------------------------------------


class RemoteStore:
    """A SPARQL 1.1 endpoint. Credentials come from the environment, never the command line.

    Bindings travel as one VALUES row in the query text (``with_values``), which
    every SPARQL 1.1 store understands.
    """

    def __init__(self, endpoint: str) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise UsageError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint

    def describe(self) -> str:
        return self.endpoint

    def select(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> QueryResult:
        body = self._request(query, timeout, bindings, "json")
        try:
            return QueryResult.from_json(body)
        except ValueError as error:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results ({error})") from None

    def ask(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> bool:
        body = self._request(query, timeout, bindings, "json")
        try:
            answer = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, OSError) as error:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results ({error})") from None
        if not isinstance(answer, ox.QueryBoolean):
            raise QueryError(f"{self.endpoint}: expected a boolean (ASK) answer")
        return bool(answer)

    def construct(self, query: str, timeout: float | None = None, bindings: Bindings | None = None) -> list[ox.Triple]:
        body = self._request(query, timeout, bindings, "turtle")
        try:
            return [ox.Triple(q.subject, q.predicate, q.object) for q in ox.parse(body, format=ox.RdfFormat.TURTLE)]
        except SyntaxError as error:
            raise QueryError(f"{self.endpoint}: the answer is not Turtle ({error})") from None

    def count(self, graph: str | None = None) -> int:
        return int(self.select(_count_query(graph)).column("n")[0])

    def graphs(self) -> dict[str, int]:
        return {str(row["g"]): int(row["n"]) for row in self.select(_GRAPH_COUNTS)}

    def _request(self, query: str, timeout: float | None, bindings: Bindings | None, answer: str) -> bytes:
        from SPARQLWrapper import POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setReturnFormat(answer)
        client.setQuery(with_values(query, bindings) if bindings else query)
        if timeout:
            client.setTimeout(int(max(1, timeout)))
        user = os.environ.get(USER_ENV)
        if user:
            client.setCredentials(user, os.environ.get(PASSWORD_ENV, ""))
        try:
            return bytes(client.query().response.read())
        except SPARQLWrapperException as error:
            raise QueryError(f"{self.endpoint}: the endpoint refused the query: {_first_line(error)}") from None
        except urllib.error.HTTPError as error:
            raise QueryError(f"{self.endpoint}: HTTP {error.code} {error.reason}") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise QueryError(f"{self.endpoint}: no answer within {timeout} s (timeout)") from None
            raise QueryError(f"{self.endpoint}: cannot reach the endpoint ({reason})") from None
        except TimeoutError:
            raise QueryError(f"{self.endpoint}: no answer within {timeout} s (timeout)") from None
        except OSError as error:
            raise QueryError(f"{self.endpoint}: connection failed ({error})") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
