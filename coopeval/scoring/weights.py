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
    if isinstance(given, pd.Series) and given.index.is_unique and given.dtype.kind in "fiu":
        # a numeric Series (a WeightSet's ``.local``): its values as they are, without a one-row frame;
        # the same ids and values as the last time give the last (valid) result again, a copy
        ids, values = given.index.tolist(), given.to_numpy(dtype=float)
        return plan.last("local_weights", (tuple(ids), values.tobytes()), lambda: _checked(
            plan, default[None, :], ids, values[None, :], lambda j: given.iloc[j], error)[0]).copy()
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
    cols = frame.columns.tolist()
    values = frame.to_numpy()  # one dtype for the whole frame: numeric, not bool (kind "b"), when every column is
    if values.dtype.kind in "fiu":
        values = values.astype(float, copy=False)
    else:
        values = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)
    return _checked(plan, base, cols, values, lambda j: frame.iloc[:, j], error)


def _checked(plan: Plan, base: np.ndarray, cols: list, values: np.ndarray, raw: Any,
             error: type[CoopevalError]) -> np.ndarray:
    """``base`` with the columns ``cols`` replaced by ``values`` (samples x columns), every sibling
    group normalised; unknown ids, negative or non-finite weights and all-zero groups are named.
    ``raw(j)``: the values of column ``j`` as given (its first invalid one is quoted)."""
    try:
        known, pos = plan.columns(cols)
    except TypeError:  # ids that cannot be hashed are no node ids
        known, pos = np.zeros(len(cols), dtype=bool), np.zeros(0, dtype=np.intp)
    # every id known, the smallest value >= 0 (False for NaN) and the largest finite: nothing to name
    if not (known.all() and values.size and values.min() >= 0 and np.isfinite(values.max())):
        _invalid(plan, cols, values, known, raw, error)
    out = base.copy()  # every id is known here (an unknown one is an issue)
    if len(pos):
        out[:, pos] = values
    # one sum per sibling group serves the check and the normalisation (as plan.normalise_weights)
    total = plan.group_sums(out)
    if total.size and not total.min() > 0:  # a sibling group with no positive weight
        empty = np.flatnonzero((total <= 0).any(axis=0))
        if len(empty):
            parents = list(plan.children)
            raise error("invalid weights", issues=[
                Issue("weights", parents[g], "children weights with a positive sum", "all zero") for g in empty])
    out /= total[:, plan.group_of()]
    return out


def _invalid(plan: Plan, cols: list, values: np.ndarray, known: np.ndarray, raw: Any,
             error: type[CoopevalError]) -> None:
    """Raise naming every unknown id and the first negative or non-finite weight of every column
    (nothing when there is none)."""
    issues = [Issue("weights", str(c), f"a node id of framework `{plan.framework_id}`", "an unknown id")
              for c, k in zip(cols, known, strict=True) if not k]
    bad = (~np.isfinite(values) | (values < 0)) & known[None, :]
    for j in np.flatnonzero(bad.any(axis=0)):
        given = raw(int(j))
        first = int(np.flatnonzero(bad[:, j])[0])
        issues.append(Issue("weights", cols[j], "a finite number >= 0",
                            repr(given.iloc[first] if isinstance(given, pd.Series) else given)))
    if issues:
        raise error("invalid weights", issues=issues)


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
