"""Write the whole graph to one file, atomically, in a chosen RDF format.

TriG keeps one named graph per file: a document's facts in the graph named by
the document's IRI, so that every triple still says which document states it.
A parsed corpus is written with the deterministic writers of ``segraph publish``;
a store (``--store``) is streamed by Oxigraph, for graphs too big to sort in memory.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

import pyoxigraph as ox

from segraph.errors import SegraphError, UsageError

if TYPE_CHECKING:
    from segraph.load import Corpus
    from segraph.store import OxigraphStore

EXPORT_FORMATS: dict[str, str] = {"turtle": "turtle", "nt": "nt", "jsonld": "jsonld", "trig": "trig"}


class WriteError(SegraphError):
    """An output file could not be written; the previous file, if any, is untouched."""

    exit_code = UsageError.exit_code


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomically(path: Path, data: bytes) -> None:
    """Write to a temporary file beside the target, then rename: never a half-written file.

    The file gets the usual permissions (0666 less the umask), not mkstemp's 0600.
    """
    write_atomically_with(path, lambda handle: handle.write(data))


def write_atomically_with(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Like ``write_atomically``, for output streamed by ``write`` into the open temporary file."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"{path}: cannot write here ({error.strerror or error})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            write(handle)
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except OSError as error:
        Path(tmp).unlink(missing_ok=True)
        raise WriteError(f"{path}: cannot write ({error.strerror or error})") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def serialize(corpus: Corpus, fmt: str) -> bytes:
    """The corpus in one format, with the deterministic writers `segraph publish` uses."""
    from segraph.publish.dumps import render

    if fmt not in EXPORT_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)}")
    return render(corpus, EXPORT_FORMATS[fmt])


def export(corpus: Corpus, fmt: str, out: Path) -> int:
    """Write the corpus to ``out``; returns the number of bytes written."""
    data = serialize(corpus, fmt)
    write_atomically(out, data)
    return len(data)


_STORE_FORMATS = {
    "turtle": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "jsonld": ox.RdfFormat.JSON_LD,
    "trig": ox.RdfFormat.TRIG,
}
_UNION = "CONSTRUCT { ?s ?p ?o } WHERE { SELECT DISTINCT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } }"


def export_store(store: OxigraphStore, fmt: str, out: Path) -> int:
    """Write a store's graph to ``out``, streamed by Oxigraph; returns the number of bytes written.

    Unlike ``export``, nothing is sorted (the graph may not fit in memory twice):
    the same triples, in the store's order. TriG keeps one named graph per file.
    """
    from segraph.namespaces import PREFIXES

    if fmt not in _STORE_FORMATS:
        raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(_STORE_FORMATS)}")
    rdf_format = _STORE_FORMATS[fmt]

    def write(handle: BinaryIO) -> None:
        if fmt == "trig":
            store.oxigraph.dump(handle, format=rdf_format, prefixes=PREFIXES)
        else:
            triples = store.oxigraph.query(_UNION, use_default_graph_as_union=True)
            ox.serialize(triples, handle, format=rdf_format, prefixes=PREFIXES)  # type: ignore[arg-type]

    write_atomically_with(out, write)
    return out.stat().st_size
