"""The site's documentation pages: the ontology, and the saved-query catalogue with sample results.

Both are generated from the files they document (``ontology/segraph.ttl``, ``ontology/shapes.ttl``,
``queries/*.rq``), so the pages cannot drift from what segraph validates and runs. The ontology
page is built by ontology_doc (with shapes_doc), the query pages by query_doc.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import URIRef

from segraph import paths
from segraph.load import Corpus, Role, parse_shared
from segraph.publish.config import PublishConfig
from segraph.publish.doctext import Linker, namespaces, write_text
from segraph.publish.ontology_doc import ontology_page
from segraph.publish.query_doc import SAMPLE_ROWS, write_queries

__all__ = ["SAMPLE_ROWS", "write_docs"]


def write_docs(corpus: Corpus, config: PublishConfig, out: Path) -> list[str]:
    """Write ontology.html, queries.html and one page plus the .rq file per saved query.

    Returns the written files, relative to ``out``, sorted.
    """
    ontology = next(f.graph for f in corpus.files if f.role is Role.ONTOLOGY)
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    described = frozenset(
        str(s) for f in corpus.files if f.role is not Role.ONTOLOGY for s in f.graph.subjects() if isinstance(s, URIRef)
    )
    site = Linker("", namespaces(ontology, shapes), described)
    written = [write_text(out, "ontology.html", ontology_page(ontology, shapes, site))]
    return sorted(written + write_queries(corpus, config, site, out))
