"""Quantiles from the fixed-size accumulators of the Monte Carlo chunks.

Score quantiles are read from per-cell histograms over ``[lo, hi]`` (the range every
aggregate lies in: any weighted power mean or minimum of children lies between their
smallest and largest value), by linear interpolation inside the bin containing the inverted-CDF sample quantile
(the ``ceil(q n)``-th smallest draw), clipped to
the smallest and largest score actually drawn — so a degenerate distribution gives
its exact value and the error is at most one bin width otherwise. Rank quantiles are
exact when ranks are counted one by one, and within one rank bin when they are binned
(large waves, see :func:`coopeval.uncertainty.uncertainty`); top-k counts are always exact.
"""

from __future__ import annotations

import numpy as np

__all__ = ["hist_quantile", "rank_quantile", "row_keys", "top_k"]


def row_keys(cum: np.ndarray) -> tuple[np.ndarray, int]:
    """Cumulative counts (rows x columns, each row non-decreasing, >= 0) shifted row by row so that
    they make one sorted array (row ``i`` plus ``i * step``, ``step = max + 1``), and ``step``.
    Shared between quantiles."""
    step = int(cum[:, -1].max(initial=0)) + 1 if cum.size else 1  # a row's largest count is its last
    return (cum + (np.arange(cum.shape[0], dtype=np.int64) * step)[:, None]).ravel(), step


def _count_below(cum: np.ndarray, keys: tuple[np.ndarray, int] | None, target: np.ndarray) -> np.ndarray:
    """``(cum < target[..., None]).sum(axis=-1)`` for integer, non-decreasing rows: one binary search per row
    and target (``target``: one value per row, or ``(quantiles, rows)``).

    An integer count is below a real target exactly when it is below ``ceil(target)``; targets lie in
    ``[-1, max]``, so row ``i``'s shifted target stays between rows ``i - 1`` and ``i + 1``.
    """
    flat, step = row_keys(cum) if keys is None else keys
    rows = np.arange(cum.shape[0], dtype=np.int64)
    bound = rows * step + np.maximum(np.ceil(target), 0).astype(np.int64)
    return np.searchsorted(flat, bound, side="left") - rows * cum.shape[1]


def _at(a: np.ndarray, j: np.ndarray) -> np.ndarray:
    """``a[i, j[..., i]]`` for every row ``i`` (``j``: one column per row, or ``(quantiles, rows)``)."""
    return a[np.arange(a.shape[0]), j]


def hist_quantile(hist: np.ndarray, lo: float, hi: float, q: float | np.ndarray, vmin: np.ndarray,
                  vmax: np.ndarray, cum: np.ndarray | None = None,
                  keys: tuple[np.ndarray, int] | None = None) -> np.ndarray:
    """Quantile ``q`` of every row of a histogram (rows = cells), NaN for empty rows.

    ``q`` may be a sequence: the result is then ``(len(q), rows)``. ``cum`` (``np.cumsum(hist, axis=1)``) and
    ``keys`` (``row_keys(cum)``) may be passed to share them between calls.
    """
    n_bins = hist.shape[1]
    width = (hi - lo) / n_bins if hi > lo else 0.0
    cum = np.cumsum(hist, axis=1) if cum is None else cum
    total = cum[:, -1]
    target = np.multiply.outer(q, total)
    j = np.minimum(_count_below(cum, keys, target), n_bins - 1)
    before = np.where(j > 0, _at(cum, np.maximum(j - 1, 0)), 0)
    inside = _at(hist, j)
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(inside > 0, (target - before) / inside, 0.5)
    value = lo + (j + np.clip(frac, 0.0, 1.0)) * width
    value = np.clip(value, vmin, vmax)
    return np.where(total > 0, value, np.nan)


def rank_quantile(counts: np.ndarray, q: float | np.ndarray, width: int = 1, rank_min: np.ndarray | None = None,
                  rank_max: np.ndarray | None = None, cum: np.ndarray | None = None,
                  keys: tuple[np.ndarray, int] | None = None) -> np.ndarray:
    """Quantile ``q`` (inverted CDF) of ranks from counts (column 0 = missing).

    With ``width == 1`` column ``c`` holds rank ``c`` and the quantile is exact. With binned
    ranks (column ``c`` holds ranks ``(c - 1) * width + 1`` to ``c * width``), the
    ``ceil(q n)``-th smallest rank is placed by spreading the ``m`` counts of its column evenly
    over the column's ranks (the ``t``-th of them at ``floor((t - 1/2) width / m)`` past the
    first rank), then clipped to the row's smallest and largest rank drawn: the error is less
    than ``width`` ranks, and a unit whose rank never changes gets it exactly. ``q`` may be a
    sequence (result ``(len(q), rows)``). ``cum`` (``np.cumsum(counts[:, 1:], axis=1)``) and
    ``keys`` (``row_keys(cum)``) may be passed to share them between calls.
    """
    c = counts[:, 1:]
    cum = np.cumsum(c, axis=1) if cum is None else cum
    total = cum[:, -1]
    qt = np.multiply.outer(q, total)
    j = _count_below(cum, keys, qt - 1e-9)
    if width == 1:
        return np.where(total > 0, (j + 1).astype(float), np.nan)
    j = np.minimum(j, c.shape[1] - 1)
    k = np.ceil(qt - 1e-9).clip(1)
    before = np.where(j > 0, _at(cum, np.maximum(j - 1, 0)), 0)
    inside = np.maximum(_at(c, j), 1)
    rank = 1 + j * width + np.floor((k - before - 0.5) * width / inside)
    rank = np.clip(rank, 1 + j * width, (j + 1) * width)
    if rank_min is not None:
        rank = np.clip(rank, rank_min, rank_max)
    return np.where(total > 0, rank, np.nan)


def top_k(top: np.ndarray, valid: np.ndarray) -> np.ndarray:
    """Probability of a rank <= k (counts ``top`` of such samples) among samples where the cell has a score."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(valid > 0, top / np.maximum(valid, 1), np.nan)
