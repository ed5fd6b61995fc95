"""The published site in a real headless browser (Debian's chromium, driven by Playwright).

The site is served by `segraph serve`'s server on 127.0.0.1 and also opened straight from
disk: pages must render with no console error, no failed request, and no request leaving
the machine (no CDN).
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from segraph.load import Corpus
from segraph.serve import SiteServer

playwright = pytest.importorskip("playwright.sync_api")

# As root in a container, without a screen and with no network beyond loopback.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PROBLEMS = ("error", "warning")


def chromium_binary() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed (.ci/run installs Debian's chromium)")
        pytest.skip("chromium is not installed")
    return found


@pytest.fixture(scope="module")
def site(published_site: Path) -> Path:
    return published_site


@pytest.fixture(scope="module")
def server(site_server: SiteServer) -> SiteServer:
    return site_server


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_binary()
    with playwright.sync_playwright() as driver:
        launched = driver.chromium.launch(executable_path=executable, args=CHROMIUM_FLAGS)
        yield launched
        launched.close()


@dataclass
class Visit:
    """A page as the browser saw it, and everything that went wrong on the way."""

    page: Any
    problems: list[str] = field(default_factory=list)
    requested: list[str] = field(default_factory=list)


@pytest.fixture
def open_page(browser: Any) -> Iterator[Callable[[str], Visit]]:
    """Open a URL in a fresh tab, recording console errors, failed requests and every URL requested."""
    pages: list[Any] = []

    def opener(url: str) -> Visit:
        page = browser.new_page()
        pages.append(page)
        seen = Visit(page)
        page.on(
            "console", lambda m: seen.problems.append(f"console {m.type}: {m.text}") if m.type in PROBLEMS else None
        )
        page.on("pageerror", lambda e: seen.problems.append(f"page error: {e}"))
        page.on("requestfailed", lambda r: seen.problems.append(f"failed: {r.url}"))
        page.on("response", lambda r: seen.problems.append(f"HTTP {r.status}: {r.url}") if r.status >= 400 else None)
        page.on("request", lambda r: seen.requested.append(r.url))
        page.goto(url, wait_until="load")
        return seen

    yield opener
    for page in pages:
        page.close()


def local_only(seen: Visit, prefix: str) -> list[str]:
    return [url for url in seen.requested if not url.startswith(prefix) and not url.startswith("data:")]


def test_index_renders_counts_and_both_views(open_page: Any, server: SiteServer, shipped_corpus: Corpus) -> None:
    seen = open_page(server.url)
    assert seen.problems == []
    assert local_only(seen, server.url) == []
    page = seen.page
    assert "segraph" in page.title()
    svgs = page.locator("main svg")
    assert svgs.count() >= 2
    for index in range(svgs.count()):
        box = svgs.nth(index).bounding_box()
        assert box is not None and box["width"] > 100 and box["height"] > 50
    text = page.inner_text("main")
    for acronym in ("SILK", "RaiSE", "RESEES"):
        assert acronym in text


def test_a_project_iri_opens_its_page(open_page: Any, server: SiteServer) -> None:
    seen = open_page(server.url + "project/resees")
    assert seen.problems == []
    assert local_only(seen, server.url) == []
    text = seen.page.inner_text("main")
    assert "RESEES" in text
    assert "2027" in text
    script = seen.page.locator('script[type="application/ld+json"]').text_content()
    described = json.dumps(json.loads(script))
    assert "https://w3id.org/segraph/project/resees" in described or "project:resees" in described


def test_following_a_link_from_the_index_reaches_the_project(open_page: Any, server: SiteServer) -> None:
    seen = open_page(server.url)
    seen.page.locator('main a[href$="project/silk.html"]').first.click()
    seen.page.wait_for_load_state("load")
    assert seen.page.url.endswith("/project/silk.html")
    assert "SILK" in seen.page.inner_text("h1")
    assert seen.problems == []


@pytest.mark.parametrize("path", ["ontology.html", "queries.html", "queries/projects.html"])
def test_documentation_pages_render(open_page: Any, server: SiteServer, path: str) -> None:
    seen = open_page(server.url + path)
    assert seen.problems == []
    assert seen.page.locator("h1").count() == 1


def test_the_site_works_offline_from_disk(open_page: Any, site: Path) -> None:
    seen = open_page((site / "project" / "silk.html").as_uri())
    assert seen.problems == []
    assert local_only(seen, site.as_uri()) == []
    assert "SILK" in seen.page.inner_text("h1")
