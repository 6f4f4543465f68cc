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

from coopeval.data._fast import combine_codes
from coopeval.data.validate.responses import _validate_responses
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
    resp, codes = _validate_responses(responses, fw, strict=True)
    per = _respondent_scores(resp, fw, min_answered, codes)
    if by is None:
        return per
    order = {k: i for i, k in enumerate(fw.indicators["indicator"])}
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


_KEYS = ["respondent", "unit", "wave", "college"]
_PER_COLUMNS = _KEYS + ["indicator", "score", "n_answered", "n_items"]


def _respondent_scores(resp: pd.DataFrame, fw, min_answered: float, codes: dict) -> pd.DataFrame:
    """Respondent × indicator scores of validated responses (the ``by=None`` table).

    Array code (issue 21): one integer code per respondent (``respondent, unit, wave,
    college``, from the validation's ``codes``) and per item, then per indicator a dense respondents × items array filled by
    position and passed to :func:`item_means` — the very arrays the earlier
    ``unstack`` built (items in framework order, one row per respondent with an answer row for
    the indicator), so the scores are the same to the last bit.
    """
    items = fw.items.reset_index(drop=True)
    ind = fw.indicators.set_index("indicator")
    n = len(resp)
    if n == 0:
        return pd.DataFrame(columns=_PER_COLUMNS)
    c_item, u_item = codes["item"]
    item_pos = pd.Index(items["item"]).get_indexer(u_item)[c_item]  # validated: every item known
    ind_of_item = items["indicator"].to_numpy(dtype=object)
    ind_ids, ind_code_item = np.unique(ind_of_item.astype(str), return_inverse=True)
    # column of each item within its indicator, in framework order (as ``reindex(columns=all_items)``)
    col_in_ind = items.groupby("indicator", sort=False).cumcount().to_numpy()
    k_of_ind = np.bincount(ind_code_item, minlength=len(ind_ids))
    lo = ind.loc[ind_of_item, "lower"].to_numpy(float)[item_pos]
    hi = ind.loc[ind_of_item, "upper"].to_numpy(float)[item_pos]
    rev = items["reverse"].to_numpy(bool)[item_pos]
    x = resp["value"].to_numpy(float)
    x = np.where(rev, reverse_code(x, lo, hi), x)
    key = resp[_KEYS]
    g = pd.factorize(combine_codes([codes[k][0] for k in _KEYS]))[0]  # validated: no key missing
    first = np.full(int(g.max()) + 1, n, dtype=np.int64)
    np.minimum.at(first, g, np.arange(n))
    row_ind = ind_code_item[item_pos]
    row_col = col_in_ind[item_pos]
    order = {k: i for i, k in enumerate(fw.indicators["indicator"])}
    parts = []
    for j in np.unique(row_ind):  # one dense array per indicator present
        m = np.flatnonzero(row_ind == j)
        who, inv = np.unique(g[m], return_inverse=True)
        k = int(k_of_ind[j])
        wide = np.full((len(who), k), np.nan)
        wide[inv, row_col[m]] = x[m]
        score, answered = item_means(wide, min_answered)
        parts.append((who, str(ind_ids[j]), score, answered.astype(int), k))
    who = np.concatenate([p[0] for p in parts])
    per = key.iloc[first[who]].reset_index(drop=True)
    per["indicator"] = pd.Series(np.repeat(np.array([p[1] for p in parts], dtype=object),
                                           [len(p[0]) for p in parts]), dtype=str)
    per["score"] = np.concatenate([p[2] for p in parts])
    per["n_answered"] = np.concatenate([p[3] for p in parts])
    per["n_items"] = np.repeat([p[4] for p in parts], [len(p[0]) for p in parts]).astype(int)
    rank = np.repeat([order[p[1]] for p in parts], [len(p[0]) for p in parts])
    sort_by = ["unit", "wave", "college", "respondent"]
    if all(_plainly_ordered(resp[k]) for k in sort_by):  # sorted codes: the order sort_values gives
        keys_first = [_sorted_codes(*codes[k])[codes[k][0][first[who]]] for k in sort_by]
        pos = np.lexsort([rank] + keys_first[::-1])
    else:
        pos = per.assign(_order=rank).sort_values(sort_by + ["_order"], kind="stable").index.to_numpy()
    return per.iloc[pos][_PER_COLUMNS].reset_index(drop=True)


def _plainly_ordered(col: pd.Series) -> bool:
    """Text or numbers without missing values: an order of the distinct values is the rows' order."""
    return (pd.api.types.is_string_dtype(col.dtype) and col.dtype != object) or col.dtype.kind in "iuf"


def _sorted_codes(codes: np.ndarray, uniq) -> np.ndarray:
    """Rank of each distinct value in sorted order (rows' codes → sort keys)."""
    ranks = np.empty(len(uniq), dtype=np.int64)
    ranks[np.asarray(pd.Index(uniq).argsort(), dtype=np.int64)] = np.arange(len(uniq))
    return ranks
