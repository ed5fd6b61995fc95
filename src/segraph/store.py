"""Where queries run: one small interface, an embedded store and a remote SPARQL endpoint.

Commands and saved queries only see ``Store.select``; the engine behind it can
change without touching them. The embedded store is Oxigraph (pyoxigraph), the
same engine as the ``oxigraph`` server, so a saved query gives the same rows on
the shipped graph and on an Oxigraph endpoint; it holds one named graph per file
and queries their union. A remote store talks SPARQL 1.1 Protocol through
SPARQLWrapper, with HTTP basic auth from environment variables.
"""

from __future__ import annotations

import os
import socket
import urllib.error
from typing import Protocol

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from segraph.errors import QueryError, UsageError
from segraph.load import Corpus
from segraph.results import QueryResult

USER_ENV = "SEGRAPH_ENDPOINT_USER"
PASSWORD_ENV = "SEGRAPH_ENDPOINT_PASSWORD"


class Store(Protocol):
    """What a command needs from a graph: run a SELECT and get W3C results back."""

    def select(self, query: str, timeout: float | None = None) -> QueryResult: ...

    def describe(self) -> str: ...


def to_oxigraph(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """The pyoxigraph term for an rdflib term."""
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


class EmbeddedStore:
    """The corpus in an in-memory Oxigraph store: one named graph per file, queried as a union."""

    def __init__(self, corpus: Corpus) -> None:
        self._store = ox.Store()
        self._store.bulk_extend(
            ox.Quad(to_oxigraph(s), to_oxigraph(p), to_oxigraph(o), ox.NamedNode(str(source.name)))  # type: ignore[arg-type]
            for source in corpus.files
            for s, p, o in source.graph
        )

    def describe(self) -> str:
        return "the embedded graph"

    @property
    def oxigraph(self) -> ox.Store:
        """The Oxigraph store itself, for what needs more than SELECT (e.g. `segraph serve`)."""
        return self._store

    def nquads(self) -> bytes:
        """The whole store as N-Quads, one named graph per file (to load into a triple store)."""
        return self._store.dump(format=ox.RdfFormat.N_QUADS) or b""

    def select(self, query: str, timeout: float | None = None) -> QueryResult:
        try:
            solutions = self._store.query(query, use_default_graph_as_union=True)
        except SyntaxError as error:
            raise UsageError(f"SPARQL syntax error: {error}") from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise UsageError("only SELECT queries are supported here")
        return QueryResult.from_json(solutions.serialize(format=ox.QueryResultsFormat.JSON) or b"")


class RemoteStore:
    """A SPARQL 1.1 endpoint. Credentials come from the environment, never the command line."""

    def __init__(self, endpoint: str) -> None:
        if not endpoint.startswith(("http://", "https://")):
            raise UsageError(f"--endpoint must be an http(s) URL, not {endpoint!r}")
        self.endpoint = endpoint

    def describe(self) -> str:
        return self.endpoint

    def select(self, query: str, timeout: float | None = None) -> QueryResult:
        from SPARQLWrapper import JSON, POST, SPARQLWrapper
        from SPARQLWrapper.SPARQLExceptions import SPARQLWrapperException

        client = SPARQLWrapper(self.endpoint)
        client.setMethod(POST)
        client.setReturnFormat(JSON)
        client.setQuery(query)
        if timeout:
            client.setTimeout(int(max(1, timeout)))
        user = os.environ.get(USER_ENV)
        if user:
            client.setCredentials(user, os.environ.get(PASSWORD_ENV, ""))
        try:
            body = client.query().response.read()
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
        try:
            return QueryResult.from_json(body)
        except ValueError as error:
            raise QueryError(f"{self.endpoint}: the answer is not SPARQL JSON results ({error})") from None


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
