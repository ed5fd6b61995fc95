"""Query results: one value holding W3C SPARQL JSON results, rendered in every format.

Whether a query ran on the embedded store or on a remote endpoint, its answer is
kept as SPARQL 1.1 Query Results JSON. CSV, TSV and JSON output come from
Oxigraph's W3C result serialisers; the terminal table uses rich; Markdown is a
plain pipe table. In Python and notebooks the result iterates as rows (dicts of
Python values), turns into a pandas DataFrame, and shows as an HTML table.
"""

from __future__ import annotations

import html
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pyoxigraph as ox

XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGERS = {XSD + t for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger", "positiveInteger")}
_FLOATS = {XSD + "double", XSD + "float"}
FORMATS = ("table", "csv", "tsv", "json", "markdown")
_W3C = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV, "json": ox.QueryResultsFormat.JSON}

Term = ox.NamedNode | ox.BlankNode | ox.Literal


def python_value(term: Term | None) -> Any:
    """A plain Python value for a term: numbers as numbers, everything else as its text."""
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return int(term.value)
        if datatype == XSD + "decimal":
            return Decimal(term.value)
        if datatype in _FLOATS:
            return float(term.value)
        if datatype == XSD + "boolean":
            return term.value in ("true", "1")
    return term.value


def _json_term(term: Term) -> dict[str, str]:
    """One RDF term in SPARQL JSON results form."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    if term.datatype.value == XSD + "string":
        return {"type": "literal", "value": term.value}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}


class QueryResult:
    """The answer to a SELECT query: its columns and rows of RDF terms, with W3C JSON made on demand.

    ``more`` says that a limit (``--limit``, a saved query's page size) left rows out.
    """

    def __init__(
        self, json_bytes: bytes | None, columns: list[str], rows: list[tuple[Term | None, ...]], more: bool = False
    ) -> None:
        self._json = json_bytes
        self.columns = columns
        self.terms = rows
        self.more = more

    @classmethod
    def from_json(cls, json_bytes: bytes) -> QueryResult:
        """Parse SPARQL JSON results; a malformed answer raises ValueError."""
        try:
            solutions = ox.parse_query_results(json_bytes, format=ox.QueryResultsFormat.JSON)
        except (SyntaxError, OSError) as error:
            raise ValueError(str(error)) from None
        if not isinstance(solutions, ox.QuerySolutions):
            raise ValueError("a boolean (ASK) answer, not a table of solutions")
        columns = [v.value for v in solutions.variables]
        rows = [tuple(solution[c] for c in columns) for solution in solutions]
        return cls(json_bytes, columns, rows)

    @classmethod
    def from_solutions(cls, solutions: ox.QuerySolutions) -> QueryResult:
        """Take the rows of an Oxigraph answer as they are, without a detour through JSON."""
        columns = [v.value for v in solutions.variables]
        rows = [tuple(solution[c] for c in columns) for solution in solutions]
        return cls(None, columns, rows)

    def limited(self, limit: int) -> QueryResult:
        """The first ``limit`` rows; ``more`` is set when there were more."""
        if len(self.terms) <= limit:
            return self
        return QueryResult(None, self.columns, self.terms[:limit], more=True)

    def to_json(self) -> bytes:
        """The rows as SPARQL 1.1 Query Results JSON."""
        if self._json is None:
            bindings = [
                {c: _json_term(t) for c, t in zip(self.columns, row, strict=True) if t is not None}
                for row in self.terms
            ]
            self._json = json.dumps({"head": {"vars": self.columns}, "results": {"bindings": bindings}}).encode()
        return self._json

    def __len__(self) -> int:
        return len(self.terms)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        """Rows as dicts of Python values; an unbound cell is None."""
        for row in self.terms:
            yield {c: python_value(t) for c, t in zip(self.columns, row, strict=True)}

    def rows(self) -> list[dict[str, Any]]:
        return list(self)

    def column(self, name: str) -> list[Any]:
        index = self.columns.index(name)
        return [python_value(row[index]) for row in self.terms]

    def serialize(self, fmt: str) -> str:
        """The result in one of FORMATS."""
        if fmt in _W3C:
            solutions = ox.parse_query_results(self.to_json(), format=ox.QueryResultsFormat.JSON)
            data = solutions.serialize(format=_W3C[fmt])
            return data.decode("utf-8") if data is not None else ""
        if fmt == "markdown":
            return self._markdown()
        if fmt == "table":
            return self._table()
        raise ValueError(f"unknown format {fmt!r}; formats: {', '.join(FORMATS)}")

    def _text_rows(self) -> list[list[str]]:
        return [["" if t is None else t.value for t in row] for row in self.terms]

    def _markdown(self) -> str:
        def cell(text: str) -> str:
            return text.replace("\\", "\\\\").replace("|", "\\|").replace("\n", " ")

        lines = ["| " + " | ".join(self.columns) + " |", "|" + "|".join(" --- " for _ in self.columns) + "|"]
        lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in self._text_rows()]
        return "\n".join(lines)

    def _table(self) -> str:
        from rich.console import Console
        from rich.table import Table

        table = Table(show_lines=False, header_style="bold")
        for column in self.columns:
            table.add_column(column, overflow="fold")
        for row in self._text_rows():
            table.add_row(*row)
        buffer = io.StringIO()
        Console(file=buffer, width=160, force_terminal=False, color_system=None).print(table)
        return buffer.getvalue().rstrip("\n") + f"\n{len(self)} row(s)"

    def to_dataframe(self) -> Any:
        """A pandas DataFrame of the rows (pandas is an optional extra: pip install segraph[pandas])."""
        try:
            import pandas as pd
        except ImportError:
            raise ImportError("to_dataframe needs pandas: pip install 'segraph[pandas]'") from None
        return pd.DataFrame(self.rows(), columns=self.columns)

    def _repr_html_(self) -> str:
        """An HTML table for Jupyter; every value is escaped."""
        head = "".join(f"<th>{html.escape(c)}</th>" for c in self.columns)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(v)}</td>" for v in row) + "</tr>" for row in self._text_rows()
        )
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"

    def __repr__(self) -> str:
        return f"<QueryResult {len(self)} row(s): {', '.join(self.columns)}>"
