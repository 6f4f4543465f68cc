"""The committed notebook 08 is the output of its generator (no hand edits drift); its execution is
tested by tests/notebooks/test_notebooks.py."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]


def test_notebook_matches_generator():
    spec = importlib.util.spec_from_file_location("nb09", ROOT / "notebooks" / "_build" / "09_qualitatif_cycle.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    committed = nbformat.read(ROOT / "notebooks" / "09_qualitatif_cycle.ipynb", as_version=4)
    assert [c.source for c in committed.cells] == [c.source for c in mod.build().cells]
    assert all(not c.get("outputs") for c in committed.cells if c.cell_type == "code")
    assert committed.cells[0].source.startswith("# Méthodes mixtes et cycle d'apprentissage")
