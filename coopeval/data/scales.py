"""Survey scale scoring: items → indicator scores per respondent and per group.

Each survey indicator of a framework (``fw.indicators`` of kind ``likert``…) is
measured by a few items (``fw.items``), some worded negatively (``reverse``).
A respondent's score on the indicator is the mean of their answered items after
reverse coding, provided they answered at least a minimum share of the items
(the "half rule" by default). Group scores (per unit, wave, college…) are the
mean of the respondent scores, always with ``n``, the number of respondents
behind them.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coopeval.data.validate import RESPONSE_COLUMNS, validate_responses
from coopeval.errors import DataError, bad_param

__all__ = ["reverse_code", "item_means", "score_scales"]

_BY_ALLOWED = ("unit", "wave", "college")


def reverse_code(x: np.ndarray, lower: np.ndarray, upper: np.ndarray) -> np.ndarray:
    """Reverse-coded values: ``lower + upper - x`` (NaN stays NaN)."""
    return np.asarray(lower, float) + np.asarray(upper, float) - np.asarray(x, float)


def item_means(values: np.ndarray, min_answered: float) -> tuple[np.ndarray, np.ndarray]:
    """Row means of a respondents × items array with a minimum answered share.

    Parameters
    ----------
    values : ndarray, shape (n_respondents, n_items)
        Item codes, NaN where not answered.
    min_answered : float
        Minimum share of the ``n_items`` items that must be answered.

    Returns
    -------
    score, n_answered : ndarray
        The mean of the answered items (NaN below the minimum share) and the
        number of answered items per row.
    """
    values = np.asarray(values, dtype=float)
    answered = (~np.isnan(values)).sum(axis=1)
    total = np.nansum(values, axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        score = total / answered
    enough = answered >= min_answered * values.shape[1] - 1e-12
    score = np.where(enough & (answered > 0), score, np.nan)
    return score, answered


def score_scales(
    responses: pd.DataFrame,
    fw,
    *,
    min_answered: float = 0.5,
    by: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Score the survey indicators of a framework from item responses.

    Parameters
    ----------
    responses : pandas.DataFrame
        Tidy responses ``respondent, unit, wave, college, item, value``; values
        may be numeric codes or French agreement labels (validated with
        :func:`coopeval.data.validate_responses`, which raises on any problem).
    fw : Framework
        Gives the items of each indicator, their ``reverse`` flag and the bounds.
    min_answered : float, default 0.5
        Minimum share of an indicator's items (all items the framework lists for
        it) a respondent must have answered to get a score on it.
    by : sequence of str, optional
        ``None`` (default) returns one row per respondent and indicator. Otherwise
        a subset of ``("unit", "wave", "college")``: respondent scores are
        averaged within each group (e.g. ``by=("unit", "wave")`` feeds the
        observations of survey indicators; add ``"college"`` to compare
        stakeholder groups).

    Returns
    -------
    pandas.DataFrame
        With ``by=None``: columns ``respondent, unit, wave, college, indicator,
        score, n_answered, n_items`` (``score`` NaN when too few items were
        answered).
        With ``by``: columns ``*by, indicator, score`` (mean of respondent
        scores), ``sd`` (their standard deviation, ddof=1; NaN when n < 2),
        ``n`` (respondents with a score) and ``n_missing`` (respondents of the
        group without a score on the indicator).

    Raises
    ------
    DataError
        Invalid responses, ``min_answered`` outside (0, 1] or a bad ``by``.

    Notes
    -----
    For respondent :math:`r` and indicator :math:`j` with items :math:`I_j`
    (:math:`|I_j| = k_j`) and bounds :math:`[L_j, U_j]`, with
    :math:`x'_{ri} = L_j + U_j - x_{ri}` for reverse-coded items and :math:`x_{ri}`
    otherwise, and :math:`A_{rj}` the set of answered items:

    .. math::

       s_{rj} = \\frac{1}{|A_{rj}|} \\sum_{i \\in A_{rj}} x'_{ri}
       \\quad \\text{if } |A_{rj}| \\ge m \\, k_j \\text{, else missing,}

    with :math:`m` = ``min_answered``.

    This is person-mean imputation of missing items, the usual "half rule" of
    multi-item scales (Ware et al. 1993). Group score = mean of :math:`s_{rj}` over the
    respondents of the group with a score (each respondent weighs the same).

    References
    ----------
    Ware J.E., Snow K.K., Kosinski M., Gandek B. (1993). *SF-36 Health Survey:
    Manual and Interpretation Guide*. Boston: The Health Institute, New England
    Medical Center.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> resp = pd.DataFrame({"respondent": "r1", "unit": "TERA", "wave": 2024,
    ...     "college": "habitants",
    ...     "item": ["appartenance_membre", "appartenance_fierte", "appartenance_isolement"],
    ...     "value": ["Tout à fait d'accord", 4, 2]})   # the third item is reverse-coded
    >>> ce.data.score_scales(resp, fw)[["indicator", "score", "n_answered"]]
                    indicator     score  n_answered
    0  sentiment_appartenance  4.333333           3
    """
    if isinstance(min_answered, bool) or not isinstance(min_answered, (int, float)) \
            or not 0 < min_answered <= 1:
        bad_param("min_answered", "a share in (0, 1]", min_answered, DataError)
    if by is not None:
        if isinstance(by, str):
            by = (by,)
        by = tuple(by)
        wrong = [b for b in by if b not in _BY_ALLOWED]
        if wrong or len(set(by)) != len(by):
            bad_param("by", f"None or distinct columns among {_BY_ALLOWED}", by, DataError)
    resp = validate_responses(responses, fw, strict=True)
    items = fw.items.set_index("item")
    ind = fw.indicators.set_index("indicator")
    info = items.loc[resp["item"], ["indicator", "reverse"]].reset_index(drop=True)
    lo = ind.loc[info["indicator"], "lower"].to_numpy(float)
    hi = ind.loc[info["indicator"], "upper"].to_numpy(float)
    x = resp["value"].to_numpy(float)
    rev = info["reverse"].to_numpy(bool)
    x = np.where(rev, reverse_code(x, lo, hi), x)
    long = resp[RESPONSE_COLUMNS[:4]].reset_index(drop=True).assign(
        indicator=info["indicator"].to_numpy(), item=resp["item"].to_numpy(), x=x)
    keys = ["respondent", "unit", "wave", "college", "indicator"]
    rows = []
    for indicator, sub in long.groupby("indicator", sort=False):
        all_items = list(items.index[items["indicator"] == indicator])
        wide = sub.set_index(keys[:4] + ["item"])["x"].unstack("item")
        wide = wide.reindex(columns=all_items)
        score, answered = item_means(wide.to_numpy(float), min_answered)
        frame = wide.index.to_frame(index=False)
        frame["indicator"] = indicator
        frame["score"] = score
        frame["n_answered"] = answered.astype(int)
        frame["n_items"] = len(all_items)
        rows.append(frame)
    cols = keys + ["score", "n_answered", "n_items"]
    order = {k: i for i, k in enumerate(fw.indicators["indicator"])}
    if not rows:
        per = pd.DataFrame(columns=cols)
    else:
        per = pd.concat(rows, ignore_index=True)
        per["_order"] = per["indicator"].map(order)
        per = per.sort_values(["unit", "wave", "college", "respondent", "_order"], kind="stable")
        per = per[cols].reset_index(drop=True)
    if by is None:
        return per
    group = list(by) + ["indicator"]
    g = per.groupby(group, sort=True, dropna=False)["score"]
    agg = pd.DataFrame({
        "score": g.mean(),
        "sd": g.std(ddof=1),
        "n": g.count().astype(int),
        "n_missing": g.size().astype(int) - g.count().astype(int),
    }).reset_index()
    agg["_order"] = agg["indicator"].map(order)
    agg = agg.sort_values(list(by) + ["_order"], kind="stable").drop(columns="_order")
    return agg.reset_index(drop=True)
