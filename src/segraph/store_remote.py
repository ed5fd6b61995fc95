"""A remote store: a SPARQL 1.1 endpoint behind the same interface as the Oxigraph stores.

It talks SPARQL 1.1 Protocol through SPARQLWrapper (imported on first use), with
HTTP basic auth from environment variables, never from the command line.
"""

from __future__ import annotations

import os
import socket
import urllib.error

import pyoxigraph as ox

from segraph.errors import QueryError, UsageError
from segraph.queries import with_values
from segraph.results import QueryResult
from segraph.store_oxigraph import GRAPH_COUNTS, Bindings, count_query

USER_ENV = "SEGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "SEGRAPH_ENDPOINT_PASSWORD"


class RemoteStore:
    """A SPARQL 1.1 endpoint. Credentials come from the environment, never the command line.

    Bindings travel as VALUES rows in the query text (``with_values``), which
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
        return int(self.select(count_query(graph)).column("n")[0])

    def graphs(self) -> dict[str, int]:
        return {str(row["g"]): int(row["n"]) for row in self.select(GRAPH_COUNTS)}

    def named(self, name: str) -> tuple[ox.NamedNode, ...] | None:
        """None: an endpoint offers no name index (its saved queries compare names themselves)."""
        return None

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
