"""Relative goalposts: goalposts that apply per member, per inhabitant or against the own baseline.

Absolute goalposts (0–2 000 participants) are the same for a village tiers-lieu and a regional
PTCE. An indicator may instead declare (issue 22)::

    goalposts: {per: membres, scale: 1}              # value / members (× scale)
    goalposts: {relative_to: baseline}               # value / own first value (change: ratio)
    goalposts: {relative_to: baseline, change: difference}   # value - own first value
    goalposts: {per: habitants, scale: 1000, relative_to: baseline}   # both, in that order

and its ``lower``/``upper`` (and ``target``) then bound the *relative value*, not the raw one.

The contract
------------
1. **Per a reference variable** (``per``): ``x' = x / d × scale``, with ``d`` the reference
   variable (declared in the framework's ``reference_variables``, observed as a row of the
   observations whose ``indicator`` is its id) for the same unit and wave. This is
   :func:`coopeval.scoring.denominate`, called as is; a missing or zero ``d`` gives a missing
   value, counted in the report.
2. **Against the baseline** (``relative_to: baseline``): the baseline ``x₀`` of a unit is its
   value (after step 1) in the **first wave, in wave order, in which it has a value** for that
   indicator. Every wave ``t`` of that unit (the baseline wave included) gets
   ``x'_t = x_t / x₀`` (``change: ratio``, the default; the baseline wave is 1) or
   ``x'_t = x_t - x₀`` (``change: difference``; the baseline wave is 0). A zero baseline makes
   every ratio of that unit missing (counted as ``n_zero_baseline``; use ``difference`` for
   indicators that can start at zero). Validation requires the goalposts to surround the
   baseline (``lower ≤ 1 ≤ upper`` for a ratio, ``lower ≤ 0 ≤ upper`` for a difference), so that
   the first wave has a score: with ``lower: 0.5, upper: 2, transform: log`` a unit that keeps
   its level scores 50, one that doubles it 100, one that halves it 0.
   The baseline is found **among the observations given**, unless a row carries it in an
   optional ``baseline`` column (a number: that unit's baseline for that indicator, after
   step 1), which then wins. To score wave 3 alone against a cooperation's wave-1 baseline,
   give wave 3 with the ``baseline`` column (``relativise(all_waves, fw).baselines`` holds
   it); without it, wave 3 alone is its own baseline. :class:`coopeval.Evaluation` restricted
   to some ``waves`` fills that column from the whole history, so that every door scores a
   wave the same way whichever waves it was given (issue 22).
3. The relative values are then normalised like any value (goalposts, capping, transform,
   direction, target), by every door that scores: :func:`coopeval.score`,
   :func:`coopeval.scoring.normalise`, :func:`coopeval.uncertainty`,
   :func:`coopeval.scoring.beyond_goalposts` (all through :func:`coopeval.scoring.matrix.to_matrix`).

A data-driven normalisation (minmax, rank…) applied to relative values compares units on their
values per member or on their change since their own baseline.

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, step 5 (scaling by size:
indicators "divided by population, GDP, area") and section 5.2 (normalisation by "distance to
a reference", e.g. the indicator's value at an initial time ``t₀``: ``x_t / x_{t₀}``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.contracts import sort_waves, wave_key
from coopeval.errors import Issue, ScoringError, bad_param
from coopeval.framework import Framework
from coopeval.scoring._long import check_long, plain_ids
from coopeval.scoring.denominate import denominate

__all__ = ["BASELINE", "RELATIVE_COLUMNS", "BASELINE_COLUMNS", "Relativisation", "relative_data", "relativise",
           "relativise_table"]

#: Columns of :attr:`Relativisation.report`.
RELATIVE_COLUMNS = ["indicator", "per", "scale", "relative_to", "change", "n", "n_relative",
                    "n_missing_denominator", "n_zero_denominator", "n_zero_baseline"]
#: Optional column of the observations: a unit's baseline for an indicator relative to its
#: baseline, used instead of the first wave given (module contract, point 2).
BASELINE = "baseline"
#: Columns of :attr:`Relativisation.baselines`.
BASELINE_COLUMNS = ["unit", "indicator", "baseline_wave", "baseline"]


@dataclass(frozen=True)
class Relativisation:
    """Result of :func:`relativise`.

    Attributes
    ----------
    data : pandas.DataFrame
        The observations, values of indicators with relative goalposts replaced by their
        relative values (same rows and columns; other rows untouched).
    report : pandas.DataFrame
        What was done, one row per indicator with relative goalposts that is observed:
        ``indicator, per, scale, relative_to, change`` (the declaration), ``n`` (values),
        ``n_relative`` (relative values computed), ``n_missing_denominator``,
        ``n_zero_denominator`` (values lost for want of a usable reference variable) and
        ``n_zero_baseline`` (ratios lost to a zero baseline).
    baselines : pandas.DataFrame
        ``unit, indicator, baseline_wave, baseline``: the baseline of every unit and
        indicator relative to its baseline (after division by ``per``); ``baseline_wave`` is
        None where the baseline came from the observations' ``baseline`` column.
    """

    data: pd.DataFrame
    report: pd.DataFrame
    baselines: pd.DataFrame


def relativise(
    obs: pd.DataFrame,
    fw: Framework,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> Relativisation:
    """Relative values of the indicators whose goalposts are relative (see the module contract).

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (names configurable), with the
        reference variables as rows (``indicator`` = the variable's id).
    fw : Framework
        Declares ``goalposts: {per, scale, relative_to, change}`` on indicators
        (:attr:`Framework.relative_goalposts`).

    Returns
    -------
    Relativisation
        ``data``, ``report`` and ``baselines``.

    Raises
    ------
    ScoringError
        An observed indicator is declared per a reference variable that the observations
        do not contain at all; invalid values or duplicates among the rows used.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("tiers_lieu")
    >>> obs = pd.DataFrame({"unit": "a", "wave": [1, 2, 1, 2],
    ...                     "indicator": ["temps_conviviaux"] * 2 + ["heures_formation_tiers_lieu"] * 2,
    ...                     "value": [40.0, 60.0, 500.0, 250.0]})
    >>> r = relativise(obs, fw)
    >>> r.data["value"].tolist()
    [1.0, 1.5, 1.0, 0.5]
    >>> r.baselines[["indicator", "baseline_wave", "baseline"]].to_numpy().tolist()
    [['heures_formation_tiers_lieu', 1, 500.0], ['temps_conviviaux', 1, 40.0]]
    """
    if not isinstance(fw, Framework):
        bad_param("fw", "a Framework", type(fw).__name__, ScoringError)
    return relativise_table(obs, fw.relative_goalposts, unit=unit, wave=wave, indicator=indicator, value=value)


def relativise_table(obs: pd.DataFrame, rel: pd.DataFrame, *, unit: str = "unit", wave: str | None = "wave",
                     indicator: str = "indicator", value: str = "value") -> Relativisation:
    """:func:`relativise` with the declarations given as :attr:`Framework.relative_goalposts`."""
    out = _relativise(obs, rel, unit=unit, wave=wave, indicator=indicator, value=value, report=True)
    if out is None or out[1] is None:
        return Relativisation(obs, pd.DataFrame(columns=RELATIVE_COLUMNS), pd.DataFrame(columns=BASELINE_COLUMNS))
    return Relativisation(out[0], *out[1])


def relative_data(obs: pd.DataFrame, rel: pd.DataFrame, *, unit: str = "unit", wave: str | None = "wave",
                  indicator: str = "indicator", value: str = "value") -> pd.DataFrame:
    """``relativise_table(…).data`` without its report and baselines (what
    :func:`coopeval.scoring.matrix.to_matrix`, which holds a compiled plan, needs); same checks."""
    out = _relativise(obs, rel, unit=unit, wave=wave, indicator=indicator, value=value, report=False)
    return obs if out is None else out[0]


def _relativise(obs: pd.DataFrame, rel: pd.DataFrame, *, unit: str, wave: str | None, indicator: str, value: str,
                report: bool) -> tuple[pd.DataFrame, tuple[pd.DataFrame, pd.DataFrame] | None] | None:
    """The data, and if ``report`` the report and the baselines; None when no indicator with
    relative goalposts is observed."""
    if rel.empty or not isinstance(obs, pd.DataFrame) or indicator not in obs.columns:
        return None
    decl = {c: rel[c].tolist() for c in ("indicator", "per", "relative_to", "change")}
    wanted = set(decl["indicator"]) | {p for p in decl["per"] if pd.notna(p)}
    codes, ids = pd.factorize(plain_ids(obs[indicator]))  # each distinct id looked up once
    found = [i in wanted for i in ids]
    mask = np.array([*found, False])[codes]  # code -1 (empty cell) reads the trailing False
    present = {i for i, f in zip(ids, found, strict=True) if f}
    keep = [i in present for i in decl["indicator"]]
    if not any(keep):
        return None
    kept = [k for k, f in enumerate(keep) if f]
    has_per = any(pd.notna(decl["per"][k]) for k in kept)
    if report or has_per:
        rel = rel[np.array(keep)].reset_index(drop=True)
    sub = check_long(obs[mask], unit=unit, wave=wave, indicator=indicator, value=value)
    if BASELINE in sub.columns:
        given = pd.to_numeric(sub[BASELINE], errors="coerce")
        bad = (given.isna() & sub[BASELINE].notna()) | np.isinf(given.to_numpy(dtype=float))
        if bad.any():
            raise ScoringError("invalid baselines", issues=[
                Issue(f"obs row {i}", BASELINE, "a finite number or an empty cell", repr(sub.at[i, BASELINE]))
                for i in sub.index[bad.to_numpy()][:20]])
    if wave is None:
        wave = "__wave__"
        sub[wave] = 1
    table = rel.assign(n=rel["indicator"].map(sub[value].notna().groupby(sub[indicator]).sum()).fillna(0)
                        .astype(int), n_missing_denominator=0, n_zero_denominator=0, n_zero_baseline=0,
                        n_relative=0) if report else None
    if has_per:
        per = rel.dropna(subset=["per"])
        absent = sorted(set(per["per"]) - set(plain_ids(sub[indicator])))
        if absent:
            raise ScoringError("relative goalposts need their reference variables in the observations", issues=[
                Issue("framework", f"{r.indicator}.goalposts.per",
                      f"rows of the reference variable `{r.per}` in the observations", "none")
                for r in per.itertuples() if r.per in absent])
        d = denominate(sub, per.rename(columns={"per": "denominator"})[["indicator", "denominator", "scale"]],
                       unit=unit, wave=wave, indicator=indicator, value=value)
        sub = d.data
        if table is not None:
            counts = d.report.set_index("indicator")
            for col in ("n_missing_denominator", "n_zero_denominator"):
                table[col] = table["indicator"].map(counts[col]).fillna(0).astype(int)
    changes = [(decl["indicator"][k], decl["change"][k]) for k in kept if decl["relative_to"][k] == "baseline"]
    relative, first, b = _against_baseline(sub, changes, unit=unit, wave=wave, indicator=indicator, value=value)
    data = _replaced(obs, value, mask, relative)
    if table is None:
        return data, None
    x, row_ind = sub[value].to_numpy(dtype=float), sub[indicator]
    zero = {name: int((~np.isnan(x) & (b == 0) & (row_ind == name).to_numpy()).sum()) if how == "ratio" else 0
            for name, how in changes}
    table["n_zero_baseline"] = table["indicator"].map(zero).fillna(0).astype(int)
    table["n_relative"] = (rel["indicator"].map(pd.Series(relative, index=sub.index).notna()
                                                .groupby(sub[indicator]).sum()).fillna(0).astype(int))
    baselines = _baselines(sub, first, b, unit=unit, wave=wave, indicator=indicator) if changes else \
        pd.DataFrame(columns=BASELINE_COLUMNS)
    return data, (table[RELATIVE_COLUMNS], baselines)


def _replaced(obs: pd.DataFrame, value: str, mask: np.ndarray, relative: np.ndarray) -> pd.DataFrame:
    """A copy of ``obs`` (as ``DataFrame.assign`` makes it) whose ``value`` of the rows in ``mask``
    are their relative values."""
    col = obs[value]
    if not pd.api.types.is_numeric_dtype(col):
        col = col.astype(object)  # values given as text (« 3 »): numbers may be written beside them
    elif col.dtype.kind in "iub" or (isinstance(col.dtype, np.dtype) and col.dtype.kind == "f"
                                     and col.dtype != np.float64):
        col = col.astype(float)  # counts (integers, booleans) or float32: relative values are fractions
    arr = col.array.copy()
    arr[mask] = relative
    return obs.assign(**{value: pd.Series(arr, index=obs.index, dtype=col.dtype, copy=False)})


def _against_baseline(sub: pd.DataFrame, changes: list[tuple[str, str]], *, unit: str, wave: str, indicator: str,
                      value: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ratio to (or difference from) the first wave with a value, per unit and indicator, of the
    indicators in ``changes`` (id, ``ratio``/``difference``): the values of ``sub``, the rows
    holding each first value and every row's baseline."""
    values = sub[value].to_numpy(dtype=float).copy()
    if not changes:
        return values, np.array([], dtype=int), np.full(len(values), np.nan)
    w_codes, w_uniq = pd.factorize(plain_ids(sub[wave]))
    order = {wave_key(w): i for i, w in enumerate(sort_waves(w_uniq))}
    rank = np.array([order.get(wave_key(w), -1) for w in w_uniq] + [-1], dtype=int)[w_codes]
    i_codes, i_uniq = pd.factorize(plain_ids(sub[indicator]))
    u_codes, u_uniq = pd.factorize(plain_ids(sub[unit]))
    key = i_codes * len(u_uniq) + u_codes
    names = {name for name, _ in changes}
    rows = np.flatnonzero(np.isin(i_codes, [i for i, name in enumerate(i_uniq) if name in names])
                          & ~np.isnan(values))
    first = rows[np.lexsort((rank[rows], key[rows]))]  # by key, then wave order
    first = first[np.r_[True, key[first][1:] != key[first][:-1]]] if len(first) else first
    x0 = np.full(len(i_uniq) * len(u_uniq), np.nan)
    x0[key[first]] = values[first]
    b = x0[key]
    if BASELINE in sub.columns:  # baselines given (e.g. from the whole history): they win
        given = pd.to_numeric(sub[BASELINE], errors="coerce").to_numpy(dtype=float)
        b = np.where(np.isnan(given), b, given)
    change = dict(changes)  # each row: 1 a ratio, 2 a difference, 0 left as it is
    kind = np.array([0 if name not in change else 1 if change[name] == "ratio" else 2 for name in i_uniq])[i_codes]
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(b != 0, values / b, np.nan)
    return np.where(kind == 1, ratio, np.where(kind == 2, values - b, values)), first, b


def _baselines(sub: pd.DataFrame, first: np.ndarray, b: np.ndarray, *, unit: str, wave: str,
               indicator: str) -> pd.DataFrame:
    """:attr:`Relativisation.baselines`: from the rows holding each first value."""
    base_wave = sub[wave].to_numpy(dtype=object)[first]
    if BASELINE in sub.columns:
        given = pd.to_numeric(sub[BASELINE], errors="coerce").to_numpy(dtype=float)
        base_wave[~np.isnan(given[first])] = None  # found before the waves given
    baselines = pd.DataFrame({"unit": sub[unit].to_numpy()[first], "indicator": sub[indicator].to_numpy()[first],
                              "baseline_wave": base_wave, "baseline": b[first]})
    return baselines.sort_values(["indicator", "unit"], kind="stable").reset_index(drop=True)
