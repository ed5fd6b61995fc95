"""What every HTML page of the site shares: where a resource's page lives, links, templates.

A segraph IRI's page sits at the IRI's own path under the site (``…/project/silk`` →
``project/silk.html``), so that a web server maps the IRI to its page (see conneg.py).
Resources named by others' IRIs (NUTS regions, EU authority tables) get pages under
``region/`` and ``authority/``. Links between pages are relative so the site works from
any folder, offline, opened straight from disk.
"""

from __future__ import annotations

import json
import posixpath
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from segraph.namespaces import BASE, COUNTRY, LANGUAGE, NUTS

ONTOLOGY_PAGE = "ontology"
QUERIES_PAGE = "queries"
INDEX_PAGE = "index"

# Other publishers' IRIs that the graph describes, and where their pages sit in the site.
FOREIGN_ROOTS: tuple[tuple[str, str], ...] = (
    (str(NUTS), "region/"),
    (str(COUNTRY), "authority/country/"),
    (str(LANGUAGE), "authority/language/"),
)


def page_path(iri: str) -> str | None:
    """The site path of an IRI's page, without extension; None for IRIs the site has no page for.

    Ontology terms (``…/ontology#Project``) share the ontology page and are told apart by anchor.
    """
    if iri.startswith(BASE):
        local = iri[len(BASE) :]
        if local.startswith("ontology#") or local == "ontology":
            return ONTOLOGY_PAGE
        if not local or "#" in local or "?" in local or local.endswith("/"):
            return None
        return local
    for namespace, root in FOREIGN_ROOTS:
        if iri.startswith(namespace) and len(iri) > len(namespace):
            code = iri[len(namespace) :]
            if "/" not in code and "#" not in code:
                return root + code
    return None


def link(from_page: str, iri: str, suffix: str = ".html") -> str:
    """The relative link from one page to an IRI: its page in the site if it has one, else the IRI."""
    target = page_path(iri)
    if target is None:
        return iri
    anchor = ""
    if target == ONTOLOGY_PAGE and "#" in iri:
        anchor = "#" + iri.split("#", 1)[1]
    return relative(from_page, target + suffix) + anchor


def relative(from_page: str, to_file: str) -> str:
    """A link from the page ``from_page`` (site path without extension) to a file of the site.

    What ``posixpath.relpath`` gives for two site paths (no ``..`` in either), without its
    calls to ``abspath``: a site links hundreds of thousands of times.
    """
    start = posixpath.dirname(from_page)
    start_parts = start.split("/") if start else []
    path_parts = to_file.split("/")
    common = 0
    for here, there in zip(start_parts, path_parts, strict=False):
        if here != there:
            break
        common += 1
    steps = [".."] * (len(start_parts) - common) + path_parts[common:]
    return "/".join(steps) if steps else "."


def root_of(page: str) -> str:
    """The relative prefix from a page to the site root ('' for top-level pages)."""
    depth = page.count("/")
    return "../" * depth


class JsonText(str):
    """JSON already written with the site's settings (indent 2, keys sorted), e.g. a .jsonld file's text."""

    __slots__ = ()


def json_for_script(value: Any) -> Markup:
    """JSON safe to embed in ``<script type="application/ld+json">``: ``<``, ``>`` and ``&`` escaped.

    JSON allows ``\\u003c`` wherever ``<`` appears in a string, so ``</script>`` in a literal
    can never end the script element.
    """
    text = value if isinstance(value, JsonText) else json.dumps(value, indent=2, sort_keys=True, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text)  # noqa: S704 - escaped above for the script context


@cache
def environment() -> Environment:
    """Jinja2 with autoescaping on for every template: data never reaches a page unescaped."""
    env = Environment(
        loader=PackageLoader("segraph.publish", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["json_script"] = json_for_script
    return env
