"""The site's resource pages and index page: what they show, where they link, what they embed."""

from __future__ import annotations

import json
import posixpath
from collections import defaultdict
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCAT, RDF, SKOS

from segraph import paths
from segraph.load import Corpus, load_corpus
from segraph.namespaces import NUTS, SEG
from segraph.publish import html
from segraph.publish.config import PublishConfig
from segraph.publish.dumps import prepare, write_dumps
from segraph.publish.pages import write_pages
from segraph.publish.svg import first_day, last_day

# Written by the other publishing modules, not by write_pages.
OTHER_MODULES = {"ontology.html", "queries.html", "catalog.ttl", "catalog.rdf", "void.ttl"}

HOSTILE_LABEL = '<script>alert("x")</script>'
HOSTILE_DESCRIPTION = "\"quotes\" & 'apostrophes' </script>"
HOSTILE = """
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix seg: <https://w3id.org/segraph/ontology#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://w3id.org/segraph/document/hostile> a seg:SourceDocument ;
    dct:title "A <b>hostile</b> page"@en .

<https://w3id.org/segraph/project/hostile> a seg:Project ;
    rdfs:label "<script>alert(\\"x\\")</script>"@en ;
    dct:description "\\"quotes\\" & 'apostrophes' </script>"@en ;
    rdfs:seeAlso <javascript:alert(1)> ;
    seg:period <https://w3id.org/segraph/period/hostile> ;
    prov:wasDerivedFrom <https://w3id.org/segraph/document/hostile> .

<https://w3id.org/segraph/period/hostile> a seg:Period ;
    dcat:startDate "2025"^^xsd:gYear ;
    prov:wasDerivedFrom <https://w3id.org/segraph/document/hostile> .

<https://w3id.org/segraph/graph> rdfs:label "would overwrite the Turtle dump"@en .
<https://w3id.org/segraph/project/../../escaped> rdfs:label "would be written outside the site"@en .
"""


class Page(HTMLParser):
    """A page read with the standard HTML parser: links, text per section, table rows, embedded JSON-LD."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.section_text: dict[str, str] = defaultdict(str)
        self.section_links: dict[str, list[str]] = defaultdict(list)
        self.rows: dict[str, list[list[str]]] = defaultdict(list)
        self.jsonld: list[str] = []
        self.svg_titles: list[str] = []
        self._section = ""
        self._table = ""
        self._in_jsonld = False
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        for name in ("href", "src"):
            if found.get(name):
                self.links.append(found[name] or "")
                self.section_links[self._section].append(found[name] or "")
        if tag == "section":
            self._section = found.get("aria-labelledby") or ""
        elif tag == "table":
            self._table = found.get("class") or ""
        elif tag == "tr":
            self.rows[self._table].append([])
        elif tag in ("td", "th") and self.rows[self._table]:
            self.rows[self._table][-1].append("")
        elif tag == "script" and found.get("type") == "application/ld+json":
            self._in_jsonld = True
            self.jsonld.append("")
        elif tag == "title":
            self._in_title = True
            self.svg_titles.append("")

    def handle_endtag(self, tag: str) -> None:
        if tag == "section":
            self._section = ""
        elif tag == "table":
            self._table = ""
        elif tag == "script":
            self._in_jsonld = False
        elif tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_jsonld:
            self.jsonld[-1] += data
            return
        if self._in_title:
            self.svg_titles[-1] += data
        self.section_text[self._section] += data
        cells = self.rows[self._table][-1] if self._table and self.rows[self._table] else None
        if cells:
            cells[-1] += data

    def table(self, name: str) -> list[list[str]]:
        """The body rows of a table, each cell's text with spaces normalised."""
        return [[" ".join(cell.split()) for cell in row] for row in self.rows[name][1:]]


def build(corpus: Corpus, out: Path) -> list[str]:
    prepared = prepare(corpus)
    dumps = write_dumps(prepared, out)
    return write_pages(corpus, prepared, dumps, PublishConfig(), out)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> tuple[Path, list[str]]:
    out = tmp_path_factory.mktemp("pages")
    return out, build(shipped_corpus, out)


@pytest.fixture(scope="module")
def pages_by_iri(site: tuple[Path, list[str]], shipped_corpus: Corpus) -> dict[URIRef, str]:
    """Every written page, keyed by the IRI whose path it sits at (found from the graph, not from the site)."""
    out, written = site
    by_path = {html.page_path(str(s)): s for s in set(shipped_corpus.union.subjects()) if isinstance(s, URIRef)}
    pages = [name.removesuffix(".html") for name in written if name.endswith(".html") and name != "index.html"]
    assert all(page in by_path for page in pages)
    return {by_path[page]: page for page in pages}


def read(out: Path, name: str) -> Page:
    return Page((out / name).read_text(encoding="utf-8"))


