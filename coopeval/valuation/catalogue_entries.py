"""The entries of the reference-value catalogue: built-in YAML files and user proxies.

Reads and checks the files of ``indicators/catalogues/`` (every entry has a unit and a
source; ``constant``, ``step``, ``linear`` or ``alias``), lists them
(:func:`catalogue`) and holds the proxies a user declares for the session
(:func:`load_catalogue`, :func:`reset_user_catalogue`; a single proxy is declared with
:func:`coopeval.valuation.add_proxy`, which reads it back). Looking a value up at a date is
:mod:`coopeval.valuation.catalogue`.

Example
-------
>>> import coopeval as ce
>>> cat = ce.valuation.catalogue()
>>> cat.set_index("name").loc["smic_horaire_brut", "method"]
'step'
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import yaml

from coopeval.errors import Issue, ValuationError
from coopeval.resources import indicators_dir
from coopeval.valuation.versioning import USER_PROXIES

__all__ = ["catalogue", "load_catalogue", "reset_user_catalogue"]

#: Lookup methods of an entry (see :mod:`coopeval.valuation.catalogue`).
_METHODS = ("constant", "step", "linear", "alias")

_BUILTIN: dict[str, dict] | None = None
_USER = USER_PROXIES  # the same dict: its size is part of the catalogue version


def _check_entry(name: str, entry: Any, where: str) -> list[Issue]:
    issues: list[Issue] = []
    if not isinstance(entry, dict):
        return [Issue(where, name, "a mapping", type(entry).__name__)]
    method = entry.get("method", "constant")
    if method not in _METHODS:
        issues.append(Issue(where, f"{name}.method", f"one of {_METHODS}", repr(method)))
    if method != "alias":
        for key in ("unit", "source"):
            if not entry.get(key):
                issues.append(Issue(where, f"{name}.{key}", "a non-empty string", "nothing"))
    if method == "constant" and not isinstance(entry.get("value"), (int, float)):
        issues.append(Issue(where, f"{name}.value", "a number", repr(entry.get("value"))))
    if method in ("step", "linear"):
        key = "date" if method == "step" else "year"
        pts = entry.get("points")
        if not isinstance(pts, list) or not pts:
            issues.append(Issue(where, f"{name}.points", "a non-empty list", repr(pts)))
        else:
            for i, p in enumerate(pts):
                if not isinstance(p, dict) or key not in p or "value" not in p:
                    issues.append(
                        Issue(where, f"{name}.points[{i}]", f"a mapping with `{key}` and `value`", repr(p))
                    )
    if method == "alias" and not entry.get("of"):
        issues.append(Issue(where, f"{name}.of", "the name of another entry", "nothing"))
    return issues


def _read_yaml(path: Path) -> dict[str, dict]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as err:
        raise ValuationError(f"catalogue file {path}: invalid YAML ({err})") from err
    if not isinstance(data, dict):
        raise ValuationError(f"catalogue file {path}: expected a mapping of entries, got {type(data).__name__}")
    issues = [i for name, e in data.items() for i in _check_entry(name, e, str(path.name))]
    if issues:
        raise ValuationError(f"catalogue file {path} is invalid", issues=issues)
    for entry in data.values():
        entry["_file"] = str(path.name)
    return data


def _builtin() -> dict[str, dict]:
    global _BUILTIN
    if _BUILTIN is None:
        merged: dict[str, dict] = {}
        for path in sorted((indicators_dir() / "catalogues").glob("*.yaml")):
            merged.update(_read_yaml(path))
        _BUILTIN = merged
    return _BUILTIN


def _entries() -> dict[str, dict]:
    return {**_builtin(), **_USER}


def _to_date(date: Any) -> dt.date:
    if date is None:
        return dt.date.today()
    if isinstance(date, (int, np.integer)):
        return dt.date(int(date), 1, 1)
    try:
        return pd.Timestamp(date).date()
    except (ValueError, TypeError) as err:
        raise ValuationError(
            f"parameter `date`: expected a date, an ISO string or a year, got {date!r}"
        ) from err


def catalogue(lang: str = "fr") -> pd.DataFrame:
    """All entries of the catalogue (built-in and user).

    Returns
    -------
    DataFrame
        One row per entry: ``name, label, unit, method, first, last, latest_value,
        low, high, basis, source, origin`` (``origin`` is the YAML file or ``user``).
    """
    rows = []
    for name, e in _entries().items():
        method = e.get("method", "constant")
        first = last = latest = None
        if method == "constant":
            first = last = str(e.get("date", ""))
            latest = float(e["value"])
        elif method == "step":
            pts = sorted(e["points"], key=lambda p: _to_date(p["date"]))
            first, last, latest = str(pts[0]["date"]), str(pts[-1]["date"]), float(pts[-1]["value"])
        elif method == "linear":
            pts = sorted(e["points"], key=lambda p: p["year"])
            first, last, latest = str(pts[0]["year"]), str(pts[-1]["year"]), float(pts[-1]["value"])
        else:
            first = last = f"= {e['of']}"
        rows.append(
            {
                "name": name,
                "label": e.get("label_en" if lang == "en" else "label_fr", name),
                "unit": e.get("unit", ""),
                "method": method,
                "first": first,
                "last": last,
                "latest_value": latest,
                "low": e.get("low"),
                "high": e.get("high"),
                "basis": e.get("basis"),
                "source": " ".join(str(e.get("source", "")).split()),
                "origin": e.get("_file", "user"),
            }
        )
    return pd.DataFrame(rows)


def load_catalogue(path: str | Path) -> list[str]:
    """Add the entries of a user YAML catalogue (same schema as the built-in files).

    Returns
    -------
    list of str
        The names added.
    """
    path = Path(path)
    if not path.is_file():
        raise ValuationError(f"parameter `path`: expected an existing YAML file, got {str(path)!r}")
    data = _read_yaml(path)
    for entry in data.values():
        entry["_file"] = "user"
    _USER.update(data)
    return list(data)


def reset_user_catalogue() -> None:
    """Forget every user proxy and user catalogue of this session."""
    _USER.clear()

