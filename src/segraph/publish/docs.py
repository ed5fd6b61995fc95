"""The site's documentation pages: the ontology, and the saved-query catalogue with sample results.

Both are generated from the files they document (``ontology/segraph.ttl``, ``ontology/shapes.ttl``,
``queries/*.rq``), so the pages cannot drift from what segraph validates and runs. Values reach the
templates as small records (``Part``: a text, a link or a language-tagged phrase) and are escaped
there by Jinja2; nothing here writes HTML.
"""

from __future__ import annotations

import itertools
import shlex
import shutil
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import RDF, BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, RDFS, SH, SKOS, VANN, XSD
from rdflib.term import Node

from segraph import paths
from segraph.errors import QueryError, SegraphError, UsageError
from segraph.load import Corpus, Role, parse_shared
from segraph.namespaces import PREFIXES, SCHEMA, SEG
from segraph.publish import html
from segraph.publish.config import PublishConfig
from segraph.queries import Parameter, SavedQuery, catalogue, with_values
from segraph.results import QueryResult
from segraph.store import EmbeddedStore

SAMPLE_ROWS = 20
SAMPLE_TRIES = 100  # values tried for a required parameter before showing an empty sample

# Each kind of term: its OWL type, the id and heading of its part of the page, and one term's kind.
KINDS: tuple[tuple[URIRef, str, str, str], ...] = (
    (OWL.Class, "classes", "Classes", "class"),
    (OWL.ObjectProperty, "object-properties", "Object properties", "object property"),
    (OWL.DatatypeProperty, "datatype-properties", "Datatype properties", "datatype property"),
    (OWL.AnnotationProperty, "annotation-properties", "Annotation properties", "annotation property"),
)

ONTOLOGY_FIELDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Title", (DCTERMS.title, RDFS.label)),
    ("Description", (DCTERMS.description, RDFS.comment)),
    ("Version", (OWL.versionInfo,)),
    ("Version IRI", (OWL.versionIRI,)),
    ("Previous version", (OWL.priorVersion,)),
    ("Licence", (DCTERMS.license, DCTERMS.rights)),
    ("Creators", (DCTERMS.creator,)),
    ("Contributors", (DCTERMS.contributor,)),
    ("Publisher", (DCTERMS.publisher,)),
    ("Issued", (DCTERMS.issued,)),
    ("Modified", (DCTERMS.modified,)),
    ("Namespace", (VANN.preferredNamespaceUri,)),
    ("Preferred prefix", (VANN.preferredNamespacePrefix,)),
    ("Imports", (OWL.imports,)),
    ("See also", (RDFS.seeAlso,)),
)

TERM_FIELDS: tuple[tuple[str, tuple[URIRef, ...]], ...] = (
    ("Labels", (RDFS.label, SKOS.prefLabel)),
    ("Alternative labels", (SKOS.altLabel,)),
    ("Definition", (SKOS.definition,)),
    ("Comment", (RDFS.comment,)),
    ("Example", (SKOS.example,)),
    ("Note", (SKOS.note, SKOS.scopeNote, SKOS.editorialNote)),
    ("Superclasses", (RDFS.subClassOf,)),
    ("Superproperties", (RDFS.subPropertyOf,)),
    ("Equivalent to", (OWL.equivalentClass, OWL.equivalentProperty, OWL.sameAs)),
    ("Disjoint with", (OWL.disjointWith,)),
    ("Domain", (RDFS.domain,)),
    ("Range", (RDFS.range,)),
    ("Inverse of", (OWL.inverseOf,)),
    ("Exact match", (SKOS.exactMatch,)),
    ("Close match", (SKOS.closeMatch,)),
    ("Broad match", (SKOS.broadMatch,)),
    ("Narrow match", (SKOS.narrowMatch,)),
    ("Related match", (SKOS.relatedMatch,)),
    ("See also", (RDFS.seeAlso,)),
)

# Statements about a term the page shows elsewhere (its kind) or that only repeat the page (isDefinedBy).
_SHOWN_ELSEWHERE = {RDF.type, RDFS.isDefinedBy}

# SHACL terms that structure a shape rather than constrain values.
_SHAPE_STRUCTURE = {
    SH.path, SH.message, SH.severity, SH.name, SH.description, SH.property, SH.targetClass, SH.targetNode,
    SH.targetSubjectsOf, SH.targetObjectsOf, SH.deactivated, SH.order, SH.group, SH.minCount, SH.maxCount,
    SH.prefixes, SH.declare, RDF.type, RDFS.label, RDFS.comment,
}  # fmt: skip

