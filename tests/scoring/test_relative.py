"""Relative goalposts (issue 22): per a reference variable and/or against the own baseline.

Expected values are computed by hand below (each formula written next to its number), from the
contract in ``coopeval/scoring/relative.py``: ``x / d × scale`` (OECD & JRC 2008, step 5,
scaling by size) then ``x_t / x₀`` or ``x_t - x₀`` with ``x₀`` the first wave with a value
(OECD & JRC 2008, section 5.2, "distance to a reference … the initial time t₀"), then the
goalposts formula of ``coopeval/scoring/normalise.py``.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import FrameworkError, ScoringError
from coopeval.scoring.relative import relativise

TOL = 1e-9


def _ind(id_, lower, upper, goalposts=None, **extra):
    out = {"id": id_, "label_fr": id_, "label_en": id_, "unit": "nombre", "kind": "quantitative",
           "direction": "increase", "lower": lower, "upper": upper, "source": "register", **extra}
    if goalposts is not None:
        out["goalposts"] = goalposts
    return out


def _fw_dict():
    return {
        "id": "relatif", "title_fr": "Relatif", "title_en": "Relative",
        "reference_variables": [
            {"id": "membres", "label_fr": "Membres", "label_en": "Members", "unit": "personnes"},
            {"id": "habitants", "label_fr": "Habitants du territoire", "label_en": "Inhabitants",
             "unit": "personnes", "source": "Insee, recensement de la population"},
        ],
        "dimensions": [{"id": "d", "label_fr": "D", "label_en": "D", "indicators": [
            _ind("benevolat", 0, 40, {"per": "membres"}),
            _ind("evenements", 0.5, 2, {"relative_to": "baseline"}, transform="log"),
            _ind("dechets", -100, 100, {"relative_to": "baseline", "change": "difference"}),
            _ind("participants", 0.5, 2, {"per": "habitants", "scale": 1000, "relative_to": "baseline"}),
            _ind("brut", 0, 10),
        ]}],
    }


@pytest.fixture(scope="module")
def fw():
    return ce.Framework.from_dict(_fw_dict())


def _obs():
    rows = [
        # unit a, three waves
        ("a", 1, "benevolat", 600), ("a", 1, "membres", 30), ("a", 2, "benevolat", 900), ("a", 2, "membres", 20),
        ("a", 1, "evenements", 10), ("a", 2, "evenements", 20), ("a", 3, "evenements", 5),
        ("a", 1, "dechets", 200), ("a", 2, "dechets", 250), ("a", 3, "dechets", 400),
        ("a", 1, "participants", 300), ("a", 1, "habitants", 6000),
        ("a", 2, "participants", 330), ("a", 2, "habitants", 6000),
        ("a", 1, "brut", 5),
        # unit b: no value in wave 1, so its baseline is wave 2
        ("b", 1, "evenements", np.nan), ("b", 2, "evenements", 8), ("b", 3, "evenements", 12),
        # unit c: a zero baseline leaves its ratios missing
        ("c", 1, "evenements", 0), ("c", 2, "evenements", 5),
    ]
    return pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])


def _score(sc, unit, wave, node):
    row = sc[(sc["unit"] == unit) & (sc["wave"] == wave) & (sc["node"] == node)]
    return float(row["score"].iloc[0])


def test_scores_match_hand_computed_values(fw):
    sc = ce.score(_obs(), fw, min_coverage=0)
    expected = {
        ("a", 1, "benevolat"): 50.0,  # 600 / 30 = 20 h per member; (20 - 0) / 40 = 0.5
        ("a", 2, "benevolat"): 100.0,  # 900 / 20 = 45 > 40: capped
        ("a", 1, "evenements"): 50.0,  # ratio 10/10 = 1; (ln 1 - ln 0.5) / (ln 2 - ln 0.5) = 0.5
        ("a", 2, "evenements"): 100.0,  # ratio 2
        ("a", 3, "evenements"): 0.0,  # ratio 0.5
        ("b", 2, "evenements"): 50.0,  # b's baseline is wave 2 (8)
        ("b", 3, "evenements"): 100 * (math.log(1.5) - math.log(0.5)) / (math.log(2) - math.log(0.5)),  # 12/8
        ("a", 1, "dechets"): 50.0,  # difference 0; (0 + 100) / 200
        ("a", 2, "dechets"): 75.0,  # 250 - 200 = 50; (50 + 100) / 200
        ("a", 3, "dechets"): 100.0,  # 400 - 200 = 200 > 100: capped
        ("a", 1, "participants"): 100 * (1 - 0.5) / 1.5,  # 50 per 1000 inhabitants, ratio 1
        ("a", 2, "participants"): 100 * (1.1 - 0.5) / 1.5,  # 55 / 50 = 1.1
        ("a", 1, "brut"): 50.0,  # absolute goalposts untouched: 5 / 10
    }
    for (unit, wave, node), value in expected.items():
        assert _score(sc, unit, wave, node) == pytest.approx(value, abs=TOL), (unit, wave, node)
    assert math.isnan(_score(sc, "c", 1, "evenements")) and math.isnan(_score(sc, "c", 2, "evenements"))
    # the reference variables are not scored
    assert not sc["node"].isin(["membres", "habitants"]).any()
    # aggregation as usual: a, wave 1 = mean of its 5 indicator scores (equal weights)
    mean = (50 + 50 + 50 + 100 * 0.5 / 1.5 + 50) / 5
    assert _score(sc, "a", 1, "overall") == pytest.approx(mean, abs=TOL)


def test_report_and_baselines_name_what_was_done(fw):
    r = relativise(_obs(), fw)
    rep = r.report.set_index("indicator")
    assert rep.loc["benevolat", ["per", "n", "n_relative"]].tolist() == ["membres", 2, 2]
    assert pd.isna(rep.loc["benevolat", "relative_to"]) and pd.isna(rep.loc["evenements", "per"])
    assert rep.loc["evenements", ["change", "n", "n_relative", "n_zero_baseline"]].tolist() == ["ratio", 7, 5, 2]
    assert rep.loc["participants", "scale"] == 1000.0
    assert "brut" not in rep.index
    base = r.baselines.set_index(["indicator", "unit"])
    assert base.loc[("evenements", "b"), "baseline_wave"] == 2
    assert base.loc[("participants", "a"), "baseline"] == pytest.approx(50.0)  # 300 / 6000 × 1000
    # rows of other indicators and of the reference variables are left as they were
    raw = _obs().set_index(["unit", "wave", "indicator"])["value"]
    out = r.data.set_index(["unit", "wave", "indicator"])["value"]
    assert out.loc[("a", 1, "membres")] == raw.loc[("a", 1, "membres")]
    assert out.loc[("a", 1, "brut")] == 5


def test_zero_or_missing_denominator_is_counted(fw):
    obs = pd.DataFrame({"unit": ["a", "a", "b"], "wave": 1, "indicator": ["benevolat", "membres", "benevolat"],
                        "value": [100.0, 0.0, 50.0]})
    rep = relativise(obs, fw).report.set_index("indicator")
    assert rep.loc["benevolat", ["n", "n_relative", "n_zero_denominator", "n_missing_denominator"]].tolist() == [
        2, 0, 1, 1]


def test_same_path_for_normalise_beyond_and_uncertainty(fw):
    obs = _obs()
    sc = ce.score(obs, fw, min_coverage=0)
    ind = sc[sc["level"] == "indicator"].set_index(["unit", "wave", "node"])["score"]
    norm = ce.scoring.normalise(obs, fw).set_index(["unit", "wave", "indicator"])["score"]
    pd.testing.assert_series_equal(norm.reindex(ind.index).rename("score"), ind, check_names=False)
    beyond = ce.scoring.beyond_goalposts(obs, fw)
    # capped values are the relative ones: 45 h per member, a difference of 200
    assert sorted(map(tuple, beyond[["indicator", "value", "goalpost"]].to_numpy().tolist())) == [
        ("benevolat", 45.0, 40.0), ("dechets", 200.0, 100.0)]
    mc = ce.uncertainty(obs[obs["unit"] == "a"], fw, n=20, seed=0, sensitivity=False)
    assert mc is not None


def test_missing_reference_variable_names_indicator_and_field(fw):
    obs = pd.DataFrame({"unit": "a", "wave": 1, "indicator": ["benevolat"], "value": [10.0]})
    with pytest.raises(ScoringError) as err:
        ce.score(obs, fw)
    issue = err.value.issues[0]
    assert issue.key == "benevolat.goalposts.per" and "membres" in issue.expected and issue.found == "none"


def test_yaml_round_trip_and_table(fw):
    again = ce.Framework.from_yaml(fw.to_yaml())
    assert again == fw and again.hash == fw.hash
    assert "goalposts:" in fw.to_yaml() and "reference_variables:" in fw.to_yaml()
    table = fw.relative_goalposts.set_index("indicator")
    assert table.loc["dechets", "change"] == "difference" and table.loc["evenements", "change"] == "ratio"
    assert pd.isna(table.loc["benevolat", "change"])
    assert fw.reference_variables["variable"].tolist() == ["membres", "habitants"]


def test_builtin_hash_unchanged_without_relative_goalposts():
    fw = ce.load_framework("cooperation_territoriale").select(dimensions=["social"])
    assert "reference_variables" not in fw.to_yaml()


@pytest.mark.parametrize(("change", "key", "expected_part", "found_part"), [
    (lambda d: d["dimensions"][0]["indicators"][0]["goalposts"].update(per="adherents"),
     "benevolat.goalposts.per", "reference_variables", "'adherents'"),
    (lambda d: d["dimensions"][0]["indicators"][1].update(lower=1.2, upper=3),
     "evenements.goalposts.relative_to", "lower ≤ 1 ≤ upper", "[1.2, 3]"),
    (lambda d: d["dimensions"][0]["indicators"][2].update(lower=10, upper=100),
     "dechets.goalposts.relative_to", "lower ≤ 0 ≤ upper", "[10, 100]"),
    (lambda d: d["dimensions"][0]["indicators"][0]["goalposts"].update(change="ratio"),
     "benevolat.goalposts.change", "only with `relative_to: baseline`", "'ratio'"),
    (lambda d: d["dimensions"][0]["indicators"][1]["goalposts"].update(relative_to="first"),
     "evenements.goalposts.relative_to", "baseline", "'first'"),
    (lambda d: d["dimensions"][0]["indicators"][1]["goalposts"].update(scale=0),
     "evenements.goalposts.scale", "> 0", "0"),
    (lambda d: d["dimensions"][0]["indicators"][4].update(goalposts={}),
     "brut.goalposts", "relative_to: baseline", "neither"),
    (lambda d: d["dimensions"][0]["indicators"][4].update(kind="likert", lower=1, upper=5,
                                                          goalposts={"relative_to": "baseline"}),
     "brut.goalposts", "only on a quantitative indicator", "kind 'likert'"),
    (lambda d: d["reference_variables"][0].update(id="brut"),
     "relatif.reference_variables", "ids unique", "brut"),
])
def test_validation_names_indicator_field_expected_and_given(change, key, expected_part, found_part):
    data = _fw_dict()
    change(data)
    with pytest.raises(FrameworkError) as err:
        ce.Framework.from_dict(data)
    assert isinstance(err.value, ce.CoopevalError)
    hits = [i for i in err.value.issues if i.key == key]
    assert hits, [str(i) for i in err.value.issues]
    assert expected_part in hits[0].expected and found_part in hits[0].found


def test_yaml_errors_give_the_line():
    text = ce.Framework.from_dict(_fw_dict()).to_yaml().replace("relative_to: baseline\n", "relative_to: debut\n", 1)
    with pytest.raises(FrameworkError) as err:
        ce.Framework.from_yaml(text)
    issue = err.value.issues[0]
    assert issue.key == "evenements.goalposts.relative_to" and "line" in issue.where


def test_evaluation_uses_relative_goalposts(fw):
    obs = _obs()
    ev = ce.Evaluation(fw, obs, weights="framework", min_coverage=0)
    assert {"membres", "habitants"} <= set(ev.values["indicator"])  # reference variables kept
    pd.testing.assert_frame_equal(ev.scores(), ce.score(obs, fw, min_coverage=0), check_dtype=False)
    prov = ev.provenance()
    assert [r["indicator"] for r in prov["relative_goalposts"]] == ["benevolat", "evenements", "dechets",
                                                                   "participants"]
    text = ce.i18n.provenance(prov, "fr")
    assert len(text) == 3 and "membres" in text[2] and "habitants" in text[2] and "3 indicateur(s)" in text[2]
    assert ev.relative_goalposts().report["indicator"].tolist() == ["benevolat", "evenements", "dechets",
                                                                    "participants"]


def test_observations_accept_reference_variables(fw):
    clean, errors = ce.data.validate_observations(_obs().dropna(), fw, strict=False)
    assert errors.empty and {"membres", "habitants"} <= set(clean["indicator"])
    bad = pd.DataFrame({"unit": "a", "wave": 1, "indicator": ["membres"], "value": [-3]})
    _, errors = ce.data.validate_observations(bad, fw, strict=False)
    assert len(errors) == 1


def test_project_stores_reference_variables_and_scores_the_same(fw, tmp_path):
    """The store door: reference variables are accepted on import (plausibility limits, not the
    goalposts of the relative value) and the project's evaluation gives the hand-computed scores."""
    p = ce.Project.create(tmp_path / "p.coopeval", framework=fw)
    try:
        p.import_observations(_obs().dropna())
        ev = p.evaluation(weights="framework", min_coverage=0)
        assert {"membres", "habitants"} <= set(ev.values["indicator"])
        sc = ev.scores()
        assert _score(sc, "a", 2, "benevolat") == 100.0  # 45 h per member, capped at 40
        assert _score(sc, "a", 2, "dechets") == pytest.approx(75.0)  # 250 - 200 = 50
        assert _score(sc, "a", 2, "participants") == pytest.approx(100 * (1.1 - 0.5) / 1.5)
    finally:
        p.close()


