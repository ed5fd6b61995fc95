"""The DCAT-AP 3.0.1 catalogue of the site: catalog.ttl and catalog.rdf.

Data portals (data.europa.eu and the national portals that harvest into it) read this
file to list the graph. It describes the whole graph as one dataset with one
distribution per dump (and one for the SPARQL endpoint, if configured), and it is
checked against the official DCAT-AP 3.0.1 shapes, which need three things that are
easy to miss: every value has its class stated (no inference is run), every concept
of an EU authority table is described with its label and table, and every table is a
``skos:ConceptScheme`` with a ``dct:title``.

What the dataset covers comes from the data, never from a list kept by hand: the
countries it involves, the languages of its source documents, the span of its
projects, the date of its newest source document, the themes its projects work on.
Nothing depends on when it runs, so the same input gives the same bytes.
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from segraph.errors import UsageError
from segraph.load import Corpus
from segraph.namespaces import LANGUAGE, SEG, bind_prefixes
from segraph.publish.config import PublishConfig
from segraph.publish.dumps import Dump, serialize_sorted
from segraph.publish.rdfwrite import triple_key

ADMS = Namespace("http://www.w3.org/ns/adms#")
DCATAP = Namespace("http://data.europa.eu/r5r/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
# DCAT-AP 3.0.1's shapes (ChecksumAlgorithmRestriction) accept only algorithm IRIs matching
# "^https://spdx.org/rdf/terms", while the SPDX namespace itself is http://spdx.org/rdf/terms#.
# Portals validate with those shapes, so the catalogue names the https form and states that it
# is the same as SPDX's own term (owl:sameAs), for consumers that know only the http one.
SHA256 = URIRef("https://spdx.org/rdf/terms#checksumAlgorithm_sha256")
EXTRA_PREFIXES = {"adms": ADMS, "dcatap": DCATAP, "spdx": SPDX, "vcard": VCARD}

AUTHORITY = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
ONTOLOGY = URIRef("https://w3id.org/segraph/ontology")
SPARQL_PROTOCOL = URIRef("https://www.w3.org/TR/sparql11-protocol/")

# The code lists the catalogue takes values from: namespace of the codes → (table, title).
SCHEMES: dict[str, tuple[str, str]] = {
    AUTHORITY + "country/": (AUTHORITY + "country", "Countries and territories"),
    AUTHORITY + "data-theme/": (AUTHORITY + "data-theme", "Data themes"),
    AUTHORITY + "file-type/": (AUTHORITY + "file-type", "File types"),
    AUTHORITY + "frequency/": (AUTHORITY + "frequency", "Frequencies"),
    AUTHORITY + "language/": (AUTHORITY + "language", "Languages"),
    AUTHORITY + "licence/": (AUTHORITY + "licence", "Licences"),
    AUTHORITY + "planned-availability/": (AUTHORITY + "planned-availability", "Planned availability"),
    "http://purl.org/adms/licencetype/": ("http://purl.org/adms/licencetype/1.0", "Licence type"),
    "http://purl.org/adms/publishertype/": ("http://purl.org/adms/publishertype/1.0", "Publisher type"),
}

# English labels of the codes segraph chooses, and of the defaults of PublishConfig.
# Countries and languages are labelled from the reference data instead; a publisher who
# configures another code names it under [labels] in the configuration.
LABELS: dict[str, str] = {
    AUTHORITY + "data-theme/ECON": "Economy and finance",
    AUTHORITY + "data-theme/REGI": "Regions and cities",
    AUTHORITY + "data-theme/SOCI": "Population and society",
    AUTHORITY + "file-type/JSON_LD": "JSON-LD",
    AUTHORITY + "file-type/RDF_N_QUADS": "RDF N-Quads",
    AUTHORITY + "file-type/RDF_N_TRIPLES": "RDF N-Triples",
    AUTHORITY + "file-type/RDF_TRIG": "RDF TriG",
    AUTHORITY + "file-type/RDF_TURTLE": "RDF Turtle",
    AUTHORITY + "file-type/RDF_XML": "RDF/XML",
    AUTHORITY + "file-type/SPARQLQ": "SPARQL query",
    AUTHORITY + "frequency/IRREG": "irregular",
    AUTHORITY + "licence/CC_BY_4_0": "Creative Commons Attribution 4.0 International",
    AUTHORITY + "planned-availability/STABLE": "stable",
    "http://purl.org/adms/licencetype/Attribution": "Attribution",
    "http://purl.org/adms/publishertype/NonProfitOrganisation": "Non-Profit Organisation",
}

# What the graph is about (social economy, its enterprises and finance, regional policy)
# and how often it changes (whenever a source document is added or corrected).
THEMES = ("SOCI", "ECON", "REGI")
FREQUENCY = AUTHORITY + "frequency/IRREG"
AVAILABILITY = AUTHORITY + "planned-availability/STABLE"
# The languages the catalogue's own texts are in: language tag → EU language code.
CATALOGUE_LANGUAGES = {"en": LANGUAGE.ENG, "sv": LANGUAGE.SWE}

TEXTS: dict[str, dict[str, str]] = {
    "catalog_title": {
        "en": "segraph catalogue",
        "sv": "segraphs katalog",
    },
    "catalog_description": {
        "en": "The segraph knowledge graph of European social-economy projects and the ways to get it.",
        "sv": "Kunskapsgrafen segraph om europeiska projekt inom social ekonomi och sätten att hämta den.",
    },
    "dataset_title": {
        "en": "segraph: European social-economy projects",
        "sv": "segraph: europeiska projekt inom social ekonomi",
    },
    "dataset_description": {
        "en": "Projects, organisations, participations, regions, events and outputs of European "
        "social-economy projects as their source documents state them, one named graph per document, "
        "with the ontology and the reference data (NUTS regions, EU countries and languages) they use.",
        "sv": "Projekt, organisationer, deltaganden, regioner, evenemang och resultat från europeiska "
        "projekt inom social ekonomi så som källdokumenten anger dem, en namngiven graf per dokument, "
        "med ontologin och referensdata (NUTS-regioner, EU:s länder och språk) som de använder.",
    },
    "ontology_title": {
        "en": "segraph ontology",
        "sv": "segraphs ontologi",
    },
    "service_title": {
        "en": "segraph SPARQL endpoint",
        "sv": "segraphs SPARQL-ändpunkt",
    },
    "service_description": {
        "en": "The whole graph, one named graph per source document, queried with SPARQL 1.1.",
        "sv": "Hela grafen, en namngiven graf per källdokument, att fråga med SPARQL 1.1.",
    },
}


@dataclass(frozen=True)
class Coverage:
    """What the data covers: its countries, languages, time span and newest source document."""

    countries: list[URIRef]
    languages: list[URIRef]
    start: date | None
    end: date | None
    modified: date | None
    themes: list[URIRef]


def coverage(corpus: Corpus) -> Coverage:
    """Read the coverage from the data files; the reference data only supplies the regions' countries."""
    data = [source.graph for source in corpus.data_files]
    documents = [(graph, doc) for graph in data for doc in graph.subjects(RDF.type, SEG.SourceDocument)]
    stamps = [
        _day(value, last=False)
        for graph, doc in documents
        for value in (*graph.objects(doc, DCTERMS.modified), *graph.objects(doc, DCTERMS.issued))
    ]
    start, end = _span(corpus, data)
    return Coverage(
        countries=_countries(corpus, data),
        languages=sorted({lang for graph, doc in documents for lang in _iris(graph.objects(doc, DCTERMS.language))}),
        start=start,
        end=end,
        modified=max(_known(stamps), default=None),
        themes=sorted({theme for graph in data for theme in _iris(graph.objects(None, SEG.theme))}),
    )