_COMPARISONS: dict[Node, str] = {SH.minInclusive: "≥", SH.minExclusive: ">", SH.maxInclusive: "≤", SH.maxExclusive: "<"}
_NODE_KINDS: dict[Node, str] = {
    SH.IRI: "an IRI",
    SH.Literal: "a literal",
    SH.BlankNode: "a blank node",
    SH.BlankNodeOrIRI: "an IRI or blank node",
    SH.BlankNodeOrLiteral: "a blank node or literal",
    SH.IRIOrLiteral: "an IRI or literal",
}
_PATH_SUFFIXES = {SH.zeroOrMorePath: "*", SH.oneOrMorePath: "+", SH.zeroOrOnePath: "?"}
_DATES = {XSD.date, XSD.dateTime, XSD.gYearMonth, XSD.gYear}


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


@dataclass(frozen=True)
class Requirement:
    """What one SHACL shape asks of a path (or of the instance itself, when path is empty)."""

    path: Value
    count: str
    constraints: tuple[Value, ...]
    severity: str
    message: str


@dataclass(frozen=True)
class ShapeDoc:
    """A node shape that targets a class, with its requirements."""

    name: str
    curie: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class TermDoc:
    """One class or property of the ontology, as its section on the ontology page."""

    anchor: str
    iri: str
    curie: str
    label: str
    kind: str
    fields: tuple[Field, ...]
    shapes: tuple[ShapeDoc, ...]


@dataclass(frozen=True)
class Sample:
    """A saved query's answer on the published graph: the first rows, and the values chosen for it."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    total: int
    chosen: tuple[tuple[str, str], ...]


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


def write_docs(corpus: Corpus, config: PublishConfig, out: Path) -> list[str]:
    """Write ontology.html, queries.html and one page plus the .rq file per saved query.

    Returns the written files, relative to ``out``, sorted.
    """
    ontology = next(f.graph for f in corpus.files if f.role is Role.ONTOLOGY)
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    described = frozenset(
        str(s) for f in corpus.files if f.role is not Role.ONTOLOGY for s in f.graph.subjects() if isinstance(s, URIRef)
    )
    site = Linker("", _namespaces(ontology, shapes), described)
    written = [_write(out, "ontology.html", _ontology_page(ontology, shapes, site))]
    return sorted(written + _write_queries(corpus, config, site, out))


def _write_queries(corpus: Corpus, config: PublishConfig, site: Linker, out: Path) -> list[str]:
    """queries.html, and for each saved query its page and a byte-for-byte copy of its .rq file."""
    queries = catalogue()
    page_text = _render(
        "queries.html.j2",
        html.QUERIES_PAGE,
        title="Saved queries",
        queries=queries,
        jsonld={
            "@context": {"schema": str(SCHEMA)},
            "@id": config.url("queries.html"),
            "@type": "schema:Collection",
            "schema:name": "segraph saved SPARQL queries",
            "schema:hasPart": [_query_jsonld(query, config) for query in queries.values()],
        },
    )
    written = [_write(out, "queries.html", page_text)]
    store = EmbeddedStore(corpus)
    for query in queries.values():
        page = f"queries/{query.name}"
        sample = _sample(query, corpus, store, site.on_page(page))
        commands = _commands(query, sample, config)
        text = _render(
            "query.html.j2",
            page,
            title=query.name,
            query=query,
            sample=sample,
            commands=commands,
            jsonld={"@context": {"schema": str(SCHEMA)}, **_query_jsonld(query, config)},
            alternates=[(query.path.name, "application/sparql-query")],
        )
        written.append(_write(out, page + ".html", text))
        shutil.copyfile(query.path, out / "queries" / query.path.name)
        written.append(f"queries/{query.path.name}")
    return written


def _query_jsonld(query: SavedQuery, config: PublishConfig) -> dict[str, Any]:
    """A saved query as schema.org source code: what it answers and where its .rq file is."""
    return {
        "@id": config.url(f"queries/{query.path.name}"),
        "@type": "schema:SoftwareSourceCode",
        "schema:name": query.name,
        "schema:description": query.summary,
        "schema:programmingLanguage": "SPARQL",
        "schema:keywords": list(query.tags),
        "schema:encodingFormat": "application/sparql-query",
    }


def local_name(iri: str) -> str:
    """The part after the last ``#`` or ``/``: a term's anchor on the ontology page."""
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rsplit("/", 1)[-1]


