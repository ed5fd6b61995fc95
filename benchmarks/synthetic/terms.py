"""Terms as the generator holds them: IRIs as prefix + local name, literals, weighted draws.

Tuples rather than pyoxigraph terms: a generated graph of a million projects is written as text,
and hashing small tuples to cache their rendering is cheaper than building RDF terms.
"""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from functools import cache
from itertools import accumulate
from typing import Generic, NamedTuple, TypeVar

from segraph.namespaces import PREFIXES

T = TypeVar("T")


class Weighted(Generic[T]):
    """Items drawn with fixed weights; the cumulative weights are summed once, not on every draw."""

    def __init__(self, items: Sequence[T], weights: Sequence[int]) -> None:
        self.items = tuple(items)
        self.cumulative = list(accumulate(weights))

    @classmethod
    def of(cls, weights: dict[str, int], keys: Sequence[str]) -> Weighted[str]:
        """The keys, each weighted as ``weights`` says or 1 if it does not say."""
        return Weighted(keys, [weights.get(k, 1) for k in keys])

    def pick(self, rng: random.Random) -> T:
        return self.items[bisect(self.cumulative, rng.random() * self.cumulative[-1])]


class Iri(NamedTuple):
    """An IRI as prefix and local name (prefixes of segraph.namespaces.PREFIXES)."""

    prefix: str
    local: str


class Lit(NamedTuple):
    """A literal: lexical form with a language tag, an xsd datatype's local name, or neither."""

    lexical: str
    language: str | None = None
    datatype: str | None = None


Term = Iri | Lit
Statements = list[tuple[Iri, Term]]
TYPE = Iri("rdf", "type")
DOCUMENT_ID = "gen-export"
DOCUMENT = Iri("document", DOCUMENT_ID)
DERIVED = Iri("prov", "wasDerivedFrom")
LABEL = Iri("rdfs", "label")


@cache
def v(curie: str) -> Iri:
    """A class or property the generator writes, made once (cheaper than a new tuple per triple)."""
    prefix, local = curie.split(":")
    return Iri(prefix, local)


def full_iri(term: Iri) -> str:
    return PREFIXES[term.prefix] + term.local
