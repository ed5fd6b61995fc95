"""Reading files into Oxigraph: the same triples and the same errors (file and line) whether Oxigraph
reads the file itself or through the reader that feeds the progress display, in a transaction or in bulk."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest

from segraph.errors import LoadError
from segraph.store_files import LoadProgress, StoredFile, count_graph, read_file

GRAPH = ox.NamedNode("https://w3id.org/segraph/document/big")
NT = ox.RdfFormat.N_TRIPLES
WAYS = pytest.mark.parametrize(
    ("bulk", "shown"),
    [(False, False), (False, True), (True, False), (True, True)],
    ids=["transaction", "transaction, progress", "bulk", "bulk, progress"],
)


def triples(count: int) -> str:
    return "".join(f'<https://example.org/s{i}> <https://example.org/p> "value {i}"@en .\n' for i in range(count))


class Seen:
    """A progress display that remembers what it was told."""

    def __init__(self) -> None:
        self.started: list[Path] = []
        self.nbytes = self.lines = 0

    def begin(self, path: Path) -> None:
        self.started.append(path)

    def advance(self, nbytes: int, lines: int) -> None:
        self.nbytes += nbytes
        self.lines += lines

    def file_done(self, stored: StoredFile) -> None: ...

    def step(self, description: str) -> None: ...


@WAYS
def test_a_file_is_read_into_its_graph_each_triple_once(tmp_path: Path, bulk: bool, shown: bool) -> None:
    big = tmp_path / "big.nt"
    body = triples(500)
    big.write_text(body + body[: body.index("\n") + 1])  # the first triple again at the end
    store, seen = ox.Store(str(tmp_path / "db")), Seen()
    read_file(store, big, GRAPH, bulk=bulk, progress=seen if shown else None)
    assert set(store) == {ox.Quad(q.subject, q.predicate, q.object, GRAPH) for q in ox.parse(path=big, format=NT)}
    assert count_graph(store, GRAPH) == len(store) == 500
    expected = (big.stat().st_size, 501, [big]) if shown else (0, 0, [])
    assert (seen.nbytes, seen.lines, seen.started) == expected


def test_progress_counts_no_lines_in_turtle(tmp_path: Path) -> None:
    turtle = tmp_path / "small.ttl"
    turtle.write_text(triples(20))
    seen: LoadProgress = Seen()
    read_file(ox.Store(), turtle, GRAPH, progress=seen)
    assert isinstance(seen, Seen) and (seen.nbytes, seen.lines) == (turtle.stat().st_size, 0)


@WAYS
def test_a_syntax_error_names_file_and_line(tmp_path: Path, bulk: bool, shown: bool) -> None:
    big = tmp_path / "big.nt"
    big.write_text(triples(150) + '<https://example.org/s> <https://example.org/p> "never closed .\n' + triples(5))
    with pytest.raises(LoadError) as caught:
        read_file(ox.Store(str(tmp_path / "db")), big, GRAPH, bulk=bulk, progress=Seen() if shown else None)
    assert (caught.value.path, caught.value.line) == (str(big), 151)
    assert caught.value.detail.startswith("N-Triples syntax error: ") and "line 151" in caught.value.detail


def test_an_unreadable_file_is_a_load_error(tmp_path: Path) -> None:
    folder = tmp_path / "folder.nt"
    folder.mkdir()
    with pytest.raises(LoadError, match="cannot read"):
        read_file(ox.Store(), folder, GRAPH)
