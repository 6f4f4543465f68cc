"""Monte Carlo engine against a per-sample loop of ``ce.score`` (an independent path).

The brute-force reference re-draws the same inputs from the documented seed scheme
(one chunk: ``numpy.random.SeedSequence(seed).spawn(n_chunks + 1)[0]``; weights
``ws.sample(n, rng)`` first, then the normalisation and aggregation indices), scores each
sample with ``ce.score`` and computes ranks with ``pandas.Series.rank``, quantiles with
``numpy.quantile(method="inverted_cdf")`` (ranks: exact; scores:
histogram estimate, tolerance one bin width).
"""

from __future__ import annotations

import tracemalloc
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.uncertainty import UncertaintyResult, uncertainty

NORMS = ["goalposts", "rank"]
AGGS = ["arithmetic", {"overall": "geometric"}]


def _brute(panel, fw, ws, n, seed, output_range=(1, 100), aggs=AGGS):
    rng = np.random.default_rng(np.random.SeedSequence(seed).spawn(2)[0])
    frame = ws.sample(n, rng)
    kn = rng.integers(len(NORMS), size=n)
    ka = rng.integers(len(aggs), size=n) if len(aggs) > 1 else np.zeros(n, dtype=int)  # as draw_inputs
    out = []
    for i in range(n):
        sc = ce.score(panel, fw, weights=frame.iloc[i].to_dict(), normalisation=NORMS[kn[i]],
                      aggregation=aggs[ka[i]], output_range=output_range)
        sc = sc[sc["node"].isin(["overall", "d1", "d2"])].copy()
        sc["rank"] = sc.groupby(["node", "wave"])["score"].rank(ascending=False, method="first")
        out.append(sc.assign(sample=i))
    return pd.concat(out, ignore_index=True)


def test_matches_per_sample_loop(panel, small_fw, dirichlet):
    ws = dirichlet(small_fw)
    n = 150
    mc = ce.uncertainty(panel, small_fw, weights=ws, n=n, seed=3, normalisations=NORMS, aggregations=AGGS,
                        output_range=(1, 100), chunk_size=n, sensitivity=False, top=(1, 3))
    assert isinstance(mc, UncertaintyResult)
    ref = _brute(panel, small_fw, ws, n, 3)
    width = (mc.settings["hi"] - mc.settings["lo"]) / mc.settings["bins"]
    summ = mc.summary.set_index(["unit", "wave", "node"])
    for key, g in ref.groupby(["unit", "wave", "node"]):
        row = summ.loc[key]
        s, r = g["score"].to_numpy(), g["rank"].to_numpy()
        assert row["score_mean"] == pytest.approx(s.mean(), rel=1e-10)
        assert row["score_sd"] == pytest.approx(s.std(ddof=1), rel=1e-7, abs=1e-9)
        for col, q in (("score_median", 0.5), ("score_low", 0.05), ("score_high", 0.95)):
            assert abs(row[col] - np.quantile(s, q, method="inverted_cdf")) <= width + 1e-9
        for col, q in (("rank_median", 0.5), ("rank_low", 0.05), ("rank_high", 0.95)):
            assert row[col] == np.quantile(r, q, method="inverted_cdf")
    tk = mc.top_k.set_index(["unit", "wave", "node", "k"])["probability"]
    for (u, w, node), g in ref.groupby(["unit", "wave", "node"]):
        assert tk.loc[(u, w, node, 3)] == pytest.approx((g["rank"] <= 3).mean())
    wide = ref.pivot_table(index=["sample", "node", "unit"], columns="wave", values="score")
    p_up = (wide[2024] > wide[2023]).groupby(level=["node", "unit"]).mean()
    imp = mc.improvement.set_index(["node", "unit"])["probability"]
    pd.testing.assert_series_equal(imp.sort_index(), p_up.sort_index(), check_names=False)


@pytest.mark.parametrize(("output_range", "aggs"), [((1, 100), AGGS),
                                                     ((0, 100), ["arithmetic"])])  # lower end 0: no subtraction
