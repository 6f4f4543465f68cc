"""Project.token_info: what a token gives access to, and token expiry enforced by the store."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pandas as pd
import pytest

import coopeval as ce
from coopeval.store import schema as S
from coopeval.store.access import TOKEN_TTL_SETTING

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
DIRECT = pd.DataFrame({"node": DIMS, "value": [9, 5, 5, 5, 5, 5, 5]})


@pytest.fixture
def tokens(project):
    project.create_session("atelier")
    roster = pd.DataFrame({"participant": ["ana", "bea", "cem"], "college": ["habitants", "habitants", "elus"]})
    return project.add_participants("atelier", roster).set_index("participant")["token"]


def test_token_info_through_the_rounds(project, tokens):
    info = project.token_info(tokens["ana"])
    assert (info.status, info.session, info.participant, info.college) == ("no_round", "atelier", "ana", "habitants")
    assert info.round is None and info.previous_round is None and not info.submitted and not info.ok
    assert info.framework_hash == project.framework().hash and info.expires_at is None
    assert abs((datetime.now(timezone.utc) - info.issued_at).total_seconds()) < 60
    for bad in ("forged", "", None):
        assert project.token_info(bad).status == "unknown"

    project.open_round("atelier", 1, methods={"habitants": "direct"})
    info = project.token_info(tokens["ana"])
    assert (info.status, info.round, info.method, info.methods) == ("ok", 1, "direct", {"habitants": "direct"})
    assert info.ok and project.token_info(tokens["cem"]).method is None  # no method set for elus
    project.submit(tokens["ana"], DIRECT)
    done = project.token_info(tokens["ana"])
    assert (done.status, done.submitted, done.round) == ("submitted", True, 1)
    assert project.token_info(tokens["bea"]).status == "ok"  # only ana's own submission counts

    project.close_round("atelier", 1)
    assert (project.token_info(tokens["ana"]).status, project.token_info(tokens["ana"]).previous_round) == \
        ("no_round", 1)
    project.open_round("atelier", 2, methods="points")
    info = project.token_info(tokens["ana"])
    assert (info.status, info.round, info.previous_round, info.method, info.submitted) == \
        ("ok", 2, 1, "points", False)
    # any role may ask, nothing is written
    n = len(project.audit())
    for role in ("participant", "collective", "facilitator"):
        assert project.as_role(role).token_info(tokens["ana"]).status == "ok"
    assert len(project.audit()) == n


def test_expiry_is_enforced_by_the_store(project, tokens):
    project.open_round("atelier", 1, methods="direct")
    project.set_setting(TOKEN_TTL_SETTING, 48)
    # links issued before the setting keep their expiry (none): fixed when issued
    assert project.token_info(tokens["ana"]).expires_at is None
    fresh = project.add_participants("atelier", pd.DataFrame({"participant": ["dan", "eve"],
                                                              "college": ["habitants"] * 2}))
    dan, eve = fresh["token"]
    info = project.token_info(dan)
    assert info.expires_at - info.issued_at == timedelta(hours=48)
    assert project.token_info(dan, now=info.issued_at + timedelta(hours=47, minutes=59)).ok
    late = project.token_info(dan, now=info.issued_at + timedelta(hours=48, seconds=1))
    assert (late.status, late.participant) == ("expired", "dan")
    # lowering the setting does not expire the links already handed out
    project.set_setting(TOKEN_TTL_SETTING, 1e-9)
    assert project.token_info(dan).ok and project.token_info(dan).expires_at == info.expires_at
    # a link issued under a TTL shorter than its age: submit refuses it ("token: expired")
    short = project.add_participants("atelier", pd.DataFrame({"participant": ["fay"], "college": ["habitants"]}))
    assert project.token_info(short["token"].iloc[0]).status == "expired"
    with pytest.raises(ce.StoreError, match="^token: expired token"):
        project.submit(short["token"].iloc[0], DIRECT)
    assert project.rounds("atelier")["n_submissions"].tolist() == [0]
    assert project.submit(eve, DIRECT) == 7
    for bad in ("deux jours", 0, -3):  # refused when set (issue 16), so that a bad value never locks anyone out
        with pytest.raises(ce.StoreError, match="positive, finite number of hours for setting token_ttl_hours"):
            project.set_setting(TOKEN_TTL_SETTING, bad)
        # a bad value already stored (by an older coopeval) is still refused when a link is issued
        project._write(lambda c, bad=bad: c.execute(
            S.settings.update().where(S.settings.c.key == TOKEN_TTL_SETTING).values(value=str(bad))))
        with pytest.raises(ce.StoreError, match="token_ttl_hours.*positive number of hours"):
            project.add_participants("atelier", pd.DataFrame({"participant": ["gil"], "college": ["habitants"]}))
        project.set_setting(TOKEN_TTL_SETTING, 24)