def _namespaces(*graphs: Graph) -> list[tuple[str, str]]:
    """segraph's prefixes, then those the files declare for other namespaces (eurio:, vann:, …)."""
    chosen = {namespace: prefix for prefix, namespace in PREFIXES.items()}
    for graph in graphs:
        for prefix, namespace in sorted(graph.namespaces()):
            chosen.setdefault(str(namespace), prefix)
    return sorted((prefix, namespace) for namespace, prefix in chosen.items())


def _write(out: Path, relative: str, text: str) -> str:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(text, encoding="utf-8")
    return relative


def _render(template: str, page: str, **context: Any) -> str:
    return html.environment().get_template(template).render(root=html.root_of(page), **context)


# --- The ontology page ---------------------------------------------------------------------------


def _ontology_page(ontology: Graph, shapes: Graph, site: Linker) -> str:
    header = next(s for s in ontology.subjects(RDF.type, OWL.Ontology) if isinstance(s, URIRef))
    terms = {kind: _declared(ontology, kind) for kind, _, _, _ in KINDS}
    linker = site.on_page(html.ONTOLOGY_PAGE, anchors=[iri for group in terms.values() for iri in group])
    groups = [
        (anchor, heading, [_term(ontology, shapes, linker, URIRef(iri), name) for iri in terms[kind]])
        for kind, anchor, heading, name in KINDS
    ]
    return _render(
        "ontology.html.j2",
        html.ONTOLOGY_PAGE,
        title=_best_text(ontology, header, (DCTERMS.title, RDFS.label)) or str(header),
        iri=str(header),
        fields=_fields(ontology, header, ONTOLOGY_FIELDS, linker),
        groups=[group for group in groups if group[2]],
        jsonld=_jsonld(ontology, header, linker),
        alternates=[("ontology.ttl", "text/turtle")],
    )


def _declared(ontology: Graph, kind: URIRef) -> list[str]:
    """The terms of one kind the ontology declares, by local name (then IRI)."""
    iris = {str(s) for s in ontology.subjects(RDF.type, kind) if isinstance(s, URIRef)}
    return sorted(iris, key=lambda iri: (local_name(iri).lower(), local_name(iri), iri))


def _term(ontology: Graph, shapes: Graph, linker: Linker, term: URIRef, kind: str) -> TermDoc:
    fields = _fields(ontology, term, TERM_FIELDS, linker)
    reverse = [
        ("Subclasses", _values(linker, ontology.subjects(RDFS.subClassOf, term))),
        ("Subproperties", _values(linker, ontology.subjects(RDFS.subPropertyOf, term))),
        ("Inverse of", _values(linker, ontology.subjects(OWL.inverseOf, term))),
        ("Properties with this domain", _values(linker, ontology.subjects(RDFS.domain, term))),
        ("Properties with this range", _values(linker, ontology.subjects(RDFS.range, term))),
        ("Characteristics", _values(linker, _characteristics(ontology, term))),
    ]
    merged = _merge(fields, [Field(name, values) for name, values in reverse if values])
    return TermDoc(
        anchor=local_name(str(term)),
        iri=str(term),
        curie=linker.curie(str(term)),
        label=_best_text(ontology, term, (RDFS.label, SKOS.prefLabel)) or local_name(str(term)),
        kind=kind,
        fields=merged,
        shapes=_shapes_of(shapes, term, linker),
    )


def _characteristics(ontology: Graph, term: URIRef) -> Iterator[Node]:
    """The term's OWL types beyond its kind: functional, transitive, symmetric, …"""
    kinds = {kind for kind, _, _, _ in KINDS}
    return (t for t in ontology.objects(term, RDF.type) if t not in kinds)


def _merge(fields: list[Field], more: list[Field]) -> tuple[Field, ...]:
    """Fields in order; a computed field with a stated field's name joins its values, without repeats."""
    by_name = {field.name: list(field.values) for field in fields}
    for field in more:
        values = by_name.setdefault(field.name, [])
        values.extend(v for v in field.values if v not in values)
    return tuple(Field(name, tuple(values)) for name, values in by_name.items())


