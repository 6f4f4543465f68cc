"""Denomination: divide an indicator by a reference variable (per inhabitant, per employee…).

``x' = x / d * scale`` where ``d`` is the value of the denominator for the same unit (and the
same wave when the denominators have waves). A missing or zero denominator gives a missing
value, counted in the report (COINr's ``Denominate`` would give ``NA`` or ``Inf``).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, step 5 (scaling by size:
"indicators ... divided by population, GDP, area").
Becker, W. et al. (2022). COINr, *JOSS* 7(78), 4567 (``Denominate``; vignette "Denomination").
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError, bad_param
from coopeval.scoring._long import check_long

__all__ = ["Denomination", "denominate"]

REPORT_COLUMNS = ["indicator", "denominator", "scale", "n", "n_denominated", "n_missing_denominator",
                  "n_zero_denominator"]


@dataclass(frozen=True)
class Denomination:
    """Result of :func:`denominate`.

    Attributes
    ----------
    data : pandas.DataFrame
        The observations, denominated indicators divided (same rows and columns).
    report : pandas.DataFrame
        One row per denominated indicator: ``indicator, denominator, scale``, ``n`` (values),
        ``n_denominated``, ``n_missing_denominator`` and ``n_zero_denominator`` (values set
        missing for want of a usable denominator).
    """

    data: pd.DataFrame
    report: pd.DataFrame


def _spec(by) -> pd.DataFrame:
    if isinstance(by, Mapping):
        return pd.DataFrame({"indicator": list(by), "denominator": list(by.values()), "scale": 1.0})
    if isinstance(by, pd.DataFrame) and {"indicator", "denominator"} <= set(by.columns):
        out = by[["indicator", "denominator"]].copy()
        out["scale"] = pd.to_numeric(by["scale"], errors="coerce") if "scale" in by.columns else 1.0
        out = out.dropna(subset=["denominator"])
        if out["scale"].isna().any():
            bad_param("by", "numeric `scale` values", by["scale"].tolist(), ScoringError)
        return out.reset_index(drop=True)
    bad_param("by", "a mapping indicator -> denominator or a DataFrame with columns indicator, denominator"
              " [, scale]", by, ScoringError)


def denominate(
    obs: pd.DataFrame,
    by: Mapping[str, str] | pd.DataFrame,
    denominators: pd.DataFrame | None = None,
    *,
    unit: str = "unit",
    wave: str = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> Denomination:
    """Divide indicators by reference variables.

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (names configurable).
    by : mapping or pandas.DataFrame
        ``{indicator: denominator}`` or a table with columns ``indicator, denominator`` and
        optionally ``scale`` (a multiplying factor, e.g. 1000 for "per 1 000 inhabitants").
    denominators : pandas.DataFrame, optional
        Long table of the reference variables with the same columns as ``obs`` (the
        denominator's name in the ``indicator`` column); without a ``wave`` column, one value
        per unit serves every wave. By default they are read from ``obs`` itself (rows of
        variables that are not in the framework are ignored by scoring).

    Returns
    -------
    Denomination
        ``data`` and ``report`` (see :class:`Denomination`).

    Examples
    --------
    >>> import pandas as pd
    >>> from coopeval.scoring.denominate import denominate
    >>> obs = pd.DataFrame({"unit": ["a", "a", "b", "b"], "wave": 1,
    ...                     "indicator": ["emplois", "habitants", "emplois", "habitants"],
    ...                     "value": [12.0, 3000.0, 30.0, 15000.0]})
    >>> d = denominate(obs, pd.DataFrame({"indicator": ["emplois"], "denominator": ["habitants"],
    ...                                   "scale": [1000]}))
    >>> d.data.query("indicator == 'emplois'")["value"].tolist()
    [4.0, 2.0]
    """
    df = check_long(obs, unit=unit, wave=wave, indicator=indicator, value=value)
    spec = _spec(by)
    if denominators is None:
        den = df
    else:
        has_wave = wave in getattr(denominators, "columns", [])
        den = check_long(denominators, unit=unit, wave=wave if has_wave else None, indicator=indicator, value=value)
    keys = [unit, wave] if wave in den.columns else [unit]
    issues = [Issue("by", r.denominator, "a variable of the denominators", "none")
              for r in spec.itertuples() if r.denominator not in set(den[indicator])]
    issues += [Issue("by", r.indicator, "an indicator of the observations", "none")
               for r in spec.itertuples() if r.indicator not in set(df[indicator])]
    if spec["indicator"].duplicated().any():
        issues.append(Issue("by", "indicator", "each indicator once", "duplicates"))
    if issues:
        raise ScoringError("parameter `by`", issues=issues)
    out = df.copy()
    rows = []
    for r in spec.itertuples():
        mask = (df[indicator] == r.indicator).to_numpy()
        d = den[den[indicator] == r.denominator].set_index(keys)[value]
        key = pd.MultiIndex.from_frame(df.loc[mask, keys]) if len(keys) > 1 else pd.Index(df.loc[mask, unit])
        dv = d.reindex(key).to_numpy(dtype=float)
        x = df.loc[mask, value].to_numpy(dtype=float)
        with np.errstate(divide="ignore", invalid="ignore"):
            res = np.where(np.isfinite(dv) & (dv != 0), x / dv * r.scale, np.nan)
        out.loc[mask, value] = res
        has_x = ~np.isnan(x)
        rows.append({"indicator": r.indicator, "denominator": r.denominator, "scale": float(r.scale),
                     "n": int(has_x.sum()), "n_denominated": int((has_x & ~np.isnan(res)).sum()),
                     "n_missing_denominator": int((has_x & np.isnan(dv)).sum()),
                     "n_zero_denominator": int((has_x & (dv == 0)).sum())})
    return Denomination(out, pd.DataFrame(rows, columns=REPORT_COLUMNS))
