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
from coopeval.scoring.plan import Plan
from coopeval.scoring.tree import evaluate
from coopeval.uncertainty.blocks import add_counts, block_pass

__all__ = ["Setup", "add_counts", "draw_inputs", "order_rows", "ranks", "run_chunk", "score_batch"]


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
    rank_width: int = 1  # ranks per rank column (1 = exact counts)
    rank_cols: int = 2  # rank columns, column 0 = missing
    top: tuple[int, ...] = field(default=())
    count_dtype: Any = np.int32


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
                       min_coverage=setup.min_coverage, want=setup.nodes, coverage=False)
        for node in setup.nodes:
            if len(idx) == n:
                out[node] = res[node][0]
            else:
                out[node][idx] = res[node][0]
    return out


def ranks(scores: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Ranks (1 = best) of the rows of one wave in every sample; 0 where the score is missing."""
    order, n_valid = order_rows(scores[:, rows])
    pos = np.arange(1, len(rows) + 1)[None, :]
    out = np.empty(order.shape, dtype=np.int64)
    np.put_along_axis(out, order, np.where(pos <= n_valid[:, None], pos, 0), axis=1)
    return out


def order_rows(sub: np.ndarray, *, inplace: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Order of the rows of every sample, best first and missing last, by sorting packed keys.

    Each score is mapped to an order-preserving unsigned 64-bit key (descending score), whose
    lowest ``b = ceil(log2(rows))`` bits are replaced by the row position; one integer sort per
    sample then gives the order, ties (scores equal to a relative ``2**(b - 52)``) broken by row
    position, as ``pandas.Series.rank(method="first")`` does. Returns the order
    ``(samples, rows)`` and the number of scored rows of every sample. With ``inplace=True``
    the keys are built in ``sub``'s own memory (a float64 C-contiguous array the caller no
    longer needs), which saves allocating and first touching a chunk-sized array.
    """
    m, r = sub.shape
    bits = max(1, int(r - 1).bit_length())
    low = sub.min() if sub.size else 0.0  # NaN when a score is missing
    missing = np.isnan(sub) if np.isnan(low) else None
    if missing is not None:
        low = np.nanmin(sub, initial=0.0)
    inplace = inplace and sub.dtype == np.float64 and sub.flags.c_contiguous and sub.flags.writeable
    if not low < 0 and inplace:
        np.add(sub, 0.0, out=sub)  # + 0.0 turns -0.0 into 0.0
        key = sub.view(np.uint64)
        np.invert(key, out=key)
    elif not low < 0:  # scores >= 0 (the usual output range): their bits grow with the value
        key = ~(sub + 0.0).view(np.uint64)  # + 0.0 turns -0.0 into 0.0; ~ makes the order descending
    else:
        x = (-sub + 0.0).view(np.uint64)
        sign = np.uint64(1 << 63)
        key = np.where((x & sign) != 0, ~x, x | sign)
    if missing is not None:
        key[missing] = np.uint64(0xFFFF_FFFF_FFFF_FFFF)
    key &= np.uint64(~((1 << bits) - 1) & 0xFFFF_FFFF_FFFF_FFFF)
    key |= np.arange(r, dtype=np.uint64)[None, :]
    key.sort(axis=1)
    key &= np.uint64((1 << bits) - 1)
    return key.view(np.int64), np.full(m, r) if missing is None else r - missing.sum(axis=1)


def _rank_counts(acc: dict[str, np.ndarray], s: np.ndarray, rows: np.ndarray, setup: Setup,
                 consume: bool = False) -> None:
    """Accumulate the (binned) rank counts, exact top-k counts and rank extremes of one wave.

    With ``consume=True`` the scores ``s`` may be overwritten (the sort keys are built in place).
    """
    whole = len(rows) == s.shape[1]  # one wave: its rows are all rows, in order
    order, n_valid = order_rows(s if whole else s[:, rows], inplace=consume or not whole)
    m, r = order.shape
    pos = np.arange(1, r + 1)
    complete = bool((n_valid == r).all())
    col = (pos - 1) // setup.rank_width + 1
    if not complete:
        col = np.where(pos[None, :] <= n_valid[:, None], col[None, :], 0)
    grow = order if whole else rows[order]  # global row of every position
    flat = grow * setup.rank_cols
    flat += col
    add_counts(acc["rank"], flat)
    del flat
    for j, k in enumerate(setup.top):
        kk = min(int(k), r)
        keep = None if complete else pos[None, :kk] <= n_valid[:, None]
        add_counts(acc["top"], grow[:, :kk] * len(setup.top) + j, keep)
    if setup.rank_width > 1:  # exact extremes make a constant rank exact despite the bins
        rmin, rmax = acc["rank_min"], acc["rank_max"]
        contiguous = rows[-1] - rows[0] + 1 == r  # rows are sorted by wave: a wave is a block
        sel = slice(int(rows[0]), int(rows[-1]) + 1) if contiguous else rows
        lo, hi = rmin[sel], rmax[sel]
        rank = np.empty(r, np.int64)
        big = np.iinfo(np.int64).max
        for i in range(m):
            rank[order[i]] = np.where(pos <= n_valid[i], pos, 0) if n_valid[i] < r else pos
            np.minimum(lo, np.where(rank > 0, rank, big) if n_valid[i] < r else rank, out=lo)
            np.maximum(hi, rank, out=hi)
        if not contiguous:
            rmin[sel], rmax[sel] = lo, hi


def single_thread_blas() -> contextlib.AbstractContextManager:
    """Limit BLAS to one thread inside a chunk (chunks are the unit of parallelism; nested BLAS
    threads oversubscribe the cores and make the many small matrix products far slower).

    The thread-pool controller (which scans the process's loaded libraries, ~3 ms) is built once
    per process: numpy's BLAS, the one the chunks use, is loaded before any chunk runs.
    """
    global _CONTROLLER
    if _CONTROLLER is None:
        try:
            from threadpoolctl import ThreadpoolController
        except ImportError:  # pragma: no cover - optional
            return contextlib.nullcontext()
        _CONTROLLER = ThreadpoolController()
    return _CONTROLLER.limit(limits=1, user_api="blas")


_CONTROLLER: Any = None


def run_chunk(task: tuple[Setup, int, Any], into: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw ``n`` samples from ``seed`` and return their accumulators (see :func:`_run_chunk`).

    With ``into`` (accumulators of earlier chunks), counts are added there in place and it is
    returned: the in-process path keeps one set of tables whatever the number of chunks. A chunk
    whose matrix products are all too small for BLAS to split between threads (samples x rows x
    indicators up to ``_SMALL_PRODUCT``, OpenBLAS's threshold) leaves the thread pool alone.
    """
    setup, n, _ = task
    if n * setup.values[0].size <= _SMALL_PRODUCT:
        return _run_chunk(task, into)
    with single_thread_blas():
        return _run_chunk(task, into)


#: OpenBLAS computes a product of at most this many multiply-adds (m x n x k) on one thread
#: (``GEMM_MULTITHREAD_THRESHOLD`` 4 x 65,536).
_SMALL_PRODUCT = 4 * 65_536


def empty_accumulators(setup: Setup) -> dict[str, Any]:
    """Zero accumulators of every node (see :func:`_run_chunk`)."""
    r, dt = setup.values[0].shape[0], setup.count_dtype
    out = {}
    for node in setup.nodes:
        acc = {"hist": np.zeros((r, setup.bins), dt), "rank": np.zeros((r, setup.rank_cols), dt),
               "top": np.zeros((r, len(setup.top)), dt), "min": np.full(r, np.inf), "max": np.full(r, -np.inf),
               "sum": np.zeros(r), "sumsq": np.zeros(r), "valid": np.zeros(r, dt)}
        if setup.rank_width > 1:
            acc["rank_min"] = np.full(r, np.iinfo(np.int64).max)
            acc["rank_max"] = np.zeros(r, np.int64)
        if len(setup.pairs):
            acc["up"] = np.zeros(len(setup.pairs), dt)
            acc["both"] = np.zeros(len(setup.pairs), dt)
        out[node] = acc
    return out


def _bin_index(s: np.ndarray, setup: Setup, width: float, offsets: np.ndarray, block: int = 256) -> np.ndarray:
    """Flat histogram cell ``row * bins + bin`` of every score, computed by blocks of samples that
    stay in the processor's cache (one pass to memory instead of four)."""
    out = np.empty(s.shape, np.int64)
    inv = 1.0 / width
    for i0 in range(0, s.shape[0], block):
        blk = s[i0:i0 + block] - setup.lo
        blk *= inv
        np.clip(blk, 0, setup.bins - 1, out=blk)
        part = out[i0:i0 + block]
        part[...] = blk
        part += offsets
    return out


def _run_chunk(task: tuple[Setup, int, Any], into: dict[str, Any] | None = None) -> dict[str, Any]:
    """Draw ``n`` samples from ``seed`` and return their accumulators.

    Returns
    -------
    dict
        ``node -> dict`` with ``hist`` (rows x bins counts), ``rank`` (rows x ``rank_cols``
        counts: column 0 = missing, column ``c`` = ranks ``(c - 1) * rank_width + 1`` to
        ``c * rank_width``), ``top`` (rows x len(top): samples ranked in the first ``k``),
        ``rank_min``, ``rank_max`` (binned ranks only), ``min``, ``max``, ``sum``, ``sumsq``,
        ``valid`` (per row), ``up`` and ``both`` (per consecutive-wave pair: samples where the
        later score is higher, samples where both exist).
    """
    setup, n, seed = task
    rng = np.random.default_rng(seed)
    w, k_norm, k_agg = draw_inputs(setup, n, rng)
    scores = score_batch(setup, w, k_norm, k_agg)
    del w
    r = setup.values[0].shape[0]
    width = (setup.hi - setup.lo) / setup.bins if setup.hi > setup.lo else 1.0
    out = empty_accumulators(setup) if into is None else into
    offsets = (np.arange(r, dtype=np.int64) * setup.bins)[None, :]
    for node in setup.nodes:
        s = scores.pop(node)
        acc = out[node]
        start = None
        if (len(setup.waves) == 1 and setup.rank_width == 1 and s.dtype == np.float64 and s.flags.c_contiguous
                and s.flags.writeable):
            done, start = block_pass(acc, s, setup, width)
            if done == s.shape[0]:
                continue
            s = s[done:]  # from the first block with a missing or negative score on: the general path
        smin = s.min(axis=0)  # NaN where a row misses a score in some sample
        complete = not np.isnan(smin).any()
        ok = None if complete else ~np.isnan(s)
        add_counts(acc["hist"], _bin_index(s if complete else np.where(ok, s, setup.lo), setup, width, offsets),
                   None if complete else ok)
        np.minimum(acc["min"], smin if complete else np.where(ok, s, np.inf).min(axis=0), out=acc["min"])
        acc["valid"] += s.shape[0] if complete else ok.sum(axis=0).astype(acc["valid"].dtype)
        filled = s if complete else np.where(ok, s, 0.0)
        np.maximum(acc["max"], s.max(axis=0) if complete else np.where(ok, s, -np.inf).max(axis=0), out=acc["max"])
        _add_moments(acc, filled, start)
        if len(setup.pairs):
            a, b2 = s[:, setup.pairs[:, 0]], s[:, setup.pairs[:, 1]]
            both = ~np.isnan(a) & ~np.isnan(b2)
            acc["up"] += ((b2 > a) & both).sum(axis=0).astype(acc["up"].dtype)
            acc["both"] += both.sum(axis=0).astype(acc["both"].dtype)
        del filled
        for i, rows in enumerate(setup.waves):  # last: the last wave's sort keys may overwrite `s`
            _rank_counts(acc, s, rows, setup, consume=i == len(setup.waves) - 1)
    return out



def _add_moments(acc: dict[str, np.ndarray], filled: np.ndarray, start: tuple[np.ndarray, np.ndarray] | None) -> None:
    """Add the sums and sums of squares of the samples of ``filled`` (missing scores as 0) to ``acc``.

    ``start``: running totals of the chunk's earlier samples (:func:`~coopeval.uncertainty.blocks.block_pass` stopped
    early); they go first, so the samples are added one after the other from the chunk's first,
    as ``s.sum(axis=0)`` and ``einsum("ij,ij->j")`` add them.
    """
    if start is None:
        acc["sum"] += filled.sum(axis=0)
        acc["sumsq"] += np.einsum("ij,ij->j", filled, filled)
        return
    sq = filled * filled
    sq[0] += start[1]
    acc["sumsq"] += sq.sum(axis=0)
    del sq
    first = filled[0].copy()
    filled[0] += start[0]
    acc["sum"] += filled.sum(axis=0)
    filled[0] = first

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
                if k in ("min", "rank_min"):
                    np.minimum(total[node][k], v, out=total[node][k])
                elif k in ("max", "rank_max"):
                    np.maximum(total[node][k], v, out=total[node][k])
                else:
                    total[node][k] += v
    return total
