"""What the graph holds: triples, resources by class, facts by source document."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from rdflib import Graph, URIRef
from rdflib.namespace import DCTERMS, RDF

from segraph.load import Corpus, Role
from segraph.namespaces import SEG, bind_prefixes


@dataclass(frozen=True)
class DocumentStats:
    """The facts one source document contributes: its file, title and triple count."""

    file: str
    document: str
    title: str
    triples: int


@dataclass(frozen=True)
class Stats:
    triples: int
    files: dict[str, int]
    classes: dict[str, int]
    documents: list[DocumentStats]


_SHOWN_CLASSES = (
    "Project",
    "Organisation",
    "Person",
    "Participation",
    "Membership",
    "Period",
    "Event",
    "Output",
    "Statistic",
    "FundingProgramme",
    "Policy",
    "SourceDocument",
)


def compute_stats(corpus: Corpus) -> Stats:
    """Count over the union graph (classes) and per file (documents)."""
    union = corpus.union
    names = bind_prefixes(Graph())
    classes = Counter(union.objects(None, RDF.type))
    shown = {names.namespace_manager.normalizeUri(SEG[c]): classes.get(SEG[c], 0) for c in _SHOWN_CLASSES}
    documents = []
    for source in corpus.data_files:
        doc = source.name
        title = next((str(t) for t in source.graph.objects(doc, DCTERMS.title)), "") if isinstance(doc, URIRef) else ""
        documents.append(DocumentStats(source.display, str(doc), title, len(source.graph)))
    files = {f.display: len(f.graph) for f in corpus.files if f.role is not Role.DATA}
    return Stats(triples=len(union), files=files, classes=shown, documents=documents)


def render_stats(stats: Stats) -> str:
    lines = [f"{stats.triples} triples in the graph (ontology, reference data and data)", "", "Resources by class:"]
    width = max(len(c) for c in stats.classes)
    lines += [f"  {c.ljust(width)}  {n:>6}" for c, n in stats.classes.items()]
    lines += ["", "Facts by source document:"]
    for d in stats.documents:
        lines.append(f"  {d.file}: {d.triples} triples — {d.title or d.document}")
    lines += ["", "Ontology and reference data:"]
    lines += [f"  {f}: {n} triples" for f, n in stats.files.items()]
    return "\n".join(lines)