def _fields(
    graph: Graph, subject: URIRef, known: tuple[tuple[str, tuple[URIRef, ...]], ...], linker: Linker
) -> list[Field]:
    """The subject's statements as named fields: the known ones in order, then any other, by CURIE."""
    fields = [
        Field(name, _values(linker, (o for p in predicates for o in graph.objects(subject, p))))
        for name, predicates in known
    ]
    covered = {p for _, predicates in known for p in predicates} | _SHOWN_ELSEWHERE
    others = sorted({p for p in graph.predicates(subject) if p not in covered}, key=lambda p: linker.curie(str(p)))
    fields += [Field(linker.curie(str(p)), _values(linker, graph.objects(subject, p))) for p in others]
    return [field for field in fields if field.values]


def _values(linker: Linker, nodes: Iterable[Node]) -> tuple[Value, ...]:
    """Distinct values in a stable order: English text first, then other languages, then IRIs by CURIE."""

    def order(node: Node) -> tuple[int, str, str]:
        rank, language, text = _node_order(node)
        return rank, language, linker.curie(text) if isinstance(node, URIRef) else text

    return tuple(linker.value(node) for node in sorted(set(nodes), key=order))


def _node_order(node: Node) -> tuple[int, str, str]:
    if isinstance(node, Literal):
        language = node.language or ""
        return (0 if language == "en" else 1 if language else 2, language, str(node))
    return (3, "", str(node)) if isinstance(node, URIRef) else (4, "", "")


def _best_text(graph: Graph, subject: Node, predicates: tuple[URIRef, ...]) -> str:
    """The English text of the first predicate that has one, else any text, else ''."""
    texts = sorted(
        (o for p in predicates for o in graph.objects(subject, p) if isinstance(o, Literal)), key=_node_order
    )
    return str(texts[0]) if texts else ""


def _jsonld(graph: Graph, subject: URIRef, linker: Linker) -> dict[str, Any]:
    """The ontology header as compact JSON-LD, with a context of the prefixes its keys and types use."""
    node: dict[str, Any] = {"@id": str(subject)}
    used: set[str] = set()
    for predicate in set(graph.predicates(subject)):
        objects = sorted(
            (o for o in set(graph.objects(subject, predicate)) if not isinstance(o, BNode)), key=_node_order
        )
        if predicate == RDF.type:
            node["@type"] = [linker.curie(str(o)) for o in objects]
            used.update(str(o) for o in objects)
        else:
            node[linker.curie(str(predicate))] = [_jsonld_value(o) for o in objects]
            used.add(str(predicate))
    context = dict(filter(None, (linker.namespace(iri) for iri in sorted(used))))
    return {"@context": context, **node}


def _jsonld_value(node: Node) -> dict[str, str]:
    if isinstance(node, Literal):
        if node.language:
            return {"@value": str(node), "@language": node.language}
        return {"@value": str(node), "@type": str(node.datatype)} if node.datatype else {"@value": str(node)}
    return {"@id": str(node)}


# --- What the SHACL shapes require of a class's instances ----------------------------------------


def _shapes_of(shapes: Graph, cls: URIRef, linker: Linker) -> tuple[ShapeDoc, ...]:
    """The node shapes targeting the class (sh:targetClass), each with its readable requirements."""
    docs = []
    for shape in set(shapes.subjects(SH.targetClass, cls)):
        requirements = [_requirement(shapes, p, linker) for p in shapes.objects(shape, SH.property)]
        if _constraints(shapes, shape, linker):
            requirements.append(_requirement(shapes, shape, linker))
        curie = linker.curie(str(shape)) if isinstance(shape, URIRef) else ""
        name = _best_text(shapes, shape, (RDFS.label, SH.name)) or curie
        docs.append(ShapeDoc(name, curie, tuple(sorted(requirements, key=_requirement_order))))
    return tuple(sorted(docs, key=lambda doc: (doc.name, doc.curie)))


def _requirement(shapes: Graph, shape: Node, linker: Linker) -> Requirement:
    """One shape's path, cardinality, value constraints, severity and message, in words."""
    path = shapes.value(shape, SH.path)
    severity = shapes.value(shape, SH.severity)
    return Requirement(
        path=() if path is None else _path(shapes, path, linker),
        count=_count(shapes.value(shape, SH.minCount), shapes.value(shape, SH.maxCount)),
        constraints=_constraints(shapes, shape, linker),
        severity=local_name(str(severity or SH.Violation)),
        message=_best_text(shapes, shape, (SH.message,)),
    )


