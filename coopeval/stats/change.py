"""Change across waves: paired tests per indicator and a linear mixed model."""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
import statsmodels.formula.api as smf
from scipy import stats as sps

from coopeval.errors import StatsError
from coopeval.stats._checks import (
    check_choice,
    check_ci,
    check_duplicates,
    check_int,
    numeric_column,
    numeric_rows,
    quiet,
    require_frame,
    warn,
)

__all__ = ["wave_change", "wave_mixed_model", "rank_biserial"]

CORRECTIONS = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonf", "none": None}


def rank_biserial(d: np.ndarray) -> float:
    """Matched-pairs rank-biserial correlation of paired differences ``d`` (numpy core).

    :math:`r = (T^+ - T^-)/(T^+ + T^-)`, ranks of :math:`|d|` over non-zero differences
    (Kerby, 2014); NaN when every difference is zero.
    """
    d = d[d != 0]
    if d.size == 0:
        return np.nan
    ranks = sps.rankdata(np.abs(d))
    return float((ranks[d > 0].sum() - ranks[d < 0].sum()) / ranks.sum())


def _prepare(data, unit, wave, variable, value, name="data"):
    cols = [unit, wave, value] + ([variable] if variable else [])
    d = numeric_rows(data, name, cols, value)
    if d[wave].nunique() < 2:
        raise StatsError(f"parameter `{name}`: expected at least 2 waves in column `{wave}`, "
                         f"got {sorted(d[wave].unique().tolist())}")
    return d


