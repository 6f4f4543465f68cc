"""Per-node aggregation of normalised scores, batched over weight samples.

Each internal node of the tree aggregates its children with its own method:

- ``arithmetic``: ``sum(w x) / sum(w)``;
- ``geometric``: ``exp(sum(w log x) / sum(w))``;
- ``harmonic``: ``sum(w) / sum(w / x)``;
- ``("generalised", p)``: ``(sum(w x**p) / sum(w)) ** (1 / p)`` (``p = 0`` is geometric,
  ``p = 1`` arithmetic, ``p = -1`` harmonic);
- ``minimum``: the smallest child score among children of positive weight (no compensation).

The sums run over the children that have a score (see :mod:`coopeval.scoring.missing`).
All functions take a batch of ``S`` weight vectors and return ``(S, n_rows)`` arrays;
scoring uses ``S = 1``, Monte Carlo uses chunks of samples. A subtree aggregated
arithmetically throughout with complete data is evaluated as one matrix product with
the products of local weights down the tree (the weighted sum is linear).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. Paris: OECD Publishing, section 6 (weighting and aggregation).
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E., Saisana, M. (2022).
COINr: An R package for developing composite indicators. *Journal of Open Source Software*,
7(78), 4567.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Mapping
from typing import Any

import numpy as np

from coopeval.errors import Issue, ScoringError
from coopeval.scoring.missing import TOL, apply_policy
from coopeval.scoring.plan import Plan

__all__ = ["AGGREGATIONS", "declared_methods", "evaluate", "parse_method", "resolve_methods"]

AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalised", "minimum")
_POWER = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}


def parse_method(spec: Any, where: str = "aggregation") -> tuple[str, float | None]:
    """Parse one aggregation method into ``("power", p)`` or ``("minimum", None)``.

    Accepted: ``"arithmetic"``, ``"geometric"``, ``"harmonic"``, ``"minimum"`` (or ``"min"``),
    ``("generalised", p)``, ``{"method": "generalised", "p": p}`` or ``"generalised:p"``.
    """
    name, p = spec, None
    if isinstance(spec, tuple) and len(spec) == 2:
        name, p = spec
    elif isinstance(spec, Mapping):
        name, p = spec.get("method"), spec.get("p")
    elif isinstance(spec, str) and ":" in spec:
        name, _, p = spec.partition(":")
    if name == "min":
        name = "minimum"
    if name in _POWER and p is None:
        return "power", _POWER[name]
    if name == "minimum" and p is None:
        return "minimum", None
    if name in ("generalised", "generalized", "power"):
        try:
            p = float(p) if p is not None else None
        except (TypeError, ValueError):
            p = None
        if p is not None and np.isfinite(p):
            return "power", p
    raise ScoringError(
        f"parameter `{where}`: expected one of arithmetic, geometric, harmonic, minimum or "
        f"('generalised', p) with a finite p, got {spec!r}"
    )


def declared_methods(fw: Any, normalisation: str | None, aggregation: Any) -> tuple[str, Any]:
    """The normalisation and aggregation to use: the explicit ones, else the framework's.

    ``normalisation=None`` takes the framework's declared default (``goalposts`` when it
    declares none). ``aggregation=None`` takes the methods the framework declares per node;
    a mapping given explicitly is laid over them (its nodes and levels win); a single method
    given explicitly applies to every node.
    """
    declared = fw.method
    norm = declared["normalisation"] if normalisation is None else normalisation
    if aggregation is None:
        return norm, dict(declared["aggregation"]) or "arithmetic"
    if isinstance(aggregation, Mapping) and not set(aggregation) <= {"method", "p"}:
        levels = {k: v for k, v in aggregation.items() if k in ("dimension", "criterion")}
        merged = {n: m for n, m in declared["aggregation"].items()
                  if n not in aggregation and fw.level(n) not in levels}
        merged.update(aggregation)
        return norm, merged
    return norm, aggregation


def resolve_methods(plan: Plan, aggregation: Any) -> dict[str, tuple[str, float | None]]:
    """Method of every internal node from a single method or a mapping.

    A mapping's keys are node ids or level names (``overall``, ``dimension``, ``criterion``);
    node ids take precedence; nodes not named are aggregated arithmetically.
    """
    if not isinstance(aggregation, Mapping) or set(aggregation) <= {"method", "p"}:
        method = parse_method(aggregation)
        return {n: method for n in plan.internal}
    issues = []
    for key in aggregation:
        if key not in plan.children and key not in ("dimension", "criterion"):
            found = "an indicator (a leaf)" if key in plan.ind_pos else "an unknown key"
            issues.append(Issue("aggregation", str(key), "an internal node id or a level name", found))
    if issues:
        raise ScoringError("parameter `aggregation`", issues=issues)
    out = {}
    for n in plan.internal:
        spec = aggregation.get(n, aggregation.get(plan.level[n], "arithmetic"))
        out[n] = parse_method(spec, f"aggregation[{n!r}]")
    return out


def check_domain(plan: Plan, v: np.ndarray, methods: dict) -> None:
    """Raise if a geometric/harmonic/generalised node would meet non-positive scores (found once per
    read-only matrix and methods, :func:`_indicators`)."""
    ind = _indicators(v)
    issues = ind.memo(plan, ("domain", tuple(methods.items())), lambda: _domain_issues(plan, ind, methods))
    if issues:
        raise ScoringError("aggregation cannot be computed", issues=issues)


def _domain_issues(plan: Plan, ind: _Indicators, methods: dict) -> list[Issue]:
    """The nodes of a geometric, harmonic or generalised mean whose indicators reach a score it cannot take."""
    issues = []
    col_min = None  # each indicator's smallest observed score, found once for every node
    for node, (kind, p) in methods.items():
        if kind != "power" or p == 1.0:
            continue
        if col_min is None:
            col_min = ind.col_min()
        sub = col_min[plan.leaf_cols(node)]
        worst = np.nanmin(sub) if np.isfinite(sub).any() else np.nan
        if (p > 0 and worst < 0) or (p <= 0 and worst <= 0):
            issues.append(
                Issue("aggregation", node, "positive scores under a geometric, harmonic or generalised mean "
                      "(use output_range=(1, 100) or another normalisation)", f"a minimum of {worst:g}")
            )
    return issues


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


class _Indicators:
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


_CACHE: dict[int, _Indicators] = {}


def _indicators(v: np.ndarray) -> _Indicators:
    """:class:`_Indicators` of ``v``: memoised for a read-only matrix that owns its data (a prepared
    matrix's normalised values, :func:`coopeval.scoring.normalise.normalised`), new otherwise."""
    if v.flags.writeable or not v.flags.owndata:
        return _Indicators(v)
    key = id(v)
    ind = _CACHE.get(key)
    if ind is None or ind.v is not v:
        ind = _Indicators(v)
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
    masked transformed values (:class:`_Indicators`), internal children one by one (a child
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


def _needed(plan: Plan, ind: _Indicators, methods: dict, want: list[str]) -> tuple[set[str], set[str]]:
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
    ind = _indicators(v)
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
