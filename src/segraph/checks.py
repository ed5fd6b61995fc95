"""Quality checks on the ontology and data: SPARQL queries whose every row is a failure.

Each check is a ``.rq`` file under ``ontology/checks/`` whose header says what it
guards, in the grlc style::

    #+ summary: Every ontology term has an English label
    #+ severity: Violation
    #+ message: Term without an English rdfs:label.

The query selects ``?focus`` and, optionally, ``?path`` and ``?value``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import URIRef

from segraph.errors import UsageError

if TYPE_CHECKING:
    from segraph.validate import Severity

CHECKS_BASE = "https://w3id.org/segraph/checks#"
_HEADER = re.compile(r"^#\+\s*(\w+)\s*:\s*(.*?)\s*$")


@dataclass(frozen=True)
class Check:
    """One quality check: its name, what it guards, and its query."""

    name: str
    summary: str
    severity: Severity
    message: str
    query: str

    @property
    def iri(self) -> URIRef:
        return URIRef(CHECKS_BASE + self.name)


def read_check(path: Path) -> Check:
    """Read one check file and its header; a missing header field is a usage error."""
    from segraph.validate import Severity

    text = path.read_text(encoding="utf-8")
    header = {m.group(1): m.group(2) for m in map(_HEADER.match, text.splitlines()) if m}
    missing = {"summary", "message"} - header.keys()
    if missing:
        raise UsageError(f"{path}: check header lacks {', '.join(sorted(missing))}")
    try:
        severity = Severity(header.get("severity", "Violation"))
    except ValueError:
        raise UsageError(f"{path}: severity must be Violation, Warning or Info") from None
    return Check(path.stem, header["summary"], severity, header["message"], text)


def load_checks(folder: Path) -> list[Check]:
    """All checks in a folder, in name order."""
    return [read_check(p) for p in sorted(folder.glob("*.rq"))]
