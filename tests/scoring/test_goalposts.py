"""Goalposts (the normalisation range) are not plausibility limits (what a value can be)."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce


def test_value_beyond_goalpost_is_capped_and_reported_share_above_one_refused(fw):
    # mois_tresorerie keeps absolute goalposts 0–12 (issue 22 made the counts relative to the baseline)
    obs = pd.DataFrame({"unit": ["a", "a", "b"], "wave": [1, 1, 1],
                        "indicator": ["mois_tresorerie", "part_cdi", "mois_tresorerie"],
                        "value": [15.0, 0.6, 12.0]})
    clean = ce.data.validate_observations(obs, fw)  # 15 > upper goalpost 12: valid data
    assert clean["value"].tolist() == [15.0, 0.6, 12.0]
    sc = ce.score(clean, fw).set_index(["unit", "node"])["score"]
    assert sc[("a", "mois_tresorerie")] == sc[("b", "mois_tresorerie")] == 100.0  # capped
    beyond = ce.scoring.beyond_goalposts(clean, fw)
    assert beyond[["unit", "indicator", "side", "goalpost"]].to_numpy().tolist() == [
        ["a", "mois_tresorerie", "above", 12.0]]
    ev = ce.Evaluation(fw, clean, n=20)
    assert len(ev.beyond_goalposts("a", 1)) == 1 and ev.beyond_goalposts("b", 1).empty
    doc = ce.report.restitution(ev, "a", 1)
    assert "1 valeur(s) au-delà des bornes du référentiel" in doc and "15,00 → 12,00" in doc
    with pytest.raises(ce.DataError, match="between 0 and 1 for 'part_cdi', found 1.2"):
        ce.data.validate_observations(obs.assign(value=[2500.0, 1.2, 3.0]), fw)
    with pytest.raises(ce.DataError, match="of at least 0 for 'mois_tresorerie', found -1"):
        ce.data.validate_observations(obs.assign(value=[-1.0, 0.5, 3.0]), fw)


def test_declared_limits_and_goalposts_inside_them(fw):
    spec = fw.select(indicators=["part_cdi"]).to_dict()
    ind = spec["dimensions"][0]["criteria"][0]["indicators"][0]
    ind["limits"], ind["upper"] = [0, 0.9], 0.8
    small = ce.Framework.from_dict(spec)
    assert small.indicators[["limit_low", "limit_high"]].iloc[0].tolist() == [0.0, 0.9]
    with pytest.raises(ce.FrameworkError, match="plausibility limits"):
        ind["upper"] = 1.0
        ce.Framework.from_dict(spec)


def test_report_names_the_declared_aggregation_in_french(fw):
    spec = fw.to_dict()
    spec["aggregation"] = "minimum"
    small = ce.Framework.from_dict(spec)
    obs = ce.datasets.load("panel_synthetique", table="observations")
    doc = ce.report.restitution(ce.Evaluation(small, obs, n=20), "u01", 1)
    assert "territoriale : minimum ; arithmétique ailleurs" in doc and "arithmetic elsewhere" not in doc
