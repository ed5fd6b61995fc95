"""The ontology page and the query catalogue pages: complete, escaped, linked, and the same bytes every time."""

from __future__ import annotations

import html
import json
import posixpath
import re
import subprocess
import sys
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from markupsafe import escape
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SH, SKOS

from segraph import paths
from segraph.load import Corpus, Role
from segraph.namespaces import PREFIXES, SEG
from segraph.publish.config import PublishConfig
from segraph.publish.docs import SAMPLE_ROWS, write_docs
from segraph.queries import catalogue
from segraph.run import run_query
from segraph.store import EmbeddedStore

# Files other modules of `segraph publish` write beside these pages.
OTHER_FILES = {"index.html", "site.css", "ontology.ttl", "shapes.ttl", "catalog.ttl", "void.ttl"}
# A resource page of the site (project/silk.html, region/SE124.html, vocab/role/partner.html).
RESOURCE_PAGE = re.compile(r"^[a-z][a-z-]*(/[A-Za-z0-9._~%-]+)+\.html$")
TERM_KINDS = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty)


@dataclass
class Built:
    out: Path
    written: list[str]


class Page(HTMLParser):
    """What the tests read from a page: ids, links, JSON-LD, and the cells of the results table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.hrefs: list[str] = []
        self.scripts: list[str] = []
        self.results: list[list[tuple[str, str]]] = []  # rows of cells: (text, title of its link)
        self._in_script = self._in_results = self._in_cell = self._in_lang = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.append(values["id"] or "")
        if tag == "a" and values.get("href") is not None:
            self.hrefs.append(values["href"] or "")
        if tag == "link" and values.get("rel") in ("stylesheet", "alternate"):
            self.hrefs.append(values["href"] or "")
        self._in_script = tag == "script"
        self._in_results = self._in_results or (tag == "table" and values.get("class") == "results")
        self._in_lang = tag == "span" and values.get("class") == "lang"
        if self._in_results and tag == "tr":
            self.results.append([])
        if self._in_results and tag == "td":
            self.results[-1].append(("", ""))
            self._in_cell = True
        if self._in_results and tag == "a" and self.results and self.results[-1]:
            self.results[-1][-1] = (self.results[-1][-1][0], values.get("title") or "")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = self._in_script and tag != "script"
        self._in_results = self._in_results and tag != "table"
        self._in_cell = self._in_cell and tag != "td"
        self._in_lang = self._in_lang and tag != "span"

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts.append(data)
        elif self._in_cell and not self._in_lang:
            text, title = self.results[-1][-1]
            self.results[-1][-1] = (text + data, title)


def read_page(path: Path) -> Page:
    page = Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def section_text(source: str, anchor: str) -> str:
    """The text of a term's section, tags removed and entities decoded."""
    match = re.search(rf'<section class="term" id="{re.escape(anchor)}">(.*?)</section>', source, re.S)
    assert match, f"no section with id {anchor}"
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def curie(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda pair: -len(pair[1])):
        if iri.startswith(namespace):
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory, shipped_corpus: Corpus) -> Built:
    out = tmp_path_factory.mktemp("docs")
    return Built(out, write_docs(shipped_corpus, PublishConfig(), out))


@pytest.fixture(scope="module")
def ontology(shipped_corpus: Corpus) -> Graph:
    return next(f.graph for f in shipped_corpus.files if f.role is Role.ONTOLOGY)


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(paths.shapes_file())


def test_build_reports_what_it_wrote(built: Built) -> None:
    on_disk = sorted(str(p.relative_to(built.out)) for p in built.out.rglob("*") if p.is_file())
    assert built.written == on_disk
    assert {"ontology.html", "queries.html"} <= set(built.written)


def test_every_declared_term_has_a_section_with_its_english_definition(built: Built, ontology: Graph) -> None:
    source = (built.out / "ontology.html").read_text(encoding="utf-8")
    page = read_page(built.out / "ontology.html")
    terms = {s for kind in TERM_KINDS for s in ontology.subjects(RDF.type, kind)}
    assert any((t, RDF.type, OWL.Class) in ontology for t in terms)
    assert any((t, RDF.type, OWL.DatatypeProperty) in ontology for t in terms)
    assert len(page.ids) == len(set(page.ids)), "ids are unique"
    for term in terms:
        assert isinstance(term, URIRef) and term.startswith(str(SEG)), f"{term} is not a seg: term"
        anchor = term[len(str(SEG)) :]
        assert anchor in page.ids
        text = section_text(source, anchor)
        assert str(term) in text
        definitions = [d for d in ontology.objects(term, SKOS.definition) if isinstance(d, Literal)]
        english = [d for d in definitions if d.language == "en"]
        assert english, f"{term} has an English definition"
        for definition in english:
            assert " ".join(str(definition).split()) in text
        for label in ontology.objects(term, RDFS.label):
            assert str(label) in text


