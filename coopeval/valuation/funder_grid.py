"""Funders' views: one project's finances mapped onto a funder's reporting grid.

A grid is a YAML file (``indicators/grilles_financeurs/<id>.yaml`` or any path, schema
in the bundled ``cerfa_12156_budget.yaml``): each funder line sums lines of the
socio-economic model (:func:`coopeval.valuation.finance_lines`), optionally one
sub-line per funder. A cooperation enters its finances once and answers several
funders; the lines of the project no grid line takes are returned, never dropped.

Example
-------
>>> import coopeval as ce
>>> fin = ce.datasets.load("la_butinerie", table="finances")
>>> view = ce.valuation.funder_view(fin, "cerfa_12156_budget", unit="la_butinerie", wave="2023")
>>> float(view.set_index("grid_line").loc["64", "amount"])
100000.0
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from coopeval.errors import Issue, ValuationError
from coopeval.resources import indicators_dir
from coopeval.valuation.finances import finance_lines, socio_economic_model

__all__ = ["load_grid", "funder_view", "funder_grids"]


def funder_grids() -> list[str]:
    """Ids of the bundled funders' grids."""
    return sorted(p.stem for p in (indicators_dir() / "grilles_financeurs").glob("*.yaml"))


def load_grid(grid: str | Path) -> dict:
    """A funder's grid from a bundled id or a YAML path, checked against the model's lines.

    Raises
    ------
    ValuationError
        Unknown id or file, a grid line without ``id``/``label_fr``/``from``, a ``from``
        naming no line of the model (all problems listed).
    """
    path = Path(grid)
    if not path.is_file():
        path = indicators_dir() / "grilles_financeurs" / f"{grid}.yaml"
    if not path.is_file():
        raise ValuationError(f"parameter `grid`: expected a bundled grid {funder_grids()} or a YAML path, got {grid!r}")
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    codes = set(finance_lines()["line"])
    issues = []
    for i, ln in enumerate(spec.get("lines") or []):
        for key in ("id", "label_fr", "from"):
            if not ln.get(key):
                issues.append(Issue(path.name, f"lines[{i}].{key}", "a value", "nothing"))
        for code in ln.get("from") or []:
            if code not in codes:
                issues.append(Issue(path.name, f"lines[{i}].from", "lines of ce.valuation.finance_lines()", repr(code)))
    if not spec.get("lines"):
        issues.append(Issue(path.name, "lines", "a non-empty list", "nothing"))
    if issues:
        raise ValuationError(f"funder grid {path.name} is invalid", issues=issues)
    return spec


def funder_view(finances: pd.DataFrame, grid: str | Path, *, unit: str, wave: str,
                proxies: dict[str, Any] | None = None, date: Any = None) -> pd.DataFrame:
    """The finances of one cooperation and wave on a funder's grid.

    Parameters
    ----------
    finances : DataFrame
        As for :func:`coopeval.valuation.socio_economic_model`.
    grid : str or Path
        A bundled grid id (:func:`funder_grids`) or a YAML file.
    unit, wave : str
    proxies, date
        Passed to :func:`coopeval.valuation.socio_economic_model` (valuing non-monetary lines).

    Returns
    -------
    DataFrame
        ``grid_line, label, detail, amount, model_lines, note`` in the grid's order, then
        one row per model line no grid line takes (``grid_line`` empty,
        ``note = "non repris par la grille"``). ``amount`` is NaN when every model line
        of a grid line is declared without amount.
    """
    spec = load_grid(grid)
    model = socio_economic_model(finances, proxies=proxies, date=date)
    lines = model.lines[(model.lines["unit"].astype(str) == str(unit)) & (model.lines["wave"].astype(str) == str(wave))]
    if lines.empty:
        raise ValuationError(f"parameters `unit`, `wave`: expected a cooperation and wave of `finances`, "
                             f"got {unit!r}, {wave!r}")
    rows, used = [], set()
    for ln in spec["lines"]:
        part = lines[lines["line"].isin(ln["from"])]
        used |= set(ln["from"])
        note = " ".join(str(ln.get("note_fr", "")).split())
        if ln.get("detail_by") and not part.empty:
            for key, g in part.groupby(ln["detail_by"], sort=False):
                rows.append({"grid_line": str(ln["id"]), "label": ln["label_fr"], "detail": str(key),
                             "amount": float(g["value_eur"].sum(min_count=1)), "model_lines": ";".join(g["line"]),
                             "note": note})
            continue
        amount = float(part["value_eur"].sum(min_count=1)) if not part.empty else 0.0
        rows.append({"grid_line": str(ln["id"]), "label": ln["label_fr"], "detail": "", "amount": amount,
                     "model_lines": ";".join(part["line"]), "note": note})
    for _, r in lines[~lines["line"].isin(used)].iterrows():
        rows.append({"grid_line": "", "label": r["line"], "detail": str(r["source"]),
                     "amount": r["value_eur"] if r["valued"] else np.nan, "model_lines": r["line"],
                     "note": "non repris par la grille"})
    out = pd.DataFrame(rows)
    out.attrs.update({"grid": spec["id"], "source": " ".join(str(spec.get("source", "")).split()),
                      "catalogue_version": model.catalogue_version})
    return out
