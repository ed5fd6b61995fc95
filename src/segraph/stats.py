"""What the graph holds: triples, resources by class, facts by source document.

Counted by SPARQL on an Oxigraph store (in memory, or on disk from ``segraph load``),
so the numbers come without rdflib and without reading the files again.
"""

from __future__ import annotations

from dataclasses import dataclass

from segraph.store import OxigraphStore

SEG = "https://w3id.org/segraph/ontology#"
TITLE = "http://purl.org/dc/terms/title"


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


def compute_stats(store: OxigraphStore) -> Stats:
    """Count over the union (classes, distinct triples) and per file (documents, ontology, reference data)."""
    classes = " ".join(f"<{SEG}{c}>" for c in _SHOWN_CLASSES)
    counted = store.select(
        f"SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE {{ VALUES ?c {{ {classes} }} ?s a ?c }} GROUP BY ?c"
    )
    by_class = {str(row["c"]): int(row["n"]) for row in counted}
    shown = {f"seg:{c}": by_class.get(SEG + c, 0) for c in _SHOWN_CLASSES}
    titles: dict[str, str] = {}
    for row in store.select(f"SELECT ?g ?t WHERE {{ GRAPH ?g {{ ?g <{TITLE}> ?t }} }} ORDER BY ?g STR(?t)"):
        titles.setdefault(str(row["g"]), str(row["t"]))
    documents = [
        DocumentStats(f.display, f.graph, titles.get(f.graph, ""), f.triples) for f in store.files if f.role == "data"
    ]
    files = {f.display: f.triples for f in store.files if f.role != "data"}
    return Stats(triples=store.count(), files=files, classes=shown, documents=documents)


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