def _countries(corpus: Corpus, data: list[Graph]) -> list[URIRef]:
    """Countries named by the data, directly or through a NUTS region it names."""
    found: set[URIRef] = set()
    for graph in data:
        found.update(_iris(graph.objects(None, SEG.participantCountry)))
        found.update(_iris(graph.objects(None, SEG.country)))
        for region in graph.objects(None, SEG.region):
            found.update(_iris(corpus.union.objects(region, SEG.country)))
    return sorted(found)


def _span(corpus: Corpus, data: list[Graph]) -> tuple[date | None, date | None]:
    """From the earliest start to the latest end of the projects' periods.

    Periods have mixed precision; the span runs from the first day of the earliest start
    (``2019`` → 2019-01-01, ``2021-05`` → 2021-05-01) to the last day of the latest end
    (``2020`` → 2020-12-31, ``2021-12`` → 2021-12-31), so every stated period lies within it.
    """
    starts: list[date | None] = []
    ends: list[date | None] = []
    for graph in data:
        for project in graph.subjects(RDF.type, SEG.Project):
            for period in graph.objects(project, SEG.period):
                starts.extend(_day(value, last=False) for value in corpus.union.objects(period, DCAT.startDate))
                ends.extend(_day(value, last=True) for value in corpus.union.objects(period, DCAT.endDate))
    return min(_known(starts), default=None), max(_known(ends), default=None)


