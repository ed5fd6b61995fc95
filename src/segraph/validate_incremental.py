"""Incremental validation for a curator's CI: re-check only the focus nodes the changed files touch.

``segraph validate --incremental`` keeps a cache (``validate_cache``): an Oxigraph
store of the whole graph and the last findings. On the next run unchanged files are
not read again; a changed file's named graph is replaced, and its triples before and
after are compared. The focus nodes to re-check, per compiled constraint, are:

- every subject and object of a triple that was removed or added (a node's own
  values, types and targets, ``sh:targetObjectsOf`` included, are all such triples);
- for ``sh:class`` on a property's values: the nodes that point, along that
  property, at a node whose ``rdf:type`` changed;
- for a SHACL-SPARQL constraint that only walks forward from ``$this`` to depth d:
  the nodes from which a subject of a changed triple is reachable in d steps (a
  constraint that reads anything else is run in full).

Quality checks run on a small graph: the ontology, the reference data, every triple
about a re-checked node and every class and property declaration. That is exact for
checks whose rows for a focus node depend on the node's own triples and on the
declarations, as every check in ``ontology/checks/`` does; write a new check that
way, or validate without ``--incremental``.

Findings of every other focus node are kept from the cache. The run falls back to a
full one, and says why, when the cache is missing or stale, when the ontology, the
reference data, the shapes or the checks changed, when a change touches the class
hierarchy or a declaration, when two files share a named graph, or when so much
changed that a full run is as quick. The report equals a full ``validate_store`` run's.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SH
from rdflib.term import Node

from segraph import paths
from segraph.checks import Check, load_checks
from segraph.load import Role, parse_shared
from segraph.shacl_compile import CompiledConstraint, compile_shapes, focus_restriction
from segraph.store import (
    BULK_THRESHOLD,
    RDF_FORMATS,
    OxigraphStore,
    StoredFile,
    documents_in,
    graph_name,
    load_file,
    open_embedded,
    source_files,
    to_oxigraph,
)
from segraph.validate import ValidationReport, store_report, validate_store
from segraph.validate_cache import (
    STORE,
    CacheState,
    FileRecord,
    file_hash,
    fingerprint,
    read_state,
    records_by_path,
    unchanged,
    write_state,
)
from segraph.validate_fast import Finding, check_findings, constraint_findings, from_oxigraph, oxigraph_select

Note = Callable[[str], None]

# Beyond these a full run is about as quick, and far simpler.
MAX_CHANGED_BYTES = 64 << 20
MAX_FOCUS = 50_000
MAX_BLANK_DEPTH = 8

_TYPE = ox.NamedNode(str(RDF.type))
# A change to one of these triples changes what other nodes' results mean: the run is a full one.
_HIERARCHY = {ox.NamedNode(str(p)) for p in (RDFS.subClassOf, RDFS.subPropertyOf)}
_DECLARATIONS = [
    ox.NamedNode(str(k))
    for k in (OWL.Class, RDFS.Class, OWL.ObjectProperty, OWL.DatatypeProperty, OWL.AnnotationProperty, RDF.Property)
]


class _FullRun(Exception):
    """The cache cannot answer this run: the reason, for the note."""


@dataclass
class _Change:
    """The triples removed or added, and the nodes they name."""

    before: set[ox.Triple] = field(default_factory=set)
    after: set[ox.Triple] = field(default_factory=set)

    def add(self, before: Iterable[ox.Quad], after: Iterable[ox.Quad]) -> None:
        self.before.update(ox.Triple(q.subject, q.predicate, q.object) for q in before)
        self.after.update(ox.Triple(q.subject, q.predicate, q.object) for q in after)

    @property
    def triples(self) -> set[ox.Triple]:
        """What differs: a triple moved from one file to another is no change."""
        return self.before ^ self.after

    def touched(self) -> set[Node]:
        nodes: set[Node] = set()
        for triple in self.triples:
            nodes.add(from_oxigraph(triple.subject))
            if not isinstance(triple.object, ox.Literal):
                nodes.add(from_oxigraph(triple.object))
        return nodes

    def subjects(self, predicate: ox.NamedNode | None = None) -> set[Node]:
        return {from_oxigraph(t.subject) for t in self.triples if predicate is None or t.predicate == predicate}

    def global_reason(self) -> str | None:
        for triple in self.triples:
            if triple.predicate in _HIERARCHY or (triple.predicate == _TYPE and triple.object in _DECLARATIONS):
                return f"a changed triple declares a term or changes the hierarchy ({triple})"
        return None


def validate_incremental(
    data_paths: Sequence[Path] | None, cache: Path, note: Note = lambda _text: None
) -> ValidationReport:
    """Validate the files, re-checking only what changed since the run that wrote ``cache``."""
    shapes = parse_shared(paths.shapes_file(), Role.ONTOLOGY).graph
    compiled = compile_shapes(shapes)
    checks = load_checks(paths.checks_dir())
    expected = fingerprint([c.template for c in compiled.constraints] + [c.query for c in checks])
    for constraint in compiled.constraints:
        if constraint.sparql is not None:
            # Parse with rdflib now: pyparsing's exceptions keep the frames they pass in reference
            # cycles, and a frame holding the cache's store would keep its database locked.
            constraint.sparql.forward_depth  # noqa: B018
    sources = source_files(data_paths)
    if compiled.fallback:
        note("not incremental: some shapes are outside the compiled subset (pySHACL checks them on the whole graph)")
        return validate_store(open_embedded(data_paths))
    state, reason = read_state(cache, expected)
    if state is not None:
        try:
            return _incremental(state, sources, cache, compiled.constraints, checks, note)
        except _FullRun as why:
            reason = str(why)
    note(f"full run: {reason}; the cache goes to {cache}")
    return _full(data_paths, cache, expected, compiled.constraints, checks)


def _full(
    data_paths: Sequence[Path] | None,
    cache: Path,
    expected: str,
    constraints: list[CompiledConstraint],
    checks: list[Check],
) -> ValidationReport:
    """Validate in memory (fast), then keep the graph on disk, blank nodes as they were, and the findings."""
    memory = open_embedded(data_paths)
    report_store = memory
    select = oxigraph_select(memory.oxigraph)
    findings: dict[str, list[Finding]] = {}
    for index, constraint in enumerate(constraints):
        found = constraint_findings(select, constraint, select(constraint.query), None)
        findings[str(index)] = sorted(set(found), key=str)
    for check in checks:
        findings[check.name] = sorted(check_findings(check, select(check.query)), key=str)
    records = _build_store(memory, cache)
    write_state(cache, CacheState(expected, records, findings))
    return store_report(report_store, [f for found in findings.values() for f in found])


def _build_store(memory: OxigraphStore, cache: Path) -> list[FileRecord]:
    """The cache's store, built beside the old one and swapped in.

    A file without blank nodes is loaded from its bytes (Oxigraph's bulk loader); one
    with blank nodes is copied from memory, so that they keep the names the findings use.
    """
    write_state(cache, None)
    fresh = cache / f"{STORE}.new"
    shutil.rmtree(fresh, ignore_errors=True)
    disk = ox.Store(str(fresh))
    records = []
    for stored in memory.files:
        graph = ox.NamedNode(stored.graph)
        has_blank = memory.oxigraph.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o FILTER (isBlank(?s) || isBlank(?o)) }} }}")
        if has_blank:
            disk.bulk_extend(memory.oxigraph.quads_for_pattern(None, None, None, graph))
        else:
            load_file(disk, stored.path, stored.role, bulk=stored.path.stat().st_size > BULK_THRESHOLD)
        records.append(_record(stored))
    disk.flush()
    del disk
    shutil.rmtree(cache / STORE, ignore_errors=True)
    fresh.rename(cache / STORE)
    return records


def _record(stored: StoredFile, digest: str | None = None) -> FileRecord:
    stat = stored.path.stat()
    return FileRecord(
        path=str(stored.path.resolve()),
        role=stored.role,
        size=stat.st_size,
        mtime_ns=stat.st_mtime_ns,
        sha256=digest or file_hash(stored.path),
        graph=stored.graph,
        triples=stored.triples,
    )


def _incremental(
    state: CacheState,
    sources: list[tuple[Path, str]],
    cache: Path,
    constraints: list[CompiledConstraint],
    checks: list[Check],
    note: Note,
) -> ValidationReport:
    old = records_by_path(state.files)
    if [(r.path, r.role) for r in state.files if r.role != "data"] != [
        (str(p.resolve()), role) for p, role in sources if role != "data"
    ]:
        raise _FullRun("the ontology or reference files are not the ones the cache holds")
    kept: list[FileRecord] = []
    changed: list[tuple[Path, FileRecord | None, str]] = []  # path, old record, new hash
    for path, role in sources:
        record = old.get(str(path.resolve()))
        if record is None:
            changed.append((path, None, file_hash(path)))
            continue
        same, digest = unchanged(record, path)
        if same:
            kept.append(replace(record, mtime_ns=path.stat().st_mtime_ns) if digest else record)
        elif role != "data":
            raise _FullRun(f"{path} changed")
        else:
            changed.append((path, record, digest or file_hash(path)))
    current = {str(p.resolve()) for p, _ in sources}
    removed = [r for r in state.files if r.path not in current]
    if not changed and not removed:
        note(f"incremental: no file changed since the last run ({cache})")
        return store_report(_open(cache, kept, sources), [f for found in state.findings.values() for f in found])
    before = [r for _, r, _ in changed if r is not None] + removed
    if sum(p.stat().st_size for p, _, _ in changed) + sum(r.size for r in before) > MAX_CHANGED_BYTES:
        raise _FullRun("more than 64 MB of data changed")
    graphs = [r.graph for r in kept] + [_graph_of(p) for p, _, _ in changed]
    if len(set(graphs)) != len(graphs):
        raise _FullRun("two files share a named graph (they state the same source document)")

    write_state(cache, None)  # until the new state is written, the cache is not to be trusted
    disk = _open_store(cache, read_only=False)
    change = _Change()
    records = {r.path: r for r in kept}
    for record in removed + [r for _, r, _ in changed if r is not None]:
        graph = ox.NamedNode(record.graph)
        change.add(disk.quads_for_pattern(None, None, None, graph), ())
        disk.remove_graph(graph)
    for path, _, digest in changed:
        stored = load_file(disk, path, "data", bulk=path.stat().st_size > BULK_THRESHOLD)
        change.add((), disk.quads_for_pattern(None, None, None, ox.NamedNode(stored.graph)))
        records[str(path.resolve())] = _record(stored, digest)
    if reason := change.global_reason():
        raise _FullRun(reason)
    files = [records[str(p.resolve())] for p, _ in sources]
    store = OxigraphStore(disk, [_stored(r) for r in files], f"the cache in {cache}")
    findings, rechecked = _recheck(store, change, constraints, checks, state.findings)
    write_state(cache, CacheState(state.fingerprint, files, findings))
    note(
        f"incremental: {len(changed)} file(s) changed, {len(removed)} removed; "
        f"{rechecked} focus node(s) re-checked, the other findings kept from {cache}"
    )
    return store_report(store, [f for found in findings.values() for f in found])


def _graph_of(path: Path) -> str:
    fmt = RDF_FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise _FullRun(f"{path} is not an RDF file this tool reads")  # the full run reports it
    try:
        return graph_name(path, "data", documents_in(path, fmt, path.resolve().as_uri()))
    except (SyntaxError, OSError, ValueError) as error:
        raise _FullRun(f"{path} cannot be read ({error})") from None


def _stored(record: FileRecord) -> StoredFile:
    return StoredFile(Path(record.path), record.role, record.graph, record.triples)


def _open(cache: Path, records: list[FileRecord], sources: list[tuple[Path, str]]) -> OxigraphStore:
    by_path = records_by_path(records)
    files = [_stored(by_path[str(p.resolve())]) for p, _ in sources]
    return OxigraphStore(_open_store(cache, read_only=True), files, f"the cache in {cache}")


def _open_store(cache: Path, read_only: bool) -> ox.Store:
    """The cache's database; one that cannot be opened (damaged, or in use) makes this a full run."""
    try:
        return ox.Store.read_only(str(cache / STORE)) if read_only else ox.Store(str(cache / STORE))
    except OSError as error:
        raise _FullRun(f"the cache's store cannot be opened ({error})") from None


def _recheck(
    store: OxigraphStore,
    change: _Change,
    constraints: list[CompiledConstraint],
    checks: list[Check],
    cached: dict[str, list[Finding]],
) -> tuple[dict[str, list[Finding]], int]:
    """New findings for the focus nodes a change can affect; the cached ones for every other node."""
    touched = change.touched()
    if len(touched) > MAX_FOCUS:
        raise _FullRun(f"the change touches {len(touched)} nodes")
    oxigraph = store.oxigraph
    select = oxigraph_select(oxigraph)
    typed = change.subjects(_TYPE)
    findings: dict[str, list[Finding]] = {}
    rechecked: set[Node] = set(touched)
    for index, constraint in enumerate(constraints):
        focus: set[Node] | None = set(touched)
        if constraint.component == SH.ClassConstraintComponent and constraint.path_properties:
            focus = touched | _pointing_at(oxigraph, typed, constraint.path_properties)
        if constraint.sparql is not None:
            depth = constraint.sparql.forward_depth
            reaching = None if depth is None else _reaching(oxigraph, change.subjects(), depth)
            focus = None if reaching is None else touched | reaching
        restriction = None if focus is None else _restriction(oxigraph, focus)
        query = constraint.query if restriction is None else constraint.for_focus(restriction)
        found = set(constraint_findings(select, constraint, select(query), None))
        key = str(index)
        if focus is None or restriction is None:
            findings[key] = sorted(found, key=str)
            continue
        rechecked |= focus
        kept = [f for f in cached.get(key, []) if f.focus not in focus]
        findings[key] = sorted(set(kept) | {f for f in found if f.focus in focus}, key=str)
    local = _local_graph(oxigraph, store.files, touched)
    local_select = oxigraph_select(local)
    for check in checks:
        found = {f for f in check_findings(check, local_select(check.query)) if f.focus in touched}
        kept = [f for f in cached.get(check.name, []) if f.focus not in touched]
        findings[check.name] = sorted(set(kept) | found, key=str)
    return findings, len(rechecked)


def _pointing_at(store: ox.Store, targets: set[Node], properties: tuple[URIRef, ...]) -> set[Node]:
    """The nodes with one of the properties pointing at one of the targets."""
    found: set[Node] = set()
    for target in targets:
        for prop in properties:
            for quad in store.quads_for_pattern(None, ox.NamedNode(str(prop)), to_oxigraph(target), None):
                found.add(from_oxigraph(quad.subject))
    return found


def _reaching(store: ox.Store, subjects: set[Node], depth: int) -> set[Node] | None:
    """The nodes from which one of the subjects is reachable in up to ``depth`` steps (None: too many)."""
    closure = set(subjects)
    frontier = set(subjects)
    for _ in range(depth):
        step: set[Node] = set()
        for node in frontier:
            if isinstance(node, URIRef | BNode):
                quads = store.quads_for_pattern(None, None, to_oxigraph(node), None)
                step.update(from_oxigraph(q.subject) for q in quads)
        frontier = step - closure
        closure |= frontier
        if len(closure) > MAX_FOCUS:
            return None
    return closure


def _restriction(store: ox.Store, focus: set[Node]) -> str | None:
    """The focus restriction for these nodes; blank nodes by the IRI holding them (None: one has no such IRI)."""
    holders: dict[int, set[URIRef]] = {}
    for node in focus:
        if not isinstance(node, BNode):
            continue
        current: Node = node
        for depth in range(1, MAX_BLANK_DEPTH + 1):
            quads = list(store.quads_for_pattern(None, None, to_oxigraph(current), None))
            if not quads:
                if depth == 1 and not any(
                    True for _ in store.quads_for_pattern(ox.BlankNode(str(node)), None, None, None)
                ):
                    break  # gone with its file: nothing to query, its cached findings are dropped
                return None  # a blank node no IRI holds cannot be named: run the constraint in full
            current = from_oxigraph(quads[0].subject)
            if isinstance(current, URIRef):
                holders.setdefault(depth, set()).add(current)
                break
        else:
            return None
    return focus_restriction((n for n in focus if isinstance(n, URIRef)), holders)


def _local_graph(store: ox.Store, files: list[StoredFile], nodes: set[Node]) -> ox.Store:
    """The ontology, the reference data, every triple about the nodes and every declaration, in memory."""
    local = ox.Store()
    quads: list[ox.Quad] = []
    for stored in files:
        if stored.role != "data":
            quads += store.quads_for_pattern(None, None, None, ox.NamedNode(stored.graph))
    declared = {q.subject for kind in _DECLARATIONS for q in store.quads_for_pattern(None, _TYPE, kind, None)}
    named = {
        ox.NamedNode(str(n)) if isinstance(n, URIRef) else ox.BlankNode(str(n))
        for n in nodes
        if isinstance(n, URIRef | BNode)
    }
    for subject in declared | named:
        quads += store.quads_for_pattern(subject, None, None, None)
    local.bulk_extend(quads)
    return local