def wave_change(
    data: pd.DataFrame,
    *,
    unit: str = "unit",
    wave: str = "wave",
    variable: str | None = "indicator",
    value: str = "value",
    pairs: str | Sequence[tuple] = "consecutive",
    test: str = "t",
    correction: str = "holm",
    ci: float = 0.95,
    n_boot: int = 2000,
    seed: int | None = 0,
) -> pd.DataFrame:
    """Paired comparison of every indicator between waves, with multiple-comparison correction.

    Parameters
    ----------
    data : DataFrame
        Observations ``unit, wave, indicator, value``, or Scores (``variable="node",
        value="score"``), or unit-level scale scores from :func:`scale_scores`. One value per
        unit, wave and variable (aggregate respondents first).
    unit, wave, variable, value : str
        Column names; ``variable=None`` treats the data as one variable.
    pairs : "consecutive", "first_last" or list of (wave_from, wave_to), default "consecutive"
        Which waves to compare (waves are sorted).
    test : {"t", "wilcoxon"}, default "t"
        Paired t-test (:func:`scipy.stats.ttest_rel`, effect size Cohen's :math:`d_z` with the
        :func:`pingouin.compute_esci` interval) or Wilcoxon signed-rank test
        (:func:`pingouin.wilcoxon`, effect size matched-pairs rank-biserial correlation,
        bootstrap interval).
    correction : {"holm", "bh", "bonferroni", "none"}, default "holm"
        Correction of p-values across every row of the result (:func:`pingouin.multicomp`;
        ``"bh"`` = Benjamini–Hochberg); rows with a NaN p-value are left out of the family.
    ci : float, default 0.95
        Confidence level.
    n_boot, seed : int
        Bootstrap resamples and seed for the Wilcoxon intervals.

    Returns
    -------
    DataFrame
        One row per variable and pair of waves: ``variable, wave_from, wave_to, test, n``
        (units observed at both waves), ``mean_from, mean_to``, ``estimate`` (mean of the
        differences to − from for ``t``, median for ``wilcoxon``), ``ci_low, ci_high``
        (its interval: t-based, or percentile bootstrap), ``statistic`` (t or W), ``dof``,
        ``p_value``, ``p_adjusted``, ``correction``, ``effect_size``, ``effect_size_name``
        (``cohen_dz`` or ``rank_biserial``), ``effect_ci_low, effect_ci_high``, ``significant``
        (``p_adjusted < 1 - ci``), ``note``.

    Notes
    -----
    With differences :math:`d_i = y_{i,to} - y_{i,from}` over :math:`n` units:
    :math:`t = \\bar d / (s_d/\\sqrt n)` with :math:`n-1` degrees of freedom and
    :math:`d_z = \\bar d / s_d = t/\\sqrt n` (Lakens, 2013). The rank-biserial correlation is
    :math:`(T^+ - T^-)/(T^+ + T^-)` (Kerby, 2014). Holm (1979) controls the family-wise error;
    Benjamini & Hochberg (1995) the false discovery rate. Variables with fewer than 2 pairs, or
    with constant differences, get NaN tests and a warning. Wilcoxon intervals are percentile
    bootstraps over units (of the median difference and of the rank-biserial correlation); when
    every difference has the same sign the latter is degenerate at ±1.

    References
    ----------
    Lakens, D. (2013). Calculating and reporting effect sizes to facilitate cumulative science.
    *Frontiers in Psychology*, 4, 863.
    Kerby, D. S. (2014). The simple difference formula: an approach to teaching nonparametric
    correlation. *Comprehensive Psychology*, 3, 11.IT.3.1.
    Holm, S. (1979). A simple sequentially rejective multiple test procedure. *Scandinavian
    Journal of Statistics*, 6(2), 65–70.
    Benjamini, Y., & Hochberg, Y. (1995). Controlling the false discovery rate. *JRSS B*,
    57(1), 289–300.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> obs = pd.DataFrame({"unit": list("abcdef") * 2, "wave": [1] * 6 + [2] * 6,
    ...     "indicator": "x", "value": [1, 2, 3, 4, 5, 6, 2, 2.5, 4, 5.5, 5, 7.5]})
    >>> ch = ce.stats.wave_change(obs)
    >>> ch[["wave_from", "wave_to", "n", "estimate"]].round(3).to_dict("records")
    [{'wave_from': 1, 'wave_to': 2, 'n': 6, 'estimate': 0.917}]
    """
    test = check_choice(test, "test", ["t", "wilcoxon"])
    check_choice(correction, "correction", list(CORRECTIONS))
    ci = check_ci(ci)
    n_boot = check_int(n_boot, "n_boot", 1)
    d = _prepare(data, unit, wave, variable, value)
    var = variable or "_variable"
    if variable is None:
        d[var] = value
    check_duplicates(d, [unit, wave, var], "data")
    waves = sorted(d[wave].unique())
    wave_pairs = _pairs(pairs, waves)
    rng = np.random.default_rng(seed)
    rows = []
    for v, grp in d.groupby(var, sort=True):
        wide = grp.pivot(index=unit, columns=wave, values=value)
        for w0, w1 in wave_pairs:
            if w0 not in wide or w1 not in wide:
                xy = pd.DataFrame({"a": [], "b": []})
            else:
                xy = wide[[w0, w1]].dropna()
            rows.append(_paired_row(v, w0, w1, xy.iloc[:, 0].to_numpy(float),
                                    xy.iloc[:, 1].to_numpy(float), test, ci, n_boot, rng))
    out = pd.DataFrame(rows)
    p = out["p_value"].to_numpy(float)
    ok = np.isfinite(p)
    out["p_adjusted"] = np.nan
    method = CORRECTIONS[correction]
    if ok.any():
        out.loc[ok, "p_adjusted"] = pg.multicomp(p[ok], method=method)[1] if method else p[ok]
    out["correction"] = correction
    out["significant"] = out["p_adjusted"] < 1 - ci
    bad = out.loc[out["note"] != "", ["variable", "wave_from", "wave_to", "note"]]
    if not bad.empty:
        warn("paired test NaN for: " + "; ".join(f"{a} {b}->{c} ({e})" for a, b, c, e in
                                                bad.itertuples(index=False)))
    cols = ["variable", "wave_from", "wave_to", "test", "n", "mean_from", "mean_to", "estimate",
            "ci_low", "ci_high", "statistic", "dof", "p_value", "p_adjusted", "correction",
            "effect_size", "effect_size_name", "effect_ci_low", "effect_ci_high", "significant",
            "note"]
    return out[cols]


def _pairs(pairs, waves):
    if isinstance(pairs, str):
        check_choice(pairs, "pairs", ["consecutive", "first_last"])
        if pairs == "consecutive":
            return list(zip(waves[:-1], waves[1:], strict=True))
        return [(waves[0], waves[-1])]
    out = []
    for p in pairs:
        if not (isinstance(p, tuple) and len(p) == 2 and p[0] in waves and p[1] in waves):
            raise StatsError(f"parameter `pairs`: expected (wave_from, wave_to) tuples of waves "
                             f"{waves}, got {p!r}")
        out.append(p)
    return out


