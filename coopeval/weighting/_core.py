"""Small helpers shared by the weighting modules (not public)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param


def as_series(values: Mapping | pd.Series | Iterable, name: str, labels: Iterable | None = None) -> pd.Series:
    """Coerce ``values`` to a float Series; raise ``WeightingError`` naming ``name``."""
    if isinstance(values, pd.Series):
        s = values.copy()
    elif isinstance(values, Mapping):
        s = pd.Series(dict(values), dtype=object)
    elif isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        bad_param(name, "a Series, a dict or a list of numbers", values, WeightingError)
    else:
        vals = list(values)
        idx = list(labels) if labels is not None else [f"c{i + 1}" for i in range(len(vals))]
        if len(idx) != len(vals):
            bad_param("labels", f"{len(vals)} labels (one per value)", idx, WeightingError)
        s = pd.Series(vals, index=idx, dtype=object)
    if s.empty:
        bad_param(name, "at least one value", values, WeightingError)
    num = pd.to_numeric(s, errors="coerce").astype(float)
    bad = [Issue("", str(k), "a finite number", repr(v)) for k, v in s.items() if not np.isfinite(num[k])]
    if bad:
        raise WeightingError(f"parameter `{name}`: non-numeric values", issues=bad)
    if s.index.has_duplicates:
        dup = sorted({str(k) for k in s.index[s.index.duplicated()]})
        bad_param(name, "unique labels", dup, WeightingError)
    return num


def normalise(values: np.ndarray) -> np.ndarray:
    """Divide by the sum along the last axis."""
    values = np.asarray(values, dtype=float)
    return values / values.sum(axis=-1, keepdims=True)


def require_nonneg(s: pd.Series, name: str, low: float = 0.0, high: float = np.inf) -> None:
    """Every value within ``[low, high]`` and not all zero."""
    bad = [Issue("", str(k), f"a value in [{low:g}, {high:g}]", f"{v:g}") for k, v in s.items() if not low <= v <= high]
    if bad:
        raise WeightingError(f"parameter `{name}`: values out of range", issues=bad)
    if not (s > 0).any():
        bad_param(name, "at least one positive value", s.tolist(), WeightingError)
