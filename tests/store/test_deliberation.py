"""Deliberation rounds in the store: tokens, roles, all-or-nothing submissions, collective view."""

from __future__ import annotations

import hashlib
import threading

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.store import schema as S

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


def direct(first: float) -> pd.DataFrame:
    """A 'direct' (0–10) judgement set over the seven dimensions, ``social`` = first."""
    return pd.DataFrame({"node": DIMS, "value": [first, 5, 5, 5, 5, 5, 5]})


@pytest.fixture
def session(project):
    roster = pd.DataFrame({
        "participant": [f"h{i}" for i in range(6)] + [f"b{i}" for i in range(5)] + ["s0", "s1"],
        "college": ["habitants"] * 6 + ["benevoles"] * 5 + ["salaries"] * 2,
    })
    project.create_session("atelier", title="Pondération 2024")
    tokens = project.add_participants("atelier", roster).set_index("participant")["token"]
    project.as_role("facilitator").open_round("atelier", 1, methods="direct")
    return project, tokens


def test_tokens_stored_only_as_hashes(session):
    project, tokens = session
    dump = []
    with project.engine.connect() as conn:
        for table in S.metadata.sorted_tables:
            dump += [str(v) for row in conn.execute(sa.select(table)) for v in row]
        stored = set(conn.execute(sa.select(S.participants.c.token_hash)).scalars())
    text = "\n".join(dump)
    assert not any(t in text for t in tokens)
    assert stored == {hashlib.sha256(t.encode()).hexdigest() for t in tokens}
    assert "token" not in project.participants("atelier").columns


def test_submission_is_the_tokens_own(session):
    project, tokens = session
    assert project.submit(tokens["h0"], direct(7)) == 7
    j = project.judgements("atelier")
    assert list(j.columns) == ["session", "round", "participant", "college", "method", "node", "value", "reason"]
    assert set(j["participant"]) == {"h0"} and set(j["college"]) == {"habitants"}
    assert set(j["method"]) == {"direct"} and set(j["round"]) == {1}
    # another participant's id, another college, another round: refused, nothing written
    for col, val in (("participant", "h1"), ("college", "salaries"), ("round", 2), ("session", "autre")):
        with pytest.raises(ce.StoreError, match="only its own"):
            project.submit(tokens["h2"], direct(3).assign(**{col: val}))
    with pytest.raises(ce.StoreError, match="unknown token"):
        project.submit("pas-un-jeton", direct(3))
    assert len(project.judgements("atelier")) == 7


def test_submission_all_or_nothing_and_replacement(session):
    project, tokens = session
    project.submit(tokens["h0"], direct(7))
    bad = direct(2)
    bad.loc[6, "node"] = "noeud_inconnu"
    with pytest.raises(ce.WeightingError, match="nothing was written"):
        project.submit(tokens["h0"], bad, replace=True)
    worse = direct(2).astype({"value": object})
    worse.loc[3, "value"] = "beaucoup"
    with pytest.raises(ce.WeightingError):
        project.submit(tokens["h0"], worse, replace=True)
    j = project.judgements("atelier")
    assert j.loc[j["node"] == "social", "value"].tolist() == [7.0]  # earlier set intact
    # once per round by default: a second set is refused and changes nothing
    with pytest.raises(ce.StoreError, match="^submitted: participant 'h0' already submitted in round 1"):
        project.submit(tokens["h0"], direct(9))
    assert project.judgements("atelier").loc[lambda d: d["node"] == "social", "value"].tolist() == [7.0]
    project.submit(tokens["h0"], direct(9), replace=True)  # a revision replaces the earlier set
    j = project.judgements("atelier")
    assert len(j) == 7 and j.loc[j["node"] == "social", "value"].tolist() == [9.0]
    assert project.rounds("atelier")["n_submissions"].tolist() == [1]
    subs = project.audit().query("action == 'submit'")
    assert [d["replaced"] for d in subs["detail"]] == [False, True]


def test_method_per_college(project):
    project.create_session("s")
    tok = project.add_participants("s", pd.DataFrame({"participant": ["a", "b"], "college": ["habitants", "elus"]}))
    tok = tok.set_index("participant")["token"]
    project.open_round("s", 1, methods={"habitants": "points", "elus": "direct"})
    assert project.rounds("s")["methods"].iloc[0] == {"elus": "direct", "habitants": "points"}
    points = pd.DataFrame({"node": DIMS, "value": [40, 10, 10, 10, 10, 10, 10]})
    assert project.submit(tok["a"], points) == 7
    with pytest.raises(ce.WeightingError, match="method"):
        project.submit(tok["b"], points.assign(method="points"))
    assert project.submit(tok["b"], direct(8)) == 7
    assert set(project.judgements("s").groupby("college")["method"].first().items()) == {
        ("habitants", "points"), ("elus", "direct")}


