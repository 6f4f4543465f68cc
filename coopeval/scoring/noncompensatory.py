"""Non-compensatory ranking of units: Copeland and Condorcet–Kemeny.

For those who refuse trade-offs between indicators (a loss on one cannot be bought
back by a gain on another), units are compared pair by pair. The weight of an
indicator is a number of "votes", not a rate of substitution. For units ``a`` and
``b`` of the same wave, the outranking matrix is::

    e(a, b) = sum_j w_j [x_aj > x_bj] + 1/2 sum_j w_j [x_aj = x_bj]

over the indicators observed for both (weights rescaled to sum to one), so that
``e(a, b) + e(b, a) = 1``. ``a`` beats ``b`` when ``e(a, b) > 1/2``.

- **Copeland**: score = wins − defeats; ranks by decreasing score (ties share the best rank).
- **Condorcet–Kemeny**: the ranking maximising ``sum e(a, b)`` over the pairs ranked
  ``a`` before ``b``, found by exhaustive search (so limited to ``max_units`` units per wave;
  the problem is NP-hard).

References
----------
Munda, G., Nardo, M. (2009). Noncompensatory/nonlinear composite indicators for ranking
countries: a defensible setting. *Applied Economics*, 41(12), 1513–1523.
Kemeny, J. G. (1959). Mathematics without numbers. *Daedalus*, 88(4), 577–591.
Copeland, A. H. (1951). A "reasonable" social welfare function. Seminar on applications of
mathematics to social sciences, University of Michigan.
"""

from __future__ import annotations

import itertools
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, bad_param
from coopeval.framework import ROOT, Framework
from coopeval.scoring.matrix import to_matrix
from coopeval.scoring.normalise import check_method, check_range, indicator_meta, normalise_matrix
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.weights import local_weights

__all__ = ["copeland_scores", "kemeny_order", "outranking_matrix", "rank_noncompensatory"]


def outranking_matrix(x: np.ndarray, w: np.ndarray) -> np.ndarray:
    """Outranking matrix ``e`` of the rows of ``x`` (units x indicators, NaN = missing), weights ``w``."""
    ok = ~np.isnan(x)
    both = ok[:, None, :] & ok[None, :, :]
    wb = np.where(both, w[None, None, :], 0.0)
    with np.errstate(invalid="ignore"):
        gt = (x[:, None, :] > x[None, :, :]) & both
        eq = (x[:, None, :] == x[None, :, :]) & both
    total = wb.sum(axis=2)
    with np.errstate(invalid="ignore", divide="ignore"):
        e = ((wb * gt).sum(axis=2) + 0.5 * (wb * eq).sum(axis=2)) / total
    np.fill_diagonal(e, 0.5)
    return np.where(total > 0, e, 0.5)


def copeland_scores(e: np.ndarray) -> np.ndarray:
    """Wins minus defeats from an outranking matrix."""
    win = (e > 0.5 + 1e-12).sum(axis=1)
    loss = (e < 0.5 - 1e-12).sum(axis=1)
    return (win - loss).astype(float)


def kemeny_order(e: np.ndarray) -> tuple[list[int], float]:
    """The order (indices, best first) maximising the sum of ``e(a, b)`` over ordered pairs, and that sum.

    Exhaustive search; ties are broken by the first permutation found in lexicographic order.
    """
    n = e.shape[0]
    best, best_val = list(range(n)), -np.inf
    for perm in itertools.permutations(range(n)):
        p = np.array(perm)
        val = float(np.triu(e[np.ix_(p, p)], k=1).sum())
        if val > best_val + 1e-12:
            best, best_val = list(perm), val
    return best, best_val


def rank_noncompensatory(
    obs: pd.DataFrame,
    fw: Framework,
    weights: Any = None,
    method: str = "copeland",
    *,
    node: str = ROOT,
    normalisation: str = "goalposts",
    output_range: tuple[float, float] = (0, 100),
    max_units: int = 8,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> pd.DataFrame:
    """Rank units within each wave without compensation between indicators.

    Parameters
    ----------
    obs, fw, weights, normalisation, output_range
        As for :func:`coopeval.score`; indicators are compared on their normalised scores
        (direction and target applied), with their global weights under ``node``.
    method : ``"copeland"`` or ``"kemeny"``
    node : str
        The node whose indicators are compared (default: the whole framework).
    max_units : int
        Largest number of units per wave for ``kemeny`` (exhaustive search: ``n!`` orders).

    Returns
    -------
    pandas.DataFrame
        ``unit, wave, method, score, rank``: ``score`` is the Copeland score (wins − defeats)
        or, for Kemeny, the support of the chosen order (the same for every unit of the wave);
        ``rank`` is 1 for the best.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> from coopeval.scoring import rank_noncompensatory
    >>> fw = ce.load_framework("cooperation_territoriale").select(criteria=["solidite_financiere"])
    >>> obs = pd.DataFrame({"unit": list("aaabbb"), "wave": 1,
    ...     "indicator": ["autofinancement", "mois_tresorerie", "resultat_net"] * 2,
    ...     "value": [0.6, 3.0, 0.05, 0.4, 6.0, 0.02]})
    >>> rank_noncompensatory(obs, fw)[["unit", "score", "rank"]].to_numpy().tolist()
    [['a', 1.0, 1], ['b', -1.0, 2]]
    """
    if method not in ("copeland", "kemeny"):
        bad_param("method", "'copeland' or 'kemeny'", method, ScoringError)
    plan = compile_plan(fw)
    if node not in plan.children:
        bad_param("node", "an internal node id (dimension, criterion or 'overall')", node, ScoringError)
    check_method(normalisation)
    rng = check_range(output_range)
    w = local_weights(fw, plan, weights)[None, :]
    leaves, eff = plan.effective_weights(w, node)
    dm = to_matrix(obs, plan, unit=unit, wave=wave, indicator=indicator, value=value)
    v = normalise_matrix(dm.values, indicator_meta(fw, plan), dm.wave_index, normalisation, rng)
    v = v[:, [plan.ind_pos[i] for i in leaves]]
    blocks = []
    for wv, rows in zip(dm.waves, dm.wave_rows(), strict=True):
        e = outranking_matrix(v[rows], eff[0])
        if method == "copeland":
            score = copeland_scores(e)
            rank = pd.Series(-score).rank(method="min").astype(int).to_numpy()
        else:
            if len(rows) > max_units:
                raise ScoringError(
                    f"method 'kemeny': expected at most max_units={max_units} units in wave {wv!r}, got "
                    f"{len(rows)} (use method='copeland' or raise max_units; the search costs n!)"
                )
            order, support = kemeny_order(e)
            rank = np.empty(len(rows), dtype=int)
            rank[order] = np.arange(1, len(rows) + 1)
            score = np.full(len(rows), support)
        blocks.append(pd.DataFrame({"unit": dm.rows["unit"].to_numpy()[rows], "wave": wv, "method": method,
                                    "score": score, "rank": rank}))
    out = pd.concat(blocks, ignore_index=True)
    return out.sort_values(["wave", "rank", "unit"], kind="stable").reset_index(drop=True)
