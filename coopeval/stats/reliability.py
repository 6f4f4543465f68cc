"""Reliability of survey scales: Cronbach's alpha, McDonald's omega, item statistics."""

from __future__ import annotations

import inspect
import warnings
from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg
from statsmodels.multivariate.factor import Factor
from statsmodels.tools.sm_exceptions import ConvergenceWarning

from coopeval.stats._checks import check_by, check_ci, check_duplicates, quiet, require_frame, warn
from coopeval.stats.scales import code_items

__all__ = ["scale_reliability", "omega_one_factor"]

#: Fixed seed of statsmodels' random ML starting values (``rng`` exists from statsmodels 0.15).
_FIT_SEED = {"rng": 0} if "rng" in inspect.signature(Factor.fit).parameters else {}
#: Uniqueness below which a one-factor solution is reported as a Heywood case.
HEYWOOD_UNIQUENESS = 0.01


def omega_one_factor(corr: np.ndarray, nobs: int) -> tuple[float, np.ndarray, str]:
    """McDonald's omega total from a one-factor maximum-likelihood model (numpy core).

    Parameters
    ----------
    corr : ndarray of shape (k, k)
        Item correlation matrix.
    nobs : int
        Number of respondents behind ``corr``.

    Returns
    -------
    omega : float
        :math:`\\omega = (\\sum\\lambda_i)^2 / ((\\sum\\lambda_i)^2 + \\sum\\psi_i)`, NaN when the
        model is not identified (``k < 3``) or the fit failed.
    loadings : ndarray of shape (k,)
        Standardised loadings, signed so that their sum is positive (uniquenesses
        :math:`\\psi_i` are statsmodels' fitted ones, :math:`1-\\lambda_i^2` except in a Heywood
        case, where statsmodels bounds them near 0).
    note : str
        ``""``, ``"omega_not_identified_2_items"``, ``"factor_model_failed"``, or any of
        ``"not_converged"``, ``"heywood_case"``, ``"negative_loading"`` joined by ``;``
        (omega is then reported but doubtful).

    Notes
    -----
    The ML fit starts from statsmodels' EM starting values with a fixed seed (``rng=0``), so
    results are reproducible.
    """
    k = corr.shape[0]
    nan = np.full(k, np.nan)
    if k < 3:
        return np.nan, nan, "omega_not_identified_2_items"
    if not np.all(np.isfinite(corr)):
        return np.nan, nan, "factor_model_failed"
    try:
        with warnings.catch_warnings(record=True) as caught, np.errstate(all="ignore"):
            warnings.simplefilter("always")
            res = Factor(corr=corr, n_factor=1, method="ml", nobs=nobs).fit(**_FIT_SEED)
    except (ValueError, np.linalg.LinAlgError):
        return np.nan, nan, "factor_model_failed"
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    lam = np.asarray(res.loadings, dtype=float).ravel()
    if lam.sum() < 0:
        lam = -lam
    psi = np.asarray(res.uniqueness, dtype=float).ravel()
    notes = [] if converged else ["not_converged"]
    if np.any(psi < HEYWOOD_UNIQUENESS):
        notes.append("heywood_case")
    if np.any(lam < 0):
        notes.append("negative_loading")
    psi = np.clip(psi, 0.0, None)
    omega = lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum())
    return float(omega), lam, ";".join(notes)


