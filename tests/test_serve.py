"""`segraph serve` and the nginx snippet: one IRI, HTML or Turtle or JSON-LD by Accept; a real SPARQL endpoint.

Everything here talks HTTP to real servers on 127.0.0.1 (the in-process server, the CLI
as a subprocess, and nginx with the snippet `segraph publish` writes).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from email.message import Message
from pathlib import Path

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from segraph.load import Corpus
from segraph.namespaces import SEG
from segraph.publish.conneg import negotiate
from segraph.run import run_query
from segraph.serve import SiteServer
from segraph.store import EmbeddedStore, RemoteStore

ONTOLOGY = "https://w3id.org/segraph/ontology"


@pytest.fixture(scope="module")
def site(published_site: Path) -> Path:
    return published_site


@pytest.fixture(scope="module")
def server(site_server: SiteServer) -> SiteServer:
    return site_server


def get(
    url: str, accept: str | None = None, data: bytes | None = None, content_type: str | None = None
) -> tuple[int, Message, bytes]:
    headers = {k: v for k, v in (("Accept", accept), ("Content-Type", content_type)) if v}
    request = urllib.request.Request(url, data=data, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@pytest.mark.parametrize(
    ("accept", "suffix"),
    [
        (None, ".html"),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", ".html"),
        ("text/turtle", ".ttl"),
        ("application/ld+json", ".jsonld"),
        ("text/turtle;q=0.5, application/ld+json", ".jsonld"),
        ("text/turtle;q=0, text/html;q=0.1", ".html"),
        ("*/*", ".html"),
        ("image/png", ".html"),
    ],
)
def test_negotiation_follows_q_values(accept: str | None, suffix: str) -> None:
    assert negotiate(accept) == suffix


def test_an_iri_without_suffix_gets_turtle_when_asked(server: SiteServer, shipped_corpus: Corpus) -> None:
    status, headers, body = get(server.url + "ontology", accept="text/turtle")
    assert status == 200
    assert headers["Content-Type"].startswith("text/turtle")
    assert headers["Vary"] == "Accept"
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef(ONTOLOGY), RDF.type, URIRef("http://www.w3.org/2002/07/owl#Ontology")) in graph


def test_files_are_served_with_rdf_media_types(server: SiteServer) -> None:
    for name, media_type in [("graph.nq", "application/n-quads"), ("graph.jsonld", "application/ld+json")]:
        status, headers, _ = get(server.url + name)
        assert (status, headers["Content-Type"]) == (200, media_type)


def test_nothing_outside_the_site_is_served(server: SiteServer) -> None:
    status, _, _ = get(server.url + "../../../../etc/passwd")
    assert status == 404
    status, _, _ = get(server.url + "%2e%2e/%2e%2e/etc/passwd")
    assert status == 404


def count_projects_query() -> str:
    return f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p a <{SEG.Project}> }}"


def test_sparql_get_answers_json(server: SiteServer, shipped_corpus: Corpus) -> None:
    expected = len(set(shipped_corpus.union.subjects(RDF.type, SEG.Project)))
    status, headers, body = get(server.sparql_url + "?" + urllib.parse.urlencode({"query": count_projects_query()}))
    assert status == 200
    assert headers["Content-Type"] == "application/sparql-results+json"
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == str(expected)


def test_sparql_post_and_result_formats(server: SiteServer) -> None:
    query = f"SELECT ?p WHERE {{ ?p a <{SEG.Project}> }} ORDER BY ?p"
    status, headers, body = get(server.sparql_url, "text/csv", query.encode(), "application/sparql-query")
    assert (status, headers["Content-Type"]) == (200, "text/csv; charset=utf-8")
    assert "https://w3id.org/segraph/project/resees" in body.decode().splitlines()
    form = urllib.parse.urlencode({"query": f"ASK {{ ?p a <{SEG.Project}> }}"}).encode()
    status, _, body = get(server.sparql_url, None, form, "application/x-www-form-urlencoded")
    assert json.loads(body)["boolean"] is True


def test_sparql_construct_gives_turtle(server: SiteServer) -> None:
    query = f"CONSTRUCT {{ ?p a <{SEG.Project}> }} WHERE {{ ?p a <{SEG.Project}> }}"
    status, headers, body = get(server.sparql_url + "?" + urllib.parse.urlencode({"query": query}))
    assert (status, headers["Content-Type"]) == (200, "text/turtle")
    graph = Graph().parse(data=body, format="turtle")
    assert (URIRef("https://w3id.org/segraph/project/silk"), RDF.type, SEG.Project) in graph


def test_sparql_errors_are_clear_and_updates_refused(server: SiteServer, shipped_corpus: Corpus) -> None:
    status, _, body = get(server.sparql_url + "?query=SELEC")
    assert status == 400
    assert b"SPARQL syntax error" in body
    status, _, _ = get(server.sparql_url)
    assert status == 400
    form = urllib.parse.urlencode({"update": "DROP ALL"}).encode()
    status, _, _ = get(server.sparql_url, None, form, "application/x-www-form-urlencoded")
    assert status == 403
    status, _, body = get(server.sparql_url + "?" + urllib.parse.urlencode({"query": count_projects_query()}))
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] != "0"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_the_command_publishes_serves_and_stops_cleanly_on_ctrl_c() -> None:
    """Without --site, serve publishes the data into a temporary folder first (and removes it at the end)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "segraph.cli", "serve", "--port", "0", "--no-log"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        url = line.split(" at ", 1)[1].split(" ", 1)[0]
        assert url.startswith("http://127.0.0.1:")
        status, _, body = get(url + "sparql?" + urllib.parse.urlencode({"query": count_projects_query()}))
        assert status == 200
        status, headers, body = get(url + "project/silk", accept="text/turtle")
        assert (status, headers["Content-Type"]) == (200, "text/turtle; charset=utf-8")
        assert (URIRef("https://w3id.org/segraph/project/silk"), RDF.type, SEG.Project) in Graph().parse(
            data=body, format="turtle"
        )
        status, _, body = get(url + "catalog.ttl")
        assert url.encode() + b"graph.ttl" in body
        process.send_signal(signal.SIGINT)
        _, stderr = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, stderr
    assert "Stopped." in stderr
    assert "Traceback" not in stderr


