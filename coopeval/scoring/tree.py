"""The framework tree evaluated for a batch of weight samples (pure numpy core).

:func:`evaluate` scores the internal nodes of a :class:`~coopeval.scoring.plan.Plan` with the
methods of :mod:`coopeval.scoring.aggregate` for ``S`` weight vectors at once (scoring: ``S = 1``;
Monte Carlo: a chunk of samples), bottom-up:

- a subtree aggregated arithmetically throughout with complete data: one matrix product with the
  products of local weights down the tree (the weighted sum is linear);
- the nodes whose children are all indicators, aggregated by a power mean: one batch per power
  ``p`` and number of children (:func:`_leaf_batch`: a stack of matrix products, one division,
  one search for missing scores) instead of one pass per node;
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

    Built once per :func:`evaluate` call, or once per read-only matrix (:func:`matrix_inputs`: a
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

    def leaf_batch(self, plan: Plan, nodes: tuple[str, ...], p: float) -> tuple:
        """What :func:`_leaf_batch` reads of nodes that have the same number ``k`` of children, all
        indicators, found once per plan, nodes and power ``p``: their indicators' columns in the
        weights (nodes x k), whether each node's indicators are all observed, and the observed mask
        (1.0 or 0.0) and transformed values of their indicators (nodes x k x rows, each node's block
        the transpose of a rows x k array, as :meth:`node_inputs` gives it: the same products, to
        the last bit)."""
        def build() -> tuple:
            parts = [plan.parts(n) for n in nodes]
            cols = np.array([pt[2] for pt in parts])  # nodes x k
            observed = self.observed[:, cols].astype(float).transpose(1, 2, 0)
            transformed = self.transformed(p)[:, cols].transpose(1, 2, 0)
            return np.array([pt[3] for pt in parts]), ~self.nan_cols[cols].any(axis=1), observed, transformed

        return self.memo(plan, ("leaf_batch", nodes, p), build)

    def col_min(self) -> np.ndarray:
        """Each indicator's smallest observed score (NaN for an indicator never observed)."""
        v = self.v
        return self.memo(None, ("col_min",), lambda: np.fmin.reduce(v, axis=0) if v.shape[0]
                         else np.full(v.shape[1], np.nan))

    def value_range(self) -> tuple[float, float]:
        """The smallest and largest observed value (NaN, NaN when none is); an empty matrix raises
        ``ValueError``.

        >>> import numpy as np
        >>> v = np.array([[np.nan, 2.0], [5.0, np.nan]])  # held by the caller (the inputs hold a weak reference)
        >>> matrix_inputs(v).value_range()
        (2.0, 5.0)
        """
        v = self.v
        return self.memo(None, ("range",), lambda: (float(np.fmin.reduce(v, axis=None)),
                                                   float(np.fmax.reduce(v, axis=None))))


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


