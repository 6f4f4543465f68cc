"""The committed notebook 05 is the output of its generator (no hand edits drift).

Its execution is tested by tests/notebooks/test_notebooks.py.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def test_notebook_matches_generator():
    spec = importlib.util.spec_from_file_location("nb05", ROOT / "notebooks" / "_build" / "05_valorisation_sroi.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    built = mod.build()
    committed = nbformat.read(ROOT / "notebooks" / "05_valorisation_sroi.ipynb", as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in built.cells]
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")
    assert committed.cells[0].source.startswith("# Valoriser les externalités, SROI et modèle socio-économique")
