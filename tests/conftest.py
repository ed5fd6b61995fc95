"""Shared fixtures: the shipped graph is loaded and validated once per test session."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from oxigraph_server import OxigraphServer, oxigraph_server

from segraph.load import Corpus, load_corpus
from segraph.serve import SiteServer
from segraph.store import EmbeddedStore, PersistentStore, RemoteStore, Store
from segraph.validate import ValidationReport, validate_corpus

REPO_ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture(scope="session")
def shipped_corpus() -> Corpus:
    """Ontology, reference data and data/ as shipped. Read-only: never modify it in a test."""
    return load_corpus()


@pytest.fixture(scope="session")
def shipped_report(shipped_corpus: Corpus) -> ValidationReport:
    return validate_corpus(shipped_corpus)


@pytest.fixture(scope="session")
def embedded_store(shipped_corpus: Corpus) -> EmbeddedStore:
    return EmbeddedStore(shipped_corpus)


@pytest.fixture(scope="session")
def oxigraph(shipped_corpus: Corpus) -> Iterator[OxigraphServer]:
    """A real Oxigraph server on 127.0.0.1 holding the shipped graph, one named graph per file."""
    with oxigraph_server() as server:
        server.post_nquads(EmbeddedStore(shipped_corpus).nquads())
        yield server


@pytest.fixture(scope="session")
def oxigraph_store(oxigraph: OxigraphServer) -> RemoteStore:
    return RemoteStore(oxigraph.query_url)


@pytest.fixture(scope="session")
def persistent_store(tmp_path_factory: pytest.TempPathFactory) -> PersistentStore:
    """The shipped graph in a store on disk, made by `segraph load` as a user would."""
    from click.testing import CliRunner

    from segraph.cli import main

    folder = tmp_path_factory.mktemp("store") / "shipped"
    result = CliRunner().invoke(main, ["load", "--store", str(folder), "--no-progress"])
    assert result.exit_code == 0, (result.output, result.exception)
    return PersistentStore.open(folder)


@pytest.fixture(scope="session", params=["embedded", "persistent", "oxigraph"])
def store(request: pytest.FixtureRequest) -> Store:
    """Each saved-query test runs three times: embedded, in a store on disk, and on a real Oxigraph endpoint."""
    if request.param == "embedded":
        return request.getfixturevalue("embedded_store")  # type: ignore[no-any-return]
    if request.param == "persistent":
        return request.getfixturevalue("persistent_store")  # type: ignore[no-any-return]
    server: OxigraphServer = request.getfixturevalue("oxigraph")
    return RemoteStore(server.query_url)


@pytest.fixture(scope="session")
def published_site(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> Path:
    """The shipped data published once, for the tests that serve or browse the site."""
    from segraph.publish import publish

    out = tmp_path_factory.mktemp("published") / "site"
    publish(shipped_corpus, out)
    return out


@pytest.fixture(scope="session")
def site_server(published_site: Path, shipped_corpus: Corpus) -> Iterator[SiteServer]:
    """`segraph serve`'s server over the published site, on 127.0.0.1, stopped at the end."""
    running = SiteServer(published_site, EmbeddedStore(shipped_corpus).oxigraph)
    running.start()
    yield running
    running.close()
