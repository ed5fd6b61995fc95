"""segraph: a knowledge graph of European social-economy projects."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("segraph")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
