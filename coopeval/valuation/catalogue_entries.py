"""The entries of the reference-value catalogue: built-in YAML files and user proxies.

Reads and checks the files of ``indicators/catalogues/`` (every entry has a unit and a
source; ``constant``, ``step``, ``linear`` or ``alias``), lists them
(:func:`catalogue`) and holds the proxies a user declares for the session
(:func:`add_proxy`, :func:`load_catalogue`, :func:`reset_user_catalogue`). Looking a value
up at a date is :mod:`coopeval.valuation.catalogue`.

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
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
import yaml

from coopeval.errors import Issue, ValuationError
from coopeval.resources import indicators_dir
from coopeval.valuation.versioning import USER_PROXIES

if TYPE_CHECKING:
    from coopeval.valuation.catalogue import ReferenceValue

__all__ = ["catalogue", "add_proxy", "load_catalogue", "reset_user_catalogue"]

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


def add_proxy(
    name: str,
    value: float,
    unit: str,
    source: str,
    *,
    date: Any = None,
    label_fr: str | None = None,
    label_en: str | None = None,
    notes: str = "",
    low: float | None = None,
    high: float | None = None,
    basis: str | None = None,
) -> ReferenceValue:
    """Declare a user proxy (a constant reference value) for this session.

    A user proxy with the name of a built-in entry overrides it (the override is
    visible in ``catalogue()["origin"] == "user"``).

    Raises
    ------
    ValuationError
        Missing unit or source, or a value that is not a finite number.
    """
    issues = []
    if not isinstance(name, str) or not name:
        issues.append(Issue("add_proxy", "name", "a non-empty string", repr(name)))
    try:
        ok = np.isfinite(float(value))
    except (TypeError, ValueError):
        ok = False
    if not ok:
        issues.append(Issue("add_proxy", "value", "a finite number", repr(value)))
    for key, val in (("unit", unit), ("source", source)):
        if not isinstance(val, str) or not val.strip():
            issues.append(Issue("add_proxy", key, "a non-empty string (every proxy is sourced)", repr(val)))
    if low is not None and high is not None and ok and not (low <= float(value) <= high):
        issues.append(Issue("add_proxy", "low/high", f"low <= value <= high (value {value})", f"[{low}, {high}]"))
    if issues:
        raise ValuationError(f"proxy `{name}` is invalid", issues=issues)
    _USER[name] = {
        "method": "constant",
        "value": float(value),
        "unit": unit,
        "source": source,
        "date": str(_to_date(date)) if date is not None else "",
        "label_fr": label_fr or name,
        "label_en": label_en or label_fr or name,
        "notes": notes,
        "low": low,
        "high": high,
        "basis": basis,
        "_file": "user",
    }
    from coopeval.valuation.catalogue import reference_value  # lookup module (it imports this one)

    return reference_value(name, date)


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