def test_single_wave_block_pass_matches_per_sample_loop(panel, small_fw, dirichlet, output_range, aggs):
    """One complete wave with exact ranks takes the cache-blocked pass (histogram cells, sort keys,
    rank cells and top-k per block of 64 samples; 150 samples leave a partial last block): its
    rank counts, rank quantiles and top-k equal the per-sample loop's (``pandas.Series.rank``),
    score quantiles within one bin."""
    one = panel[panel["wave"] == 2024]
    ws = dirichlet(small_fw)
    n = 150
    mc = ce.uncertainty(one, small_fw, weights=ws, n=n, seed=5, normalisations=NORMS, aggregations=aggs,
                        output_range=output_range, chunk_size=n, sensitivity=False, top=(1, 3))
    assert mc.settings["lo"] == output_range[0]
    ref = _brute(one, small_fw, ws, n, 5, output_range, aggs)
    width = (mc.settings["hi"] - mc.settings["lo"]) / mc.settings["bins"]
    summ = mc.summary.set_index(["unit", "wave", "node"])
    tk = mc.top_k.set_index(["unit", "wave", "node", "k"])["probability"]
    for (u, w, node), g in ref.groupby(["unit", "wave", "node"]):
        row, s, r = summ.loc[(u, w, node)], g["score"].to_numpy(), g["rank"].to_numpy()
        assert row["score_mean"] == pytest.approx(s.mean(), rel=1e-10)
        for col, q in (("score_median", 0.5), ("score_low", 0.05), ("score_high", 0.95)):
            assert abs(row[col] - np.quantile(s, q, method="inverted_cdf")) <= width + 1e-9
        for col, q in (("rank_median", 0.5), ("rank_low", 0.05), ("rank_high", 0.95)):
            assert row[col] == np.quantile(r, q, method="inverted_cdf")
        assert tk.loc[(u, w, node, 3)] == pytest.approx((r <= 3).mean())
        counts = mc.rank_counts[node].loc[(u, w)].to_numpy()
        np.testing.assert_array_equal(counts, np.bincount(r.astype(int), minlength=len(counts) + 1)[1:])


class _HolesWeights:
    """Default weights with a little noise; ``f`` weighs 0 in samples 100 and 130 of a draw."""

    def __init__(self, fw):
        self.local = fw.default_weights("local")

    def sample(self, n, rng):
        out = pd.DataFrame(np.repeat(self.local.to_numpy()[None, :], n, axis=0), columns=self.local.index)
        out += rng.uniform(0, 0.01, out.shape)
        out.loc[[i for i in (100, 130) if i < n], "f"] = 0.0
        return out


@pytest.mark.parametrize(("block", "first"), [(64, 64), (None, 0)], ids=["blocks-of-64", "default-block"])
def test_block_pass_hands_over_at_the_first_missing_score(panel, small_fw, monkeypatch, block, first):
    """The cache-blocked pass stops at the first block with a missing score (u0 has no ``e``, so its
    ``d2`` is missing in samples 100 and 130, where ``f`` weighs 0) and the general path counts the
    rest, continuing the running sums: every table equals the general path's alone. Blocks of 64
    samples hand over at sample 64; the default block of a few units (at least 64 samples, about
    8,192 scores) holds the whole chunk of 150, which goes to the general path."""
    from coopeval.uncertainty import chunk

    one = panel[(panel["wave"] == 2024) & ~((panel["unit"] == "u0") & (panel["indicator"] == "e"))]
    kw = dict(weights=_HolesWeights(small_fw), n=150, seed=9, chunk_size=150, min_coverage=0.3, sensitivity=False,
              top=(1, 3))
    handed = []
    block_pass = chunk.block_pass

    def spy(acc, s, *a, **k):
        done, start = block_pass(acc, s, *a, block=block, **k)
        handed.append(done)
        return done, start

    monkeypatch.setattr(chunk, "block_pass", spy)
    mc = ce.uncertainty(one, small_fw, **kw)
    assert first in handed  # d2 (and the root above it): from the block of sample 100 on, the general path
    monkeypatch.setattr(chunk, "block_pass", lambda *a, **k: (0, None))
    ref = ce.uncertainty(one, small_fw, **kw)
    assert mc.summary.set_index(["unit", "node"]).loc[("u0", "d2"), "n"] == 148
    pd.testing.assert_frame_equal(mc.summary, ref.summary, check_exact=True)
    pd.testing.assert_frame_equal(mc.top_k, ref.top_k, check_exact=True)
    for node in mc.rank_counts:
        pd.testing.assert_frame_equal(mc.rank_counts[node], ref.rank_counts[node], check_exact=True)