def _node(plan, node, ind, w, methods, done, min_coverage, coverage=True, keep=True):
    """One internal node: ``(score, coverage, full, x, p)``, see :func:`evaluate` (the score is None
    when ``keep`` is False and the node has a power mean: only its parent reads it, through ``x``).

    The sums run over the children with a score: indicators by one matrix product with the
    masked transformed values (:class:`MatrixInputs`), internal children one by one (a child
    without a missing score skips its masks; a child with the same power mean gives its ``x``).
    With every child scored everywhere, or ``min_coverage`` 0, the missing-data policy changes
    nothing and is skipped (a node whose children all miss has a 0 / 0 score, NaN, as the policy
    would give). The caller sets numpy's error state (0 / 0 gives NaN).
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
        c, cov_k, full, x_k, p_k = done[k]
        wk = w[:, j, None]
        if full:
            den += wk
            if deep is not None:
                deep += wk * cov_k
            if num is not None:
                num += wk * (x_k if p_k == p else _fwd(c, p))
            continue
        m = ~np.isnan(x_k if c is None else c)
        den += wk * m
        if deep is not None:
            deep += wk * np.where(m, cov_k, 0.0)
        if num is not None:
            num += wk * np.where(m, x_k if p_k == p else _fwd(np.where(m, c, 1.0), p), 0.0)
    if num is not None:
        x = num / den
    else:
        low = _minimum_low(plan, leaf, inner, ind, w, done)
        x = np.where(np.isinf(low), np.nan, low)
    policy = not whole and min_coverage > TOL  # the missing-data policy looks at the children
    total = w[:, kid_pos].sum(axis=1, keepdims=True) if coverage or policy else None
    if policy:
        x = apply_policy(x, den / total, min_coverage)
    full = not np.isnan(x).any()
    cov = deep / total if coverage else None  # the coverage reported propagates up the tree
    if num is None:
        return x, cov, full, None, None
    return _inv(x, p) if keep else None, cov, full, x, p


def _leaf_batch(plan, nodes, p, ind, w, min_coverage, coverage, keep, done) -> None:
    """Score together ``nodes``, which have the same number of children, all indicators, and the
    power mean ``p``, into ``done`` (as :func:`_node`): one stack of matrix products (nodes x
    samples x rows) for the sums of weights and of weighted transformed values
    (:meth:`MatrixInputs.leaf_batch`), one division and one search for missing scores for all of
    them, instead of one pass per node. The same numbers as :func:`_node`: the same products (no
    padding, which would change the order of a sum), and the children's weights that the coverage
    and the missing-data policy divide by summed node by node."""
    pos, observed_all, observed, transformed = ind.leaf_batch(plan, nodes, p)
    wk = w[:, pos].transpose(1, 0, 2)  # nodes x samples x children
    den = np.matmul(wk, observed)
    x = np.matmul(wk, transformed)
    x /= den
    totals = {}
    for g, node in enumerate(nodes):
        policy = not observed_all[g] and min_coverage > TOL
        if coverage or policy:
            totals[node] = w[:, plan.parts(node)[5]].sum(axis=1, keepdims=True)
        if policy:
            x[g] = apply_policy(x[g], den[g] / totals[node], min_coverage)
    full = ~np.isnan(x).any(axis=(1, 2))
    scores = _inv(x, p) if p == 1.0 or all(n in keep for n in nodes) else None
    for g, node in enumerate(nodes):
        score = scores[g] if scores is not None else _inv(x[g], p) if node in keep else None
        done[node] = (score, den[g] / totals[node] if coverage else None, bool(full[g]), x[g], p)


def _needed(plan: Plan, ind: MatrixInputs, methods: dict, want: list[str]) -> tuple:
    """How an evaluation of ``want`` runs: the nodes it computes; those among them computed as one
    weighted sum of their indicators (linear subtree with complete data); the batches of nodes whose
    children are all indicators, per power ``p`` and number of children (:func:`_leaf_batch`); and
    the nodes whose score is read (reported, a method other than a power mean, or a parent that does
    not take ``x``)."""
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
    batches: dict[tuple[float, int], list[str]] = {}
    for n in plan.internal:
        leaf, inner = plan.parts(n)[:2]
        if n in need and n not in shortcut and methods[n][0] == "power" and leaf and not inner:
            batches.setdefault((methods[n][1], len(leaf)), []).append(n)
    keep = {n for n in need if n in want or methods[n][0] != "power"
            or plan.parent.get(n) not in need or methods[plan.parent[n]] != methods[n]}
    return need, shortcut, [(p, tuple(nodes)) for (p, _), nodes in batches.items()], keep


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

    Examples
    --------
    Three weight vectors, two rows (every indicator at 50 in the first, one missing in the second):

    >>> import numpy as np, coopeval as ce
    >>> from coopeval.scoring.aggregate import resolve_methods
    >>> from coopeval.scoring.plan import compile_plan
    >>> plan = compile_plan(ce.load_framework("cooperation_territoriale"))
    >>> v = np.full((2, len(plan.indicators)), 50.0)
    >>> v[1, 0] = np.nan
    >>> w = plan.normalise_weights(np.random.default_rng(0).uniform(0.5, 1.5, (3, len(plan.nodes))))
    >>> score, coverage = evaluate(plan, v, w, resolve_methods(plan, "geometric"), want=["overall"])["overall"]
    >>> score.shape, np.round(score, 9).tolist()[0], bool((coverage[:, 1] < 1).all())
    ((3, 2), [50.0, 50.0], True)
    """
    want = list(plan.internal) if want is None else list(want)
    ind = matrix_inputs(v)
    need, shortcut, batches, keep = ind.memo(plan, ("need", tuple(want), tuple(methods.items())),
                                             lambda: _needed(plan, ind, methods, want))
    # node -> (score or None, coverage or None, full: no missing score, x: mean of transformed scores, p)
    done: dict[str, tuple] = {}
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):  # 0 / 0, log 0, overflow: NaN, -inf, inf
        for p, nodes in batches:
            _leaf_batch(plan, nodes, p, ind, w, min_coverage, coverage, keep, done)
        for n in plan.internal:
            if n not in need or n in done:
                continue
            if n in shortcut:
                _, eff = plan.effective_weights(w, n)
                score = eff @ v[:, plan.leaf_cols(n)].T
                done[n] = (score, np.broadcast_to(1.0, score.shape) if coverage else None, True, score, 1.0)
            else:
                done[n] = _node(plan, n, ind, w, methods, done, min_coverage, coverage, n in keep)
    return {n: done[n][:2] for n in want}
