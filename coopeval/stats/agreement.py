"""Agreement between raters: intraclass correlations and Krippendorff's alpha."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal, cast

import numpy as np
import pandas as pd

from coopeval.errors import StatsError
from coopeval.stats._checks import (
    check_by,
    check_choice,
    check_ci,
    check_duplicates,
    check_int,
    numeric_rows,
    quiet,
    require_frame,
    warn,
)
from coopeval.weighting.rater_agreement import ICC_TYPES, icc_core, krippendorff_alpha

__all__ = ["rater_agreement", "krippendorff_alpha_boot"]

#: McGraw & Wong label (as pingouin prints it) -> (statistic id, Shrout & Fleiss name, McGraw &
#: Wong name, description), in the order of :data:`coopeval.weighting.rater_agreement.ICC_TYPES`.
ICC_FORMS = {
    "ICC(1,1)": ("icc1", "ICC(1,1)", "ICC(1)", "one-way random, single rater, absolute agreement"),
    "ICC(A,1)": ("icc2", "ICC(2,1)", "ICC(A,1)", "two-way random, single rater, absolute agreement"),
    "ICC(C,1)": ("icc3", "ICC(3,1)", "ICC(C,1)", "two-way mixed, single rater, consistency"),
    "ICC(1,k)": ("icc1k", "ICC(1,k)", "ICC(k)", "one-way random, mean of k raters, absolute agreement"),
    "ICC(A,k)": ("icc2k", "ICC(2,k)", "ICC(A,k)", "two-way random, mean of k raters, absolute agreement"),
    "ICC(C,k)": ("icc3k", "ICC(3,k)", "ICC(C,k)", "two-way mixed, mean of k raters, consistency"),
}
LEVELS = ["nominal", "ordinal", "interval", "ratio"]
_Level = Literal["nominal", "ordinal", "interval", "ratio"]


def krippendorff_alpha_boot(
    matrix: np.ndarray, level: _Level, n_boot: int, ci: float, rng: np.random.Generator
) -> tuple[float, float, float]:
    """Krippendorff's alpha and a percentile bootstrap interval (numpy core).

    ``matrix`` is raters × units with NaN for missing ratings. Units (columns) are resampled
    with replacement; resamples where alpha is undefined are skipped (the interval is NaN when
    more than half are). Alpha is NaN when every rating is equal or no unit has two ratings.
    """
    domain = np.unique(matrix[~np.isnan(matrix)])
    pairable = (np.sum(~np.isnan(matrix), axis=0) >= 2).any()
    if domain.size < 2 or not pairable:
        return np.nan, np.nan, np.nan
    est = krippendorff_alpha(matrix, level)
    if n_boot == 0:
        return est, np.nan, np.nan
    m = matrix.shape[1]
    boots = np.full(n_boot, np.nan)
    for b in range(n_boot):
        sample = matrix[:, rng.integers(0, m, m)]
        if np.unique(sample[~np.isnan(sample)]).size >= 2:  # else refused: left NaN, skipped
            boots[b] = krippendorff_alpha(sample, level)  # NaN when undefined
    boots = boots[np.isfinite(boots)]
    if boots.size < 0.5 * n_boot:
        return est, np.nan, np.nan
    tail = (1 - ci) / 2 * 100
    lo, hi = np.percentile(boots, [tail, 100 - tail])
    return est, float(lo), float(hi)


def rater_agreement(
    data: pd.DataFrame,
    *,
    target: str = "unit",
    rater: str = "respondent",
    value: str = "value",
    by: str | Sequence[str] | None = None,
    level: str = "interval",
    n_boot: int = 1000,
    ci: float = 0.95,
    seed: int | None = None,
) -> pd.DataFrame:
    """Agreement between raters: the six Shrout & Fleiss ICCs and Krippendorff's alpha.

    Parameters
    ----------
    data : DataFrame
        Long ratings: one row per ``target`` rated by a ``rater`` (e.g. units rated by
        colleges from :func:`scale_scores`, or framework nodes weighted by participants).
    target, rater, value : str
        Column names of the rated object, the rater and the rating.
    by : str or list of str, optional
        Compute separately per group (e.g. ``"indicator"``).
    level : {"nominal", "ordinal", "interval", "ratio"}, default "interval"
        Level of measurement for Krippendorff's alpha.
    n_boot : int, default 1000
        Bootstrap resamples (of targets) for the interval of Krippendorff's alpha; 0 for none.
    ci : float, default 0.95
        Confidence level of the ICC intervals (exact F-based, McGraw & Wong 1996) and of the
        Krippendorff bootstrap interval.
    seed : int, optional
        Seed of the bootstrap.

    Returns
    -------
    DataFrame
        One row per group and statistic: the ``by`` columns, ``statistic`` (``icc1, icc2,
        icc3, icc1k, icc2k, icc3k, krippendorff_alpha``), ``name`` (Shrout & Fleiss:
        ``ICC(1,1)``, ``ICC(2,1)``, ``ICC(3,1)``, ``ICC(1,k)``…), ``mcgraw_wong`` (``ICC(1)``,
        ``ICC(A,1)``, ``ICC(C,1)``…), ``description``, ``estimate``, ``ci_low``, ``ci_high``,
        ``f``, ``df1``, ``df2``, ``p_value`` (F test of ICC = 0), ``n_targets`` (targets used:
        complete ones for the ICC, all for alpha), ``n_raters``, ``note``.

    Notes
    -----
    ICCs come from :func:`coopeval.weighting.icc_core` (two-way ANOVA mean squares, F tests and
    the F-based intervals of McGraw & Wong 1996, unrounded) on targets rated by every rater
    (incomplete targets are dropped, with a warning). With :math:`MS_R` (targets),
    :math:`MS_C` (raters), :math:`MS_E` (residual), :math:`MS_W` (within targets):
    ICC(1,1) = (MS_R − MS_W)/(MS_R + (k−1)MS_W); ICC(2,1) = (MS_R − MS_E)/(MS_R + (k−1)MS_E +
    k(MS_C − MS_E)/n); ICC(3,1) = (MS_R − MS_E)/(MS_R + (k−1)MS_E); the ``k`` forms are the
    Spearman–Brown step-ups. Krippendorff's alpha :math:`\\alpha = 1 - D_o/D_e`
    (:func:`coopeval.weighting.krippendorff_alpha`, sums over the pairable values) uses
    every pairable rating, missing ones allowed; its interval is a percentile bootstrap over
    targets (Zapf et al., 2016).

    References
    ----------
    Shrout, P. E., & Fleiss, J. L. (1979). Intraclass correlations: uses in assessing rater
    reliability. *Psychological Bulletin*, 86(2), 420–428.
    McGraw, K. O., & Wong, S. P. (1996). Forming inferences about some intraclass correlation
    coefficients. *Psychological Methods*, 1(1), 30–46.
    Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
    Communication, University of Pennsylvania.
    Zapf, A., Castell, S., Morawietz, L., & Karch, A. (2016). Measuring inter-rater reliability
    for nominal data – which coefficients and confidence intervals are appropriate?
    *BMC Medical Research Methodology*, 16, 93.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> m = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]]
    >>> d = pd.DataFrame([(t, j, m[t][j]) for t in range(6) for j in range(4)],
    ...                  columns=["unit", "respondent", "value"])
    >>> ag = ce.stats.rater_agreement(d, n_boot=0)
    >>> ag.set_index("name")["estimate"].round(2)["ICC(3,1)"]
    np.float64(0.71)
    """
    by_cols = check_by(by)
    check_choice(level, "level", LEVELS)
    n_boot = check_int(n_boot, "n_boot", 0)
    ci = check_ci(ci)
    require_frame(data, "data", [target, rater, value, *by_cols])
    if len({target, rater, value, *by_cols}) != 3 + len(by_cols):
        raise StatsError(f"parameters `target`, `rater`, `value`, `by`: expected distinct columns, got "
                         f"{target!r}, {rater!r}, {value!r}, {by_cols!r}")
    d = numeric_rows(data, "data", [*by_cols, target, rater, value], value)
    check_duplicates(d, [*by_cols, target, rater], "data")
    rng = np.random.default_rng(seed)
    rows: list[dict] = []
    groups = d.groupby(by_cols, sort=True, dropna=False) if by_cols else [((), d)]
    for key, grp in groups:
        key = key if isinstance(key, tuple) else (key,)
        labels = dict(zip(by_cols, key, strict=True))
        rows += _icc_rows(labels, grp, target, rater, value, ci)
        matrix = grp.pivot(index=rater, columns=target, values=value).to_numpy(float)
        est, lo, hi = krippendorff_alpha_boot(matrix, cast(_Level, level), n_boot, ci, rng)  # checked above
        note = "" if np.isfinite(est) else "single_value_or_no_pairable_ratings"
        if note:
            warn(f"Krippendorff's alpha is NaN for {labels or 'data'}: every rating is equal, or "
                 "no target has two ratings")
        rows.append({**labels, "statistic": "krippendorff_alpha", "name": "Krippendorff's alpha",
                     "mcgraw_wong": None, "description": f"{level} distance, all pairable ratings",
                     "estimate": est, "ci_low": lo, "ci_high": hi, "f": np.nan, "df1": np.nan,
                     "df2": np.nan, "p_value": np.nan, "n_targets": matrix.shape[1],
                     "n_raters": matrix.shape[0], "note": note})
    cols = [*by_cols, "statistic", "name", "mcgraw_wong", "description", "estimate", "ci_low",
            "ci_high", "f", "df1", "df2", "p_value", "n_targets", "n_raters", "note"]
    return pd.DataFrame(rows, columns=cols)


def _icc_rows(labels: dict, grp: pd.DataFrame, target: str, rater: str, value: str,
              ci: float) -> list[dict]:
    wide = grp.pivot(index=target, columns=rater, values=value)
    complete = wide.dropna()
    n, k = complete.shape
    note = ""
    if len(complete) < len(wide):
        warn(f"ICC for {labels or 'data'}: {len(wide) - len(complete)} target(s) not rated by every "
             f"rater dropped ({n} complete)")
    if n < 2 or k < 2:
        note = "too_few_complete_targets_or_raters"
    elif complete.to_numpy().std() == 0:
        note = "single_value"
    res = None
    if note:
        warn(f"ICC is NaN for {labels or 'data'} ({note}: {n} complete target(s), {k} rater(s))")
    else:
        with quiet():
            res = icc_core(complete.to_numpy(float), alpha=1 - ci).set_index("type")
    rows = []
    for icc_type, (stat, name, mw, desc) in zip(ICC_TYPES, ICC_FORMS.values(), strict=True):
        row = {**labels, "statistic": stat, "name": name, "mcgraw_wong": mw, "description": desc,
               "estimate": np.nan, "ci_low": np.nan, "ci_high": np.nan, "f": np.nan,
               "df1": np.nan, "df2": np.nan, "p_value": np.nan, "n_targets": n, "n_raters": k,
               "note": note}
        if res is not None:
            r = res.loc[icc_type]
            row.update(estimate=float(r["icc"]), ci_low=float(r["ci_low"]),
                       ci_high=float(r["ci_high"]), f=float(r["f"]), df1=float(r["df1"]),
                       df2=float(r["df2"]), p_value=float(r["p_value"]))
        rows.append(row)
    return rows
