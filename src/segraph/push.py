"""Upload the graph to a triple store through the SPARQL 1.1 Graph Store HTTP Protocol, then check it arrived.

Two URLs are involved because stores serve the protocol and queries at different
paths: the Graph Store endpoint receives one ``PUT ?graph=IRI`` per named graph,
and the query endpoint answers the ``COUNT`` that checks each graph afterwards.

- By default every source file goes to its own named graph (``SourceFile.name``,
  the document IRI for a data file), the layout the saved queries expect; with
  ``graph`` everything goes into that one graph.
- A PUT replaces one graph and nothing else: graphs the push does not name are
  never touched. Without ``replace`` a push refuses, before sending anything, to
  overwrite a target graph that already holds triples; nothing is ever merged
  (POST), so pushing twice with ``replace`` leaves the same triples, blank nodes
  included.
- A PUT is atomic on Oxigraph, Fuseki and GraphDB: a rejected upload leaves that
  graph as it was. Graphs go up one by one, so when one fails, those before it
  are already replaced; the error names them, counts the others again and says
  which still hold their previous triples. One ``graph`` is one atomic PUT.
- Files are streamed through Oxigraph's parser into one N-Triples file per graph
  (each triple once, as written), then sent from disk: no graph is held in memory.
- The body is N-Triples written by Oxigraph, sent as ``text/turtle`` (N-Triples
  is a subset of Turtle): Virtuoso's graph endpoint refuses ``application/n-triples``.
- Credentials come from SEGRAPH_ENDPOINT_USER and SEGRAPH_ENDPOINT_PASSWORD, as
  for queries: sent as HTTP basic auth, or as digest auth to a store that asks
  for it (Virtuoso's ``/sparql-graph-crud-auth``).
"""

from __future__ import annotations

import hashlib
import mmap
import os
import re
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from segraph.errors import LoadError, QueryError, SegraphError, UsageError
from segraph.paths import shown
from segraph.store import PASSWORD_ENV, RDF_FORMATS, USER_ENV, RemoteStore, documents_in, graph_name

DEFAULT_TIMEOUT = 60.0
CONTENT_TYPE = "text/turtle; charset=utf-8"

# Graph Store path suffix -> query endpoint path suffix, per server.
QUERY_ENDPOINTS: tuple[tuple[str, str, str], ...] = (
    ("Oxigraph", "/store", "/query"),
    ("Apache Jena Fuseki", "/data", "/query"),
    ("GraphDB", "/rdf-graphs/service", ""),
    ("Virtuoso", "/sparql-graph-crud-auth", "/sparql"),
    ("Virtuoso", "/sparql-graph-crud", "/sparql"),
)


class PushError(SegraphError):
    """An upload failed or the store's counts differ from the local ones; the message says what the store holds."""


@dataclass(frozen=True)
class LocalGraph:
    """One named graph to upload: its IRI, the N-Triples file holding it and how many triples that holds."""

    iri: str
    body: Path
    triples: int


@dataclass(frozen=True)
class PushedGraph:
    """One graph the store now holds, checked: its triples, and how many it held before the push."""

    iri: str
    triples: int
    previous: int


@dataclass(frozen=True)
class PushReport:
    """What a successful push left in the store, every count checked against the local one."""

    endpoint: str
    query_endpoint: str
    graphs: tuple[PushedGraph, ...]

    @property
    def triples(self) -> int:
        return sum(graph.triples for graph in self.graphs)

    def lines(self) -> list[str]:
        """The report for people: a summary, then one line per graph."""
        head = (
            f"pushed {len(self.graphs)} graph(s), {self.triples} triples, to {self.endpoint}; "
            f"the counts at {self.query_endpoint} match"
        )
        width = len(str(max((graph.triples for graph in self.graphs), default=0)))
        return [head] + [
            f"  {graph.triples:>{width}} triples  <{graph.iri}>"
            + (f"  (replaced {graph.previous})" if graph.previous else "  (new)")
            for graph in self.graphs
        ]


