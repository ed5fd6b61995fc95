"""`segraph publish --store`: the site built from a store's named graphs is the site built from the files."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import Graph, Literal
from rdflib.compare import to_canonical_graph
from rdflib.namespace import XSD

from segraph.cli import main
from segraph.store import PersistentStore

# Files that hold the whole graph, or the sizes and checksums of those files.
WHOLE_GRAPH = {
    "graph.ttl",
    "graph.nt.gz",
    "graph.jsonld",
    "graph.rdf",
    "graph.trig",
    "graph.nq",
    "catalog.ttl",
    "catalog.rdf",
    "index.html",
}


@pytest.fixture(scope="module")
def store_site(tmp_path_factory: pytest.TempPathFactory, persistent_store: PersistentStore) -> Path:
    out = tmp_path_factory.mktemp("publish-store") / "site"
    result = CliRunner(env={"SEGRAPH_STORE": str(persistent_store.directory)}).invoke(
        main, ["publish", "--out", str(out)]
    )
    assert result.exit_code == 0, (result.output, result.exception)
    return out


def _files(site: Path) -> list[str]:
    return sorted(str(p.relative_to(site)) for p in site.rglob("*") if p.is_file())


def _by_value(path: Path) -> Graph:
    """The Turtle file's graph, each xsd:decimal compared by its value ("150000000.00" as 150000000)."""
    graph = Graph()
    for s, p, o in Graph().parse(path, format="turtle"):
        if isinstance(o, Literal) and o.datatype == XSD.decimal:
            o = Literal(str(Decimal(str(o)).normalize()), datatype=XSD.decimal)
        graph.add((s, p, o))
    return to_canonical_graph(graph)


def test_the_store_gives_the_same_files(store_site: Path, published_site: Path) -> None:
    assert _files(store_site) == _files(published_site)


def test_the_store_gives_the_same_bytes_but_for_decimals_it_stores_by_value(
    store_site: Path, published_site: Path
) -> None:
    """Oxigraph keeps an xsd:decimal as its value ("1885230.00" comes back as "1885230"): only the
    pages of resources stating one, and the files describing the whole graph, may differ."""
    differing = [
        name
        for name in _files(published_site)
        if (store_site / name).read_bytes() != (published_site / name).read_bytes()
    ]
    pages = {name.rsplit(".", 1)[0] for name in differing if name not in WHOLE_GRAPH}
    stating = {
        page
        for page in pages
        if (store_site / f"{page}.ttl").read_bytes() != (published_site / f"{page}.ttl").read_bytes()
    }
    assert "amount/resees-total" in stating  # the shipped data states "1885230.00"^^xsd:decimal
    for page in sorted(stating):
        assert set(_by_value(published_site / f"{page}.ttl")) == set(_by_value(store_site / f"{page}.ttl")), page
    for page in sorted(pages - stating):  # a page showing such a value of another resource (a project's budget)
        text = (published_site / f"{page}.html").read_text(encoding="utf-8")
        assert any(f'{other.rsplit("/", 1)[-1]}.html"' in text for other in stating), page
    assert "ontology.html" not in differing and "void.ttl" not in differing


def test_store_and_paths_do_not_mix(persistent_store: PersistentStore, tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["publish", "--store", str(persistent_store.directory), "--out", str(tmp_path / "site"), "data"]
    )
    assert result.exit_code == 2
    assert "--store" in result.stderr and not (tmp_path / "site").exists()


def test_a_missing_store_is_a_usage_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["publish", "--store", str(tmp_path / "nowhere"), "--out", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "no segraph store" in result.stderr
