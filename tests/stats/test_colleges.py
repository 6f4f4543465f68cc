"""Tests of coopeval.stats.colleges (omnibus tests, post-hoc, small-group rule)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats as sps
from statsmodels.stats.multicomp import pairwise_tukeyhsd
from statsmodels.stats.oneway import anova_oneway

from coopeval.errors import StatsError
from coopeval.stats import (
    StatsWarning,
    college_differences,
    college_posthoc,
    college_summary,
    scale_scores,
)


@pytest.fixture(scope="module")
def pain():
    """Pain threshold by hair colour: pingouin dataset ``anova`` (19 subjects, 4 groups of
    4–5), attributed to "McClave and Dietrich 1991" in pingouin's ``datasets/datasets.csv``
    (McClave, J. T. & Dietrich, F. H., *Statistics*; the exercise number was not verified)."""
    return pg.read_dataset("anova").rename(columns={"Hair color": "college", "Pain threshold": "value"})


def _groups(d):
    return [g["value"].to_numpy() for _, g in d.groupby("college")]


def test_omnibus_matches_published_and_independent_implementations(pain):
    """Published: F(3, 15) = 6.791407, p = 0.004114, eta squared 0.575962, as printed in the
    docstring of ``pingouin.anova`` (pingouin 0.7.0, ``df.anova(dv="Pain threshold",
    between="Hair color", detailed=False, effsize="n2")``); the detailed table there gives
    SS 1360.726 (between) and 1001.800 (within). Checked against scipy (f_oneway, kruskal) and
    statsmodels (anova_oneway, Welch)."""
    res = college_differences(pain, variable=None, min_group=4).set_index("test")
    a = res.loc["anova"]
    assert a["statistic"] == pytest.approx(6.791407, abs=5e-7)
    assert (a["df1"], a["df2"]) == (3, 15)
    assert a["p_value"] == pytest.approx(0.004114, abs=5e-7)
    assert a["effect_size"] == pytest.approx(0.575962, abs=5e-7)
    assert a["statistic"] == pytest.approx(sps.f_oneway(*_groups(pain)).statistic, rel=1e-10)
    # eta squared = SS_between / SS_total, by hand
    grand = pain["value"].mean()
    ssb = sum(len(g) * (g.mean() - grand) ** 2 for g in _groups(pain))
    sst = ((pain["value"] - grand) ** 2).sum()
    assert a["effect_size"] == pytest.approx(ssb / sst, rel=1e-10)
    w = res.loc["welch"]
    ref = anova_oneway(pain["value"], pain["college"], use_var="unequal")
    assert w["statistic"] == pytest.approx(ref.statistic, rel=1e-8)
    assert w["df2"] == pytest.approx(ref.df[1], rel=1e-8)
    assert w["p_value"] == pytest.approx(ref.pvalue, rel=1e-8)
    k = res.loc["kruskal"]
    kref = sps.kruskal(*_groups(pain))
    assert k["statistic"] == pytest.approx(kref.statistic, rel=1e-10)
    assert k["p_value"] == pytest.approx(kref.pvalue, rel=1e-10)
    # epsilon squared = H / (n - 1) (Tomczak & Tomczak, 2014)
    assert k["effect_size"] == pytest.approx(kref.statistic / 18, rel=1e-10)
    assert (res["n"] == 19).all() and (res["n_groups"] == 4).all()


def test_omnibus_and_tukey_match_r(pain):
    """Independent implementation: R 4.2.2 on the same data (exported from pingouin), run for
    the reference audit. ``summary(aov(Pain ~ Hair))`` → F = 6.79141, p = 0.0041142 (SS
    1360.726 / 1001.800); ``oneway.test(Pain ~ Hair)`` → F = 5.8901148, denom df =
    8.3298407, p = 0.01881303; ``kruskal.test(Pain ~ Hair)`` → chi-squared = 10.58863, p =
    0.01417156; ``TukeyHSD(aov(Pain ~ Hair))`` adjusted p below. Tolerances: half a unit
    of the last printed digit."""
    res = college_differences(pain, variable=None, min_group=4).set_index("test")
    assert res.loc["anova", "statistic"] == pytest.approx(6.79141, abs=5e-6)
    assert res.loc["anova", "p_value"] == pytest.approx(0.0041142, abs=5e-8)
    assert res.loc["welch", "statistic"] == pytest.approx(5.8901148, abs=5e-8)
    assert res.loc["welch", "df2"] == pytest.approx(8.3298407, abs=5e-8)
    assert res.loc["welch", "p_value"] == pytest.approx(0.01881303, abs=5e-9)
    assert res.loc["kruskal", "statistic"] == pytest.approx(10.58863, abs=5e-6)
    assert res.loc["kruskal", "p_value"] == pytest.approx(0.01417156, abs=5e-9)
    r_tukey = {("Dark Blond", "Dark Brunette"): 0.0740678648, ("Dark Blond", "Light Blond"): 0.4355767824,
               ("Dark Blond", "Light Brunette"): 0.4147282544, ("Dark Brunette", "Light Blond"): 0.0037079130,
               ("Dark Brunette", "Light Brunette"): 0.7893210572, ("Light Blond", "Light Brunette"): 0.0366467293}
    ph = college_posthoc(pain, variable=None, method="tukey", min_group=4)
    for row in ph.itertuples():
        assert row.p_value == pytest.approx(r_tukey[(row.group_a, row.group_b)], abs=5e-10)


def test_tukey_matches_statsmodels(pain):
    ph = college_posthoc(pain, variable=None, method="tukey", min_group=4)
    ref = pairwise_tukeyhsd(pain["value"], pain["college"])
    table = pd.DataFrame(ref._results_table.data[1:], columns=ref._results_table.data[0])
    for _, row in ph.iterrows():
        r = table[(table["group1"] == row["group_a"]) & (table["group2"] == row["group_b"])].iloc[0]
        assert row["p_value"] == pytest.approx(r["p-adj"], abs=1e-4)  # statsmodels rounds to 4
        assert -row["estimate"] == pytest.approx(r["meandiff"], abs=1e-4)
    assert len(ph) == 6


def test_games_howell_and_mann_whitney_match_pingouin(pain):
    gh = college_posthoc(pain, variable=None, method="games_howell", min_group=4)
    ref = pg.pairwise_gameshowell(data=pain, dv="value", between="college")
    np.testing.assert_allclose(gh["p_value"], ref["pval"], rtol=1e-10)
    np.testing.assert_allclose(gh["effect_size"], ref["hedges"], rtol=1e-10)
    mw = college_posthoc(pain, variable=None, method="mann_whitney", min_group=4)
    ref = pg.pairwise_tests(data=pain, dv="value", between="college", parametric=False, padjust="holm")
    np.testing.assert_allclose(mw["p_value"], ref["p_corr"], rtol=1e-10)
    u = sps.mannwhitneyu(pain.query("college == 'Dark Blond'")["value"],
                         pain.query("college == 'Dark Brunette'")["value"])
    assert mw.iloc[0]["statistic"] == pytest.approx(u.statistic)


def test_recovers_panel_college_gap(panel):
    """Fixture: habitants sit 0.6 below salarie_es on ``terr``; financeurs are 3 per unit and
    wave (24 per wave overall, so kept)."""
    rs = scale_scores(panel["responses"], panel["fw"]).query("indicator == 'terr'")
    res = college_differences(rs).set_index("test")
    assert (res["p_value"] < 0.001).all()
    ph = college_posthoc(rs)
    row = ph[(ph["group_a"] == "habitants") & (ph["group_b"] == "salarie_es")].iloc[0]
    assert row["estimate"] == pytest.approx(-0.6, abs=0.15)
    assert row["p_value"] < 0.01


# ---------------------------------------------------------------- small-group rule
def test_small_group_suppressed_by_default(pain):
    small = pd.concat([pain, pd.DataFrame({"college": ["Roux"] * 3, "value": [40, 45, 50]})])
    with pytest.warns(StatsWarning, match="fewer than 5 respondents excluded"):
        res = college_differences(small, variable=None)
    # group sizes: Light Blond 5, Dark Blond 5, Dark Brunette 5, Light Brunette 4, Roux 3
    assert (res["small_groups"] == "Light Brunette, Roux").all()
    assert (res["n_groups"] == 3).all() and (res["n"] == 15).all() and not res["has_small_groups"].any()
    with pytest.warns(StatsWarning, match="kept but flagged"):
        res = college_differences(small, variable=None, small_groups="flag")
    assert (res["n_groups"] == 5).all() and res["has_small_groups"].all()
    with pytest.warns(StatsWarning):
        summ = college_summary(small, variable=None).set_index("group")
    assert summ.loc["Roux", "suppressed"] and np.isnan(summ.loc["Roux", "mean"])
    assert summ.loc["Roux", "n"] == 3
    assert summ.loc["Light Blond", "mean"] == pytest.approx(pain.query("college == 'Light Blond'")["value"].mean())


def test_summary_french_headers(pain):
    fr = college_summary(pain, variable=None, min_group=4, lang="fr")
    assert list(fr.columns) == ["Indicateur", "Collège", "Effectif", "Moyenne", "Écart-type",
                                "Médiane", "Masqué (moins de 4 personnes)"]
    en = college_summary(pain, variable=None, min_group=4, lang="en")
    assert en.columns[-1] == "Hidden (fewer than 4 people)"
    with pytest.raises(StatsError, match="`lang`"):
        college_summary(pain, variable=None, lang="de")


def test_single_respondent_college(pain):
    """A college of one respondent: excluded by the small-group rule; with min_group=1 it is
    kept for ANOVA / Kruskal–Wallis but Welch's test (needs a variance) drops it."""
    one = pd.concat([pain, pd.DataFrame({"college": ["Roux"], "value": [40]})])
    with pytest.warns(StatsWarning):
        res = college_differences(one, variable=None).set_index("test")
    assert "Roux" in res.loc["anova", "small_groups"]
    res = college_differences(one, variable=None, min_group=1).set_index("test")
    assert res.loc["anova", "n_groups"] == 5 and res.loc["welch", "n_groups"] == 4
    assert res.loc["anova", "statistic"] == pytest.approx(sps.f_oneway(*_groups(one)).statistic)


