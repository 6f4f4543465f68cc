"""Tests of coopeval.stats.change (paired tests across waves, mixed model)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf
from scipy import stats as sps
from statsmodels.stats.multitest import multipletests

from coopeval.errors import StatsError
from coopeval.stats import StatsWarning, scale_scores, wave_change, wave_mixed_model
from coopeval.stats.change import rank_biserial


@pytest.fixture(scope="module")
def sleep(reference):
    wide = pd.read_csv(reference / "student_sleep.csv")
    long = wide.melt(id_vars="ID", var_name="wave", value_name="value")
    long["wave"] = long["wave"].str[-1].astype(int)
    return long.rename(columns={"ID": "unit"}).assign(indicator="extra_sleep")


def test_paired_t_matches_r_on_student_sleep(sleep):
    """R 4.2.2 (Debian r-base-core 4.2.2.20221110-2), run for the reference audit:
    ``with(sleep, t.test(extra[group == 2], extra[group == 1], paired = TRUE))`` → t = 4.0621277,
    df = 9, p-value = 0.00283289, 95 % CI [0.7001142367, 2.4598857633], mean difference 1.58.
    The same test printed with R's default digits (group 1 − group 2: t = -4.0621, df = 9,
    p-value = 0.002833, CI -2.4598858 -0.7001142, mean -1.58) is reproduced in many public R
    notes (e.g. one derived from "Cookbook for R"). ``student_sleep.csv`` equals R's
    ``datasets::sleep`` (checked with ``print(sleep)`` in the same R session). Tolerances:
    half a unit of the last printed digit."""
    ch = wave_change(sleep, test="t").iloc[0]
    assert ch["statistic"] == pytest.approx(4.0621277, abs=5e-8)
    assert ch["dof"] == 9
    assert ch["p_value"] == pytest.approx(0.00283289, abs=5e-9)
    assert ch["estimate"] == pytest.approx(1.58, abs=1e-12)
    assert ch["ci_low"] == pytest.approx(0.7001142367, abs=5e-11)
    assert ch["ci_high"] == pytest.approx(2.4598857633, abs=5e-11)
    # Cohen's d_z = t / sqrt(n) (Lakens, 2013, eq. 7)
    assert ch["effect_size"] == pytest.approx(4.0621277 / np.sqrt(10), abs=1e-7)
    assert ch["effect_ci_low"] < ch["effect_size"] < ch["effect_ci_high"]


def test_wilcoxon_matches_pingouin_and_scipy(sleep):
    ch = wave_change(sleep, test="wilcoxon", n_boot=500).iloc[0]
    x = sleep.query("wave == 1")["value"].to_numpy()
    y = sleep.query("wave == 2")["value"].to_numpy()
    ref = pg.wilcoxon(y, x)
    assert ch["statistic"] == pytest.approx(ref["W_val"].iloc[0])
    assert ch["p_value"] == pytest.approx(ref["p_val"].iloc[0], rel=1e-12)
    assert ch["p_value"] == pytest.approx(sps.wilcoxon(y, x).pvalue, rel=1e-12)
    assert ch["effect_size"] == pytest.approx(ref["RBC"].iloc[0], abs=1e-12)
    assert ch["estimate"] == pytest.approx(np.median(y - x))
    assert ch["ci_low"] <= ch["estimate"] <= ch["ci_high"]


def test_rank_biserial_by_hand():
    """d = [1, -2, 3, 4]: ranks of |d| 1, 2, 3, 4; T+ = 8, T− = 2 → r = 6/10 (Kerby, 2014)."""
    assert rank_biserial(np.array([1.0, -2.0, 3.0, 4.0, 0.0])) == pytest.approx(0.6)


@pytest.mark.parametrize("correction, method", [("holm", "holm"), ("bh", "fdr_bh"),
                                                ("bonferroni", "bonferroni")])
def test_correction_matches_statsmodels_and_pingouin(panel, correction, method):
    sc = scale_scores(panel["responses"], panel["fw"], level="unit")
    obs = pd.concat([sc, panel["observations"]], ignore_index=True)
    ch = wave_change(obs, correction=correction)
    assert len(ch) == 7 * 2
    expected = multipletests(ch["p_value"], method=method)[1]
    np.testing.assert_allclose(ch["p_adjusted"], expected, rtol=1e-12)
    pg_method = {"holm": "holm", "bh": "fdr_bh", "bonferroni": "bonf"}[correction]
    np.testing.assert_allclose(ch["p_adjusted"], pg.multicomp(ch["p_value"].to_numpy(), method=pg_method)[1],
                               rtol=1e-12)


def test_recovers_panel_wave_effect(panel):
    """The fixture's scale ``gouv`` rises by 0.4 per wave (0.8 from wave 1 to 3; rounding and
    clipping of Likert answers blur it, hence ±0.2); ``terr`` does not move."""
    sc = scale_scores(panel["responses"], panel["fw"], level="unit")
    ch = wave_change(sc, pairs="first_last").set_index("variable")
    assert ch.loc["gouv", "estimate"] == pytest.approx(0.8, abs=0.2)
    assert ch.loc["gouv", "significant"]
    assert not ch.loc["terr", "significant"]


def test_mixed_model_matches_lme4_dietox(reference):
    """R (lme4): ``lmer(Weight ~ Time + (1 | Pig), data = dietox)`` (REML) → fixef 15.723523,
    6.942505; SE 0.78805374, 0.03338727; residual variance 11.36692; Pig intercept variance
    40.39395; logLik −2404.775. Read in statsmodels' test suite,
    ``statsmodels/regression/tests/test_lme.py::TestMixedLM::test_dietox`` (repository
    statsmodels/statsmodels, commit 499409e2f1e92790c6394a6ad0711d5ba1d4b2b7, and the copy
    installed with statsmodels 0.15.0), where the R commands are written beside each value;
    ``dietox.csv`` is byte-identical to statsmodels' ``regression/tests/results/dietox.csv``.
    rtol 1e-4 (statsmodels itself uses 1e-5), logLik rtol 1e-5."""
    d = pd.read_csv(reference / "dietox.csv", index_col=0)
    mm = wave_mixed_model(d, unit="Pig", wave="Time", variable=None, value="Weight").set_index("term")
    np.testing.assert_allclose(mm.loc[["Intercept", "wave"], "estimate"], [15.723523, 6.942505], rtol=1e-4)
    np.testing.assert_allclose(mm.loc[["Intercept", "wave"], "std_error"], [0.78805374, 0.03338727], rtol=1e-4)
    assert mm.loc["residual_variance", "estimate"] == pytest.approx(11.36692, rel=1e-4)
    assert mm.loc["unit_variance", "estimate"] == pytest.approx(40.39395, rel=1e-4)
    assert mm.loc["wave", "log_likelihood"] == pytest.approx(-2404.775, rel=1e-5)
    assert mm.loc["wave", "n_units"] == 72 and mm.loc["wave", "n_obs"] == 861


def test_mixed_model_ml_matches_lme4_dietox(reference):
    """Same with ``REML = FALSE`` (same statsmodels test, same commit): fixef 15.723517,
    6.942506; SE 0.7829397, 0.0333661; residual variance 11.35251; Pig variance 39.82097;
    logLik −2402.932. Same tolerances as the REML test."""
    d = pd.read_csv(reference / "dietox.csv", index_col=0)
    mm = wave_mixed_model(d, unit="Pig", wave="Time", variable=None, value="Weight",
                          reml=False).set_index("term")
    np.testing.assert_allclose(mm.loc[["Intercept", "wave"], "estimate"], [15.723517, 6.942506], rtol=1e-4)
    np.testing.assert_allclose(mm.loc[["Intercept", "wave"], "std_error"], [0.7829397, 0.0333661], rtol=1e-4)
    assert mm.loc["residual_variance", "estimate"] == pytest.approx(11.35251, rel=1e-4)
    assert mm.loc["unit_variance", "estimate"] == pytest.approx(39.82097, rel=1e-4)
    assert mm.loc["wave", "log_likelihood"] == pytest.approx(-2402.932, rel=1e-5)


def test_mixed_model_with_college_matches_statsmodels_directly(panel):
    rs = scale_scores(panel["responses"], panel["fw"]).query("indicator == 'gouv'")
    mm = wave_mixed_model(rs, college="college", wave_as="categorical").set_index("term")
    ref = smf.mixedlm("value ~ C(wave) + C(college)", rs, groups=rs["unit"]).fit()
    assert mm.loc["wave[T.3]", "estimate"] == pytest.approx(ref.fe_params["C(wave)[T.3]"], rel=1e-6)
    assert mm.loc["college[T.habitants]", "p_value"] == pytest.approx(
        ref.pvalues["C(college)[T.habitants]"], rel=1e-5)
    assert mm.loc["wave[T.3]", "estimate"] == pytest.approx(0.8, abs=0.2)


# ---------------------------------------------------------------- degenerate inputs
def test_one_wave_raises(sleep):
    one = sleep.query("wave == 1")
    with pytest.raises(StatsError, match="at least 2 waves"):
        wave_change(one)
    with pytest.raises(StatsError, match="at least 2 waves"):
        wave_mixed_model(one)


def test_variable_with_one_pair_or_constant_change_is_nan_with_warning(sleep):
    other = pd.DataFrame({"unit": [1, 1, 2, 2, 3, 3], "wave": [1, 2] * 3, "indicator": "z",
                          "value": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    lonely = pd.DataFrame({"unit": [1, 1], "wave": [1, 2], "indicator": "w", "value": [1.0, 2.0]})
    data = pd.concat([sleep, other, lonely], ignore_index=True)
    with pytest.warns(StatsWarning, match="paired test NaN"):
        ch = wave_change(data).set_index("variable")
    assert ch.loc["z", "note"] == "constant_differences" and np.isnan(ch.loc["z", "p_value"])
    assert ch.loc["w", "note"] == "fewer_than_2_pairs"
    assert np.isfinite(ch.loc["extra_sleep", "p_adjusted"])
    with pytest.warns(StatsWarning):
        wave_change(data, test="wilcoxon", n_boot=50)


def test_mixed_model_rows_without_college_are_dropped_with_warning(panel):
    rs = scale_scores(panel["responses"], panel["fw"]).query("indicator == 'gouv'").copy()
    rs.loc[rs.index[:5], "college"] = None
    with pytest.warns(StatsWarning, match="5 row"):
        mm = wave_mixed_model(rs, college="college")
    assert (mm["n_obs"] == len(rs) - 5).all()


def test_mixed_model_constant_values_nan_with_warning():
    d = pd.DataFrame({"unit": [1, 1, 2, 2], "wave": [1, 2, 1, 2], "indicator": "c", "value": 3.0})
    with pytest.warns(StatsWarning, match="not fitted"):
        mm = wave_mixed_model(d)
    assert mm["estimate"].isna().all()


def test_bad_inputs_raise(sleep):
    with pytest.raises(StatsError, match="all missing"):
        wave_change(sleep.assign(value=np.nan))
    with pytest.raises(StatsError, match="all missing"):
        wave_mixed_model(sleep.assign(value=np.nan))
    with pytest.raises(StatsError, match="must be numeric"):
        wave_mixed_model(sleep.assign(wave=sleep["wave"].map({1: "avant", 2: "après"})))
    with pytest.raises(StatsError, match="duplicates"):
        wave_change(pd.concat([sleep, sleep.head(1)]))
    with pytest.raises(StatsError, match="`test`"):
        wave_change(sleep, test="anova")
    with pytest.raises(StatsError, match="`pairs`"):
        wave_change(sleep, pairs=[(1, 9)])
    with pytest.raises(StatsError, match="`wave_as`"):
        wave_mixed_model(sleep, wave_as="ordinal")


# ---------------------------------------------------------------- properties
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 5), st.integers(1, 5)), min_size=4, max_size=15))
def test_swapping_waves_negates_change(pairs):
    """Reversing the direction of time negates the estimate and keeps the p-value; the
    rank-biserial correlation equals pingouin's RBC."""
    rows = [(i, w, "x", float(v)) for i, p in enumerate(pairs) for w, v in zip((1, 2), p, strict=True)]
    d = pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])
    diff = np.array([b - a for a, b in pairs], dtype=float)
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", StatsWarning)
        fwd = wave_change(d, test="t").iloc[0]
        back = wave_change(d.assign(wave=3 - d["wave"]), test="t").iloc[0]
    if np.std(diff) == 0:
        assert np.isnan(fwd["p_value"])
        return
    assert back["estimate"] == pytest.approx(-fwd["estimate"])
    assert back["p_value"] == pytest.approx(fwd["p_value"])
    if np.any(diff != 0):
        r = rank_biserial(diff)
        assert -1 <= r <= 1
        b = np.array([a for a, _ in pairs], float)
        assert r == pytest.approx(pg.wilcoxon(b + diff, b)["RBC"].iloc[0])
