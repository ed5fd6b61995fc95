"""Publish the graph as linked data: a self-contained folder, written atomically.

The folder holds the dumps, the DCAT-AP catalogue, the VoID description, one HTML page
per resource (with Turtle and JSON-LD beside it), the ontology's documentation, the query
catalogue and the nginx content-negotiation snippets, all built from one corpus in one run:
the files as parsed, or the named graphs of a store (``publish.from_store``). Each file's
triples are prepared once (stable blank-node labels, sorted) for the dumps and the pages.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from segraph.errors import UsageError
from segraph.load import Corpus
from segraph.publish.catalog import write_catalog
from segraph.publish.config import PublishConfig
from segraph.publish.conneg import write_conneg
from segraph.publish.docs import write_docs
from segraph.publish.dumps import Dump, prepare, write_dumps
from segraph.publish.pages import write_pages
from segraph.publish.void import write_void

__all__ = ["Dump", "PublishConfig", "Site", "publish"]


@dataclass(frozen=True)
class Site:
    """What a publish run wrote: the dumps (with their descriptions) and every other file."""

    folder: Path
    dumps: list[Dump]
    files: list[str]


def publish(corpus: Corpus, out: Path, config: PublishConfig | None = None) -> Site:
    """Build the site in a temporary folder beside ``out``, then swap it in.

    A failed run leaves the previous site untouched.
    """
    config = config or PublishConfig()
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        dumps, files = _build(corpus, config, building)
        building.chmod(0o755)
        old = out.with_name(f".{out.name}.old")
        if out.exists():
            shutil.rmtree(old, ignore_errors=True)
            out.rename(old)
        building.rename(out)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(building, ignore_errors=True)
        raise
    return Site(out, dumps, files)


def _build(corpus: Corpus, config: PublishConfig, folder: Path) -> tuple[list[Dump], list[str]]:
    """Write every part of the site into ``folder``."""
    prepared = prepare(corpus)
    dumps = write_dumps(prepared, folder)
    files = [
        *write_catalog(corpus, dumps, config, folder),
        *write_void(corpus, dumps, config, folder),
        *write_pages(corpus, prepared, dumps, config, folder),
        *write_docs(corpus, config, folder),
        *write_conneg(folder),
    ]
    return dumps, sorted(files)
