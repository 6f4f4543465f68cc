"""Effective importance of indicators and nodes, compared with their nominal weights, and weights
optimised to reach a target importance.

A nominal weight says little about how much a component drives the index: correlations between
components and their spreads matter as much (Paruolo, Saisana & Saltelli 2013). Two measures of
importance of a component ``x_i`` for an aggregate ``y`` (over units, wave by wave):

- Pearson's correlation ``r_i = corr(x_i, y)`` (COINr's ``get_corr`` / ``get_opt_weights``);
- the *correlation ratio* or first-order sensitivity index ``S_i = V[E(y | x_i)] / V(y)``: the
  share of the variance of ``y`` explained by ``x_i`` alone, linear or not. ``E(y | x_i)`` is
  estimated by a penalised cubic B-spline regression (P-spline, Eilers & Marx 1996; 2nd-order
  difference penalty, smoothing chosen by generalised cross-validation), as Becker et al. (2017)
  do with penalised splines.

Each measure is normalised to sum to one over the components compared and set against the
normalised nominal weight (the product of local weights from the aggregate down to the
component): ``ratio = importance / weight`` far below 1 flags a criterion that weighs heavily on
paper but hardly moves the score. :func:`optimise_weights` searches the local weights of a node's
children whose normalised importance is closest to a target (``"equal"`` or given), minimising
``sum_i (target_i - importance_i)^2 / n`` by Nelder-Mead on log-weights (COINr's
``get_opt_weights(optype = "balance")``, Becker et al. 2017 section 3).

References
----------
Becker, W., Saisana, M., Paruolo, P., Vandecasteele, I. (2017). Weights and importance in
composite indicators: Closing the gap. *Ecological Indicators*, 80, 12–22.
https://doi.org/10.1016/j.ecolind.2017.03.056
Paruolo, P., Saisana, M., Saltelli, A. (2013). Ratings and rankings: voodoo or science? *Journal
of the Royal Statistical Society A*, 176(3), 609–634.
Eilers, P. H. C., Marx, B. D. (1996). Flexible smoothing with B-splines and penalties.
*Statistical Science*, 11(2), 89–121.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, bad_param
from coopeval.framework import Framework
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.weights import local_weights

__all__ = ["WeightOptimisation", "correlation_ratio", "importance", "optimise_weights"]

MEASURES = ("pearson", "correlation_ratio")
IMPORTANCE_COLUMNS = ["wave", "node", "level", "parent", "n", "weight", "pearson", "correlation_ratio",
                      "importance", "ratio"]


def _basis(x: np.ndarray, n_inner: int) -> np.ndarray:
    lo, hi = x.min(), x.max()
    inner = np.unique(np.quantile(x, np.linspace(0, 1, n_inner + 2)[1:-1]))
    t = np.r_[[lo] * 4, inner[(inner > lo) & (inner < hi)], [hi] * 4]
    # scipy.interpolate is imported on use: it takes ~1.5 s to import
    from scipy.interpolate import BSpline

    return BSpline.design_matrix(np.clip(x, lo, hi), t, 3).toarray()


def correlation_ratio(x: np.ndarray, y: np.ndarray, *, n_knots: int | None = None) -> float:
    """First-order sensitivity ``V[E(y|x)] / V(y)`` estimated by a P-spline (GCV-chosen smoothing).

    Parameters
    ----------
    x, y : array-like
        Paired values (pairs with a NaN are dropped).
    n_knots : int, optional
        Inner knots at quantiles of ``x`` (default ``min(20, max(3, n // 8))``).

    Returns
    -------
    float
        In [0, 1]; NaN with fewer than 5 pairs or a constant ``x`` or ``y``.

    Examples
    --------
    >>> import numpy as np
    >>> from coopeval.scoring.influence import correlation_ratio
    >>> rng = np.random.default_rng(0)
    >>> x1, x2 = rng.normal(size=(2, 4000))
    >>> round(correlation_ratio(x1, x1 + 2 * x2), 1)  # 1 / (1 + 4)
    0.2
    """
    x, y = np.asarray(x, dtype=float), np.asarray(y, dtype=float)
    ok = ~(np.isnan(x) | np.isnan(y))
    x, y = x[ok], y[ok]
    n = len(x)
    if n < 5 or np.ptp(x) == 0 or np.ptp(y) == 0:
        return float("nan")
    b = _basis(x, n_knots if n_knots is not None else min(20, max(3, n // 8)))
    k = b.shape[1]
    d = np.diff(np.eye(k), n=2, axis=0)
    btb, bty, p = b.T @ b, b.T @ y, d.T @ d
    best: tuple[float, np.ndarray | None] = (np.inf, None)
    for lam in 10.0 ** np.arange(-6, 6.5, 0.5):
        a = btb + lam * p
        try:
            coef = np.linalg.solve(a, bty)
        except np.linalg.LinAlgError:
            continue
        fit = b @ coef
        edf = np.trace(np.linalg.solve(a, btb))
        gcv = n * np.sum((y - fit) ** 2) / max(n - edf, 1e-9) ** 2
        if gcv < best[0]:
            best = (gcv, fit)
    smooth = best[1]
    if smooth is None:  # no penalty gave a solvable system (x is not constant: not reached in practice)
        return float("nan")
    return float(np.clip(np.var(smooth) / np.var(y), 0.0, 1.0))


def _nominal(fw: Framework, plan, weights: Any, target: str, nodes: list[str]) -> pd.Series:
    w = pd.Series(local_weights(fw, plan, weights), index=plan.nodes)
    out = {}
    for n in nodes:
        prod, cur = 1.0, n
        while cur != target:
            prod *= w[cur]
            cur = plan.parent[cur]
        out[n] = prod
    s = pd.Series(out)
    return s / s.sum()


def _below(plan, target: str, level: str) -> list[str]:
    out, stack = [], list(plan.children.get(target, []))
    while stack:
        n = stack.pop(0)
        if level == "children" or plan.level[n] == level:
            out.append(n)
        elif n in plan.children:
            stack = list(plan.children[n]) + stack
    return out


def importance(
    scores: pd.DataFrame,
    fw: Framework,
    *,
    node: str = "overall",
    level: str = "indicator",
    weights: Any = None,
    measure: str = "correlation_ratio",
) -> pd.DataFrame:
    """Importance of the components of a node (its indicators, or another level) vs nominal weights.

    Parameters
    ----------
    scores : pandas.DataFrame
        The Scores contract (``unit, wave, node, score``), e.g. from :func:`coopeval.score`.
    fw : Framework
        The tree the scores come from.
    node : str
        The aggregate (default the overall score).
    level : str
        The components compared: ``indicator``, ``criterion``, ``dimension`` under ``node``, or
        ``children`` (its direct children).
    weights : optional
        The weights used to score (as in :func:`coopeval.score`); the framework's by default.
    measure : str
        Normalised in ``importance``: ``correlation_ratio`` (default) or ``pearson``.

    Returns
    -------
    pandas.DataFrame
        One row per wave and component: ``wave, node, level, parent``, ``n`` (units),
        ``weight`` (nominal weight in ``node``, normalised to sum to 1), ``pearson`` (r with the
        aggregate), ``correlation_ratio`` (S), ``importance`` (the chosen measure normalised to
        sum to 1; negative correlations count as 0) and ``ratio = importance / weight``.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> from coopeval.scoring import importance
    >>> fw = ce.load_framework("cooperation_territoriale").select(dimensions=["economie"])
    >>> obs = ce.datasets.load("panel_synthetique")["observations"]
    >>> sc = ce.score(obs, fw, min_coverage=0)
    >>> imp = importance(sc, fw, level="criterion")
    >>> sorted(imp.columns) == sorted(["wave", "node", "level", "parent", "n", "weight", "pearson",
    ...                                 "correlation_ratio", "importance", "ratio"])
    True
    """
    if not isinstance(fw, Framework):
        bad_param("fw", "a Framework", type(fw).__name__, ScoringError)
    if measure not in MEASURES:
        bad_param("measure", f"one of {', '.join(MEASURES)}", measure, ScoringError)
    plan = compile_plan(fw)
    if node != "overall" and node not in plan.children:
        bad_param("node", "an internal node of the framework (or 'overall')", node, ScoringError)
    comps = _below(plan, node, level)
    if not comps:
        bad_param("level", f"a level below `{node}` (indicator, criterion, dimension, children)", level, ScoringError)
    for c in ("unit", "wave", "node", "score"):
        if c not in scores.columns:
            bad_param("scores", "the Scores contract (unit, wave, node, score)", list(scores.columns), ScoringError)
    w = _nominal(fw, plan, weights, node, comps)
    rows = []
    for wave, sub in scores.groupby("wave", sort=True):
        wide = sub.pivot_table(index="unit", columns="node", values="score", aggfunc="first")
        y = wide[node].to_numpy(dtype=float) if node in wide else np.full(len(wide), np.nan)
        for c in comps:
            x = wide[c].to_numpy(dtype=float) if c in wide else np.full(len(wide), np.nan)
            ok = ~(np.isnan(x) | np.isnan(y))
            r = float(np.corrcoef(x[ok], y[ok])[0, 1]) if ok.sum() > 2 and np.ptp(x[ok]) > 0 else np.nan
            rows.append({"wave": wave, "node": c, "level": plan.level[c], "parent": plan.parent[c],
                         "n": int(ok.sum()), "weight": w[c], "pearson": r, "correlation_ratio": correlation_ratio(x, y)})
    out = pd.DataFrame(rows)
    raw = out[measure].clip(lower=0)
    out["importance"] = raw / raw.groupby(out["wave"]).transform("sum")
    out["ratio"] = out["importance"] / out["weight"]
    return out[IMPORTANCE_COLUMNS]


@dataclass(frozen=True)
class WeightOptimisation:
    """Result of :func:`optimise_weights`.

    Attributes
    ----------
    weights : dict
        Optimised local weights of the node's children (sum to 1), to pass to
        :func:`coopeval.score` (merged with the other weights).
    report : pandas.DataFrame
        One row per child: ``node, weight_before, weight_after, target, importance_before,
        importance_after`` (normalised importance).
    objective : float
        ``sum (target - importance)^2 / n`` at the optimum (``objective_before`` at the start).
    objective_before : float
    success : bool
        Whether the optimiser converged.
    """

    weights: dict
    report: pd.DataFrame
    objective: float
    objective_before: float
    success: bool


def optimise_weights(
    obs: pd.DataFrame,
    fw: Framework,
    *,
    node: str = "overall",
    target: str | Mapping[str, float] = "equal",
    measure: str = "pearson",
    weights: Mapping[str, float] | None = None,
    wave: Any = None,
    max_iter: int = 400,
    **score_kwargs: Any,
) -> WeightOptimisation:
    """Weights of a node's children whose importance for the overall score best matches a target.

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations, scored with :func:`coopeval.score` and ``score_kwargs``
        (normalisation, aggregation, min_coverage…) at every step.
    fw : Framework
    node : str
        The node whose children's weights are optimised (``overall``: the dimensions).
    target : "equal" or mapping
        Target importance of each child (normalised to sum to 1).
    measure : str
        ``pearson`` (COINr's choice) or ``correlation_ratio`` (Becker et al. 2017).
    weights : mapping, optional
        Other weights kept fixed.
    wave : optional
        The wave used (default: the last one).

    Returns
    -------
    WeightOptimisation

    Examples
    --------
    >>> import coopeval as ce
    >>> from coopeval.scoring import optimise_weights
    >>> fw = ce.load_framework("cooperation_territoriale").select(dimensions=["economie", "social"])
    >>> obs = ce.datasets.load("panel_synthetique")["observations"]
    >>> opt = optimise_weights(obs, fw, min_coverage=0)
    >>> opt.objective <= opt.objective_before
    True
    """
    from coopeval.scoring.engine import score

    plan = compile_plan(fw)
    if measure not in MEASURES:
        bad_param("measure", f"one of {', '.join(MEASURES)}", measure, ScoringError)
    if node not in plan.children:
        bad_param("node", "an internal node of the framework", node, ScoringError)
    kids = list(plan.children[node])
    if isinstance(target, str) and target == "equal":
        tgt = np.full(len(kids), 1.0 / len(kids))
    elif isinstance(target, Mapping) and set(target) == set(kids):
        tgt = np.array([float(target[k]) for k in kids])
        if (tgt < 0).any() or tgt.sum() <= 0:
            bad_param("target", "non-negative importances", dict(target), ScoringError)
        tgt = tgt / tgt.sum()
    else:
        bad_param("target", f"'equal' or a mapping over {kids}", target, ScoringError)
    data = obs
    if "wave" in obs.columns:
        data = obs[obs["wave"] == (wave if wave is not None else sorted(obs["wave"].unique())[-1])]
    fixed = dict(weights or {})

    def imp(w: np.ndarray) -> np.ndarray:
        sc = score(data, fw, weights={**fixed, **dict(zip(kids, w, strict=True))}, **score_kwargs)
        wide = sc.pivot_table(index="unit", columns="node", values="score", aggfunc="first")
        y = wide["overall"].to_numpy()
        vals = []
        for k in kids:
            x = wide[k].to_numpy()
            ok = ~(np.isnan(x) | np.isnan(y))
            vals.append(np.corrcoef(x[ok], y[ok])[0, 1] if measure == "pearson" else correlation_ratio(x[ok], y[ok]))
        v = np.clip(np.nan_to_num(np.array(vals)), 0, None)
        return v / v.sum() if v.sum() > 0 else v

    def objective(z: np.ndarray) -> float:
        w = np.exp(z - z.max())
        return float(np.mean((tgt - imp(w / w.sum())) ** 2))

    w0 = pd.Series(local_weights(fw, plan, fixed or None), index=plan.nodes)[kids].to_numpy()
    before = imp(w0)
    start = np.log(np.clip(tgt, 1e-6, None))
    from scipy.optimize import minimize  # imported on use: slow to import

    res = minimize(objective, start, method="Nelder-Mead",
                   options={"maxiter": max_iter, "xatol": 1e-4, "fatol": 1e-10})
    w = np.exp(res.x - res.x.max())
    w = w / w.sum()
    after = imp(w)
    report = pd.DataFrame({"node": kids, "weight_before": w0, "weight_after": w, "target": tgt,
                           "importance_before": before, "importance_after": after})
    return WeightOptimisation(dict(zip(kids, w.tolist(), strict=True)), report, float(np.mean((tgt - after) ** 2)),
                              float(np.mean((tgt - before) ** 2)), bool(res.success))
