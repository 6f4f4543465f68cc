"""Catalogue of monetary reference values (SMIC, carbon value, avoided costs…).

Every value comes from an entry of the catalogue (:mod:`coopeval.valuation.catalogue_entries`:
the YAML files of ``indicators/catalogues/`` and the user's proxies), with its unit,
validity date and source. This module looks values up by date:

- ``constant``: one value valid from its date;
- ``step``: the last revaluation on or before the date (SMIC);
- ``linear``: linear interpolation between the published years of a trajectory
  (carbon value), without extrapolation;
- ``alias``: a named convention equal to another entry (volunteer hour at the SMIC).

Example
-------
>>> import coopeval as ce
>>> smic = ce.valuation.reference_value("smic_horaire_brut", date="2023-06-15")
>>> smic.value, smic.unit
(11.52, 'EUR/h')
>>> ce.valuation.reference_value("valeur_action_climat_2019", date=2035).value
375.0
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np

from coopeval.errors import Issue, ValuationError
from coopeval.valuation.catalogue_entries import _entries, _to_date
from coopeval.valuation.versioning import USER_PROXIES, catalogue_version

__all__ = ["ReferenceValue", "reference_value", "resolve_value", "add_proxy"]


@dataclass(frozen=True)
class ReferenceValue:
    """A reference value looked up at a date.

    Attributes
    ----------
    name, label_fr, label_en : str
        Catalogue key and labels.
    value : float
        The value at ``date``.
    unit : str
        Unit (``EUR/h``, ``EUR2018/tCO2e``, ``EUR/personne/an``…).
    date : datetime.date or float or None
        The date (or decimal year for trajectories) asked for.
    valid_from : str
        Date of the catalogue point the value comes from (or the interpolation span).
    method : str
        ``constant``, ``step``, ``linear`` or ``alias``.
    source, notes : str
        Full citation and caveats.
    low, high : float or None
        Published range, when the source gives one.
    basis : str or None
        ``person`` or ``fte`` for avoided costs.
    price_year : int or None
        Year of the euros of ``value`` (None for a non-monetary value).
    flags : tuple of str
        Codes: ``outside_validity`` (asked after the value's year or after the date up to
        which a series is known complete), ``adjusted_cpi`` (adjusted with the Insee
        price index, see :func:`coopeval.valuation.adjust_for_inflation`),
        ``index_not_published`` (adjusted only up to the last published year).
    adjustment_factor : float
        Factor applied to the catalogue value (1 when not adjusted).
    catalogue_version : str
        Version of the catalogue the value comes from (:func:`catalogue_version`).
    """

    name: str
    value: float
    unit: str
    source: str
    method: str
    date: Any = None
    valid_from: str = ""
    label_fr: str = ""
    label_en: str = ""
    notes: str = ""
    low: float | None = None
    high: float | None = None
    basis: str | None = None
    price_year: int | None = None
    flags: tuple = ()
    adjustment_factor: float = 1.0
    catalogue_version: str = ""
    extra: dict = field(default_factory=dict, repr=False, compare=False)

    def __float__(self) -> float:
        return float(self.value)

    def label(self, lang: str = "fr") -> str:
        """Label in French (default) or English."""
        return self.label_en if lang == "en" else self.label_fr


def _decimal_year(date: Any) -> float:
    if isinstance(date, (int, float, np.integer, np.floating)) and not isinstance(date, bool):
        return float(date)
    d = _to_date(date)
    start = dt.date(d.year, 1, 1)
    length = (dt.date(d.year + 1, 1, 1) - start).days
    return d.year + (d - start).days / length


def _lookup(name: str, entry: dict, date: Any, seen: tuple[str, ...], adjust: bool = True) -> ReferenceValue:
    method = entry.get("method", "constant")
    common = {
        "name": name,
        "unit": entry.get("unit", ""),
        "source": " ".join(str(entry.get("source", "")).split()),
        "method": method,
        "label_fr": entry.get("label_fr", name),
        "label_en": entry.get("label_en", name),
        "notes": " ".join(str(entry.get("notes", "")).split()),
        "basis": entry.get("basis"),
        "low": entry.get("low"),
        "high": entry.get("high"),
        "extra": {k: v for k, v in entry.items() if k in ("url", "quote", "_file")},
    }
    if method == "alias":
        target = entry["of"]
        if target in seen:
            raise ValuationError(f"reference value `{name}`: alias cycle through {seen + (target,)}")
        base = reference_value(target, date, adjust=adjust, _seen=seen + (name,))
        source = common["source"] or base.source
        return replace(
            base, name=name, method="alias", label_fr=common["label_fr"], label_en=common["label_en"],
            source=f"{source} Valeur : {base.label_fr} — {base.source}", notes=common["notes"],
        )
    common["catalogue_version"] = catalogue_version()
    if method == "constant":
        return _constant(entry, date, adjust, common)
    if method == "step":
        d = _to_date(date)
        pts = sorted((_to_date(p["date"]), float(p["value"])) for p in entry["points"])
        valid = [p for p in pts if p[0] <= d]
        if not valid:
            raise ValuationError(
                f"reference value `{name}`: no value in force on {d.isoformat()} "
                f"(the catalogue starts on {pts[0][0].isoformat()})"
            )
        start, value = valid[-1]
        until = entry.get("valid_until")
        flags = ("outside_validity",) if until is not None and d > _to_date(until) else ()
        return ReferenceValue(value=value, date=d, valid_from=start.isoformat(), flags=flags, **common)
    # linear trajectory
    year = _decimal_year(date)
    trajectory = sorted((float(p["year"]), float(p["value"])) for p in entry["points"])
    years = np.array([p[0] for p in trajectory])
    values = np.array([p[1] for p in trajectory])
    if year < years[0] or year > years[-1]:
        raise ValuationError(
            f"reference value `{name}`: expected a date within the published trajectory "
            f"[{years[0]:g}, {years[-1]:g}], got {year:g} (no extrapolation; add points to "
            "the catalogue or declare your own proxy)"
        )
    value = float(np.interp(year, years, values))
    return ReferenceValue(
        value=value, date=year, valid_from=f"{years[0]:g}–{years[-1]:g} (interpolation linéaire)",
        price_year=entry.get("price_year"), **common
    )


def _nominal_euros(unit: str) -> bool:
    return unit.startswith("EUR/")


def _constant(entry: dict, date: Any, adjust: bool, common: dict) -> ReferenceValue:
    """A constant; a nominal euro value asked after its price year is flagged and adjusted."""
    value = float(entry["value"])
    valid_from = str(entry.get("date", ""))
    price_year = entry.get("price_year")
    if price_year is None and _nominal_euros(common["unit"]) and valid_from:
        price_year = _to_date(entry["date"]).year
    flags: tuple = ()
    factor = 1.0
    target = _to_date(date).year
    if price_year is not None and target > int(price_year):
        flags = ("outside_validity",)
        if adjust:
            from coopeval.valuation.price_index import adjust_for_inflation

            _, info = adjust_for_inflation(value, int(price_year), target)
            factor = info["factor"]
            flags += info["flags"]
    for key in ("low", "high"):
        if common[key] is not None:
            common[key] = float(common[key]) * factor
    return ReferenceValue(value=value * factor, date=date, valid_from=valid_from, price_year=price_year,
                          flags=flags, adjustment_factor=factor, **common)


def reference_value(name: str, date: Any = None, *, adjust: bool = True,
                    _seen: tuple[str, ...] = ()) -> ReferenceValue:
    """Look up a reference value of the catalogue at a date.

    Parameters
    ----------
    name : str
        Catalogue key (see :func:`catalogue`), built-in or added by the user.
    date : date, str, int or float, optional
        Date of validity. An ``int`` is a year (1 January for dated series, the
        year itself for trajectories); a ``float`` is a decimal year. Default: today.
    adjust : bool
        Adjust a nominal euro constant asked for a year after its price year with the
        Insee consumer price index (default); it is flagged either way.

    Returns
    -------
    ReferenceValue
        ``value`` with ``unit``, ``source``, ``method``, ``valid_from``, ``low``/``high``,
        ``price_year``, ``flags``, ``adjustment_factor`` and ``catalogue_version``.

    Raises
    ------
    ValuationError
        Unknown name (the message lists close names), a date before the first value
        of a series or outside a trajectory.

    Notes
    -----
    A nominal euro constant of price year :math:`a` asked in year :math:`b > a` is
    :math:`v I_b / I_a` (Insee consumer price index, up to its last published year).
    Linear trajectories: for published points :math:`(y_k, v_k)`, the value at
    year :math:`y \\in [y_k, y_{k+1}]` is
    :math:`v_k + (v_{k+1} - v_k)(y - y_k)/(y_{k+1} - y_k)`.

    References
    ----------
    Quinet A. (2019). *La valeur de l'action pour le climat*. France Stratégie.

    Examples
    --------
    >>> import coopeval as ce
    >>> v = ce.valuation.reference_value("valeur_action_climat_2019", date=2045)
    >>> v.value, v.unit
    (637.5, 'EUR2018/tCO2e')
    """
    entries = _entries()
    if not isinstance(name, str) or name not in entries:
        import difflib

        close = difflib.get_close_matches(str(name), list(entries))
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise ValuationError(
            f"parameter `name`: expected a catalogue entry, got {name!r}{hint}; "
            "see ce.valuation.catalogue() or add your own with ce.valuation.add_proxy()"
        )
    return _lookup(name, entries[name], date, _seen, adjust)


def resolve_value(proxy: Any, date: Any = None) -> tuple[float, str]:
    """A number from a proxy given as a number or a catalogue name.

    Returns
    -------
    (value, source) : tuple
        The source is ``"valeur déclarée par l'utilisateur"`` for a bare number.
    """
    if isinstance(proxy, str):
        ref = reference_value(proxy, date)
        return ref.value, f"{ref.name}: {ref.source}"
    if isinstance(proxy, ReferenceValue):
        return proxy.value, f"{proxy.name}: {proxy.source}"
    value = float(proxy)
    return value, "valeur déclarée par l'utilisateur"


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
    USER_PROXIES[name] = {
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
    return reference_value(name, date)
