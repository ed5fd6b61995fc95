"""Every saved query: complete metadata, the contract's columns, and sound answers on both stores."""

from __future__ import annotations

import pytest
from rdflib import Dataset

from segraph.load import Corpus
from segraph.queries import TYPES, catalogue, with_values
from segraph.results import QueryResult
from segraph.run import run_query
from segraph.store import Store

# The contract researchers rely on: names and columns exactly as published.
CONTRACT = {
    "projects": ["project", "acronym", "title", "start", "end", "programme"],
    "partner-regions": ["acronym", "organisation", "role", "region", "nuts", "country"],
    "project-durations": ["acronym", "start", "end", "precision", "days", "months", "extended_end"],
    "funding": ["programme", "funder", "acronym", "amount", "currency"],
    "policy-links": ["acronym", "policy", "relation"],
    "shared-organisations": ["organisation", "projects", "count"],
    "connections": ["acronym_a", "acronym_b", "via", "kind"],
    "active-on": ["acronym", "start", "end"],
    "contacts": ["acronym", "person", "role", "organisation"],
    "sources": ["acronym", "document", "title", "publisher", "language", "issued", "modified"],
    "memberships": ["organisation", "body", "relation", "since"],
}
REQUIRED_EXAMPLE = {"active-on": {"date": "2021-06-15"}}


def test_the_catalogue_holds_the_contract() -> None:
    assert set(CONTRACT) <= set(catalogue())


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_metadata_is_complete(name: str) -> None:
    saved = catalogue()[name]
    assert saved.summary and saved.description, name
    assert saved.columns, name
    for parameter in saved.params:
        assert parameter.type in TYPES and parameter.description, (name, parameter)
        assert f"?_{parameter.name}" in saved.text, f"{name}: parameter {parameter.name} is never used"
    if name in CONTRACT:
        assert list(saved.columns) == CONTRACT[name]


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_runs_with_declared_columns_and_no_duplicate_rows(name: str, store: Store) -> None:
    result = run_query(name, store=store, **REQUIRED_EXAMPLE.get(name, {}))
    assert result.columns == list(catalogue()[name].columns)
    assert len(result) > 0, f"{name} answers nothing on the shipped data"
    rows = [tuple(None if t is None else str(t) for t in row) for row in result.terms]
    assert len(rows) == len(set(rows)), f"{name} returns duplicate rows"


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_same_answers_locally_and_on_oxigraph(name: str, embedded_store: Store, oxigraph_store: Store) -> None:
    params = REQUIRED_EXAMPLE.get(name, {})
    local = run_query(name, store=embedded_store, **params)
    remote = run_query(name, store=oxigraph_store, **params)
    assert local.columns == remote.columns
    assert local.rows() == remote.rows()


# rdflib's SPARQL engine shares no code with Oxigraph: the same rows from both show the
# saved queries stay within portable SPARQL 1.1.


@pytest.fixture(scope="session")
def rdflib_dataset(shipped_corpus: Corpus) -> Dataset:
    dataset = Dataset(default_union=True)
    for source in shipped_corpus.files:
        named = dataset.graph(source.name)
        for triple in source.graph:
            named.add(triple)
    return dataset


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_same_answers_on_a_second_engine(name: str, rdflib_dataset: Dataset, embedded_store: Store) -> None:
    saved = catalogue()[name]
    text = with_values(saved.text, saved.bind(REQUIRED_EXAMPLE.get(name, {})))
    answer = rdflib_dataset.query(text).serialize(format="json")
    assert answer is not None
    assert QueryResult.from_json(answer).rows() == embedded_store.select(text).rows()