def _iris(nodes: Iterable[object]) -> list[URIRef]:
    return [node for node in nodes if isinstance(node, URIRef)]


def _known(days: Iterable[date | None]) -> list[date]:
    return [day for day in days if day is not None]


def _day(value: object, last: bool) -> date | None:
    """The first (or last) day a date-like literal covers; None for anything else."""
    if not isinstance(value, Literal):
        return None
    text = str(value)
    try:
        if value.datatype in (XSD.date, XSD.dateTime):
            return date.fromisoformat(text[:10])
        if value.datatype == XSD.gYearMonth:
            year, month = int(text[:4]), int(text[5:7])
            return date(year, month, calendar.monthrange(year, month)[1] if last else 1)
        if value.datatype == XSD.gYear:
            year = int(text[:4])
            return date(year, 12, 31) if last else date(year, 1, 1)
    except ValueError:  # an ill-formed literal: the shapes report it, the catalogue skips it
        return None
    return None


class _Catalogue:
    """The catalogue graph being built, with the labels it may give to codes."""

    def __init__(self, corpus: Corpus, config: PublishConfig) -> None:
        self.graph = bind_prefixes(Graph())
        for prefix, namespace in EXTRA_PREFIXES.items():
            self.graph.bind(prefix, namespace)
        self.corpus = corpus
        self.config = config
        self.labels = {**LABELS, **config.labels}

    def add(self, subject: str, predicate: URIRef, *objects: str | URIRef | Literal) -> None:
        for obj in objects:
            self.graph.add((URIRef(subject), predicate, obj if isinstance(obj, Literal) else URIRef(obj)))

    def texts(self, subject: str, predicate: URIRef, key: str) -> None:
        for lang, text in TEXTS[key].items():
            self.add(subject, predicate, Literal(text, lang=lang))

    def concept(self, iri: str, *classes: URIRef) -> URIRef:
        """Use a code: state its classes and, if it is in a known code list, describe it there."""
        self.add(iri, RDF.type, *classes)
        for namespace, (table, title) in SCHEMES.items():
            if iri.startswith(namespace):
                self.add(iri, RDF.type, SKOS.Concept)
                self.add(iri, SKOS.inScheme, table)
                self.add(table, RDF.type, SKOS.ConceptScheme)
                self.add(table, DCTERMS.title, Literal(title, lang="en"))
                self.add(table, SKOS.prefLabel, Literal(title, lang="en"))
                self.add(iri, SKOS.prefLabel, *self._labels(iri))
        return URIRef(iri)

    def _labels(self, iri: str) -> list[Literal]:
        """A code's labels: the reference data's English and Swedish ones, else the known English one."""
        found = [
            label
            for label in self.corpus.union.objects(URIRef(iri), SKOS.prefLabel)
            if isinstance(label, Literal) and label.language in CATALOGUE_LANGUAGES
        ]
        if found:
            return found
        if iri in self.labels:
            return [Literal(self.labels[iri], lang="en")]
        raise UsageError(f"the catalogue needs a label for {iri}: add it under [labels] in the publish configuration")


def catalogue_graph(corpus: Corpus, dumps: list[Dump], config: PublishConfig) -> Graph:
    """The DCAT-AP description of the graph, its dumps and (if configured) its SPARQL endpoint."""
    cat = _Catalogue(corpus, config)
    covered = coverage(corpus)
    _agents(cat)
    _licence(cat)
    _catalog(cat, covered)
    _dataset(cat, covered)
    for dump in dumps:
        _distribution(cat, dump)
    if config.sparql_endpoint:
        _service(cat, config.sparql_endpoint)
    return cat.graph


def _agents(cat: _Catalogue) -> None:
    """The publisher (a foaf:Agent typed from the ADMS table) and the contact point (a vCard)."""
    config = cat.config
    cat.add(config.publisher_iri, RDF.type, FOAF.Agent, FOAF.Organization)
    cat.add(config.publisher_iri, FOAF.name, Literal(config.publisher_name))
    cat.add(config.publisher_iri, DCTERMS.type, cat.concept(config.publisher_type))
    contact = _contact_iri(config)
    cat.add(contact, RDF.type, VCARD.Kind, VCARD.Organization)
    cat.add(contact, VCARD.fn, Literal(config.contact_name))
    cat.add(contact, VCARD.hasEmail, "mailto:" + config.contact_email)
    cat.add(contact, VCARD.hasURL, config.contact_url)


