"""Import the repository's scripts (scripts/, benchmarks/), which are not part of the installed package."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType


def import_script(path: Path) -> ModuleType:
    """The script at ``path`` as a module named after its file.

    The script's folder goes on ``sys.path``, as when Python runs the script, so the
    modules beside it (benchmarks/synthetic/) import the same way in tests.
    """
    if str(path.parent) not in sys.path:
        sys.path.insert(0, str(path.parent))
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it executes
    spec.loader.exec_module(module)
    return module