def push(
    sources: Sequence[tuple[Path, str]],
    endpoint: str,
    *,
    query_endpoint: str | None = None,
    graph: str | None = None,
    replace: bool = False,
    timeout: float = DEFAULT_TIMEOUT,
) -> PushReport:
    """Upload the source files to the Graph Store ``endpoint`` and check every graph's count at ``query_endpoint``.

    ``sources`` are (file, role) pairs as ``segraph.store.source_files`` lists them.
    ``query_endpoint`` defaults to the one the server serves beside ``endpoint``
    (see QUERY_ENDPOINTS). ``graph``: put everything into this one named graph
    instead of one graph per source file. ``replace``: overwrite target graphs
    that already hold triples (otherwise refuse before uploading anything).
    Raises UsageError for bad arguments, LoadError for a file that does not parse,
    PushError when the store did not end up holding exactly the local triples.
    """
    endpoint = _http_url(endpoint, "--endpoint")
    query_endpoint = _http_url(query_endpoint, "--query-endpoint") if query_endpoint else None
    counter = RemoteStore(query_endpoint or default_query_endpoint(endpoint))
    with tempfile.TemporaryDirectory(prefix="segraph-push-") as folder:
        local = local_graphs(sources, Path(folder), graph)
        return _upload(local, endpoint, counter, replace, timeout)


def _upload(local: list[LocalGraph], endpoint: str, counter: RemoteStore, replace: bool, timeout: float) -> PushReport:
    try:
        before = remote_counts(counter, [g.iri for g in local], timeout)
    except QueryError as error:
        raise PushError(f"nothing was uploaded: cannot count the target graphs ({error})") from None
    occupied = [g for g in local if before[g.iri]]
    if occupied and not replace:
        listed = "".join(f"\n  <{g.iri}> holds {before[g.iri]} triples" for g in occupied)
        raise PushError(
            f"nothing was uploaded: {len(occupied)} target graph(s) already hold triples:{listed}\n"
            "push with --replace to replace them"
        )
    opener = _opener(endpoint)
    for done, item in enumerate(local):
        try:
            _put(opener, endpoint, item, timeout)
        except PushError as error:
            raise PushError(_after_failure(str(error), local, done, before, counter, timeout)) from None
    try:
        after = remote_counts(counter, [g.iri for g in local], timeout)
    except QueryError as error:
        raise PushError(f"all {len(local)} graph(s) were uploaded; counting them failed ({error})") from None
    _check_counts(local, after)
    return PushReport(endpoint, counter.endpoint, tuple(PushedGraph(g.iri, g.triples, before[g.iri]) for g in local))


def local_graphs(sources: Sequence[tuple[Path, str]], folder: Path, graph: str | None = None) -> list[LocalGraph]:
    """The named graphs to upload, in file order, each written to an N-Triples file in ``folder``.

    Files are streamed through Oxigraph's parser, never held in memory as a graph,
    so a push costs time linear in the data and memory for one digest per triple.
    Files that share a graph IRI (all of them, with ``graph``) are merged as a set,
    and a triple stated twice is sent and counted once (a 128-bit digest of each
    triple tells). Terms are written as parsed: every literal keeps its lexical form.
    """
    target = _named_node(graph, "--graph").value if graph else None
    grouped: dict[str, list[Path]] = {}
    for path, role in sources:
        iri = target or graph_name(path, role, documents_in(path, _format(path), path.resolve().as_uri()))
        grouped.setdefault(iri, []).append(path)
    graphs = []
    for number, (iri, files) in enumerate(grouped.items()):
        body = folder / f"{number:05d}.nt"
        seen: set[bytes] = set()
        with body.open("wb") as output:
            ox.serialize(_distinct(files, seen), output, format=ox.RdfFormat.N_TRIPLES)
        graphs.append(LocalGraph(iri, body, len(seen)))
    return graphs


