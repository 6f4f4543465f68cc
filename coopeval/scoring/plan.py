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

__all__ = ["Plan", "cached", "compile_plan"]

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
        out = np.array(w, dtype=float, copy=True)
        for idx in self.groups:
            total = out[:, idx].sum(axis=1, keepdims=True)
            with np.errstate(invalid="ignore", divide="ignore"):
                out[:, idx] = np.where(total > 0, out[:, idx] / total, 0.0)
        return out

    def effective_weights(self, w: np.ndarray, node: str) -> tuple[list[str], np.ndarray]:
        """Products of normalised local weights from ``node`` down to each of its leaves.

        Returns the leaf ids and an array of shape (n_samples, n_leaves) whose rows sum to one.
        """
        leaves = self.leaves[node]
        out = np.ones((w.shape[0], len(leaves)))
        for j, leaf in enumerate(leaves):
            p = leaf
            while p != node:
                out[:, j] *= w[:, self.node_pos[p]]
                p = self.parent[p]
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
