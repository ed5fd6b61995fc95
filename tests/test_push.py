"""`segraph push`: the graph goes to a real Oxigraph server through the Graph Store Protocol, and is checked.

Every test gets its own fresh server, since a push changes the store. Failures
are real: a read-only server refusing writes, a small HTTP proxy in front of
Oxigraph that turns one upload away, half-writes it, goes down, loses triples
or asks for credentials.
"""

from __future__ import annotations

import base64
import hashlib
import re
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from oxigraph_server import OxigraphServer, free_port, oxigraph_server
from rdflib import Graph
from rdflib.compare import isomorphic

from segraph.cli import main
from segraph.errors import UsageError
from segraph.load import Corpus
from segraph.push import PushError, default_query_endpoint, push
from segraph.run import run_query
from segraph.store import PASSWORD_ENV, USER_ENV, EmbeddedStore, RemoteStore, source_files, to_oxigraph

OTHER = "urn:example:unrelated"
ONE_GRAPH = "https://example.org/segraph/all"
MARKER = b"<urn:example:s> <urn:example:p> <urn:example:previous> .\n"
USER, PASSWORD, REALM = "curator", "s3cret-pw", "SPARQL"
SOURCES = source_files()  # the shipped files, as `segraph push` lists them


@pytest.fixture(autouse=True)
def no_credentials(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests set credentials themselves; none leak in from the environment."""
    monkeypatch.delenv(USER_ENV, raising=False)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)


@pytest.fixture
def server() -> Iterator[OxigraphServer]:
    """A fresh, empty Oxigraph server for one test (in memory: on disk every PUT waits for a sync)."""
    with oxigraph_server() as running:
        yield running


def expected_counts(corpus: Corpus) -> dict[str, int]:
    return {str(source.name): len(source.graph) for source in corpus.files}


def graph_counts(server: OxigraphServer) -> dict[str, int]:
    """Every named graph in the store and its triples, asked directly (not through segraph.push)."""
    query = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"
    return {str(row["g"]): int(row["n"]) for row in RemoteStore(server.query_url).select(query)}


def put(server: OxigraphServer, iri: str, ntriples: bytes) -> None:
    """Give a graph some previous content, straight through Oxigraph's Graph Store endpoint."""
    url = f"{server.store_url}?{urllib.parse.urlencode({'graph': iri})}"
    request = urllib.request.Request(
        url, data=ntriples, method="PUT", headers={"Content-Type": "application/n-triples"}
    )
    urllib.request.urlopen(request, timeout=30).close()


def as_oxigraph_keeps(graph: Graph) -> Graph:
    """The graph as an Oxigraph store holds it: numbers and dates by value, in canonical lexical form."""
    store = ox.Store()
    store.bulk_extend(ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o)) for s, p, o in graph)  # type: ignore[arg-type]
    return Graph().parse(data=store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()), format="nt")


def fetch(server: OxigraphServer, iri: str) -> Graph:
    """One named graph as the store holds it."""
    url = f"{server.store_url}?{urllib.parse.urlencode({'graph': iri})}"
    request = urllib.request.Request(url, headers={"Accept": "application/n-triples"})
    with urllib.request.urlopen(request, timeout=30) as response:
        return Graph().parse(data=response.read(), format="nt")


# --- what a push leaves in the store ---------------------------------------------------------------------------


def test_push_leaves_exactly_the_local_triples_one_graph_per_file(
    shipped_corpus: Corpus, server: OxigraphServer, embedded_store: EmbeddedStore
) -> None:
    report = push(SOURCES, server.store_url)
    expected = expected_counts(shipped_corpus)
    assert graph_counts(server) == expected
    assert [g.iri for g in report.graphs] == [str(source.name) for source in shipped_corpus.files]
    assert report.triples == sum(expected.values())
    assert report.query_endpoint == server.query_url
    assert all(g.previous == 0 for g in report.graphs)
    for source in shipped_corpus.data_files:  # blank nodes included
        assert isomorphic(fetch(server, str(source.name)), as_oxigraph_keeps(source.graph)), source.name
    remote = run_query("projects", store=RemoteStore(server.query_url))
    assert remote.rows() == run_query("projects", store=embedded_store).rows()


