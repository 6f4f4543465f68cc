"""Smoke test of ``benchmarks/run.py`` (the benchmark itself is not run by the test suite).

It also checks, on a small matrix, that coopeval's min-max + weighted-sum ranking equals the
rankings of two independent implementations: scikit-criteria (``NegateMinimize`` +
``MinMaxScaler`` + ``WeightedSumModel``) and pymcdm (``WSM`` with min-max normalisation).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

RUN = Path(__file__).resolve().parents[2] / "benchmarks" / "run.py"


def _load():
    spec = importlib.util.spec_from_file_location("coopeval_bench_run", RUN)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_benchmark_module_and_peer_rankings_agree():
    run = _load()
    fw = run.make_framework()
    assert len(fw) == 40 and len(fw.dimension_ids) == 5
    obs = run.make_obs(fw, 30)
    sample = run.DirichletWeights(fw).sample(4, np.random.default_rng(0))
    for parent in ["overall", "d0", "c00"]:
        np.testing.assert_allclose(sample[fw.children(parent)].sum(axis=1), 1.0)
    res = run.case_scoring(fw, obs, repeat=1)
    assert res["_rankings_agree"] is True


def test_lower_bound_counts_the_same_ranks_as_coopeval():
    """The benchmark's lower bound (matrix product + packed-key sort + bincount) does the same
    work as coopeval's rank counting: on the same draws (chunk 0 of the documented seed scheme)
    both give identical exact rank counts."""
    import coopeval as ce

    run = _load()
    fw = run.make_framework()
    obs = run.make_obs(fw, 60)
    ws = run.DirichletWeights(fw)
    n = 300
    frame = ws.sample(n, np.random.default_rng(np.random.SeedSequence(4).spawn(2)[0]))
    glob = np.ones((n, len(fw)))
    for j, ind in enumerate(fw.indicator_ids):
        p = ind
        while p != "overall":
            glob[:, j] *= frame[p].to_numpy()
            p = fw.parent(p)
    m, _, types = run.wide(fw, obs)
    v = (m - m.min(axis=0)) / (m.max(axis=0) - m.min(axis=0))
    v[:, types < 0] = 1 - v[:, types < 0]
    mc = ce.uncertainty(obs, fw, weights=ws, n=n, seed=4, chunk_size=n, normalisation="minmax", nodes=["overall"],
                        sensitivity=False)
    np.testing.assert_array_equal(mc.rank_counts["overall"].to_numpy(), run.lower_bound(glob, v, chunk=128))


def test_coinr_side_by_side_skips_without_r(monkeypatch):
    """``benchmarks/coinr.py`` says why it is skipped where R or COINr is missing, and its
    coopeval half (COINr's noisy weights on ASEM) runs."""
    spec = importlib.util.spec_from_file_location("coopeval_bench_coinr", RUN.parent / "coinr.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod.shutil, "which", lambda name: None)
    assert "Rscript" in mod.main()["skipped"]
    import pandas as pd

    from coopeval.scoring.coinr import from_coinr

    ref = RUN.parents[1] / "tests" / "reference" / "scoring" / "coinr_asem"
    fw, _ = from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))
    draws = mod.NoisyWeights(fw).sample(500, np.random.default_rng(0))
    ratio = draws / mod.NoisyWeights(fw).local
    lev = {n: fw.level(n) for n in ratio.columns}
    moved = [n for n in ratio.columns if lev[n] in ("dimension", "criterion")]
    assert ratio[moved].min().min() >= 0.75 and ratio[moved].max().max() <= 1.25
    assert (ratio[[n for n in ratio.columns if n not in moved]] == 1).all().all()
    # rounds: each side's best round gives the ratios, from the long table and prepared
    rounds = [{"ua_100": 5.0, "ua_100_cpu": 4.9, "version": "1.1.14"}, {"ua_100": 3.0, "ua_100_cpu": 3.1, "version": "1.1.14"}]
    assert mod._best(rounds) == {"ua_100": 3.0, "ua_100_cpu": 3.1, "version": "1.1.14"}
    coinr = {k: 4.0 for k in ("ua_100", "ua_1000", "sa_100", "pipeline")} | {f"{k}_cpu": 4.0 for k in mod.CASES}
    ours = {k: 0.004 for k in mod.CASES} | {f"prepared_{k}": 0.002 for k in mod.CASES} | {"pipeline": 2.0}
    ours |= {f"{k}_cpu": 0.004 for k in mod.CASES} | {f"prepared_{k}_cpu": 0.002 for k in mod.CASES}
    got = mod._ratios(coinr, ours)
    assert got["per_sample_ratio"]["ua_100"] == pytest.approx(1000)
    assert got["per_sample_ratio_prepared"]["sa_100"] == pytest.approx(2000)
    assert got["pipeline_ratio"] == pytest.approx(2.0)
    # pairs of UA N = 100: the median ratio of every round and pair, and how many reach 1,000x prepared
    pairs = [{"ratio": 400.0, "ratio_prepared": 900.0}, {"ratio": 500.0, "ratio_prepared": 1100.0}]
    summ = mod._pair_summary([{"per_sample_ratio": {"ua_100": 450.0}, "per_sample_ratio_prepared": {"ua_100": 1000.0}}],
                             pairs)
    assert summ["n"] == 3 and summ["median"] == 450.0 and summ["median_prepared"] == 1000.0
    assert summ["min_prepared"] == 900.0 and summ["at_least_1000_prepared"] == 2