def _licence(cat: _Catalogue) -> None:
    """The licence of everything published, with its kind from the ADMS licence-type table."""
    licence = cat.concept(cat.config.licence, DCTERMS.LicenseDocument)
    cat.add(licence, DCTERMS.type, cat.concept(cat.config.licence_type))


def _contact_iri(config: PublishConfig) -> str:
    return config.catalog_iri + "/contact-point"


def _catalog(cat: _Catalogue, covered: Coverage) -> None:
    config = cat.config
    iri = config.catalog_iri
    home = config.url("index.html")
    cat.add(iri, RDF.type, DCAT.Catalog)
    cat.texts(iri, DCTERMS.title, "catalog_title")
    cat.texts(iri, DCTERMS.description, "catalog_description")
    cat.add(iri, DCTERMS.publisher, config.publisher_iri)
    cat.add(iri, FOAF.homepage, home)
    cat.add(home, RDF.type, FOAF.Document)
    cat.add(iri, DCTERMS.license, config.licence)
    cat.add(iri, DCAT.dataset, config.dataset_iri)
    cat.add(iri, DCTERMS.issued, Literal(config.issued, datatype=XSD.date))
    if covered.modified:
        cat.add(iri, DCTERMS.modified, Literal(covered.modified))
    cat.add(iri, DCTERMS.language, *(cat.concept(c, DCTERMS.LinguisticSystem) for c in CATALOGUE_LANGUAGES.values()))
    cat.add(iri, DCTERMS.spatial, *(cat.concept(c, DCTERMS.Location) for c in covered.countries))
    cat.add(iri, DCAT.themeTaxonomy, SCHEMES[AUTHORITY + "data-theme/"][0])


def _dataset(cat: _Catalogue, covered: Coverage) -> None:
    config = cat.config
    iri = config.dataset_iri
    cat.add(iri, RDF.type, DCAT.Dataset)
    cat.texts(iri, DCTERMS.title, "dataset_title")
    cat.texts(iri, DCTERMS.description, "dataset_description")
    cat.add(iri, DCTERMS.identifier, Literal(iri))
    cat.add(iri, DCTERMS.publisher, config.publisher_iri)
    cat.add(iri, DCAT.contactPoint, _contact_iri(config))
    cat.add(iri, DCTERMS.license, config.licence)
    cat.add(iri, DCTERMS.issued, Literal(config.issued, datatype=XSD.date))
    if covered.modified:
        cat.add(iri, DCTERMS.modified, Literal(covered.modified))
    cat.add(iri, DCAT.landingPage, config.url("index.html"))
    cat.add(iri, DCTERMS.accrualPeriodicity, cat.concept(FREQUENCY, DCTERMS.Frequency))
    cat.add(iri, DCAT.theme, *(cat.concept(AUTHORITY + "data-theme/" + code) for code in THEMES))
    for theme in covered.themes:
        for label in cat.corpus.union.objects(theme, SKOS.prefLabel):
            if isinstance(label, Literal) and label.language in CATALOGUE_LANGUAGES:
                cat.add(iri, DCAT.keyword, label)
    cat.add(iri, DCTERMS.language, *(cat.concept(lang, DCTERMS.LinguisticSystem) for lang in covered.languages))
    cat.add(iri, DCTERMS.spatial, *(cat.concept(c, DCTERMS.Location) for c in covered.countries))
    if covered.start or covered.end:
        period = iri + "/temporal"
        cat.add(iri, DCTERMS.temporal, period)
        cat.add(period, RDF.type, DCTERMS.PeriodOfTime)
        if covered.start:
            cat.add(period, DCAT.startDate, Literal(covered.start))
        if covered.end:
            cat.add(period, DCAT.endDate, Literal(covered.end))
    cat.add(iri, DCTERMS.conformsTo, ONTOLOGY)
    cat.add(ONTOLOGY, RDF.type, DCTERMS.Standard)
    cat.texts(ONTOLOGY, DCTERMS.title, "ontology_title")