def test_fewer_than_two_groups_is_nan_with_warning():
    d = pd.DataFrame({"college": ["a"] * 6 + ["b"] * 2, "value": np.arange(8.0)})
    with pytest.warns(StatsWarning) as record:
        res = college_differences(d, variable=None)
    assert any("test NaN" in str(w.message) for w in record)
    assert any("fewer than 5 respondents excluded" in str(w.message) for w in record)
    assert res["p_value"].isna().all() and (res["note"] == "fewer_than_2_groups").all()
    with pytest.warns(StatsWarning) as record:
        assert college_posthoc(d, variable=None).empty
    assert any("no post-hoc" in str(w.message) for w in record)


def test_constant_values_nan_with_warning():
    d = pd.DataFrame({"college": ["a"] * 6 + ["b"] * 6, "value": 3.0})
    with pytest.warns(StatsWarning):
        res = college_differences(d, variable=None)
    assert res["statistic"].isna().all()


def test_bad_inputs_raise(pain):
    with pytest.raises(StatsError, match="all missing"):
        college_differences(pain.assign(value=np.nan), variable=None)
    with pytest.raises(StatsError, match="`tests`"):
        college_differences(pain, variable=None, tests=["t"])
    with pytest.raises(StatsError, match="`min_group`"):
        college_differences(pain, variable=None, min_group=0)
    with pytest.raises(StatsError, match="`min_group`"):
        college_summary(pain.assign(indicator="x"), min_group=2.5)
    with pytest.raises(StatsError, match="`small_groups`"):
        college_differences(pain, variable=None, small_groups="hide")
    with pytest.raises(StatsError, match="`method`"):
        college_posthoc(pain, variable=None, method="scheffe")
