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
    np.testing.assert_allclose(top_k((ranks <= 2).sum(axis=0), np.full(4, 999)), (ranks <= 2).mean(axis=0))


def test_binned_rank_quantile_within_one_bin_and_exact_when_constant():
    rng = np.random.default_rng(2)
    n_ranks, width = 1000, 25
    ranks = np.column_stack([rng.integers(1, n_ranks + 1, 3001), np.clip(rng.normal(400, 30, 3001), 1, n_ranks),
                             np.full(3001, 613)]).astype(int)
    cols = -(-n_ranks // width) + 1
    counts = np.stack([np.bincount((ranks[:, j] - 1) // width + 1, minlength=cols) for j in range(3)])
    for q in (0.05, 0.5, 0.95):
        got = rank_quantile(counts, q, width, ranks.min(axis=0), ranks.max(axis=0))
        want = np.quantile(ranks, q, axis=0, method="inverted_cdf")
        assert np.all(np.abs(got - want) < width)
        assert got[2] == 613  # a rank that never changes is exact
        assert np.all(got == np.round(got))


def test_count_below_is_the_direct_comparison():
    """The binary search on row-shifted keys (``_count_below``) counts exactly what
    ``(cum < target[:, None]).sum(axis=1)`` counts: integer targets, fractional ones, targets just
    below 0 and at the row total, empty rows and ties (runs of equal cumulative counts)."""
    from coopeval.uncertainty.accumulate import _count_below, row_keys

    rng = np.random.default_rng(3)
    counts = rng.integers(0, 4, size=(300, 17)) * (rng.random((300, 17)) < 0.4)
    counts[:5] = 0  # empty rows
    cum = np.cumsum(counts, axis=1)
    total = cum[:, -1]
    for q in (0.0, 0.05, 0.25, 0.5, 0.95, 1.0):
        for target in (q * total, q * total - 1e-9, np.floor(q * total), np.ceil(q * total) + 0.5 * (q < 1)):
            want = (cum < target[:, None]).sum(axis=1)
            np.testing.assert_array_equal(_count_below(cum, None, target), want)
            np.testing.assert_array_equal(_count_below(cum, row_keys(cum), target), want)
