"""Quantiles from accumulators against numpy on the raw draws.

Reference: ``numpy.quantile(..., method="inverted_cdf")`` (Hyndman & Fan 1996, definition 1),
the sample quantile the histogram estimate brackets; tolerance one bin width for scores,
exact for ranks.
"""

from __future__ import annotations

import numpy as np

from coopeval.uncertainty.accumulate import hist_quantile, rank_quantile, top_k


def test_hist_quantile_within_one_bin():
    rng = np.random.default_rng(0)
    draws = np.column_stack([rng.normal(50, 10, 5000), rng.uniform(0, 100, 5000), np.full(5000, 42.0)])
    draws = np.clip(draws, 0, 100)
    bins, lo, hi = 200, 0.0, 100.0
    idx = np.clip(((draws - lo) / (hi - lo) * bins).astype(int), 0, bins - 1)
    hist = np.stack([np.bincount(idx[:, j], minlength=bins) for j in range(3)])
    for q in (0.05, 0.5, 0.95):
        got = hist_quantile(hist, lo, hi, q, draws.min(axis=0), draws.max(axis=0))
        want = np.quantile(draws, q, axis=0, method="inverted_cdf")
        assert np.all(np.abs(got - want) <= (hi - lo) / bins)
        assert got[2] == 42.0  # constant draws: exact (clipped to the observed min and max)
    empty = hist_quantile(np.zeros((1, bins), dtype=int), lo, hi, 0.5, np.array([np.inf]), np.array([-np.inf]))
    assert np.isnan(empty[0])


def test_rank_quantile_and_top_k_exact():
    rng = np.random.default_rng(1)
    ranks = rng.integers(1, 7, size=(999, 4))
    counts = np.zeros((4, 7), dtype=int)
    for j in range(4):
        counts[j] = np.bincount(ranks[:, j], minlength=7)
    for q in (0.05, 0.5, 0.95):
        np.testing.assert_array_equal(rank_quantile(counts, q), np.quantile(ranks, q, axis=0, method="inverted_cdf"))
    np.testing.assert_allclose(top_k(counts, 2), (ranks <= 2).mean(axis=0))