@pytest.mark.parametrize("given", [{"d1": 2}, pd.Series({"d1": 2.0})], ids=["mapping", "series"])
def test_fixed_weights_give_degenerate_intervals(panel, small_fw, given):
    """A mapping or a Series gives fixed weights (the docstring's promise). A Series has a
    ``sample`` method of its own (random rows): it was taken for a weight sampler, its weights
    replaced by the defaults for the nominal score and ``Series.sample(n, rng)`` then failed."""
    mc = uncertainty(panel, small_fw, weights=given, n=64, sensitivity=True)
    sc = ce.score(panel, small_fw, weights={"d1": 2})
    s = mc.summary.merge(sc, on=["unit", "wave", "node"], suffixes=("", "_ref"))
    np.testing.assert_allclose(s["score"], s["score_ref"], rtol=1e-12)
    for col in ("score_median", "score_low", "score_high"):
        np.testing.assert_allclose(s[col], s["score_ref"], rtol=1e-12)
    assert (s["rank_low"] == s["rank"]).all() and (s["rank_high"] == s["rank"]).all()
    assert set(mc.top_k["probability"]) <= {0.0, 1.0}
    assert mc.sensitivity.empty  # nothing is uncertain


def test_same_result_whatever_the_executor_and_chunking(panel, small_fw, dirichlet):
    kw = dict(weights=dirichlet(small_fw), n=300, seed=11, normalisations=NORMS, output_range=(1, 100),
              chunk_size=64, sensitivity_n=64)
    a = ce.uncertainty(panel, small_fw, **kw)
    with ThreadPoolExecutor(2) as ex:
        b = ce.uncertainty(panel, small_fw, executor=ex, **kw)
    pd.testing.assert_frame_equal(a.summary, b.summary)
    pd.testing.assert_frame_equal(a.sensitivity, b.sensitivity)
    c = ce.uncertainty(panel, small_fw, **{**kw, "seed": 12})
    assert not a.summary["score_mean"].equals(c.summary["score_mean"])
    # binned ranks (rank extremes combined by min / max) too
    a3 = ce.uncertainty(panel, small_fw, rank_bins=3, **kw)
    with ThreadPoolExecutor(2) as ex:
        b3 = ce.uncertainty(panel, small_fw, executor=ex, rank_bins=3, **kw)
    pd.testing.assert_frame_equal(a3.summary, b3.summary)


@pytest.mark.slow
def test_dask_local_cluster_equals_in_process(panel, small_fw, dirichlet):
    distributed = pytest.importorskip("dask.distributed")
    kw = dict(weights=dirichlet(small_fw), n=120, seed=5, chunk_size=40, sensitivity_n=40,
              aggregations=["arithmetic", "geometric"], output_range=(1, 100), rank_bins=3)
    local = ce.uncertainty(panel, small_fw, **kw)
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        remote = ce.uncertainty(panel, small_fw, executor=client.get_executor(), **kw)
    pd.testing.assert_frame_equal(local.summary, remote.summary)
    pd.testing.assert_frame_equal(local.improvement, remote.improvement)
    pd.testing.assert_frame_equal(local.sensitivity, remote.sensitivity)


def test_memory_does_not_grow_with_n(panel, small_fw, dirichlet):
    """Peak traced memory with 16x more samples (same chunk size) stays about the same, and far
    below what holding every sampled score at once would take (the fixed cost of building the
    plan and the summary, ~0.65 MB here, does not depend on n)."""
    ws = dirichlet(small_fw)
    # a first call pays the one-time costs (lazy imports, compiled plans, caches), whatever ran before
    ce.uncertainty(panel, small_fw, weights=ws, n=40, chunk_size=40, sensitivity=False, bins=50)
    peaks = []
    for n in (400, 6400):
        tracemalloc.start()
        ce.uncertainty(panel, small_fw, weights=ws, n=n, chunk_size=40, sensitivity=False, bins=50)
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
    # + 256 kB: pandas frames of the sampler left to the cyclic garbage collector (~100-150 kB at
    # its thresholds, whatever n); holding the 6,400 x 16 x 3 scores would take 2.4 MB
    assert peaks[1] < 1.3 * peaks[0] + 256_000
    assert peaks[1] < 0.5 * 6400 * 16 * 3 * 8  # well below holding every score at once