def _paired_row(v, w0, w1, x, y, test, ci, n_boot, rng) -> dict:
    n = len(x)
    diff = y - x
    row = {"variable": v, "wave_from": w0, "wave_to": w1, "test": test, "n": n,
           "mean_from": x.mean() if n else np.nan, "mean_to": y.mean() if n else np.nan,
           "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "statistic": np.nan,
           "dof": np.nan, "p_value": np.nan, "effect_size": np.nan,
           "effect_size_name": "cohen_dz" if test == "t" else "rank_biserial",
           "effect_ci_low": np.nan, "effect_ci_high": np.nan, "note": ""}
    if n < 2:
        row["note"] = "fewer_than_2_pairs"
        return row
    if test == "t":
        row["estimate"] = diff.mean()
        if diff.std(ddof=1) == 0:
            row["note"] = "constant_differences"
            return row
        res = sps.ttest_rel(y, x)
        lo, hi = res.confidence_interval(ci)
        dz = diff.mean() / diff.std(ddof=1)
        with quiet():
            elo, ehi = pg.compute_esci(stat=dz, nx=n, ny=n, paired=True, eftype="cohen",
                                       confidence=ci, decimals=6)
        row.update(ci_low=lo, ci_high=hi, statistic=res.statistic, dof=res.df,
                   p_value=res.pvalue, effect_size=dz, effect_ci_low=elo, effect_ci_high=ehi)
        return row
    row["estimate"] = float(np.median(diff))
    if np.all(diff == 0):
        row["note"] = "constant_differences"
        return row
    with quiet(), warnings.catch_warnings():
        res = pg.wilcoxon(y, x)
    idx = rng.integers(0, n, (n_boot, n))
    boot = diff[idx]
    tail = (1 - ci) / 2 * 100
    lo, hi = np.percentile(np.median(boot, axis=1), [tail, 100 - tail])
    rbc = np.array([rank_biserial(b) for b in boot])
    rbc = rbc[np.isfinite(rbc)]
    elo, ehi = np.percentile(rbc, [tail, 100 - tail]) if rbc.size else (np.nan, np.nan)
    row.update(ci_low=lo, ci_high=hi, statistic=float(res["W_val"].iloc[0]),
               p_value=float(res["p_val"].iloc[0]), effect_size=rank_biserial(diff),
               effect_ci_low=elo, effect_ci_high=ehi)
    return row