def _distinct(files: list[Path], seen: set[bytes]) -> Iterator[ox.Triple]:
    """The triples of ``files`` as parsed, each once; ``seen`` collects their digests (its size is the count)."""
    for path in files:
        try:
            for quad in ox.parse(path=path, format=_format(path), base_iri=path.resolve().as_uri()):
                triple = quad.triple
                digest = hashlib.blake2b(str(triple).encode(), digest_size=16).digest()
                if digest not in seen:
                    seen.add(digest)
                    yield triple
        except SyntaxError as error:
            raise LoadError(shown(path), f"syntax error: {error.msg}", error.lineno) from None
        except OSError as error:
            raise LoadError(shown(path), f"cannot read: {error.strerror or error}") from None


def _format(path: Path) -> ox.RdfFormat:
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(shown(path), f"not an RDF file this tool reads (expected one of {', '.join(RDF_FORMATS)})")
    return fmt


def remote_counts(store: RemoteStore, iris: Sequence[str], timeout: float | None = None) -> dict[str, int]:
    """How many triples each named graph holds in the store (0 for a graph it does not have)."""
    values = " ".join(str(ox.NamedNode(iri)) for iri in iris)
    query = f"SELECT ?g (COUNT(*) AS ?n) WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }} GROUP BY ?g"
    found = {str(row["g"]): int(row["n"]) for row in store.select(query, timeout)}
    return {iri: found.get(iri, 0) for iri in iris}


def default_query_endpoint(endpoint: str) -> str:
    """The query endpoint a server serves beside its Graph Store endpoint, from the URL's last path segments."""
    parts = urllib.parse.urlsplit(endpoint)
    path = parts.path.rstrip("/")
    for _, suffix, replacement in QUERY_ENDPOINTS:
        if path.endswith(suffix):
            return urllib.parse.urlunsplit(parts._replace(path=path[: -len(suffix)] + replacement, query=""))
    known = ", ".join(f"{server} …{suffix}" for server, suffix, _ in QUERY_ENDPOINTS)
    raise UsageError(f"cannot tell which query endpoint goes with {endpoint} (known: {known}); give --query-endpoint")


def graph_url(endpoint: str, iri: str) -> str:
    """The Graph Store URL of one named graph (indirect identification: ``?graph=IRI``)."""
    parts = urllib.parse.urlsplit(endpoint)
    query = urllib.parse.urlencode([*urllib.parse.parse_qsl(parts.query), ("graph", iri)])
    return urllib.parse.urlunsplit(parts._replace(query=query))