def scale_reliability(
    responses: pd.DataFrame,
    fw: object,
    *,
    by: str | Sequence[str] | None = None,
    indicators: Sequence[str] | None = None,
    ci: float = 0.95,
    threshold: float = 0.7,
    item_threshold: float = 0.3,
) -> pd.DataFrame:
    """Reliability of every multi-item indicator scale of a framework.

    Parameters
    ----------
    responses : DataFrame
        Responses ``respondent, unit, wave, college, item, value`` (only ``respondent, item,
        value`` and the ``by`` columns are required). A respondent's answers are one row of the
        item matrix per ``respondent`` (and ``unit, wave`` when present).
    fw : Framework
        Gives the items of each indicator (``fw.items``) and the bounds used to reverse-code
        reversed items (``fw.indicators``: ``lower + upper - x``).
    by : str or list of str, optional
        Compute separately per group (e.g. ``"wave"``).
    indicators : list of str, optional
        Restrict to these indicator scales.
    ci : float, default 0.95
        Confidence level of the alpha interval.
    threshold : float, default 0.7
        Conventional minimum for alpha and omega (Nunnally, 1978).
    item_threshold : float, default 0.3
        Conventional minimum for an item–rest correlation (Nunnally & Bernstein, 1994).

    Returns
    -------
    DataFrame
        One row per scale (× ``by``) and statistic, and per item for item statistics:

        - ``indicator`` and the ``by`` columns;
        - ``item``: the item for item statistics, missing for scale statistics;
        - ``statistic``: ``cronbach_alpha``, ``mcdonald_omega`` (scale), ``item_rest_r``,
          ``alpha_if_deleted``, ``loading`` (one-factor standardised loading) (item);
        - ``estimate``; ``ci_low``, ``ci_high`` (alpha only, else NaN);
        - ``n``: respondents with every item answered (listwise deletion); ``n_items``;
        - ``threshold``: the conventional threshold applied (NaN when none);
        - ``flag``: alpha or omega below ``threshold``; item–rest correlation below
          ``item_threshold``; alpha if deleted above the scale's alpha (deleting the item would
          improve the scale); always False for loadings;
        - ``note``: why an estimate is NaN or doubtful (``constant_item``, ``too_few_respondents``,
          ``omega_not_identified_2_items``, ``heywood_case``, ``negative_loading``…).

    Notes
    -----
    Cronbach's alpha :math:`\\alpha = \\frac{k}{k-1}\\left(1-\\frac{\\sum_i s_i^2}{s_T^2}\\right)`
    and its interval (Feldt, 1965; pingouin rounds it to 3 decimals) come from
    :func:`pingouin.cronbach_alpha`. Omega total is computed on the item correlation matrix
    from a one-factor maximum-likelihood model (:class:`statsmodels.multivariate.factor.Factor`),
    :math:`\\omega = (\\sum\\lambda_i)^2 / ((\\sum\\lambda_i)^2 + \\sum(1-\\lambda_i^2))`
    (McDonald, 1999; Green & Yang, 2009), i.e. with the model-implied total variance in the
    denominator. ``psych::omega`` divides by the observed total :math:`\\mathbf 1^T R \\mathbf 1`
    instead (and fits by minres by default); both coincide when the one-factor model reproduces
    the correlations, which it always does with 3 items. A one-factor model needs at least 3
    items: with 2 items omega is NaN (noted). The item–rest correlation is the Pearson
    correlation of the item with the sum of the other items.

    References
    ----------
    Cronbach, L. J. (1951). Coefficient alpha and the internal structure of tests.
    *Psychometrika*, 16(3), 297–334.
    Feldt, L. S. (1965). The approximate sampling distribution of Kuder-Richardson reliability
    coefficient twenty. *Psychometrika*, 30(3), 357–370.
    McDonald, R. P. (1999). *Test theory: A unified treatment*. Mahwah, NJ: Erlbaum.
    Green, S. B., & Yang, Y. (2009). Reliability of summed item scores using structural
    equation modeling: an alternative to coefficient alpha. *Psychometrika*, 74(1), 155–167.
    Nunnally, J. C., & Bernstein, I. H. (1994). *Psychometric theory* (3rd ed.). McGraw-Hill.

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> rng = np.random.default_rng(1)
    >>> trait = rng.normal(size=60)
    >>> items = ["relations_rencontres", "relations_entraide", "relations_mixite"]
    >>> r = pd.DataFrame([{"respondent": f"r{i}", "item": it,
    ...     "value": float(np.clip(np.round(3 + trait[i] + rng.normal(0, .7)), 1, 5))}
    ...     for i in range(60) for it in items])
    >>> rel = ce.stats.scale_reliability(r, fw)
    >>> rel.query("statistic == 'cronbach_alpha'")[["indicator", "n", "n_items"]].to_dict("records")
    [{'indicator': 'nouvelles_relations', 'n': 60, 'n_items': 3}]
    """
    by_cols = check_by(by)
    ci = check_ci(ci)
    require_frame(responses, "responses", ["respondent", "item", "value", *by_cols])
    data = code_items(responses, fw)
    if indicators is not None:
        data = data[data["indicator"].isin(list(indicators))]
    row_keys = [c for c in ["respondent", "unit", "wave"] if c in data.columns and c not in by_cols]
    check_duplicates(data, [*by_cols, *row_keys, "item"], "responses")
    rows: list[dict] = []
    for key, grp in data.groupby(["indicator", *by_cols], sort=True, dropna=False):
        key = key if isinstance(key, tuple) else (key,)
        labels = dict(zip(["indicator", *by_cols], key, strict=True))
        wide = grp.pivot(index=[*by_cols, *row_keys], columns="item", values="value")
        if wide.shape[1] < 2:
            continue
        rows.extend(_one_scale(labels, wide.dropna(), ci, threshold, item_threshold))
    columns = ["indicator", *by_cols, "item", "statistic", "estimate", "ci_low", "ci_high", "n",
               "n_items", "threshold", "flag", "note"]
    out = pd.DataFrame(rows, columns=columns)
    noted = out.loc[out["note"].str.contains("constant_item|too_few|heywood|not_converged"),
                    ["indicator", "note"]]
    if not noted.empty:
        warn("reliability NaN or doubtful for: "
             + "; ".join(sorted({f"{a} ({b})" for a, b in noted.itertuples(index=False)})))
    return out


