"""The saved-query catalogue: ``queries/*.rq`` files, their metadata and typed parameters.

Each saved query opens with a grlc-style header of ``#+`` comment lines holding
YAML::

    #+ summary: Organisations taking part in projects, with role, region and country
    #+ description: One row per participation ...
    #+ tags: [participation, region]
    #+ params:
    #+   project: {type: acronym, required: false, description: "Project acronym, any case"}
    #+ columns: [acronym, organisation, role, region, nuts, country]

The file name is the query's name. A parameter ``p`` is the variable ``?_p`` in
the query text, and ``?_lang`` (the preferred label language) is always bound.
Values are turned into RDF terms (pyoxigraph's, so no rdflib is needed) by their
declared type and bound as VALUES rows first in the query's first ``WHERE {``
(``with_values``), the same for every store, so a query reads ``?_p`` in that
group only: sub-groups, UNION branches and subqueries are evaluated bottom-up and
would not see it. A value can never change the query's structure. An optional
``limit`` in the header is the query's default page size, for answers that grow
with the square of the data. ``pages-over: v`` says how to page such an answer
cheaply when none of the query's own parameters is given: the first column is a
project's name, and binding the variable ``?v`` to the projects of one name gives
that name's rows among others (``run_query`` walks the names, see run.py).

Acronyms are matched in any case (``raise`` finds ``RaiSE``) and must still be an
index lookup, not a scan of every project (0.3 s at 100,000 projects): Oxigraph
has no case-folded index. So an ``acronym`` parameter ``p`` binds two variables:
``?_p``, the value as given, and ``?_p_forms``, one VALUES row per spelling whose
lower case is the value's (``raise``: ``raise``, ``Raise``, … ``RAISE``, 32 rows;
the Kelvin sign is the one non-ASCII letter that lower-cases to ASCII). A query
matches ``?project seg:acronym ?_p_forms`` (one index lookup per row: 2–15 ms for
a 6-letter acronym at 100,000 projects) and keeps the any-case FILTER on ``?_p``,
so it is right whatever is bound. When the spellings are too many to list (more
than 8 letters, or letters outside ASCII), ``run_query`` first finds the stored
ones with ``queries/lookup/acronym-spellings.rq`` (one scan of the acronyms) and
binds those; bound without it (``with_values`` alone), ``?_p_forms`` stays unbound
and the pattern plus FILTER is still right, but slow (Oxigraph compares after
joining every project's rows). Weighed and not chosen: trying only the
given, upper- and lower-case forms finds neither ``RaiSE`` from ``raise`` nor both
of two acronyms that differ only in case; resolving every value with the lookup
query first costs the scan and a second round trip every time.

A ``name`` parameter ``p`` (a label in any language and any case, or the last segment
of an IRI) is compared by the query itself on every store; on a store with a name index
(``segraph load`` writes one, see names.py) ``run_query`` also binds ``?_p_matches`` to
the resources the index finds under that name, so that the query starts from them
instead of comparing every candidate (memberships of one organisation at 100,000
projects: 1.45 s -> a few ms). Unbound, ``?_p_matches`` matches anything.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pyoxigraph as ox

from segraph import paths
from segraph.errors import UsageError
from segraph.results import Term

_HEADER = re.compile(r"^#\+ ?(.*)$")
_LANGUAGE_TAG = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$")
_IRI_FORBIDDEN = re.compile(r'[\s<>"{}|\\^`]')

TYPES = ("string", "acronym", "name", "date", "integer", "iri", "language")
_XSD = "http://www.w3.org/2001/XMLSchema#"
Value = ox.Literal | ox.NamedNode
# One term, or several: one VALUES row each (an acronym's spellings).
Binding = Term | tuple[Term, ...]
FORMS = "_forms"
# A name's resources, from the store's name index (names.py): ?_p_matches.
MATCHES = "_matches"
# At most this many spellings are listed (2**8: an 8-letter acronym); beyond, the query scans.
MAX_FORMS = 256
# Characters other than ASCII letters whose lower case is an ASCII letter (U+212A KELVIN SIGN → k).
_ASCII_LOWER_PREIMAGE = {"k": "\u212a"}


@dataclass(frozen=True)
class Parameter:
    """One parameter of a saved query: its type, whether it is required, its default."""

    name: str
    type: str = "string"
    required: bool = False
    default: str | None = None
    description: str = ""

    @property
    def variable(self) -> str:
        return f"_{self.name}"

    def term(self, value: str) -> Value:
        """The RDF term for a value given as text; a value of the wrong type is a usage error."""
        problem = f"parameter {self.name}={value!r}"
        if self.type in ("string", "acronym", "name"):
            return ox.Literal(value)
        if self.type == "language":
            if not _LANGUAGE_TAG.match(value):
                raise UsageError(f"{problem} is not a language tag (en, sv, sl, …)")
            return ox.Literal(value.lower())
        if self.type == "date":
            try:
                return ox.Literal(date.fromisoformat(value).isoformat(), datatype=ox.NamedNode(_XSD + "date"))
            except ValueError:
                raise UsageError(f"{problem} is not a date: write YYYY-MM-DD, e.g. 2021-06-30") from None
        if self.type == "integer":
            if not re.fullmatch(r"[+-]?\d+", value):
                raise UsageError(f"{problem} is not an integer")
            return ox.Literal(str(int(value)), datatype=ox.NamedNode(_XSD + "integer"))
        if self.type == "iri":
            if not re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*:", value) or _IRI_FORBIDDEN.search(value):
                raise UsageError(f"{problem} is not an absolute IRI")
            try:
                return ox.NamedNode(value)
            except ValueError:
                raise UsageError(f"{problem} is not an absolute IRI") from None
        raise UsageError(f"parameter {self.name} has unknown type {self.type!r}; types: {', '.join(TYPES)}")

    def forms(self, value: str) -> tuple[ox.Literal, ...] | None:
        """Every spelling whose lower case is the value's, for an index lookup; None when too many to list.

        Only for ASCII values: there the preimage of lower-casing is each letter's two
        cases (and the Kelvin sign for k). Other scripts have multi-character mappings.
        """
        if not value.isascii():
            return None
        choices = [sorted({c.lower(), c.upper(), *_ASCII_LOWER_PREIMAGE.get(c.lower(), "")}) for c in value]
        count = 1
        for choice in choices:
            count *= len(choice)
        if count > MAX_FORMS:
            return None
        return tuple(ox.Literal("".join(spelling)) for spelling in itertools.product(*choices))

    def describe(self) -> str:
        need = "required" if self.required else f"optional, default {self.default}" if self.default else "optional"
        return f"{self.name} ({self.type}, {need})" + (f": {self.description}" if self.description else "")


LANG = Parameter("lang", "language", False, "en", "preferred language of labels; English, then any, when missing")


@dataclass(frozen=True)
class SavedQuery:
    """A saved query: its name, metadata, parameters, columns and SPARQL text."""

    name: str
    summary: str
    description: str
    tags: tuple[str, ...]
    params: tuple[Parameter, ...]
    columns: tuple[str, ...]
    text: str
    path: Path = field(compare=False)
    limit: int | None = None
    pages_over: str | None = None

    @property
    def all_params(self) -> tuple[Parameter, ...]:
        """The query's own parameters and the implicit ``lang``."""
        return (*self.params, LANG)

    def bind(self, values: Mapping[str, str]) -> dict[str, Binding]:
        """Typed terms for the given values, with defaults; unknown or missing ones are usage errors.

        An acronym also binds ``?_p_forms`` to its spellings in every case, when they are few enough to list.
        """
        known = {p.name: p for p in self.all_params}
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise UsageError(
                f"query {self.name} has no parameter {', '.join(unknown)}; its parameters: "
                + "; ".join(p.describe() for p in self.all_params)
            )
        bound: dict[str, Binding] = {}
        for parameter in self.all_params:
            value = values.get(parameter.name, parameter.default)
            if value is None:
                if parameter.required:
                    raise UsageError(f"query {self.name} needs parameter {parameter.describe()}")
                continue
            bound[parameter.variable] = parameter.term(value)
            forms = parameter.forms(value) if parameter.type == "acronym" else None
            if forms:
                bound[parameter.variable + FORMS] = forms
        return bound


