"""Outlier treatment compatible with COINr's ``qTreat``: winsorise, then log, driven by skew and kurtosis.

For each indicator (pooled over waves, or wave by wave) the rule of COINr (``Treat`` with its
default specification, ``qTreat``) is applied to the observed values:

1. *check*: the indicator passes when ``|skew| < skew_thresh`` **or** ``kurtosis <
   kurt_thresh`` (defaults 2 and 3.5), i.e. it fails only when both are exceeded;
2. if it fails, *winsorise*: repeatedly give the highest value(s) the value of the next highest
   (or the lowest the next lowest when the skew is negative; the side is chosen again at each
   step) until the check passes or ``winmax`` points have been changed (tied extremes are
   changed together and all count);
3. if the winsorised indicator still fails, the winsorisation is undone and the *original*
   values are log-transformed instead (COINr's ``log_CT``): ``log(x - min x + 0.01 (max x -
   min x))``; the check is run once more and reported.

Skewness and kurtosis are the sample statistics of ``e1071`` type 2 (as in Excel and COINr)::

    g1 = sqrt(n) * sum(d^3) / sum(d^2)^(3/2),   skew = g1 * sqrt(n (n - 1)) / (n - 2)
    r = n * sum(d^4) / sum(d^2)^2,               kurt = ((n + 1)(r - 3) + 6)(n - 1) / ((n - 2)(n - 3))

with ``d = x - mean(x)``. Indicators with fewer than 4 values, or constant, are not checked
and left as they are (reason reported).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, step 3 (imputation and
outliers) and section 1.5.
Becker, W. et al. (2022). COINr: An R package for developing composite indicators. *Journal
of Open Source Software*, 7(78), 4567 (functions ``Treat``, ``qTreat``, ``winsorise``,
``check_SkewKurt``, ``log_CT``; vignette "Outlier Treatment").
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, bad_param
from coopeval.scoring._long import check_long

__all__ = ["Treatment", "check_skew_kurt", "kurtosis", "log_ct", "skewness", "treat", "winsorise"]

#: Columns of :attr:`Treatment.report`.
REPORT_COLUMNS = [
    "indicator", "wave", "n", "skew", "kurt", "passed", "n_winsorised", "skew_winsorised",
    "kurt_winsorised", "passed_winsorised", "skew_log", "kurt_log", "passed_log", "treatment",
]


def skewness(x: np.ndarray) -> float:
    """Sample skewness, type 2 of ``e1071`` (Excel's ``SKEW``); NaN below 3 values."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 3:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return float("nan")
    g1 = np.sqrt(n) * np.sum(d**3) / s2**1.5
    return float(g1 * np.sqrt(n * (n - 1)) / (n - 2))


def kurtosis(x: np.ndarray) -> float:
    """Sample excess kurtosis, type 2 of ``e1071`` (Excel's ``KURT``); NaN below 4 values."""
    x = np.asarray(x, dtype=float)
    x = x[~np.isnan(x)]
    n = len(x)
    if n < 4:
        return float("nan")
    d = x - x.mean()
    s2 = np.sum(d**2)
    if s2 == 0:
        return float("nan")
    r = n * np.sum(d**4) / s2**2
    return float(((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3)))


def check_skew_kurt(x: np.ndarray, skew_thresh: float = 2.0, kurt_thresh: float = 3.5) -> tuple[bool | None, float, float]:
    """``(passed, skew, kurt)``: passed when ``|skew| < skew_thresh`` or ``kurt < kurt_thresh``.

    ``passed`` is ``None`` when it cannot be decided (fewer than 4 values, or constant).
    """
    sk, kt = skewness(x), kurtosis(x)
    if np.isnan(sk) or np.isnan(kt):
        return (True if abs(sk) < skew_thresh else None), sk, kt
    return bool(abs(sk) < skew_thresh or kt < kurt_thresh), sk, kt


def winsorise(x: np.ndarray, winmax: int | None = 5, skew_thresh: float = 2.0,
              kurt_thresh: float = 3.5) -> tuple[np.ndarray, int, np.ndarray]:
    """Winsorise until the skew/kurtosis check passes or ``winmax`` points are changed.

    Returns the treated copy, the number of points changed and a code per point
    (``""``, ``"winhi"`` or ``"winlo"``). NaN are kept and ignored.
    """
    x = np.asarray(x, dtype=float).copy()
    code = np.full(len(x), "", dtype=object)
    passed = check_skew_kurt(x, skew_thresh, kurt_thresh)[0]
    hi = lo = np.zeros(len(x), dtype=bool)
    nwin = 0
    while passed is False and (winmax is None or nwin < winmax):
        ok = ~np.isnan(x)
        if skewness(x) >= 0:
            hi = ok & (x == np.nanmax(x))
            if (ok & ~hi).sum() == 0:
                break
            x[hi] = np.max(x[ok & ~hi])
        else:
            lo = ok & (x == np.nanmin(x))
            if (ok & ~lo).sum() == 0:
                break
            x[lo] = np.min(x[ok & ~lo])
        nwin = int(hi.sum() + lo.sum())
        passed = check_skew_kurt(x, skew_thresh, kurt_thresh)[0]
    code[hi] = "winhi"
    code[lo] = "winlo"
    return x, nwin, code


def log_ct(x: np.ndarray) -> np.ndarray:
    """COINr's ``log_CT``: ``log(x - min x + 0.01 (max x - min x))`` (NaN kept)."""
    x = np.asarray(x, dtype=float)
    lo, hi = np.nanmin(x), np.nanmax(x)
    with np.errstate(divide="ignore"):
        return np.log(x - lo + 0.01 * (hi - lo))


@dataclass(frozen=True)
class Treatment:
    """Result of :func:`treat`.

    Attributes
    ----------
    data : pandas.DataFrame
        The observations with treated values (same rows and columns).
    report : pandas.DataFrame
        One row per indicator (and wave when treated per wave): ``indicator, wave`` (``None``
        when pooled), ``n`` (observed values), ``skew, kurt, passed`` (raw check),
        ``n_winsorised, skew_winsorised, kurt_winsorised, passed_winsorised`` (after
        winsorising; NaN when not needed), ``skew_log, kurt_log, passed_log`` (after the log,
        NaN when not needed) and ``treatment``: ``none`` (passed), ``winsorise``,
        ``winsorise_failed`` (``log=False``, still failing), ``log``, ``log_failed`` (log
        applied, still failing), ``too_few_values`` or ``constant``
        (not checked, left as is).
    points : pandas.DataFrame
        One row per changed value: ``unit, wave, indicator, value`` (raw), ``treated``,
        ``treatment`` (``winhi``, ``winlo`` or ``log``).
    """

    data: pd.DataFrame
    report: pd.DataFrame
    points: pd.DataFrame


def _treat_one(x: np.ndarray, winmax, skew_thresh, kurt_thresh, log: bool) -> tuple[np.ndarray, dict, np.ndarray]:
    n = int((~np.isnan(x)).sum())
    passed, sk, kt = check_skew_kurt(x, skew_thresh, kurt_thresh)
    row: dict[str, float | bool | str | None] = {"n": n, "skew": sk, "kurt": kt, "passed": passed, "n_winsorised": np.nan, "skew_winsorised": np.nan,
           "kurt_winsorised": np.nan, "passed_winsorised": None, "skew_log": np.nan, "kurt_log": np.nan,
           "passed_log": None}
    none = np.full(len(x), "", dtype=object)
    if passed is None:
        row["treatment"] = "too_few_values" if n < 4 else "constant"
        return x, row, none
    if passed:
        row["treatment"] = "none"
        return x, row, none
    xw, nwin, code = winsorise(x, winmax, skew_thresh, kurt_thresh)
    pw, skw, ktw = check_skew_kurt(xw, skew_thresh, kurt_thresh)
    row.update(n_winsorised=nwin, skew_winsorised=skw, kurt_winsorised=ktw, passed_winsorised=pw)
    if pw or not log:
        row["treatment"] = "winsorise" if pw else "winsorise_failed"
        return xw, row, code
    xl = log_ct(x)
    pl, skl, ktl = check_skew_kurt(xl, skew_thresh, kurt_thresh)
    row.update(skew_log=skl, kurt_log=ktl, passed_log=pl, treatment="log" if pl else "log_failed")
    return xl, row, np.where(np.isnan(x), "", "log").astype(object)


def treat(
    obs: pd.DataFrame,
    *,
    winmax: int | None = 5,
    skew_thresh: float = 2.0,
    kurt_thresh: float = 3.5,
    log: bool = True,
    per_wave: bool = False,
    skip: tuple[str, ...] | list[str] = (),
    unit: str = "unit",
    wave: str = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> Treatment:
    """Treat outliers indicator by indicator with COINr's default rule (see module notes).

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (names configurable).
    winmax : int or None
        Most points winsorised per indicator (``None``: no limit; ``0``: straight to the log).
    skew_thresh, kurt_thresh : float
        Thresholds of the check (an indicator fails when ``|skew| >= skew_thresh`` and
        ``kurt >= kurt_thresh``).
    log : bool
        Log-transform (``log_CT``) indicators that winsorising does not fix (``False``: keep
        the winsorised values; the report says the check still fails).
    per_wave : bool
        Treat each wave separately (as COINr does for each coin of a purse); by default all
        waves of an indicator are pooled so that they stay comparable.
    skip : list of str
        Indicators left untouched (COINr's ``indiv_specs = list(X = "none")``).

    Returns
    -------
    Treatment
        ``data`` (treated observations), ``report`` (per indicator) and ``points`` (each
        changed value); see :class:`Treatment`.

    Examples
    --------
    >>> import pandas as pd
    >>> from coopeval.scoring.treat import treat
    >>> obs = pd.DataFrame({"unit": list("abcdefghijkl"), "wave": 1, "indicator": "x",
    ...                     "value": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100]})
    >>> t = treat(obs, winmax=2)
    >>> t.report[["indicator", "skew", "n_winsorised", "treatment"]].round(4).to_dict("records")
    [{'indicator': 'x', 'skew': 3.0632, 'n_winsorised': 1, 'treatment': 'winsorise'}]
    >>> t.points[["unit", "value", "treated"]].to_dict("records")
    [{'unit': 'l', 'value': 100.0, 'treated': 30.0}]
    """
    df = check_long(obs, unit=unit, wave=wave, indicator=indicator, value=value)
    if winmax is not None and (not isinstance(winmax, (int, np.integer)) or winmax < 0):
        bad_param("winmax", "a non-negative integer or None", winmax, ScoringError)
    for name, v in (("skew_thresh", skew_thresh), ("kurt_thresh", kurt_thresh)):
        if not isinstance(v, (int, float)) or not np.isfinite(v):
            bad_param(name, "a finite number", v, ScoringError)
    values = df[value].to_numpy(dtype=float).copy()
    units, waves = df[unit].to_numpy(), df[wave].to_numpy()
    rows, points = [], []
    keys = [indicator, wave] if per_wave else [indicator]
    for key, pos in df.groupby(keys, sort=True, dropna=False).indices.items():
        ind = key[0] if isinstance(key, tuple) else key
        if ind in set(skip):
            continue
        x = values[pos]
        xt, row, code = _treat_one(x, winmax, skew_thresh, kurt_thresh, log)
        rows.append({"indicator": ind, "wave": key[1] if per_wave else None, **row})
        values[pos] = xt
        changed = code != ""
        if changed.any():
            points.append(pd.DataFrame({"unit": units[pos][changed], "wave": waves[pos][changed], "indicator": ind,
                                        "value": x[changed], "treated": xt[changed], "treatment": code[changed]}))
    out = df.copy()
    out[value] = values
    report = pd.DataFrame(rows, columns=REPORT_COLUMNS)
    pts = (pd.concat(points, ignore_index=True) if points else
           pd.DataFrame(columns=["unit", "wave", "indicator", "value", "treated", "treatment"]))
    return Treatment(out, report, pts)
