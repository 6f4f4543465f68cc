"""Structure of a framework: indicator correlations, redundancy, PCA per dimension."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import pandas as pd
import pingouin as pg
from scipy import stats as sps
from statsmodels.multivariate.pca import PCA

from coopeval.errors import StatsError, bad_param
from coopeval.stats._checks import (
    check_choice,
    check_ci,
    check_duplicates,
    numeric_rows,
    quiet,
    warn,
)

__all__ = ["indicator_correlations", "dimension_pca", "framework_structure", "FrameworkStructure"]


class FrameworkStructure(NamedTuple):
    """Result of :func:`framework_structure`: two tidy tables."""

    correlations: pd.DataFrame
    pca: pd.DataFrame


def _matrix(data, fw, unit, wave, variable, value, orient) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Units × indicators matrix (rows = unit and wave) and the framework's indicator table."""
    if not hasattr(fw, "indicators"):
        bad_param("fw", "a coopeval Framework", type(fw).__name__, StatsError)
    keys = [c for c in (unit, wave) if c is not None]
    d = numeric_rows(data, "data", [*keys, variable, value], value)
    check_duplicates(d, [*keys, variable], "data")
    ind = fw.indicators.set_index("indicator")
    known = d[variable].isin(ind.index)
    if not known.any():
        raise StatsError(f"parameter `data`: expected indicators of the framework in column "
                         f"`{variable}`, found none of them")
    if not known.all():
        warn(f"variables not in the framework ignored: {sorted(map(str, d.loc[~known, variable].unique()))[:10]}")
    d = d[known]
    wide = d.pivot(index=keys, columns=variable, values=value)
    wide = wide[[i for i in ind.index if i in wide.columns]]
    if orient:
        flip = [c for c in wide.columns if ind.loc[c, "direction"] == "decrease"]
        wide[flip] = -wide[flip]
    return wide, ind