def test_superclasses_and_mappings_link_out_and_own_terms_link_to_anchors(built: Built) -> None:
    source = (built.out / "ontology.html").read_text(encoding="utf-8")
    project = re.search(r'<section class="term" id="Project">(.*?)</section>', source, re.S)
    assert project
    assert 'href="http://www.w3.org/ns/prov#Activity"' in project.group(1)
    assert 'href="http://data.europa.eu/s66#Project"' in project.group(1)  # skos:closeMatch to EURIO
    organisation = re.search(r'<section class="term" id="organisation">(.*?)</section>', source, re.S)
    assert organisation
    assert 'href="#Participation"' in organisation.group(1)  # its domain
    assert 'href="#Organisation"' in organisation.group(1)  # its range


def test_project_section_lists_what_the_shapes_require(built: Built, shapes: Graph) -> None:
    text = section_text((built.out / "ontology.html").read_text(encoding="utf-8"), "Project")
    required = [
        (path, shape)
        for node_shape in shapes.subjects(SH.targetClass, SEG.Project)
        for shape in shapes.objects(node_shape, SH.property)
        if isinstance(path := shapes.value(shape, SH.path), URIRef)
    ]
    assert any(path == SEG.acronym for path, _ in required)
    for path, shape in required:
        assert curie(str(path)) in text
        message = shapes.value(shape, SH.message)
        assert message is not None and " ".join(str(message).split()) in text
        maximum, minimum = shapes.value(shape, SH.maxCount), shapes.value(shape, SH.minCount)
        if maximum is not None and minimum is None:
            assert f"{curie(str(path))} at most {maximum}" in text
        datatype = shapes.value(shape, SH.datatype)
        if datatype is not None:
            assert f"datatype {curie(str(datatype))}" in text


def test_ontology_page_has_metadata_downloads_and_jsonld(built: Built, ontology: Graph) -> None:
    source = (built.out / "ontology.html").read_text(encoding="utf-8")
    page = read_page(built.out / "ontology.html")
    header = next(ontology.subjects(RDF.type, OWL.Ontology))
    assert f"<h1>{ontology.value(header, DCTERMS.title)}</h1>" in source
    assert str(ontology.value(header, OWL.versionInfo)) in source
    assert '<link rel="alternate" type="text/turtle" href="ontology.ttl">' in source
    assert {"ontology.ttl", "shapes.ttl"} <= set(page.hrefs)
    assert {"contents", "classes", "object-properties", "datatype-properties", "Project"} <= set(page.ids)
    (script,) = page.scripts
    embedded = Graph().parse(data=script, format="json-ld")
    assert set(embedded) == set(ontology.triples((header, None, None)))
    assert json.loads(script)["@id"] == str(header)


def test_queries_page_lists_every_saved_query_with_its_page(built: Built) -> None:
    source = (built.out / "queries.html").read_text(encoding="utf-8")
    hrefs = read_page(built.out / "queries.html").hrefs
    saved = catalogue()
    assert len(saved) >= 10
    for name, query in saved.items():
        assert f"queries/{name}.html" in hrefs
        assert (built.out / "queries" / f"{name}.html").is_file()
        assert str(escape(query.summary)) in source


def test_query_pages_show_escaped_sparql_parameters_and_the_command(built: Built) -> None:
    saved = catalogue()
    assert any("<" in q.text for q in saved.values()), "some query compares with <, so escaping is tested"
    for name, query in saved.items():
        source = (built.out / "queries" / f"{name}.html").read_text(encoding="utf-8")
        assert f"<pre><code>{escape(query.text)}</code></pre>" in source
        if "<" in query.text:
            assert "&lt;" in source
        for parameter in query.all_params:
            assert f"<td><code>{parameter.name}</code></td>" in source
            assert str(escape(parameter.description)) in source
        assert f"segraph query {name}" in source
        assert f'href="{name}.rq"' in source


def test_rq_copies_are_byte_identical(built: Built) -> None:
    for name, query in catalogue().items():
        assert (built.out / "queries" / f"{name}.rq").read_bytes() == query.path.read_bytes()


def test_sample_results_are_the_rows_run_query_gives(built: Built, embedded_store: EmbeddedStore) -> None:
    for name, query in catalogue().items():
        source = (built.out / "queries" / f"{name}.html").read_text(encoding="utf-8")
        required = [p.name for p in query.params if p.required]
        chosen = dict(re.findall(r"<code>([a-z]+)=([^<]*)</code>", source.split('id="sample"', 1)[1]))
        assert sorted(chosen) == sorted(required)
        for key, value in chosen.items():
            assert f"--param {key}={value}" in source
        result = run_query(name, chosen, store=embedded_store)
        rows = read_page(built.out / "queries" / f"{name}.html").results
        assert len(rows) - 1 == min(len(result), SAMPLE_ROWS), name  # the first row holds the headings
        assert f"{len(result)} row" in source
        for row, terms in zip(rows[1:], result.terms, strict=False):
            for (text, title), term in zip(row, terms, strict=True):
                if term is None:
                    assert text == ""
                elif title:
                    assert title == term.value
                else:
                    assert text == term.value


