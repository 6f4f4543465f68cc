"""Imputation against COINr's documented results and statsmodels' MICE.

References: the rendered vignette "Imputation" of COINr (Becker et al. 2022, JOSS 7(78) 4567)
and its test file ``tests/testthat/test-impute_panel.R`` (values in
``tests/reference/scoring/coinr_documented.yaml``, printed to 4-7 significant digits: relative
tolerance 5e-7 or 5e-5); statsmodels ``MICEData`` (an independent implementation of chained
equations, Seabold & Perktold 2010) for the MICE wiring.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.scoring.impute import imputation_draws, impute


@pytest.fixture()
def df1(asem_long, coinr_doc):
    ref = coinr_doc["impute"]
    units = asem_long.drop_duplicates("unit")["unit"].tolist()[ref["rows"][0] - 1: ref["rows"][1]]
    sub = asem_long[asem_long["unit"].isin(units) & asem_long["indicator"].isin(ref["columns"])]
    return sub, units


def _wide(imp, units, cols):
    return imp.data.pivot(index="unit", columns="indicator", values="value").loc[units, cols]


def test_mean_matches_coinr_i_mean(df1, coinr_doc):
    sub, units = df1
    imp = impute(sub, method="mean")
    got = _wide(imp, units, ["Pat", "CultServ", "CultGood"])
    for col, want in coinr_doc["impute"]["i_mean"].items():
        np.testing.assert_allclose(got[col], want, rtol=5e-5, err_msg=col)
    assert imp.report["imputed"].all() and len(imp.report) == sub["value"].isna().sum()
    assert imp.summary().set_index("indicator").loc["CultGood", "n_imputed"] == 4
    assert imp.data["imputed"].sum() == len(imp.report)


def test_median_by_group_matches_coinr_i_median_grp(df1, coinr_doc):
    sub, units = df1
    groups = dict(zip(units, ["a"] * 5 + ["b"] * 5, strict=True))
    imp = impute(sub, method="median", groups=groups)
    got = _wide(imp, units, ["Pat", "CultServ", "CultGood"])
    for col, want in coinr_doc["impute"]["i_median_grp"].items():
        np.testing.assert_allclose(got[col], want, rtol=5e-5, err_msg=col)
    rep = imp.report.set_index(["unit", "indicator"])
    assert rep.loc[(units[4], "Pat"), "group"] == "a" and rep.loc[(units[4], "Pat"), "n_donors"] == 4
    # same through a column of obs
    by_col = impute(sub.assign(g=sub["unit"].map(groups)), method="median", groups="g")
    pd.testing.assert_series_equal(by_col.report["value"], imp.report["value"])


@pytest.mark.parametrize("how", ["constant", "linear"])
def test_panel_matches_coinr_impute_panel(coinr_doc, how):
    rows = []
    for code, spec in coinr_doc["impute_panel"].items():
        rows += [("A", t, code, v) for t, v in zip((2020, 2021, 2022), spec["raw"], strict=True)]
    obs = pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"]).astype({"value": float})
    imp = impute(obs, method="locf" if how == "constant" else "linear", backward=True)
    got = imp.data.sort_values("wave")
    for code, spec in coinr_doc["impute_panel"].items():
        assert got.loc[got["indicator"] == code, "value"].tolist() == spec[how], code


def test_locf_forward_only_max_gap_and_missing_rows():
    obs = pd.DataFrame({"unit": ["a"] * 3 + ["b"] * 4, "wave": [1, 2, 3, 1, 2, 3, 4], "indicator": "x",
                        "value": [None, 5.0, None, 1.0, None, None, None]})
    obs = pd.concat([obs, pd.DataFrame({"unit": ["a"], "wave": [4], "indicator": ["y"], "value": [2.0]})])
    imp = impute(obs, method="locf", max_gap=2)
    rep = imp.report.set_index(["unit", "wave", "indicator"])
    assert np.isnan(rep.loc[("a", 1, "x"), "value"]) and rep.loc[("a", 1, "x"), "reason"] == "no_donor"
    assert rep.loc[("a", 3, "x"), "value"] == 5 and rep.loc[("a", 4, "x"), "value"] == 5  # row a/4/x did not exist
    assert rep.loc[("b", 3, "x"), "value"] == 1 and rep.loc[("b", 4, "x"), "reason"] == "gap_too_long"
    assert rep.loc[("b", 1, "y"), "reason"] == "no_donor"
    added = imp.data[(imp.data["unit"] == "a") & (imp.data["wave"] == 4) & (imp.data["indicator"] == "x")]
    assert added["imputed"].tolist() == [True] and added["value"].tolist() == [5.0]


def test_mice_is_statsmodels_micedata_with_the_same_seed():
    from statsmodels.imputation.mice import MICEData

    rng = np.random.default_rng(1)
    wide = pd.DataFrame(rng.normal(size=(40, 3)), columns=["p", "q", "r"])
    wide.iloc[::7, 1] = np.nan
    wide.iloc[3::9, 2] = np.nan
    obs = wide.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="indicator").assign(wave=1)
    imp = impute(obs, method="mice", seed=123, n_burn=5, k_pmm=10)
    seed_rng = np.random.default_rng(123)
    md = MICEData(wide.set_axis(["v0", "v1", "v2"], axis=1), k_pmm=10,
                  rng=np.random.RandomState(int(seed_rng.integers(2**31 - 1))))
    md.update_all(5)
    got = imp.data.pivot(index="unit", columns="indicator", values="value")[["p", "q", "r"]]
    np.testing.assert_allclose(got.to_numpy(), md.data.to_numpy(), rtol=0, atol=0)
    again = impute(obs, method="mice", seed=123, n_burn=5, k_pmm=10)
    pd.testing.assert_frame_equal(again.report, imp.report)


def test_mice_beats_mean_on_correlated_data_and_draws_vary():
    # y = x + small noise, 30 % of y missing completely at random: MICE (regression + PMM)
    # must recover y far better than the mean (RMSE ratio measured below 0.5).
    rng = np.random.default_rng(7)
    x = rng.normal(size=200)
    y = x + rng.normal(scale=0.2, size=200)
    miss = rng.random(200) < 0.3
    obs = pd.DataFrame({"unit": np.r_[np.arange(200), np.arange(200)], "wave": 1,
                        "indicator": ["x"] * 200 + ["y"] * 200, "value": np.r_[x, np.where(miss, np.nan, y)]})
    truth = pd.Series(y, index=np.arange(200))[miss]

    def rmse(imp):
        r = imp.report.set_index("unit")["value"]
        return float(np.sqrt(((r.loc[truth.index] - truth) ** 2).mean()))

    r_mice, r_mean = rmse(impute(obs, method="mice", seed=0)), rmse(impute(obs, method="mean"))
    assert r_mice < 0.5 * r_mean
    draws = imputation_draws(obs, n=3, seed=0)
    spread = draws[draws["imputed"]].groupby(["unit", "indicator"])["value"].std()
    assert (spread > 0).mean() > 0.5 and sorted(draws["draw"].unique()) == [0, 1, 2]
    first = imputation_draws(obs, n=1, seed=0)
    pd.testing.assert_frame_equal(first, draws[draws["draw"] == 0].reset_index(drop=True))


def test_framework_grid_and_blocks(small_fw, small_obs):
    obs = small_obs[~((small_obs["unit"] == "u1") & small_obs["indicator"].isin(["a", "e"]))]
    imp = impute(obs, small_fw, "mice", seed=0)
    # every framework indicator of every observed unit-wave is expected: a, e missing for u1
    assert set(zip(imp.report["unit"], imp.report["indicator"], strict=True)) == {("u1", "a"), ("u1", "e")}
    assert imp.report["imputed"].all()
    assert impute(obs, small_fw, "mean", indicators=["a"]).report["indicator"].unique().tolist() == ["a"]


def test_errors(small_obs, small_fw):
    with pytest.raises(ce.ScoringError, match="method"):
        impute(small_obs, method="hot_deck")
    with pytest.raises(ce.ScoringError, match="groups") as err:
        impute(small_obs, method="mean", groups={"u1": "x"})
    assert err.value.issues[0].key == "u2"
    with pytest.raises(ce.ScoringError, match="max_gap"):
        impute(small_obs, method="locf", max_gap=0)
    with pytest.raises(ce.ScoringError, match="indicators"):
        impute(small_obs, small_fw, indicators=["nope"])
    with pytest.raises(ce.ScoringError, match="n"):
        imputation_draws(small_obs, n=0)


def test_pooled_over_waves_and_linear_needs_numeric_waves():
    obs = pd.DataFrame({"unit": ["a", "b", "c", "a", "b", "c"], "wave": [1, 1, 1, 2, 2, 2], "indicator": "x",
                        "value": [1.0, 3.0, None, 5.0, 7.0, 9.0]})
    assert impute(obs, method="mean").report["value"].tolist() == [2.0]  # wave 1 donors: 1, 3
    pooled = impute(obs, method="mean", per_wave=False).report
    assert pooled["value"].tolist() == [5.0] and pooled["n_donors"].tolist() == [5]
    with pytest.raises(ce.ScoringError, match="linear"):
        impute(obs.assign(wave=obs["wave"].map({1: "t1", 2: "t2"})), method="linear")
