"""coopeval.stats recovers the documented effects of the bundled ``panel_synthetique``
(true values in ``datasets/panel_synthetique/README.md``)."""

from __future__ import annotations

import pytest

import coopeval as ce
from coopeval import stats


@pytest.fixture(scope="module")
def panel_data():
    try:
        return ce.datasets.load("panel_synthetique")
    except ce.CoopevalError:  # pragma: no cover - dataset shipped by the datasets area
        pytest.skip("panel_synthetique is not bundled")


@pytest.fixture(scope="module")
def resp_scores(panel_data, fw):
    return stats.scale_scores(panel_data["responses"], fw)


def test_wave_effect_on_governance_scale(resp_scores):
    """True effect +0.3 per wave on influence_percue (±0.1 for sampling, rounding, ceiling)."""
    mm = stats.wave_mixed_model(resp_scores.query("indicator == 'influence_percue'"),
                                college="college").set_index("term")
    assert mm.loc["wave", "estimate"] == pytest.approx(0.3, abs=0.1)
    assert mm.loc["wave", "p_value"] < 1e-6


def test_college_gap_on_recognition(resp_scores):
    """True effect: habitants 0.5 below salarie_es on reconnaissance_territoire (±0.15)."""
    sub = resp_scores.query("indicator == 'reconnaissance_territoire'")
    ph = stats.college_posthoc(sub, method="games_howell")
    row = ph[(ph["group_a"] == "habitants") & (ph["group_b"] == "salarie_es")].iloc[0]
    assert row["estimate"] == pytest.approx(-0.5, abs=0.15)
    assert row["p_value"] < 0.01


def test_scale_reliability_in_documented_range(panel_data, fw):
    rel = stats.scale_reliability(panel_data["responses"], fw)
    alpha = rel.query("statistic == 'cronbach_alpha'").set_index("indicator")["estimate"]
    assert alpha.between(0.65, 0.9).all()
    omega = rel.query("statistic == 'mcdonald_omega' and n_items == 3")["estimate"]
    assert omega.between(0.65, 0.9).all()


def test_redundant_pair_flagged(panel_data, fw):
    corr = stats.indicator_correlations(panel_data["observations"], fw)
    pair = corr[(corr["indicator_a"] == "participants_actifs") & (corr["indicator_b"] == "heures_benevolat")]
    assert bool(pair["redundant"].iloc[0]) and pair["r"].iloc[0] > 0.95
