"""A framework tree compiled into index arrays, ready for array computation.

The :class:`Plan` lists the indicators (columns of the data matrix), every node
of the tree with its parent and level, and the internal nodes in bottom-up
order, so that scoring and Monte Carlo evaluate the tree with array operations
instead of walking Python objects for every unit or sample.
"""

from __future__ import annotations

import functools
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, cast

import numpy as np
import pandas as pd

from coopeval.framework import ROOT, Framework

__all__ = ["Plan", "cached", "compile_plan", "keep_last"]

_CACHE: dict[int, tuple[weakref.ref, dict[str, Any]]] = {}


def _forget(key: int, _ref: weakref.ref) -> None:
    _CACHE.pop(key, None)


def cached(fw: Framework, key: str, build: Callable[[], Any]) -> Any:
    """Memoise a value derived from a framework (frameworks are immutable).

    Keyed on the object's identity (a framework's ``hash`` serialises it, too slow here);
    entries die with the framework.
    """
    key_fw = id(fw)
    entry = _CACHE.get(key_fw)
    if entry is None or entry[0]() is not fw:
        entry = (weakref.ref(fw, functools.partial(_forget, key_fw)), {})
        _CACHE[key_fw] = entry
    store = entry[1]
    if key not in store:
        store[key] = build()
    return store[key]


def keep_last(memo: dict, slot: str, args: tuple, build: Callable[[], Any]) -> Any:
    """``build()``, or what it gave the previous time for ``slot`` of ``memo`` when ``args`` are the
    same (item by item: the same object, or equal values that are not arrays). One result is kept
    per slot, so that an object used with ever new arguments does not keep them all
    (:meth:`Plan.last`, :meth:`coopeval.scoring.matrix.DataMatrix.last`)."""
    prev = memo.get(("last", slot))
    if prev is not None and len(prev[0]) == len(args) and all(
            a is b or (type(a) is type(b) and not isinstance(a, np.ndarray) and a == b)
            for a, b in zip(prev[0], args, strict=True)):
        return prev[1]
    out = build()
    memo[("last", slot)] = (args, out)
    return out


