"""Run saved queries and the user's own SPARQL on a store, from Python or the CLI.

>>> from segraph import run_query
>>> result = run_query("partner-regions", project="resees")   # doctest: +SKIP
>>> result.to_dataframe()                                       # doctest: +SKIP

A query whose whole answer grows with the square of the data (connections) declares
``pages-over: project1``. Without its own parameters, a page of it is then not a slice of
the fully sorted answer (which would cost every pair even for the first page) but a walk:
``queries/lookup/project-names.rq`` lists the projects by name in the order of the first
column, and the query runs for one name at a time, with ``?project1`` bound to that name's
projects, keeping the rows whose first column is that name, until offset + limit + 1 rows
are found. The rows and their order are those of the whole query, since the answer is
sorted by its first column first. ``--limit 0`` walks every name (a query per name, each
as cheap as one project's pairs, instead of one query holding every pair in memory).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from segraph import paths
from segraph.errors import UsageError
from segraph.queries import FORMS, MATCHES, Binding, SavedQuery, get_query, paged, read_query, with_values
from segraph.results import QueryResult, Term
from segraph.store import METADATA, OxigraphStore, PersistentStore, RemoteStore, Store, open_embedded, source_files

_OPENED: dict[tuple[object, ...], OxigraphStore] = {}


def open_store(
    endpoint: str | None = None, data_paths: Sequence[Path] | None = None, store_dir: Path | None = None
) -> Store:
    """The store a command runs on: an endpoint URL, else a local store (``open_local``)."""
    if endpoint and store_dir:
        raise UsageError("give --store (SEGRAPH_STORE) or --endpoint (SEGRAPH_ENDPOINT), not both")
    if endpoint:
        return RemoteStore(endpoint)
    return open_local(data_paths, store_dir)


def open_local(data_paths: Sequence[Path] | None = None, store_dir: Path | None = None) -> OxigraphStore:
    """A store folder made by ``segraph load``, else the files read into memory (ontology, reference data, data/).

    A store is opened once per process while its files are unchanged, so repeated
    queries from a notebook neither reload nor reopen it.
    """
    if store_dir is not None:
        if data_paths:
            raise UsageError("a --store holds its own files: give PATHS to segraph load, not here")
        metadata = store_dir / METADATA
        stamp = metadata.stat().st_mtime_ns if metadata.is_file() else 0
        return _cached(("store", str(store_dir.resolve()), stamp), lambda: PersistentStore.open(store_dir))
    files = source_files(data_paths)
    key = tuple((str(p.resolve()), p.stat().st_mtime_ns, p.stat().st_size) for p, _ in files)
    return _cached(key, lambda: open_embedded(data_paths))


def _cached(key: tuple[object, ...], opener: Callable[[], OxigraphStore]) -> OxigraphStore:
    if key not in _OPENED:
        _OPENED.clear()
        _OPENED[key] = opener()
    return _OPENED[key]


def run_query(
    name: str,
    params: Mapping[str, Any] | None = None,
    *,
    store: Store | None = None,
    endpoint: str | None = None,
    store_dir: Path | None = None,
    timeout: float | None = None,
    limit: int | None = None,
    page: int = 1,
    **more_params: Any,
) -> QueryResult:
    """Run a saved query by name with typed parameters (``lang="sv"`` prefers Swedish labels).

    Parameters come as keywords (``project="resees"``) or as a mapping, for names
    that are not Python identifiers. ``limit`` rows per page (default: the query's
    own ``limit``, if it declares one; 0 for every row) and ``page`` (from 1) fetch
    one page of a long answer; ``result.more`` says whether further pages exist.
    """
    saved = get_query(name)
    given = {**(params or {}), **more_params}
    bindings = saved.bind({key: str(value) for key, value in given.items() if value is not None})
    size = saved.limit if limit is None else limit or None
    if page < 1:
        raise UsageError(f"page must be 1 or more, not {page}")
    if page > 1 and size is None:
        raise UsageError(f"query {name} returns every row on one page; give a limit to page through it")
    offset = (page - 1) * size if size else 0
    target = store or open_store(endpoint, store_dir=store_dir)
    spell_acronyms(saved, bindings, target, timeout)
    match_names(saved, bindings, target)
    if saved.pages_over and not any(p.variable in bindings for p in saved.params):
        return walk(saved, saved.pages_over, bindings, target, timeout, size, offset)
    # Bound here rather than by the store: an acronym binds several VALUES rows (its spellings).
    text = with_values(paged(saved.text, None if size is None else size + 1, offset), bindings)
    result = target.select(text, timeout=timeout)
    return result if size is None else result.limited(size)


def walk(
    saved: SavedQuery,
    over: str,
    bindings: dict[str, Binding],
    store: Store,
    timeout: float | None,
    size: int | None,
    offset: int,
) -> QueryResult:
    """One page of a ``pages-over`` query's whole answer, a project name at a time (see the module's docstring).

    ``over`` is the variable the query's ``pages-over`` names, bound to each name's projects in turn.
    """
    lookup = _lookup("project-names")
    names = store.select(with_values(lookup.text, bindings), timeout=timeout)
    wanted = None if size is None else offset + size + 1
    found: list[tuple[Term | None, ...]] = []
    columns = list(saved.columns)
    for name, group in itertools.groupby(names.terms, key=lambda row: row[0]):
        projects = tuple(project for _, project in group if project is not None)
        result = store.select(with_values(saved.text, {**bindings, over: projects}), timeout=timeout)
        columns = result.columns
        found.extend(row for row in result.terms if row[0] == name)
        if wanted is not None and len(found) >= wanted:
            break
    page = QueryResult(None, columns, found[offset:])
    return page if size is None else page.limited(size)


def spell_acronyms(saved: SavedQuery, bindings: dict[str, Binding], store: Store, timeout: float | None) -> None:
    """Bind the stored spellings of an acronym whose spellings in any case are too many to list.

    They are found by one scan of the acronyms (``queries/lookup/acronym-spellings.rq``), so
    that the saved query still looks the project up by its acronym; none found binds no
    spelling at all, and the saved query answers nothing.
    """
    for parameter in saved.params:
        variable = parameter.variable
        wanted = parameter.type == "acronym" and f"?{variable}{FORMS}" in saved.text
        if not wanted or variable not in bindings or variable + FORMS in bindings:
            continue
        lookup = _lookup("acronym-spellings")
        found = store.select(with_values(lookup.text, {"_acronym": bindings[variable]}), timeout=timeout)
        bindings[variable + FORMS] = tuple(term for (term,) in found.terms if term is not None)


def match_names(saved: SavedQuery, bindings: dict[str, Binding], store: Store) -> None:
    """Bind the resources a ``name`` parameter stands for, when the store keeps a name index (names.py).

    None found binds no resource at all, and the saved query answers nothing: the index
    holds every labelled resource, and the shapes require a label of whatever a user names.
    """
    for parameter in saved.params:
        variable = parameter.variable
        value = bindings.get(variable)  # a name is bound as one literal (Parameter.term)
        if parameter.type != "name" or not isinstance(value, ox.Literal) or f"?{variable}{MATCHES}" not in saved.text:
            continue
        found = store.named(value.value)
        if found is not None:
            bindings[variable + MATCHES] = found


def _lookup(name: str) -> SavedQuery:
    """A query the runner uses itself, kept outside the catalogue in ``queries/lookup/``."""
    return read_query(paths.queries_dir() / "lookup" / f"{name}.rq")


def run_sparql(
    query: str,
    *,
    store: Store | None = None,
    endpoint: str | None = None,
    store_dir: Path | None = None,
    timeout: float | None = None,
) -> QueryResult:
    """Run the user's own SELECT query, given as text."""
    if not query.strip():
        raise UsageError("the query is empty")
    return (store or open_store(endpoint, store_dir=store_dir)).select(query, timeout=timeout)
