"""Turn the ``weights=`` argument of scoring into a local-weight vector.

Accepted: ``None`` (the framework's default weights), a mapping or Series of
local weights ``{node: w}`` (nodes not given keep the weight written in the
framework, 1 by default; every sibling group is then rescaled to sum to one), or any object with a ``.local``
Series (a :class:`coopeval.weighting.WeightSet`, or a duck-typed equivalent).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError, Issue, ScoringError
from coopeval.framework import Framework
from coopeval.scoring.plan import Plan, cached

__all__ = ["local_weights", "weights_frame"]


def local_weights(
    fw: Framework, plan: Plan, weights: Any, *, error: type[CoopevalError] = ScoringError
) -> np.ndarray:
    """Local weights of every non-root node (``plan.nodes`` order), normalised among siblings.

    Parameters
    ----------
    fw : Framework
    plan : Plan
        The compiled framework.
    weights : None, mapping, pandas.Series or object with ``.local``
        See the module documentation.
    error : type
        Error class raised on invalid weights.

    Returns
    -------
    numpy.ndarray, shape (n_nodes,)
    """
    default = _raw(fw, plan)
    if weights is None:
        return plan.normalise_weights(default[None, :])[0]
    given = getattr(weights, "local", weights)
    if isinstance(given, pd.Series):
        given = given.to_dict()
    if not isinstance(given, Mapping):
        raise error(
            "parameter `weights`: expected None, a mapping {node: weight}, a pandas Series or a "
            f"WeightSet (an object with `.local`), got {type(weights).__name__}"
        )
    return _apply(plan, default[None, :], pd.DataFrame([given]), error)[0]


def sample_matrix(plan: Plan, fw: Framework, frame: pd.DataFrame, error: type[CoopevalError]) -> np.ndarray:
    """Validate a DataFrame of sampled local weights (rows = samples) into a normalised array."""
    default = _raw(fw, plan)
    base = np.repeat(default[None, :], len(frame), axis=0)
    return _apply(plan, base, frame, error)


def _raw(fw: Framework, plan: Plan) -> np.ndarray:
    """The framework's weights as written (before normalisation among siblings), memoised."""
    return cached(fw, "raw_weights",
                  lambda: fw.nodes.set_index("node")["weight"].reindex(plan.nodes).to_numpy(dtype=float)).copy()


def _apply(plan: Plan, base: np.ndarray, frame: pd.DataFrame, error: type[CoopevalError]) -> np.ndarray:
    issues = []
    unknown = [c for c in frame.columns if c not in plan.node_pos]
    for c in unknown:
        issues.append(Issue("weights", str(c), f"a node id of framework `{plan.framework_id}`", "an unknown id"))
    cols = [c for c in frame.columns if c in plan.node_pos]
    sub = frame if len(cols) == frame.shape[1] else frame[cols]  # no copy when every column is a node
    if all(t.kind in "fiu" for t in sub.dtypes):  # numeric, not bool (kind "b")
        values = sub.to_numpy(dtype=float)
    else:
        values = sub.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    bad = ~np.isfinite(values) | (values < 0)
    for j in np.flatnonzero(bad.any(axis=0)):
        raw = frame[cols[j]].iloc[int(np.flatnonzero(bad[:, j])[0])]
        issues.append(Issue("weights", cols[j], "a finite number >= 0", repr(raw)))
    if issues:
        raise error("invalid weights", issues=issues)
    out = base.copy()
    if cols:
        out[:, [plan.node_pos[c] for c in cols]] = values
    # one sum per sibling group serves the check and the normalisation (as plan.normalise_weights)
    for parent, idx in zip(plan.children, plan.groups, strict=True):
        total = out[:, idx].sum(axis=1, keepdims=True)
        if (total <= 0).any():
            issues.append(Issue("weights", parent, "children weights with a positive sum", "all zero"))
        elif not issues:
            out[:, idx] = out[:, idx] / total
    if issues:
        raise error("invalid weights", issues=issues)
    return out


def weights_frame(plan: Plan, w: np.ndarray) -> pd.DataFrame:
    """Tidy table of normalised local weights: columns ``node, parent, level, weight``."""
    return pd.DataFrame(
        {
            "node": plan.nodes,
            "parent": [plan.parent[n] for n in plan.nodes],
            "level": [plan.level[n] for n in plan.nodes],
            "weight": np.asarray(w, dtype=float),
        }
    )
