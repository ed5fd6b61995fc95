"""The site's HTML pages: one per resource, with its Turtle and JSON-LD beside it, and the index page.

A resource's page sits at the path of its IRI (see html.page_path) and shows its names,
types, every property, what links to it and the documents that state it; a project's page
opens with a readable summary. The index says what the graph holds, draws the projects'
periods and who works with whom, and lists the downloads. No JavaScript: the pages work
offline, straight from disk. Every text from the data goes through Jinja2's escaping.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from jinja2 import Template
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS, RDF

from segraph.load import Corpus
from segraph.namespaces import NUTS, SEG
from segraph.publish import html, rdfwrite
from segraph.publish.catalog import catalogue_graph
from segraph.publish.config import PublishConfig
from segraph.publish.describe import (
    LABELS,
    GraphIndex,
    Presenter,
    Row,
    Shown,
    build_index,
    language_rank,
    paged_resources,
)
from segraph.publish.dumps import Dump, Prepared
from segraph.publish.projects import ProjectSummary, summarise
from segraph.publish.svg import network, timeline

# Files of the site written by other modules, linked from the index page.
OTHER_FILES: tuple[tuple[str, str, str], ...] = (
    ("catalog.ttl", "The DCAT-AP catalogue of this dataset, in Turtle", "text/turtle"),
    ("catalog.rdf", "The DCAT-AP catalogue of this dataset, in RDF/XML", "application/rdf+xml"),
    ("void.ttl", "The VoID description of this dataset", "text/turtle"),
    (html.ONTOLOGY_PAGE + ".html", "The ontology, term by term", "text/html"),
    (html.QUERIES_PAGE + ".html", "The saved SPARQL queries", "text/html"),
)
STYLESHEET = "site.css"
# The drawings show at most this many projects (the first by name): a timeline lane or a network
# row per project stays readable for dozens, not thousands. The table lists every project.
DRAWN_PROJECTS = 50
# A resource's page lists at most this many of the pages linking to it (the first by name): the
# source document of a programme database is linked from every resource it states.
INCOMING_SHOWN = 1000


@dataclass(frozen=True)
class Resource:
    """Everything a resource's page shows."""

    iri: str
    name: Shown
    labels: tuple[tuple[Shown, Shown], ...]
    types: tuple[Shown, ...]
    rows: tuple[Row, ...]
    incoming: list[tuple[Shown, Shown]]
    incoming_total: int
    sources: tuple[Shown, ...]
    reference: tuple[str, ...]
    project: ProjectSummary | None
    turtle: str
    jsonld: str


@dataclass(frozen=True)
class Basis:
    """What every page is built from: the one-pass index and where each resource's page is."""

    index: GraphIndex
    pages: dict[URIRef, str]
    policy_links: set[URIRef]


def write_pages(corpus: Corpus, prepared: Prepared, dumps: list[Dump], config: PublishConfig, out: Path) -> list[str]:
    """Write every resource page, the index page and the stylesheet; return the written paths, sorted."""
    index = build_index(prepared)
    basis = Basis(index, paged_resources(index), index.sub_properties(SEG.policyLink))
    template = html.environment().get_template("resource.html.j2")
    written: list[str] = []
    for iri, page in basis.pages.items():
        written += _write_resource(basis, template, iri, page, out)
    _write(out, "index.html", _render_index(basis, dumps, config, catalogue_graph(corpus, dumps, config)).encode())
    _write(out, STYLESHEET, resources.files("segraph.publish").joinpath("templates", STYLESHEET).read_bytes())
    return sorted([*written, "index.html", STYLESHEET])


def _write(out: Path, relative: str, data: bytes) -> None:
    target = out / relative
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(data)


def _write_resource(basis: Basis, template: Template, iri: URIRef, page: str, out: Path) -> list[str]:
    """The page and, beside it, the resource's own triples in Turtle and JSON-LD."""
    description = basis.index.description(iri)
    jsonld = rdfwrite.jsonld_data(description)
    name = posixpath.basename(page)
    resource = _resource(basis, iri, page, f"{name}.ttl", f"{name}.jsonld")
    written = rdfwrite.dump_json(jsonld)
    text = template.render(
        root=html.root_of(page),
        title=resource.name.text,
        jsonld=html.JsonText(written.decode()[:-1]),  # the file's text, without its last newline
        alternates=[(resource.turtle, "text/turtle"), (resource.jsonld, "application/ld+json")],
        r=resource,
    )
    files = {
        f"{page}.html": text.encode(),
        f"{page}.ttl": rdfwrite.turtle(description),
        f"{page}.jsonld": written,
    }
    for relative, data in files.items():
        _write(out, relative, data)
    return list(files)