def _requirement_order(requirement: Requirement) -> tuple[str, ...]:
    """Rows in order of path, then of what they ask: independent of blank-node ids."""
    text = ["".join(part.text for part in requirement.path)]
    text += ["".join(part.text for part in value) for value in requirement.constraints]
    return (*text, requirement.count, requirement.message)


def _path(shapes: Graph, path: Node, linker: Linker) -> Value:
    """A SHACL property path in SPARQL's notation: ``a | b``, ``^a``, ``a / b``, ``a*``."""
    if isinstance(path, URIRef):
        return (linker.ref(str(path)),)
    alternatives = shapes.value(path, SH.alternativePath)
    if alternatives is not None:
        return _joined([_path(shapes, p, linker) for p in Collection(shapes, alternatives)], " | ")
    inverse = shapes.value(path, SH.inversePath)
    if inverse is not None:
        return (Part("^"), *_path(shapes, inverse, linker))
    for predicate, suffix in _PATH_SUFFIXES.items():
        inner = shapes.value(path, predicate)
        if inner is not None:
            return (Part("("), *_path(shapes, inner, linker), Part(")" + suffix))
    return _joined([_path(shapes, p, linker) for p in Collection(shapes, path)], " / ")


def _quoted(node: Node, linker: Linker) -> Value:
    """A value a shape names: a literal in quotes, so "exact" reads as the string it is."""
    return (Part(f'"{node}"'),) if isinstance(node, Literal) else linker.value(node)


def _joined(values: Iterable[Value], separator: str) -> Value:
    parts: list[Part] = []
    for number, value in enumerate(values):
        parts += [Part(separator)] if number else []
        parts += value
    return tuple(parts)


def _count(minimum: Node | None, maximum: Node | None) -> str:
    """sh:minCount / sh:maxCount in words."""
    low = int(minimum) if isinstance(minimum, Literal) else 0
    high = int(maximum) if isinstance(maximum, Literal) else None
    if high == 0:
        return "none allowed"
    if high is None:
        return f"at least {low}" if low else "any number"
    if low == high:
        return f"exactly {low}"
    return f"{low} to {high}" if low else f"at most {high}"


def _constraints(shapes: Graph, shape: Node, linker: Linker) -> tuple[Value, ...]:
    """The shape's value constraints in words, in a stable order; unknown ones by their CURIE."""
    values = []
    for predicate, obj in shapes.predicate_objects(shape):
        if predicate not in _SHAPE_STRUCTURE:
            values.append(_constraint(shapes, predicate, obj, linker))
    return tuple(sorted(values, key=lambda value: "".join(part.text for part in value)))


def _constraint(shapes: Graph, predicate: Node, obj: Node, linker: Linker) -> Value:
    if predicate == SH.datatype:
        return (Part("datatype "), *linker.value(obj))
    if predicate == SH["class"]:
        return (Part("instance of "), *linker.value(obj))
    if predicate == SH.nodeKind:
        return (Part("is " + _NODE_KINDS.get(obj, linker.curie(str(obj)))),)
    if predicate == SH["in"]:
        return (Part("one of "), *_joined((_quoted(o, linker) for o in Collection(shapes, obj)), ", "))
    if predicate == SH.hasValue:
        return (Part("includes "), *_quoted(obj, linker))
    if predicate == SH.pattern:
        return (Part(f"matches the pattern {obj}"),)
    if predicate in _COMPARISONS:
        return (Part(f"{_COMPARISONS[predicate]} {obj}"),)
    if predicate == SH["or"]:
        alternatives = [_joined(_constraints(shapes, s, linker), " and ") for s in Collection(shapes, obj)]
        return _joined(sorted(alternatives, key=lambda v: "".join(p.text for p in v)), " or ")
    if predicate == SH.sparql:
        return (Part("SPARQL check: " + _best_text(shapes, obj, (SH.message, RDFS.label, RDFS.comment))),)
    return (Part(linker.curie(str(predicate)) + " "), *linker.value(obj))


# --- The query catalogue -------------------------------------------------------------------------


