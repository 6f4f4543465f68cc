"""Surrogate weights from a ranking: rank-order centroid, rank sum, rank reciprocal."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param

#: The surrogate-weight formulas available.
RANK_METHODS = ("roc", "rank_sum", "reciprocal")


def position_weights(n: int, method: str = "roc") -> np.ndarray:
    """Weights of positions 1..n (1 = most important), summing to 1.

    ``roc``: :math:`w_i = \\frac1n \\sum_{k=i}^n \\frac1k`;
    ``rank_sum``: :math:`w_i = \\frac{2(n+1-i)}{n(n+1)}`;
    ``reciprocal``: :math:`w_i = \\frac{1/i}{\\sum_k 1/k}`.
    """
    if method not in RANK_METHODS:
        bad_param("method", f"one of {RANK_METHODS}", method, WeightingError)
    i = np.arange(1, n + 1, dtype=float)
    if method == "roc":
        return np.cumsum((1.0 / i)[::-1])[::-1] / n
    if method == "rank_sum":
        return 2.0 * (n + 1 - i) / (n * (n + 1))
    return (1.0 / i) / np.sum(1.0 / i)


def weights_from_ranks(ranks: np.ndarray, method: str = "roc") -> np.ndarray:
    """Surrogate weights from rank values (smaller = more important; ties share).

    Tied items share equally the weights of the positions they occupy together
    (the mean of those positions' weights).
    """
    ranks = np.asarray(ranks, dtype=float)
    pos = position_weights(len(ranks), method)
    order = np.argsort(ranks, kind="stable")
    sorted_ranks = ranks[order]
    out = np.empty(len(ranks))
    start = 0
    while start < len(ranks):
        stop = start
        while stop + 1 < len(ranks) and sorted_ranks[stop + 1] == sorted_ranks[start]:
            stop += 1
        out[order[start : stop + 1]] = pos[start : stop + 1].mean()
        start = stop + 1
    return out


def rank_weights(ranking: Iterable, method: str = "roc") -> pd.Series:
    """Weights from a ranking listing labels from the most to the least important.

    Parameters
    ----------
    ranking : list
        Labels from the most to the least important. An element may be a list or
        tuple of labels that are tied (ex aequo).
    method : {"roc", "rank_sum", "reciprocal"}, default "roc"
        Rank-order centroid (Barron & Barrett 1996), rank sum or rank reciprocal
        (Stillwell, Seaver & Edwards 1981).

    Returns
    -------
    pandas.Series
        ``weight`` indexed by label in the given order, summing to 1.

    Notes
    -----
    With :math:`n` items and position :math:`i` (1 = most important):
    ROC :math:`w_i = \\frac1n\\sum_{k=i}^n 1/k`; rank sum
    :math:`w_i = 2(n+1-i)/(n(n+1))`; reciprocal :math:`w_i = (1/i)/\\sum_k 1/k`.
    Tied labels share the mean weight of the positions they occupy.

    References
    ----------
    Barron, F. H. & Barrett, B. E. (1996). Decision quality using ranked attribute
    weights. *Management Science* 42(11), 1515–1523.
    Stillwell, W. G., Seaver, D. A. & Edwards, W. (1981). A comparison of weight
    approximation techniques in multiattribute utility decision making.
    *Organizational Behavior and Human Performance* 28(1), 62–77.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.weighting.rank_weights(["social", "ecologie", "economie"]).round(4).tolist()
    [0.6111, 0.2778, 0.1111]
    """
    if isinstance(ranking, (str, bytes)) or not isinstance(ranking, Iterable):
        bad_param("ranking", "a list of labels from most to least important", ranking, WeightingError)
    labels, ranks = [], []
    for pos, entry in enumerate(ranking, start=1):
        group = list(entry) if isinstance(entry, (list, tuple, set, frozenset)) else [entry]
        if not group:
            bad_param("ranking", "non-empty groups of tied labels", ranking, WeightingError)
        labels += group
        ranks += [pos] * len(group)
    if not labels:
        bad_param("ranking", "at least one label", ranking, WeightingError)
    seen, issues = set(), []
    for lab in labels:
        if lab in seen:
            issues.append(Issue("", str(lab), "each label once", "a repeated label"))
        seen.add(lab)
    if issues:
        raise WeightingError("parameter `ranking`: repeated labels", issues=issues)
    w = weights_from_ranks(np.array(ranks), method)
    return pd.Series(w, index=labels, name="weight")