def test_nodes_and_errors(panel, small_fw):
    mc = ce.uncertainty(panel, small_fw, n=10, nodes="all", sensitivity=False)
    assert set(mc.summary["node"]) == {"overall", "d1", "d2", "c1", "c2"}
    assert set(mc.summary.columns) >= {"unit", "wave", "node", "score_median", "score_low", "score_high",
                                       "rank_median", "rank_low", "rank_high"}
    with pytest.raises(ce.UncertaintyError, match="`n`"):
        ce.uncertainty(panel, small_fw, n=0)
    with pytest.raises(ce.UncertaintyError, match="nodes"):
        ce.uncertainty(panel, small_fw, n=10, nodes=["a"])
    with pytest.raises(ce.UncertaintyError, match="executor"):
        ce.uncertainty(panel, small_fw, n=10, executor=object())
    with pytest.raises(ce.UncertaintyError, match="normalisation"):
        ce.uncertainty(panel, small_fw, n=10, normalisations=["goalposts", "bogus"])
    with pytest.raises(ce.UncertaintyError, match="output_range"):
        ce.uncertainty(panel, small_fw, n=10, aggregations=["geometric"], normalisations=["minmax"])


def test_ce_uncertainty_is_the_plain_function():
    import inspect
    import sys

    import coopeval.uncertainty  # noqa: F401 - importing the subpackage must not replace the function

    assert ce.uncertainty is uncertainty and inspect.isfunction(ce.uncertainty)
    assert list(inspect.signature(ce.uncertainty).parameters)[:5] == ["obs", "fw", "weights", "n", "seed"]
    assert sys.modules["coopeval.uncertainty"].UncertaintyResult.__name__ == "UncertaintyResult"


def test_binned_ranks_within_one_bin_and_exact_top_k(panel, small_fw, dirichlet):
    """Binned rank counts (forced with ``rank_bins``; the default bins only waves too large for
    exact counts) give rank quantiles within one bin of the exact ones, exact top-k, and
    equal scores."""
    kw = dict(weights=dirichlet(small_fw, concentration=3.0), n=400, seed=2, sensitivity=False, top=(1, 3))
    exact = ce.uncertainty(panel, small_fw, **kw)
    binned = ce.uncertainty(panel, small_fw, rank_bins=3, **kw)
    assert exact.settings["rank_width"] == 1 and binned.settings["rank_width"] == 3
    assert list(binned.rank_counts["overall"].columns) == [1, 4, 7]
    a, b = exact.summary, binned.summary
    pd.testing.assert_frame_equal(a.drop(columns=["rank_median", "rank_low", "rank_high"]),
                                  b.drop(columns=["rank_median", "rank_low", "rank_high"]))
    for col in ("rank_median", "rank_low", "rank_high"):
        assert (np.abs(a[col] - b[col]) < 3).all()
        assert (b[col] == np.round(b[col])).all()
    pd.testing.assert_frame_equal(exact.top_k, binned.top_k)
    counts = exact.rank_counts["overall"].to_numpy()
    np.testing.assert_array_equal(binned.rank_counts["overall"].to_numpy(),
                                  np.add.reduceat(counts, [0, 3, 6], axis=1))


def test_ranks_of_ties_follow_row_order():
    """Equal scores are ranked in row order, as ``pandas.Series.rank(method="first")``; missing last."""
    from coopeval.uncertainty.chunk import ranks

    s = np.array([[2.0, 5.0, 2.0, np.nan, -0.0, 0.0, -3.5, 5.0]])
    want = pd.Series(s[0]).rank(ascending=False, method="first").fillna(0).to_numpy()
    np.testing.assert_array_equal(ranks(s, np.arange(8))[0], want)


def test_single_thread_blas_limits_and_restores_every_time():
    """The thread-pool controller is built once per process and reused: each use limits BLAS to
    one thread inside and gives back the previous thread count after."""
    from threadpoolctl import threadpool_info

    from coopeval.uncertainty.chunk import single_thread_blas

    def blas_threads():
        return [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]

    before = blas_threads()
    for _ in range(2):
        with single_thread_blas():
            assert set(blas_threads()) <= {1}
        assert blas_threads() == before
