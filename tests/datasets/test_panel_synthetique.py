"""Content of ``panel_synthetique``: validity against the default framework, the documented
built-in effects, and byte-identical regeneration by its seeded script.

Effect sizes are recovered with independent implementations: Cronbach's alpha with
``pingouin.cronbach_alpha`` (Vallat, 2018, *Pingouin: statistics in Python*, JOSS 3(31), 1026)
and the slopes with ``statsmodels`` OLS. Tolerances allow for the rounding of answers to
1-5 and the sampling noise of ~600 respondents (see the dataset README).
"""

from __future__ import annotations

import importlib.util

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
import statsmodels.formula.api as smf

import coopeval as ce
from coopeval.resources import datasets_dir

FOLDER = datasets_dir() / "panel_synthetique"
COLLEGES = {"habitants", "salarie_es", "benevoles", "collectivites", "financeurs", "entreprises"}


def _generator():
    spec = importlib.util.spec_from_file_location("panel_generate", FOLDER / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def panel():
    return ce.datasets.load("panel_synthetique")


@pytest.fixture(scope="module")
def scores(panel, fw):
    """Scale score per respondent: mean of answered items, reverse items as 6 - x."""
    resp = panel["responses"].merge(fw.items[["indicator", "item", "reverse"]], on="item")
    resp["score"] = np.where(resp["reverse"], 6 - resp["value"], resp["value"])
    keys = ["respondent", "unit", "wave", "college", "indicator"]
    return resp.groupby(keys, as_index=False)["score"].mean()


def test_regeneration_is_byte_identical(tmp_path):
    _generator().generate(tmp_path)
    for name in ("units", "observations", "responses", "resources"):
        assert (tmp_path / f"{name}.csv").read_bytes() == (FOLDER / f"{name}.csv").read_bytes(), name


def test_generator_copies_the_framework(fw):
    gen = _generator()
    ind = fw.indicators.set_index("indicator")
    relative = set(fw.relative_goalposts["indicator"])
    for i, (kind, lo, hi, direction, *_rest) in gen.INDICATORS.items():
        assert (kind, direction) == (ind.loc[i, "kind"], ind.loc[i, "direction"]), i
        if i in relative:  # issue 22: the goalposts bound the change since the baseline, the raw
            # range drawn by the generator stays within what the value can be
            assert ind.loc[i, "limit_low"] <= lo < hi <= ind.loc[i, "limit_high"], i
        else:
            assert (lo, hi) == (ind.loc[i, "lower"], ind.loc[i, "upper"]), i
    items = fw.items.set_index("item")
    for scale, (dim, scale_items, _centre) in gen.SCALES.items():
        assert ind.loc[scale, "dimension"] == dim
        assert sorted(i for i, _ in scale_items) == sorted(items.index[items["indicator"] == scale])
        for item, reverse in scale_items:
            assert bool(items.loc[item, "reverse"]) == reverse, item


def test_units(panel):
    units = panel["units"]
    assert len(units) == 12 and units["unit"].is_unique
    assert {"tiers-lieu", "PTCE", "SCIC", "monnaie locale", "TZCLD"} <= set(units["type"])


def test_observations_valid_against_framework(panel, fw):
    obs = panel["observations"]
    ind = fw.indicators.set_index("indicator")
    # the progress grids (kind grid, issue 17) are assessed apart: datasets/qualitatif_exemple/grids.csv
    non_survey = set(ind.index[(ind["source"] != "survey") & (ind["kind"] != "grid")])
    assert set(obs["indicator"]) == non_survey
    assert set(obs["unit"]) == set(panel["units"]["unit"])
    assert set(obs["wave"]) == {1, 2, 3}
    assert not obs.duplicated(["unit", "wave", "indicator"]).any()
    assert len(obs) == 12 * 3 * len(non_survey)
    values = obs.dropna(subset=["value"]).join(ind[["kind", "lower", "upper", "limit_low", "limit_high"]],
                                               on="indicator")
    absolute = ~values["indicator"].isin(fw.relative_goalposts["indicator"])  # issue 22: relative goalposts
    assert (values["value"] >= values["limit_low"]).all() and (values["value"] <= values["limit_high"]).all()
    inside = values[absolute]
    assert (inside["value"] >= inside["lower"]).all() and (inside["value"] <= inside["upper"]).all()
    whole = values[values["kind"].isin(["ordinal", "binary"])]["value"]
    assert (whole == np.round(whole)).all()
    assert set(values.loc[values["kind"] == "binary", "value"]) == {0.0, 1.0}
    share_missing = obs["value"].isna().mean()
    assert 0.01 < share_missing < 0.06


def test_responses_valid_against_framework(panel, fw):
    resp = panel["responses"]
    assert set(resp["item"]) == set(fw.items["item"])
    assert set(resp["college"]) == COLLEGES
    answered = resp["value"].dropna()
    assert set(answered) == {1.0, 2.0, 3.0, 4.0, 5.0}
    assert 0.02 < resp["value"].isna().mean() < 0.06
    assert not resp.duplicated(["respondent", "item"]).any()
    per_person = resp.groupby("respondent")[["unit", "wave", "college"]].nunique()
    assert (per_person == 1).all().all()
    n = resp["respondent"].nunique()
    assert 500 <= n <= 700
    sizes = resp.groupby(["unit", "wave", "college"])["respondent"].nunique()
    assert (sizes < 5).sum() >= 20, "the small-group rule must matter"
    assert (sizes >= 5).sum() >= 20


def test_reverse_items_stored_as_answered(panel, fw):
    """A reverse-coded item correlates negatively with its scale's other items."""
    resp = panel["responses"]
    wide = resp.pivot_table(index="respondent", columns="item", values="value")
    for item in fw.items.loc[fw.items["reverse"], "item"]:
        scale = fw.items.loc[fw.items["item"] == item, "indicator"].iloc[0]
        others = fw.items.loc[(fw.items["indicator"] == scale) & ~fw.items["reverse"], "item"]
        r = wide[item].corr(wide[others].mean(axis=1))
        assert r < -0.3, (item, r)


def test_resources_and_derived_indicators(panel):
    res, obs = panel["resources"], panel["observations"]
    assert set(res["category"]) == {"marchand", "non_marchand", "non_monetaire"}
    assert (res["amount"] >= 0).all()
    assert set(res["unit_of_measure"]) == {"euros", "h"}
    assert (res.loc[res["unit_of_measure"] == "h", "source"] == "bénévolat").all()
    money = res[res["category"].isin(["marchand", "non_marchand"])]
    assert (money["unit_of_measure"] == "euros").all()
    total = money.groupby(["unit", "wave"])["amount"].sum()
    sales = money[money["category"] == "marchand"].groupby(["unit", "wave"])["amount"].sum()
    funder = money[money["category"] == "non_marchand"].groupby(["unit", "wave"])["amount"].max()
    o = obs.pivot_table(index=["unit", "wave"], columns="indicator", values="value")
    auto = (sales / total).round(2)
    dep = (funder / total).round(2)
    ok = o["autofinancement"].notna()
    assert np.allclose(o.loc[ok, "autofinancement"], auto[ok[ok].index])
    ok = o["dependance_principal_financeur"].notna()
    assert np.allclose(o.loc[ok, "dependance_principal_financeur"], dep[ok[ok].index])
    hours = res[res["source"] == "bénévolat"].set_index(["unit", "wave"])["amount"]
    ok = o["heures_benevolat"].notna()
    assert np.allclose(o.loc[ok, "heures_benevolat"], hours[ok[ok].index])


def test_effect_cronbach_alpha(panel, fw):
    """Effect 3: alpha of every 3-item scale in [0.7, 0.85] (pingouin, pairwise deletion)."""
    resp = panel["responses"].merge(fw.items[["item", "indicator", "reverse"]], on="item")
    resp["value"] = np.where(resp["reverse"], 6 - resp["value"], resp["value"])
    sizes = fw.items.groupby("indicator").size()
    for scale in sizes.index[sizes == 3]:
        wide = resp[resp["indicator"] == scale].pivot_table(
            index="respondent", columns="item", values="value"
        )
        alpha, _ci = pg.cronbach_alpha(data=wide)
        assert 0.70 <= alpha <= 0.85, (scale, alpha)


def test_effect_governance_wave_slope(scores, fw):
    """Effect 1: governance survey scale +0.3 per wave (OLS with unit fixed effects)."""
    gov = fw.indicators.query("dimension == 'gouvernance' and source == 'survey'")["indicator"]
    assert list(gov) == ["influence_percue"]
    g = scores[scores["indicator"].isin(gov)]
    slope = smf.ols("score ~ wave + C(unit)", data=g).fit().params["wave"]
    assert slope == pytest.approx(0.3, abs=0.1)
    others = scores[~scores["indicator"].isin(gov) & (scores["unit"] != "u07")]
    flat = smf.ols("score ~ wave + C(unit) + C(indicator)", data=others).fit().params["wave"]
    assert abs(flat) < 0.1


def test_effect_college_gap(scores):
    """Effect 2: habitants rate reconnaissance_territoire ~0.5 below salarie_es."""
    rec = scores[scores["indicator"] == "reconnaissance_territoire"]
    fit = smf.ols('score ~ C(college, Treatment("salarie_es")) + C(unit) + wave', data=rec).fit()
    gap = fit.params['C(college, Treatment("salarie_es"))[T.habitants]']
    assert gap == pytest.approx(-0.5, abs=0.15)
    raw = rec.groupby("college")["score"].mean()
    assert raw["habitants"] - raw["salarie_es"] == pytest.approx(-0.5, abs=0.15)


def test_effect_redundant_pair(panel):
    """Effect 4: participants_actifs and heures_benevolat correlate > 0.9 across units."""
    o = panel["observations"].pivot_table(index=["unit", "wave"], columns="indicator", values="value")
    for wave, sub in o.groupby(level="wave"):
        r = sub["participants_actifs"].corr(sub["heures_benevolat"])
        assert r > 0.9, (wave, r)


def test_effect_strong_unit(panel, scores, fw):
    """Effect 5: u07 improves most, in its survey scales and in its observed indicators."""
    mean = scores.groupby(["unit", "wave"])["score"].mean().unstack()
    change = mean[3] - mean[1]
    assert change.idxmax() == "u07" and change["u07"] > 0.6
    obs = panel["observations"].join(fw.indicators.set_index("indicator")[["direction", "lower", "upper"]],
                                     on="indicator")
    obs = obs[obs["direction"] != "target"].copy()
    obs["x"] = (obs["value"] - obs["lower"]) / (obs["upper"] - obs["lower"])
    obs["x"] = np.where(obs["direction"] == "decrease", -obs["x"], obs["x"])
    z = obs.pivot_table(index=["unit", "indicator"], columns="wave", values="x")
    z = z.div(z.groupby("indicator").transform("std").mean(axis=1), axis=0)
    gain = (z[3] - z[1]).groupby("unit").mean()
    assert gain.idxmax() == "u07"
    assert gain["u07"] > 2 * gain.drop("u07").max()


def test_readme_states_the_true_values():
    readme = (FOLDER / "README.md").read_text(encoding="utf-8")
    gen = _generator()
    assert gen.GOV_WAVE_SLOPE == 0.3 and "+0,3 point par vague" in readme
    assert gen.COLLEGE_GAP == 0.5 and "−0,5 point" in readme
    assert gen.STRONG_UNIT == "u07" and "`u07`" in readme
    assert gen.SEED == 2024 and "default_rng(2024)" in readme
    assert isinstance(pd.read_csv(FOLDER / "units.csv"), pd.DataFrame)


def test_accepted_by_ce_data_validation(panel, fw):
    """End to end: the tables pass ``ce.data`` validation in strict mode unchanged."""
    obs = ce.data.validate_observations(panel["observations"], fw, waves=[1, 2, 3])
    assert len(obs) == len(panel["observations"])
    resp = ce.data.validate_responses(panel["responses"], fw, colleges=sorted(COLLEGES), waves=[1, 2, 3])
    assert len(resp) == len(panel["responses"])


def test_resources_usable_by_ce_valuation(panel):
    """End to end: one unit-wave's resources (``unit_of_measure`` renamed ``unit``) give a
    resources profile whose market share is the observed ``autofinancement`` once the
    non-monetary rows are left out."""
    res = panel["resources"]
    one = res[(res["unit"] == "u06") & (res["wave"] == 2)].drop(columns=["unit", "wave"])
    one = one.rename(columns={"unit_of_measure": "unit"})
    prof = ce.valuation.resources_profile(
        one, include_non_monetary=False, proxies={"h": "heure_benevole_smic_brut"}
    )
    obs = panel["observations"].set_index(["unit", "wave", "indicator"])["value"]
    share = prof.shares.set_index("category").loc["market", "share"]
    assert share == pytest.approx(obs[("u06", 2, "autofinancement")], abs=0.006)
