"""The store layer: files read straight into Oxigraph name their graphs as load.py does, and every
store answers SELECT, ASK, CONSTRUCT, counts and named graphs alike."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from segraph.errors import LoadError
from segraph.load import Corpus, Role, parse_file
from segraph.namespaces import GRAPH_BASE
from segraph.queries import catalogue, with_values
from segraph.run import run_query
from segraph.store import GRAPH_BASE as STORE_GRAPH_BASE
from segraph.store import EmbeddedStore, OxigraphStore, Store, load_file, open_embedded

PROJECT = "https://w3id.org/segraph/project/resees"
SEG = "https://w3id.org/segraph/ontology#"
REQUIRED_EXAMPLE = {"active-on": {"date": "2021-06-15"}}


@pytest.fixture(scope="module")
def direct() -> OxigraphStore:
    """The shipped files read straight into pyoxigraph, as `segraph query` does."""
    return open_embedded()


def test_graph_base_is_the_namespace_one() -> None:
    assert STORE_GRAPH_BASE == GRAPH_BASE


def test_direct_load_names_and_counts_graphs_like_the_rdflib_corpus(
    direct: OxigraphStore, shipped_corpus: Corpus
) -> None:
    assert direct.graphs() == {str(f.name): len(f.graph) for f in shipped_corpus.files}
    assert [(f.path, f.role, f.graph) for f in direct.files] == [
        (f.path, f.role.value, str(f.name)) for f in shipped_corpus.files
    ]
    assert direct.count() == len(shipped_corpus.union)


def test_direct_load_holds_the_same_quads_as_the_rdflib_corpus(direct: OxigraphStore, embedded_store: Store) -> None:
    def named_quads(store: ox.Store) -> set[ox.Quad]:
        return {q for q in store if not any(isinstance(t, ox.BlankNode) for t in (q.subject, q.object))}

    assert isinstance(embedded_store, EmbeddedStore)
    assert named_quads(direct.oxigraph) == named_quads(embedded_store.oxigraph)


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_saved_queries_give_the_same_rows_from_the_direct_load(
    name: str, direct: OxigraphStore, embedded_store: Store
) -> None:
    params = REQUIRED_EXAMPLE.get(name, {})
    assert run_query(name, params, store=direct).rows() == run_query(name, params, store=embedded_store).rows()


@pytest.mark.parametrize(
    ("documents", "expected"),
    [
        (["document/one"], "https://w3id.org/segraph/document/one"),
        ([], GRAPH_BASE + "data/sample"),
        (["document/one", "document/two"], GRAPH_BASE + "data/sample"),
    ],
    ids=["one document", "none", "two documents"],
)
def test_a_data_file_is_named_by_its_one_document_by_both_loaders(
    tmp_path: Path, documents: list[str], expected: str
) -> None:
    body = "".join(f"<https://w3id.org/segraph/{d}> a seg:SourceDocument .\n" for d in documents)
    sample = tmp_path / "sample.ttl"
    sample.write_text(f"@prefix seg: <{SEG}> .\n# a SourceDocument only in a comment\n{body}<x:a> <x:p> 1 .\n")
    stored = load_file(ox.Store(), sample, "data")
    assert stored.graph == expected
    assert stored.graph == str(parse_file(sample, Role.DATA).name)
    assert stored.triples == len(documents) + 1


def test_two_files_of_one_document_share_its_graph(tmp_path: Path) -> None:
    store = ox.Store()
    for name, value in (("a", 1), ("b", 2)):
        (tmp_path / f"{name}.ttl").write_text(
            f"<https://w3id.org/segraph/document/d> a <{SEG}SourceDocument> .\n<x:s> <x:p> {value} .\n"
        )
    first = load_file(store, tmp_path / "a.ttl", "data")
    second = load_file(store, tmp_path / "b.ttl", "data")
    assert first.graph == second.graph == "https://w3id.org/segraph/document/d"
    assert (first.triples, second.triples) == (2, 1)


def test_a_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "open-string.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b .\nex:a ex:q "never closed', encoding="utf-8")
    store = ox.Store()
    with pytest.raises(LoadError) as caught:
        load_file(store, bad, "data")
    assert (caught.value.path, caught.value.line) == (str(bad), 4)
    assert len(store) == 0


def test_an_unknown_suffix_is_a_load_error(tmp_path: Path) -> None:
    odd = tmp_path / "notes.txt"
    odd.write_text("hello")
    with pytest.raises(LoadError, match="not an RDF file"):
        load_file(ox.Store(), odd, "data")


# ---- one interface: the same answers from the embedded store and a real Oxigraph server ----------


@pytest.fixture(scope="module", params=["embedded", "oxigraph"])
def any_store(request: pytest.FixtureRequest) -> Store:
    return request.getfixturevalue("direct" if request.param == "embedded" else "oxigraph_store")  # type: ignore[no-any-return]


def test_ask_with_a_binding(any_store: Store) -> None:
    query = f"ASK {{ ?p a <{SEG}Project> }}"
    assert any_store.ask(query, bindings={"p": ox.NamedNode(PROJECT)})
    assert not any_store.ask(query, bindings={"p": ox.NamedNode(PROJECT + "-gone")})


def test_construct_with_a_binding(any_store: Store) -> None:
    query = f"CONSTRUCT {{ ?p <{SEG}acronym> ?a }} WHERE {{ ?p <{SEG}acronym> ?a }}"
    triples = any_store.construct(query, bindings={"p": ox.NamedNode(PROJECT)})
    assert [(t.subject.value, t.object.value) for t in triples] == [(PROJECT, "RESEES")]  # type: ignore[union-attr]


def test_select_with_a_typed_binding(any_store: Store) -> None:
    query = f"SELECT ?p WHERE {{ ?p <{SEG}acronym> ?a }}"
    result = any_store.select(query, bindings={"a": ox.Literal("RESEES")})
    assert result.column("p") == [PROJECT]


def test_counts_and_named_graphs(any_store: Store, shipped_corpus: Corpus) -> None:
    graphs = any_store.graphs()
    assert graphs == {str(f.name): len(f.graph) for f in shipped_corpus.files}
    assert any_store.count() == len(shipped_corpus.union)
    assert (
        any_store.count("https://w3id.org/segraph/document/resees")
        == graphs["https://w3id.org/segraph/document/resees"]
    )


def test_bindings_match_a_values_row(direct: OxigraphStore) -> None:
    saved = catalogue()["partner-regions"]
    bindings = saved.bind({"project": "resees"})
    assert (
        direct.select(saved.text, bindings=bindings).rows() == direct.select(with_values(saved.text, bindings)).rows()
    )


def test_a_json_ld_file_with_an_aliased_class_is_named_alike_by_both_loaders(tmp_path: Path) -> None:
    sample = tmp_path / "doc.jsonld"
    sample.write_text(
        '{"@context": {"Doc": "' + SEG + 'SourceDocument", "title": "http://purl.org/dc/terms/title"},'
        ' "@id": "https://w3id.org/segraph/document/d", "@type": "Doc", "title": "A document"}'
    )
    stored = load_file(ox.Store(), sample, "data")
    assert stored.graph == str(parse_file(sample, Role.DATA).name) == "https://w3id.org/segraph/document/d"


@pytest.mark.parametrize("name", ["sources", "contacts"])
@pytest.mark.parametrize("given", ["raise", "RAISE", "rAIsE"])
def test_a_mixed_case_acronym_is_found_in_any_case_on_every_store(store: Store, name: str, given: str) -> None:
    """RaiSE is bound as its 32 spellings (VALUES rows), alike on every store."""
    found = run_query(name, store=store, project=given)
    assert len(found) > 0 and set(found.column("acronym")) == {"RaiSE"}
    assert found.rows() == run_query(name, store=store, project="RaiSE").rows()


@pytest.mark.parametrize("name", ["sources", "contacts"])
@pytest.mark.parametrize("given", ["se innovation", "SE INNOVATION"])
def test_a_long_acronym_is_found_through_its_stored_spellings_on_every_store(
    store: Store, name: str, given: str
) -> None:
    """Too many spellings to list (2**11): a lookup query finds the stored one first."""
    found = run_query(name, store=store, project=given)
    assert len(found) > 0 and set(found.column("acronym")) == {"SE Innovation"}


@pytest.mark.parametrize("name", ["sources", "contacts"])
@pytest.mark.parametrize("given", ["raised", "se innovations"])
def test_an_acronym_nothing_has_gives_no_rows_on_every_store(store: Store, name: str, given: str) -> None:
    assert len(run_query(name, store=store, project=given)) == 0
