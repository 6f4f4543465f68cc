"""One chunk of Monte Carlo samples: draw, score in batches, accumulate (pure numpy core).

A chunk is a self-contained, picklable task: it draws its weight samples and method
choices from its own seed, scores all its samples with batched array operations (one
batch per combination of normalisation and aggregation drawn), and returns only
fixed-size accumulators (histograms, rank counts, sums), so that memory does not grow
with the number of samples and chunks can run on any ``concurrent.futures.Executor``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from coopeval.errors import UncertaintyError
from coopeval.scoring.aggregate import evaluate
from coopeval.scoring.plan import Plan

__all__ = ["Setup", "draw_inputs", "run_chunk", "score_batch"]


@dataclass(frozen=True)
class Setup:
    """Everything a chunk needs (shared by all chunks)."""

    plan: Plan
    framework: Any  # Framework, to validate sampled weights
    values: list[np.ndarray]  # one normalised (rows x indicators) matrix per normalisation option
    methods: list[dict]  # one per aggregation option
    point_weights: np.ndarray
    source: Any  # object with .sample(n, rng) or None
    nodes: list[str]
    waves: list[np.ndarray]  # row indices of each wave
    pairs: np.ndarray  # (n_pairs, 2) rows (from, to) of the same unit in consecutive waves
    lo: float
    hi: float
    bins: int
    min_coverage: float
    max_rank: int = field(default=1)


def draw_inputs(setup: Setup, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Draw ``n`` weight vectors (normalised local weights) and method choices."""
    from coopeval.scoring.weights import sample_matrix

    if setup.source is None:
        w = np.repeat(setup.point_weights[None, :], n, axis=0)
    else:
        frame = setup.source.sample(n, rng)
        w = sample_matrix(setup.plan, setup.framework, frame, UncertaintyError)
        if w.shape[0] != n:
            raise UncertaintyError(f"weights.sample({n}, rng): expected {n} rows, got {w.shape[0]}")
    k_norm = rng.integers(len(setup.values), size=n) if len(setup.values) > 1 else np.zeros(n, dtype=int)
    k_agg = rng.integers(len(setup.methods), size=n) if len(setup.methods) > 1 else np.zeros(n, dtype=int)
    return w, k_norm, k_agg


def score_batch(setup: Setup, w: np.ndarray, k_norm: np.ndarray, k_agg: np.ndarray) -> dict[str, np.ndarray]:
    """Scores (n_samples, n_rows) of the wanted nodes, one batched evaluation per method combination."""
    n, r = w.shape[0], setup.values[0].shape[0]
    out = {node: np.empty((n, r)) for node in setup.nodes}
    combo = k_norm * len(setup.methods) + k_agg
    for c in np.unique(combo):
        idx = np.flatnonzero(combo == c)
        kn, ka = divmod(int(c), len(setup.methods))
        res = evaluate(setup.plan, setup.values[kn], w[idx], setup.methods[ka],
                       min_coverage=setup.min_coverage, want=setup.nodes)
        for node in setup.nodes:
            if len(idx) == n:
                out[node] = res[node][0]
            else:
                out[node][idx] = res[node][0]
    return out


def ranks(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Ranks (1 = best) of the rows of one wave in every sample; 0 where the score is missing."""
    sub = scores[:, rows]
    missing = np.isnan(sub)
    key = np.where(missing, np.inf, -sub)
    order = np.argsort(key, axis=1)
    out = np.empty(sub.shape, dtype=np.int64)
    np.put_along_axis(out, order, np.arange(1, sub.shape[1] + 1)[None, :], axis=1)
    out[missing] = 0
    return out


def run_chunk(task: tuple[Setup, int, Any]) -> dict[str, Any]:
    """Draw ``n`` samples from ``seed`` and return their accumulators.

    Returns
    -------
    dict
        ``node -> dict`` with ``hist`` (rows x bins counts), ``rank`` (rows x (max_rank + 1)
        counts, column 0 = missing), ``min``, ``max``, ``sum``, ``sumsq``, ``valid`` (per row),
        ``up`` and ``both`` (per consecutive-wave pair: samples where the later score is higher,
        samples where both exist).
    """
    setup, n, seed = task
    rng = np.random.default_rng(seed)
    w, k_norm, k_agg = draw_inputs(setup, n, rng)
    scores = score_batch(setup, w, k_norm, k_agg)
    r = setup.values[0].shape[0]
    width = (setup.hi - setup.lo) / setup.bins if setup.hi > setup.lo else 1.0
    out: dict[str, Any] = {}
    for node, s in scores.items():
        ok = ~np.isnan(s)
        b = np.clip(((np.where(ok, s, setup.lo) - setup.lo) / width).astype(np.int64), 0, setup.bins - 1)
        cell = np.broadcast_to(np.arange(r)[None, :], s.shape)
        hist = np.bincount((cell * setup.bins + b)[ok], minlength=r * setup.bins).reshape(r, setup.bins)
        rank_counts = np.zeros((r, setup.max_rank + 1), dtype=np.int64)
        for rows in setup.waves:
            rk = ranks(s, rows)
            flat = np.bincount((np.arange(len(rows))[None, :] * (setup.max_rank + 1) + rk).ravel(),
                               minlength=len(rows) * (setup.max_rank + 1))
            rank_counts[rows] = flat.reshape(len(rows), setup.max_rank + 1)
        filled = np.where(ok, s, 0.0)
        with np.errstate(invalid="ignore"):
            acc = {
                "hist": hist.astype(np.int64),
                "rank": rank_counts,
                "min": np.where(ok.any(axis=0), np.nanmin(np.where(ok, s, np.inf), axis=0), np.inf),
                "max": np.where(ok.any(axis=0), np.nanmax(np.where(ok, s, -np.inf), axis=0), -np.inf),
                "sum": filled.sum(axis=0),
                "sumsq": (filled**2).sum(axis=0),
                "valid": ok.sum(axis=0),
            }
        if len(setup.pairs):
            a, b2 = s[:, setup.pairs[:, 0]], s[:, setup.pairs[:, 1]]
            both = ~np.isnan(a) & ~np.isnan(b2)
            acc["up"] = ((b2 > a) & both).sum(axis=0)
            acc["both"] = both.sum(axis=0)
        out[node] = acc
    return out


def combine(parts: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Fold the accumulators of chunks as they arrive (sums; min/max by min/max).

    Only the running total is kept, so memory does not grow with the number of chunks.
    """
    total: dict[str, Any] | None = None
    for part in parts:
        if total is None:
            total = {node: {k: np.array(v, copy=True) for k, v in acc.items()} for node, acc in part.items()}
            continue
        for node, acc in part.items():
            for k, v in acc.items():
                if k == "min":
                    np.minimum(total[node][k], v, out=total[node][k])
                elif k == "max":
                    np.maximum(total[node][k], v, out=total[node][k])
                else:
                    total[node][k] += v
    return total
