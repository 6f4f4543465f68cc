"""Imputation of missing indicator values, always reported, usable as a source of uncertainty.

A value is *missing* when a unit observed in a wave (it has at least one observation in that
wave) has no value, or a NaN, for an indicator of the framework (or of ``indicators``).
Methods:

``mean``, ``median``
    The mean (median) of the observed values of the indicator in the same wave (``per_wave``,
    COINr's ``i_mean`` / ``i_median`` applied to each time point) and, when ``groups`` is
    given, in the same group of units (COINr's ``i_mean_grp`` / ``i_median_grp``, e.g. the type
    of cooperation). Without any donor the value stays missing.
``locf``
    Last observation carried forward: the unit's latest earlier value of the indicator, at
    most ``max_gap`` waves back; with ``backward=True`` a leading gap takes the next value
    (COINr's ``impute_panel(imp_type = "constant")``).
``linear``
    Linear interpolation between the unit's observed waves (numeric waves), the nearest
    observed value outside them (COINr's ``impute_panel(imp_type = "linear")``).
``mice``
    Multiple imputation by chained equations (van Buuren & Groothuis-Oudshoorn 2011) with
    statsmodels' :class:`~statsmodels.imputation.mice.MICEData`: each indicator is regressed
    (OLS) on the other indicators of its block and a missing value is drawn by predictive mean
    matching from the observed values, after ``n_burn`` cycles. Blocks are the siblings of the
    framework (indicators of one criterion), widened to the dimension, then to all indicators
    when a block has a single indicator. Each ``seed`` gives one completed data set: calling
    :func:`impute` with seeds 0, 1, 2… (or :func:`imputation_draws`) gives the multiple
    imputations that express the uncertainty due to missing data.

As a source of uncertainty, the function to call is ``impute(obs, fw, method, seed=s, **options).data``
(or ``functools.partial(impute, fw=fw, method="mice")``): a pure function of the observations
and a seed that returns the completed observations, with ``.report`` saying which values were
imputed and how; :func:`imputation_draws` stacks ``n`` such draws with a column ``draw``.

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, step 3 "Imputation of
missing data" (unconditional mean/median, regression, multiple imputation).
van Buuren, S., Groothuis-Oudshoorn, K. (2011). mice: Multivariate Imputation by Chained
Equations in R. *Journal of Statistical Software*, 45(3), 1–67.
Becker, W. et al. (2022). COINr, *JOSS* 7(78), 4567 (``Impute``, ``impute_panel``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import cast

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError, bad_param
from coopeval.framework import Framework
from coopeval.scoring._long import check_long
from coopeval.scoring._long import grid as _grid

__all__ = ["IMPUTATIONS", "Imputation", "imputation_draws", "impute"]

IMPUTATIONS = ("mean", "median", "locf", "linear", "mice")
#: Columns of :attr:`Imputation.report`.
REPORT_COLUMNS = ["unit", "wave", "indicator", "value", "imputed", "method", "group", "n_donors", "reason"]


@dataclass(frozen=True)
class Imputation:
    """Result of :func:`impute`.

    Attributes
    ----------
    data : pandas.DataFrame
        The observations completed: the rows of ``obs`` (values filled where they were NaN)
        plus one row per imputed cell, with a boolean column ``imputed``.
    report : pandas.DataFrame
        One row per missing cell: ``unit, wave, indicator``, ``value`` (imputed, NaN if it
        could not be), ``imputed`` (bool), ``method``, ``group`` (the group of the unit, or
        None), ``n_donors`` (observed values the imputation used: donors of the mean or
        median, 1 for ``locf``, 2 for ``linear``, observed values of the indicator for
        ``mice``) and ``reason`` (``imputed``, ``no_donor``, ``gap_too_long``).
    """

    data: pd.DataFrame
    report: pd.DataFrame

    def summary(self) -> pd.DataFrame:
        """Per indicator: ``indicator, n_missing, n_imputed, n_left_missing``."""
        g = self.report.groupby("indicator")["imputed"]
        out = pd.DataFrame({"n_missing": g.size(), "n_imputed": g.sum().astype(int)})
        out["n_left_missing"] = out["n_missing"] - out["n_imputed"]
        return out.reset_index()


def _group_of(units: pd.Index, groups, df: pd.DataFrame, unit: str) -> np.ndarray | None:
    if groups is None:
        return None
    if isinstance(groups, str):
        if groups not in df.columns:
            bad_param("groups", "a column of `obs` or a mapping unit -> group", groups, ScoringError)
        per_unit = df.groupby(unit)[groups].first()
    elif isinstance(groups, (Mapping, pd.Series)):
        per_unit = pd.Series(groups)
    else:
        bad_param("groups", "None, a column name or a mapping unit -> group", groups, ScoringError)
    missing = sorted(set(units) - set(per_unit.index), key=str)
    if missing:
        raise ScoringError("parameter `groups`", issues=[Issue("groups", str(u), "a group for every unit", "none")
                                                         for u in missing[:20]])
    return per_unit.reindex(units).to_numpy()


def _central(wide: pd.DataFrame, how: str, per_wave: bool, grp: np.ndarray | None) -> tuple:
    units = wide.index.get_level_values(0)
    keys = []
    if per_wave:
        keys.append(wide.index.get_level_values(1))
    if grp is not None:
        keys.append(pd.Index(units).map(dict(zip(units, grp, strict=False))))
    if not keys:
        keys = [np.zeros(len(wide), dtype=int)]
    g = wide.groupby(keys, dropna=False)
    fill = g.transform(how)
    donors = g.transform("count")
    return fill, donors


def _panel(wide: pd.DataFrame, how: str, max_gap: int | None, backward: bool) -> tuple:
    fill = pd.DataFrame(np.nan, index=wide.index, columns=wide.columns)
    donors = fill.copy()
    gap = pd.DataFrame(False, index=wide.index, columns=wide.columns)
    for _, block in wide.groupby(level=0, sort=False):
        w = block.index.get_level_values(1)
        pos = np.arange(len(block))
        for col in block.columns:
            y = block[col].to_numpy(dtype=float)
            ok = ~np.isnan(y)
            if not ok.any():
                continue
            obs_pos = pos[ok]
            prev = np.searchsorted(obs_pos, pos, side="right") - 1  # index of last observed at or before
            nxt = np.clip(prev + 1, 0, len(obs_pos) - 1)
            val = np.full(len(y), np.nan)
            has_prev = prev >= 0
            if how == "linear":
                val = np.interp(np.asarray(w, dtype=float), np.asarray(w, dtype=float)[ok], y[ok])
                nd = np.where(has_prev & (prev < len(obs_pos) - 1), 2, 1)
            else:
                val[has_prev] = y[obs_pos[prev[has_prev]]]
                too_far = has_prev & (max_gap is not None) & (pos - obs_pos[np.maximum(prev, 0)] > (max_gap or 0))
                gap.loc[block.index, col] = too_far & ~ok
                val[too_far] = np.nan
                if backward:
                    lead = ~has_prev
                    val[lead] = y[obs_pos[nxt[lead]]]
                nd = np.ones(len(y))
            fill.loc[block.index, col] = val
            donors.loc[block.index, col] = nd
    return fill, donors, gap


def _blocks(fw: Framework | None, inds: list[str]) -> list[tuple[list[str], list[str]]]:
    """``(targets, columns)`` pairs: siblings imputed together, widened when alone."""
    if fw is None:
        return [(inds, inds)]
    by_parent: dict[str, list[str]] = {}
    for i in inds:
        by_parent.setdefault(cast(str, fw.parent(i)), []).append(i)  # an indicator has a parent
    dim_of = dict(zip(fw.indicators["indicator"], fw.indicators["dimension"], strict=True))
    out = []
    for members in by_parent.values():
        cols = members
        if len(cols) < 2:
            cols = [i for i in inds if dim_of[i] == dim_of[members[0]]]
        if len(cols) < 2:
            cols = inds
        out.append((members, [*members, *[c for c in cols if c not in members]]))
    return out


def _mice(wide: pd.DataFrame, fw: Framework | None, seed, n_burn: int, k_pmm: int) -> tuple:
    from statsmodels.imputation.mice import MICEData

    fill = pd.DataFrame(np.nan, index=wide.index, columns=wide.columns)
    rng = np.random.default_rng(seed)
    usable = [c for c in wide.columns if wide[c].notna().sum() >= 2]
    for targets, cols in _blocks(fw, usable):
        if len(cols) < 2 or not wide[targets].isna().to_numpy().any():
            continue
        names = {c: f"v{k}" for k, c in enumerate(cols)}
        sub = wide[cols].rename(columns=names).astype(float)
        keep = sub.notna().any(axis=1).to_numpy()
        md = MICEData(sub.loc[keep].reset_index(drop=True), k_pmm=k_pmm,
                      rng=np.random.RandomState(int(rng.integers(2**31 - 1))))
        md.update_all(n_burn)
        done = md.data.set_axis(sub.index[keep])
        for col in targets:
            miss = wide.index[keep][np.isnan(wide[col].to_numpy(dtype=float)[keep])]
            fill.loc[miss, col] = done.loc[miss, names[col]].to_numpy()
    donors = pd.DataFrame(np.broadcast_to(wide.notna().sum().to_numpy(), wide.shape).copy(), index=wide.index,
                          columns=wide.columns)
    return fill, donors


def impute(
    obs: pd.DataFrame,
    fw: Framework | None = None,
    method: str = "mean",
    *,
    groups: str | Mapping | pd.Series | None = None,
    per_wave: bool = True,
    max_gap: int | None = None,
    backward: bool = False,
    indicators: Sequence[str] | None = None,
    seed: int | np.random.Generator | None = None,
    n_burn: int = 10,
    k_pmm: int = 20,
    unit: str = "unit",
    wave: str = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> Imputation:
    """Impute the missing values of long observations and report every imputed cell.

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (names configurable).
    fw : Framework, optional
        Gives the indicators expected for every unit and wave (otherwise those of ``obs`` or
        ``indicators``) and, for ``mice``, the blocks of siblings.
    method : str
        ``mean``, ``median``, ``locf``, ``linear`` or ``mice`` (see the module notes).
    groups : str or mapping, optional
        ``mean`` / ``median`` within groups of units: a column of ``obs`` or a mapping
        ``unit -> group`` (e.g. the type of cooperation).
    per_wave : bool
        ``mean`` / ``median`` within each wave (default) or pooled over waves.
    max_gap : int, optional
        ``locf``: most waves a value may be carried forward.
    backward : bool
        ``locf``: also fill leading gaps with the next observed value.
    indicators : list of str, optional
        Restrict imputation to these indicators.
    seed : int or numpy.random.Generator, optional
        ``mice``: one seed, one completed data set (the other methods are deterministic).
    n_burn, k_pmm : int
        ``mice``: cycles of chained equations, and donors of predictive mean matching.

    Returns
    -------
    Imputation
        ``data`` (completed observations with a column ``imputed``) and ``report`` (one row
        per missing cell), see :class:`Imputation`.

    Examples
    --------
    >>> import pandas as pd
    >>> from coopeval.scoring.impute import impute
    >>> obs = pd.DataFrame({"unit": ["a", "b", "c", "a", "b"], "wave": [1, 1, 1, 1, 1],
    ...                     "indicator": ["x", "x", "x", "y", "y"], "value": [1.0, 3.0, None, 2.0, 4.0]})
    >>> imp = impute(obs, method="mean")
    >>> imp.report[["unit", "indicator", "value", "n_donors"]].to_dict("records")
    [{'unit': 'c', 'indicator': 'x', 'value': 2.0, 'n_donors': 2}, {'unit': 'c', 'indicator': 'y', 'value': 3.0, 'n_donors': 2}]
    """
    c = {"unit": unit, "wave": wave, "indicator": indicator, "value": value}
    df = check_long(obs, unit=unit, wave=wave, indicator=indicator, value=value)
    if method not in IMPUTATIONS:
        bad_param("method", f"one of {', '.join(IMPUTATIONS)}", method, ScoringError)
    if max_gap is not None and (not isinstance(max_gap, (int, np.integer)) or max_gap < 1):
        bad_param("max_gap", "a positive integer or None", max_gap, ScoringError)
    if fw is not None and not isinstance(fw, Framework):
        bad_param("fw", "a Framework or None", type(fw).__name__, ScoringError)
    inds = list(fw.indicators["indicator"]) if fw is not None else list(dict.fromkeys(df[indicator]))
    if indicators is not None:
        unknown = [i for i in indicators if i not in inds]
        if unknown:
            bad_param("indicators", f"indicators among {inds[:5]}...", unknown, ScoringError)
        inds = [i for i in inds if i in set(indicators)]
    if method == "linear" and not pd.api.types.is_numeric_dtype(df[wave]):
        bad_param("method", "'linear' with numeric waves (or 'locf')", f"linear with waves {df[wave].unique()[:3]}",
                  ScoringError)
    wide = _grid(df, inds, c)
    grp = _group_of(wide.index.get_level_values(0).unique(), groups, df, unit)
    gap = None
    if method in ("mean", "median"):
        fill, donors = _central(wide, method, per_wave, grp)
    elif method == "mice":
        fill, donors = _mice(wide, fw, seed, n_burn, k_pmm)
    else:
        fill, donors, gap = _panel(wide, method, max_gap, backward)
    return _assemble(df, wide, fill, donors, gap, method, grp, c)


def _assemble(df, wide, fill, donors, gap, method, grp, c) -> Imputation:
    miss = wide.isna()
    stacked = miss.stack()
    cells = stacked[stacked].index
    u, w, i = (cells.get_level_values(k) for k in range(3))
    vals = fill.stack(future_stack=True).reindex(cells).to_numpy(dtype=float)
    nd = donors.stack(future_stack=True).reindex(cells).fillna(0).to_numpy()
    units = wide.index.get_level_values(0).unique()
    gmap = dict(zip(units, grp, strict=True)) if grp is not None else {}
    reason = np.where(np.isnan(vals), "no_donor", "imputed").astype(object)
    if gap is not None:
        far = gap.stack(future_stack=True).reindex(cells).fillna(False).to_numpy(dtype=bool)
        reason[far & np.isnan(vals)] = "gap_too_long"
    report = pd.DataFrame({"unit": u, "wave": w, "indicator": i, "value": vals, "imputed": ~np.isnan(vals),
                           "method": method, "group": [gmap.get(x) for x in u],
                           "n_donors": np.where(np.isnan(vals), 0, nd).astype(int), "reason": reason},
                          columns=REPORT_COLUMNS)
    data = df.copy()
    data["imputed"] = False
    key = pd.MultiIndex.from_frame(data[[c["unit"], c["wave"], c["indicator"]]])
    filled = pd.Series(report["value"].to_numpy(), index=pd.MultiIndex.from_arrays([u, w, i]))
    hit = key.isin(filled.index) & data[c["value"]].isna().to_numpy()
    data.loc[hit, c["value"]] = filled.reindex(key[hit]).to_numpy()
    data.loc[hit, "imputed"] = True
    present = set(key)
    new = report[report["imputed"].to_numpy() & np.array([k not in present for k in zip(u, w, i, strict=True)], dtype=bool)]
    extra = pd.DataFrame({c["unit"]: new["unit"], c["wave"]: new["wave"], c["indicator"]: new["indicator"],
                          c["value"]: new["value"], "imputed": True})
    data = pd.concat([data, extra], ignore_index=True) if len(extra) else data.reset_index(drop=True)
    data["imputed"] = data["imputed"].astype(bool)
    return Imputation(data, report.reset_index(drop=True))


def imputation_draws(obs: pd.DataFrame, fw: Framework | None = None, *, n: int = 5, seed: int = 0,
                     method: str = "mice", **kwargs) -> pd.DataFrame:
    """``n`` completed data sets stacked with a column ``draw`` (0…n-1), for the uncertainty analysis.

    Draw ``k`` is ``impute(obs, fw, method, seed=s_k, **kwargs).data`` with ``s_k`` the k-th
    seed spawned from ``seed`` (so a draw does not depend on ``n``).

    Examples
    --------
    >>> import pandas as pd
    >>> from coopeval.scoring.impute import imputation_draws
    >>> obs = pd.DataFrame({"unit": ["a", "b", "c"], "wave": 1, "indicator": "x", "value": [1.0, 3.0, None]})
    >>> imputation_draws(obs, n=2, method="median").groupby("draw")["value"].sum().tolist()
    [6.0, 6.0]
    """
    if not isinstance(n, (int, np.integer)) or n < 1:
        bad_param("n", "a positive integer", n, ScoringError)
    seeds = np.random.SeedSequence(seed).spawn(int(n))
    frames = [impute(obs, fw, method, seed=np.random.default_rng(s), **kwargs).data.assign(draw=k)
              for k, s in enumerate(seeds)]
    return pd.concat(frames, ignore_index=True)
