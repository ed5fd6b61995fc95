"""The cache of ``segraph validate --incremental``: what the last run read and what it found.

A cache folder (``.segraph-cache/`` by default) holds ``state.json`` and ``store/``, an
Oxigraph database of the whole graph, one named graph per file. The state records,
for each file, its size, modification time, content hash and named graph, and the
findings of the last run, per compiled constraint and per quality check, before
they are located in files (locations change when files change; findings of
untouched focus nodes do not).

The state carries a fingerprint of everything findings depend on besides the data:
segraph's and pyoxigraph's versions, the compiled shape queries and the checks. A
cache with another fingerprint, a damaged one, or one a run left half-updated
(``dirty``) is ignored: the run is then a full one, never a wrong one.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from pathlib import Path

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from segraph.validate_fast import Finding

CACHE_FORMAT = 1
STATE = "state.json"
STORE = "store"
DEFAULT_CACHE = Path(".segraph-cache")


@dataclass(frozen=True)
class FileRecord:
    """One file as the cache last read it: where, its role, what it held, and how to tell it changed."""

    path: str  # resolved
    role: str
    size: int
    mtime_ns: int
    sha256: str
    graph: str
    triples: int


@dataclass
class CacheState:
    """What the last run read (``files``) and found (``findings``, by compiled constraint index or check name)."""

    fingerprint: str
    files: list[FileRecord]
    findings: dict[str, list[Finding]]


def fingerprint(queries: Iterable[str]) -> str:
    """A hash of what findings depend on besides the data: the versions and every validation query."""
    from segraph import __version__

    digest = hashlib.sha256(f"{CACHE_FORMAT} {__version__} {ox.__version__}".encode())
    for query in queries:
        digest.update(b"\0" + query.encode("utf-8"))
    return digest.hexdigest()


def file_hash(path: Path) -> str:
    """The SHA-256 of a file's bytes, read in blocks (a big export is never held in memory)."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while block := handle.read(1 << 22):
            digest.update(block)
    return digest.hexdigest()


def unchanged(record: FileRecord, path: Path) -> tuple[bool, str | None]:
    """Whether a file still holds what the record says, and its hash when it had to be computed.

    Same size and modification time means unchanged (as make and git decide); otherwise
    the content hash decides, so a fresh checkout that only touched times costs a read.
    """
    stat = path.stat()
    if stat.st_size == record.size and stat.st_mtime_ns == record.mtime_ns:
        return True, None
    digest = file_hash(path)
    return digest == record.sha256 and stat.st_size == record.size, digest


def read_state(directory: Path, expected: str) -> tuple[CacheState | None, str]:
    """The cache's state, or None and why it cannot be used."""
    path = directory / STATE
    if not path.is_file() or not (directory / STORE).is_dir():
        return None, f"no cache in {directory}"
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        if raw.get("dirty"):
            return None, "the last run stopped while updating the cache"
        if raw.get("fingerprint") != expected:
            return None, "the cache was made by another version, other shapes or other checks"
        files = [FileRecord(**record) for record in raw["files"]]
        findings = {key: [_finding(f) for f in found] for key, found in raw["findings"].items()}
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        return None, f"the cache is damaged ({type(error).__name__}: {error})"
    return CacheState(expected, files, findings), ""


def write_state(directory: Path, state: CacheState | None) -> None:
    """Write the state atomically; None marks the cache dirty (written before the store is changed)."""
    if state is None:
        raw: dict[str, object] = {"dirty": True}
    else:
        raw = {
            "fingerprint": state.fingerprint,
            "files": [asdict(record) for record in state.files],
            "findings": {key: [_finding_json(f) for f in found] for key, found in state.findings.items()},
        }
    directory.mkdir(parents=True, exist_ok=True)
    part = directory / f".{STATE}.{os.getpid()}"
    part.write_text(json.dumps(raw, separators=(",", ":")), encoding="utf-8")
    os.replace(part, directory / STATE)


def _finding_json(finding: Finding) -> list[object]:
    return [
        _term_json(finding.severity),
        _term_json(finding.focus),
        _term_json(finding.path),
        _term_json(finding.value),
        finding.message,
        _term_json(finding.source_shape),
        _term_json(finding.constraint),
    ]


def _finding(raw: list[object]) -> Finding:
    severity, focus, path, value, message, shape, constraint = raw
    return Finding(
        _json_term(severity),  # type: ignore[arg-type]
        _json_term(focus),  # type: ignore[arg-type]
        _json_term(path),
        _json_term(value),
        str(message),
        _json_term(shape),
        _json_term(constraint),
    )


def _term_json(node: Node | None) -> object:
    """A term as JSON, exactly (kind, text, language, datatype)."""
    if node is None:
        return None
    if isinstance(node, URIRef):
        return ["i", str(node)]
    if isinstance(node, BNode):
        return ["b", str(node)]
    if isinstance(node, Literal):
        return ["l", str(node), node.language, str(node.datatype) if node.datatype else None]
    raise TypeError(f"not an RDF term: {node!r}")


def _json_term(raw: object) -> Node | None:
    if raw is None:
        return None
    if not isinstance(raw, list) or not raw:
        raise ValueError(f"not a cached term: {raw!r}")
    kind = raw[0]
    if kind == "i":
        return URIRef(raw[1])
    if kind == "b":
        return BNode(raw[1])
    if kind == "l":
        return Literal(raw[1], lang=raw[2], datatype=URIRef(raw[3]) if raw[3] else None)
    raise ValueError(f"not a cached term: {raw!r}")


def records_by_path(records: Iterable[FileRecord]) -> Mapping[str, FileRecord]:
    return {record.path: record for record in records}
