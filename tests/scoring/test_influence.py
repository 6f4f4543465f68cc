"""Effective importance and weight optimisation.

References
----------
- Ishigami function, first-order indices S1 = 0.3139, S2 = 0.4424, S3 = 0 (analytic; Ishigami &
  Homma 1990, values as tabulated in Saltelli et al. 2008, *Global Sensitivity Analysis: The
  Primer*, and SALib's documentation); SALib's RBD-FAST (``SALib.analyze.rbd_fast``, Plischke 2010)
  on the same given data as an independent estimator.
- Linear aggregation of independent components: ``S_i = w_i^2 s_i^2 / sum_j w_j^2 s_j^2`` and
  ``r_i = w_i s_i / s_y`` (Becker et al. 2017, Ecological Indicators 80:12-22, section 2), so equal
  importance needs ``w_i`` proportional to ``1 / s_i``.
- COINr's vignette "Weights": correlations of Conn and Sust with the index, equal weights
  0.9397805 / 0.8382873, and COINr's optimised weights 0.3902439 / 0.6097561 (values in
  ``tests/reference/scoring/coinr_documented.yaml``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.framework import Framework
from coopeval.scoring import correlation_ratio, importance, optimise_weights


def test_correlation_ratio_ishigami_against_analytic_and_salib():
    from SALib.analyze import rbd_fast

    rng = np.random.default_rng(2)
    x = rng.uniform(-np.pi, np.pi, size=(10_000, 3))
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    got = np.array([correlation_ratio(x[:, i], y) for i in range(3)])
    np.testing.assert_allclose(got, [0.3139, 0.4424, 0.0], atol=0.02)
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    salib = rbd_fast.analyze(problem, x, y, print_to_console=False, seed=0)["S1"]
    np.testing.assert_allclose(got, salib, atol=0.015)


def test_correlation_ratio_linear_and_degenerate():
    rng = np.random.default_rng(3)
    a, b = rng.normal(0, 1, 5000), rng.normal(0, 2, 5000)
    y = 1.0 * a + 1.0 * b
    assert correlation_ratio(a, y) == pytest.approx(1 / 5, abs=0.02)
    assert correlation_ratio(b, y) == pytest.approx(4 / 5, abs=0.02)
    assert np.isnan(correlation_ratio([1, 2, 3], [1, 2, 3]))
    assert np.isnan(correlation_ratio(np.ones(10), np.arange(10.0)))


def _linear_fw():
    ind = {"label_fr": "x", "label_en": "x", "unit": "u", "kind": "quantitative", "direction": "increase",
           "lower": -100, "upper": 100, "source": "register"}
    return Framework.from_dict({"id": "lin", "title_fr": "t", "title_en": "t", "dimensions": [
        {"id": "d1", "label_fr": "d1", "label_en": "d1", "indicators": [{"id": "x1", **ind}]},
        {"id": "d2", "label_fr": "d2", "label_en": "d2", "indicators": [{"id": "x2", **ind}]}]})


@pytest.fixture(scope="module")
def linear():
    rng = np.random.default_rng(4)
    n = 400
    x1, x2 = rng.normal(0, 5, n), rng.normal(0, 10, n)
    obs = pd.DataFrame({"unit": np.tile(np.arange(n), 2), "wave": 1, "indicator": ["x1"] * n + ["x2"] * n,
                        "value": np.r_[x1, x2]})
    return _linear_fw(), obs


@pytest.mark.parametrize("measure", ["pearson", "correlation_ratio"])
def test_optimised_weights_reach_analytic_balance(linear, measure):
    fw, obs = linear
    opt = optimise_weights(obs, fw, measure=measure, normalisation="goalposts")
    # sd 5 and 10: equal importance needs weights proportional to 1/5 and 1/10 -> 2/3, 1/3
    # (sample sds differ from 5 and 10 by a few %: tolerance 0.03)
    assert opt.weights["d1"] == pytest.approx(2 / 3, abs=0.03)
    np.testing.assert_allclose(opt.report["importance_after"], [0.5, 0.5], atol=0.01)
    assert opt.objective < opt.objective_before and opt.success
    sc = ce.score(obs, fw, normalisation="goalposts")
    imp = importance(sc, fw, level="dimension", measure=measure)
    # equal weights: the component with twice the spread has about twice the correlation and
    # four times the first-order effect; for a linear relation S_i = r_i^2 (r from the sample)
    wide = sc.pivot(index="unit", columns="node", values="score")
    r = wide[["d1", "d2"]].corrwith(wide["overall"]).to_numpy()
    np.testing.assert_allclose(imp["pearson"], r, rtol=1e-12)
    np.testing.assert_allclose(imp["correlation_ratio"], r**2, atol=0.02)
    want = r / r.sum() if measure == "pearson" else r**2 / (r**2).sum()
    np.testing.assert_allclose(imp["importance"], want, atol=0.02)
    assert imp["importance"].iloc[1] > 0.6
    np.testing.assert_allclose(imp["weight"], [0.5, 0.5])
    np.testing.assert_allclose(imp["ratio"], imp["importance"] / 0.5, rtol=1e-12)


def test_importance_on_coinr_example_matches_get_corr(example, coinr_doc):
    fw, data, sc, _, _ = example
    ref = coinr_doc["example_coin_weights"]
    imp = importance(sc, fw, level="dimension", measure="pearson").set_index("node")
    np.testing.assert_allclose(imp.loc[["conn", "sust"], "pearson"], [ref["corr_equal"]["Conn"],
                                                                     ref["corr_equal"]["Sust"]], rtol=5e-7)
    ind = importance(sc, fw)
    assert len(ind) == 49 and ind["importance"].sum() == pytest.approx(1.0)
    np.testing.assert_allclose(ind["weight"].sum(), 1.0)
    np.testing.assert_allclose(ind.set_index("node").loc["goods", "weight"], ref["eff_weight"]["Goods"], rtol=5e-7)
    assert (ind["correlation_ratio"].between(0, 1)).all()


def test_optimise_coinr_level3_balances_better_than_coinr(example, coinr_doc):
    fw, data, _, _, _ = example
    ref = coinr_doc["example_coin_weights"]
    opt = optimise_weights(data, fw, normalisation="minmax", min_coverage=0)
    after = opt.report.set_index("node")["importance_after"]
    assert abs(after["conn"] - after["sust"]) < 2e-3
    r = np.array([ref["corr_opt"]["Conn"], ref["corr_opt"]["Sust"]])
    coinr_objective = float(np.mean((0.5 - r / r.sum()) ** 2))
    assert opt.objective < coinr_objective
    assert opt.weights["conn"] == pytest.approx(ref["opt_weights"]["Conn"], abs=0.02)


def test_errors(linear):
    fw, obs = linear
    sc = ce.score(obs, fw, normalisation="goalposts")
    with pytest.raises(ce.ScoringError, match="measure"):
        importance(sc, fw, measure="spearman")
    with pytest.raises(ce.ScoringError, match="node"):
        importance(sc, fw, node="x1")
    with pytest.raises(ce.ScoringError, match="level"):
        importance(sc, fw, level="criterion")
    with pytest.raises(ce.ScoringError, match="target"):
        optimise_weights(obs, fw, target={"d1": 1})
    with pytest.raises(ce.ScoringError, match="scores"):
        importance(sc.drop(columns="score"), fw)