def indicator_correlations(
    data: pd.DataFrame,
    fw: object,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    variable: str = "indicator",
    value: str = "value",
    method: str = "spearman",
    threshold: float = 0.9,
    orient: bool = True,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Correlations between indicators, within and across dimensions, with redundancy flags.

    Parameters
    ----------
    data : DataFrame
        Observations ``unit, wave, indicator, value`` (or Scores at level indicator with
        ``variable="node", value="score"``); each (unit, wave) is one case.
    fw : Framework
        Gives the dimension and direction of each indicator.
    unit, wave, variable, value : str
        Column names (``wave=None`` if there is no wave column).
    method : {"spearman", "pearson"}, default "spearman"
        Correlation coefficient (:func:`scipy.stats.spearmanr` / :func:`scipy.stats.pearsonr`),
        on the cases where both indicators are observed (pairwise deletion).
    threshold : float, default 0.9
        A pair with :math:`|r|` above it is flagged ``redundant``.
    orient : bool, default True
        Multiply ``direction: decrease`` indicators by −1 so that a positive correlation means
        "both better".
    ci : float, default 0.95
        Level of the Fisher-z interval.

    Returns
    -------
    DataFrame
        One row per pair of indicators: ``indicator_a, indicator_b, dimension_a, dimension_b,
        same_dimension, r, ci_low, ci_high, p_value, n, redundant, note`` (``note`` says why
        ``r`` is NaN: ``constant_indicator`` or ``fewer_than_3_cases``).

    Notes
    -----
    The interval is :math:`\\tanh(\\operatorname{atanh} r \\pm z_{1-\\alpha/2}/\\sqrt{n-3})`
    (:func:`pingouin.compute_esci`). The OECD/JRC handbook recommends this check before
    aggregating: highly correlated indicators double-count a phenomenon.

    References
    ----------
    OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
    Guide*. Paris: OECD Publishing, section 1.4 (multivariate analysis).

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> x = np.arange(8.0)
    >>> obs = pd.DataFrame({"unit": list(range(8)) * 2, "wave": 1,
    ...     "indicator": ["emplois_etp"] * 8 + ["part_cdi"] * 8,
    ...     "value": np.r_[x, x / 10 + 0.1]})
    >>> ce.stats.indicator_correlations(obs, fw)[["r", "redundant"]].to_dict("records")
    [{'r': 1.0, 'redundant': True}]
    """
    check_choice(method, "method", ["spearman", "pearson"])
    ci = check_ci(ci)
    if not isinstance(threshold, (int, float)) or not 0 < threshold <= 1:
        bad_param("threshold", "a number in (0, 1]", threshold, StatsError)
    wide, ind = _matrix(data, fw, unit, wave, variable, value, orient)
    cols = list(wide.columns)
    rows = []
    func = sps.spearmanr if method == "spearman" else sps.pearsonr
    for i, a in enumerate(cols):
        for b in cols[i + 1:]:
            xy = wide[[a, b]].dropna().to_numpy(float)
            n = len(xy)
            row = {"indicator_a": a, "indicator_b": b, "dimension_a": ind.loc[a, "dimension"],
                   "dimension_b": ind.loc[b, "dimension"], "r": np.nan, "ci_low": np.nan,
                   "ci_high": np.nan, "p_value": np.nan, "n": n, "note": ""}
            if n < 3:
                row["note"] = "fewer_than_3_cases"
            elif xy[:, 0].std() == 0 or xy[:, 1].std() == 0:
                row["note"] = "constant_indicator"
            else:
                with quiet():
                    res = func(xy[:, 0], xy[:, 1])
                    r = float(res.statistic)
                    lo, hi = (np.nan, np.nan) if n < 4 or abs(r) == 1 else pg.compute_esci(
                        stat=r, nx=n, eftype="r", confidence=ci, decimals=10)
                row.update(r=r, p_value=float(res.pvalue), ci_low=lo, ci_high=hi)
            rows.append(row)
    out = pd.DataFrame(rows, columns=["indicator_a", "indicator_b", "dimension_a", "dimension_b",
                                      "r", "ci_low", "ci_high", "p_value", "n", "note"])
    out.insert(4, "same_dimension", out["dimension_a"] == out["dimension_b"])
    out.insert(10, "redundant", out["r"].abs() > threshold)
    if (out["note"] != "").any():
        warn(f"{int((out['note'] != '').sum())} correlation(s) NaN (constant indicator or fewer "
             "than 3 cases)")
    return out


def dimension_pca(
    data: pd.DataFrame,
    fw: object,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    variable: str = "indicator",
    value: str = "value",
    orient: bool = True,
) -> pd.DataFrame:
    """Principal component analysis of the indicators of each dimension.

    Parameters
    ----------
    data, fw, unit, wave, variable, value, orient
        As in :func:`indicator_correlations`.

    Returns
    -------
    DataFrame
        One row per dimension, component and indicator: ``dimension, component`` (1, 2, …),
        ``eigenvalue`` (of the correlation matrix), ``variance_explained``,
        ``cumulative_variance``, ``retained`` (Kaiser rule: eigenvalue > 1), ``indicator``,
        ``loading`` (correlation of the indicator with the component), ``n`` (complete cases).

    Notes
    -----
    PCA of the standardised indicators (correlation matrix :math:`R = V\\Lambda V^T`) by
    :class:`statsmodels.multivariate.pca.PCA` on complete cases (listwise). Loadings are
    :math:`v_{jk}\\sqrt{\\lambda_k}`, signed so that each component's loadings sum to a
    non-negative number. Constant indicators are left out and dimensions with fewer than 2
    usable indicators or 3 complete cases are skipped, with a warning.

    References
    ----------
    Jolliffe, I. T. (2002). *Principal Component Analysis* (2nd ed.). Springer.
    OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, section 1.4.

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> rng = np.random.default_rng(0)
    >>> z = rng.normal(size=20)
    >>> obs = pd.DataFrame([{"unit": u, "wave": 1, "indicator": i, "value": z[u] + rng.normal()}
    ...     for u in range(20) for i in ("emplois_etp", "personnes_eloignees_emploi", "part_cdi")])
    >>> pca = ce.stats.dimension_pca(obs, fw)
    >>> pca.groupby("component")["variance_explained"].first().sum().round(6)
    np.float64(1.0)
    """
    wide, ind = _matrix(data, fw, unit, wave, variable, value, orient)
    frames = []
    for dim in dict.fromkeys(ind["dimension"]):
        cols = [c for c in wide.columns if ind.loc[c, "dimension"] == dim]
        sub = wide[cols].dropna()
        const = [c for c in cols if sub[c].std() == 0 or sub[c].isna().all()]
        if const:
            warn(f"dimension {dim!r}: constant indicator(s) left out of the PCA: {const}")
        sub = sub.drop(columns=const)
        if sub.shape[1] < 2 or len(sub) < 3:
            if cols:
                warn(f"dimension {dim!r}: PCA skipped ({sub.shape[1]} usable indicator(s), "
                     f"{len(sub)} complete case(s))")
            continue
        with quiet():
            res = PCA(sub.to_numpy(float), standardize=True, method="eig", normalize=False)
        p = sub.shape[1]
        ev = np.asarray(res.eigenvals, float)
        share = ev / ev.sum()
        eig = share * p
        vec = np.asarray(res.eigenvecs, float)
        load = vec * np.sqrt(np.clip(eig, 0, None))
        load *= np.where(load.sum(axis=0) < 0, -1.0, 1.0)
        k = len(eig)
        frames.append(pd.DataFrame({
            "dimension": dim,
            "component": np.repeat(np.arange(1, k + 1), p),
            "eigenvalue": np.repeat(eig, p),
            "variance_explained": np.repeat(share, p),
            "cumulative_variance": np.repeat(np.cumsum(share), p),
            "retained": np.repeat(eig > 1, p),
            "indicator": np.tile(sub.columns.to_numpy(), k),
            "loading": load.T.ravel(),
            "n": len(sub),
        }))
    cols = ["dimension", "component", "eigenvalue", "variance_explained", "cumulative_variance",
            "retained", "indicator", "loading", "n"]
    return pd.concat(frames, ignore_index=True)[cols] if frames else pd.DataFrame(columns=cols)


def framework_structure(
    data: pd.DataFrame,
    fw: object,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    variable: str = "indicator",
    value: str = "value",
    method: str = "spearman",
    threshold: float = 0.9,
    orient: bool = True,
) -> FrameworkStructure:
    """Correlations with redundancy flags and PCA per dimension, in one call.

    Parameters
    ----------
    data, fw, unit, wave, variable, value, method, threshold, orient
        As in :func:`indicator_correlations` and :func:`dimension_pca`.

    Returns
    -------
    FrameworkStructure
        Named tuple ``(correlations, pca)``: the outputs of :func:`indicator_correlations`
        and :func:`dimension_pca`.

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> rng = np.random.default_rng(0)
    >>> obs = pd.DataFrame([{"unit": u, "wave": 1, "indicator": i, "value": rng.normal()}
    ...     for u in range(10) for i in ("emplois_etp", "part_cdi")])
    >>> st = ce.stats.framework_structure(obs, fw)
    >>> len(st.correlations), st.pca["dimension"].unique().tolist()
    (1, ['emploi'])
    """
    corr = indicator_correlations(data, fw, unit=unit, wave=wave, variable=variable, value=value,
                                  method=method, threshold=threshold, orient=orient)
    pca = dimension_pca(data, fw, unit=unit, wave=wave, variable=variable, value=value,
                        orient=orient)
    return FrameworkStructure(corr, pca)
