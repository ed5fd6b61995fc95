"""``segraph load --store DIR`` and ``--store`` on query, sparql, stats and export, end to end."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner, Result

from segraph import paths, store_persistent
from segraph.cli import main
from segraph.load import Corpus
from segraph.queries import catalogue
from segraph.run import run_query
from segraph.store import METADATA, PersistentStore, Store, StoredFile, open_embedded, source_files

REPO_ROOT = Path(__file__).resolve().parent.parent
# A small extra data file: one project (acronym FIX) stated by its own document.
EXTRA = REPO_ROOT / "tests" / "fixtures" / "shapes" / "valid.ttl"
REQUIRED_EXAMPLE = {"active-on": {"date": "2021-06-15"}}
FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def run(*args: str, env: dict[str, str] | None = None) -> Result:
    return CliRunner().invoke(main, list(args), env=env)


@pytest.fixture(scope="module")
def shipped_dir(persistent_store: PersistentStore) -> Path:
    return persistent_store.directory


@pytest.fixture
def small_store(tmp_path: Path) -> Path:
    """A store of the shipped data plus one extra file, made for tests that replace or damage it."""
    folder = tmp_path / "store"
    result = run("load", "--store", str(folder), "--no-progress", str(EXTRA))
    assert result.exit_code == 0, result.output
    return folder


# ---- segraph load ----------------------------------------------------------------------------


def test_load_says_what_it_loaded(tmp_path: Path, shipped_corpus: Corpus) -> None:
    result = run("load", "--store", str(tmp_path / "s"), "--no-progress")
    assert result.exit_code == 0, result.output
    for source in shipped_corpus.files:
        assert re.search(
            rf"{re.escape(source.path.name)}\s+{len(source.graph):,} triples\s+<{source.name}>", result.stdout
        )
    total = sum(len(f.graph) for f in shipped_corpus.files)
    assert re.search(rf"loaded 15 files, {total:,} triples into .* in [\d.]+ s \([\d,]+ triples/s\)", result.stdout)
    meta = json.loads((tmp_path / "s" / METADATA).read_text())
    assert [f["graph"] for f in meta["files"]] == [str(f.name) for f in shipped_corpus.files]


def test_load_shows_a_progress_bar_with_triples_per_second(tmp_path: Path) -> None:
    result = run("load", "--store", str(tmp_path / "s"), "--progress", str(REPO_ROOT / "data" / "silk.ttl"))
    assert result.exit_code == 0, result.output
    assert "triples/s" in result.stderr
    assert "100%" in result.stderr


def test_load_adds_the_given_files_to_ontology_reference_data_and_data(small_store: Path) -> None:
    store = PersistentStore.open(small_store)
    shipped = sorted(p.name for p in paths.data_dir().glob("*.ttl"))
    assert sorted(f.path.name for f in store.files if f.role == "data") == sorted([*shipped, EXTRA.name])
    assert {f.role for f in store.files} == {"ontology", "reference", "data"}


def test_a_malformed_file_names_file_and_line_and_leaves_the_store_as_it_was(small_store: Path, tmp_path: Path) -> None:
    before = run("query", "projects", "--store", str(small_store), "--format", "csv").stdout
    bad = tmp_path / "bad.ttl"
    bad.write_text('@prefix ex: <http://example.org/> .\n\nex:a ex:p ex:b .\nex:a ex:q "never closed', encoding="utf-8")
    result = run("load", "--store", str(small_store), "--no-progress", str(REPO_ROOT / "data"), str(bad))
    assert result.exit_code == 2
    assert f"{bad}:4:" in result.stderr
    assert "Traceback" not in result.stderr
    assert run("query", "projects", "--store", str(small_store), "--format", "csv").stdout == before
    assert sorted(p.name for p in small_store.parent.iterdir()) == ["bad.ttl", "store"]


def test_load_replaces_a_store_whole(small_store: Path) -> None:
    assert "FIX" in run("query", "projects", "--store", str(small_store), "--format", "csv").stdout
    result = run("load", "--store", str(small_store), "--no-progress")
    assert result.exit_code == 0, result.output
    out = run("query", "projects", "--store", str(small_store), "--format", "csv").stdout
    assert "SILK" in out and "FIX" not in out


def test_load_refuses_to_replace_a_folder_that_is_not_a_store_or_a_file(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("mine")
    for target, message in ((tmp_path, "not a segraph store"), (notes, "is a file")):
        result = run("load", "--store", str(target), "--no-progress")
        assert result.exit_code == 2
        assert message in result.stderr
    assert notes.read_text() == "mine"


@pytest.mark.parametrize(
    "threshold", [store_persistent.BULK_THRESHOLD, 4000, 0], ids=["as shipped", "bigger files bulk", "all bulk"]
)
def test_the_store_counts_each_file_as_a_load_in_memory_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, threshold: int
) -> None:
    """However files reach the disk (a transaction each, or bulk), each counts what it added to its graph."""
    monkeypatch.setattr(store_persistent, "BULK_THRESHOLD", threshold)
    document = "<https://w3id.org/segraph/document/d> a <https://w3id.org/segraph/ontology#SourceDocument> .\n"
    (tmp_path / "a.ttl").write_text(document + "<x:s> <x:p> 1 .\n")
    (tmp_path / "b.ttl").write_text(document + "<x:s> <x:p> 1 .\n<x:s> <x:p> 2 .\n")  # adds one triple
    big = "".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(300))
    (tmp_path / "c.nt").write_text(big + big[: big.index("\n") + 1])  # its first triple twice
    data = [paths.data_dir(), tmp_path / "a.ttl", tmp_path / "b.ttl", tmp_path / "c.nt"]
    built = PersistentStore.build(tmp_path / "store", data)
    in_memory = open_embedded(data)
    assert [(f.graph, f.triples) for f in built.files] == [(f.graph, f.triples) for f in in_memory.files]
    assert [f.triples for f in built.files[-3:]] == [2, 1, 300]
    assert built.graphs() == in_memory.graphs()
    assert built.count() == in_memory.count()


def big_bulk_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """An N-Triples file of 10,000 triples, the only one the bulk loader reads (the shipped files stay below)."""
    monkeypatch.setattr(store_persistent, "BULK_THRESHOLD", max(p.stat().st_size for p, _ in source_files()))
    big = tmp_path / "big.nt"
    big.write_text("".join(f'<https://example.org/s{i}> <https://example.org/p> "{i}" .\n' for i in range(10_000)))
    assert big.stat().st_size > store_persistent.BULK_THRESHOLD
    return big


class Phases:
    """A load's progress reports, as far as these tests need them: the steps after the files (compacting, indexing)."""

    def __init__(self) -> None:
        self.steps: list[str] = []

    def begin(self, path: Path) -> None: ...

    def advance(self, nbytes: int, lines: int) -> None: ...

    def file_done(self, stored: StoredFile) -> None: ...

    def step(self, description: str) -> None:
        self.steps.append(description)

    @property
    def compacted(self) -> bool:
        return any(step.startswith("compacting the store") for step in self.steps)


