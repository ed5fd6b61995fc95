"""Files → graph: parse each RDF file once and keep which file stated what; files → a store on disk.

Every command starts here. The ontology and the reference data are always loaded;
the data files are the paths the user gives (default: ``data/``). Each file is
parsed exactly once into its own graph, which becomes one named graph (for a
document's file, named by the document's IRI) and is merged into one union graph
for validation and queries. Parse errors become a LoadError naming file and line.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from xml.sax import SAXParseException

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import RDF
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from segraph import paths
from segraph.errors import LoadError
from segraph.namespaces import SEG, bind_prefixes
from segraph.store import expand_paths as expand_paths
from segraph.store import graph_name, source_files

FORMATS: dict[str, str] = {
    ".ttl": "turtle",
    ".nt": "nt",
    ".n3": "n3",
    ".jsonld": "json-ld",
    ".rdf": "xml",
    ".owl": "xml",
}


class Role(StrEnum):
    """What a file is to segraph; it decides how results from it are reported."""

    ONTOLOGY = "ontology"
    REFERENCE = "reference"
    DATA = "data"


@dataclass
class SourceFile:
    """One parsed file: its path, its role, its triples and its named-graph IRI."""

    path: Path
    role: Role
    graph: Graph
    name: URIRef

    @property
    def display(self) -> str:
        """The path as a user would type it: relative to the working folder where possible."""
        return paths.shown(self.path)

    @cached_property
    def subject_lines(self) -> dict[Node, int]:
        """First line on which each subject's block starts, found by reading the file's text.

        Only Turtle blocks written the usual way (subject at the start of a line) are
        found; that is enough to point a curator at the right place.
        """
        if FORMATS.get(self.path.suffix.lower()) != "turtle":
            return {}
        found: dict[Node, int] = {}
        namespaces = dict(self.graph.namespaces())
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):  # moved or rewritten since it was parsed: no lines
            return {}
        for number, line in enumerate(text.splitlines(), start=1):
            if not line or line[0] in " \t#@" or _DIRECTIVE.match(line):
                continue
            token = line.split()[0]
            node = _expand(token, namespaces)
            if node is not None and node not in found:
                found[node] = number
        return found


_DIRECTIVE = re.compile(r"(?i)(PREFIX|BASE)\s")


def _expand(token: str, namespaces: dict[str, URIRef]) -> URIRef | None:
    """Turn a Turtle subject token (<iri> or prefix:local) into an IRI, or None."""
    if token.startswith("<") and token.endswith(">"):
        return URIRef(token[1:-1])
    match = re.fullmatch(r"([A-Za-z][\w.-]*)?:([\w.\-/%]*)", token)
    if match and (match.group(1) or "") in namespaces:
        return URIRef(str(namespaces[match.group(1) or ""]) + match.group(2))
    return None


@dataclass
class Corpus:
    """Everything one command works on: the parsed files and their union."""

    files: list[SourceFile]
    union: Graph = field(init=False)

    def __post_init__(self) -> None:
        self.union = bind_prefixes(Graph())
        for source in self.files:
            self.union += source.graph

    @property
    def data_files(self) -> list[SourceFile]:
        return [f for f in self.files if f.role is Role.DATA]

    @cached_property
    def _subject_index(self) -> dict[Node, list[SourceFile]]:
        index: dict[Node, list[SourceFile]] = {}
        for source in self.files:
            for subject in set(source.graph.subjects()):
                index.setdefault(subject, []).append(source)
        return index

    @cached_property
    def _object_index(self) -> dict[Node, list[tuple[SourceFile, Node, Node]]]:
        """For each IRI used as an object in a data file: the file, subject and predicate using it."""
        index: dict[Node, list[tuple[SourceFile, Node, Node]]] = {}
        for source in self.data_files:
            for subject, predicate, obj in source.graph:
                if isinstance(obj, URIRef):
                    index.setdefault(obj, []).append((source, subject, predicate))
        for uses in index.values():
            uses.sort(key=lambda use: (str(use[0].path), str(use[1]), str(use[2])))
        return index

    def uses(self, node: Node) -> list[tuple[SourceFile, Node, Node]]:
        """Where data files use ``node`` as an object: (file, subject, predicate), in file order."""
        return self._object_index.get(node, [])

    def locate(self, node: Node) -> tuple[SourceFile | None, int | None]:
        """The file (and line) a curator should open to fix something about ``node``.

        A data file that describes the node comes first; then a data file that uses it
        (say an unknown role), pointing at the line of the resource that uses it; then
        the reference data or ontology that describe it. A blank node is traced to the
        named resource that holds it.
        """
        seen: set[Node] = set()
        while isinstance(node, BNode) and node not in seen:
            seen.add(node)
            holder = next(iter(self.union.subjects(None, node)), None)
            if holder is None:
                break
            node = holder
        describing = self._subject_index.get(node, [])
        for source in describing:
            if source.role is Role.DATA:
                return source, source.subject_lines.get(node)
        for source, subject, _ in self.uses(node):
            return source, source.subject_lines.get(subject)
        for role in (Role.REFERENCE, Role.ONTOLOGY):
            for source in describing:
                if source.role is role:
                    return source, source.subject_lines.get(node)
        return None, None


_SHARED: dict[tuple[Path, int, int], SourceFile] = {}


def parse_shared(path: Path, role: Role) -> SourceFile:
    """Parse the ontology or a reference file once per process, while it is unchanged.

    These files are the same for every command and every test; their graphs are
    only read (the union graph is a copy), so sharing them is safe.
    """
    stat = path.stat()
    key = (path.resolve(), stat.st_mtime_ns, stat.st_size)
    if key not in _SHARED:
        _SHARED[key] = parse_file(path, role)
    return _SHARED[key]


def parse_file(path: Path, role: Role) -> SourceFile:
    """Parse one RDF file; a syntax error becomes a LoadError with file and line."""
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(
            str(path),
            f"not an RDF file this tool reads (expected one of {', '.join(sorted(FORMATS))})",
        )
    graph = Graph()
    try:
        graph.parse(path, format=fmt)
    except BadSyntax as error:
        raise LoadError(str(path), f"Turtle syntax error: {error._why}", line=error.lines + 1) from None
    except SAXParseException as error:
        raise LoadError(str(path), f"RDF/XML syntax error: {error.getMessage()}", error.getLineNumber()) from None
    except UnicodeDecodeError as error:
        raise LoadError(str(path), f"not UTF-8 text ({error.reason})") from None
    except OSError as error:
        raise LoadError(str(path), f"cannot read: {error.strerror or error}") from None
    except Exception as error:  # noqa: BLE001 - every other parser failure still names the file
        line = getattr(error, "lineno", None) or _line_from_context(path, str(error))
        reason = str(error).split(" at ^ in ", 1)[0].strip() or type(error).__name__
        raise LoadError(str(path), f"{fmt} parse error: {reason}", line) from None
    return SourceFile(path=path, role=role, graph=graph, name=_graph_name(path, role, graph))


def _line_from_context(path: Path, message: str) -> int | None:
    """Find the line of an rdflib error that shows only context (``… at ^ in <text>^<rest>``)."""
    if " at ^ in " not in message:
        return None
    before = message.split(" at ^ in ", 1)[1].split("^", 1)[0]
    text = path.read_text(encoding="utf-8", errors="replace")
    at = text.find(before) if before else -1
    return text.count("\n", 0, at + len(before)) + 1 if at >= 0 else None


def _graph_name(path: Path, role: Role, graph: Graph) -> URIRef:
    """A stable named-graph IRI: the store layer's rule (``segraph.store.graph_name``), so both name graphs alike."""
    documents = [str(d) for d in graph.subjects(RDF.type, SEG.SourceDocument) if isinstance(d, URIRef)]
    return URIRef(graph_name(path, role.value, documents))


def load_corpus(data_paths: Sequence[Path] | None = None) -> Corpus:
    """Load the ontology, the reference data and the given data files (default: data/).

    A file given twice, or a reference file named again through its folder, is
    loaded once (the choice of files is the store layer's ``source_files``).
    """
    files = []
    for path, role in source_files(data_paths):
        chosen = Role(role)
        files.append(parse_file(path, chosen) if chosen is Role.DATA else parse_shared(path, chosen))
    return Corpus(files)
