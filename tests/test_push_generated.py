"""`segraph push` of a generated programme database to a real Oxigraph server, then the saved queries through
``--endpoint``: the same rows as the persistent store built from the same files (issue 6, beyond one machine).

The graph is small (150 generated projects plus the shipped data) so CI stays quick; the point is that a
generated export travels through the Graph Store Protocol intact and that every saved query, whole-graph and
for one project, answers the same on the server as on the local store.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from oxigraph_server import OxigraphServer, oxigraph_server
from script_import import import_script

from segraph import paths
from segraph.cli import main
from segraph.errors import LoadError
from segraph.push import push
from segraph.queries import catalogue
from segraph.results import QueryResult
from segraph.run import run_query
from segraph.store import PersistentStore, RemoteStore, source_files

GENERATE = Path(__file__).resolve().parent.parent / "benchmarks" / "generate.py"
DATE = {"date": "2021-06-15"}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("generated") / "projects.nt"
    import_script(GENERATE).generate(150, data, seed=6)
    return data


@pytest.fixture(scope="module")
def server(generated: Path) -> Iterator[OxigraphServer]:
    """A fresh Oxigraph server holding the shipped data and the generated file, pushed by the command."""
    with oxigraph_server() as running:
        result = CliRunner().invoke(
            main, ["push", "--endpoint", running.store_url, str(paths.data_dir()), str(generated)]
        )
        assert result.exit_code == 0, result.output
        yield running


@pytest.fixture(scope="module")
def local(generated: Path, tmp_path_factory: pytest.TempPathFactory) -> PersistentStore:
    return PersistentStore.build(tmp_path_factory.mktemp("store") / "store", [paths.data_dir(), generated])


def test_the_push_reports_one_graph_per_file_with_the_local_counts(
    server: OxigraphServer, local: PersistentStore
) -> None:
    remote = RemoteStore(server.query_url)
    assert remote.graphs() == {f.graph: f.triples for f in local.files}
    assert remote.count() == local.count()


def _case(name: str, first_acronym: str) -> dict[str, str]:
    if name == "active-on":
        return DATE
    parameters = catalogue()[name].params
    return {"project": first_acronym} if "project" in parameters else {}


def _same(name: str, params: dict[str, str], remote: RemoteStore, local: PersistentStore) -> QueryResult:
    there = run_query(name, params, store=remote, limit=0)
    here = run_query(name, params, store=local, limit=0)
    assert there.columns == here.columns
    assert there.rows() == here.rows(), f"{name} {params}: the server's rows differ from the local store's"
    return here


@pytest.mark.parametrize("name", sorted(catalogue()))
def test_every_saved_query_answers_the_same_through_the_endpoint(
    name: str, server: OxigraphServer, local: PersistentStore
) -> None:
    remote = RemoteStore(server.query_url)
    acronym = str(run_query("projects", store=local).column("acronym")[-1])  # a generated project (ZI…)
    if name != "connections":
        whole = _same(name, DATE if name == "active-on" else {}, remote, local)
        assert len(whole) > 0, f"{name} has no rows on 150 generated projects"
    case = _case(name, acronym)
    if case and name != "active-on":
        one = _same(name, case, remote, local)
        assert len(one) > 0, f"{name} has no rows for {case}"


def test_a_file_that_does_not_parse_stops_the_push_before_any_upload_naming_file_and_line(
    tmp_path: Path,
) -> None:
    broken = tmp_path / "broken.nt"
    broken.write_text("<urn:a> <urn:b> <urn:c> .\n<urn:a> <urn:b> oops .\n", encoding="utf-8")
    with oxigraph_server() as running:
        with pytest.raises(LoadError) as error:
            push(source_files([broken]), running.store_url)
        assert error.value.line == 2 and error.value.path.endswith("broken.nt")
        result = CliRunner().invoke(main, ["push", "--endpoint", running.store_url, str(broken)])
        assert result.exit_code == 2 and "broken.nt:2" in result.output
        assert RemoteStore(running.query_url).count() == 0
