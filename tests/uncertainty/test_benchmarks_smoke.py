"""Smoke test of ``benchmarks/run.py`` (the benchmark itself is not run by the test suite).

It also checks, on a small matrix, that coopeval's min-max + weighted-sum ranking equals the
rankings of two independent implementations: scikit-criteria (``NegateMinimize`` +
``MinMaxScaler`` + ``WeightedSumModel``) and pymcdm (``WSM`` with min-max normalisation).
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

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
