"""Every saved query: complete metadata, the contract's columns, and sound answers on both stores."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from rdflib import Dataset

from segraph.load import Corpus
from segraph.queries import TYPES, catalogue, with_values
from segraph.results import QueryResult
from segraph.run import run_query
from segraph.store import OxigraphStore, Store

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


# ---- acronyms in any case, found by an index lookup of their spellings --------------------------


def test_an_acronym_binds_every_spelling_in_any_case() -> None:
    bound = catalogue()["sources"].bind({"project": "raise"})
    assert bound["_project"] == ox.Literal("raise")
    forms = {term.value for term in bound["_project_forms"]}  # type: ignore[union-attr]
    assert len(forms) == 32 and {"raise", "RAISE", "RaiSE", "rAIse"} <= forms
    assert all(form.lower() == "raise" for form in forms)
    # digits and signs have one case; the Kelvin sign lower-cases to k, so it is a spelling of k
    assert {term.value for term in bound_forms("sources", "k2")} == {"k2", "K2", "\u212a2"}


def bound_forms(name: str, value: str) -> tuple[ox.Literal, ...]:
    forms = catalogue()[name].bind({"project": value}).get("_project_forms", ())
    assert isinstance(forms, tuple)
    return forms  # type: ignore[return-value]


def test_too_many_or_non_ascii_spellings_leave_the_query_to_compare_in_lower_case() -> None:
    assert len(bound_forms("sources", "abcdefgh")) == 256
    assert bound_forms("sources", "abcdefghi") == ()
    assert bound_forms("sources", "Örebro") == ()


def test_several_spellings_become_several_values_rows() -> None:
    text = "SELECT ?a WHERE { ?x ?p ?_project_forms FILTER (?_project = ?_lang) }"
    bound = with_values(text, {"_project": ox.Literal("ab"), "_project_forms": (ox.Literal("ab"), ox.Literal("AB"))})
    assert 'VALUES (?_project ?_project_forms) { ("ab" "ab") ("ab" "AB") }' in bound


ACRONYM_DATA = """
@prefix seg: <https://w3id.org/segraph/ontology#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://w3id.org/segraph/project/a> a seg:Project ; seg:acronym "AbC" ;
    prov:wasDerivedFrom <https://w3id.org/segraph/document/a> .
<https://w3id.org/segraph/project/b> a seg:Project ; seg:acronym "ABC" ;
    prov:wasDerivedFrom <https://w3id.org/segraph/document/b> .
<https://w3id.org/segraph/project/c> a seg:Project ; seg:acronym "LongerOne" ;
    prov:wasDerivedFrom <https://w3id.org/segraph/document/c> .
<https://w3id.org/segraph/document/a> dct:title "A"@en .
<https://w3id.org/segraph/document/b> dct:title "B"@en .
<https://w3id.org/segraph/document/c> dct:title "C"@en .
"""


@pytest.fixture(scope="module")
def acronym_store() -> OxigraphStore:
    raw = ox.Store()
    raw.load(ACRONYM_DATA.encode(), ox.RdfFormat.TURTLE, to_graph=ox.NamedNode("https://w3id.org/segraph/g"))
    return OxigraphStore(raw, [], "acronyms that differ only in case")


@pytest.mark.parametrize(
    ("given", "titles"),
    [
        ("abc", ["A", "B"]),  # two acronyms that differ only in case: both
        ("ABC", ["A", "B"]),
        ("aBc", ["A", "B"]),
        ("longerone", ["C"]),  # too many spellings to list: a lookup query finds the stored one
        ("LONGERONE", ["C"]),
        ("ab", []),
        ("abcd", []),
        ("longerones", []),
    ],
)
def test_an_acronym_is_found_in_any_case(acronym_store: OxigraphStore, given: str, titles: list[str]) -> None:
    result = run_query("sources", store=acronym_store, project=given)
    assert sorted(str(title) for title in result.column("title")) == titles


def test_without_the_run_layer_a_long_acronym_is_still_compared_in_lower_case(acronym_store: OxigraphStore) -> None:
    """Bound straight into the text (as the published docs do), no spelling is listed: the FILTER decides."""
    saved = catalogue()["sources"]
    bound = saved.bind({"project": "LONGERone"})
    assert "_project_forms" not in bound
    assert acronym_store.select(with_values(saved.text, bound)).column("title") == ["C"]
