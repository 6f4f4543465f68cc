"""Screening of indicators and units by data availability, with the reason of each exclusion.

Indicators are screened first (so that a badly covered indicator does not exclude units),
then units on the indicators kept:

- indicator coverage = share of the observed unit-waves that have a value; an indicator is
  dropped when its coverage is below ``min_indicator_coverage``;
- unit coverage (COINr's ``Dat_Avail``) = ``1 - n_missing / n_indicators`` and non-zero share
  (``Non_Zero``) = ``1 - n_zero / (n_indicators - n_missing)``, per unit and wave; a unit-wave
  is dropped when its coverage is below ``min_coverage`` or its non-zero share below
  ``min_nonzero`` (strict inequalities, as COINr's ``Screen`` with ``unit_screen = "byNA"``,
  ``"byzeros"`` or ``"byNAandzeros"``), unless forced in or out.

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, steps 2–3 (selection of
indicators, data availability "threshold of coverage").
Becker, W. et al. (2022). COINr, *JOSS* 7(78), 4567 (``Screen``, ``get_data_avail``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, bad_param
from coopeval.framework import Framework
from coopeval.scoring._long import check_long, grid

__all__ = ["Screening", "screen"]

UNIT_COLUMNS = ["unit", "wave", "n_indicators", "n_missing", "n_zero", "coverage", "nonzero", "included", "reason"]
INDICATOR_COLUMNS = ["indicator", "n_rows", "n_available", "coverage", "included", "reason"]


@dataclass(frozen=True)
class Screening:
    """Result of :func:`screen`.

    Attributes
    ----------
    data : pandas.DataFrame
        The observations of the kept units (unit-waves) and indicators.
    units : pandas.DataFrame
        One row per unit and wave: ``unit, wave, n_indicators`` (kept indicators),
        ``n_missing, n_zero, coverage, nonzero``, ``included`` and ``reason`` (``ok``,
        ``low_coverage``, ``low_nonzero``, ``low_coverage_and_nonzero``, ``forced_in``,
        ``forced_out``).
    indicators : pandas.DataFrame
        One row per indicator: ``indicator, n_rows, n_available, coverage, included`` and
        ``reason`` (``ok``, ``low_coverage``).
    """

    data: pd.DataFrame
    units: pd.DataFrame
    indicators: pd.DataFrame


def _threshold(name: str, v) -> float | None:
    if v is None:
        return None
    if not isinstance(v, (int, float)) or not 0 <= v <= 1:
        bad_param(name, "a number between 0 and 1, or None", v, ScoringError)
    return float(v)


def screen(
    obs: pd.DataFrame,
    fw: Framework | None = None,
    *,
    min_coverage: float | None = None,
    min_nonzero: float | None = None,
    min_indicator_coverage: float | None = None,
    force_include: Sequence[str] = (),
    force_exclude: Sequence[str] = (),
    unit: str = "unit",
    wave: str = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> Screening:
    """Screen indicators and units by coverage and report why each one is kept or dropped.

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (names configurable).
    fw : Framework, optional
        The indicators expected (otherwise those found in ``obs``); rows of other variables
        are kept untouched.
    min_coverage, min_nonzero : float, optional
        Unit thresholds (COINr's ``dat_thresh`` and ``nonzero_thresh``); ``None`` skips the rule.
    min_indicator_coverage : float, optional
        Indicator threshold on the share of unit-waves with a value.
    force_include, force_exclude : list of str
        Units kept or dropped whatever their coverage (COINr's ``Force``).

    Returns
    -------
    Screening
        ``data``, ``units`` and ``indicators`` (see :class:`Screening`).

    Examples
    --------
    >>> import pandas as pd
    >>> from coopeval.scoring.screen import screen
    >>> obs = pd.DataFrame({"unit": ["a", "a", "b", "b"], "wave": 1, "indicator": ["x", "y", "x", "y"],
    ...                     "value": [1.0, 2.0, 3.0, None]})
    >>> s = screen(obs, min_coverage=0.75)
    >>> s.units[["unit", "coverage", "included", "reason"]].to_dict("records")
    [{'unit': 'a', 'coverage': 1.0, 'included': True, 'reason': 'ok'}, {'unit': 'b', 'coverage': 0.5, 'included': False, 'reason': 'low_coverage'}]
    """
    df = check_long(obs, unit=unit, wave=wave, indicator=indicator, value=value)
    t_cov, t_nz = _threshold("min_coverage", min_coverage), _threshold("min_nonzero", min_nonzero)
    t_ind = _threshold("min_indicator_coverage", min_indicator_coverage)
    if set(force_include) & set(force_exclude):
        bad_param("force_include", "no unit also in force_exclude", sorted(set(force_include) & set(force_exclude)),
                  ScoringError)
    inds = list(fw.indicators["indicator"]) if fw is not None else list(dict.fromkeys(df[indicator]))
    c = {"unit": unit, "wave": wave, "indicator": indicator, "value": value}
    wide = grid(df, inds, c)
    avail = wide.notna()
    icov = avail.mean(axis=0)
    ikeep = icov >= t_ind if t_ind is not None else pd.Series(True, index=icov.index)
    ireport = pd.DataFrame({"indicator": inds, "n_rows": len(wide), "n_available": avail.sum(axis=0).to_numpy(),
                            "coverage": icov.to_numpy(), "included": ikeep.to_numpy(),
                            "reason": np.where(ikeep, "ok", "low_coverage")}, columns=INDICATOR_COLUMNS)
    kept = [i for i in inds if ikeep[i]]
    sub = wide[kept]
    n = len(kept)
    n_miss = sub.isna().sum(axis=1).to_numpy()
    n_zero = (sub == 0).sum(axis=1).to_numpy()
    with np.errstate(invalid="ignore", divide="ignore"):
        cov = 1 - n_miss / n if n else np.full(len(sub), np.nan)
        nz = 1 - n_zero / (n - n_miss)
    low_cov = cov < t_cov if t_cov is not None else np.zeros(len(sub), bool)
    low_nz = nz < t_nz if t_nz is not None else np.zeros(len(sub), bool)
    reason = np.select([low_cov & low_nz, low_cov, low_nz], ["low_coverage_and_nonzero", "low_coverage",
                                                              "low_nonzero"], "ok").astype(object)
    units = sub.index.get_level_values(0)
    reason[np.isin(units, list(force_include))] = "forced_in"
    reason[np.isin(units, list(force_exclude))] = "forced_out"
    included = np.isin(reason, ["ok", "forced_in"])
    ureport = pd.DataFrame({"unit": units, "wave": sub.index.get_level_values(1), "n_indicators": n,
                            "n_missing": n_miss, "n_zero": n_zero, "coverage": cov, "nonzero": nz,
                            "included": included, "reason": reason}, columns=UNIT_COLUMNS)
    keep_rows = set(zip(ureport.loc[included, "unit"], ureport.loc[included, "wave"], strict=True))
    dropped = set(inds) - set(kept)
    row_ok = np.array([k in keep_rows for k in zip(df[unit], df[wave], strict=True)], dtype=bool)
    data = df[row_ok & ~df[indicator].isin(dropped).to_numpy()].reset_index(drop=True)
    return Screening(data, ureport, ireport)
