"""Namespaces used across segraph, bound once so every output uses the same prefixes."""

from __future__ import annotations

from rdflib import Graph, Namespace
from rdflib.namespace import DCAT, DCTERMS, FOAF, ORG, OWL, PROV, RDF, RDFS, SH, SKOS, TIME, XSD

SEG = Namespace("https://w3id.org/segraph/ontology#")
SEGSH = Namespace("https://w3id.org/segraph/shapes#")
SCHEMA = Namespace("http://schema.org/")
BASE = "https://w3id.org/segraph/"
GRAPH_BASE = BASE + "graph/"
NUTS = Namespace("http://data.europa.eu/nuts/code/")
COUNTRY = Namespace("http://publications.europa.eu/resource/authority/country/")
LANGUAGE = Namespace("http://publications.europa.eu/resource/authority/language/")

PREFIXES: dict[str, str] = {
    "seg": str(SEG),
    "segsh": str(SEGSH),
    "schema": str(SCHEMA),
    "dct": str(DCTERMS),
    "dcat": str(DCAT),
    "foaf": str(FOAF),
    "org": str(ORG),
    "owl": str(OWL),
    "prov": str(PROV),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "sh": str(SH),
    "skos": str(SKOS),
    "time": str(TIME),
    "xsd": str(XSD),
    "nuts": str(NUTS),
    "country": str(COUNTRY),
    "language": str(LANGUAGE),
    "project": BASE + "project/",
    "organisation": BASE + "organisation/",
    "person": BASE + "person/",
    "participation": BASE + "participation/",
    "membership": BASE + "membership/",
    "period": BASE + "period/",
    "document": BASE + "document/",
    "event": BASE + "event/",
    "place": BASE + "place/",
    "output": BASE + "output/",
    "statistic": BASE + "statistic/",
    "amount": BASE + "amount/",
    "group": BASE + "group/",
    "role": BASE + "vocab/role/",
    "kind": BASE + "vocab/organisation-kind/",
    "eventkind": BASE + "vocab/event-kind/",
    "theme": BASE + "vocab/theme/",
    "programme": BASE + "vocab/programme/",
    "policy": BASE + "vocab/policy/",
    "policykind": BASE + "vocab/policy-kind/",
}


def bind_prefixes(graph: Graph) -> Graph:
    """Bind segraph's prefixes on a graph (replacing rdflib's defaults) and return it."""
    for prefix, uri in PREFIXES.items():
        graph.bind(prefix, uri, override=True, replace=True)
    return graph