def read_query(path: Path) -> SavedQuery:
    """Read one saved query and its header; a malformed header is a usage error naming the file."""
    import yaml  # only here: listing files and binding values need no YAML parser

    text = path.read_text(encoding="utf-8")
    header_lines = [m.group(1) for m in map(_HEADER.match, text.splitlines()) if m]
    try:
        meta = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as error:
        raise UsageError(f"{path}: the #+ header is not valid YAML: {error}") from None
    if not isinstance(meta, dict) or "summary" not in meta or "columns" not in meta:
        raise UsageError(f"{path}: the #+ header needs at least summary and columns")
    params = tuple(
        Parameter(
            name=name,
            type=str(spec.get("type", "string")),
            required=bool(spec.get("required", False)),
            default=None if spec.get("default") is None else str(spec["default"]),
            description=str(spec.get("description", "")),
        )
        for name, spec in (meta.get("params") or {}).items()
    )
    for parameter in params:
        if parameter.type not in TYPES:
            raise UsageError(f"{path}: parameter {parameter.name} has unknown type {parameter.type!r}")
    limit = meta.get("limit")
    if limit is not None and (not isinstance(limit, int) or isinstance(limit, bool) or limit < 1):
        raise UsageError(f"{path}: limit (the default page size) must be a positive integer, not {limit!r}")
    pages_over = meta.get("pages-over")
    if pages_over is not None and not (isinstance(pages_over, str) and re.fullmatch(r"\w+", pages_over)):
        raise UsageError(f"{path}: pages-over must name a query variable (project1), not {pages_over!r}")
    return SavedQuery(
        name=path.stem,
        summary=str(meta["summary"]),
        description=str(meta.get("description", "")).strip(),
        tags=tuple(meta.get("tags") or ()),
        params=params,
        columns=tuple(meta["columns"]),
        text=text,
        path=path,
        limit=limit,
        pages_over=pages_over,
    )


