"""Write generated resources as N-Triples lines or Turtle blocks, escaping literals here (no RDF library)."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import groupby
from operator import itemgetter
from typing import IO

from segraph.namespaces import PREFIXES
from synthetic.terms import TYPE, Iri, Statements, Term

_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})
_BARE_DATATYPES = {"decimal", "integer"}
# Prefixes of the resources the generator makes: one IRI each per project or organisation, never cached.
GENERATED_PREFIXES = {"project", "period", "amount", "participation", "person", "organisation", "membership"}


class Writer:
    """Writes one resource at a time as N-Triples lines or a Turtle block, and counts the triples.

    Vocabulary IRIs (predicates, classes, codes) are rendered once and cached; the IRIs of generated
    resources are not, so the cache stays small at any size.
    """

    def __init__(self, stream: IO[str], turtle: bool) -> None:
        self.stream = stream
        self.turtle = turtle
        self.triples = 0
        self.render = _short if turtle else _full
        self.cache: dict[Term, str] = {TYPE: "a"} if turtle else {}

    def header(self, comment: Sequence[str], prefixes: Sequence[str]) -> None:
        if not self.turtle:
            return
        lines = [f"# {line}" for line in comment] + [""]
        lines += [f"@prefix {p}: <{PREFIXES[p]}> ." for p in sorted(prefixes)]
        self.stream.write("\n".join(lines) + "\n\n")

    def term(self, term: Term) -> str:
        text = self.cache.get(term)
        if text is None:
            text = self.render(term)
            if type(term) is Iri and term.prefix not in GENERATED_PREFIXES:
                self.cache[term] = text
        return text

    def resource(self, subject: Iri, statements: Statements) -> None:
        self.triples += len(statements)
        term, cached = self.term, self.cache.get  # a cached term (most are) skips the method call
        if self.turtle:
            parts = [
                f"    {cached(predicate) or term(predicate)} " + " , ".join([cached(o) or term(o) for _, o in group])
                for predicate, group in groupby(statements, key=itemgetter(0))
            ]
            self.stream.write(f"{term(subject)}\n" + " ;\n".join(parts) + " .\n\n")
        else:
            head = term(subject)
            self.stream.write(
                "".join([f"{head} {cached(p) or term(p)} {cached(o) or term(o)} .\n" for p, o in statements])
            )


def _full(term: Term) -> str:
    """A term in N-Triples."""
    if isinstance(term, Iri):
        return f"<{PREFIXES[term.prefix]}{term.local}>"
    text = '"' + term.lexical.translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^<{PREFIXES['xsd']}{term.datatype}>"
    return text


def _short(term: Term) -> str:
    """A term in Turtle, with prefixed names and bare numbers, as the shipped data writes them."""
    if isinstance(term, Iri):
        return f"{term.prefix}:{term.local}"
    if term.datatype in _BARE_DATATYPES:
        return term.lexical
    text = '"' + term.lexical.translate(_ESCAPES) + '"'
    if term.language:
        return f"{text}@{term.language}"
    if term.datatype:
        return f"{text}^^xsd:{term.datatype}"
    return text
