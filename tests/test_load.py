"""Files → graph: which files are read, how errors are reported, and which file states what."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, RDFS

from segraph.errors import EXIT_USAGE, LoadError, UsageError
from segraph.load import Corpus, Role, SourceFile, expand_paths, load_corpus, parse_file
from segraph.namespaces import GRAPH_BASE, SEG

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA = REPO_ROOT / "data"
BAD = Path(__file__).resolve().parent / "fixtures" / "bad"

DOCUMENT = "https://w3id.org/segraph/document/"
TURTLE = '@prefix ex: <http://example.org/> .\nex:a ex:p "x" .\n'


def touch(path: Path, text: str = TURTLE) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def line_of(path: Path, prefix: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(prefix):
            return number
    raise AssertionError(f"{prefix!r} not found in {path}")


# --- expand_paths ------------------------------------------------------------------------------


def test_expand_paths_searches_folders_recursively_and_sorted(tmp_path: Path) -> None:
    b = touch(tmp_path / "b.ttl")
    a = touch(tmp_path / "a.nt", "")
    deep = touch(tmp_path / "sub" / "deeper" / "c.jsonld", "{}")
    upper = touch(tmp_path / "sub" / "D.TTL")
    owl = touch(tmp_path / "sub" / "e.owl", "")
    for ignored in ("notes.txt", "table.csv", "sub/README.md", "sub/ttl"):
        touch(tmp_path / ignored, "not rdf")
    found = expand_paths([tmp_path])
    assert set(found) == {a, b, deep, upper, owl}
    assert found == sorted(found)


def test_expand_paths_keeps_files_as_given_and_in_order(tmp_path: Path) -> None:
    first = touch(tmp_path / "z.ttl")
    folder_file = touch(tmp_path / "folder" / "a.ttl")
    notes = touch(tmp_path / "notes.txt", "not rdf")
    # A file named explicitly is kept even if it is not RDF: parse_file refuses it with a clear message.
    assert expand_paths([first, tmp_path / "folder", notes]) == [first, folder_file, notes]


def test_expand_paths_missing_path_is_a_usage_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.ttl"
    with pytest.raises(UsageError, match="no such file or folder") as caught:
        expand_paths([touch(tmp_path / "ok.ttl"), missing])
    assert str(missing) in str(caught.value)
    assert caught.value.exit_code == EXIT_USAGE


def test_expand_paths_folder_without_rdf_is_a_usage_error(tmp_path: Path) -> None:
    touch(tmp_path / "notes.txt", "not rdf")
    with pytest.raises(UsageError, match="holds no RDF files"):
        expand_paths([tmp_path])


def test_expand_paths_of_shipped_data_includes_reference_files() -> None:
    found = expand_paths([DATA])
    assert DATA / "resees.ttl" in found
    assert DATA / "reference" / "nuts.ttl" in found


# --- parse_file --------------------------------------------------------------------------------


def test_parse_file_reads_turtle() -> None:
    source = parse_file(DATA / "resees.ttl", Role.DATA)
    assert source.path == DATA / "resees.ttl"
    assert source.role is Role.DATA
    assert (URIRef("https://w3id.org/segraph/project/resees"), RDF.type, SEG.Project) in source.graph


def test_turtle_syntax_error_has_path_and_line() -> None:
    broken = BAD / "unterminated-string.ttl"
    with pytest.raises(LoadError) as caught:
        parse_file(broken, Role.DATA)
    error = caught.value
    assert error.path == str(broken)
    assert error.line == 7
    assert "newline found in string literal" in error.detail
    assert str(error).startswith(f"{broken}:7: Turtle syntax error:")
    assert error.exit_code == EXIT_USAGE
    assert error.__cause__ is None and error.__suppress_context__


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ('ex:a ex:p "x" .\n', 1),  # prefix used before it is declared
        ('@prefix ex: <http://example.org/> .\n\nex:a ex:p "x" ;\n    ex:q .\n', 4),
        ('@prefix ex: <http://example.org/> .\nex:a ex:p "x"\nex:b ex:p "y" .\n', 3),
    ],
    ids=["unbound-prefix", "missing-object", "missing-dot"],
)
def test_turtle_error_lines_are_one_based(tmp_path: Path, text: str, line: int) -> None:
    with pytest.raises(LoadError) as caught:
        parse_file(touch(tmp_path / "broken.ttl", text), Role.DATA)
    assert caught.value.line == line


@pytest.mark.parametrize(
    ("name", "line", "detail"),
    [
        ("broken.jsonld", 4, "json-ld parse error"),
        ("broken.rdf", 4, "RDF/XML syntax error"),
        ("latin1.ttl", None, "not UTF-8 text"),
        ("notes.txt", None, "not an RDF file"),
        ("projects.csv", None, "not an RDF file"),
    ],
)
def test_other_load_errors(name: str, line: int | None, detail: str) -> None:
    with pytest.raises(LoadError) as caught:
        parse_file(BAD / name, Role.DATA)
    assert caught.value.path == str(BAD / name)
    assert caught.value.line == line
    assert caught.value.detail.startswith(detail)


def test_unreadable_path_is_a_load_error(tmp_path: Path) -> None:
    folder = tmp_path / "looks-like-a-file.ttl"
    folder.mkdir()
    with pytest.raises(LoadError) as caught:
        parse_file(folder, Role.DATA)
    assert caught.value.path == str(folder)


# --- named graphs ------------------------------------------------------------------------------


def test_data_file_graph_is_named_by_its_source_document() -> None:
    assert parse_file(DATA / "resees.ttl", Role.DATA).name == URIRef(DOCUMENT + "resees")
    assert parse_file(DATA / "raise.ttl", Role.DATA).name == URIRef(DOCUMENT + "orebro-raise")


def test_graph_names_without_one_source_document(tmp_path: Path) -> None:
    plain = touch(tmp_path / "plain.ttl")
    assert parse_file(plain, Role.DATA).name == URIRef(f"{GRAPH_BASE}data/plain")
    two = touch(
        tmp_path / "two.ttl",
        "@prefix seg: <https://w3id.org/segraph/ontology#> .\n"
        "<http://example.org/d1> a seg:SourceDocument .\n<http://example.org/d2> a seg:SourceDocument .\n",
    )
    assert parse_file(two, Role.DATA).name == URIRef(f"{GRAPH_BASE}data/two")
    assert parse_file(DATA / "reference" / "roles.ttl", Role.REFERENCE).name == URIRef(f"{GRAPH_BASE}reference/roles")
    assert parse_file(plain, Role.ONTOLOGY).name == URIRef("https://w3id.org/segraph/ontology")


def test_shipped_graph_names_are_distinct(shipped_corpus: Corpus) -> None:
    names = [f.name for f in shipped_corpus.files]
    assert len(names) == len(set(names))
    by_file = {f.path.name: f.name for f in shipped_corpus.data_files}
    assert by_file["resees.ttl"] == URIRef(DOCUMENT + "resees")


# --- load_corpus -------------------------------------------------------------------------------


def test_shipped_corpus_has_ontology_reference_and_data(shipped_corpus: Corpus) -> None:
    roles = [f.role for f in shipped_corpus.files]
    assert roles[0] is Role.ONTOLOGY
    assert roles.count(Role.ONTOLOGY) == 1
    assert {f.path.name for f in shipped_corpus.files if f.role is Role.REFERENCE} == {
        p.name for p in (DATA / "reference").glob("*.ttl")
    }
    assert sorted(f.path for f in shipped_corpus.data_files) == sorted(DATA.glob("*.ttl"))
    assert len(shipped_corpus.union) == len(set().union(*(set(f.graph) for f in shipped_corpus.files)))


def test_a_file_given_twice_is_loaded_once() -> None:
    resees = DATA / "resees.ttl"
    corpus = load_corpus([resees, resees, DATA / "." / "resees.ttl"])
    assert [f.path.name for f in corpus.data_files] == ["resees.ttl"]


def test_a_file_given_and_in_a_given_folder_is_loaded_once(shipped_corpus: Corpus) -> None:
    corpus = load_corpus([DATA / "resees.ttl", DATA])
    paths = [f.path.resolve() for f in corpus.files]
    assert len(paths) == len(set(paths))
    assert [f.path.name for f in corpus.data_files][0] == "resees.ttl"
    assert sorted(f.path.name for f in corpus.data_files) == sorted(f.path.name for f in shipped_corpus.data_files)
    # data/reference/ is inside data/, but its files stay reference files and are read once.
    assert not any(f.path.parent.name == "reference" for f in corpus.data_files)
    assert len(corpus.union) == len(shipped_corpus.union)


def test_a_relative_and_an_absolute_path_are_one_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    corpus = load_corpus([Path("data/resees.ttl"), DATA / "resees.ttl"])
    assert len(corpus.data_files) == 1
    assert corpus.data_files[0].display == "data/resees.ttl"


def test_load_corpus_reports_a_broken_file(tmp_path: Path) -> None:
    shutil.copy(BAD / "unterminated-string.ttl", tmp_path / "broken.ttl")
    with pytest.raises(LoadError) as caught:
        load_corpus([DATA / "resees.ttl", tmp_path])
    assert caught.value.path == str(tmp_path / "broken.ttl")
    assert caught.value.line == 7


# --- which file describes a node ---------------------------------------------------------------


def _line_of(path: Path, start: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line.startswith(start))


def test_locate_puts_the_data_file_first(shipped_corpus: Corpus) -> None:
    strategy = URIRef("https://w3id.org/segraph/vocab/policy/se-social-enterprise-strategy")
    source, line = shipped_corpus.locate(strategy)
    assert source is not None and source.path.name == "se-innovation.ttl"
    assert line == _line_of(DATA / "se-innovation.ttl", "policy:se-social-enterprise-strategy")


def test_locate_orders_by_role_not_by_load_order() -> None:
    node = URIRef("http://example.org/node")

    def source(name: str, role: Role) -> SourceFile:
        graph = Graph()
        graph.add((node, RDFS.label, Literal(name)))
        return SourceFile(Path(f"{name}.ttl"), role, graph, URIRef(f"http://example.org/graph/{name}"))

    corpus = Corpus([source("onto", Role.ONTOLOGY), source("ref", Role.REFERENCE), source("data", Role.DATA)])
    assert corpus.locate(node)[0].path.stem == "data"  # type: ignore[union-attr]
    corpus = Corpus([source("onto", Role.ONTOLOGY), source("ref", Role.REFERENCE)])
    assert corpus.locate(node)[0].path.stem == "ref"  # type: ignore[union-attr]
    assert corpus.locate(URIRef("http://example.org/unknown")) == (None, None)


def test_locate_points_an_unknown_iri_at_the_data_line_that_uses_it(tmp_path: Path) -> None:
    data = tmp_path / "uses.ttl"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b .\n\nex:c\n    ex:role ex:boss .\n", encoding="utf-8"
    )
    corpus = Corpus([parse_file(data, Role.DATA)])
    source, line = corpus.locate(URIRef("http://example.org/boss"))
    assert source is not None and source.path == data
    assert line == 5


def test_locate_traces_a_blank_node_to_its_holder(shipped_corpus: Corpus) -> None:
    period = URIRef("https://w3id.org/segraph/period/raise")
    durations = list(shipped_corpus.union.objects(period, SEG.statedDuration))
    assert len(durations) == 1 and isinstance(durations[0], BNode)
    source, line = shipped_corpus.locate(durations[0])
    assert source is not None and source.path == DATA / "raise.ttl"
    assert line == _line_of(DATA / "raise.ttl", "period:raise")


def test_locate_a_blank_node_in_a_cycle_terminates() -> None:
    a, b = BNode(), BNode()
    graph = Graph()
    graph.add((a, RDFS.seeAlso, b))
    graph.add((b, RDFS.seeAlso, a))
    corpus = Corpus([SourceFile(Path("cycle.ttl"), Role.DATA, graph, URIRef("http://example.org/g"))])
    source, _ = corpus.locate(a)
    assert source is not None and source.path.name == "cycle.ttl"


# --- subject lines -----------------------------------------------------------------------------


def test_subject_lines_find_project_resees(shipped_corpus: Corpus) -> None:
    resees = next(f for f in shipped_corpus.data_files if f.path.name == "resees.ttl")
    lines = resees.subject_lines
    assert lines[URIRef("https://w3id.org/segraph/project/resees")] == line_of(DATA / "resees.ttl", "project:resees")
    assert lines[URIRef(DOCUMENT + "resees")] == line_of(DATA / "resees.ttl", "document:resees")
    assert lines[URIRef("https://w3id.org/segraph/period/resees")] == line_of(DATA / "resees.ttl", "period:resees")


def test_subject_lines_skip_prefixes_comments_and_indented_lines(tmp_path: Path) -> None:
    path = touch(
        tmp_path / "lines.ttl",
        "# ex:commented is not a subject\n"
        "@prefix ex: <http://example.org/> .\n"
        "PREFIX other: <http://example.org/other/>\n"
        "\n"
        "ex:first\n"
        "    ex:p ex:indented .\n"
        "<http://example.org/full> ex:p other:x .\n"
        "other:x ex:p ex:first .\n"
        "ex:first ex:q 1 .\n",
    )
    lines = parse_file(path, Role.DATA).subject_lines
    ex = "http://example.org/"
    assert lines == {URIRef(ex + "first"): 5, URIRef(ex + "full"): 7, URIRef(ex + "other/x"): 8}


def test_subject_lines_are_empty_for_other_formats(tmp_path: Path) -> None:
    path = touch(tmp_path / "one.nt", '<http://example.org/a> <http://example.org/p> "x" .\n')
    assert parse_file(path, Role.DATA).subject_lines == {}


def test_subject_lines_for_an_upper_case_suffix(tmp_path: Path) -> None:
    path = touch(tmp_path / "UPPER.TTL")
    assert parse_file(path, Role.DATA).subject_lines == {URIRef("http://example.org/a"): 2}


def test_subject_lines_for_a_prefix_that_starts_like_a_directive(tmp_path: Path) -> None:
    path = touch(tmp_path / "based.ttl", '@prefix based: <http://example.org/based/> .\nbased:b based:p "y" .\n')
    assert parse_file(path, Role.DATA).subject_lines == {URIRef("http://example.org/based/b"): 2}
