"""Every committed notebook is exactly what its builder in ``notebooks/_build/`` writes.

The notebooks are generated (see ``notebooks/_build/_nb.py`` and CONTRIBUTING.md): a change
made to an ``.ipynb`` by hand, or a builder changed without rebuilding its notebook, fails here.
"""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[2]
BUILD = ROOT / "notebooks" / "_build"
BUILDERS = sorted(BUILD.glob("[0-9][0-9]_*.py"))


def _target(builder: Path) -> str:
    match = re.search(r"write_notebook\(CELLS,\s*\"([^\"]+\.ipynb)\"\)", builder.read_text(encoding="utf-8"))
    assert match, f"{builder.name} does not call write_notebook(CELLS, \"<name>.ipynb\")"
    return match.group(1)


def _cells(builder: Path):
    sys.path.insert(0, str(BUILD))
    try:
        spec = importlib.util.spec_from_file_location(f"_builder_{builder.stem}", builder)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)  # defines CELLS; writes nothing (not __main__)
        from _nb import notebook
    finally:
        sys.path.remove(str(BUILD))
    return notebook(module.CELLS)


def test_every_notebook_has_a_builder_and_every_builder_a_notebook():
    built = {_target(b) for b in BUILDERS}
    committed = {p.name for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")}
    assert built == committed


@pytest.mark.parametrize("builder", BUILDERS, ids=[b.stem for b in BUILDERS])
def test_committed_notebook_equals_its_builder_output(builder, tmp_path):
    out = tmp_path / "built.ipynb"
    nbformat.write(_cells(builder), out)
    committed = ROOT / "notebooks" / _target(builder)
    assert out.read_bytes() == committed.read_bytes(), (
        f"{committed.name} differs from what {builder.name} writes: edit the builder, then run "
        f"`.venv/bin/python notebooks/_build/{builder.name}` and commit both")