@dataclass(frozen=True)
class Plan:
    """Index view of a framework tree.

    Attributes
    ----------
    nodes : list of str
        Every non-root node id, in ``fw.node_ids`` order (the columns of a weight matrix).
    indicators : list of str
        Indicator ids, in ``fw.indicator_ids`` order (the columns of a data matrix).
    parent : dict
        Node id -> parent id (``"overall"`` for dimensions).
    level : dict
        Node id (root included) -> ``overall``, ``dimension``, ``criterion`` or ``indicator``.
    children : dict
        Internal node id (root included) -> list of child ids.
    internal : list of str
        Internal nodes (root included), deepest first: a node comes after all its children.
    leaves : dict
        Internal node id -> list of indicator ids under it.
    node_pos, ind_pos : dict
        Column index of a node in :attr:`nodes`, of an indicator in :attr:`indicators`.
    groups : list of numpy.ndarray
        For every internal node, the column indices (in :attr:`nodes`) of its children;
        weights are normalised within each group.
    """

    framework_id: str
    nodes: list[str]
    indicators: list[str]
    parent: dict[str, str]
    level: dict[str, str]
    children: dict[str, list[str]]
    internal: list[str]
    leaves: dict[str, list[str]]
    node_pos: dict[str, int] = field(repr=False)
    ind_pos: dict[str, int] = field(repr=False)
    groups: list[np.ndarray] = field(repr=False)
    #: Relative goalposts (:attr:`Framework.relative_goalposts`, issue 22), applied by ``to_matrix``.
    relative: pd.DataFrame | None = field(default=None, repr=False, compare=False)
    #: Index arrays derived on demand (:meth:`_cached`: :meth:`leaf_cols`, :meth:`parts`, :meth:`group_sums`…).
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def _cached(self, key: Any, build: Callable[[], Any]) -> Any:
        """``build()`` once per ``key`` (a plan is immutable: what derives from it never changes)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def last(self, slot: str, args: tuple, build: Callable[[], Any]) -> Any:
        """:func:`keep_last` on this plan: e.g. the local weights of the last WeightSet."""
        return keep_last(self._memo, slot, args, build)

    def leaf_cols(self, node: str) -> np.ndarray:
        """Columns (in :attr:`indicators`) of the indicators under ``node``, in :attr:`leaves` order."""
        return self._cached(("leaf_cols", node),
                            lambda: np.array([self.ind_pos[i] for i in self.leaves[node]], dtype=np.intp))

    def parts(self, node: str) -> tuple[list[str], list[str], np.ndarray, np.ndarray, list[int], np.ndarray]:
        """An internal node's children split for aggregation (memoised): indicator children and internal
        children (ids), the indicators' columns in :attr:`indicators`, their columns in :attr:`nodes`,
        the internal children's columns in :attr:`nodes`, and every child's column in :attr:`nodes`."""
        def build() -> tuple:
            kids = self.children[node]
            leaf = [k for k in kids if k in self.ind_pos]
            inner = [k for k in kids if k not in self.ind_pos]
            return (leaf, inner, np.array([self.ind_pos[k] for k in leaf], dtype=np.intp),
                    np.array([self.node_pos[k] for k in leaf], dtype=np.intp),
                    [self.node_pos[k] for k in inner], np.array([self.node_pos[k] for k in kids], dtype=np.intp))

        return self._cached(("parts", node), build)

    def normalise_weights(self, w: np.ndarray) -> np.ndarray:
        """Divide each weight by the sum of its sibling group (rows are samples).

        Parameters
        ----------
        w : numpy.ndarray, shape (n_samples, n_nodes)
            Non-negative local weights in :attr:`nodes` order.

        Returns
        -------
        numpy.ndarray
            A copy whose sibling groups sum to one (rows of a group summing to zero stay zero).
        """
        w = np.asarray(w, dtype=float)
        total = self.group_sums(w)[:, self.group_of()]  # each node's sibling total
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(total > 0, w / total, 0.0)

    def columns(self, ids: list) -> tuple[np.ndarray, np.ndarray]:
        """Which of ``ids`` are node ids (a boolean mask) and the columns of those that are, in
        :attr:`nodes` (memoised per list: a sampler gives the same columns at every draw)."""
        return self._cached(("columns", tuple(ids)), lambda: (
            np.array([c in self.node_pos for c in ids], dtype=bool),
            np.array([self.node_pos[c] for c in ids if c in self.node_pos], dtype=np.intp)))

    def group_sums(self, w: np.ndarray) -> np.ndarray:
        """Sum of every sibling group (columns in :attr:`groups` order) of weights ``w`` (samples x nodes).

        The columns are put group after group by one take; each group is then summed over a slice
        (no copy per group), its children in :attr:`groups` order, as ``w[:, idx].sum(axis=1)``."""
        def layout() -> tuple[np.ndarray, list[tuple[int, int]]]:
            order = np.concatenate(self.groups) if self.groups else np.zeros(0, dtype=np.intp)
            bounds = np.cumsum([0, *[len(g) for g in self.groups]])
            return order, list(zip(bounds[:-1].tolist(), bounds[1:].tolist(), strict=True))

        order, spans = self._cached("group_layout", layout)
        laid = w[:, order]
        out = np.empty((w.shape[0], len(spans)))
        for g, (a, b) in enumerate(spans):
            np.add.reduce(laid[:, a:b], axis=1, out=out[:, g])
        return out

    def group_of(self) -> np.ndarray:
        """The sibling group (position in :attr:`groups`) of every node of :attr:`nodes` (memoised)."""
        def build() -> np.ndarray:
            out = np.zeros(len(self.nodes), dtype=np.intp)
            for g, idx in enumerate(self.groups):
                out[idx] = g
            return out

        return self._cached("group_of", build)

    def effective_weights(self, w: np.ndarray, node: str) -> tuple[list[str], np.ndarray]:
        """Products of normalised local weights from ``node`` down to each of its leaves.

        Returns the leaf ids and an array of shape (n_samples, n_leaves) whose rows sum to one.
        """
        leaves = self.leaves[node]

        def build() -> np.ndarray:  # row d: the weight column d levels above each leaf (-1: none, a 1)
            chains = []
            for leaf in leaves:
                chain, p = [], leaf
                while p != node:
                    chain.append(self.node_pos[p])
                    p = self.parent[p]
                chains.append(chain)
            paths = np.full((max(map(len, chains)), len(leaves)), -1, dtype=np.intp)
            for j, chain in enumerate(chains):
                paths[:len(chain), j] = chain
            return paths

        paths = self._cached(("paths", node), build)
        ext = np.concatenate([w, np.ones((w.shape[0], 1))], axis=1)  # column -1: ones
        out = ext[:, paths[0]]
        for row in paths[1:]:  # leaf upwards, as a product down the tree: (w_leaf x w_parent) x ...
            out *= ext[:, row]
        return leaves, out


def compile_plan(fw: Framework) -> Plan:
    """Compile a :class:`~coopeval.framework.Framework` into a :class:`Plan` (memoised)."""
    return cached(fw, "plan", lambda: _compile(fw))


def _compile(fw: Framework) -> Plan:
    nodes = list(fw.node_ids)
    indicators = list(fw.indicator_ids)
    parent = {n: cast(str, fw.parent(n)) for n in nodes}  # only the root has no parent
    level = {n: fw.level(n) for n in nodes}
    level[ROOT] = "overall"
    children = {n: fw.children(n) for n in [ROOT, *nodes] if level[n] != "indicator"}
    depth = {ROOT: 0}
    for n in nodes:
        depth[n] = depth[parent[n]] + 1
    internal = sorted(children, key=lambda n: -depth[n])
    leaves = {n: fw.leaves(n) for n in children}
    node_pos = {n: i for i, n in enumerate(nodes)}
    ind_pos = {n: i for i, n in enumerate(indicators)}
    groups = [np.array([node_pos[c] for c in children[n]]) for n in children]
    rel = fw.relative_goalposts
    return Plan(fw.id, nodes, indicators, parent, level, children, internal, leaves, node_pos, ind_pos, groups,
                rel if len(rel) else None)


def node_table(plan: Plan) -> pd.DataFrame:
    """Nodes with their level, root first: columns ``node, level``."""
    return pd.DataFrame({"node": [ROOT, *plan.nodes], "level": [plan.level[n] for n in [ROOT, *plan.nodes]]})
