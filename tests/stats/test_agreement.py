"""Tests of coopeval.stats.agreement (ICC, Krippendorff's alpha)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from coopeval.errors import StatsError
from coopeval.stats import StatsWarning, rater_agreement


@pytest.fixture(scope="module")
def shrout_fleiss(reference):
    wide = pd.read_csv(reference / "shrout_fleiss_1979.csv").set_index("target")
    return wide.rename_axis(columns="judge").stack().rename("rating").reset_index()


def test_icc_matches_shrout_fleiss_table_4(shrout_fleiss):
    """Shrout & Fleiss (1979), Table 4 (data of Table 2): ICC(1,1) = .17, ICC(2,1) = .29,
    ICC(3,1) = .71, ICC(1,4) = .44, ICC(2,4) = .62, ICC(3,4) = .91 (two decimals -> ±0.005).
    Data and values re-read in the psych package's own regression test, which reproduces
    Table 4 from Table 2: ``tests/testthat/test_ICC.R`` ("does it match the numbers from
    Shrout and Fleiss", https://rdrr.io/cran/psych/src/tests/testthat/test_ICC.R); the
    6 × 4 ratings there equal ``shrout_fleiss_1979.csv``."""
    ag = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating", n_boot=0)
    est = ag.set_index("name")["estimate"]
    published = {"ICC(1,1)": .17, "ICC(2,1)": .29, "ICC(3,1)": .71, "ICC(1,k)": .44,
                 "ICC(2,k)": .62, "ICC(3,k)": .91}
    for name, value in published.items():
        assert est[name] == pytest.approx(value, abs=0.005), name
    assert set(ag.loc[ag["statistic"].str.startswith("icc"), "n_raters"]) == {4}


def test_icc_matches_psych_full_precision(shrout_fleiss):
    """Independent implementation: R 4.2.2, psych 2.2.9 (Debian r-cran-psych 2.2.9-1), run for
    the reference audit with ``print(ICC(sf, lmer = FALSE)$results, digits = 8)`` on the same
    matrix ``sf`` as above. Tolerances: half a unit of the last printed digit (the 95 % bounds
    too: the F-based intervals of McGraw & Wong 1996, given unrounded since the ICCs are
    computed by ``coopeval.weighting.icc_core``)."""
    psych = {  # type: (ICC, F, p, lower, upper)
        "icc1": (0.16574177, 1.7946785, 0.16476880834, -0.132932325, 0.72256006),
        "icc2": (0.28976378, 11.0272480, 0.00013456652, 0.018786513, 0.76108437),
        "icc3": (0.71484071, 11.0272480, 0.00013456652, 0.342464765, 0.94585826),
        "icc1k": (0.44279713, 1.7946785, 0.16476880834, -0.884442155, 0.91241542),
        "icc2k": (0.62005055, 11.0272480, 0.00013456652, 0.071136815, 0.92723204),
        "icc3k": (0.90931554, 11.0272480, 0.00013456652, 0.675674714, 0.98589168),
    }
    ag = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating",
                         n_boot=0).set_index("statistic")
    for stat, (icc, f, p, lo, hi) in psych.items():
        row = ag.loc[stat]
        assert row["estimate"] == pytest.approx(icc, abs=5e-9), stat
        assert row["f"] == pytest.approx(f, abs=5e-8), stat
        assert row["p_value"] == pytest.approx(p, abs=5e-12), stat
        assert row["ci_low"] == pytest.approx(lo, abs=5e-9), stat
        assert row["ci_high"] == pytest.approx(hi, abs=5e-9), stat


def test_icc_matches_pingouin_directly(monkeypatch):
    """Independent implementation: ``pingouin.intraclass_corr`` (pingouin 0.7) on pingouin's
    wine dataset (8 wines × 4 judges, www.real-statistics.com). pingouin rounds its CI95 to 2
    decimals (option ``round.column.CI95``): compared within 0.005, then unrounded at 1e-12."""
    d = pg.read_dataset("icc")
    ref = pg.intraclass_corr(d, targets="Wine", raters="Judge", ratings="Scores").set_index("Type")
    monkeypatch.setitem(pg.options, "round.column.CI95", None)
    full = pg.intraclass_corr(d, targets="Wine", raters="Judge", ratings="Scores").set_index("Type")
    ag = rater_agreement(d, target="Wine", rater="Judge", value="Scores", n_boot=0).set_index("mcgraw_wong")
    for pg_name, mw in [("ICC(1,1)", "ICC(1)"), ("ICC(A,1)", "ICC(A,1)"), ("ICC(C,1)", "ICC(C,1)"),
                        ("ICC(1,k)", "ICC(k)"), ("ICC(A,k)", "ICC(A,k)"), ("ICC(C,k)", "ICC(C,k)")]:
        assert ag.loc[mw, "estimate"] == pytest.approx(ref.loc[pg_name, "ICC"], abs=1e-12)
        assert ag.loc[mw, "f"] == pytest.approx(ref.loc[pg_name, "F"], rel=1e-12)
        assert (ag.loc[mw, "df1"], ag.loc[mw, "df2"]) == (ref.loc[pg_name, "df1"], ref.loc[pg_name, "df2"])
        assert ag.loc[mw, "p_value"] == pytest.approx(ref.loc[pg_name, "pval"], rel=1e-9)
        ci = ag.loc[mw, ["ci_low", "ci_high"]].to_numpy(float)
        np.testing.assert_allclose(ci, ref.loc[pg_name, "CI95"], atol=0.005 + 1e-12)
        np.testing.assert_allclose(ci, full.loc[pg_name, "CI95"], atol=1e-12)


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815),
                                              ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_matches_published_example(reference, level, published):
    """Krippendorff (2011), *Computing Krippendorff's alpha-reliability*, section C: 4
    observers, 12 units with missing values; published alphas to 3 decimals (±0.0005).
    Where read: nominal .743, ordinal .815 and ratio .797 on this matrix in the doctest of
    ``krippendorff.alpha`` (package krippendorff 0.9.0, "extracted from ... fulltext.pdf,
    page 8", i.e. the 2011 paper); ordinal .815 and ratio .797 also in
    pln-fing-udelar/fast-krippendorff ``tests/test_krippendorff.py`` (commit
    2fc04ceafd8ef841e9529b996633a97f389ea5a7). Interval .849: the paper itself could not be
    re-read; the value is confirmed by two independent implementations (krippendorff 0.9.0:
    0.8491071428571428, see the next test; ``irr::kripp.alpha`` 0.85 as pinned in a public R
    test suite: 0.8491071428571428)."""
    wide = pd.read_csv(reference / "krippendorff_2011.csv").set_index("observer")
    long = wide.rename_axis(columns="unit").stack().rename("value").reset_index()
    with pytest.warns(StatsWarning, match="not rated by every rater"):  # 4 units incomplete
        ag = rater_agreement(long, target="unit", rater="observer", level=level, n_boot=200, seed=1)
    ka = ag.set_index("statistic").loc["krippendorff_alpha"]
    assert ka["estimate"] == pytest.approx(published, abs=5e-4)
    assert ka["ci_low"] <= ka["estimate"] <= ka["ci_high"]
    assert ka["n_targets"] == 12 and ka["n_raters"] == 4


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_matches_independent_implementation(reference, level):
    """The long table reaches ``coopeval.weighting.krippendorff_alpha`` as raters × units: same
    value as the ``krippendorff`` package (Castro, fast-krippendorff 0.9.0, an independent
    implementation) on the wide matrix, 1e-12 (the formula itself is checked by hand in
    tests/weighting/test_agreement.py)."""
    import krippendorff

    wide = pd.read_csv(reference / "krippendorff_2011.csv").set_index("observer")
    long = wide.rename_axis(columns="unit").stack().rename("value").reset_index()
    with pytest.warns(StatsWarning, match="not rated by every rater"):
        ag = rater_agreement(long, target="unit", rater="observer", level=level, n_boot=0)
    got = ag.set_index("statistic").loc["krippendorff_alpha", "estimate"]
    expected = krippendorff.alpha(reliability_data=wide.to_numpy(float), level_of_measurement=level)
    assert got == pytest.approx(expected, abs=1e-12)


def test_krippendorff_bootstrap_interval_is_seeded_and_sensible(shrout_fleiss):
    a = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating",
                        n_boot=300, seed=5)
    b = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating",
                        n_boot=300, seed=5)
    pd.testing.assert_frame_equal(a, b)
    ka = a.set_index("statistic").loc["krippendorff_alpha"]
    assert -1 <= ka["ci_low"] < ka["ci_high"] <= 1


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_bootstrap_matches_package_resamples(level):
    """The bootstrap resamples units (columns) with the given generator: redone here with the
    ``krippendorff`` package (fast-krippendorff 0.9.0) on the same resamples (same seed, same
    draws, undefined resamples skipped), the estimate and both bounds agree to 1e-12."""
    import krippendorff

    from coopeval.stats.agreement import krippendorff_alpha_boot

    x = np.random.default_rng(11).integers(1, 6, (5, 8)).astype(float)
    x[[0, 1, 2, 3], [1, 4, 6, 6]] = np.nan
    est, lo, hi = krippendorff_alpha_boot(x, level, 200, 0.9, np.random.default_rng(4))
    rng, boots = np.random.default_rng(4), []
    for _ in range(200):
        s = x[:, rng.integers(0, 8, 8)]
        if np.unique(s[~np.isnan(s)]).size >= 2 and ((~np.isnan(s)).sum(axis=0) >= 2).any():
            with np.errstate(all="ignore"):
                boots.append(krippendorff.alpha(reliability_data=s, level_of_measurement=level))
    boots = np.array(boots)[np.isfinite(boots)]
    assert est == pytest.approx(krippendorff.alpha(reliability_data=x, level_of_measurement=level), abs=1e-12)
    assert [lo, hi] == pytest.approx(list(np.percentile(boots, [5, 95])), abs=1e-12)


def test_icc_interval_at_another_level(shrout_fleiss):
    """90 % intervals: ICC(3,1) by hand from the interval of Shrout & Fleiss (1979) (F_L =
    F0 / F(1 - a/2; n-1, (n-1)(k-1)), F_U = F0 × F(1 - a/2; (n-1)(k-1), n-1), bound =
    (F - 1) / (F + k - 1)); every 90 % interval lies inside the 95 % one."""
    from scipy import stats

    ag = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating",
                         ci=0.9, n_boot=100, seed=0).set_index("statistic")
    at95 = rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating",
                           n_boot=0).set_index("statistic")
    n, k, f0 = 6, 4, ag.loc["icc3", "f"]
    fl = f0 / stats.f.ppf(0.95, n - 1, (n - 1) * (k - 1))
    fu = f0 * stats.f.ppf(0.95, (n - 1) * (k - 1), n - 1)
    assert ag.loc["icc3", "ci_low"] == pytest.approx((fl - 1) / (fl + k - 1), abs=1e-12)
    assert ag.loc["icc3", "ci_high"] == pytest.approx((fu - 1) / (fu + k - 1), abs=1e-12)
    icc = [s for s in ag.index if s.startswith("icc")]
    assert (at95.loc[icc, "ci_low"] < ag.loc[icc, "ci_low"]).all()
    assert (ag.loc[icc, "ci_high"] < at95.loc[icc, "ci_high"]).all()
    assert ag.loc["krippendorff_alpha", ["ci_low", "ci_high"]].notna().all()


def test_by_groups(panel):
    from coopeval.stats import scale_scores

    sc = scale_scores(panel["responses"], panel["fw"])
    unit_college = sc.groupby(["indicator", "unit", "wave", "college"], as_index=False)["value"].mean()
    unit_college["target"] = unit_college["unit"] + "_" + unit_college["wave"].astype(str)
    ag = rater_agreement(unit_college, target="target", rater="college", by="indicator", n_boot=50, seed=0)
    assert set(ag["indicator"]) == {"gouv", "terr"}
    assert len(ag) == 2 * 7


# ---------------------------------------------------------------- degenerate inputs
def test_single_rater_gives_nan_with_warning():
    d = pd.DataFrame({"unit": ["a", "b", "c"], "respondent": "r1", "value": [1, 2, 3]})
    with pytest.warns(StatsWarning) as record:
        ag = rater_agreement(d, n_boot=10)
    messages = " | ".join(str(w.message) for w in record)
    assert "ICC is NaN" in messages and "Krippendorff's alpha is NaN" in messages
    assert ag.loc[ag["statistic"].str.startswith("icc"), "estimate"].isna().all()


def test_all_equal_ratings_give_nan_with_warning():
    d = pd.DataFrame({"unit": list("aabbcc"), "respondent": ["x", "y"] * 3, "value": 3})
    with pytest.warns(StatsWarning):
        ag = rater_agreement(d, n_boot=10)
    assert ag["estimate"].isna().all()


def test_incomplete_targets_are_dropped_for_icc_with_warning(shrout_fleiss):
    d = shrout_fleiss[~((shrout_fleiss["target"] == 1) & (shrout_fleiss["judge"] == "judge_1"))]
    with pytest.warns(StatsWarning, match="not rated by every rater"):
        ag = rater_agreement(d, target="target", rater="judge", value="rating", n_boot=0)
    assert (ag.loc[ag["statistic"] == "icc1", "n_targets"] == 5).all()
    assert (ag.loc[ag["statistic"] == "krippendorff_alpha", "n_targets"] == 6).all()


def test_bad_inputs_raise(shrout_fleiss):
    with pytest.raises(StatsError, match="all missing"):
        rater_agreement(pd.DataFrame({"unit": [1], "respondent": [1], "value": [np.nan]}))
    with pytest.raises(StatsError, match="`level`"):
        rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating", level="likert")
    dup = pd.concat([shrout_fleiss, shrout_fleiss.head(1)])
    with pytest.raises(StatsError, match="duplicates"):
        rater_agreement(dup, target="target", rater="judge", value="rating")
    with pytest.raises(StatsError, match="n_boot"):
        rater_agreement(shrout_fleiss, target="target", rater="judge", value="rating", n_boot=-1)