def wave_mixed_model(
    data: pd.DataFrame,
    *,
    unit: str = "unit",
    wave: str = "wave",
    variable: str | None = "indicator",
    value: str = "value",
    college: str | None = None,
    wave_as: str = "numeric",
    reml: bool = True,
    ci: float = 0.95,
) -> pd.DataFrame:
    """Linear mixed model ``value ~ wave (+ college)`` with a random intercept per unit.

    Parameters
    ----------
    data : DataFrame
        Long data with ``unit, wave, value`` (and ``variable``, ``college`` when given):
        Observations, Scores (``variable="node", value="score"``), or respondent-level scale
        scores from :func:`scale_scores` (several rows per unit and wave are allowed).
    unit, wave, variable, value : str
        Column names; one model is fitted per value of ``variable`` (``None``: one model).
    college : str, optional
        Column of a categorical fixed effect (e.g. ``"college"``).
    wave_as : {"numeric", "categorical"}, default "numeric"
        Wave as a linear trend (``wave`` must be numeric) or as categories (first wave is the
        reference).
    reml : bool, default True
        REML (as ``lme4::lmer`` by default) or maximum likelihood.
    ci : float, default 0.95
        Level of the Wald intervals.

    Returns
    -------
    DataFrame
        One row per variable and term: ``variable``, ``term`` (``Intercept``, ``wave`` or
        ``wave[T.w]``, ``college[T.c]``, then ``unit_variance`` — random-intercept variance —
        and ``residual_variance``), ``estimate``, ``std_error``, ``z``, ``p_value``,
        ``ci_low``, ``ci_high`` (Wald; NaN for variances), ``n_obs``, ``n_units``,
        ``log_likelihood``, ``converged``, ``note``.

    Notes
    -----
    Model: :math:`y_{ij} = \\beta_0 + \\beta_1\\,\\mathrm{wave}_{ij} + \\gamma_{c(ij)} + u_j +
    \\varepsilon_{ij}`, :math:`u_j \\sim N(0, \\tau^2)`, :math:`\\varepsilon_{ij} \\sim
    N(0, \\sigma^2)`, fitted by :class:`statsmodels.regression.mixed_linear_model.MixedLM`.
    A model that cannot be fitted (fewer than 2 units, or a singular design) gives NaN rows with
    a warning.

    References
    ----------
    Laird, N. M., & Ware, J. H. (1982). Random-effects models for longitudinal data.
    *Biometrics*, 38(4), 963–974.
    Bates, D., Mächler, M., Bolker, B., & Walker, S. (2015). Fitting linear mixed-effects models
    using lme4. *Journal of Statistical Software*, 67(1), 1–48.

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> rng = np.random.default_rng(0)
    >>> obs = pd.DataFrame([{"unit": u, "wave": w, "indicator": "x",
    ...     "value": u + 0.5 * w + rng.normal(0, 0.3)} for u in range(8) for w in (1, 2, 3)])
    >>> mm = ce.stats.wave_mixed_model(obs)
    >>> bool(mm.set_index("term").loc["wave", "estimate"].round(1) == 0.5)
    True
    """
    check_choice(wave_as, "wave_as", ["numeric", "categorical"])
    ci = check_ci(ci)
    d = _prepare(data, unit, wave, variable, value)
    if college is not None:
        require_frame(data, "data", [college])
        d[college] = data.loc[d.index, college]
        if d[college].isna().any():
            warn(f"{int(d[college].isna().sum())} row(s) without `{college}` left out of the model")
            d = d[d[college].notna()]
    if wave_as == "numeric":
        d[wave] = numeric_column(d, wave, "data")
    var = variable or "_variable"
    if variable is None:
        d[var] = value
    model = d.rename(columns={unit: "_unit", wave: "wave", value: "_y"})
    if college is not None:
        model = model.rename(columns={college: "college"})
    rhs = "wave" if wave_as == "numeric" else "C(wave)"
    if college is not None:
        rhs += " + C(college)"
    rows = []
    for v, grp in model.groupby(var, sort=True):
        rows += _fit_one(v, grp, rhs, reml, ci)
    return pd.DataFrame(rows, columns=["variable", "term", "estimate", "std_error", "z", "p_value",
                                       "ci_low", "ci_high", "n_obs", "n_units", "log_likelihood",
                                       "converged", "note"])


def _clean_term(term: str) -> str:
    return term.replace("C(wave)", "wave").replace("C(college)", "college")


def _fit_one(v, grp, rhs, reml, ci) -> list[dict]:
    n_obs, n_units = len(grp), grp["_unit"].nunique()
    base = {"variable": v, "n_obs": n_obs, "n_units": n_units}
    note = ""
    if n_units < 2 or grp["wave"].nunique() < 2:
        note = "fewer_than_2_units_or_waves"
    elif grp["_y"].std() == 0:
        note = "constant_values"
    res = None
    if not note:
        try:
            with quiet():
                res = smf.mixedlm(f"_y ~ {rhs}", grp, groups=grp["_unit"]).fit(reml=reml)
        except (ValueError, np.linalg.LinAlgError) as err:
            note = f"fit_failed: {err}"[:80]
    if res is None:
        warn(f"mixed model not fitted for {v!r} ({note})")
        return [{**base, "term": t, "estimate": np.nan, "std_error": np.nan, "z": np.nan,
                 "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan, "log_likelihood": np.nan,
                 "converged": False, "note": note} for t in ("Intercept", "wave")]
    fe = res.fe_params.index
    conf = res.conf_int(alpha=1 - ci).loc[fe]
    converged = bool(res.converged)
    if not converged:
        note = "not_converged"
        warn(f"mixed model for {v!r} did not converge")
    rows = [{**base, "term": _clean_term(t), "estimate": res.fe_params[t], "std_error": res.bse[t],
             "z": res.tvalues[t], "p_value": res.pvalues[t], "ci_low": conf.loc[t, 0],
             "ci_high": conf.loc[t, 1], "log_likelihood": res.llf, "converged": converged,
             "note": note} for t in fe]
    for term, est in (("unit_variance", float(res.cov_re.iloc[0, 0])),
                      ("residual_variance", float(res.scale))):
        rows.append({**base, "term": term, "estimate": est, "std_error": np.nan, "z": np.nan,
                     "p_value": np.nan, "ci_low": np.nan, "ci_high": np.nan,
                     "log_likelihood": res.llf, "converged": converged, "note": note})
    return rows
