"""What keeps a big site linear: no query samples on big graphs, drawings of the first projects only."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from segraph.load import Corpus
from segraph.publish import pages, query_doc
from segraph.publish.config import PublishConfig
from segraph.publish.docs import write_docs
from segraph.publish.dumps import prepare, write_dumps


def test_query_pages_run_no_sample_on_a_big_graph(
    monkeypatch: pytest.MonkeyPatch, shipped_corpus: Corpus, tmp_path: Path
) -> None:
    monkeypatch.setattr(query_doc, "SAMPLE_MAX_TRIPLES", 1000)
    write_docs(shipped_corpus, PublishConfig(), tmp_path)
    text = (tmp_path / "queries" / "projects.html").read_text(encoding="utf-8")
    sample = text.split('id="sample"', 1)[1]
    assert f"the graph holds {len(shipped_corpus.union):,} triples" in sample
    assert "graphs of up to 1,000" in sample and 'class="results"' not in sample


def test_query_pages_run_samples_on_the_shipped_graph(shipped_corpus: Corpus) -> None:
    assert len(shipped_corpus.union) <= query_doc.SAMPLE_MAX_TRIPLES


@pytest.fixture(scope="module")
def capped_site(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> Path:
    """The shipped data's pages with the caps of a big graph: two projects drawn, two links listed."""
    out = tmp_path_factory.mktemp("capped")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(pages, "DRAWN_PROJECTS", 2)
        patch.setattr(pages, "INCOMING_SHOWN", 2)
        prepared = prepare(shipped_corpus)
        pages.write_pages(shipped_corpus, prepared, write_dumps(prepared, out), PublishConfig(), out)
    return out


def test_the_drawings_show_the_first_projects_by_name(capped_site: Path) -> None:
    text = (capped_site / "index.html").read_text(encoding="utf-8")
    timeline = text.split('<svg class="timeline"', 1)[1].split("</figure>", 1)[0]
    network = text.split('<svg class="network"', 1)[1].split("</figure>", 1)[0]
    assert timeline.count('<g class="lane">') + timeline.count("No period stated for") <= 2
    assert network.count('<circle class="project"') == 2
    projects = text.split('id="projects"', 1)[1].split("</table>", 1)[0].count("<tr>") - 1  # less the header
    assert projects > 2
    assert f"The first 2 of the {projects:,} projects by name" in timeline
    assert f"The first 2 of the {projects:,} projects by name" in network


def test_a_page_lists_the_first_links_to_it(capped_site: Path) -> None:
    text = (capped_site / "document" / "resees.html").read_text(encoding="utf-8")
    incoming = text.split('id="incoming"', 1)[1].split("</section>", 1)[0]
    assert incoming.count("<tr>") == 3  # the header and two links
    assert re.search(r"The first 2 of [0-9,]+ pages linking here", incoming)