def test_a_store_of_several_bulk_runs_is_compacted_unless_told_not_to(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Past one bulk batch the store is compacted, and holds and answers exactly what an uncompacted one does."""
    data = [paths.data_dir(), big_bulk_file(tmp_path, monkeypatch)]
    as_shipped = Phases()
    PersistentStore.build(tmp_path / "one-run", data, as_shipped)
    assert not as_shipped.compacted  # 10,000 quads: one batch, one run, nothing to gain

    monkeypatch.setattr(store_persistent, "BULK_BATCH", 4000)
    compacted, plain = Phases(), Phases()
    stores = [
        PersistentStore.build(tmp_path / "compacted", data, compacted),
        PersistentStore.build(tmp_path / "plain", data, plain, compact=False),
    ]
    assert compacted.compacted and not plain.compacted
    assert stores[0].count() == stores[1].count()
    assert stores[0].files == stores[1].files and stores[0].graphs() == stores[1].graphs()
    rows = [run_query("memberships", store=s).rows() + run_query("partner-regions", store=s).rows() for s in stores]
    assert rows[0] == rows[1] and rows[0]
    # The name index, written while the store compacts, finds what it finds on the plain store.
    members = [run_query("memberships", organisation="REGION-OREBRO-LAN", store=s).rows() for s in stores]
    assert members[0] == members[1] and len(members[0]) == 3


def test_load_compacts_by_default_and_not_with_no_compact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's flag reaches the store: the progress display says when it compacts."""
    big = big_bulk_file(tmp_path, monkeypatch)
    monkeypatch.setattr(store_persistent, "BULK_BATCH", 4000)
    compacted = run("load", "--store", str(tmp_path / "c"), "--progress", str(big))
    plain = run("load", "--store", str(tmp_path / "p"), "--progress", "--no-compact", str(big))
    for result in (compacted, plain):
        assert result.exit_code == 0, result.output
        assert "loaded 16 files" in result.stdout
    assert "compacting the store" in compacted.stderr
    assert "compacting the store" not in plain.stderr


# ---- --store on the other commands -------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_saved_queries_give_the_same_rows_from_the_store(
    name: str, persistent_store: Store, embedded_store: Store
) -> None:
    params = REQUIRED_EXAMPLE.get(name, {})
    assert (
        run_query(name, params, store=persistent_store).rows() == run_query(name, params, store=embedded_store).rows()
    )


