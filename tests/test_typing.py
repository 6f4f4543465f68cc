"""Type check: mypy over coopeval/ with the configuration of pyproject.toml passes.

The configuration is strict on the public API modules (``import coopeval as ce`` top level,
errors, frameworks, datasets) and lenient elsewhere; ``py.typed`` tells type checkers of the
users' code that coopeval's annotations are to be used.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

try:
    import tomllib
except ModuleNotFoundError:  # Python 3.10
    tomllib = pytest.importorskip("tomli")

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["mypy"]


def test_py_typed_marker_is_shipped():
    assert (ROOT / "coopeval" / "py.typed").is_file()


def test_public_api_modules_are_strict():
    strict = next(o for o in CONFIG["overrides"] if o.get("disallow_untyped_defs"))
    assert {"coopeval", "coopeval.errors", "coopeval.framework.tree",
            "coopeval.framework.registry"} <= set(strict["module"])
    debt = next(o for o in CONFIG["overrides"] if o.get("ignore_errors"))
    assert not set(strict["module"]) & set(debt["module"])


def test_mypy_passes_on_the_package():
    pytest.importorskip("mypy")
    proc = subprocess.run([sys.executable, "-m", "mypy", "--no-color-output"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert proc.returncode == 0, proc.stdout[-6000:] + proc.stderr[-2000:]
