"""The name index of a persistent store: which resources a name given in any case stands for.

A saved query parameter of type ``name`` (an organisation's label in any language and
any case, or the last segment of its IRI) cannot be an index lookup in Oxigraph, which
has no case-folded index: the query would compare every candidate's labels (1.45 s for
memberships of one organisation at 100,000 projects). So ``segraph load`` writes, beside
the database, a table from each name in lower case to the resources it names, and the
runner binds those resources (``?_p_matches``) before the query runs; the query keeps its
own any-case FILTER, so the index only narrows the candidates, never widens the answer.

A name is a value of rdfs:label, skos:prefLabel or skos:altLabel, or the last segment
(after the last ``/`` or ``#``) of the IRI of a resource that has one of those labels.
Every resource a user names this way must have a label (the shapes require one of
every project, organisation, person, …), so on conforming data the index is complete.

Lower case is Python's ``str.lower``, the Unicode default mapping, as is Rust's
``to_lowercase`` behind Oxigraph's LCASE (final sigma and dotted capital I included).

The table is SQLite (the standard library's): opened on the first lookup, read from disk
by its primary key, so neither opening a store nor a query without a name parameter
reads it. At 100,000 projects: 775k (name, resource) pairs, 58 MB, built in ~7 s;
at 1,000,000, 607 MB.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pyoxigraph as ox

from segraph.errors import UsageError

NAMES_FILE = "names.sqlite"
LABELS = (
    "http://www.w3.org/2000/01/rdf-schema#label",
    "http://www.w3.org/2004/02/skos/core#prefLabel",
    "http://www.w3.org/2004/02/skos/core#altLabel",
)
_LAST_SEGMENT = re.compile(r"^.*[/#]")


def fold(name: str) -> str:
    """The key a name is stored and looked up by: its lower case, as SPARQL's LCASE gives it."""
    return name.lower()


def last_segment(iri: str) -> str:
    """The part of an IRI after its last ``/`` or ``#`` (the saved queries' ``REPLACE(STR(?x), "^.*[/#]", "")``)."""
    return _LAST_SEGMENT.sub("", iri, count=1)


def _names(store: ox.Store) -> set[tuple[str, str]]:
    """(key, IRI) for every label of a resource named by an IRI, and for that IRI's last segment."""
    pairs: set[tuple[str, str]] = set()
    labelled: set[str] = set()
    for predicate in LABELS:
        for quad in store.quads_for_pattern(None, ox.NamedNode(predicate), None, None):
            subject, label = quad.subject, quad.object
            if isinstance(subject, ox.NamedNode) and isinstance(label, ox.Literal):
                pairs.add((fold(label.value), subject.value))
                labelled.add(subject.value)
    pairs.update((fold(last_segment(iri)), iri) for iri in labelled)
    return pairs


def build(store: ox.Store, path: Path) -> int:
    """Write the name index of ``store`` to a new file at ``path``; the number of (name, resource) pairs."""
    pairs = sorted(_names(store))
    path.unlink(missing_ok=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE name (key TEXT NOT NULL, iri TEXT NOT NULL, PRIMARY KEY (key, iri)) WITHOUT ROWID")
        db.executemany("INSERT INTO name VALUES (?, ?)", pairs)
    db.close()
    return len(pairs)


class NameIndex:
    """The resources each name stands for, read from the file ``build`` wrote."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._db: sqlite3.Connection | None = None

    def find(self, name: str) -> tuple[ox.NamedNode, ...]:
        """The resources named ``name`` in any case, in IRI order; none when nothing has that name."""
        try:
            if self._db is None:
                uri = f"{self.path.resolve().as_uri()}?mode=ro"
                self._db = sqlite3.connect(uri, uri=True, check_same_thread=False)
            rows = self._db.execute("SELECT iri FROM name WHERE key = ? ORDER BY iri", (fold(name),)).fetchall()
        except sqlite3.Error as error:
            raise UsageError(
                f"{self.path.parent}: the store is damaged, its name index {self.path.name} is unreadable ({error}); "
                f"load it again with: segraph load --store {self.path.parent}"
            ) from None
        return tuple(ox.NamedNode(iri) for (iri,) in rows)
