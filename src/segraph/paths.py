"""Where segraph finds its ontology, shapes, reference data, data and queries.

From a source checkout (editable install) these are the folders at the top of the
repository; an installed wheel carries copies under ``segraph/resources``.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def project_root() -> Path:
    """The folder holding ``ontology/`` and ``data/``: the checkout, else the wheel's copy."""
    checkout = _PACKAGE.parent.parent
    if (checkout / "ontology" / "segraph.ttl").is_file():
        return checkout
    return _PACKAGE / "resources"


def ontology_file() -> Path:
    return project_root() / "ontology" / "segraph.ttl"


def shapes_file() -> Path:
    return project_root() / "ontology" / "shapes.ttl"


def checks_dir() -> Path:
    return project_root() / "ontology" / "checks"


def data_dir() -> Path:
    return project_root() / "data"


def reference_dir() -> Path:
    return data_dir() / "reference"


def queries_dir() -> Path:
    return project_root() / "queries"


def shown(path: Path) -> str:
    """A path as a user would type it: relative to the working folder where possible."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)
