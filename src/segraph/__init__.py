"""segraph: a knowledge graph of European social-economy projects."""

__all__ = ["__version__", "open_store", "run_query", "run_sparql"]


def __getattr__(name: str) -> object:
    """Look up the version and import the query API on first use, so `import segraph` stays light for the CLI.

    (Reading the installed version imports importlib.metadata, which costs more
    than a whole `segraph query` needs.)
    """
    if name == "__version__":
        from importlib.metadata import PackageNotFoundError, version

        try:
            return version("segraph")
        except PackageNotFoundError:  # running from a source tree that is not installed
            return "0.0.0"
    if name in ("open_store", "run_query", "run_sparql"):
        from segraph import run

        return getattr(run, name)
    raise AttributeError(name)
