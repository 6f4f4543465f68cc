"""One chunk of Monte Carlo samples: draw, score in batches, accumulate (pure numpy core).

A chunk is a self-contained, picklable task: it draws its weight samples and method
choices from its own seed, scores all its samples with batched array operations (one
batch per combination of normalisation and aggregation drawn), and returns only
fixed-size accumulators (histograms, rank counts, sums), so that memory does not grow
with the number of samples and chunks can run on any ``concurrent.futures.Executor``.
"""

from __future__ import annotations

import contextlib
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
    order, rank_at = _order(scores[:, rows])
    out = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(out, order, rank_at, axis=1)
    return out


def _order(sub: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Argsort of each sample (best first, missing last) and the rank held at each position (0 = missing)."""
    missing = np.isnan(sub)
    pos = np.arange(1, sub.shape[1] + 1)[None, :]
    if missing.any():
        order = np.argsort(np.where(missing, np.inf, -sub), axis=1)
        n_valid = (~missing).sum(axis=1, keepdims=True)
        return order, np.where(pos <= n_valid, pos, 0)
    return np.argsort(-sub, axis=1), np.broadcast_to(pos, sub.shape)


def _rank_counts(s: np.ndarray, rows: np.ndarray, width: int) -> np.ndarray:
    """Counts (len(rows), width) of the ranks of each row over samples, without building rank arrays."""
    order, rank_at = _order(s[:, rows])
    flat = np.bincount((order * width + rank_at).ravel(), minlength=len(rows) * width)
    return flat.reshape(len(rows), width)


def single_thread_blas() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread inside a chunk (chunks are the unit of parallelism; nested BLAS
    threads oversubscribe the cores and make the many small matrix products far slower)."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - optional
        return contextlib.nullcontext()
    return threadpool_limits(limits=1, user_api="blas")


def run_chunk(task: tuple[Setup, int, Any]) -> dict[str, Any]:
    """Draw ``n`` samples from ``seed`` and return their accumulators (see :func:`_run_chunk`)."""
    with single_thread_blas():
        return _run_chunk(task)


def _run_chunk(task: tuple[Setup, int, Any]) -> dict[str, Any]:
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
    offsets = (np.arange(r, dtype=np.int64) * setup.bins)[None, :]
    for node, s in scores.items():
        ok = ~np.isnan(s)
        complete = bool(ok.all())
        b = (s - setup.lo) / width if complete else (np.where(ok, s, setup.lo) - setup.lo) / width
        b = np.clip(b, 0, setup.bins - 1, out=b).astype(np.int64)
        b += offsets
        hist = np.bincount(b.ravel() if complete else b[ok], minlength=r * setup.bins).reshape(r, setup.bins)
        rank_counts = np.zeros((r, setup.max_rank + 1), dtype=np.int64)
        for rows in setup.waves:
            rank_counts[rows] = _rank_counts(s, rows, setup.max_rank + 1)
        filled = s if complete else np.where(ok, s, 0.0)
        any_ok = ok.any(axis=0)
        acc = {
            "hist": hist,
            "rank": rank_counts,
            "min": s.min(axis=0) if complete else np.where(any_ok, np.where(ok, s, np.inf).min(axis=0), np.inf),
            "max": s.max(axis=0) if complete else np.where(any_ok, np.where(ok, s, -np.inf).max(axis=0), -np.inf),
            "sum": filled.sum(axis=0),
            "sumsq": np.einsum("ij,ij->j", filled, filled),
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
