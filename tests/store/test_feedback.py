"""Project.token_feedback: a participant's Delphi feedback read with their own token."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.store.feedback import FEEDBACK_COLUMNS
from coopeval.weighting import feedback


def test_feedback_is_the_package_feedback_of_one_participant(replayed_example, fw):
    project, j, session, tokens = replayed_example
    project.open_round(session, 3)
    me = project.as_role("participant")  # the token is enough: no researcher view
    fb = me.token_feedback(tokens["p05"])
    assert fb.columns.tolist() == FEEDBACK_COLUMNS and set(fb["round"]) == {2}
    ref = feedback(j, fw, round=2, session=session, min_group=5).query("participant == 'p05'")
    ref = ref.set_index(["parent", "node"])
    got = fb.set_index(["parent", "node"]).loc[ref.index]
    assert len(ref) > 0 and fb.set_index(["parent", "node"]).index.is_unique
    others = fb.set_index(["parent", "node"]).drop(index=ref.index)  # groups p05 did not weigh
    assert len(others) == len(fb) - len(ref) and others["own_weight"].isna().all()
    assert others["group_median"].notna().all()
    for col in ("own_weight", "group_median", "group_q1", "group_q3"):
        np.testing.assert_allclose(got[col], ref[col], atol=1e-12, err_msg=col)
    assert got["n"].tolist() == ref["n"].tolist()
    assert got["position"].tolist() == ref["position"].tolist()
    assert got["reasons"].tolist() == ref["reasons"].tolist()  # the others' arguments only
    # own raw answers, to pre-fill the page (Simos cards of p05 in round 2)
    mine = j[(j["participant"] == "p05") & (j["round"] == 2)].drop_duplicates("node").set_index("node")
    top = fb[fb["parent"] == "overall"].set_index("node")
    np.testing.assert_array_equal(top["own_value"], mine.loc[top.index, "value"])
    assert set(top["own_method"]) == set(mine["method"])
    # nothing names another participant
    assert not any(p in " ".join(map(str, fb.to_numpy().ravel())) for p in set(j["participant"]) - {"p05"})


def test_feedback_edge_cases(replayed_example, fw):
    project, j, session, tokens = replayed_example
    # a newcomer who answered nothing: group figures only, own_* empty
    tok = project.add_participants(session, pd.DataFrame({"participant": ["neuf"], "college": ["habitants"]}))
    fb = project.token_feedback(tok["token"].iloc[0])
    assert len(fb) > 0 and fb["own_weight"].isna().all() and fb["own_value"].isna().all()
    assert (fb["position"] == "").all() and fb["group_median"].notna().all()
    # a group smaller than min_group: no group statistic, own weight kept
    hidden = project.token_feedback(tokens["p01"], min_group=26)
    assert hidden["group_median"].isna().all() and hidden["own_weight"].notna().all()
    assert (hidden["reasons"] == "").all()
    with pytest.raises(ce.StoreError, match="^token: unknown"):
        project.token_feedback("forged")
    project.set_setting("token_ttl_hours", 1e-9)  # expiry is fixed at issue: a link issued now has expired
    late = project.add_participants(session, pd.DataFrame({"participant": ["late"], "college": ["habitants"]}))
    with pytest.raises(ce.StoreError, match="^token: expired"):
        project.token_feedback(late["token"].iloc[0])


def test_no_previous_round_no_feedback(project):
    project.create_session("s")
    tok = project.add_participants("s", pd.DataFrame({"participant": ["a"], "college": ["habitants"]}))
    project.open_round("s", 1, methods="direct")
    fb = project.token_feedback(tok["token"].iloc[0])
    assert fb.empty and fb.columns.tolist() == FEEDBACK_COLUMNS