def test_benchmark_sampler_draws_the_dirichlet_of_every_sibling_group():
    """The benchmark's sampler draws every sibling group at once (independent gammas divided by
    their group's sum). Its moments must be those of Dirichlet(concentration x default weights):
    mean a_i / a_0 and variance a_i (a_0 - a_i) / (a_0^2 (a_0 + 1)) (Kotz, Balakrishnan & Johnson,
    *Continuous Multivariate Distributions* vol. 1, 2nd ed., 2000, ch. 49), and match numpy's own
    ``Generator.dirichlet`` within sampling error (20,000 draws: 5 standard errors)."""
    run = _load()
    fw = run.make_framework()
    ws = run.DirichletWeights(fw)
    n = 20_000
    frame = ws.sample(n, np.random.default_rng(7))
    assert list(frame.columns) == list(ws.local.index)
    for group in ws.groups:
        a = ws.concentration * ws.local[group].to_numpy()
        a0 = a.sum()
        mean, var = a / a0, a * (a0 - a) / (a0**2 * (a0 + 1))
        x = frame[group].to_numpy()
        np.testing.assert_allclose(x.sum(axis=1), 1.0, rtol=1e-12)
        assert np.all(np.abs(x.mean(axis=0) - mean) <= 5 * np.sqrt(var / n))
        np.testing.assert_allclose(x.var(axis=0), var, rtol=0.05)
        ref = np.random.default_rng(8).dirichlet(a, size=n)
        assert np.all(np.abs(x.mean(axis=0) - ref.mean(axis=0)) <= 5 * np.sqrt(2 * var / n))


def test_store_bound_inserts_the_stored_rows(tmp_path):
    """The store benchmark's bound (SQLite alone inserting the stored responses into a fresh
    project's ``responses`` table) writes exactly the rows coopeval stored, foreign keys and
    unique key satisfied: it is the same work as the import's insert, not less."""
    import sqlite3
    import sys

    import coopeval as ce

    sys.path.insert(0, str(RUN.parent))
    try:
        import store
    finally:
        sys.path.remove(str(RUN.parent))
    fw = ce.load_framework("cooperation_territoriale")
    obs, resp = store.make_data(fw, 3, 30)
    p = ce.Project.create(tmp_path / "a.coopeval", framework=fw)
    p.import_responses(resp)
    stored = p.responses()
    p.close()
    seconds = store.insert_bound(tmp_path / "bound.coopeval", fw, stored)
    assert seconds > 0
    con = sqlite3.connect(tmp_path / "bound.coopeval")
    try:
        got = con.execute("SELECT n.respondent, r.unit, r.wave, r.college, r.item, r.value FROM responses r "
                          "JOIN respondents n ON n.id = r.respondent_id ORDER BY r.id").fetchall()
        assert con.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        con.close()
    assert got == list(stored.itertuples(index=False, name=None))


