"""The bundled deliberation replayed through tokens, and the facilitator's agreement inputs.

The whole ``deliberation_exemple`` dataset (25 participants, 2 rounds, five methods,
explicit Simos blank cards ``__blanc__`` and ratio rows ``overall:z``) is submitted
participant by participant with their tokens, exactly as the participant page does.
"""

from __future__ import annotations

import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.store import schema as S
from coopeval.store.facilitation import participant_label
from coopeval.weighting import participant_weights, validate_judgements
from coopeval.weighting.round_summary import agreement_summary

CONTRACT = ["session", "round", "participant", "college", "method", "node", "value"]


@pytest.fixture
def replayed(replayed_example):
    project, j, session, _ = replayed_example
    return project, j, session


def _key(df: pd.DataFrame) -> pd.DataFrame:
    """Rows in a canonical order, text columns as plain objects (the stored dtype may differ)."""
    text = [c for c in df.columns if c not in ("round", "value", "weight")]
    return df.astype({c: object for c in text}).sort_values(
        [c for c in ("round", "participant", "parent", "node", "value", "weight") if c in df.columns]
    ).reset_index(drop=True)


def test_whole_example_replays_through_tokens(replayed, fw):
    project, j, session = replayed
    stored = project.judgements(session)
    assert len(stored) == len(j) == 592
    blanks = stored[stored["node"] == "__blanc__"]
    assert len(blanks) == (j["node"] == "__blanc__").sum() == 2
    assert (stored["node"] == "overall:z").sum() == (j["node"] == "overall:z").sum() > 0
    want = j[CONTRACT + ["reason"]].astype({"round": int, "value": float}).astype({"reason": object})
    got = stored[CONTRACT + ["reason"]]
    pd.testing.assert_frame_equal(_key(got[CONTRACT]), _key(want[CONTRACT]))
    assert sorted(got["reason"].dropna()) == sorted(want["reason"].dropna())
    # the weights computed from the store are those computed from the file
    pd.testing.assert_frame_equal(_key(participant_weights(stored[CONTRACT], fw)),
                                  _key(participant_weights(j[CONTRACT], fw)))
    # explicit blank cards only document the gap convention (revised Simos procedure,
    # Figueira & Roy 2002): the same weights without those rows
    no_blank = j[j["node"] != "__blanc__"][CONTRACT]
    pd.testing.assert_frame_equal(_key(participant_weights(stored[CONTRACT], fw)),
                                  _key(participant_weights(no_blank, fw)))


SIMOS = [("territoire", 1), ("social", 2), ("emploi", 2), ("ecologie", 4), ("gouvernance", 5),
         ("economie", 5), ("externalites", 6)]


@pytest.mark.parametrize("extra", [
    [("__blanc__", 3)], [("__blank__", 3)], [("overall:__blanc__", 3)], [("overall:z", 4)],
    [("__blanc__", 3), ("overall:z", 4)],
    [("__blanc__", 7)],  # a blank card outside the cards: refused
    [("social:__blanc__", 3)],  # the blank card of another group: refused
    [("inconnu:__blanc__", 3)],  # an unknown group: refused
    [("__blanc__", 2)],  # a blank card on an occupied position: refused
])
def test_store_accepts_exactly_what_validate_judgements_accepts(project, fw, extra):
    rows = pd.DataFrame(SIMOS + extra, columns=["node", "value"]).assign(method="simos")
    full = rows.assign(session="s", round=1, participant="ana", college="habitants")[CONTRACT]
    try:
        validate_judgements(full, fw)
        valid = True
    except ce.WeightingError:
        valid = False
    project.create_session("s")
    tok = project.add_participants("s", pd.DataFrame({"participant": ["ana"], "college": ["habitants"]}))
    project.open_round("s", 1)
    if valid:
        assert project.submit(tok["token"].iloc[0], rows) == len(rows)
        assert sorted(project.judgements("s")["node"]) == sorted(rows["node"])
    else:
        with pytest.raises(ce.WeightingError):
            project.submit(tok["token"].iloc[0], rows)
        assert project.judgements("s").empty
    assert valid == (extra[0][1] in (3, 4) and not extra[0][0].startswith(("social", "inconnu")))


def test_facilitator_agreement_inputs(replayed, fw):
    project, j, session = replayed
    fac = project.as_role("facilitator")
    inputs = fac.agreement_inputs(session)
    raw = project.judgements(session)
    assert inputs.columns.tolist() == CONTRACT and len(inputs) == len(raw)
    # participants appear only under labels: one label per participant, stable over rounds
    labels = dict(zip(raw["participant"], inputs["participant"], strict=True))
    assert len(set(labels.values())) == raw["participant"].nunique() == 25
    assert inputs["participant"].str.fullmatch(r"p_[0-9a-f]{10}").all()
    assert not set(inputs["participant"]) & set(raw["participant"])
    key = project._read(lambda c: c.execute(sa.select(S.meta.c.value).where(S.meta.c.key == "label_key")).scalar())
    assert all(participant_label(session, p, key) == lab for p, lab in labels.items())
    assert participant_label("autre_session", "p01", key) != labels["p01"]
    pd.testing.assert_frame_equal(inputs.drop(columns="participant"),
                                  raw[CONTRACT].drop(columns="participant"))
    assert fac.agreement_inputs(session, 2)["round"].unique().tolist() == [2]
    # the facilitator's figures are the same as from the researcher's individual view
    for rnd in (1, 2):
        mine, ref = agreement_summary(inputs, fw, round=rnd), agreement_summary(raw, fw, round=rnd)
        for name in ("overall", "by_college", "contested", "status", "counts"):
            pd.testing.assert_frame_equal(mine[name], ref[name], obj=f"{name}, round {rnd}")
        assert len(mine["overall"]) > 0
    # per-participant weights, under the same labels
    w = fac.round_weights(session, 1)
    ref = participant_weights(raw[raw["round"] == 1][CONTRACT], fw)
    pd.testing.assert_frame_equal(w, ref.assign(participant=ref["participant"].map(labels)))
    assert w.groupby(["participant", "parent"])["weight"].sum().round(9).eq(1).all()
    # never to the collective role (it sees only the collective view) nor to participants
    for role in ("collective", "participant"):
        with pytest.raises(ce.StoreError, match="facilitator"):
            project.as_role(role).agreement_inputs(session)
        with pytest.raises(ce.StoreError, match="facilitator"):
            project.as_role(role).round_weights(session)
    fac.create_session("vide")  # a session nobody answered yet: empty tables, same columns
    assert fac.agreement_inputs("vide").columns.tolist() == CONTRACT and fac.agreement_inputs("vide").empty
    assert fac.round_weights("vide").empty and fac.round_weights("vide").columns.tolist() == w.columns.tolist()
    with pytest.raises(ce.StoreError, match="session"):
        fac.round_weights("inexistante")
