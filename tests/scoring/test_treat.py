"""Outlier treatment against COINr's documented results.

Reference: the rendered vignette "Outlier Treatment" of the R package COINr (Becker et al. 2022,
JOSS 7(78) 4567), values copied in ``tests/reference/scoring/coinr_documented.yaml`` (printed
with 7 significant digits, hence the tolerance 5e-7 relative).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coopeval as ce
from coopeval.scoring.treat import check_skew_kurt, kurtosis, log_ct, skewness, treat, winsorise

RTOL = 5e-7


def _row(report, code):
    return report.set_index("indicator").loc[code]


def test_skew_kurt_are_e1071_type2_and_match_scipy_unbiased(coinr_doc):
    ref = coinr_doc["treat_vector"]
    x = np.array(ref["x"], dtype=float)
    assert skewness(x) == pytest.approx(ref["skew"], rel=RTOL)
    assert kurtosis(x) == pytest.approx(ref["kurt"], rel=RTOL)
    # independent implementation: scipy's bias-corrected sample skewness / excess kurtosis
    assert skewness(x) == pytest.approx(stats.skew(x, bias=False), rel=1e-12)
    assert kurtosis(x) == pytest.approx(stats.kurtosis(x, bias=False), rel=1e-12)
    assert check_skew_kurt(x)[0] is False
    xw, nwin, code = winsorise(x, winmax=2)
    assert nwin == 1 and xw[-1] == 30 and code[-1] == "winhi" and (xw[:-1] == x[:-1]).all()
    assert skewness(xw) == pytest.approx(ref["skew_after"], rel=RTOL)
    assert kurtosis(xw) == pytest.approx(ref["kurt_after"], rel=RTOL)


def test_coinr_testthat_vectors():
    # COINr tests/testthat/test-treat.R: c(1:10, 100) -> 100 becomes 10 and passes
    xw, nwin, _ = winsorise(np.r_[np.arange(1, 11), 100.0], winmax=5)
    assert xw[-1] == 10 and nwin == 1
    # c(1:20, 100, 200) with winmax = 1 still fails; COINr's log_CT is log(x - min + 0.01 range)
    x = np.r_[np.arange(1, 21), 100.0, 200.0]
    obs = pd.DataFrame({"unit": range(len(x)), "wave": 1, "indicator": "x", "value": x})
    t = treat(obs, winmax=1)
    np.testing.assert_allclose(t.data["value"], np.log(x - 1 + 0.01 * 199), rtol=1e-14)
    np.testing.assert_allclose(log_ct(x), t.data["value"], rtol=1e-14)
    assert t.report["treatment"].tolist() == ["log"]


def test_asem_data_frame_default(asem_long, coinr_doc):
    ref = coinr_doc["treat_df_default"]
    t = treat(asem_long[asem_long["indicator"].isin(["Flights", "Goods", "Services"])])
    for code in ("Flights", "Goods", "Services"):
        got = _row(t.report, code)
        want = ref[code]
        assert got["passed"] == want[0]
        np.testing.assert_allclose([got["skew"], got["kurt"]], want[1:3], rtol=RTOL)
        if want[3] is None:
            assert got["treatment"] == "none" and np.isnan(got["n_winsorised"])
        else:
            assert got["n_winsorised"] == want[3] and got["passed_winsorised"] == want[4]
            np.testing.assert_allclose([got["skew_winsorised"], got["kurt_winsorised"]], want[5:7], rtol=RTOL)
    units = asem_long.drop_duplicates("unit")["unit"].tolist()
    for code, rows in ref["treated_rows"].items():
        pts = t.points[t.points["indicator"] == code]
        assert sorted(pts["unit"]) == sorted(units[r - 1] for r in rows)
        assert set(pts["treatment"]) == {"winhi"}


def test_asem_coin_default_and_winmax_one(asem_long, coinr_doc):
    t = treat(asem_long)
    for code, want in coinr_doc["treat_coin_default"].items():
        got = _row(t.report, code)
        assert got["passed"] == want[0]
        np.testing.assert_allclose([got["skew"], got["kurt"]], want[1:3], rtol=RTOL)
        if want[3] is not None:
            np.testing.assert_allclose([got["n_winsorised"], got["skew_winsorised"], got["kurt_winsorised"]],
                                       [want[3], *want[5:7]], rtol=RTOL)
    t1 = treat(asem_long, winmax=1)
    ref = coinr_doc["treat_coin_winmax1"]
    for code in ("ConSpeed", "Cov4G", "Services"):
        np.testing.assert_allclose(_row(t1.report, code)[["skew", "kurt"]].astype(float), ref[code][1:], rtol=RTOL)
    goods = _row(t1.report, "Goods")
    assert goods["n_winsorised"] == 1 and goods["passed_winsorised"] is False and goods["treatment"] == "log"
    np.testing.assert_allclose([goods["skew_winsorised"], goods["kurt_winsorised"]], ref["Goods_winsorised"][2:],
                               rtol=RTOL)
    np.testing.assert_allclose([goods["skew_log"], goods["kurt_log"]], ref["Goods_log"][1:], rtol=RTOL)
    # the log is applied to the original values, not to the winsorised ones (combine_treat = FALSE)
    raw = asem_long[asem_long["indicator"] == "Goods"]["value"].to_numpy()
    np.testing.assert_allclose(t1.data.loc[asem_long["indicator"] == "Goods", "value"], log_ct(raw), rtol=1e-14)


def test_qtreat_thresholds(asem_long, coinr_doc):
    t = treat(asem_long[asem_long["indicator"].isin(["Flights", "Goods", "Services"])],
              winmax=1, skew_thresh=1.5, kurt_thresh=3)
    for code, want in coinr_doc["qtreat"].items():
        got = _row(t.report, code)
        assert got["passed_winsorised"] == want[0] and got["passed_log"] == want[3]
        np.testing.assert_allclose(got[["skew_winsorised", "kurt_winsorised", "skew_log", "kurt_log"]].astype(float),
                                   [want[1], want[2], want[4], want[5]], rtol=RTOL)
    assert _row(t.report, "Services")["treatment"] == "none"


def test_winmax_zero_per_wave_skip_and_degenerate():
    x = np.r_[np.arange(1, 11), 100.0]
    obs = pd.concat([pd.DataFrame({"unit": range(11), "wave": w, "indicator": "x", "value": x * w}) for w in (1, 2)]
                    + [pd.DataFrame({"unit": range(2), "wave": 1, "indicator": "few", "value": [1.0, 50.0]}),
                       pd.DataFrame({"unit": range(5), "wave": 1, "indicator": "flat", "value": 3.0})])
    t = treat(obs, winmax=0, per_wave=True)
    rep = t.report.set_index(["indicator", "wave"])
    assert rep.loc[("x", 1), "treatment"] == "log" and rep.loc[("x", 1), "n_winsorised"] == 0
    assert rep.loc[("few", 1), "treatment"] == "too_few_values" and rep.loc[("flat", 1), "treatment"] == "constant"
    t = treat(obs, skip=["x"], log=False)
    assert "x" not in set(t.report["indicator"])
    pd.testing.assert_frame_equal(t.data, obs)
    t = treat(obs[obs["indicator"] == "x"], winmax=0, log=False)
    assert t.report["treatment"].tolist() == ["winsorise_failed"]


def test_errors(asem_long):
    with pytest.raises(ce.ScoringError, match="winmax"):
        treat(asem_long, winmax=-1)
    with pytest.raises(ce.ScoringError, match="skew_thresh"):
        treat(asem_long, skew_thresh="2")
    with pytest.raises(ce.ScoringError, match="value"):
        treat(asem_long.drop(columns="value"))
    bad = asem_long.astype({"value": object})
    bad.loc[0, "value"] = "n/a"
    with pytest.raises(ce.ScoringError) as err:
        treat(bad)
    assert err.value.issues[0].expected == "a number"
