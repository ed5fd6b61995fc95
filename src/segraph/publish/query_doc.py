"""The saved-query catalogue: queries.html, and a page per saved query with its SPARQL and sample results.

Generated from ``queries/*.rq``, so the pages cannot drift from what segraph runs.
"""

from __future__ import annotations

import itertools
import shlex
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS, SKOS, XSD

from segraph.errors import QueryError, SegraphError, UsageError
from segraph.load import Corpus
from segraph.namespaces import SCHEMA, SEG
from segraph.publish import html
from segraph.publish.config import PublishConfig
from segraph.publish.doctext import Linker, Part, Value, render, write_text
from segraph.queries import Parameter, SavedQuery, catalogue, with_values
from segraph.results import QueryResult
from segraph.store import EmbeddedStore

SAMPLE_ROWS = 20
SAMPLE_TRIES = 100  # values tried for a required parameter before showing an empty sample
# Samples are run on graphs up to this many triples (the shipped data has about 22,000). A saved
# query's answer can grow faster than the data (connections pairs up projects: over a million
# pairs at 1,000 projects), and the site must be built in time linear in the data.
SAMPLE_MAX_TRIPLES = 50_000
_DATES = {XSD.date, XSD.dateTime, XSD.gYearMonth, XSD.gYear}


@dataclass(frozen=True)
class Sample:
    """A saved query's answer on the published graph: the first rows, and the values chosen for it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    total: int
    chosen: tuple[tuple[str, str], ...]


def write_queries(corpus: Corpus, config: PublishConfig, site: Linker, out: Path) -> list[str]:
    """queries.html, and for each saved query its page and a byte-for-byte copy of its .rq file."""
    queries = catalogue()
    page_text = render(
        "queries.html.j2",
        html.QUERIES_PAGE,
        title="Saved queries",
        queries=queries,
        jsonld={
            "@context": {"schema": str(SCHEMA)},
            "@id": config.url("queries.html"),
            "@type": "schema:Collection",
            "schema:name": "segraph saved SPARQL queries",
            "schema:hasPart": [_query_jsonld(query, config) for query in queries.values()],
        },
    )
    written = [write_text(out, "queries.html", page_text)]
    triples = len(corpus.union)
    store = EmbeddedStore(corpus) if triples <= SAMPLE_MAX_TRIPLES else None
    for query in queries.values():
        page = f"queries/{query.name}"
        sample = _sample(query, corpus, store, site.on_page(page)) if store is not None else None
        commands = _commands(query, sample, config)
        text = render(
            "query.html.j2",
            page,
            title=query.name,
            query=query,
            sample=sample,
            unsampled=None if store is not None else (triples, SAMPLE_MAX_TRIPLES),
            commands=commands,
            jsonld={"@context": {"schema": str(SCHEMA)}, **_query_jsonld(query, config)},
            alternates=[(query.path.name, "application/sparql-query")],
        )
        written.append(write_text(out, page + ".html", text))
        shutil.copyfile(query.path, out / "queries" / query.path.name)
        written.append(f"queries/{query.path.name}")
    return written


def _query_jsonld(query: SavedQuery, config: PublishConfig) -> dict[str, Any]:
    """A saved query as schema.org source code: what it answers and where its .rq file is."""
    return {
        "@id": config.url(f"queries/{query.path.name}"),
        "@type": "schema:SoftwareSourceCode",
        "schema:name": query.name,
        "schema:description": query.summary,
        "schema:programmingLanguage": "SPARQL",
        "schema:keywords": list(query.tags),
        "schema:encodingFormat": "application/sparql-query",
    }


def _sample(query: SavedQuery, corpus: Corpus, store: EmbeddedStore, linker: Linker) -> Sample | None:
    """The query run with its defaults on the published graph; None when a required value has no candidate.

    A required parameter without a default gets the first value of its type in the data (in sorted
    order) for which the query returns rows, so the sample shows what the query does.
    """
    required = [p for p in query.params if p.required and p.default is None]
    candidates = [_candidates(corpus, p) for p in required]
    if not all(candidates):
        return None
    tried = list(itertools.islice(itertools.product(*candidates), SAMPLE_TRIES))
    result, chosen = _first_with_rows(query, store, [p.name for p in required], tried)
    rows = tuple(tuple(_cell(term, linker) for term in row) for row in result.terms[:SAMPLE_ROWS])
    return Sample(tuple(result.columns), rows, len(result), chosen)


def _first_with_rows(
    query: SavedQuery, store: EmbeddedStore, names: list[str], tried: list[tuple[str, ...]]
) -> tuple[QueryResult, tuple[tuple[str, str], ...]]:
    """The answer for the first tried values that gives rows, else for the first values (tried is not empty)."""
    answers = (_run(query, store, tuple(zip(names, values, strict=True))) for values in tried)
    first = next(answers)
    return next((answer for answer in itertools.chain([first], answers) if len(answer[0])), first)


def _run(
    query: SavedQuery, store: EmbeddedStore, chosen: tuple[tuple[str, str], ...]
) -> tuple[QueryResult, tuple[tuple[str, str], ...]]:
    """Run the saved query as ``run_query`` does, from the catalogue already read."""
    try:
        return store.select(with_values(query.text, query.bind(dict(chosen)))), chosen
    except SegraphError as error:
        raise QueryError(f"{query.path.name}: cannot run it for the site's sample results: {error}") from None


def _candidates(corpus: Corpus, parameter: Parameter) -> list[str]:
    """Values of a parameter's type found in the data files, sorted: dates, acronyms, labels, IRIs, …"""
    triples = [t for source in corpus.data_files for t in source.graph]
    objects = [o for _, _, o in triples if isinstance(o, Literal)]
    found: set[str]
    if parameter.type == "date":
        found = {_as_day(o) for o in objects if o.datatype in _DATES}
    elif parameter.type == "acronym":
        found = {str(o) for _, p, o in triples if p == SEG.acronym}
    elif parameter.type == "integer":
        found = {str(o) for o in objects if o.datatype == XSD.integer}
    elif parameter.type == "language":
        found = {o.language for o in objects if o.language}
    elif parameter.type == "iri":
        found = {str(s) for s, _, _ in triples if isinstance(s, URIRef)}
    else:
        found = {str(o) for _, p, o in triples if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, Literal)}
    valid = [value for value in found if _accepts(parameter, value)]
    return sorted(valid, key=int) if parameter.type == "integer" else sorted(valid)


