"""segraph: a knowledge graph of European social-economy projects."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("segraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__", "run_query", "run_sparql"]


def __getattr__(name: str) -> object:
    """Import the query API on first use, so `import segraph` stays light for the CLI."""
    if name in ("run_query", "run_sparql"):
        from segraph import run

        return getattr(run, name)
    raise AttributeError(name)
