"""Links you cannot lose (issue 23): every link issued listed again with the facilitator's key,
re-issued (old link revoked, audited), expiry fixed at issue, colleges from the project's list."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pandas as pd
import pytest

import coopeval as ce
from coopeval.store.links import new_participants

SECRET = "atelier-de-test-2026"
DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
DIRECT = pd.DataFrame({"node": DIMS, "value": [9, 5, 5, 5, 5, 5, 5]})


@pytest.fixture
def key(project):
    project.set_facilitator_secret(SECRET)
    project.create_session("atelier")
    return project.facilitator_login(SECRET)


def test_links_listed_again_at_any_time(project, key):
    hab = project.add_participants("atelier", new_participants("habitants", 3), key=key)
    sal = project.add_participants("atelier", new_participants("salarie_es", 2), key=key)
    links = project.issued_links("atelier", key)
    issued = pd.concat([hab, sal]).sort_values("participant")
    assert links["participant"].tolist() == issued["participant"].tolist()
    assert links["token"].tolist() == issued["token"].tolist()
    assert set(links["status"]) == {"active"} and links["expires_at"].isna().all()
    # in the file: only the SHA-256 and an encrypted copy, never the token itself
    raw = project._read(lambda c: c.exec_driver_sql("SELECT token_enc, token_hash FROM links").all())
    for enc, digest in raw:
        assert all(t not in enc for t in issued["token"])
        assert digest in {hashlib.sha256(t.encode()).hexdigest() for t in issued["token"]}
    # another secret cannot read them
    with pytest.raises(ce.StoreError, match="^secret: wrong"):
        project.facilitator_login("pas le bon secret")


def test_reissue_revokes_the_old_link(project, key):
    tok = project.add_participants("atelier", new_participants("habitants", 2), key=key).set_index("participant")
    project.open_round("atelier", 1, methods="direct")
    new = project.reissue_link("atelier", "hab-01", key)
    assert new["participant"].tolist() == ["hab-01"] and new["college"].tolist() == ["habitants"]
    assert project.token_info(tok.at["hab-01", "token"]).status == "revoked"
    with pytest.raises(ce.StoreError, match="^token: revoked"):
        project.submit(tok.at["hab-01", "token"], DIRECT)
    assert project.submit(new["token"].iloc[0], DIRECT) == 7
    links = project.issued_links("atelier", key)
    assert links.set_index("participant").at["hab-01", "token"] == new["token"].iloc[0]
    every = project.issued_links("atelier", key, include_revoked=True)
    assert every.query("participant == 'hab-01'")["status"].tolist() == ["revoked", "active"]
    log = project.audit()
    assert log[log["action"] == "reissue_link"]["target"].tolist() == ["atelier/hab-01"]
    with pytest.raises(ce.StoreError, match="participant"):
        project.reissue_link("atelier", "inconnu", key)
    # adding an existing participant is refused and says how to re-issue
    with pytest.raises(ce.StoreError, match="reissue_link"):
        project.add_participants("atelier", pd.DataFrame({"participant": ["hab-01"], "college": ["habitants"]}))


def test_expiry_fixed_when_issued(project, key):
    project.set_setting("token_ttl_hours", 48)
    tok = project.add_participants("atelier", new_participants("habitants", 1), key=key)
    info = project.token_info(tok["token"].iloc[0])
    assert info.expires_at - info.issued_at == timedelta(hours=48)
    project.set_setting("token_ttl_hours", 1)  # lowered later: the link handed out keeps 48 h
    assert project.token_info(tok["token"].iloc[0]).expires_at == info.expires_at
    assert project.issued_links("atelier", key, now=info.expires_at + timedelta(seconds=1))["status"].tolist() \
        == ["expired"]
    again = project.reissue_link("atelier", "hab-01", key)  # a re-issued link gets the current setting
    info2 = project.token_info(again["token"].iloc[0])
    assert info2.expires_at - info2.issued_at == timedelta(hours=1)


def test_secret_hashed_and_rate_limited(project):
    assert not project.has_facilitator_secret()
    with pytest.raises(ce.StoreError, match="^secret: none set"):
        project.facilitator_login("x")
    secret = project.set_facilitator_secret()
    assert len(secret) == 19 and project.has_facilitator_secret()
    stored = project._read(lambda c: c.exec_driver_sql("SELECT value FROM meta WHERE key = 'facilitator_secret'")
                           .scalar())
    assert secret not in stored and "scrypt" in stored
    with pytest.raises(ce.StoreError, match="at least 12"):
        project.set_facilitator_secret("court")
    for _ in range(5):
        with pytest.raises(ce.StoreError, match="^secret: wrong"):
            project.facilitator_login("mauvais secret")
    with pytest.raises(ce.StoreError, match="too many attempts"):
        project.facilitator_login(secret)  # even the right one, until the window has passed
    assert (project.audit()["action"] == "facilitator_login_failed").sum() == 5


def test_change_secret_keeps_links(project, key):
    tok = project.add_participants("atelier", new_participants("habitants", 1), key=key)
    fac = project.as_role("facilitator")
    with pytest.raises(ce.StoreError, match="researcher"):
        fac.set_facilitator_secret("nouveau secret long")
    fac.set_facilitator_secret("nouveau secret long", current=SECRET)
    key2 = project.facilitator_login("nouveau secret long")
    assert project.issued_links("atelier", key2)["token"].tolist() == tok["token"].tolist()
    project.set_facilitator_secret("secret remis à zéro")  # researcher, without the current one
    key3 = project.facilitator_login("secret remis à zéro")
    assert project.issued_links("atelier", key3)["token"].isna().all()  # listed, no longer readable


def test_colleges_from_the_project(project):
    assert {"habitants", "salarie_es", "financeurs"} <= set(project.colleges())
    project.set_setting("colleges", "habitants, usagers")
    assert project.colleges() == ["habitants", "usagers"]
    with pytest.raises(ce.CoopevalError, match="one of the project's colleges"):
        new_participants("Habitants ", 2, colleges=project.colleges())
    assert new_participants(" usagers", 1, colleges=project.colleges())["college"].tolist() == ["usagers"]