def test_a_busy_port_is_a_usage_error(site: Path) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        result = subprocess.run(
            [sys.executable, "-m", "segraph.cli", "serve", "--port", str(port), "--site", str(site)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert result.returncode == 2
    assert f"cannot listen on 127.0.0.1:{port}" in result.stderr


@pytest.fixture(scope="module")
def nginx(site: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real nginx serving the site with the snippets `segraph publish` wrote."""
    binary = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("nginx is not installed (.ci/run installs Debian's nginx-light)")
        pytest.skip("nginx is not installed")
    prefix = tmp_path_factory.mktemp("nginx")
    port = free_port()
    user = "user root;" if os.geteuid() == 0 else ""
    (prefix / "nginx.conf").write_text(
        f"""{user}
daemon off;
worker_processes 1;
pid {prefix}/nginx.pid;
error_log stderr warn;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {prefix}/body;
    proxy_temp_path {prefix}/proxy;
    fastcgi_temp_path {prefix}/fastcgi;
    uwsgi_temp_path {prefix}/uwsgi;
    scgi_temp_path {prefix}/scgi;
    include {site}/nginx/http.conf;
    server {{
        listen 127.0.0.1:{port};
        root {site};
        include {site}/nginx/server.conf;
    }}
}}
""",
        encoding="utf-8",
    )
    process = subprocess.Popen(
        [binary, "-p", str(prefix), "-c", str(prefix / "nginx.conf")], stderr=subprocess.PIPE, text=True
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 10
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    message = process.stderr.read() if process.stderr else ""
                    raise RuntimeError(f"nginx did not start: {message}") from None
                time.sleep(0.1)
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [("text/turtle", "text/turtle"), ("text/html,application/xhtml+xml,*/*;q=0.8", "text/html")],
)
def test_nginx_negotiates_like_segraph_serve(nginx: str, server: SiteServer, accept: str, media_type: str) -> None:
    from_nginx = get(nginx + "ontology", accept=accept)
    from_serve = get(server.url + "ontology", accept=accept)
    assert from_nginx[0] == from_serve[0] == 200
    assert from_nginx[1]["Content-Type"].startswith(media_type)
    assert from_nginx[1]["Vary"] == "Accept"
    assert from_nginx[2] == from_serve[2]


@pytest.mark.parametrize("name", ["projects", "partner-regions", "funding"])
def test_saved_queries_through_the_served_endpoint_match_the_embedded_store(
    server: SiteServer, shipped_corpus: Corpus, name: str
) -> None:
    """`segraph query NAME --endpoint http://127.0.0.1:P/sparql` gives what the embedded store gives."""
    remote = run_query(name, store=RemoteStore(server.sparql_url))
    local = run_query(name, store=EmbeddedStore(shipped_corpus))
    assert len(local) > 0
    assert sorted(map(str, remote.rows())) == sorted(map(str, local.rows()))