def _accepts(parameter: Parameter, value: str) -> bool:
    """Whether the parameter takes the value: a malformed date in the data is no sample value."""
    try:
        parameter.term(value)
    except UsageError:
        return False
    return True


def _as_day(literal: Literal) -> str:
    """A date, month or year as the first day it covers (2021-05 → 2021-05-01)."""
    text = str(literal)[:10]
    return text + "-01" * ((10 - len(text)) // 3)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, linker: Linker) -> Value:
    """A result cell: an IRI links to its page in the site (or itself), a literal shows its language."""
    if term is None:
        return ()
    if isinstance(term, ox.NamedNode):
        return (linker.ref(term.value),)
    if isinstance(term, ox.Literal):
        return (Part(term.value, lang=term.language or ""),)
    return (Part("(a blank node)"),)


def _commands(query: SavedQuery, sample: Sample | None, config: PublishConfig) -> list[str]:
    """Command lines that run the query: as in the sample, and on the public endpoint if there is one."""
    command = ["segraph", "query", query.name]
    for name, value in sample.chosen if sample else ():
        command += ["--param", f"{name}={value}"]
    commands = [shlex.join(command)]
    if config.sparql_endpoint:
        commands.append(shlex.join([*command, "--endpoint", config.sparql_endpoint]))
    return commands