def test_baseline_is_found_among_the_observations_given(fw):
    """The contract: scoring wave 3 alone (without a ``baseline`` column) makes it its own
    baseline (ratio 1, score 50); giving all waves and selecting wave 3 compares it with wave 1
    (5 / 10 = 0.5, score 0)."""
    obs = _obs()
    alone = ce.score(obs[obs["wave"] == 3], fw, min_coverage=0)
    assert _score(alone, "a", 3, "evenements") == pytest.approx(50.0)
    every = ce.score(obs, fw, min_coverage=0)
    assert _score(every, "a", 3, "evenements") == pytest.approx(0.0)


def test_a_baseline_column_wins_over_the_first_wave_given(fw):
    """Point 2 of the contract: a ``baseline`` column carries a baseline found before the waves
    given. Wave 3 alone with a's wave-1 baselines: evenements 5 / 10 = 0.5 (score 0, as with all
    waves), dechets 400 - 200 = 200 (capped: 100). A row without a baseline falls back on the
    first wave given (b: 12 / 12, score 50)."""
    obs = _obs()
    base = relativise(obs, fw).baselines
    w3 = obs[obs["wave"] == 3].merge(base[["unit", "indicator", "baseline"]], on=["unit", "indicator"], how="left")
    w3.loc[w3["unit"] == "b", "baseline"] = np.nan
    sc = ce.score(w3, fw, min_coverage=0)
    assert _score(sc, "a", 3, "evenements") == pytest.approx(0.0)
    assert _score(sc, "a", 3, "dechets") == pytest.approx(100.0)
    assert _score(sc, "b", 3, "evenements") == pytest.approx(50.0)
    r = relativise(w3, fw).baselines.set_index(["unit", "indicator"])
    assert r.loc[("a", "evenements"), "baseline"] == 10 and r.loc[("a", "evenements"), "baseline_wave"] is None
    assert r.loc[("b", "evenements"), "baseline_wave"] == 3
    with pytest.raises(ScoringError) as err:
        ce.score(w3.assign(baseline=w3["baseline"].astype(object).fillna("dix")), fw, min_coverage=0)
    assert err.value.issues[0].key == "baseline" and "'dix'" in err.value.issues[0].found