def test_a_required_parameter_gets_a_value_from_the_data_that_gives_rows(
    built: Built, embedded_store: EmbeddedStore
) -> None:
    source = (built.out / "queries" / "active-on.html").read_text(encoding="utf-8")
    (day,) = re.findall(r"--param date=(\d{4}-\d\d-\d\d)", source)
    assert len(run_query("active-on", {"date": day}, store=embedded_store)) > 0
    assert f"<code>date={day}</code>" in source


def test_projects_sample_lists_the_projects(built: Built) -> None:
    rows = read_page(built.out / "queries" / "projects.html").results
    acronyms = {row[1][0] for row in rows[1:]}
    assert {"RESEES", "SILK"} <= acronyms
    links = {row[0] for row in rows[1:]}
    assert ("project:resees", "https://w3id.org/segraph/project/resees") in links
    source = (built.out / "queries" / "projects.html").read_text(encoding="utf-8")
    assert 'href="../project/resees.html"' in source


def test_every_relative_link_resolves(built: Built) -> None:
    written = set(built.written)
    pages = {relative: read_page(built.out / relative) for relative in written if relative.endswith(".html")}
    for relative, page in pages.items():
        for href in page.hrefs:
            if re.match(r"^[a-z][a-z0-9+.-]*:", href):
                assert href.startswith(("http://", "https://")), href
                continue
            target, _, anchor = href.partition("#")
            resolved = posixpath.normpath(posixpath.join(posixpath.dirname(relative), target)) if target else relative
            assert not resolved.startswith(".."), f"{relative}: {href} leaves the site"
            if resolved in written:
                if anchor:
                    assert anchor in pages[resolved].ids, f"{relative}: {href}"
            else:
                assert resolved in OTHER_FILES or RESOURCE_PAGE.match(resolved), f"{relative}: {href}"


def test_same_bytes_in_another_process(built: Built, tmp_path: Path) -> None:
    """A fresh process parses the shapes with fresh blank-node ids; the pages must not change."""
    script = (
        "import sys; from pathlib import Path; from segraph.load import load_corpus;"
        "from segraph.publish.config import PublishConfig; from segraph.publish.docs import write_docs;"
        "write_docs(load_corpus(), PublishConfig(), Path(sys.argv[1]))"
    )
    subprocess.run([sys.executable, "-c", script, str(tmp_path)], check=True, capture_output=True)
    for relative in built.written:
        assert (tmp_path / relative).read_bytes() == (built.out / relative).read_bytes(), relative


def test_text_from_query_files_is_escaped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, shipped_corpus: Corpus
) -> None:
    folder = tmp_path / "queries"
    folder.mkdir()
    (folder / "hostile.rq").write_text(
        '#+ summary: "<script>alert(1)</script>"\n#+ tags: ["<b>tag</b>"]\n#+ columns: [n]\n'
        'SELECT ?n WHERE { BIND ("</code></pre><i>x</i>" AS ?n) }\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(paths, "queries_dir", lambda: folder)
    out = tmp_path / "site"
    write_docs(shipped_corpus, PublishConfig(), out)
    for page in ("queries.html", "queries/hostile.html"):
        source = (out / page).read_text(encoding="utf-8")
        assert "<script>alert" not in source and "&lt;script&gt;alert(1)&lt;/script&gt;" in source
        assert "<b>tag" not in source
    source = (out / "queries" / "hostile.html").read_text(encoding="utf-8")
    assert "<i>x</i>" not in source and "&lt;/code&gt;&lt;/pre&gt;&lt;i&gt;x&lt;/i&gt;" in source
    assert read_page(out / "queries" / "hostile.html").results[1] == [("</code></pre><i>x</i>", "")]


def test_query_pages_embed_their_json_ld_and_offer_the_rq_file(built: Built) -> None:
    for name in catalogue():
        page = read_page(built.out / "queries" / f"{name}.html")
        [script] = page.scripts
        described = json.loads(script)
        assert described["@id"] == PublishConfig().url(f"queries/{name}.rq")
        assert described["schema:name"] == name
        assert f"{name}.rq" in page.hrefs
        assert (built.out / "queries" / f"{name}.rq").is_file()
    listing = json.loads(read_page(built.out / "queries.html").scripts[0])
    assert {part["schema:name"] for part in listing["schema:hasPart"]} == set(catalogue())
