"""COINr's full example index rebuilt step by step with coopeval, against COINr's documented results.

``build_example_coin()`` of COINr (R/examples.R) runs on ASEM: ``Denominate`` (by iMeta's
Denominator column), ``Impute(f_i = "i_mean_grp", use_group = "EurAsia_group")``,
``Screen(dat_thresh = 0.9, unit_screen = "byNA")``, ``Treat`` (defaults, winmax 5),
``Normalise`` (min-max to [0, 100]) and ``Aggregate`` (arithmetic mean). Its results are printed
in the vignettes "Presenting results" (scores to 2 decimals: tolerance 0.005 absolute, and ranks)
and "Weights" (correlations to 7 digits: tolerance 5e-7 relative); see
``tests/reference/scoring/coinr_documented.yaml``. Becker, W. et al. (2022), COINr, JOSS 7(78) 4567.
"""

from __future__ import annotations

import numpy as np

import coopeval as ce


def test_steps_report(example):
    _, _, _, _, (imp, scr, trt) = example
    assert imp.report["imputed"].all() and imp.report["method"].eq("mean").all()
    assert set(imp.report["group"]) == {"Europe", "Asia"}
    assert scr.units["included"].all()  # after imputation every unit has full coverage
    assert set(trt.report["treatment"]) == {"none", "winsorise"}


def test_aggregates_match_get_results(example, coinr_doc):
    _, _, sc, node, _ = example
    ref = coinr_doc["example_coin_results"]
    got = sc.set_index(["unit", "node"])["score"]
    wide = sc.pivot(index="unit", columns="node", values="score")
    assert len(wide) == 51
    for unit in ("CHE", "NLD", "DNK", "NOR", "BEL", "SWE", "IND"):
        vals = [got[(unit, node[c])] for c in ref["columns"]]
        np.testing.assert_allclose(vals, ref[unit], atol=0.005, rtol=0, err_msg=unit)
    ranks = wide.rank(ascending=False, method="min").loc["IND", [node[c] for c in ref["columns"]]]
    assert ranks.astype(int).tolist() == ref["IND_ranks"]
    top = wide["overall"].sort_values(ascending=False).index[:6].tolist()
    assert top == ["CHE", "NLD", "DNK", "NOR", "BEL", "SWE"]


def test_correlations_and_weights_match_vignette(example, coinr_doc):
    fw, data, sc, _, _ = example
    ref = coinr_doc["example_coin_weights"]
    wide = sc.pivot(index="unit", columns="node", values="score")
    r = wide[["conn", "sust"]].corrwith(wide["overall"])
    np.testing.assert_allclose(r, [ref["corr_equal"]["Conn"], ref["corr_equal"]["Sust"]], rtol=5e-7)
    opt = {"conn": ref["opt_weights"]["Conn"], "sust": ref["opt_weights"]["Sust"]}
    sc2 = ce.score(data, fw, weights=opt, normalisation="minmax", min_coverage=0)
    wide2 = sc2.pivot(index="unit", columns="node", values="score")
    np.testing.assert_allclose(wide2[["conn", "sust"]].corrwith(wide2["overall"]),
                               [ref["corr_opt"]["Conn"], ref["corr_opt"]["Sust"]], rtol=5e-7)
    eff = fw.default_weights("global")
    np.testing.assert_allclose(eff[["goods", "renew"]], [ref["eff_weight"]["Goods"], ref["eff_weight"]["Renew"]],
                               rtol=5e-7)