def test_pushing_twice_with_replace_leaves_the_same_triples(shipped_corpus: Corpus, server: OxigraphServer) -> None:
    push(SOURCES, server.store_url)
    report = push(SOURCES, server.store_url, replace=True)
    assert graph_counts(server) == expected_counts(shipped_corpus)
    assert all(g.previous == g.triples for g in report.graphs)
    raise_ = next(s for s in shipped_corpus.data_files if s.name.endswith("/orebro-raise"))
    assert isomorphic(fetch(server, str(raise_.name)), as_oxigraph_keeps(raise_.graph))  # blank nodes not doubled


def test_without_replace_a_non_empty_target_stops_the_push_before_any_upload(
    shipped_corpus: Corpus, server: OxigraphServer
) -> None:
    resees = next(str(s.name) for s in shipped_corpus.data_files if s.name.endswith("/resees"))
    put(server, resees, MARKER)
    with pytest.raises(PushError) as error:
        push(SOURCES, server.store_url)
    assert error.value.exit_code == 1
    message = str(error.value)
    assert message.startswith("nothing was uploaded: 1 target graph(s) already hold triples")
    assert f"<{resees}> holds 1 triples" in message and "--replace" in message
    assert graph_counts(server) == {resees: 1}


def test_graph_option_puts_everything_into_one_graph(shipped_corpus: Corpus, server: OxigraphServer) -> None:
    report = push(SOURCES, server.store_url, graph=ONE_GRAPH)
    # Triples stated in several files are one triple in one graph.
    assert len(shipped_corpus.union) < sum(expected_counts(shipped_corpus).values())
    assert graph_counts(server) == {ONE_GRAPH: len(shipped_corpus.union)}
    assert [(g.iri, g.triples) for g in report.graphs] == [(ONE_GRAPH, len(shipped_corpus.union))]


def test_graphs_the_push_does_not_name_survive(shipped_corpus: Corpus, server: OxigraphServer) -> None:
    other = MARKER + b"<urn:example:s> <urn:example:p> _:kept .\n"
    put(server, OTHER, other)
    push(SOURCES, server.store_url)
    push(SOURCES, server.store_url, replace=True)
    push(SOURCES, server.store_url, graph=ONE_GRAPH)
    assert graph_counts(server) == {**expected_counts(shipped_corpus), ONE_GRAPH: len(shipped_corpus.union), OTHER: 2}
    assert isomorphic(fetch(server, OTHER), Graph().parse(data=other, format="nt"))


# --- failures ---------------------------------------------------------------------------------------------------


def test_a_refused_upload_leaves_the_previous_graph_intact_and_says_so(tmp_path: Path) -> None:
    location = tmp_path / "store"
    previous = MARKER + b'<urn:example:s> <urn:example:p> _:b1 .\n_:b1 <urn:example:p> "x" .\n'
    with oxigraph_server(location) as writable:
        put(writable, ONE_GRAPH, previous)
    with oxigraph_server(location, read_only=True) as read_only:
        with pytest.raises(PushError) as error:
            push(SOURCES, read_only.store_url, graph=ONE_GRAPH, replace=True)
        assert isomorphic(fetch(read_only, ONE_GRAPH), Graph().parse(data=previous, format="nt"))
    message = str(error.value)
    assert f"the upload of <{ONE_GRAPH}> failed: {read_only.store_url}: HTTP 403 Forbidden" in message
    assert "The server is read-only" in message  # the server's own words
    assert "nothing was replaced" in message
    assert f"<{ONE_GRAPH}> still holds its previous 3 triples" in message


@contextmanager
def proxy(
    server: OxigraphServer,
    *,
    reject: str | None = None,
    then: str = "refuse",
    lose: str | None = None,
    demand: str | None = None,
) -> Iterator[tuple[str, list[tuple[str, str]]]]:
    """A real HTTP proxy to ``server`` on 127.0.0.1: its base URL and the (method, Authorization) of each request.

    ``reject``: fail the PUT of this graph; ``then`` says how: "refuse" (503, the
    store unchanged), "half" (store half the triples, then answer 500, as a store
    without transactions might) or "down" (503 to this and every later request).
    ``lose``: forward only the first half of this graph's triples, answering success.
    ``demand``: "basic", "digest" or "bearer" auth (the last never satisfied).
    """
    seen: list[tuple[str, str]] = []
    handler = type(
        "Handler",
        (_Proxy,),
        {
            "upstream": server.url,
            "reject": reject,
            "then": then,
            "lose": lose,
            "demand": demand,
            "seen": seen,
            "down": [],
        },
    )
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    httpd.daemon_threads = True
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", seen
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=10)