def _http_url(url: str, option: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise UsageError(f"{option} must be an http(s) URL, not {url!r}")
    return url


def _named_node(iri: str, option: str) -> ox.NamedNode:
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise UsageError(f"{option} must be an absolute IRI, not {iri!r} ({error})") from None


def _opener(endpoint: str) -> urllib.request.OpenerDirector:
    """An HTTP client sending the environment's credentials: basic up front, digest when the store asks."""
    user = os.environ.get(USER_ENV)
    if not user:
        return urllib.request.build_opener()
    passwords = urllib.request.HTTPPasswordMgrWithPriorAuth()
    passwords.add_password(None, endpoint, user, os.environ.get(PASSWORD_ENV, ""), is_authenticated=True)
    return urllib.request.build_opener(
        urllib.request.HTTPBasicAuthHandler(passwords), urllib.request.HTTPDigestAuthHandler(passwords)
    )


def _put(opener: urllib.request.OpenerDirector, endpoint: str, item: LocalGraph, timeout: float) -> None:
    """Replace one graph in the store; any failure becomes a PushError naming the URL and the cause."""
    with _mapped(item.body) as data:
        request = urllib.request.Request(
            graph_url(endpoint, item.iri),
            data=data,
            method="PUT",
            headers={"Content-Type": CONTENT_TYPE, "Content-Length": str(len(data))},
        )
        _send(opener, request, endpoint, timeout)


@contextmanager
def _mapped(path: Path) -> Iterator[memoryview | bytes]:
    """The file's bytes without reading them into memory: a retry (digest auth) sends them again from the start."""
    with path.open("rb") as handle:
        if os.fstat(handle.fileno()).st_size == 0:
            yield b""
            return
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            view = memoryview(mapped)
            try:
                yield view
            finally:
                view.release()


def _send(
    opener: urllib.request.OpenerDirector, request: urllib.request.Request, endpoint: str, timeout: float
) -> None:
    try:
        with opener.open(request, timeout=timeout) as response:
            response.read()
    except urllib.error.HTTPError as error:
        raise PushError(_http_problem(endpoint, error)) from None
    except urllib.error.URLError as error:
        if isinstance(error.reason, TimeoutError):
            raise PushError(f"{endpoint}: no answer within {timeout} s (timeout)") from None
        raise PushError(f"{endpoint}: cannot reach the store ({error.reason})") from None
    except TimeoutError:
        raise PushError(f"{endpoint}: no answer within {timeout} s (timeout)") from None
    except OSError as error:
        raise PushError(f"{endpoint}: connection failed ({error})") from None
    except ValueError as error:  # urllib's answer to a challenge in a scheme other than basic or digest
        raise PushError(f"{endpoint}: the store asks for credentials segraph cannot send ({error})") from None


def _http_problem(endpoint: str, error: urllib.error.HTTPError) -> str:
    """Status, the first lines of the server's message and, for 401, what to do about credentials."""
    try:
        body = error.read()
    except OSError:
        body = b""
    text = body.decode("utf-8", errors="replace")
    if error.headers.get_content_type() == "text/html":
        text = re.sub(r"<[^>]*>", " ", text)
    lines = [line.strip() for line in text.splitlines() if line.strip()][:3]
    detail = " / ".join(lines)
    message = f"{endpoint}: HTTP {error.code} {error.reason}" + (f": {detail[:300]}" if detail else "")
    if error.code == 401:
        user = os.environ.get(USER_ENV)
        message += (
            f" (the store refused the credentials of {USER_ENV}={user})"
            if user
            else f" (the store wants credentials: set {USER_ENV} and {PASSWORD_ENV})"
        )
    return message


def _after_failure(
    reason: str,
    local: list[LocalGraph],
    failed: int,
    before: dict[str, int],
    counter: RemoteStore,
    timeout: float,
) -> str:
    """What the store holds after an upload failed, every target graph counted again."""
    lines = [f"the upload of <{local[failed].iri}> failed: {reason}"]
    try:
        now = remote_counts(counter, [g.iri for g in local], timeout)
    except QueryError as error:
        replaced = ", ".join(f"<{g.iri}>" for g in local[:failed]) or "none"
        lines.append(f"replaced before the failure: {replaced}")
        lines.append(f"the other graphs could not be counted again ({error})")
    else:
        lines += [f"  <{g.iri}> replaced: {now[g.iri]} triples (local {g.triples})" for g in local[:failed]]
        if not failed:
            lines.append("nothing was replaced")
        for g in local[failed:]:
            state = "still holds its previous" if now[g.iri] == before[g.iri] else f"previously {before[g.iri]}, now"
            lines.append(f"  <{g.iri}> {state} {now[g.iri]} triples")
    lines.append("fix the cause, then push again with --replace")
    return "\n".join(lines)


def _check_counts(local: list[LocalGraph], remote: dict[str, int]) -> None:
    """Raise a PushError naming every graph whose count in the store differs from the local one."""
    wrong = [g for g in local if remote[g.iri] != g.triples]
    if not wrong:
        return
    listed = "".join(f"\n  <{g.iri}>: {remote[g.iri]} in the store, {g.triples} local" for g in wrong)
    total_remote = sum(remote.values())
    total_local = sum(g.triples for g in local)
    raise PushError(
        f"the store's counts differ from the local ones in {len(wrong)} graph(s):{listed}\n"
        f"in all: {total_remote} triples in the store, {total_local} local"
    )