def test_rounds_open_close_by_facilitator(session):
    project, tokens = session
    fac = project.as_role("facilitator")
    for role in ("collective", "participant"):
        with pytest.raises(ce.StoreError, match="facilitator"):
            project.as_role(role).close_round("atelier", 1)
        with pytest.raises(ce.StoreError, match="facilitator"):
            project.as_role(role).open_round("atelier", 2)
    with pytest.raises(ce.StoreError, match="already has round 1 open"):
        fac.open_round("atelier", 2)
    project.submit(tokens["h0"], direct(7))
    fac.close_round("atelier", 1)
    with pytest.raises(ce.StoreError, match="no round .* is open; submission refused"):
        project.submit(tokens["h1"], direct(7))
    with pytest.raises(ce.StoreError, match="cannot reopen"):
        fac.open_round("atelier", 1)
    fac.open_round("atelier", 2, methods="direct")
    project.submit(tokens["h1"], direct(4))
    r = project.rounds("atelier")
    assert r["status"].tolist() == ["closed", "open"] and r["n_submissions"].tolist() == [1, 1]
    actions = project.audit()["action"].tolist()
    assert actions.count("open_round") == 2 and actions.count("close_round") == 1
    assert set(project.audit().query("action == 'open_round'")["role"]) == {"facilitator"}


def test_collective_view_aggregates_and_suppresses(session):
    """Hand computation: habitants give social = 1..6 -> n 6, mean 3.5, median 3.5,
    sample sd sqrt(17.5 / 5) = 1.8708286933869707; benevoles (5) give 8 each, salaries (2) 0 and 10.
    Salaries (2 < 5) are suppressed; as the all-colleges row is shown, the smallest other
    college (benevoles, 5) is suppressed too, or salaries could be recovered by difference.
    All colleges: n 13, mean (21 + 40 + 10) / 13 = 71 / 13."""
    project, tokens = session
    for i in range(6):
        project.submit(tokens[f"h{i}"], direct(i + 1))
    for i in range(5):
        project.submit(tokens[f"b{i}"], direct(8))
    project.submit(tokens["s0"], direct(0))
    project.submit(tokens["s1"], direct(10))
    view = project.as_role("collective").collective_view("atelier", 1)
    assert list(view.columns) == ["session", "round", "college", "method", "node", "n", "mean", "median",
                                  "sd", "min", "max", "suppressed"]
    social = view[view["node"] == "social"].set_index("college")
    h = social.loc["habitants"]
    assert (h["n"], h["mean"], h["median"]) == (6, 3.5, 3.5)
    assert h["sd"] == pytest.approx(np.sqrt(17.5 / 5), rel=1e-12)
    assert (h["min"], h["max"], h["suppressed"]) == (1, 6, False)
    for college in ("salaries", "benevoles"):
        assert social.loc[college, "suppressed"]
        assert social.loc[college, ["n", "mean", "median", "sd", "min", "max"]].isna().all()
    e = social.loc["ensemble"]
    assert e["n"] == 13 and e["mean"] == pytest.approx(71 / 13, rel=1e-12) and not e["suppressed"]
    # individual judgements stay closed to the collective
    with pytest.raises(ce.StoreError, match="researcher"):
        project.as_role("collective").judgements("atelier")
    # a stricter threshold suppresses everything under 7 (only the all-colleges row remains)
    strict = project.collective_view("atelier", 1, min_group=7)
    assert strict.loc[~strict["suppressed"], "college"].unique().tolist() == ["ensemble"]


def test_collective_view_small_session_fully_suppressed(session):
    project, tokens = session
    for i in range(3):
        project.submit(tokens[f"h{i}"], direct(i))
    view = project.collective_view("atelier")
    assert view["suppressed"].all() and view["mean"].isna().all()


def test_round_closed_while_checking_refuses(session, monkeypatch):
    """SQLite: checks run before the write transaction; a round closed in between is detected there.
    PostgreSQL (issue 16): checks run in the write transaction, under a share lock on the open round,
    so close_round waits for the submission in flight, which is stored and counted by the close."""
    project, tokens = session
    from coopeval.store import checks

    real = checks.judgements
    closer: list[threading.Thread] = []

    def close() -> None:
        project.as_role("facilitator").close_round("atelier", 1)

    def slow_check(*args, **kwargs):
        out = real(*args, **kwargs)
        if project.engine.dialect.name == "postgresql":  # the facilitator closes meanwhile, from elsewhere
            closer.append(threading.Thread(target=close))
            closer[0].start()
            closer[0].join(timeout=1.5)
            assert closer[0].is_alive(), "close_round did not wait for the submission in flight"
        else:
            close()  # the facilitator closes meanwhile
        return out

    monkeypatch.setattr(checks, "judgements", slow_check)
    if project.engine.dialect.name == "postgresql":
        assert project.submit(tokens["h0"], direct(7)) == 7
        closer[0].join(timeout=30)
        assert not closer[0].is_alive()
        assert project.rounds("atelier")["status"].tolist() == ["closed"]
        closing = project.audit().query("action == 'close_round'")["detail"].iloc[-1]
        assert closing["n_submissions"] == 1 and len(project.judgements("atelier")) == 7
        with pytest.raises(ce.StoreError, match="round:"):  # and after the close, refused
            project.submit(tokens["h1"], direct(7))
        return
    with pytest.raises(ce.StoreError, match="submission refused"):
        project.submit(tokens["h0"], direct(7))
    assert project.judgements("atelier").empty


def test_reasons_kept(session):
    project, tokens = session
    project.submit(tokens["h0"], direct(7).assign(reason=["le lien social d'abord"] + [None] * 6))
    j = project.judgements("atelier").set_index("node")
    assert j.loc["social", "reason"] == "le lien social d'abord" and pd.isna(j.loc["emploi", "reason"])
