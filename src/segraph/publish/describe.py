"""What the pages need to know about every resource, gathered in one pass over the triples.

Each file's triples are read once (with the stable blank-node labels the dumps use), into
outgoing links per subject, incoming links per IRI and the source files stating each
subject. Every page is then built from these dictionaries, never from a query or a scan
of the whole graph, so publishing stays linear in the size of the data.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from rdflib import BNode, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD
from rdflib.term import Node

from segraph.errors import SegraphError
from segraph.load import Role
from segraph.namespaces import BASE, PREFIXES, SCHEMA, SEG
from segraph.publish import html
from segraph.publish.dumps import Prepared
from segraph.publish.rdfwrite import triple_key

# The properties that name a resource, in order of preference for a page's title.
NAMES: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SCHEMA.name, DCTERMS.title)
# The properties whose every value a page lists among the resource's names.
LABELS: tuple[URIRef, ...] = (SKOS.prefLabel, RDFS.label, SKOS.altLabel, SCHEMA.name)
# Short names used when a resource has no name in any language.
FALLBACK_NAMES: tuple[URIRef, ...] = (SEG.acronym, SKOS.notation)
PREFERRED_LANGUAGES: tuple[str, ...] = ("en", "sv")

# A page path becomes a file name and a relative link: plain, unreserved URL characters only.
_SAFE_PATH = re.compile(r"[A-Za-z0-9_~-][A-Za-z0-9._~-]*(/[A-Za-z0-9_~-][A-Za-z0-9._~-]*)*")
_LOCAL = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")
_FOREIGN_NAMESPACES = tuple(namespace for namespace, _ in html.FOREIGN_ROOTS)


def _term_key(node: Node) -> str:
    """A total, stable order on RDF terms of any kind."""
    return node.n3()


@lru_cache(maxsize=1 << 16)
def curie(iri: str) -> str:
    """The IRI as prefix:local with segraph's prefixes (the longest namespace that fits), else itself."""
    fits = [
        (len(namespace), prefix, iri[len(namespace) :])
        for prefix, namespace in PREFIXES.items()
        if iri.startswith(namespace) and _LOCAL.fullmatch(iri[len(namespace) :])
    ]
    if not fits:
        return iri
    _, prefix, local = max(fits)
    return f"{prefix}:{local}"


def language_rank(literal: Literal) -> int:
    """English first, then Swedish, then any other language (or none)."""
    language = (literal.language or "").lower()
    return PREFERRED_LANGUAGES.index(language) if language in PREFERRED_LANGUAGES else len(PREFERRED_LANGUAGES)