def test_query_and_sparql_through_store_and_environment(shipped_dir: Path) -> None:
    plain = run("query", "partner-regions", "-p", "project=resees", "--format", "csv")
    stored = run("query", "partner-regions", "-p", "project=resees", "--format", "csv", "--store", str(shipped_dir))
    from_env = run(
        "query", "partner-regions", "-p", "project=resees", "--format", "csv", env={"SEGRAPH_STORE": str(shipped_dir)}
    )
    assert plain.exit_code == stored.exit_code == from_env.exit_code == 0
    assert plain.stdout == stored.stdout == from_env.stdout
    count = "SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p a <https://w3id.org/segraph/ontology#Project> }"
    result = run("sparql", count, "--format", "csv", "--store", str(shipped_dir))
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines() == ["n", "5"]


def test_stats_from_the_store_match_the_files(shipped_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPO_ROOT)
    plain, stored = run("stats"), run("stats", "--store", str(shipped_dir))
    assert plain.exit_code == stored.exit_code == 0
    assert stored.stdout == plain.stdout


@pytest.mark.parametrize("fmt", ["turtle", "nt", "jsonld"])
def test_export_from_the_store_is_the_same_graph(
    shipped_dir: Path, tmp_path: Path, shipped_corpus: Corpus, fmt: str
) -> None:
    out = tmp_path / f"graph.{fmt}"
    result = run("export", "--format", fmt, "--out", str(out), "--store", str(shipped_dir))
    assert result.exit_code == 0, result.output
    assert result.stderr.strip() == f"wrote {out} ({out.stat().st_size} bytes, {fmt})"
    triples = {(q.subject, q.predicate, q.object) for q in ox.parse(path=out, format=FORMATS[fmt])}
    assert len(triples) == len(shipped_corpus.union)


def test_export_trig_from_the_store_keeps_one_graph_per_file(
    shipped_dir: Path, tmp_path: Path, shipped_corpus: Corpus
) -> None:
    out = tmp_path / "graph.trig"
    assert run("export", "--format", "trig", "--out", str(out), "--store", str(shipped_dir)).exit_code == 0
    named = Counter(q.graph_name.value for q in ox.parse(path=out, format=ox.RdfFormat.TRIG))
    assert named == {str(f.name): len(f.graph) for f in shipped_corpus.files}


