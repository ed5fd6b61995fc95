"""Errors segraph reports to users, and the exit code each one maps to.

Exit codes follow pySHACL's convention: 0 ok, 1 the data does not conform or a
query failed, 2 a usage, load or parse error. The CLI turns any SegraphError into
its message and code; nothing else should reach the user as a traceback.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class SegraphError(Exception):
    """Base class: a problem segraph can explain to its user."""

    exit_code = EXIT_FAILED


class UsageError(SegraphError):
    """The command was called wrongly (a missing path, an empty folder, a bad option)."""

    exit_code = EXIT_USAGE


class LoadError(SegraphError):
    """A file could not be read or parsed as RDF; the message names file and line."""

    exit_code = EXIT_USAGE

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.detail = message
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {message}")


class QueryError(SegraphError):
    """A query failed where it ran: an unreachable endpoint, a timeout, an HTTP error, a bad answer."""