def test_resees_page_shows_dates_as_stated_partners_with_roles_and_sources(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    page = read(out, "project/resees.html")
    assert "2024-04-01 – 2027-03-30" in " ".join(page.section_text["summary"].split())
    partners = {row[0]: row[1] for row in page.table("partners")}
    assert len(partners) == 10
    assert partners["Government of Navarre"] == "lead partner"
    assert partners["Lapland University of Applied Sciences"] == "partner"
    assert partners["European Network of Cities and Regions for the Social Economy"] == "partner"
    regions = {row[0]: row[2] for row in page.table("partners")}
    assert regions["Lapland University of Applied Sciences"] == "Lappi (FI1D7)"
    assert page.section_links["sources"] == ["../document/resees.html"]
    assert "EUR 1,885,230.00" in page.section_text["summary"]


@pytest.mark.parametrize(
    ("page", "period"),
    [("project/silk.html", "2021-05 – 2021-12"), ("project/se-innovation.html", "2019 – 2020")],
)
def test_periods_keep_their_precision(site: tuple[Path, list[str]], page: str, period: str) -> None:
    out, _ = site
    assert period in " ".join(read(out, page).section_text["summary"].split())


def test_raise_page_shows_its_extension_and_stated_durations(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    summary = " ".join(read(out, "project/raise.html").section_text["summary"].split())
    assert "2017-01-01 – 2021-06-30" in summary
    assert "stated duration 4.5 years" in summary
    assert "2021-09 – 2022-08" in summary
    assert "stated duration 1 year" in summary


def test_silk_page_shows_its_participant_organisations(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    rows = read(out, "project/silk.html").table("partners")
    assert {(row[0], row[1]) for row in rows} == {
        ("Diesis Network", "coordinator"),
        ("Region Örebro County", "participant"),
    }


def test_every_project_in_the_data_has_a_page(site: tuple[Path, list[str]], shipped_corpus: Corpus) -> None:
    out, written = site
    projects = {s for f in shipped_corpus.data_files for s in f.graph.subjects(RDF.type, SEG.Project)}
    assert len(projects) == 5
    for project in projects:
        page = f"{html.page_path(str(project))}.html"
        assert page in written
        assert (out / page).is_file()


def test_regions_countries_and_languages_are_those_the_data_uses(
    site: tuple[Path, list[str]], shipped_corpus: Corpus
) -> None:
    """Only the regions the data names and their broader regions get pages, not all of NUTS."""
    _, written = site
    union = shipped_corpus.union
    used = {t for f in shipped_corpus.data_files for triple in f.graph for t in triple if isinstance(t, URIRef)}
    regions = {t for t in used if str(t).startswith(str(NUTS))}
    pending = list(regions)
    while pending:
        for broader in union.objects(pending.pop(), SKOS.broader):
            if broader not in regions:
                regions.add(broader)  # type: ignore[arg-type]
                pending.append(broader)  # type: ignore[arg-type]
    assert {f"region/{str(r).rsplit('/', 1)[1]}.html" for r in regions} == {
        name for name in written if name.startswith("region/") and name.endswith(".html")
    }
    assert {"region/SE124.html", "region/SE12.html", "region/SE1.html", "region/SE.html"} <= set(written)
    assert "authority/country/SWE.html" in written
    assert "authority/language/SLV.html" in written
    assert "authority/country/DEU.html" not in written  # not used by the data
    assert "ontology.html" not in written  # the ontology's terms are another module's page


def test_every_relative_link_points_at_a_file_of_the_site(site: tuple[Path, list[str]]) -> None:
    out, written = site
    pages = [name for name in written if name.endswith(".html")]
    checked = 0
    for name in pages:
        for link in read(out, name).links:
            parts = urlsplit(link)
            if parts.scheme or parts.netloc or not parts.path:
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(name), parts.path))
            if target in OTHER_MODULES:
                continue
            assert (out / target).is_file(), f"{name} links to {link}"
            checked += 1
    assert checked > 5 * len(pages)  # at least the stylesheet, index, Turtle and JSON-LD of every page


def test_no_link_uses_a_scheme_other_than_the_web(site: tuple[Path, list[str]]) -> None:
    out, written = site
    for name in written:
        if name.endswith(".html"):
            schemes = {urlsplit(link).scheme for link in read(out, name).links}
            assert schemes <= {"", "http", "https", "data"}, name


def resource_triples(union: Graph, iri: URIRef) -> Graph:
    """The resource's triples as subject and those of the blank nodes it holds."""
    graph = Graph()
    pending: list[URIRef | BNode] = [iri]
    while pending:
        subject = pending.pop()
        for _, predicate, obj in union.triples((subject, None, None)):
            graph.add((subject, predicate, obj))
            if isinstance(obj, BNode):
                pending.append(obj)
    return graph


def test_turtle_beside_each_page_is_exactly_the_resource_s_triples(
    site: tuple[Path, list[str]], pages_by_iri: dict[URIRef, str], shipped_corpus: Corpus
) -> None:
    out, _ = site
    for iri, page in pages_by_iri.items():
        written = Graph().parse(out / f"{page}.ttl", format="turtle")
        assert isomorphic(written, resource_triples(shipped_corpus.union, iri)), page
        assert len(written) > 0


def test_json_ld_in_each_page_is_the_json_ld_file_beside_it(
    site: tuple[Path, list[str]], pages_by_iri: dict[URIRef, str]
) -> None:
    out, _ = site
    for page in pages_by_iri.values():
        parsed = read(out, f"{page}.html")
        assert len(parsed.jsonld) == 1
        assert json.loads(parsed.jsonld[0]) == json.loads((out / f"{page}.jsonld").read_text(encoding="utf-8"))


def test_json_ld_file_holds_the_resource_s_triples(site: tuple[Path, list[str]], shipped_corpus: Corpus) -> None:
    out, _ = site
    written = Graph().parse(out / "period" / "raise.jsonld", format="json-ld")
    expected = resource_triples(shipped_corpus.union, URIRef("https://w3id.org/segraph/period/raise"))
    assert len(expected) == 11  # with the stated duration's blank node
    assert isomorphic(written, expected)


def test_each_page_links_its_alternate_descriptions(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    text = (out / "organisation" / "reves.html").read_text(encoding="utf-8")
    assert '<link rel="alternate" type="text/turtle" href="reves.ttl">' in text
    assert '<link rel="alternate" type="application/ld+json" href="reves.jsonld">' in text


def test_page_shows_all_labels_incoming_links_and_every_source(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    page = read(out, "organisation/reves.html")
    labels = {(row[0], row[1]) for row in page.table("labels")}
    assert labels == {
        ("European Network of Cities and Regions for the Social Economy", "en"),
        ("Réseau Européen des Villes et Régions de l'Économie Sociale", "fr"),
        ("REVES", "sv"),
        ("REVES", "en"),
    }
    incoming = {(row[0].split(" ")[-1], row[1].split(" ")[-1]) for row in page.table("incoming")}
    assert ("membership:region-orebro-lan-reves", "org:organization") in incoming
    assert ("participation:resees-reves", "seg:organisation") in incoming
    assert sorted(page.section_links["sources"]) == [
        "../document/orebro-international-cooperation.html",
        "../document/resees.html",
    ]


def test_index_counts_lists_projects_and_draws_both_views(site: tuple[Path, list[str]], shipped_corpus: Corpus) -> None:
    out, _ = site
    page = read(out, "index.html")
    counts = " ".join(page.section_text["holds"].split())
    assert "5 projects" in counts
    assert f"{len(shipped_corpus.union):,} triples" in counts
    assert set(page.section_links["projects"]) == {
        "project/european-competence-centre-social-economy.html",
        "project/raise.html",
        "project/resees.html",
        "project/se-innovation.html",
        "project/silk.html",
    }
    assert "SILK: 2021-05 – 2021-12" in page.svg_titles
    years = page.section_text["when"].split()
    assert [str(year) for year in range(2017, 2028)] == [y for y in years if y.isdigit()][:11]
    assert "RaiSE: extension 2021-09 – 2022-08" in page.svg_titles
    text = (out / "index.html").read_text(encoding="utf-8")
    participations = {
        (p, o)
        for s in shipped_corpus.union.subjects(RDF.type, SEG.Participation)
        for p in shipped_corpus.union.objects(s, SEG.project)
        for o in shipped_corpus.union.objects(s, SEG.organisation)
    }
    assert text.count('<line class="link"') == len(participations) == 24
    assert "<script" not in text.replace('<script type="application/ld+json">', "")


def test_index_lists_every_download(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    page = read(out, "index.html")
    files = [row[0] for row in page.table("downloads")]
    assert files == ["graph.ttl", "graph.nt.gz", "graph.jsonld", "graph.rdf", "graph.trig", "graph.nq"] + [
        "ontology.ttl",
        "shapes.ttl",
    ]
    assert all(row[2] and row[3] for row in page.table("downloads"))
    assert set(page.section_links["downloads"]) >= OTHER_MODULES | set(files)
    assert 'id="downloads"' in (out / "index.html").read_text(encoding="utf-8")


def test_returns_every_file_it_writes_and_copies_the_stylesheet(site: tuple[Path, list[str]]) -> None:
    out, written = site
    assert written == sorted(written)
    assert {"index.html", "site.css"} <= set(written)
    assert all((out / name).is_file() for name in written)
    stylesheet = Path(html.__file__).parent / "templates" / "site.css"
    assert (out / "site.css").read_bytes() == stylesheet.read_bytes()
    for name in written:
        if name.endswith(".html"):
            assert '<link rel="stylesheet" href="' + html.root_of(name.removesuffix(".html")) + 'site.css">' in (
                out / name
            ).read_text(encoding="utf-8")


def test_same_input_same_bytes(site: tuple[Path, list[str]], tmp_path: Path) -> None:
    """A fresh parse gives fresh blank-node ids; the pages must not change."""
    out, written = site
    again = build(load_corpus(), tmp_path)
    assert again == written
    for name in written:
        assert (tmp_path / name).read_bytes() == (out / name).read_bytes(), name


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("hostile")
    data = folder / "hostile.ttl"
    data.write_text(HOSTILE, encoding="utf-8")
    out = folder / "site"
    build(load_corpus([paths.data_dir(), data]), out)
    return out


def test_hostile_literals_are_escaped(hostile_site: Path) -> None:
    for name in ("project/hostile.html", "index.html"):
        text = (hostile_site / name).read_text(encoding="utf-8")
        assert "<script>alert" not in text
        assert "&lt;script&gt;alert(" in text
    text = (hostile_site / "project" / "hostile.html").read_text(encoding="utf-8")
    assert "&#34;quotes&#34; &amp; &#39;apostrophes&#39; &lt;/script&gt;" in text
    assert 'href="javascript:' not in text
    assert "javascript:alert(1)" in text  # shown, not linked
    page = Page(text)
    assert page.section_text[""].count(HOSTILE_LABEL) >= 1  # the reader sees the text as written


def test_json_ld_script_block_cannot_be_closed_by_a_literal(hostile_site: Path) -> None:
    text = (hostile_site / "project" / "hostile.html").read_text(encoding="utf-8")
    opening = '<script type="application/ld+json">'
    block = text[text.index(opening) + len(opening) : text.index("</script>", text.index(opening))]
    assert "</script" not in block.lower()
    embedded = json.loads(block)
    assert embedded == json.loads((hostile_site / "project" / "hostile.jsonld").read_text(encoding="utf-8"))
    graph = Graph().parse(data=json.dumps(embedded), format="json-ld")
    assert Literal(HOSTILE_DESCRIPTION, lang="en") in set(graph.objects())


def test_open_ended_period_is_drawn_as_such(hostile_site: Path) -> None:
    page = Page((hostile_site / "index.html").read_text(encoding="utf-8"))
    assert f"{HOSTILE_LABEL}: 2025 – no end stated" in page.svg_titles
    assert '<rect class="bar period open"' in (hostile_site / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("lexical", "first", "last"),
    [
        ("2021", date(2021, 1, 1), date(2021, 12, 31)),
        ("2021-05", date(2021, 5, 1), date(2021, 5, 31)),
        ("2024-02", date(2024, 2, 1), date(2024, 2, 29)),
        ("2027-03-30", date(2027, 3, 30), date(2027, 3, 30)),
        ("2021-05-31T14:40:00+02:00", date(2021, 5, 31), date(2021, 5, 31)),
    ],
)
def test_dates_cover_what_their_precision_says(lexical: str, first: date, last: date) -> None:
    assert first_day(lexical) == first
    assert last_day(lexical) == last


@pytest.mark.parametrize("lexical", ["", "soon", "2021-13", "2021-02-30"])
def test_dates_that_are_no_dates_are_left_out(lexical: str) -> None:
    assert first_day(lexical) is None
    assert last_day(lexical) is None


def test_project_periods_in_the_data_are_dated(shipped_corpus: Corpus) -> None:
    """Every stated start and end in the shipped data is one the timeline can place."""
    for _, _, value in shipped_corpus.union.triples((None, DCAT.startDate, None)):
        assert first_day(str(value)) is not None
    for _, _, value in shipped_corpus.union.triples((None, DCAT.endDate, None)):
        assert last_day(str(value)) is not None


def test_resources_never_overwrite_the_site_s_files_nor_leave_its_folder(hostile_site: Path) -> None:
    """``…/segraph/graph`` would be graph.ttl (the dump); ``…/project/../../escaped`` lies outside the site."""
    assert not (hostile_site / "graph.html").exists()
    assert len(Graph().parse(hostile_site / "graph.ttl", format="turtle")) > 20000
    assert not (hostile_site.parent / "escaped.html").exists()
    assert sorted(p.name for p in hostile_site.parent.iterdir()) == ["hostile.ttl", "site"]


def test_the_index_embeds_the_dcat_description_of_the_dataset(site: tuple[Path, list[str]]) -> None:
    out, _ = site
    page = read(out, "index.html")
    [script] = page.jsonld
    embedded = Graph().parse(data=script, format="json-ld")
    dataset = URIRef(PublishConfig().dataset_iri)
    assert (dataset, RDF.type, DCAT.Dataset) in embedded
    assert "catalog.ttl" in page.links and "void.ttl" in page.links