def _distribution(cat: _Catalogue, dump: Dump) -> None:
    """One file of the site: where it is, its format, its size and its SHA-256."""
    config = cat.config
    iri = distribution_iri(config, dump.name)
    url = config.url(dump.name)
    cat.add(config.dataset_iri, DCAT.distribution, iri)
    cat.add(iri, RDF.type, DCAT.Distribution)
    cat.add(iri, DCTERMS.title, Literal(dump.title, lang="en"))
    cat.add(iri, DCTERMS.description, Literal(f"{dump.title}: the file {dump.name}.", lang="en"))
    cat.add(iri, DCAT.accessURL, url)
    cat.add(iri, DCAT.downloadURL, url)
    cat.add(iri, DCTERMS.format, cat.concept(dump.file_type, DCTERMS.MediaTypeOrExtent))
    cat.add(iri, DCAT.mediaType, _media_type(cat, dump.media_type))
    if dump.compress_format:
        cat.add(iri, DCAT.compressFormat, _media_type(cat, dump.compress_format))
    if dump.package_format:
        cat.add(iri, DCAT.packageFormat, _media_type(cat, dump.package_format))
    cat.add(iri, DCAT.byteSize, Literal(dump.byte_size, datatype=XSD.nonNegativeInteger))
    checksum = iri + "/checksum"
    cat.add(iri, SPDX.checksum, checksum)
    cat.add(checksum, RDF.type, SPDX.Checksum)
    cat.add(checksum, SPDX.algorithm, SHA256)
    cat.add(SHA256, RDF.type, SPDX.ChecksumAlgorithm)
    cat.add(SHA256, OWL.sameAs, SPDX.checksumAlgorithm_sha256)
    cat.add(SHA256, RDFS.label, Literal("SHA-256", lang="en"))
    cat.add(checksum, SPDX.checksumValue, Literal(dump.sha256, datatype=XSD.hexBinary))
    cat.add(iri, DCTERMS.license, config.licence)
    cat.add(iri, DCATAP.availability, cat.concept(AVAILABILITY))


def distribution_iri(config: PublishConfig, name: str) -> str:
    """A stable IRI for the distribution of one file: ``graph.nt.gz`` → ``…/distribution/graph-nt-gz``."""
    return config.dataset_iri + "/distribution/" + name.replace(".", "-")


def _media_type(cat: _Catalogue, media_type: str) -> URIRef:
    iri = IANA + media_type
    cat.add(iri, RDF.type, DCTERMS.MediaType)
    return URIRef(iri)


def _service(cat: _Catalogue, endpoint: str) -> None:
    """The SPARQL endpoint as a data service, and a distribution that is reached through it."""
    config = cat.config
    service = config.dataset_iri + "/service/sparql"
    cat.add(config.catalog_iri, DCAT.service, service)
    cat.add(service, RDF.type, DCAT.DataService)
    cat.texts(service, DCTERMS.title, "service_title")
    cat.add(service, DCAT.endpointURL, endpoint)
    cat.add(service, DCAT.endpointDescription, endpoint)
    cat.add(service, DCAT.servesDataset, config.dataset_iri)
    cat.add(service, DCTERMS.conformsTo, SPARQL_PROTOCOL)
    cat.add(SPARQL_PROTOCOL, RDF.type, DCTERMS.Standard)
    cat.add(service, DCTERMS.publisher, config.publisher_iri)
    cat.add(service, DCAT.contactPoint, _contact_iri(config))
    cat.add(service, DCTERMS.license, config.licence)
    cat.add(service, DCAT.theme, *(AUTHORITY + "data-theme/" + code for code in THEMES))
    cat.add(service, DCAT.keyword, Literal("SPARQL", lang="en"), Literal("SPARQL", lang="sv"))
    iri = config.dataset_iri + "/distribution/sparql"
    cat.add(config.dataset_iri, DCAT.distribution, iri)
    cat.add(iri, RDF.type, DCAT.Distribution)
    cat.texts(iri, DCTERMS.title, "service_title")
    cat.texts(iri, DCTERMS.description, "service_description")
    cat.add(iri, DCAT.accessURL, endpoint)
    cat.add(iri, DCTERMS.format, cat.concept(AUTHORITY + "file-type/SPARQLQ", DCTERMS.MediaTypeOrExtent))
    cat.add(iri, DCAT.accessService, service)
    cat.add(iri, DCTERMS.license, config.licence)
    cat.add(iri, DCATAP.availability, AVAILABILITY)


def write_catalog(corpus: Corpus, dumps: list[Dump], config: PublishConfig, out: Path) -> list[str]:
    """Write catalog.ttl and catalog.rdf (the same triples) into ``out``."""
    graph = catalogue_graph(corpus, dumps, config)
    (out / "catalog.ttl").write_bytes(graph.serialize(format="turtle", encoding="utf-8"))
    (out / "catalog.rdf").write_bytes(serialize_sorted(sorted(graph, key=triple_key), ox.RdfFormat.RDF_XML))
    return ["catalog.rdf", "catalog.ttl"]
