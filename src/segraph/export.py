"""Write the whole graph to one file, atomically, in a chosen RDF format.

TriG keeps one named graph per file: a document's facts in the graph named by
the document's IRI, so that every triple still says which document states it.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from segraph.errors import SegraphError, UsageError
from segraph.load import Corpus

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
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    except OSError as error:
        raise WriteError(f"{path}: cannot write here ({error.strerror or error})") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
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
