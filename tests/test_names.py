"""The name index of a persistent store (names.py): what it finds, and that a query answers the same with it.

memberships' organisation parameter is a label in any case or an IRI's last segment. A store
made by ``segraph load`` resolves it through its index; a store in memory lets the query
compare every member. Both must give the same rows: the tests of test_queries_b.py run on
both, and here on generated data, member by member.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from segraph import names, paths
from segraph.errors import UsageError
from segraph.queries import get_query
from segraph.run import match_names, run_query
from segraph.store import EmbeddedStore, PersistentStore, open_embedded

GENERATE = Path(__file__).resolve().parents[1] / "benchmarks" / "generate.py"
REGION_OREBRO = ox.NamedNode("https://w3id.org/segraph/organisation/region-orebro-lan")


@pytest.mark.parametrize(
    "name",
    [
        "Region Örebro län",  # its Swedish label
        "REGION ÖREBRO LÄN",  # any case, letters outside ASCII too
        "region örebro county",  # its English label
        "Region-Orebro-Lan",  # the last segment of its IRI
    ],
)
def test_the_index_finds_a_resource_by_label_or_iri_segment_in_any_case(
    persistent_store: PersistentStore, name: str
) -> None:
    assert persistent_store.named(name) == (REGION_OREBRO,)


@pytest.mark.parametrize("name", ["", "nope", "region örebro", "organisation/region-orebro-lan"])
def test_the_index_finds_nothing_for_a_name_nothing_has(persistent_store: PersistentStore, name: str) -> None:
    assert persistent_store.named(name) == ()


def test_a_store_in_memory_keeps_no_index(embedded_store: EmbeddedStore) -> None:
    assert embedded_store.named("Region Örebro län") is None


def test_the_runner_binds_what_the_index_finds_only_where_there_is_one(
    persistent_store: PersistentStore, embedded_store: EmbeddedStore
) -> None:
    saved = get_query("memberships")
    indexed, scanned = (saved.bind({"organisation": "region örebro län"}) for _ in range(2))
    match_names(saved, indexed, persistent_store)
    match_names(saved, scanned, embedded_store)
    assert indexed["_organisation_matches"] == (REGION_OREBRO,)
    assert "_organisation_matches" not in scanned


@pytest.mark.parametrize("damage", ["missing", "not a database"])
def test_a_damaged_index_is_a_usage_error_that_says_to_load_again(tmp_path: Path, damage: str) -> None:
    index = tmp_path / names.NAMES_FILE
    if damage != "missing":
        index.write_text(damage)
    with pytest.raises(
        UsageError, match=r"the store is damaged, its name index names.sqlite is unreadable .*segraph load"
    ):
        names.NameIndex(index).find("anything")


def test_the_index_holds_every_label_and_segment(tmp_path: Path) -> None:
    store = ox.Store()
    graph = ox.NamedNode("https://example.org/graph")
    thing = ox.NamedNode("https://example.org/things#Thing-1")
    label = ox.NamedNode(names.LABELS[0])
    alt = ox.NamedNode(names.LABELS[2])
    store.add(ox.Quad(thing, label, ox.Literal("Thing One", language="en"), graph))
    store.add(ox.Quad(thing, alt, ox.Literal("T1"), graph))
    store.add(ox.Quad(ox.BlankNode(), label, ox.Literal("anonymous", language="en"), graph))
    built = names.build(store, tmp_path / names.NAMES_FILE)
    index = names.NameIndex(tmp_path / names.NAMES_FILE)
    assert built == 3  # two labels and one segment; a blank node has no IRI to find
    assert index.find("thing one") == index.find("t1") == index.find("THING-1") == (thing,)
    assert index.find("anonymous") == ()


def test_generated_members_give_the_same_rows_with_the_index_as_without(tmp_path: Path) -> None:
    """Every member of 300 generated projects, named in upper case: the store on disk (index) = in memory (FILTER)."""
    data = tmp_path / "projects.nt"
    subprocess.run([sys.executable, str(GENERATE), "--projects", "300", "--out", str(data)], check=True)
    sources = [paths.data_dir(), data]
    on_disk = PersistentStore.build(tmp_path / "store", sources)
    in_memory = open_embedded(sources)
    everything = run_query("memberships", store=in_memory).rows()
    members = sorted({row["organisation"] for row in everything})
    assert len(members) > 20
    for member in members:
        expected = [row for row in everything if row["organisation"] == member]
        for store in (on_disk, in_memory):
            assert run_query("memberships", {"organisation": member.upper()}, store=store).rows() == expected, member


@pytest.mark.parametrize("text", ["ΟΔΟΣ", "İstanbul", "Straße ǅ", "Region Örebro län", "KELVIN \u212a"])
def test_fold_is_sparql_lcase(text: str) -> None:
    """The index's key must be what the saved queries' LCASE gives, or the index would miss a name the query finds."""
    solutions = ox.Store().query(f"SELECT (LCASE({ox.Literal(text)}) AS ?folded) {{}}")
    assert isinstance(solutions, ox.QuerySolutions)
    assert names.fold(text) == next(iter(solutions))["folded"].value
