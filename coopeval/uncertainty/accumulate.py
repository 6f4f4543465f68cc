"""Quantiles from the fixed-size accumulators of the Monte Carlo chunks.

Score quantiles are read from per-cell histograms over ``[lo, hi]`` (the range every
aggregate lies in: any weighted power mean or minimum of children lies between their
smallest and largest value), by linear interpolation inside the bin containing the inverted-CDF sample quantile
(the ``ceil(q n)``-th smallest draw), clipped to
the smallest and largest score actually drawn — so a degenerate distribution gives
its exact value and the error is at most one bin width otherwise. Rank quantiles are
exact (ranks are counted, not binned).
"""

from __future__ import annotations

import numpy as np

__all__ = ["hist_quantile", "rank_quantile", "top_k"]


def hist_quantile(hist: np.ndarray, lo: float, hi: float, q: float, vmin: np.ndarray, vmax: np.ndarray) -> np.ndarray:
    """Quantile ``q`` of every row of a histogram (rows = cells), NaN for empty rows."""
    n_bins = hist.shape[1]
    width = (hi - lo) / n_bins if hi > lo else 0.0
    total = hist.sum(axis=1)
    cum = np.cumsum(hist, axis=1)
    target = q * total
    j = np.minimum((cum < target[:, None]).sum(axis=1), n_bins - 1)
    before = np.where(j > 0, np.take_along_axis(cum, np.maximum(j - 1, 0)[:, None], axis=1)[:, 0], 0)
    inside = np.take_along_axis(hist, j[:, None], axis=1)[:, 0]
    with np.errstate(invalid="ignore", divide="ignore"):
        frac = np.where(inside > 0, (target - before) / inside, 0.5)
    value = lo + (j + np.clip(frac, 0.0, 1.0)) * width
    value = np.clip(value, vmin, vmax)
    return np.where(total > 0, value, np.nan)


def rank_quantile(counts: np.ndarray, q: float) -> np.ndarray:
    """Quantile ``q`` (inverted CDF) of ranks from counts (column r = rank r; column 0 = missing)."""
    c = counts[:, 1:]
    total = c.sum(axis=1)
    cum = np.cumsum(c, axis=1)
    r = (cum < q * total[:, None] - 1e-9).sum(axis=1) + 1
    return np.where(total > 0, r.astype(float), np.nan)


def top_k(counts: np.ndarray, k: int) -> np.ndarray:
    """Probability of a rank <= k among samples where the cell has a score."""
    c = counts[:, 1:]
    total = c.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(total > 0, c[:, :k].sum(axis=1) / total, np.nan)