@dataclass
class GraphIndex:
    """The graph as dictionaries: who says what about whom, and who links to whom."""

    outgoing: dict[Node, list[tuple[URIRef, Node]]]
    incoming: dict[URIRef, list[tuple[Node, URIRef]]]
    data_sources: dict[Node, list[URIRef]]
    reference_sources: dict[Node, list[URIRef]]
    used_by_data: set[URIRef]
    triple_count: int
    _names: dict[Node, Literal | None] = field(default_factory=dict)

    def values(self, node: Node, predicate: URIRef) -> list[Node]:
        """The objects of ``node``'s triples with ``predicate``, in term order."""
        return [o for p, o in self.outgoing.get(node, ()) if p == predicate]

    def first(self, node: Node, predicate: URIRef) -> Node | None:
        found = self.values(node, predicate)
        return found[0] if found else None

    def types(self, node: Node) -> list[URIRef]:
        return [t for t in self.values(node, RDF.type) if isinstance(t, URIRef)]

    def has_type(self, node: Node, cls: URIRef) -> bool:
        return (RDF.type, cls) in self.outgoing.get(node, ())

    def subjects_of_type(self, cls: URIRef) -> list[Node]:
        """Every subject typed ``cls``, in term order."""
        return sorted((s for s, pairs in self.outgoing.items() if (RDF.type, cls) in pairs), key=_term_key)

    def name(self, node: Node) -> Literal | None:
        """The preferred name: a label in English, else Swedish, else any; then acronym or notation."""
        if node not in self._names:
            self._names[node] = self._choose_name(node)
        return self._names[node]

    def _choose_name(self, node: Node) -> Literal | None:
        pairs = self.outgoing.get(node, ())
        named = [(NAMES.index(p), o) for p, o in pairs if p in NAMES and isinstance(o, Literal)]
        if named:
            return min(named, key=lambda n: (language_rank(n[1]), n[0], n[1].language or "", str(n[1])))[1]
        short = [o for p, o in pairs if p in FALLBACK_NAMES and isinstance(o, Literal)]
        return min(short, key=str) if short else None

    def description(self, node: Node) -> list[tuple[Node, Node, Node]]:
        """The resource's own triples and those of the blank nodes it holds, sorted."""
        found: list[tuple[Node, Node, Node]] = []
        pending, seen = [node], {node}
        while pending:
            subject = pending.pop()
            for predicate, obj in self.outgoing.get(subject, ()):
                found.append((subject, predicate, obj))
                if isinstance(obj, BNode) and obj not in seen:
                    seen.add(obj)
                    pending.append(obj)
        return sorted(found, key=triple_key)

    def sub_properties(self, top: URIRef) -> set[URIRef]:
        """``top`` and every property declared below it with rdfs:subPropertyOf, at any depth."""
        below: dict[Node, list[Node]] = defaultdict(list)
        for subject, pairs in self.outgoing.items():
            for predicate, obj in pairs:
                if predicate == RDFS.subPropertyOf:
                    below[obj].append(subject)
        found, pending = {top}, [top]
        while pending:
            for child in below.get(pending.pop(), ()):
                if isinstance(child, URIRef) and child not in found:
                    found.add(child)
                    pending.append(child)
        return found


def build_index(prepared: Prepared) -> GraphIndex:
    """Read every file's triples once; blank nodes carry the dumps' labels (stable, unique per file)."""
    outgoing: dict[Node, set[tuple[URIRef, Node]]] = defaultdict(set)
    incoming: dict[URIRef, set[tuple[Node, URIRef]]] = defaultdict(set)
    sources: dict[Role, dict[Node, set[URIRef]]] = {Role.DATA: defaultdict(set), Role.REFERENCE: defaultdict(set)}
    used: set[URIRef] = set()
    for source in prepared.files:
        stated = sources.get(source.role)
        for subject, predicate, obj in source.triples:
            outgoing[subject].add((predicate, obj))  # type: ignore[arg-type]
            if isinstance(obj, URIRef):
                incoming[obj].add((subject, predicate))  # type: ignore[arg-type]
            if stated is not None:
                stated[subject].add(source.name)
            if source.role is Role.DATA:
                used.update(t for t in (subject, obj) if isinstance(t, URIRef))
    return GraphIndex(
        outgoing={
            s: sorted(pairs, key=lambda pair: (str(pair[0]), _term_key(pair[1]))) for s, pairs in outgoing.items()
        },
        incoming={
            o: sorted(pairs, key=lambda pair: (_term_key(pair[0]), str(pair[1]))) for o, pairs in incoming.items()
        },
        data_sources={s: sorted(names) for s, names in sources[Role.DATA].items()},
        reference_sources={s: sorted(names) for s, names in sources[Role.REFERENCE].items()},
        used_by_data=used,
        triple_count=len(prepared.union),
    )


def _page_of(iri: URIRef) -> str | None:
    """The page path of an IRI that gets a page of its own, if it is a safe file name in a folder.

    The site's top level belongs to the site itself (index, ontology, queries, catalogue, VoID,
    dumps): a resource there, such as ``…/segraph/graph``, would overwrite one of its files.
    """
    path = html.page_path(str(iri))
    if path is None or "/" not in path or not _SAFE_PATH.fullmatch(path):
        return None
    return path