# ---- clear usage errors (exit 2) -----------------------------------------------------------------


def _usage_error(*args: str) -> str:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.stderr
    return result.stderr


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    message = _usage_error("query", "projects", "--store", str(tmp_path / "nowhere"))
    assert "no segraph store here" in message and "segraph load --store" in message


def test_a_folder_that_is_not_a_store_is_a_usage_error(tmp_path: Path) -> None:
    assert "not a segraph store" in _usage_error("stats", "--store", str(tmp_path))


def test_a_damaged_store_is_a_usage_error(small_store: Path) -> None:
    (small_store / METADATA).write_text("{not json")
    assert "damaged" in _usage_error("sparql", "SELECT * WHERE { ?s ?p ?o } LIMIT 1", "--store", str(small_store))


def test_a_store_whose_database_is_gone_is_a_usage_error(small_store: Path) -> None:
    shutil.rmtree(small_store / "oxigraph")
    (small_store / "oxigraph").write_text("not a database")
    assert "damaged" in _usage_error("query", "projects", "--store", str(small_store))


def test_a_store_made_by_another_version_is_a_usage_error(small_store: Path) -> None:
    meta = json.loads((small_store / METADATA).read_text())
    (small_store / METADATA).write_text(json.dumps({**meta, "segraph": "0.0.1-old"}))
    message = _usage_error("query", "projects", "--store", str(small_store))
    assert "made by segraph 0.0.1-old" in message and "load it again" in message


def test_store_and_endpoint_together_are_a_usage_error(shipped_dir: Path) -> None:
    message = _usage_error("query", "projects", "--store", str(shipped_dir), "--endpoint", "http://127.0.0.1:9/query")
    assert "not both" in message


def test_paths_with_a_store_are_a_usage_error(shipped_dir: Path) -> None:
    assert "segraph load" in _usage_error("stats", "--store", str(shipped_dir), "data/resees.ttl")


# ---- paging answers that grow with the square of the data -------------------------------------


def test_connections_page_through_the_whole_answer() -> None:
    every = run_query("connections", limit=0).rows()
    assert len(every) > 4
    second = run_query("connections", limit=2, page=2)
    assert second.rows() == every[2:4] and second.more
    last = run_query("connections", limit=2, page=(len(every) + 1) // 2)
    assert not last.more


def test_the_cli_says_when_more_rows_wait() -> None:
    result = run("query", "connections", "--limit", "3", "--format", "csv")
    assert result.exit_code == 0
    assert len(result.stdout.splitlines()) == 4
    assert "--page 2" in result.stderr


def test_a_page_without_a_page_size_is_a_usage_error() -> None:
    assert "give a limit" in _usage_error("query", "projects", "--page", "2")


def test_connections_comes_a_page_at_a_time_by_default() -> None:
    assert catalogue()["connections"].limit == 100
    every = run_query("connections", limit=0)
    assert len(run_query("connections")) == min(len(every), 100)


def test_a_saved_query_declares_its_default_page_size(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text = (paths.queries_dir() / "connections.rq").read_text(encoding="utf-8")
    text = re.sub(r"^#\+ limit: \d+\n", "#+ limit: 2\n", text, flags=re.MULTILINE)
    assert "#+ limit: 2\n" in text
    (tmp_path / "connections.rq").write_text(text, encoding="utf-8")
    # The walk through the whole answer reads its lookup query next to the saved ones.
    shutil.copytree(paths.queries_dir() / "lookup", tmp_path / "lookup")
    monkeypatch.setattr(paths, "queries_dir", lambda: tmp_path)
    result = run_query("connections")
    assert len(result) == 2 and result.more
    assert len(run_query("connections", limit=0)) > 2
