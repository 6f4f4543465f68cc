"""Agreement coefficients of raters × items: Kendall's W, the intraclass correlations (ICC)
and Krippendorff's alpha (applied to the participants' weights by :mod:`coopeval.weighting.agreement`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import WeightingError, bad_param

__all__ = ["ICC_TYPES", "ICC_DESCRIPTIONS", "kendall_w", "kendall_w_core", "icc", "icc_core", "krippendorff_alpha"]

ICC_TYPES = ["ICC1", "ICC2", "ICC3", "ICC1k", "ICC2k", "ICC3k"]
ICC_DESCRIPTIONS = {
    "ICC1": "single rater, one-way random", "ICC2": "single rater, absolute agreement (two-way random)",
    "ICC3": "single rater, consistency (two-way mixed)", "ICC1k": "mean of k raters, one-way random",
    "ICC2k": "mean of k raters, absolute agreement", "ICC3k": "mean of k raters, consistency",
}


# ---------------------------------------------------------------------- Kendall's W
def kendall_w_core(x: np.ndarray) -> tuple[float, float, int, float]:
    """W (tie-corrected), chi2, dof and p-value from a raters x items array."""
    from scipy import stats  # imported lazily: scipy.stats is slow to import

    m, n = x.shape
    r = np.apply_along_axis(stats.rankdata, 1, x)
    rj = r.sum(axis=0)
    s = float(np.sum((rj - m * (n + 1) / 2.0) ** 2))
    ties = 0.0
    for row in x:
        _, t = np.unique(row, return_counts=True)
        ties += float(np.sum(t**3 - t))
    denom = m**2 * (n**3 - n) - m * ties
    w = 12.0 * s / denom if denom > 0 else np.nan
    chi2 = m * (n - 1) * w
    return w, chi2, n - 1, float(stats.chi2.sf(chi2, n - 1))


def kendall_w(ranks: pd.DataFrame) -> pd.DataFrame:
    """Kendall's coefficient of concordance W, corrected for ties, and its chi² test.

    Parameters
    ----------
    ranks : DataFrame
        Wide: one row per rater, one column per item; ranks or scores (ranked within
        each row, ties get mid-ranks). No missing values.

    Returns
    -------
    DataFrame
        One row: ``w, chi2, dof, p_value, n_raters, n_items``.

    Notes
    -----
    With m raters, n items, rank sums :math:`R_j` and, for each rater, tie groups of
    sizes :math:`t`: :math:`W = \\frac{12\\sum_j (R_j - m(n+1)/2)^2}{m^2(n^3-n) -
    m\\sum_i\\sum (t^3 - t)}`, :math:`\\chi^2 = m(n-1)W` with :math:`n-1` degrees of
    freedom (Siegel & Castellan 1988, sect. 9.4, eq. 9.16–9.17).

    References
    ----------
    Siegel, S. & Castellan, N. J. (1988). *Nonparametric Statistics for the Behavioral
    Sciences* (2nd ed.). McGraw-Hill.
    Kendall, M. G. & Babington Smith, B. (1939). The problem of m rankings. *Annals of
    Mathematical Statistics* 10(3), 275–287.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> r = pd.DataFrame([[1, 2, 3], [1, 3, 2], [1, 2, 3]], columns=["a", "b", "c"])
    >>> ce.weighting.kendall_w(r)["w"].round(4).item()
    0.7778
    """
    x = _wide(ranks, "ranks")
    w, chi2, dof, p = kendall_w_core(x)
    return pd.DataFrame([{"w": w, "chi2": chi2, "dof": dof, "p_value": p,
                          "n_raters": x.shape[0], "n_items": x.shape[1]}])


def _wide(data, name: str, allow_nan: bool = False) -> np.ndarray:
    if not isinstance(data, pd.DataFrame):
        bad_param(name, "a wide DataFrame (rows = raters, columns = items)", type(data).__name__, WeightingError)
    x = data.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    if x.shape[0] < 2 or x.shape[1] < 2:
        bad_param(name, "at least 2 raters (rows) and 2 items (columns)", f"shape {x.shape}", WeightingError)
    if not allow_nan and np.isnan(x).any():
        rows = [str(data.index[i]) for i in np.flatnonzero(np.isnan(x).any(axis=1))]
        bad_param(name, "a complete table of numbers", f"missing or non-numeric values for raters {rows}",
                  WeightingError)
    return x


# ---------------------------------------------------------------------- ICC
def icc_core(x: np.ndarray, alpha: float = 0.05) -> pd.DataFrame:
    """The six ICCs of Shrout & Fleiss / McGraw & Wong from an n targets x k raters array."""
    from scipy import stats  # imported lazily: scipy.stats is slow to import

    n, k = x.shape
    grand = x.mean()
    ss_r = k * np.sum((x.mean(axis=1) - grand) ** 2)
    ss_c = n * np.sum((x.mean(axis=0) - grand) ** 2)
    ss_t = np.sum((x - grand) ** 2)
    ss_e = ss_t - ss_r - ss_c
    msr, msc = ss_r / (n - 1), ss_c / (k - 1)
    mse = ss_e / ((n - 1) * (k - 1))
    msw = (ss_c + ss_e) / (n * (k - 1))
    icc1 = (msr - msw) / (msr + (k - 1) * msw)
    icc2 = (msr - mse) / (msr + (k - 1) * mse + k * (msc - mse) / n)
    icc3 = (msr - mse) / (msr + (k - 1) * mse)
    f1, f3 = msr / msw, msr / mse
    df1, df1w, df3 = n - 1, n * (k - 1), (n - 1) * (k - 1)
    q = 1 - alpha / 2
    f1l, f1u = f1 / stats.f.ppf(q, df1, df1w), f1 * stats.f.ppf(q, df1w, df1)
    f3l, f3u = f3 / stats.f.ppf(q, df1, df3), f3 * stats.f.ppf(q, df3, df1)
    fj = msc / mse
    vn = df3 * (k * icc2 * fj + n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    vd = df1 * k**2 * icc2**2 * fj**2 + (n * (1 + (k - 1) * icc2) - k * icc2) ** 2
    v = vn / vd
    f2u, f2l = stats.f.ppf(q, n - 1, v), stats.f.ppf(q, v, n - 1)
    l2 = n * (msr - f2u * mse) / (f2u * (k * msc + (k * n - k - n) * mse) + n * msr)
    u2 = n * (f2l * msr - mse) / (k * msc + (k * n - k - n) * mse + n * f2l * msr)
    rows = [
        (icc1, f1, df1w, (f1l - 1) / (f1l + k - 1), (f1u - 1) / (f1u + k - 1)),
        (icc2, f3, df3, l2, u2),
        (icc3, f3, df3, (f3l - 1) / (f3l + k - 1), (f3u - 1) / (f3u + k - 1)),
        ((msr - msw) / msr, f1, df1w, 1 - 1 / f1l, 1 - 1 / f1u),
        ((msr - mse) / (msr + (msc - mse) / n), f3, df3, l2 * k / (1 + l2 * (k - 1)), u2 * k / (1 + u2 * (k - 1))),
        ((msr - mse) / msr, f3, df3, 1 - 1 / f3l, 1 - 1 / f3u),
    ]
    return pd.DataFrame([
        {"type": t, "description": ICC_DESCRIPTIONS[t], "icc": r[0], "f": r[1], "df1": df1, "df2": r[2],
         "p_value": float(stats.f.sf(r[1], df1, r[2])), "ci_low": r[3], "ci_high": r[4]}
        for t, r in zip(ICC_TYPES, rows, strict=True)
    ])


def icc(data: pd.DataFrame, *, targets: str = "node", raters: str = "participant",
        ratings: str = "weight", alpha: float = 0.05) -> pd.DataFrame:
    """Intraclass correlation coefficients (complete, balanced design).

    Parameters
    ----------
    data : DataFrame
        Long table with one rating per (target, rater).
    targets, raters, ratings : str
        Column names (defaults fit participant weights: ``node, participant, weight``).
    alpha : float, default 0.05
        1 - confidence level of the intervals.

    Returns
    -------
    DataFrame
        One row per type ``ICC1, ICC2, ICC3, ICC1k, ICC2k, ICC3k``: ``type,
        description, icc, f, df1, df2, p_value, ci_low, ci_high``.

    Notes
    -----
    Two-way ANOVA mean squares MSR (targets), MSC (raters), MSE (residual),
    MSW (within targets); e.g. ICC2 :math:`= \\frac{MSR - MSE}{MSR + (k-1)MSE +
    k(MSC - MSE)/n}`. Confidence intervals of McGraw & Wong (1996).

    References
    ----------
    Shrout, P. E. & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing
    rater reliability. *Psychological Bulletin* 86(2), 420–428.
    McGraw, K. O. & Wong, S. P. (1996). Forming inferences about some intraclass
    correlation coefficients. *Psychological Methods* 1(1), 30–46.
    """
    for c in (targets, raters, ratings):
        if c not in data.columns:
            bad_param(c, f"a column of data (columns: {list(data.columns)})", c, WeightingError)
    wide = data.pivot_table(index=targets, columns=raters, values=ratings, aggfunc="count")
    if (wide != 1).to_numpy().any() or wide.isna().to_numpy().any():
        bad_param("data", "exactly one rating per target and rater (balanced design)",
                  "missing or repeated ratings", WeightingError)
    x = data.pivot(index=targets, columns=raters, values=ratings).to_numpy(dtype=float)
    if x.shape[0] < 2 or x.shape[1] < 2:
        bad_param("data", "at least 2 targets and 2 raters", f"shape {x.shape}", WeightingError)
    return icc_core(x, alpha)


# ---------------------------------------------------------------------- Krippendorff's alpha
#: float64 elements of one temporary array of the ratio sums (8 MB): bounds their memory.
_BLOCK = 1 << 20


def krippendorff_alpha(reliability_data: pd.DataFrame | np.ndarray, level: str = "interval") -> float:
    """Krippendorff's alpha for raters x units data with missing values.

    Parameters
    ----------
    reliability_data : DataFrame or 2-D array
        Rows = raters (coders), columns = units; NaN = missing.
    level : {"nominal", "ordinal", "interval", "ratio"}, default "interval"

    Returns
    -------
    float
        :math:`\\alpha = 1 - D_o / D_e`; NaN where alpha is undefined (no unit with two
        ratings, or every pairable rating equal: :math:`D_e = 0`).

    Notes
    -----
    Coincidences :math:`o_{ck} = \\sum_u \\frac{\\#\\{(c,k) \\text{ pairs in } u\\}}{m_u - 1}`
    over units with :math:`m_u \\ge 2` values, :math:`n_c = \\sum_k o_{ck}`,
    :math:`\\alpha = 1 - (n-1)\\frac{\\sum o_{ck}\\delta^2_{ck}}{\\sum n_c n_k \\delta^2_{ck}}`
    with the metric :math:`\\delta^2` of the level (Krippendorff 2011). The one implementation
    of coopeval (also used by :func:`coopeval.stats.rater_agreement` and
    :func:`coopeval.qualitative.intercoder_agreement`) sums over the pairable values without
    building the values x values coincidence matrix, so continuous ratings (every value
    distinct) cost no more memory than the data:

    - interval: :math:`\\sum_{i,j \\in u} (x_i - x_j)^2 = 2 m_u \\sum_{i \\in u} (x_i - \\bar x_u)^2`,
      and the same over all pairable values for :math:`D_e`;
    - ordinal: :math:`\\delta^2_{ck} = (r_k - r_c)^2` with the mid-rank
      :math:`r_c = \\sum_{g \\le c} n_g - n_c / 2` of each value, i.e. the interval sums of
      the mid-ranks;
    - nominal: the counts of equal values within each unit and over all pairable values;
    - ratio (:math:`\\delta^2 = ((c - k)/(c + k))^2`, 0 when :math:`c + k = 0`): the pairs
      within each unit, and the pairs of distinct pairable values weighted by their counts,
      summed in blocks of at most ``_BLOCK`` elements (time quadratic, memory bounded).

    Checked against the published example of Krippendorff (2011) and against the
    ``krippendorff`` package (Castro 2017) in the tests.

    References
    ----------
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability.
    Annenberg School for Communication, University of Pennsylvania.
    Hayes, A. F. & Krippendorff, K. (2007). Answering the call for a standard
    reliability measure for coding data. *Communication Methods and Measures* 1(1), 77–89.
    Castro, S. (2017). Fast Krippendorff: fast computation of Krippendorff's alpha
    agreement measure. https://github.com/pln-fing-udelar/fast-krippendorff

    Examples
    --------
    Krippendorff (2011), section C: 4 observers, 12 units, missing values.

    >>> import numpy as np, coopeval as ce
    >>> nan = np.nan
    >>> x = [[1, 2, 3, 3, 2, 1, 4, 1, 2, nan, nan, nan], [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, nan, 3],
    ...      [nan, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, nan], [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, nan]]
    >>> [round(ce.weighting.krippendorff_alpha(x, lv), 3) for lv in ("nominal", "ordinal", "interval", "ratio")]
    [0.743, 0.815, 0.849, 0.797]
    """
    if level not in ("nominal", "ordinal", "interval", "ratio"):
        bad_param("level", "'nominal', 'ordinal', 'interval' or 'ratio'", level, WeightingError)
    x = np.asarray(reliability_data, dtype=float)
    if x.ndim != 2:
        bad_param("reliability_data", "a 2-D table (rows = raters, columns = units)", x.shape, WeightingError)
    values = np.unique(x[~np.isnan(x)])
    if len(values) < 2:
        bad_param("reliability_data", "at least two distinct values", values.tolist(), WeightingError)
    ok = ~np.isnan(x)
    m = ok.sum(axis=0)
    keep = m >= 2
    vals = x[:, keep].T[ok[:, keep].T]  # pairable values, unit after unit
    if vals.size == 0 or (vals == vals[0]).all():
        return np.nan  # no pairable value, or D_e = 0: alpha is undefined
    d_o, d_e = _alpha_sums(vals, m[keep], level)
    return float(1.0 - d_o / d_e) if d_e != 0 else np.nan


def _alpha_sums(vals: np.ndarray, m: np.ndarray, level: str) -> tuple[float, float]:
    """Sum of o_ck d2_ck and sum of n_c n_k d2_ck / (n - 1), from the pairable values ``vals``
    listed unit after unit, ``m`` values per unit (every m >= 2)."""
    n = vals.size
    mf = m.astype(float)
    unit = np.repeat(np.arange(m.size), m)
    distinct, inverse, counts = np.unique(vals, return_inverse=True, return_counts=True)
    inverse = inverse.reshape(-1)
    if level == "nominal":
        keys, per_unit = np.unique(unit * distinct.size + inverse, return_counts=True)
        same = np.bincount(keys // distinct.size, weights=per_unit.astype(float) ** 2, minlength=m.size)
        cf = counts.astype(float)
        return float(np.sum((mf**2 - same) / (mf - 1))), float((n * n - cf @ cf) / (n - 1))
    if level == "ratio":
        return _ratio_within(vals, m), _ratio_pairs(distinct, counts.astype(float)) / (n - 1)
    if level == "ordinal":
        cf = counts.astype(float)
        vals = (np.cumsum(cf) - cf / 2.0)[inverse]  # mid-ranks: ordinal = interval on them
    means = np.bincount(unit, weights=vals) / mf
    ss = np.bincount(unit, weights=(vals - means[unit]) ** 2, minlength=m.size)
    return float(np.sum(2.0 * mf * ss / (mf - 1))), float(2.0 * n * np.sum((vals - vals.mean()) ** 2) / (n - 1))


def _ratio_d2(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """((a - b) / (a + b))^2, 0 where a + b = 0 (as the ``krippendorff`` package), broadcast."""
    s = a + b
    d = a - b
    nonzero = s != 0
    np.divide(d, s, out=d, where=nonzero)
    d *= nonzero
    return np.square(d, out=d)


def _ratio_pairs(v: np.ndarray, w: np.ndarray) -> float:
    """Sum over i, j of w_i w_j d2(v_i, v_j): rows i..e against columns i.. (the block on the
    diagonal once, the rest twice by symmetry), at most _BLOCK elements at a time."""
    step, total = max(1, _BLOCK // v.size), 0.0
    for i in range(0, v.size, step):
        e = min(i + step, v.size)
        d2 = _ratio_d2(v[i:e, None], v[None, i:])
        total += 2.0 * float(w[i:e] @ d2 @ w[i:]) - float(w[i:e] @ d2[:, :e - i] @ w[i:e])
    return total


def _ratio_within(vals: np.ndarray, m: np.ndarray) -> float:
    """Sum over units of the ratio d2 of every (ordered) pair of values in the unit / (m_u - 1);
    the units of the same size are stacked, in blocks of at most _BLOCK elements."""
    ends = np.cumsum(m)
    total = 0.0
    for size in np.unique(m):
        rows = (ends[m == size, None] - size + np.arange(size)[None, :])
        if size * size > _BLOCK:
            total += sum(_ratio_pairs(vals[r], np.ones(size)) for r in rows) / (size - 1)
            continue
        step = max(1, _BLOCK // (size * size))
        for i in range(0, len(rows), step):
            g = vals[rows[i:i + step]]
            total += float(_ratio_d2(g[:, :, None], g[:, None, :]).sum()) / (size - 1)
    return total