class _Proxy(BaseHTTPRequestHandler):
    upstream = ""
    reject: str | None = None
    then = "refuse"
    lose: str | None = None
    down: list[bool] = []
    demand: str | None = None
    seen: list[tuple[str, str]] = []

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self._handle()

    def do_POST(self) -> None:  # noqa: N802
        self._handle()

    def do_PUT(self) -> None:  # noqa: N802
        self._handle()

    def _handle(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        authorization = self.headers.get("Authorization", "")
        self.seen.append((self.command, authorization))
        graph = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("graph", [""])[0]
        if self.demand and not self._authorised(authorization):
            challenge = {
                "basic": f'Basic realm="{REALM}"',
                "digest": f'Digest realm="{REALM}", nonce="0a4f113b", qop="auth", algorithm=MD5',
                "bearer": f'Bearer realm="{REALM}"',
            }[self.demand]
            self._answer(401, "text/plain", b"Unauthorized\n", {"WWW-Authenticate": challenge})
        elif self.down or (self.command == "PUT" and graph == self.reject and self.then != "half"):
            if self.then == "down":
                self.down.append(True)
            self._answer(503, "text/html", b"<html><body><h1>Maintenance</h1>\n<p>back soon</p></body></html>")
        elif self.command == "PUT" and graph == self.reject:  # then == "half"
            self._forward(_first_half(body))
            self._answer(500, "text/plain", b"write failed midway")
        elif self.command == "PUT" and graph == self.lose:
            self._answer(*self._forward(_first_half(body)))
        else:
            self._answer(*self._forward(body))

    def _authorised(self, authorization: str) -> bool:
        if self.demand == "basic":
            return authorization == "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
        if self.demand == "bearer" or not authorization.startswith("Digest "):
            return False
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(authorization[len("Digest ") :]))
        ha1 = _md5(f"{USER}:{REALM}:{PASSWORD}")
        ha2 = _md5(f"{self.command}:{fields['uri']}")
        expected = _md5(f"{ha1}:{fields['nonce']}:{fields['nc']}:{fields['cnonce']}:{fields['qop']}:{ha2}")
        return fields.get("username") == USER and fields.get("response") == expected

    def _forward(self, body: bytes) -> tuple[int, str, bytes]:
        headers = {name: value for name in ("Content-Type", "Accept") if (value := self.headers.get(name))}
        request = urllib.request.Request(
            self.upstream + self.path,
            data=body if self.command != "GET" else None,
            method=self.command,
            headers=headers,
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                return response.status, response.headers.get("Content-Type", ""), response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.headers.get("Content-Type", ""), error.read()

    def _answer(self, status: int, content_type: str, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": content_type, **(headers or {})}.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


def _first_half(ntriples: bytes) -> bytes:
    lines = ntriples.splitlines(keepends=True)
    return b"".join(lines[: len(lines) // 2])


def _md5(text: str) -> str:
    return hashlib.md5(text.encode()).hexdigest()


def test_a_failure_midway_names_the_replaced_graphs_and_keeps_the_others(
    shipped_corpus: Corpus, server: OxigraphServer
) -> None:
    names = [str(source.name) for source in shipped_corpus.files]
    for name in names:
        put(server, name, MARKER)
    failing = names[3]
    with proxy(server, reject=failing) as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store", replace=True)
    local = expected_counts(shipped_corpus)
    assert graph_counts(server) == {name: local[name] if name in names[:3] else 1 for name in names}
    message = str(error.value)
    cause = f"{url}/store: HTTP 503 Service Unavailable: Maintenance / back soon"  # the server's HTML, as text
    assert f"the upload of <{failing}> failed: {cause}" in message
    for name in names[:3]:
        assert f"<{name}> replaced: {local[name]} triples (local {local[name]})" in message
    for name in names[3:]:
        assert f"<{name}> still holds its previous 1 triples" in message
    assert error.value.exit_code == 1


def test_a_store_going_down_midway_lists_the_replaced_graphs_and_says_the_rest_went_uncounted(
    shipped_corpus: Corpus, server: OxigraphServer
) -> None:
    names = [str(source.name) for source in shipped_corpus.files]
    with proxy(server, reject=names[2], then="down") as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store")
    message = str(error.value)
    assert f"replaced before the failure: <{names[0]}>, <{names[1]}>\n" in message
    assert f"the other graphs could not be counted again ({url}/query: " in message
    local = expected_counts(shipped_corpus)
    assert graph_counts(server) == {names[0]: local[names[0]], names[1]: local[names[1]]}


def test_a_store_that_half_writes_a_failed_upload_is_caught_by_the_recount(
    shipped_corpus: Corpus, server: OxigraphServer
) -> None:
    roles = next(str(s.name) for s in shipped_corpus.files if s.name.endswith("/reference/roles"))
    put(server, roles, MARKER)
    with proxy(server, reject=roles, then="half") as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store", replace=True)
    half = expected_counts(shipped_corpus)[roles] // 2
    assert graph_counts(server)[roles] == half
    message = str(error.value)
    assert (
        f"the upload of <{roles}> failed: {url}/store: HTTP 500 Internal Server Error: write failed midway" in message
    )
    assert f"<{roles}> previously 1, now {half} triples" in message


def test_a_store_that_loses_triples_fails_the_count_check_with_both_numbers(
    shipped_corpus: Corpus, server: OxigraphServer
) -> None:
    roles = next(str(s.name) for s in shipped_corpus.files if s.name.endswith("/reference/roles"))
    local = expected_counts(shipped_corpus)
    with proxy(server, lose=roles) as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store")
    kept = local[roles] // 2
    assert graph_counts(server)[roles] == kept
    message = str(error.value)
    assert f"in 1 graph(s):\n  <{roles}>: {kept} in the store, {local[roles]} local" in message
    total = sum(local.values())
    assert f"in all: {total - local[roles] + kept} triples in the store, {total} local" in message


def test_an_unreachable_store_is_named() -> None:
    url = f"http://127.0.0.1:{free_port()}/store"
    with pytest.raises(PushError) as error:
        push(SOURCES, url, timeout=5)
    assert error.value.exit_code == 1
    message = str(error.value)
    assert message.startswith("nothing was uploaded: cannot count the target graphs")
    assert url.replace("/store", "/query") in message and "cannot reach" in message


def test_a_wrong_store_url_gives_the_status_and_the_servers_message(server: OxigraphServer) -> None:
    with pytest.raises(PushError) as error:
        push(SOURCES, f"{server.url}/wrong", query_endpoint=server.query_url)
    message = str(error.value)
    assert f"{server.url}/wrong: HTTP 404 Not Found: PUT /wrong is not supported by this server" in message
    assert "nothing was replaced" in message
    assert graph_counts(server) == {}


@pytest.mark.parametrize(
    ("endpoint", "options", "message"),
    [
        ("ftp://example.org/store", {}, "--endpoint must be an http(s) URL"),
        ("http://127.0.0.1:9/store", {"query_endpoint": "file:///tmp/q"}, "--query-endpoint must be an http(s) URL"),
        ("http://127.0.0.1:9/graphs", {}, "cannot tell which query endpoint goes with http://127.0.0.1:9/graphs"),
        ("http://127.0.0.1:9/store", {"graph": "not an IRI"}, "--graph must be an absolute IRI"),
    ],
)
def test_usage_errors_exit_2_before_any_request(endpoint: str, options: dict[str, str], message: str) -> None:
    with pytest.raises(UsageError, match=re.escape(message)) as error:
        push(SOURCES, endpoint, **options)  # type: ignore[arg-type]
    assert error.value.exit_code == 2


@pytest.mark.parametrize(
    ("store", "query"),
    [
        ("http://localhost:7878/store", "http://localhost:7878/query"),
        ("http://localhost:3030/segraph/data", "http://localhost:3030/segraph/query"),
        ("http://localhost:7200/repositories/segraph/rdf-graphs/service", "http://localhost:7200/repositories/segraph"),
        ("http://localhost:8890/sparql-graph-crud-auth", "http://localhost:8890/sparql"),
        ("https://example.org/sparql-graph-crud/", "https://example.org/sparql"),
    ],
)
def test_the_query_endpoint_is_found_beside_each_servers_graph_store(store: str, query: str) -> None:
    assert default_query_endpoint(store) == query


# --- credentials ------------------------------------------------------------------------------------------------


def test_basic_auth_credentials_come_from_the_environment(
    shipped_corpus: Corpus, server: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with proxy(server, demand="basic") as (url, seen):
        report = push(SOURCES, f"{url}/store")
    assert graph_counts(server) == expected_counts(shipped_corpus)
    basic = "Basic " + base64.b64encode(f"{USER}:{PASSWORD}".encode()).decode()
    assert [method for method, _ in seen].count("PUT") == len(shipped_corpus.files)
    assert {authorization for _, authorization in seen} == {basic}  # queries and uploads, each sent up front
    assert PASSWORD not in "\n".join(report.lines())


@pytest.mark.parametrize(
    ("password", "says"),
    [
        (None, f"(the store wants credentials: set {USER_ENV} and {PASSWORD_ENV})"),
        ("wrong-pw", f"(the store refused the credentials of {USER_ENV}={USER})"),
    ],
)
def test_a_store_refusing_credentials_says_what_to_set(
    server: OxigraphServer, monkeypatch: pytest.MonkeyPatch, password: str | None, says: str
) -> None:
    if password:
        monkeypatch.setenv(USER_ENV, USER)
        monkeypatch.setenv(PASSWORD_ENV, password)
    with proxy(server, demand="basic") as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store", query_endpoint=server.query_url)
    message = str(error.value)
    assert "HTTP 401 Unauthorized" in message and says in message
    assert "nothing was replaced" in message
    assert password is None or password not in message
    assert graph_counts(server) == {}


def test_digest_auth_when_the_store_asks_for_it(
    shipped_corpus: Corpus, server: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with proxy(server, demand="digest") as (url, seen):
        push(SOURCES, f"{url}/store", query_endpoint=server.query_url)
    assert graph_counts(server) == expected_counts(shipped_corpus)
    answered = [authorization for method, authorization in seen if authorization.startswith("Digest ")]
    assert len(answered) == len(shipped_corpus.files)
    assert all(f'username="{USER}"' in authorization for authorization in answered)


def test_a_store_asking_for_another_kind_of_credentials_is_an_error_not_a_crash(
    server: OxigraphServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(USER_ENV, USER)
    monkeypatch.setenv(PASSWORD_ENV, PASSWORD)
    with proxy(server, demand="bearer") as (url, _), pytest.raises(PushError) as error:
        push(SOURCES, f"{url}/store", query_endpoint=server.query_url)
    message = str(error.value)
    assert f"{url}/store: the store asks for credentials segraph cannot send" in message and "Bearer" in message
    assert "nothing was replaced" in message


def test_the_command_pushes_then_refuses_then_replaces(shipped_corpus: Corpus, server: OxigraphServer) -> None:
    """`segraph push` end to end: exit 0 and the counts printed; a second push without --replace exits 1."""
    runner = CliRunner()
    first = runner.invoke(main, ["push", "--endpoint", server.store_url])
    assert first.exit_code == 0, first.output
    assert graph_counts(server) == expected_counts(shipped_corpus)
    assert str(sum(expected_counts(shipped_corpus).values())) in first.output
    again = runner.invoke(main, ["push", "--endpoint", server.store_url])
    assert again.exit_code == 1
    assert "--replace" in again.output
    replaced = runner.invoke(main, ["push", "--endpoint", server.store_url, "--replace"])
    assert replaced.exit_code == 0, replaced.output
    assert graph_counts(server) == expected_counts(shipped_corpus)


def test_the_command_names_an_unknown_store_kind_as_a_usage_error() -> None:
    result = CliRunner().invoke(main, ["push", "--endpoint", "http://127.0.0.1:9/somewhere"])
    assert result.exit_code == 2
    assert "--query-endpoint" in result.output
