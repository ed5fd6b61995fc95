"""Run saved queries and the user's own SPARQL on a store, from Python or the CLI.

>>> from segraph import run_query
>>> result = run_query("partner-regions", project="resees")   # doctest: +SKIP
>>> result.to_dataframe()                                       # doctest: +SKIP
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from segraph.errors import UsageError
from segraph.load import load_corpus
from segraph.queries import get_query, with_values
from segraph.results import QueryResult
from segraph.store import EmbeddedStore, RemoteStore, Store

_EMBEDDED: dict[tuple[tuple[str, int], ...], EmbeddedStore] = {}


def open_store(endpoint: str | None = None, data_paths: Sequence[Path] | None = None) -> Store:
    """A remote store for an endpoint URL, else the embedded graph of the given data (default data/).

    The embedded store is built once per process for the same unchanged files, so
    repeated queries from a notebook do not reload the graph.
    """
    if endpoint:
        return RemoteStore(endpoint)
    corpus = load_corpus(data_paths)
    key = tuple((str(f.path.resolve()), f.path.stat().st_mtime_ns) for f in corpus.files)
    if key not in _EMBEDDED:
        _EMBEDDED.clear()
        _EMBEDDED[key] = EmbeddedStore(corpus)
    return _EMBEDDED[key]


def run_query(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    store: Store | None = None,
    endpoint: str | None = None,
    timeout: float | None = None,
    **more_params: Any,
) -> QueryResult:
    """Run a saved query by name with typed parameters (``lang="sv"`` prefers Swedish labels).

    Parameters come as keywords (``project="resees"``) or as a mapping, for names
    that are not Python identifiers.
    """
    saved = get_query(name)
    given = {**(params or {}), **more_params}
    bindings = saved.bind({key: str(value) for key, value in given.items() if value is not None})
    return (store or open_store(endpoint)).select(with_values(saved.text, bindings), timeout=timeout)


def run_sparql(
    query: str, *, store: Store | None = None, endpoint: str | None = None, timeout: float | None = None
) -> QueryResult:
    """Run the user's own SELECT query, given as text."""
    if not query.strip():
        raise UsageError("the query is empty")
    return (store or open_store(endpoint)).select(query, timeout=timeout)