def _resource(basis: Basis, iri: URIRef, page: str, turtle: str, jsonld: str) -> Resource:
    show = Presenter(basis.index, basis.pages, page)
    index = basis.index
    labels = [(o, p) for p, o in index.outgoing.get(iri, ()) if p in LABELS and isinstance(o, Literal)]
    labels.sort(key=lambda pair: (language_rank(pair[0]), pair[0].language or "", str(pair[0]), str(pair[1])))
    incoming = sorted(
        ((show.term(s), show.term(p)) for s, p in index.incoming.get(iri, ()) if s in basis.pages),
        key=lambda pair: (pair[0].text.casefold(), pair[0].short or "", pair[1].text),
    )
    return Resource(
        iri=str(iri),
        name=show.term(iri),
        labels=tuple((show.term(o), show.term(p)) for o, p in labels),
        types=show.terms(list(index.types(iri))),
        rows=show.rows(iri, skip=(RDF.type, *LABELS)),
        incoming=incoming[:INCOMING_SHOWN],
        incoming_total=len(incoming),
        sources=tuple(show.term(name) for name in index.data_sources.get(iri, ())),
        reference=tuple(str(name) for name in index.reference_sources.get(iri, ())),
        project=summarise(show, iri, basis.policy_links) if index.has_type(iri, SEG.Project) else None,
        turtle=turtle,
        jsonld=jsonld,
    )


@dataclass(frozen=True)
class Listed:
    """A project as the index lists it."""

    project: Shown
    title: Shown | None
    period: str


@dataclass(frozen=True)
class Download:
    """A dump as the index lists it."""

    href: str
    title: str
    media_type: str
    size: str


def _render_index(basis: Basis, dumps: list[Dump], config: PublishConfig, catalogue: Graph) -> str:
    index = basis.index
    show = Presenter(index, basis.pages, html.INDEX_PAGE)
    projects = [p for p in index.subjects_of_type(SEG.Project) if isinstance(p, URIRef)]
    regions = {iri for iri in index.used_by_data if str(iri).startswith(str(NUTS)) and iri in index.outgoing}
    counts = (
        ("projects", len(projects)),
        ("organisations", len(index.subjects_of_type(SEG.Organisation))),
        ("regions", len(regions)),
        ("persons", len(index.subjects_of_type(SEG.Person))),
        ("documents", len(index.subjects_of_type(SEG.SourceDocument))),
        ("triples", index.triple_count),
    )
    listed = sorted((_listed(show, p) for p in projects), key=lambda item: item.project.text.casefold())
    by_name = sorted(projects, key=lambda p: (show.term(p).text.casefold(), str(p)))
    drawn = set(by_name[:DRAWN_PROJECTS])
    downloads = [Download(d.name, d.title, d.media_type, _size(d.byte_size)) for d in dumps]
    return (
        html.environment()
        .get_template("index.html.j2")
        .render(
            root="",
            title="Social-economy projects in Europe",
            # The DCAT-AP description, so that dataset search engines find the graph from its front page.
            jsonld=rdfwrite.jsonld_data(sorted(catalogue, key=rdfwrite.triple_key)),
            alternates=[
                ("catalog.ttl", "text/turtle"),
                ("catalog.rdf", "application/rdf+xml"),
                ("void.ttl", "text/turtle"),
            ],
            counts=counts,
            projects=listed,
            timeline=timeline(show, [p for p in projects if p in drawn]),
            network=network(show, [t for t in _participations(show) if t[0] in drawn]),
            drawn=len(drawn),
            downloads=downloads,
            other_files=OTHER_FILES,
            config=config,
        )
    )


def _listed(show: Presenter, project: URIRef) -> Listed:
    titles = [t for t in show.index.values(project, DCTERMS.title) if isinstance(t, Literal)]
    title = min(titles, key=lambda t: (language_rank(t), t.language or "", str(t))) if titles else None
    return Listed(show.term(project), show.term(title) if title is not None else None, _period_text(show, project))


def _period_text(show: Presenter, project: URIRef) -> str:
    """The project's period as stated ("2021-05 – 2021-12"), or what is missing."""
    period = show.index.first(project, SEG.period)
    if period is None:
        return "no period stated"
    start, end = show.index.first(period, DCAT.startDate), show.index.first(period, DCAT.endDate)
    return f"{start if start is not None else 'no start stated'} – {end if end is not None else 'no end stated'}"


def _participations(show: Presenter) -> list[tuple[URIRef, URIRef, str]]:
    """(project, organisation, roles) for every participation naming both."""
    index = show.index
    found = []
    for participation in index.subjects_of_type(SEG.Participation):
        roles = ", ".join(sorted(show.term(r).text for r in index.values(participation, SEG.role))) or "role not stated"
        found += [
            (project, organisation, roles)
            for project in index.values(participation, SEG.project)
            for organisation in index.values(participation, SEG.organisation)
            if isinstance(project, URIRef) and isinstance(organisation, URIRef)
        ]
    return sorted(set(found))


def _size(byte_size: int) -> str:
    """A file size for people, in decimal units: "830 bytes", "12.4 kB", "1.2 MB"."""
    if byte_size < 1000:
        return f"{byte_size} bytes"
    if byte_size < 1_000_000:
        return f"{byte_size / 1000:.1f} kB"
    return f"{byte_size / 1_000_000:.1f} MB"
