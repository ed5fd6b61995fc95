"""`segraph queries`, `segraph query` and `segraph sparql` end to end, with their errors."""

from __future__ import annotations

import base64
import csv
import io
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result
from oxigraph_server import OxigraphServer

from segraph.cli import main
from segraph.queries import catalogue, get_query, with_values
from segraph.run import run_query
from segraph.store import EmbeddedStore, RemoteStore, Store

HOSTILE = [
    'resees" } ; DROP ALL ; SELECT * WHERE { ?s ?p ?o',
    "resees' } #",
    "} UNION { ?s ?p ?o }",
    'a"\\"b\nc',
    "<http://evil.example/> .",
]


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    result = CliRunner().invoke(main, list(args), env=env)
    assert "Traceback" not in (result.stdout + result.stderr)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result


def test_queries_lists_every_saved_query_with_parameters() -> None:
    result = run("queries")
    assert result.exit_code == 0
    for name, saved in catalogue().items():
        assert name in result.stdout
        assert saved.summary in result.stdout
        for parameter in saved.params:
            assert f"--param {parameter.name} ({parameter.type}" in result.stdout


def test_queries_show_prints_metadata_and_text() -> None:
    result = run("queries", "show", "projects")
    assert result.exit_code == 0
    assert "columns:     project, acronym, title, start, end, programme" in result.stdout
    assert "SELECT DISTINCT ?project ?acronym ?title ?start ?end ?programme" in result.stdout


def test_queries_show_unknown_lists_names() -> None:
    result = run("queries", "show", "nope")
    assert result.exit_code == 2
    assert "no saved query 'nope'" in result.stderr and "projects" in result.stderr


def test_csv_is_w3c_and_matches_python() -> None:
    result = run("query", "projects", "--format", "csv")
    assert result.exit_code == 0
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert [r["acronym"] for r in rows] == ["", "RaiSE", "RESEES", "SE Innovation", "SILK"]
    assert rows[4]["start"] == "2021-05" and rows[3]["end"] == "2020"


def test_tsv_keeps_rdf_terms() -> None:
    result = run("query", "projects", "--format", "tsv")
    assert result.exit_code == 0
    header, *lines = result.stdout.splitlines()
    assert header == "?project\t?acronym\t?title\t?start\t?end\t?programme"
    assert any('"2021-05"^^<http://www.w3.org/2001/XMLSchema#gYearMonth>' in line for line in lines)


def test_json_is_sparql_results_json() -> None:
    result = run("query", "projects", "--format", "json")
    data = json.loads(result.stdout)
    assert data["head"]["vars"] == ["project", "acronym", "title", "start", "end", "programme"]
    assert len(data["results"]["bindings"]) == 5
    silk = data["results"]["bindings"][4]
    assert silk["start"] == {
        "type": "literal",
        "value": "2021-05",
        "datatype": "http://www.w3.org/2001/XMLSchema#gYearMonth",
    }


def test_markdown_and_table() -> None:
    markdown = run("query", "projects", "--format", "markdown").stdout.splitlines()
    assert markdown[0] == "| project | acronym | title | start | end | programme |"
    assert len(markdown) == 2 + 5
    table = run("query", "projects", "--format", "table").stdout
    assert "RESEES" in table and table.rstrip().endswith("5 row(s)")


def test_lang_option_prefers_swedish() -> None:
    rows = list(csv.DictReader(io.StringIO(run("query", "projects", "--lang", "sv", "--format", "csv").stdout)))
    assert rows[1]["title"] == "Stärk sociala företags konkurrenskraft"
    assert rows[2]["title"].startswith("REINFORCE")  # no Swedish title: English


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["query", "nope"], "saved queries: "),
        (["query", "projects", "--param", "nope=1"], "has no parameter nope; its parameters: lang"),
        (["query", "projects", "--param", "novalue"], "--param takes KEY=VALUE"),
        (["query", "projects", "--lang", "not a tag"], "is not a language tag"),
        (["sparql", "SELECT WHERE"], "SPARQL syntax error"),
        (["sparql", "missing.rq"], "missing.rq: no such query file"),
        (["query", "projects", "--endpoint", "ftp://example.org/sparql"], "must be an http(s) URL"),
    ],
)
def test_usage_errors_exit_2_and_say_what_is_valid(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.stderr
    assert message in result.stderr


def test_sparql_runs_a_file_or_text(tmp_path: pytest.TempPathFactory) -> None:
    text = "PREFIX seg: <https://w3id.org/segraph/ontology#>\nSELECT (COUNT(?p) AS ?n) WHERE { ?p a seg:Project }"
    assert run("sparql", text, "--format", "csv").stdout.splitlines() == ["n", "5"]
    path = tmp_path / "count.rq"  # type: ignore[operator]
    path.write_text(text, encoding="utf-8")
    assert run("sparql", str(path), "--format", "csv").stdout.splitlines() == ["n", "5"]


# --- remote endpoints ------------------------------------------------------------------------------


def test_saved_query_gives_the_same_csv_on_oxigraph(oxigraph: OxigraphServer) -> None:
    local = run("query", "projects", "--format", "csv")
    remote = run("query", "projects", "--format", "csv", "--endpoint", oxigraph.query_url)
    assert remote.exit_code == 0
    assert remote.stdout == local.stdout


def test_unreachable_endpoint_exit_1_names_it() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}/query"
    result = run("query", "projects", "--endpoint", url)
    assert result.exit_code == 1
    assert url in result.stderr and "cannot reach" in result.stderr


