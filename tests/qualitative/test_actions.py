"""Actions decided after a restitution and their follow-up next to the change of linked criteria."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError
from coopeval.qualitative import action_links, check_actions, follow_up


@pytest.fixture(scope="module")
def q():
    return ce.datasets.load("qualitatif_exemple")


@pytest.fixture(scope="module")
def fw():
    return ce.load_framework("cooperation_territoriale")


def test_check_actions_statuses_and_errors(q, fw):
    acts = check_actions(q["actions"], fw)
    assert list(acts.columns) == ce.qualitative.ACTION_COLUMNS
    french = q["actions"].assign(status=["réalisée", "en cours", "Abandonnée", "décidée", "done", "x", "", None])
    with pytest.raises(DataError) as info:
        check_actions(french, fw)
    assert [i.where for i in info.value.issues] == ["row 5"]
    ok = check_actions(french.drop(index=5), fw)
    assert ok["status"].tolist() == ["done", "in_progress", "dropped", "decided", "done", "decided", "decided"]
    with pytest.raises(DataError, match="criteria"):
        check_actions(q["actions"].assign(criteria="nulle_part"), fw)
    links = action_links(acts)
    assert links.groupby("action").size().to_dict()["a02"] == 2


def test_follow_up_values_and_scores(q, fw):
    panel = ce.datasets.load("panel_synthetique")
    obs = pd.concat([panel["observations"], q["grids"]], ignore_index=True)
    scores = ce.score(obs, fw)
    fu = follow_up(q["actions"], scores, fw, unit="u01", wave=2, values=obs)
    assert fu["action"].unique().tolist() == ["a01", "a02", "a03"]  # decided at wave 1, not a04 (wave 2)
    a01 = fu[fu["action"] == "a01"].iloc[0]
    o = obs.set_index(["unit", "wave", "indicator"])["value"]
    assert (a01["level"], a01["measure"]) == ("indicator", "value")
    assert a01["before"] == o["u01", 1, "taux_participation_ag"] and a01["after"] == o["u01", 2, "taux_participation_ag"]
    crit = fu[(fu["action"] == "a02") & (fu["node"] == "participation_decisions")].iloc[0]
    s = scores.set_index(["unit", "wave", "node"])["score"]
    assert crit["measure"] == "score" and crit["before"] == s["u01", 1, "participation_decisions"]
    assert crit["change"] == pytest.approx(s["u01", 2, "participation_decisions"] - s["u01", 1, "participation_decisions"])
    # at wave 3 the action of wave 2 is followed from wave 2
    fu3 = follow_up(q["actions"], scores, fw, unit="u01", wave=3, values=obs)
    a04 = fu3[(fu3["action"] == "a04") & (fu3["node"] == "grille_cooperation")].iloc[0]
    assert (a04["before"], a04["after"]) == (2.0, 3.0)
    # nothing before the first wave
    assert follow_up(q["actions"], scores, fw, unit="u01", wave=1).empty
    # without values an indicator is followed as a score
    assert (follow_up(q["actions"], scores, fw, unit="u01", wave=2)["measure"] == "score").all()
    assert np.isfinite(fu["change"]).all()


def test_waves_ordered_as_numbers_even_as_text(fw):
    """The store keeps waves as text: wave "10" comes after wave "9" (not before "2")."""
    from coopeval.qualitative.actions import wave_key

    acts = pd.DataFrame({"action": ["x"], "unit": ["u"], "wave": ["9"], "what": ["faire"],
                         "criteria": ["participation_decisions"], "status": ["done"]})
    scores = pd.DataFrame({"unit": ["u", "u"], "wave": ["9", "10"], "level": "criterion",
                           "node": "participation_decisions", "score": [40.0, 55.0]})
    fu = follow_up(acts, scores, fw, unit="u", wave="10")
    assert fu[["before", "after", "change"]].values.tolist() == [[40.0, 55.0, 15.0]]
    assert follow_up(acts, scores, fw, unit="u", wave="9").empty
    assert sorted(["10", "9", "2"], key=wave_key) == ["2", "9", "10"]
