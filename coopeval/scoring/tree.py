"""The framework tree evaluated for a batch of weight samples (pure numpy core).

:func:`evaluate` scores the internal nodes of a :class:`~coopeval.scoring.plan.Plan` with the
methods of :mod:`coopeval.scoring.aggregate` for ``S`` weight vectors at once (scoring: ``S = 1``;
Monte Carlo: a chunk of samples), bottom-up:

- a subtree aggregated arithmetically throughout with complete data: one matrix product with the
  products of local weights down the tree (the weighted sum is linear);
- the nodes whose children are all indicators, aggregated by a power mean: one batch per power
  ``p`` (:func:`_leaf_batch`: a stack of matrix products over children padded with zeros, one
  division, one search for missing scores) instead of one pass per node;
- every other node on its own (:func:`_node`): its indicators by one matrix product, its internal
  children one by one.

A power-mean node keeps its mean of transformed scores ``x = sum(w f(c)) / sum(w)`` (``f`` is
``log`` or ``c**p``) beside its score ``f^-1(x)``: a parent with the same power adds ``x``
directly instead of ``f(f^-1(x))`` (a geometric mean of geometric means adds logarithms, with no
``log(exp(x))`` round trip, which the mathematics does not have either), and the score itself
is computed only where it is read (a reported node, a parent with another method).
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from coopeval.scoring.missing import TOL, apply_policy
from coopeval.scoring.plan import Plan

__all__ = ["MatrixInputs", "evaluate", "matrix_inputs"]


def _fwd(x: np.ndarray, p: float) -> np.ndarray:
    """``log x`` or ``x**p`` (under :func:`evaluate`'s error state)."""
    if p == 1.0:
        return x
    return np.log(x) if p == 0.0 else np.power(x, p)


def _inv(x: np.ndarray, p: float) -> np.ndarray:
    """``exp x`` or ``x**(1/p)`` (under :func:`evaluate`'s error state)."""
    if p == 1.0:
        return x
    return np.exp(x) if p == 0.0 else np.power(x, 1.0 / p)


def _linear(plan: Plan, node: str, methods: dict, complete: dict) -> bool:
    return complete[node] and all(
        methods[n] == ("power", 1.0) for n in plan.children if set(plan.leaves[n]) <= set(plan.leaves[node])
    )


class MatrixInputs:
    """What every node takes from the indicator matrix ``v`` (it does not depend on the weights):
    the mask of observed values, per power ``p`` the transformed values (``log x``, ``x**p``) with 0
    where a value is missing, and, per node, their columns and which nodes an evaluation needs.

    Built once per :func:`evaluate` call, or once per read-only matrix (:func:`_indicators`: a
    prepared matrix is scored many times). ``v`` is held by a weak reference, so that the cache
    does not keep matrices alive.
    """

    def __init__(self, v: np.ndarray):
        self._v = weakref.ref(v)
        self.shape = v.shape
        self.observed = ~np.isnan(v)
        self.nan_cols = ~self.observed.all(axis=0)
        self._transformed: dict[float, np.ndarray] = {}
        self._memo: dict[tuple, Any] = {}
        self._plans: dict[int, Plan] = {}  # the plans whose ids key the memo, kept so that the ids stay theirs

    @property
    def v(self) -> np.ndarray:
        v = self._v()
        if v is None:  # pragma: no cover - the caller holds the matrix while it is evaluated
            raise RuntimeError("the matrix of these indicators no longer exists")
        return v

    def transformed(self, p: float) -> np.ndarray:
        if p not in self._transformed:
            self._transformed[p] = np.where(self.observed, _fwd(np.where(self.observed, self.v, 1.0), p), 0.0)
        return self._transformed[p]

    def memo(self, plan: Plan | None, key: tuple, build: Callable[[], Any]) -> Any:
        """``build()`` once per plan (None: what depends on ``v`` alone) and key."""
        full = (None if plan is None else id(plan), *key)
        if full not in self._memo:
            if plan is not None:
                self._plans[id(plan)] = plan
            self._memo[full] = build()
        return self._memo[full]

    def node_inputs(self, plan: Plan, node: str, p: float | None) -> tuple:
        """What :func:`_node` reads of a node, found once per plan, node and power ``p`` (None: the
        minimum): its indicator and internal children (ids), their columns in the weights, every
        child's column, whether its indicators are all observed, and the observed mask (1.0 or
        0.0) and transformed values (None without ``p``) of its indicators, transposed (children x
        rows) for the weights' matrix product."""
        def build() -> tuple:
            leaf, inner, cols, leaf_pos, inner_pos, kid_pos = plan.parts(node)
            return (leaf, inner, leaf_pos, inner_pos, kid_pos, not self.nan_cols[cols].any(),
                    self.observed[:, cols].astype(float).T, None if p is None else self.transformed(p)[:, cols].T)

        return self.memo(plan, ("node", node, p), build)

    def col_min(self) -> np.ndarray:
        """Each indicator's smallest observed score (NaN for an indicator never observed)."""
        v = self.v
        return self.memo(None, ("col_min",), lambda: np.fmin.reduce(v, axis=0) if v.shape[0]
                         else np.full(v.shape[1], np.nan))


_CACHE: dict[int, MatrixInputs] = {}


def matrix_inputs(v: np.ndarray) -> MatrixInputs:
    """:class:`MatrixInputs` of ``v``: memoised for a read-only matrix that owns its data (a prepared
    matrix's normalised values, :func:`coopeval.scoring.normalise.normalised`), new otherwise."""
    if v.flags.writeable or not v.flags.owndata:
        return MatrixInputs(v)
    key = id(v)
    ind = _CACHE.get(key)
    if ind is None or ind.v is not v:
        ind = MatrixInputs(v)
        _CACHE[key] = ind
        weakref.finalize(v, _CACHE.pop, key, None)  # the entry dies with the matrix
    return ind


def _minimum_low(plan, leaf, inner, ind, w, done) -> np.ndarray:
    """Smallest child score among children of positive weight (inf where there is none)."""
    low = np.full((w.shape[0], ind.shape[0]), np.inf)
    for k in leaf:
        j = plan.ind_pos[k]
        ok = (w[:, plan.node_pos[k], None] > 0) & ind.observed[None, :, j]
        np.minimum(low, np.where(ok, ind.v[None, :, j], np.inf), out=low)
    for k in inner:
        c = done[k][0]
        np.minimum(low, np.where((w[:, plan.node_pos[k], None] > 0) & ~np.isnan(c), c, np.inf), out=low)
    return low


def _node(plan, node, ind, w, methods, done, min_coverage, coverage=True):
    """Score, reported coverage (None when ``coverage`` is False) and completeness (no missing
    score) of one internal node.

    The sums run over the children with a score: indicators by one matrix product with the
    masked transformed values (:class:`MatrixInputs`), internal children one by one (a child
    without a missing score skips its masks). With every child scored everywhere, or
    ``min_coverage`` 0, the missing-data policy changes nothing and is skipped (a node whose
    children all miss has a 0 / 0 score, NaN, as the policy would give). Same numbers as one
    masked sum per child, in the same order. The caller sets numpy's error state (0 / 0 gives NaN).
    """
    kind, p = methods[node]
    leaf, inner, leaf_pos, inner_pos, kid_pos, observed_all, observed, transformed = ind.node_inputs(
        plan, node, p if kind == "power" else None)
    whole = observed_all and all(done[k][2] for k in inner)
    s, r = w.shape[0], ind.shape[0]
    deep = None
    if leaf:
        wk = w[:, leaf_pos]
        den = wk @ observed
        if coverage:
            deep = den.copy() if inner else den  # weight carried by the data beneath (reported coverage)
        num = wk @ transformed if kind == "power" else None
    else:
        den = np.zeros((s, r))
        deep = np.zeros((s, r)) if coverage else None
        num = np.zeros((s, r)) if kind == "power" else None
    for k, j in zip(inner, inner_pos, strict=True):
        c, cov_k, full = done[k]
        wk = w[:, j, None]
        if full:
            den += wk
            if deep is not None:
                deep += wk * cov_k
            if num is not None:
                num += wk * _fwd(c, p)
            continue
        m = ~np.isnan(c)
        den += wk * m
        if deep is not None:
            deep += wk * np.where(m, cov_k, 0.0)
        if num is not None:
            num += wk * np.where(m, _fwd(np.where(m, c, 1.0), p), 0.0)
    if num is not None:
        score = _inv(num / den, p)
    else:
        low = _minimum_low(plan, leaf, inner, ind, w, done)
        score = np.where(np.isinf(low), np.nan, low)
    policy = not whole and min_coverage > TOL  # the missing-data policy looks at the children
    total = w[:, kid_pos].sum(axis=1, keepdims=True) if coverage or policy else None
    if policy:
        score = apply_policy(score, den / total, min_coverage)
    # the coverage reported propagates up the tree
    return score, deep / total if coverage else None, not np.isnan(score).any()


def _needed(plan: Plan, ind: MatrixInputs, methods: dict, want: list[str]) -> tuple[set[str], set[str]]:
    """The nodes an evaluation of ``want`` computes, and those among them computed as one weighted sum
    of their indicators (linear subtree with complete data)."""
    complete = {n: not ind.nan_cols[plan.leaf_cols(n)].any() for n in plan.children}
    need: set[str] = set()
    shortcut: set[str] = set()
    stack = list(want)
    while stack:
        n = stack.pop()
        if n in need:
            continue
        need.add(n)
        if _linear(plan, n, methods, complete):
            shortcut.add(n)
        else:
            stack.extend(k for k in plan.children[n] if k in plan.children)
    return need, shortcut


def evaluate(
    plan: Plan,
    v: np.ndarray,
    w: np.ndarray,
    methods: dict,
    *,
    min_coverage: float = 0.5,
    want: list[str] | None = None,
    coverage: bool = True,
) -> dict[str, tuple[np.ndarray, np.ndarray | None]]:
    """Score internal nodes for a batch of weight vectors (pure numpy core).

    Parameters
    ----------
    plan : Plan
    v : numpy.ndarray, shape (n_rows, n_indicators)
        Normalised indicator scores, NaN where missing.
    w : numpy.ndarray, shape (n_samples, n_nodes)
        Local weights, normalised within sibling groups.
    methods : dict
        From :func:`resolve_methods`.
    min_coverage : float
        Coverage threshold of the missing-data policy.
    want : list of str, optional
        Internal nodes to return (default: all). Only what they need is computed.
    coverage : bool
        Compute the coverage (False: None in its place, for callers that read scores only).

    Returns
    -------
    dict
        Node id -> ``(score, coverage)``, two arrays of shape (n_samples, n_rows). The coverage
        propagates up the tree: a node's coverage is the weighted mean of its children's
        coverage (an indicator: 1 if observed, else 0), so a dimension whose criterion is half
        covered is not shown as fully covered. The missing-data policy (``min_coverage``) applies
        to the share of the children's weight that has a score.
    """
    want = list(plan.internal) if want is None else list(want)
    ind = matrix_inputs(v)
    need, shortcut = ind.memo(plan, ("need", tuple(want), tuple(methods.items())),
                              lambda: _needed(plan, ind, methods, want))
    done: dict[str, tuple[np.ndarray, np.ndarray | None, bool]] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # 0 / 0, log 0, overflow: NaN, -inf, inf
        for n in plan.internal:
            if n not in need:
                continue
            if n in shortcut:
                _, eff = plan.effective_weights(w, n)
                score = eff @ v[:, plan.leaf_cols(n)].T
                done[n] = (score, np.broadcast_to(1.0, score.shape) if coverage else None, True)
            else:
                done[n] = _node(plan, n, ind, w, methods, done, min_coverage, coverage)
    return {n: done[n][:2] for n in want}
