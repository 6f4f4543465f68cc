"""Method is not disagreement: the elicitation-method effect apart from the college effect.

Participants who express the same order of importance with different elicitation methods
(points, ranking, AHP, Simos…) get different weights: a ranking converted by rank-order
centroid is steeper than most point allocations. Comparing colleges on raw weights then
reads the method as disagreement. Here colleges are compared on what every method
expresses — the **order of importance** within each sibling group (each participant's
weights turned into mid-ranks scaled to [0, 1]) — and the method effect is reported
apart, as method-specific shifts of the weights. When colleges and methods overlap
(Cramér's V of the participant × college × method table at or above ``max_overlap``)
the two effects cannot be told apart on the weights and a warning says so.

References
----------
Bottomley, P. A., Doyle, J. R. (2001). A comparison of three weight elicitation methods:
good, better, and best. *Omega*, 29(6), 553–560 (different methods give different
weights for the same preferences).
Kruskal, W. H., Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
*Journal of the American Statistical Association*, 47(260), 583–621.
Cramér, H. (1946). *Mathematical Methods of Statistics*. Princeton University Press.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from coopeval.errors import WeightingError, bad_param

__all__ = ["college_method_overlap", "method_effects", "order_scores", "participant_table"]

#: Cramér's V between college and method above which a warning is given.
MAX_OVERLAP = 0.5


def participant_table(weights) -> pd.DataFrame:
    """The ``by_participant`` table of a WeightSet (or the table itself), validated."""
    pw = weights.by_participant if hasattr(weights, "by_participant") else weights
    need = {"participant", "college", "parent", "node", "weight"}
    if not isinstance(pw, pd.DataFrame) or not need <= set(pw.columns):
        bad_param("weights", "a WeightSet or a table participant, college, parent, node, weight",
                  type(weights).__name__, WeightingError)
    if pw.empty:
        bad_param("weights", "participant weights (a WeightSet built from judgements)", "none", WeightingError)
    return pw


def order_scores(pw: pd.DataFrame) -> pd.Series:
    """Order of importance of each node for each participant: mid-rank of the weight within
    the participant's sibling group scaled to [0, 1] (1 = most important; 0.5 with one child)."""
    grp = pw.groupby(["participant", "parent"], sort=False)["weight"]
    r = grp.rank(method="average")
    k = grp.transform("size").astype(float)
    return ((r - 1) / (k - 1).where(k > 1)).fillna(0.5).rename("order")


def college_method_overlap(pw: pd.DataFrame) -> float:
    """Cramér's V between college and method over participants (0 = independent, 1 = each
    college used its own method); NaN when there is one college or one method."""
    if "method" not in pw.columns:
        return np.nan
    p = pw.drop_duplicates(["participant", "parent"])
    tab = pd.crosstab(p["college"], p["method"]).to_numpy(dtype=float)
    if min(tab.shape) < 2:
        return np.nan
    n = tab.sum()
    exp = tab.sum(1, keepdims=True) * tab.sum(0, keepdims=True) / n
    chi2 = float(((tab - exp) ** 2 / exp).sum())
    return float(np.sqrt(chi2 / (n * (min(tab.shape) - 1))))


def warn_if_confounded(pw: pd.DataFrame, max_overlap: float = MAX_OVERLAP) -> float:
    """Warn when college and method overlap (Cramér's V >= ``max_overlap``); return V."""
    v = college_method_overlap(pw)
    if np.isfinite(v) and v >= max_overlap:
        warnings.warn(f"college and elicitation method are confounded (Cramér's V = {v:.2f}): a difference "
                      "between colleges in the weights cannot be told apart from the effect of the method; "
                      "colleges are compared on the order of importance only", UserWarning, stacklevel=3)
    return v


def method_effects(weights) -> pd.DataFrame:
    """Method-specific shifts of the weights, node by node.

    Parameters
    ----------
    weights : WeightSet or DataFrame
        A WeightSet from :func:`coopeval.weighting.aggregate` or its ``by_participant`` table
        (with its ``method`` column).

    Returns
    -------
    DataFrame
        ``parent, node, method, n, median, shift, p_value``: median weight of the participants
        who used ``method``, its difference from the median of all participants, and the
        Kruskal–Wallis p-value of a difference between methods (NaN with fewer than 2 methods
        of >= 2 participants).

    Examples
    --------
    >>> import coopeval as ce
    >>> ws = ce.evaluation.Evaluation.sample().weightset()
    >>> me = ce.weighting.method_effects(ws)
    >>> sorted(me["method"].unique())
    ['ahp', 'direct', 'points', 'ranking', 'simos']
    """
    from scipy import stats  # imported lazily: scipy.stats is slow to import

    pw = participant_table(weights)
    cols = ["parent", "node", "method", "n", "median", "shift", "p_value"]
    if "method" not in pw.columns:
        return pd.DataFrame(columns=cols)
    rows = []
    for (parent, node), g in pw.groupby(["parent", "node"], sort=False):
        med = float(g["weight"].median())
        samples = [x["weight"].to_numpy() for _, x in g.groupby("method") if len(x) >= 2]
        p = np.nan
        if len(samples) >= 2 and len(np.unique(np.concatenate(samples))) > 1:
            p = float(stats.kruskal(*samples).pvalue)
        for m, x in g.groupby("method"):
            rows.append({"parent": parent, "node": node, "method": m, "n": len(x),
                         "median": float(x["weight"].median()), "shift": float(x["weight"].median()) - med,
                         "p_value": p})
    return pd.DataFrame(rows, columns=cols)
