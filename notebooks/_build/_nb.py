"""Shared helpers of the notebook builders in ``notebooks/_build/``.

Each builder holds only its ``CELLS`` (a list of ``("md" | "code", source)`` pairs) and calls
:func:`write_notebook` when run from the repository root::

    .venv/bin/python notebooks/_build/05_valorisation_sroi.py

Notebooks are written without outputs (the test suite executes them) and with cell ids
numbered in order, so that building twice gives the same bytes.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

#: Folder of the committed notebooks (the parent of ``_build``).
NOTEBOOKS_DIR = Path(__file__).resolve().parents[1]

Cells = Sequence[tuple[str, str]]


def notebook(cells: Cells) -> nbformat.NotebookNode:
    """An unexecuted Python 3 notebook of ``cells`` (``"md"`` → markdown, anything else → code)."""
    nb = new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [new_markdown_cell(src) if kind == "md" else new_code_cell(src) for kind, src in cells]
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"cell-{i:02d}"
    return nb


def write_notebook(cells: Cells, name: str) -> Path:
    """Write the notebook of ``cells`` to ``notebooks/<name>`` and return its path."""
    out = NOTEBOOKS_DIR / name
    nbformat.write(notebook(cells), out)
    print(f"wrote {out}")
    return out
