"""The saved queries on a generated programme database: they answer, and a parameter only narrows the answer.

The queries are written so that a parameter is applied first (issue 6); these tests guard that such a
rewrite keeps the meaning: the rows for one project (or organisation, or programme) are exactly the
rows of the whole-graph answer that belong to it, in the same order. The graph is small (120 generated
projects plus the shipped data); speed is measured by ``benchmarks/query_profile.py``, not here.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from segraph import paths
from segraph.queries import catalogue, get_query, with_values
from segraph.results import QueryResult, python_value
from segraph.run import run_query
from segraph.store import Store, open_embedded

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
DATE = {"date": "2021-06-15"}
# Projects whose rows the subset checks compare, by position in the whole-graph answer.
SAMPLES = (0, 7, -1)


@pytest.fixture(scope="module")
def generated_store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """120 generated projects with the shipped data, ontology and reference data, in an embedded store."""
    data = tmp_path_factory.mktemp("generated") / "projects.nt"
    subprocess.run([sys.executable, str(GENERATE), "--projects", "120", "--out", str(data)], check=True)
    return open_embedded([paths.data_dir(), data])


@pytest.fixture(scope="module")
def whole(generated_store: Store) -> dict[str, QueryResult]:
    """Every saved query over the whole graph (active-on, which needs a date, for one date)."""
    return {
        name: run_query(name, DATE if name == "active-on" else {}, store=generated_store)
        for name in sorted(set(catalogue()) - {"connections"})
    }


def rows(result: QueryResult) -> list[tuple[object, ...]]:
    """The rows as Python values (None where a column is unbound), comparable with ``column``."""
    return [tuple(None if term is None else python_value(term) for term in row) for row in result.terms]


def acronyms(result: QueryResult, samples: tuple[int, ...] = SAMPLES) -> list[str]:
    """Acronyms of projects spread over the answer (generated ones and shipped ones)."""
    column = [str(value) for value in result.column("acronym")]
    return sorted({column[index] for index in samples})


@pytest.mark.parametrize("name", sorted(set(catalogue()) - {"connections"}))
def test_every_saved_query_answers_on_generated_data(name: str, whole: dict[str, QueryResult]) -> None:
    result = whole[name]
    assert result.columns == list(catalogue()[name].columns)
    assert len(result) > 0, f"{name} answers nothing on 120 generated projects"
    assert len(rows(result)) == len(set(rows(result))), f"{name} returns duplicate rows"


@pytest.mark.parametrize("name", ["partner-regions", "contacts", "sources", "policy-links"])
def test_one_project_is_exactly_its_rows_of_the_whole_answer(
    name: str, whole: dict[str, QueryResult], generated_store: Store
) -> None:
    everything = whole[name]
    index = everything.columns.index("acronym")
    for acronym in acronyms(everything):
        # The acronym in another case: the parameter matches in any case.
        one = run_query(name, {"project": acronym.swapcase()}, store=generated_store)
        expected = [row for row in rows(everything) if row[index] == acronym]
        assert expected, (name, acronym)
        assert rows(one) == expected, (name, acronym)


def test_one_organisation_is_exactly_its_rows_of_the_whole_answer(
    whole: dict[str, QueryResult], generated_store: Store
) -> None:
    everything = whole["memberships"]
    for organisation in sorted(set(everything.column("organisation"))):
        one = run_query("memberships", {"organisation": str(organisation).upper()}, store=generated_store)
        assert rows(one) == [row for row in rows(everything) if row[0] == organisation], organisation


def test_one_programme_is_exactly_its_rows_of_the_whole_answer(
    whole: dict[str, QueryResult], generated_store: Store
) -> None:
    everything = whole["funding"]
    programmes = sorted({str(p) for p in everything.column("programme") if p is not None})
    assert len(programmes) > 1
    for programme in programmes:
        one = run_query("funding", {"programme": programme.lower()}, store=generated_store)
        assert rows(one) == [row for row in rows(everything) if row[0] == programme], programme


def test_projects_active_on_a_date_have_a_period_that_contains_it(whole: dict[str, QueryResult]) -> None:
    durations = {(row[0], row[1], row[2]) for row in rows(whole["project-durations"])}
    active = rows(whole["active-on"])
    assert active
    for acronym, start, end in active:
        assert (acronym, start, end) in durations
        # A period that contains the day contains it at the bound's own precision.
        assert start is None or str(start) <= DATE["date"][: len(str(start))]


def test_connections_of_one_project_are_pairs_with_that_project(
    whole: dict[str, QueryResult], generated_store: Store
) -> None:
    acronym = acronyms(whole["projects"], (3,))[0]
    pairs = run_query("connections", {"project": acronym.lower()}, store=generated_store)
    assert len(pairs) > 0, acronym
    for row in pairs.rows():
        assert acronym in (row["acronym_a"], row["acronym_b"]), row
        assert row["acronym_a"] <= row["acronym_b"], row


def test_connections_pages_walk_to_exactly_the_whole_answer(generated_store: Store) -> None:
    # The whole query run as one (no walk) against the walk a project name at a time.
    saved = get_query("connections")
    whole = generated_store.select(with_values(saved.text, saved.bind({}))).terms
    assert len(whole) > 20
    assert run_query("connections", store=generated_store, limit=0).terms == whole
    for limit, page in [(7, 1), (7, 2), (100, 1), (100, 2)]:
        result = run_query("connections", store=generated_store, limit=limit, page=page)
        assert result.terms == whole[(page - 1) * limit : page * limit], (limit, page)
        assert result.more == (len(whole) > page * limit)