def test_http_error_exit_1(oxigraph: OxigraphServer) -> None:
    result = run("sparql", "SELECT * WHERE { ?s ?p }", "--endpoint", oxigraph.query_url)
    assert result.exit_code == 1
    assert oxigraph.query_url in result.stderr


class _Handler(BaseHTTPRequestHandler):
    """A small real HTTP server for the answers Oxigraph never gives: silence, garbage, auth."""

    mode = "garbage"
    seen_auth: list[str] = []

    def do_POST(self) -> None:  # noqa: N802 - http.server's naming
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        if self.mode == "silent":
            threading.Event().wait(5)
            return
        _Handler.seen_auth.append(self.headers.get("Authorization", ""))
        body = (
            b"<html>not results</html>"
            if self.mode == "garbage"
            else json.dumps(
                {"head": {"vars": ["x"]}, "results": {"bindings": [{"x": {"type": "literal", "value": "ok"}}]}}
            ).encode()
        )
        self.send_response(200)
        self.send_header("Content-Type", "text/html" if self.mode == "garbage" else "application/sparql-results+json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def fake_endpoint(request: pytest.FixtureRequest) -> Iterator[str]:
    handler = type("Handler", (_Handler,), {"mode": request.param})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/sparql"
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("fake_endpoint", ["garbage"], indirect=True)
def test_malformed_answer_exit_1(fake_endpoint: str) -> None:
    result = run("query", "projects", "--endpoint", fake_endpoint)
    assert result.exit_code == 1
    assert fake_endpoint in result.stderr


@pytest.mark.parametrize("fake_endpoint", ["silent"], indirect=True)
def test_timeout_exit_1(fake_endpoint: str) -> None:
    result = run("query", "projects", "--endpoint", fake_endpoint, "--timeout", "1")
    assert result.exit_code == 1
    assert "timeout" in result.stderr and fake_endpoint in result.stderr


@pytest.mark.parametrize("fake_endpoint", ["results"], indirect=True)
def test_basic_auth_comes_from_the_environment_and_is_never_printed(fake_endpoint: str) -> None:
    _Handler.seen_auth.clear()
    env = {"SEGRAPH_ENDPOINT_USER": "curator", "SEGRAPH_ENDPOINT_PASSWORD": "s3cret-pw"}
    result = run("sparql", "SELECT ?x WHERE { }", "--endpoint", fake_endpoint, "--format", "csv", env=env)
    assert result.exit_code == 0
    assert result.stdout.splitlines() == ["x", "ok"]
    assert _Handler.seen_auth == ["Basic " + base64.b64encode(b"curator:s3cret-pw").decode()]
    assert "s3cret-pw" not in result.stdout + result.stderr


# --- hostile parameter values -------------------------------------------------------------------


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_stay_one_literal(value: str, embedded_store: EmbeddedStore) -> None:
    saved = get_query("projects")
    plain = with_values(saved.text, {"_lang": ox.Literal("en")})
    bound = with_values(saved.text, {"_lang": ox.Literal(value)})
    # The two texts differ only in the VALUES row's one literal.
    assert bound.replace(str(ox.Literal(value)), str(ox.Literal("en"))) == plain
    assert len(embedded_store.select(bound)) == 5


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_values_change_nothing_on_a_real_endpoint(value: str, oxigraph: OxigraphServer) -> None:
    remote = RemoteStore(oxigraph.query_url)
    count = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
    before = remote.select(count).column("n")
    result = run_query("projects", store=remote, lang="en")
    assert len(result) == 5
    with pytest.raises(Exception, match="not a language tag"):
        run_query("projects", store=remote, lang=value)
    assert remote.select(count).column("n") == before


# --- Python and notebooks ----------------------------------------------------------------------


def test_python_api_rows_dataframe_and_html(embedded_store: EmbeddedStore) -> None:
    import segraph

    result = segraph.run_query("projects", store=embedded_store)
    rows = list(result)
    assert rows[2]["acronym"] == "RESEES" and rows[2]["start"] == "2024-04-01"
    frame = result.to_dataframe()
    assert list(frame.columns) == ["project", "acronym", "title", "start", "end", "programme"]
    assert frame.shape == (5, 6)
    html = result._repr_html_()
    assert html.count("<tr>") == 6 and "<th>acronym</th>" in html


def test_html_escapes_values(embedded_store: EmbeddedStore) -> None:
    result = embedded_store.select('SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }')
    assert "<script>" not in result._repr_html_()
    assert "&lt;script&gt;" in result._repr_html_()


@pytest.mark.parametrize("value", HOSTILE)
def test_hostile_acronym_matches_nothing_and_changes_nothing(value: str, store: Store) -> None:
    """A string parameter holding SPARQL stays one literal: no rows, no error, no change to the store."""
    count = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    before = store.select(count).column("n")
    assert len(run_query("partner-regions", store=store, project=value)) == 0
    assert len(run_query("policy-links", store=store, project=value, policy=value)) == 0
    assert store.select(count).column("n") == before
    assert len(run_query("partner-regions", store=store, project="resees")) == 10
