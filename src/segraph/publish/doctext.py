"""What the documentation pages share: displayed values, links between pages, writing a page.

Values reach the templates as small records (``Part``: a text, a link or a language-tagged
phrase) and are escaped there by Jinja2; nothing here writes HTML.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.term import Node

from segraph.namespaces import PREFIXES
from segraph.publish import html


@dataclass(frozen=True)
class Part:
    """One piece of a displayed value: plain text, a link (href) or a phrase in a language."""

    text: str
    href: str = ""
    title: str = ""
    lang: str = ""


Value = tuple[Part, ...]


@dataclass(frozen=True)
class Field:
    """A named row of a description: its values, in display order."""

    name: str
    values: tuple[Value, ...]


class Linker:
    """Turns RDF terms into displayed parts: CURIEs, links relative to one page, anchors on it.

    Only IRIs the data or reference files describe link to a page of the site (``described``): an
    IRI that merely sits under the site's base, such as the ontology's version IRI, has no page
    and links to itself.
    """

    def __init__(
        self, page: str, namespaces: Iterable[tuple[str, str]], described: frozenset[str], anchors: Iterable[str] = ()
    ) -> None:
        self.page = page
        self._namespaces = sorted(namespaces, key=lambda pair: (-len(pair[1]), pair))
        self._described = described
        self._anchors = frozenset(anchors)

    def on_page(self, page: str, anchors: Iterable[str] = ()) -> Linker:
        """The same prefixes and pages, for links from another page with its own anchors."""
        return Linker(page, self._namespaces, self._described, anchors)

    def namespace(self, iri: str) -> tuple[str, str] | None:
        """The (prefix, namespace) an IRI can be abbreviated with, if any."""
        for prefix, namespace in self._namespaces:
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and local and "/" not in local and "#" not in local:
                return prefix, namespace
        return None

    def curie(self, iri: str) -> str:
        """``prefix:local`` for an IRI in a known namespace, else the IRI itself."""
        known = self.namespace(iri)
        return iri if known is None else f"{known[0]}:{iri[len(known[1]) :]}"

    def href(self, iri: str) -> str:
        """An anchor for a term documented on this page, the page of a site resource, else the IRI."""
        if iri in self._anchors:
            return "#" + local_name(iri)
        return html.link(self.page, iri) if iri in self._described else iri

    def ref(self, iri: str) -> Part:
        return Part(self.curie(iri), href=self.href(iri), title=iri)

    def value(self, node: Node) -> Value:
        if isinstance(node, URIRef):
            return (self.ref(str(node)),)
        if isinstance(node, Literal):
            return (Part(str(node), lang=node.language or ""),)
        return (Part("(an anonymous class or node, see the Turtle source)"),)


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``: a term's anchor on the ontology page."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def namespaces(*graphs: Graph) -> list[tuple[str, str]]:
    """segraph's prefixes, then those the files declare for other namespaces (eurio:, vann:, …)."""
    chosen = {namespace: prefix for prefix, namespace in PREFIXES.items()}
    for graph in graphs:
        for prefix, namespace in sorted(graph.namespaces()):
            chosen.setdefault(str(namespace), prefix)
    return sorted((prefix, namespace) for namespace, prefix in chosen.items())


def write_text(out: Path, relative: str, text: str) -> str:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return relative


def render(template: str, page: str, **context: Any) -> str:
    return html.environment().get_template(template).render(root=html.root_of(page), **context)


def values(linker: Linker, nodes: Iterable[Node]) -> tuple[Value, ...]:
    """Distinct values in a stable order: English text first, then other languages, then IRIs by CURIE."""

    def order(node: Node) -> tuple[int, str, str]:
        rank, language, text = node_order(node)
        return rank, language, linker.curie(text) if isinstance(node, URIRef) else text

    return tuple(linker.value(node) for node in sorted(set(nodes), key=order))


def node_order(node: Node) -> tuple[int, str, str]:
    if isinstance(node, Literal):
        language = node.language or ""
        return (0 if language == "en" else 1 if language else 2, language, str(node))
    return (3, "", str(node)) if isinstance(node, URIRef) else (4, "", "")


def best_text(graph: Graph, subject: Node, predicates: tuple[URIRef, ...]) -> str:
    """The English text of the first predicate that has one, else any text, else ''."""
    texts = sorted((o for p in predicates for o in graph.objects(subject, p) if isinstance(o, Literal)), key=node_order)
    return str(texts[0]) if texts else ""