def paged_resources(index: GraphIndex) -> dict[URIRef, str]:
    """Which IRIs get a page, and where: IRI → page path (without extension), in IRI order.

    segraph's own resources described by data or reference files; the NUTS regions, countries
    and languages the data files use, with the broader regions of those regions.
    """
    own = {
        s for s in (*index.data_sources, *index.reference_sources) if isinstance(s, URIRef) and str(s).startswith(BASE)
    }
    foreign = {iri for iri in index.used_by_data if str(iri).startswith(_FOREIGN_NAMESPACES) and iri in index.outgoing}
    pending = list(foreign)
    while pending:
        for broader in index.values(pending.pop(), SKOS.broader):
            if isinstance(broader, URIRef) and broader not in foreign and broader in index.outgoing:
                foreign.add(broader)
                pending.append(broader)
    pages: dict[URIRef, str] = {}
    owners: dict[str, URIRef] = {}
    for iri in sorted(own | foreign):
        path = _page_of(iri)
        if path is None:
            continue
        if path in owners:
            raise SegraphError(f"{owners[path]} and {iri} would share the page {path}.html")
        owners[path] = iri
        pages[iri] = path
    return pages


@dataclass(frozen=True)
class Shown:
    """A term as a page shows it: text (with its language), a link, a datatype, or a blank node's rows."""

    text: str
    href: str | None = None
    short: str | None = None
    lang: str | None = None
    datatype: str | None = None
    rows: tuple[Row, ...] = ()


@dataclass(frozen=True)
class Row:
    """One property of a resource and all its values."""

    property: Shown
    values: tuple[Shown, ...]


# Links to other sites are only ever web links: a data IRI such as javascript:… is shown, never linked.
_WEB = ("http://", "https://")


@dataclass(frozen=True)
class Presenter:
    """Shows terms as seen from one page: relative links to the site's pages, else the IRI itself."""

    index: GraphIndex
    pages: dict[URIRef, str]
    page: str

    def href(self, iri: URIRef) -> str | None:
        if iri in self.pages or html.page_path(str(iri)) == html.ONTOLOGY_PAGE:
            return html.link(self.page, str(iri))
        return str(iri) if str(iri).startswith(_WEB) else None

    def term(self, node: Node, seen: frozenset[Node] = frozenset()) -> Shown:
        """An IRI as its name linked to its page; a literal with its language or datatype; a blank node's rows."""
        if isinstance(node, Literal):
            datatype = None if node.datatype in (None, XSD.string) else curie(str(node.datatype))
            return Shown(text=str(node), lang=node.language, datatype=datatype)
        if isinstance(node, URIRef):
            name = self.index.name(node)
            short = curie(str(node))
            text = str(name) if name is not None else short
            return Shown(text=text, href=self.href(node), short=short, lang=name.language if name is not None else None)
        if node in seen:
            return Shown(text="(blank node, shown above)")
        return Shown(text="(blank node)", rows=self.rows(node, (), seen | {node}))

    def rows(self, node: Node, skip: tuple[URIRef, ...], seen: frozenset[Node] = frozenset()) -> tuple[Row, ...]:
        """Every property of ``node`` but those in ``skip``, each with its values, sorted for reading."""
        grouped: dict[URIRef, list[Shown]] = defaultdict(list)
        for predicate, obj in self.index.outgoing.get(node, ()):
            if predicate in skip:
                continue
            grouped[predicate].append(self.term(obj, seen))
        shown = [(self.term(p), sorted(v, key=_reading_order)) for p, v in grouped.items()]
        return tuple(Row(p, tuple(v)) for p, v in sorted(shown, key=lambda row: _reading_order(row[0])))

    def terms(self, nodes: list[Node]) -> tuple[Shown, ...]:
        """Several terms, in reading order."""
        return tuple(sorted((self.term(n) for n in nodes), key=_reading_order))


def _reading_order(shown: Shown) -> tuple[str, str, str, str]:
    return (shown.text.casefold(), shown.text, shown.lang or "", shown.short or shown.datatype or "")