def catalogue(folder: Path | None = None) -> dict[str, SavedQuery]:
    """All saved queries by name, in name order."""
    folder = folder or paths.queries_dir()
    return {q.name: q for q in (read_query(p) for p in sorted(folder.glob("*.rq")))}


def get_query(name: str, folder: Path | None = None) -> SavedQuery:
    """One saved query by name; an unknown name is a usage error listing the names that exist.

    Only that query's file is read, so running one query does not parse every header.
    """
    folder = folder or paths.queries_dir()
    path = folder / f"{name}.rq"
    if "/" in name or "\\" in name or not path.is_file():
        names = ", ".join(sorted(p.stem for p in folder.glob("*.rq")))
        raise UsageError(f"no saved query {name!r}; saved queries: {names}")
    return read_query(path)


def with_values(text: str, bindings: Mapping[str, Binding]) -> str:
    """The query with VALUES binding the parameters, as the first part of its first WHERE (or ASK).

    One row, or one per combination when a variable has several terms (an acronym's
    spellings). The terms are written in N-Triples form (pyoxigraph's ``str``), which
    escapes quotes, backslashes and line breaks, so whatever a value holds it stays one
    RDF term.
    """
    names = sorted(n for n in bindings if re.search(rf"[?$]{re.escape(n)}\b", text))
    if not names:
        return text
    columns = [_terms(bindings[n]) for n in names]
    rows = " ".join(f"({' '.join(map(str, row))})" for row in itertools.product(*columns))
    block = f"VALUES ({' '.join('?' + n for n in names)}) {{ {rows} }}"
    lines = text.splitlines(keepends=True)
    for number, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            continue
        match = re.search(r"\b(?:WHERE|ASK)\s*\{", line, flags=re.IGNORECASE)
        if match:
            lines[number] = f"{line[: match.end()]}\n    {block}\n{line[match.end() :]}"
            return "".join(lines)
    raise UsageError("the query has no WHERE { … } to bind parameters in")


def _terms(binding: Binding) -> tuple[Term, ...]:
    return binding if isinstance(binding, tuple) else (binding,)


def paged(text: str, limit: int | None, offset: int = 0) -> str:
    """The query with LIMIT and OFFSET after its ORDER BY, to fetch one page of a long answer."""
    if limit is None and not offset:
        return text
    if re.search(r"^\s*(LIMIT|OFFSET)\b", text, flags=re.IGNORECASE | re.MULTILINE):
        raise UsageError("the query has its own LIMIT or OFFSET; page it there, not with --limit/--page")
    modifiers = ("" if limit is None else f"\nLIMIT {limit}") + (f"\nOFFSET {offset}" if offset else "")
    return text.rstrip() + modifiers + "\n"