def _sample(query: SavedQuery, corpus: Corpus, store: EmbeddedStore, linker: Linker) -> Sample | None:
    """The query run with its defaults on the published graph; None when a required value has no candidate.

    A required parameter without a default gets the first value of its type in the data (in sorted
    order) for which the query returns rows, so the sample shows what the query does.
    """
    required = [p for p in query.params if p.required and p.default is None]
    candidates = [_candidates(corpus, p) for p in required]
    if not all(candidates):
        return None
    tried = list(itertools.islice(itertools.product(*candidates), SAMPLE_TRIES))
    result, chosen = _first_with_rows(query, store, [p.name for p in required], tried)
    rows = tuple(tuple(_cell(term, linker) for term in row) for row in result.terms[:SAMPLE_ROWS])
    return Sample(tuple(result.columns), rows, len(result), chosen)


def _first_with_rows(
    query: SavedQuery, store: EmbeddedStore, names: list[str], tried: list[tuple[str, ...]]
) -> tuple[QueryResult, tuple[tuple[str, str], ...]]:
    """The answer for the first tried values that gives rows, else for the first values (tried is not empty)."""
    answers = (_run(query, store, tuple(zip(names, values, strict=True))) for values in tried)
    first = next(answers)
    return next((answer for answer in itertools.chain([first], answers) if len(answer[0])), first)


def _run(
    query: SavedQuery, store: EmbeddedStore, chosen: tuple[tuple[str, str], ...]
) -> tuple[QueryResult, tuple[tuple[str, str], ...]]:
    """Run the saved query as ``run_query`` does, from the catalogue already read."""
    try:
        return store.select(with_values(query.text, query.bind(dict(chosen)))), chosen
    except SegraphError as error:
        raise QueryError(f"{query.path.name}: cannot run it for the site's sample results: {error}") from None


def _candidates(corpus: Corpus, parameter: Parameter) -> list[str]:
    """Values of a parameter's type found in the data files, sorted: dates, acronyms, labels, IRIs, …"""
    triples = [t for source in corpus.data_files for t in source.graph]
    objects = [o for _, _, o in triples if isinstance(o, Literal)]
    found: set[str]
    if parameter.type == "date":
        found = {_as_day(o) for o in objects if o.datatype in _DATES}
    elif parameter.type == "acronym":
        found = {str(o) for _, p, o in triples if p == SEG.acronym}
    elif parameter.type == "integer":
        found = {str(o) for o in objects if o.datatype == XSD.integer}
    elif parameter.type == "language":
        found = {o.language for o in objects if o.language}
    elif parameter.type == "iri":
        found = {str(s) for s, _, _ in triples if isinstance(s, URIRef)}
    else:
        found = {str(o) for _, p, o in triples if p in (RDFS.label, SKOS.prefLabel) and isinstance(o, Literal)}
    valid = [value for value in found if _accepts(parameter, value)]
    return sorted(valid, key=int) if parameter.type == "integer" else sorted(valid)


def _accepts(parameter: Parameter, value: str) -> bool:
    """Whether the parameter takes the value: a malformed date in the data is no sample value."""
    try:
        parameter.term(value)
    except UsageError:
        return False
    return True


def _as_day(literal: Literal) -> str:
    """A date, month or year as the first day it covers (2021-05 → 2021-05-01)."""
    text = str(literal)[:10]
    return text + "-01" * ((10 - len(text)) // 3)


def _cell(term: ox.NamedNode | ox.BlankNode | ox.Literal | None, linker: Linker) -> Value:
    """A result cell: an IRI links to its page in the site (or itself), a literal shows its language."""
    if term is None:
        return ()
    if isinstance(term, ox.NamedNode):
        return (linker.ref(term.value),)
    if isinstance(term, ox.Literal):
        return (Part(term.value, lang=term.language or ""),)
    return (Part("(a blank node)"),)


def _commands(query: SavedQuery, sample: Sample | None, config: PublishConfig) -> list[str]:
    """Command lines that run the query: as in the sample, and on the public endpoint if there is one."""
    command = ["segraph", "query", query.name]
    for name, value in sample.chosen if sample else ():
        command += ["--param", f"{name}={value}"]
    commands = [shlex.join(command)]
    if config.sparql_endpoint:
        commands.append(shlex.join([*command, "--endpoint", config.sparql_endpoint]))
    return commands
