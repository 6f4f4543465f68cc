"""Agreement among participants: dispersion and contested nodes, agreement within each group of
sibling nodes, the colleges that disagree most.

The coefficients (Kendall's W, ICC, Krippendorff's alpha) are computed by
:mod:`coopeval.weighting.rater_agreement`, and importable from here.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import WeightingError, bad_param
from coopeval.weighting.rater_agreement import (
    ICC_DESCRIPTIONS,
    ICC_TYPES,
    icc,
    icc_core,
    kendall_w,
    kendall_w_core,
    krippendorff_alpha,
)

__all__ = ["agreement_table", "contested_nodes", "group_agreement", "college_disagreement",
           "NOT_ESTIMABLE", "ICC_TYPES", "ICC_DESCRIPTIONS", "kendall_w", "kendall_w_core", "icc", "icc_core", "krippendorff_alpha"]


# ---------------------------------------------------------------------- tables per node
#: Reason code of :func:`agreement_table` when each participant used a method of their own.
ONE_PER_METHOD = "one_member_per_method"
#: Every reason code of :func:`agreement_table`'s ``not_estimable`` column.
NOT_ESTIMABLE = (ONE_PER_METHOD,)


def _pw(weights) -> pd.DataFrame:
    from coopeval.weighting.method_effect import participant_table

    return participant_table(weights)


def agreement_table(weights, *, band: float = 0.25, max_cv: float = 0.5, min_agreement: float = 0.6,
                    alpha: float = 0.05) -> pd.DataFrame:
    """Dispersion and agreement of the participants' weights, node by node.

    Parameters
    ----------
    weights : WeightSet or DataFrame
        A WeightSet from :func:`aggregate` or its ``by_participant`` table.
    band : float, default 0.25
        Relative band around the median for ``pct_agreement``.
    max_cv, min_agreement, alpha : float
        Thresholds that mark a node ``contested``.

    Returns
    -------
    DataFrame
        ``parent, node, n, mean, median, q1, q3, iqr, cv, pct_agreement,
        college_p_value, contested, method_p_value, college_test, not_estimable``: ``cv`` = standard
        deviation (ddof 1) / mean; ``pct_agreement`` = share of participants whose weight
        lies within ``± band × median`` of the median; ``college_p_value`` = Kruskal–Wallis
        test of a difference between colleges (NaN with fewer than 2 colleges of >= 2
        members); ``contested`` = ``cv > max_cv`` or ``pct_agreement < min_agreement``
        or ``college_p_value < alpha``; ``method_p_value`` = Kruskal–Wallis test of a
        difference between elicitation methods (NaN with one method); ``not_estimable`` =
        why ``cv`` and ``pct_agreement`` are NaN (:data:`NOT_ESTIMABLE`), ``""`` when they
        are computed.

    Notes
    -----
    **Method is not disagreement** (:mod:`coopeval.weighting.method_effect`). When the
    participants of a sibling group used several elicitation methods, the colleges are
    compared on the order of importance each participant expressed (``college_test =
    "order"``) and ``cv`` and ``pct_agreement`` are computed on the weights centred on
    their method's mean, so that a method-specific shift is never flagged as a contested
    node; with one method the raw weights are used (``college_test = "weights"``). A
    ``UserWarning`` is given when colleges and methods are confounded.

    **Not estimable apart from the method.** The centred weights are the residuals of a
    one-way layout by method: they carry ``n - k`` degrees of freedom for ``n``
    participants and ``k`` methods (Scheffé, 1959, ch. 3). When every participant of the
    node used a method nobody else used (``n == k``, e.g. 5 members of a college, 5
    methods), every residual is 0: the dispersion among participants cannot be told
    apart from the method effect, and ``cv`` and ``pct_agreement`` are NaN with
    ``not_estimable = "one_member_per_method"`` instead of a false perfect agreement.

    References
    ----------
    Bottomley, P. A., Doyle, J. R. (2001). A comparison of three weight elicitation methods:
    good, better, and best. *Omega*, 29(6), 553–560 (different methods give different
    weights for the same preferences).
    Scheffé, H. (1959). *The Analysis of Variance*. Wiley (one-way layout, error degrees of
    freedom ``n - k``).
    """
    from scipy import stats  # imported lazily: scipy.stats is slow to import

    from coopeval.weighting.method_effect import order_scores, warn_if_confounded

    pw = _pw(weights)
    has_method = "method" in pw.columns
    if has_method:
        pw = pw.assign(order=order_scores(pw).to_numpy(),
                       centred=pw["weight"] - pw.groupby(["parent", "node", "method"])["weight"].transform("mean")
                       + pw.groupby(["parent", "node"])["weight"].transform("mean"))
        mixed = pw.groupby("parent")["method"].nunique() > 1
        if mixed.any():
            warn_if_confounded(pw[pw["parent"].isin(mixed[mixed].index)])
    rows = []
    for (parent, node), g in pw.groupby(["parent", "node"], sort=False):
        by_order = has_method and g["method"].nunique() > 1
        raw = g["weight"].to_numpy(dtype=float)
        w = g["centred"].to_numpy(dtype=float) if by_order else raw
        med = float(np.median(w))
        q1, q3 = np.percentile(raw, [25, 75])
        cv = float(np.std(w, ddof=1) / np.mean(w)) if len(w) > 1 and np.mean(w) > 0 else np.nan
        pct = float(np.mean(np.abs(w - med) <= band * med + 1e-12))
        why = ONE_PER_METHOD if by_order and g["method"].nunique() == len(g) else ""
        if why:  # no residual left once the method is taken out: no dispersion to read
            cv = pct = np.nan
        p = _kruskal(g, "college", "order" if by_order else "weight", stats)
        pm = _kruskal(g, "method", "weight", stats) if by_order else np.nan
        contested = bool((cv > max_cv) or (pct < min_agreement) or (p < alpha))
        rows.append({"parent": parent, "node": node, "n": len(w), "mean": float(np.mean(raw)),
                     "median": float(np.median(raw)), "q1": float(q1), "q3": float(q3), "iqr": float(q3 - q1),
                     "cv": cv, "pct_agreement": pct, "college_p_value": p, "contested": contested,
                     "method_p_value": pm, "college_test": "order" if by_order else "weights",
                     "not_estimable": why})
    return pd.DataFrame(rows)


def _kruskal(g: pd.DataFrame, by: str, value: str, stats) -> float:
    """Kruskal–Wallis p-value between the groups ``by`` of >= 2 members (NaN if not testable)."""
    samples = [x[value].to_numpy() for _, x in g.groupby(by) if len(x) >= 2]
    if len(samples) >= 2 and len(np.unique(np.concatenate(samples))) > 1:
        return float(stats.kruskal(*samples).pvalue)
    return np.nan


def contested_nodes(weights, lang: str = "fr", **thresholds) -> pd.DataFrame:
    """The contested nodes of :func:`agreement_table`, with the reason, most dispersed first.

    Returns
    -------
    DataFrame
        ``parent, node, cv, pct_agreement, college_p_value, reason`` where ``reason``
        names the criteria met (French by default, English with ``lang="en"``).
    """
    table = agreement_table(weights, **thresholds)
    max_cv = thresholds.get("max_cv", 0.5)
    min_ag = thresholds.get("min_agreement", 0.6)
    alpha = thresholds.get("alpha", 0.05)
    words = {"fr": ("forte dispersion", "accord faible", "désaccord entre collèges"),
             "en": ("high dispersion", "low agreement", "colleges disagree")}["en" if lang == "en" else "fr"]
    out = table[table["contested"]].copy()
    out["reason"] = [
        ", ".join(w for w, c in zip(words, (r.cv > max_cv, r.pct_agreement < min_ag, r.college_p_value < alpha),
                                    strict=True) if c)
        for r in out.itertuples()
    ]
    out = out.sort_values("cv", ascending=False)
    return out[["parent", "node", "cv", "pct_agreement", "college_p_value", "reason"]].reset_index(drop=True)


def group_agreement(weights) -> pd.DataFrame:
    """Agreement within each group of sibling nodes judged.

    Returns
    -------
    DataFrame
        ``parent, n_raters, n_items, kendall_w, kendall_p, icc2, icc2k, alpha_interval``:
        Kendall's W on the participants' weights (ranked per participant), ICC
        (absolute agreement, items as targets, participants as raters) and
        Krippendorff's alpha (interval). NaN when fewer than 2 raters or items.
    """
    pw = _pw(weights)
    rows = []
    for parent, g in pw.groupby("parent", sort=False):
        wide = g.pivot(index="participant", columns="node", values="weight")
        m, k = wide.shape
        row = {"parent": parent, "n_raters": m, "n_items": k, "kendall_w": np.nan, "kendall_p": np.nan,
               "icc2": np.nan, "icc2k": np.nan, "alpha_interval": np.nan}
        if m >= 2 and k >= 2:
            x = wide.to_numpy(dtype=float)
            kw = kendall_w_core(x)
            row["kendall_w"], row["kendall_p"] = kw[0], kw[3]
            if k >= 2 and np.ptp(x) > 0:
                ic = icc_core(x.T).set_index("type")["icc"]
                row["icc2"], row["icc2k"] = ic["ICC2"], ic["ICC2k"]
                row["alpha_interval"] = krippendorff_alpha(x, "interval")
        rows.append(row)
    return pd.DataFrame(rows)


def college_disagreement(ws) -> pd.DataFrame:
    """How far each college's weights are from the combined weights.

    Parameters
    ----------
    ws : WeightSet
        Built by :func:`aggregate` with ``by="college"``.

    Returns
    -------
    DataFrame
        ``college, n_participants, distance, max_distance, within_iqr``, sorted by
        decreasing ``distance``: the mean over the groups it judged of the total
        variation distance :math:`\\frac12\\sum_k |w_{c,k} - w_k|` between the college's
        weights and the combined ones (0 = same, 1 = disjoint), its maximum, and the
        mean interquartile range of its members' weights (internal dispersion).
    """
    if ws.by_college.empty:
        bad_param("ws", "a WeightSet aggregated by college", repr(ws), WeightingError)
    bc = ws.by_college.copy()
    bc["combined"] = ws.local.reindex(bc["node"]).to_numpy()
    bc["gap"] = (bc["weight"] - bc["combined"]).abs()
    per_group = bc.groupby(["college", "parent"])["gap"].sum() / 2.0
    pw = ws.by_participant
    iqr = pw.groupby(["college", "node"])["weight"].agg(lambda s: np.subtract(*np.percentile(s, [75, 25])))
    out = pd.DataFrame({
        "distance": per_group.groupby("college").mean(),
        "max_distance": per_group.groupby("college").max(),
        "within_iqr": iqr.groupby("college").mean(),
        "n_participants": pw.groupby("college")["participant"].nunique(),
    }).reset_index().rename(columns={"index": "college"})
    return out[["college", "n_participants", "distance", "max_distance", "within_iqr"]].sort_values(
        "distance", ascending=False).reset_index(drop=True)