def test_evaluation_of_some_waves_keeps_each_baseline_from_the_whole_history(fw):
    """One truth (issues 14 and 22): an Evaluation restricted to wave 3 scores it as the
    evaluation of every wave does — against each unit's first wave, not against itself."""
    obs = _obs()
    every = ce.Evaluation(fw, obs, weights="framework", min_coverage=0).scores()
    only3 = ce.Evaluation(fw, obs, weights="framework", min_coverage=0, waves=[3])
    assert only3.waves == [3] and "baseline" in only3.values
    pd.testing.assert_frame_equal(only3.scores(), every[every["wave"] == 3].reset_index(drop=True),
                                  check_dtype=False)
    assert _score(only3.scores(), "a", 3, "evenements") == pytest.approx(0.0)  # 5 / 10, not 5 / 5
    assert only3.relative_goalposts().baselines.query("unit == 'a' and indicator == 'evenements'")[
        "baseline_wave"].tolist() == [1]


def test_values_written_as_text_are_relativised():
    """Found by the fuzz suite: values given as text (pandas' string dtype) made the relative step
    raise a bare TypeError. « 3 » for a ratio goalpost at its own first wave is unchanged: ×1,
    which scores 50 on the 0.5–2 log scale of the built-in framework (100·ln 2 / ln 4)."""
    obs = pd.DataFrame({"unit": ["u"] * 2, "wave": ["1990"] * 2,
                        "indicator": ["sentiment_appartenance", "participants_actifs"],
                        "value": pd.array(["3", "3"], dtype="str")})
    sc = ce.score(obs, ce.load_framework("cooperation_territoriale"))
    got = sc.query("node == 'participants_actifs'")["score"].iloc[0]
    assert got == pytest.approx(100 * np.log(2) / np.log(4))