def test_store_scaling_rows_and_growth():
    """The store's scaling table: one row per size (answer rows = respondents x 17 items), every step
    timed, the copy verified; ``growth`` is the exponent of seconds against rows (1 when the cost is
    proportional to the rows, 2 when quadratic)."""
    import sys

    sys.path.insert(0, str(RUN.parent))
    try:
        import store
    finally:
        sys.path.remove(str(RUN.parent))
    rows = store.scaling(((2, 20), (4, 40)))
    assert [(r["units"], r["respondents"], r["response_rows"]) for r in rows] == [(2, 20, 340), (4, 40, 680)]
    for r in rows:
        assert r["verified"] and all(r[k] > 0 for k in store.SCALING_STEPS)
    assert np.isfinite(store.growth(rows, "import_responses"))
    sizes = [{"response_rows": n, "linear": 2e-6 * n, "quadratic": 3e-12 * n**2} for n in (68_000, 340_000, 680_000)]
    assert store.growth(sizes, "linear") == pytest.approx(1.0)
    assert store.growth(sizes, "quadratic") == pytest.approx(2.0)
    text = _load().report({"sizes": {}, "machine": {"load_average_before": 0, "load_average_after": 0},
                           "store_scaling": rows})
    assert "| 340 | 2 |" in text and "| 680 | 4 |" in text and "Growth exponent" in text


def test_replay_hands_out_the_draws_in_order_for_the_like_for_like_bound():
    """The bound is given its weights already drawn; the benchmark's like-for-like coopeval run replays
    the same kind of draws (``Replay``) from a prepared matrix. Replayed draws give the Monte Carlo of a
    sampler that would have drawn them, and the tables of the prepared matrix are those of the long table."""
    import coopeval as ce

    run = _load()
    fw = run.make_framework()
    obs = run.make_obs(fw, 30)
    ws = run.DirichletWeights(fw)
    frame = ws.sample(120, np.random.default_rng(3))
    replay = run.Replay(frame, ws.local)
    first = replay.sample(50, None)
    assert first.equals(frame.iloc[:50]) and replay.sample(70, None).equals(frame.iloc[50:])
    assert replay.rewind().sample(10, None).equals(frame.iloc[:10])

    class Drawn:  # the same draws, handed out by the chunk sizes ce.uncertainty asks for
        local = ws.local

        def __init__(self):
            self.rows = iter(range(len(frame)))

        def sample(self, n, rng):
            return frame.iloc[[next(self.rows) for _ in range(n)]]

    kw = dict(n=120, seed=0, normalisation="minmax", nodes=["overall"], sensitivity=False, chunk_size=50)
    a = ce.uncertainty(ce.prepare(obs, fw), fw, weights=replay.rewind(), **kw)
    b = ce.uncertainty(obs, fw, weights=Drawn(), **kw)
    pd.testing.assert_frame_equal(a.summary, b.summary, check_exact=True)


def test_run_reports_coinr_side_by_side_or_why_not(monkeypatch):
    """``run.py`` runs COINr side by side too (``--only coinr``; not in a quick run), and reports the
    target-4 figures of ``coinr.py``'s summary in one paragraph, or why it was skipped."""
    run = _load()
    assert run.case_coinr(quick=True) == {"skipped": "--quick"}
    base = {"sizes": {}, "machine": {"load_average_before": 0, "load_average_after": 0}}
    assert "COINr side by side: skipped (Rscript not found" in run.report({**base, "coinr": {
        "skipped": "Rscript not found (install R, then COINr from CRAN)"}})
    pairs = {"n": 11, "median": 480.2, "min": 300.0, "max": 600.0, "median_prepared": 1299.6, "min_prepared": 847.5,
             "max_prepared": 1796.1, "at_least_1000_prepared": 9}
    text = run.report({**base, "coinr": {"ua_100_pairs": pairs, "nominal_equal": True, "coinr_version": "1.1.14",
                                         "per_sample_ratio_prepared": {"ua_100": 1200.0, "ua_1000": 3441.2,
                                                                        "sa_100": 1825.1},
                                         "per_sample_ratio": {"ua_100": 480.0, "ua_1000": 2700.0, "sa_100": 1100.0}}})
    assert "UA N = 100 median 1,300x over 11 pairings (848-1,796x, 9 at 1,000x or more)" in text
    assert "UA N = 1,000 3,441x" in text and "nominal scores equal: True" in text
