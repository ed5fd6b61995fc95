"""Publish the graph as linked data: a self-contained folder, written atomically.

This first part writes the dumps; the DCAT-AP catalogue, VoID and HTML pages of
issue 5 build on the same folder and the ``Dump`` descriptions.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from segraph.errors import UsageError
from segraph.load import Corpus
from segraph.publish.dumps import Dump, write_dumps

__all__ = ["Dump", "publish"]


def publish(corpus: Corpus, out: Path) -> list[Dump]:
    """Build the site in a temporary folder beside ``out``, then swap it in.

    A failed run leaves the previous site untouched.
    """
    out = out.resolve()
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    out.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=f".{out.name}.", dir=out.parent))
    try:
        dumps = write_dumps(corpus, building)
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
    return dumps
