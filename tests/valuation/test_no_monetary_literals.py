"""No monetary literal in valuation code.

Every monetary reference value (SMIC, carbon value, avoided costs, discount rates,
classification thresholds) lives in the YAML catalogues of
``indicators/catalogues/`` with its source. This test parses every module of
``coopeval/valuation/`` with :mod:`ast` and fails on any numeric literal outside
a small allow-list of structural constants:

- ``0`` and ``1`` (neutral elements, ``1 - rate``, year 1, first index);
- ``2`` (halving the targeted/systemic gradient, squaring in the Herfindahl index);
- ``12`` (months in a year, payback period in months);
- ``100`` (percentages).

Booleans are not numbers here. ``finances_template.py`` is left out: it lays out the
treasurer's Excel workbook (column widths in characters, numbers of rows), and holds no value. A literal needed for another structural reason must
be added to the allow-list with its justification in this docstring.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import coopeval.valuation

ALLOWED = {0, 1, 2, 12, 100}
FOLDER = Path(coopeval.valuation.__file__).parent
#: Modules of layout only (no value): the Excel workbook of the treasurer.
LAYOUT = {"finances_template.py"}
MODULES = sorted(p for p in FOLDER.glob("*.py") if p.name not in LAYOUT)


def _numeric_literals(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float, complex)) \
                and not isinstance(node.value, bool):
            yield node


def test_modules_found():
    names = {p.name for p in MODULES}
    assert {"catalogue.py", "sroi.py", "resources.py", "avoided_costs.py", "externalities.py",
            "local_currency.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_no_numeric_literal_outside_allow_list(path):
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    bad = [(n.lineno, n.value) for n in _numeric_literals(tree) if n.value not in ALLOWED]
    assert not bad, f"{path.name}: numeric literals outside the allow-list {sorted(ALLOWED)}: {bad}"


def test_the_scan_detects_a_literal():
    """The scanner itself must catch a SMIC written in code."""
    tree = ast.parse("def f(h):\n    return h * 11.65\n")
    assert [n.value for n in _numeric_literals(tree) if n.value not in ALLOWED] == [11.65]