def _one_scale(labels: dict, wide: pd.DataFrame, ci: float, threshold: float,
               item_threshold: float) -> list[dict]:
    """Rows for one scale (complete cases only)."""
    n, k = wide.shape
    x = wide.to_numpy(float)
    items = list(wide.columns)
    base = {**labels, "n": n, "n_items": k}
    sd = x.std(axis=0, ddof=1) if n > 1 else np.zeros(k)
    note = ""
    if n < 3:
        note = "too_few_respondents"
    elif np.any(sd == 0):
        note = "constant_item"
    alpha, lo, hi = np.nan, np.nan, np.nan
    if n >= 3 and x.sum(axis=1).std() > 0:
        with quiet():
            alpha, (lo, hi) = pg.cronbach_alpha(data=wide, nan_policy="listwise", ci=ci)
    omega, lam, onote = np.nan, np.full(k, np.nan), note
    if not note:
        with quiet():
            corr = np.corrcoef(x, rowvar=False)
        omega, lam, onote = omega_one_factor(corr, n)
    rows = [
        {**base, "item": None, "statistic": "cronbach_alpha", "estimate": alpha, "ci_low": lo,
         "ci_high": hi, "threshold": threshold, "flag": bool(alpha < threshold), "note": note},
        {**base, "item": None, "statistic": "mcdonald_omega", "estimate": omega, "ci_low": np.nan,
         "ci_high": np.nan, "threshold": threshold, "flag": bool(omega < threshold), "note": onote},
    ]
    total = x.sum(axis=1)
    for j, item in enumerate(items):
        rest = total - x[:, j]
        r = np.nan
        if n >= 3 and sd[j] > 0 and rest.std() > 0:
            r = float(np.corrcoef(x[:, j], rest)[0, 1])
        aid = np.nan
        sub = np.delete(x, j, axis=1)
        if k > 2 and n >= 3 and sub.sum(axis=1).std() > 0:
            with quiet():
                aid = float(pg.cronbach_alpha(data=wide.drop(columns=item))[0])
        item_note = "constant_item" if sd[j] == 0 else note
        rows += [
            {**base, "item": item, "statistic": "item_rest_r", "estimate": r, "ci_low": np.nan,
             "ci_high": np.nan, "threshold": item_threshold, "flag": bool(r < item_threshold),
             "note": item_note},
            {**base, "item": item, "statistic": "alpha_if_deleted", "estimate": aid,
             "ci_low": np.nan, "ci_high": np.nan, "threshold": np.nan, "flag": bool(aid > alpha),
             "note": item_note},
            {**base, "item": item, "statistic": "loading", "estimate": lam[j], "ci_low": np.nan,
             "ci_high": np.nan, "threshold": np.nan, "flag": False, "note": onote},
        ]
    return rows
