"""`segraph serve`: the published site and a read-only SPARQL endpoint on 127.0.0.1, for local browsing.

One small threaded HTTP server: files of the site with the same content negotiation as the
nginx snippet (``/project/silk`` → HTML, Turtle or JSON-LD by Accept), and ``/sparql``
speaking the SPARQL 1.1 Protocol for queries over the embedded Oxigraph store. It binds to
loopback only: it is for a researcher's own machine, not for the internet.
"""

from __future__ import annotations

import threading
import urllib.parse
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from segraph.errors import UsageError
from segraph.publish.conneg import MEDIA_TYPES, best, negotiate

HOST = "127.0.0.1"
SPARQL_PATH = "/sparql"
MAX_QUERY_BYTES = 1_000_000

RESULT_FORMATS: tuple[tuple[str, ox.QueryResultsFormat], ...] = (
    ("application/sparql-results+json", ox.QueryResultsFormat.JSON),
    ("application/json", ox.QueryResultsFormat.JSON),
    ("application/sparql-results+xml", ox.QueryResultsFormat.XML),
    ("text/csv", ox.QueryResultsFormat.CSV),
    ("text/tab-separated-values", ox.QueryResultsFormat.TSV),
)
GRAPH_FORMATS: tuple[tuple[str, ox.RdfFormat], ...] = (
    ("text/turtle", ox.RdfFormat.TURTLE),
    ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    ("application/ld+json", ox.RdfFormat.JSON_LD),
    ("application/rdf+xml", ox.RdfFormat.RDF_XML),
)


class SiteHandler(SimpleHTTPRequestHandler):
    """Static files with content negotiation, plus the SPARQL endpoint."""

    server: SiteServer
    negotiated = False

    def __init__(self, request: Any, client_address: Any, server: SiteServer) -> None:
        super().__init__(request, client_address, server, directory=str(server.site))

    extensions_map = {**SimpleHTTPRequestHandler.extensions_map, **MEDIA_TYPES}

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - the base class's name
        if self.server.log_requests:
            super().log_message(format, *args)

    def do_GET(self) -> None:
        if self._is_sparql():
            self._sparql(self._query_from_url())
        else:
            super().do_GET()

    def do_HEAD(self) -> None:
        if self._is_sparql():
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "Use GET or POST for SPARQL queries")
        else:
            super().do_HEAD()

    def do_POST(self) -> None:
        if not self._is_sparql():
            self.send_error(HTTPStatus.METHOD_NOT_ALLOWED, "Only the SPARQL endpoint takes POST")
            return
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_QUERY_BYTES:
            self.send_error(HTTPStatus.REQUEST_ENTITY_TOO_LARGE, "Query too long")
            return
        body = self.rfile.read(length).decode("utf-8", errors="replace")
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        if content_type == "application/sparql-query":
            self._sparql(body)
        elif content_type == "application/x-www-form-urlencoded":
            form = urllib.parse.parse_qs(body)
            if "update" in form:
                self.send_error(HTTPStatus.FORBIDDEN, "This endpoint is read-only")
                return
            self._sparql(form.get("query", [None])[0])
        else:
            self.send_error(
                HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
                "POST application/sparql-query or application/x-www-form-urlencoded",
            )

    def translate_path(self, path: str) -> str:
        """The file for a URL path: as is if it exists, else the negotiated variant of a resource's IRI."""
        self.negotiated = False
        direct = super().translate_path(path)
        if Path(direct).exists():
            return direct
        variant = direct + negotiate(self.headers.get("Accept"))
        if Path(variant).is_file():
            self.negotiated = True
            return variant
        return direct

    def end_headers(self) -> None:
        if self.negotiated:
            self.send_header("Vary", "Accept")
        super().end_headers()

    def _is_sparql(self) -> bool:
        return urllib.parse.urlsplit(self.path).path == SPARQL_PATH

    def _query_from_url(self) -> str | None:
        values = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query).get("query")
        return values[0] if values else None

    def _sparql(self, query: str | None) -> None:
        if not query:
            self.send_error(HTTPStatus.BAD_REQUEST, "Give a SPARQL query in the 'query' parameter")
            return
        try:
            result = self.server.store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            self.send_error(HTTPStatus.BAD_REQUEST, f"SPARQL syntax error: {error}")
            return
        except OSError as error:
            self.send_error(HTTPStatus.INTERNAL_SERVER_ERROR, f"Query failed: {error}")
            return
        accept = self.headers.get("Accept")
        if isinstance(result, ox.QueryTriples):
            graph_format = best(accept, GRAPH_FORMATS, ox.RdfFormat.TURTLE)
            self._send(result.serialize(format=graph_format) or b"", graph_format.media_type)
        else:
            results_format = best(accept, RESULT_FORMATS, ox.QueryResultsFormat.JSON)
            self._send(result.serialize(format=results_format) or b"", results_format.media_type)

    def _send(self, body: bytes, media_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", media_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        self.end_headers()
        self.wfile.write(body)


class SiteServer(ThreadingHTTPServer):
    """The site folder and the store, served on 127.0.0.1 only."""

    daemon_threads = True

    def __init__(self, site: Path, store: ox.Store, port: int = 0, *, log_requests: bool = False) -> None:
        self.site = site
        self.store = store
        self.log_requests = log_requests
        try:
            super().__init__((HOST, port), SiteHandler)
        except OSError as error:
            raise UsageError(f"cannot listen on {HOST}:{port} ({error.strerror}); choose another --port") from None

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.server_address[1]}/"

    @property
    def sparql_url(self) -> str:
        return self.url.rstrip("/") + SPARQL_PATH

    def start(self) -> threading.Thread:
        """Serve from a background thread (for Python callers and tests); stop with ``close()``."""
        thread = threading.Thread(target=self.serve_forever, name="segraph-serve", daemon=True)
        thread.start()
        return thread

    def close(self) -> None:
        self.shutdown()
        self.server_close()
