"""Issue 22: framework rounds, the register of decisions and numbered framework versions."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.errors import StoreError
from coopeval.store import schema as S
from coopeval.weighting.framework_round import apply_change, tally

NEW_NODE = {"id": "repas_partages", "label_fr": "Repas partagés", "label_en": "Shared meals",
            "unit": "repas par an", "kind": "quantitative", "direction": "increase", "lower": 0, "upper": 500,
            "source": "register"}


@pytest.fixture
def project(location):
    return ce.Project.create(location, framework="cooperation_territoriale")


def _round(project, colleges: dict[str, int]):
    """A framework round with ``colleges`` → number of participants; returns the tokens by college."""
    roster = pd.DataFrame([{"participant": f"{c}{i}", "college": c} for c, n in colleges.items() for i in range(n)])
    project.create_session("referentiel", title="Ce qui compte")
    tokens = project.add_participants("referentiel", roster)
    project.open_framework_round("referentiel", 1)
    return tokens


def test_register_matches_what_was_done(project):
    tokens = _round(project, {"habitants": 6, "salaries": 5, "elus": 2})
    tok = tokens["token"].tolist()
    p_rename = project.propose(tok[0], "rename", "participants_actifs", text="Personnes qui s'impliquent",
                               why="on ne compte pas des clients")
    p_remove = project.propose(tok[1], "remove", "lieux_partages", why="sans rapport avec nos finalités")
    p_add = project.propose(tok[2], "add", parent="lien_social", text="Repas partagés",
                            measures="le nombre de repas pris ensemble", why="c'est là que le lien se crée")
    # proposals keep no trace of who made them
    props = project.proposals("referentiel")
    assert props["id"].tolist() == [p_rename, p_remove, p_add]
    assert "participant" not in props.columns and "college" not in props.columns
    habitants = tokens.loc[tokens["college"] == "habitants", "token"]
    salaries = tokens.loc[tokens["college"] == "salaries", "token"]
    elus = tokens.loc[tokens["college"] == "elus", "token"]
    for t in habitants:
        project.vote(t, {p_rename: "for", p_remove: "against", p_add: "for"})
    for i, t in enumerate(salaries):
        project.vote(t, {p_rename: "for", p_remove: "for" if i < 2 else "against", p_add: "abstain"})
    for t in elus:
        project.vote(t, {p_rename: "against", p_remove: "for", p_add: "for"})
    project.vote(habitants.iloc[0], {p_remove: "for"})  # a new vote replaces the earlier one
    before = project.framework()
    new_hash = project.close_framework_round("referentiel", {
        p_rename: {"outcome": "adopted", "reason": "majorité dans chaque collège"},
        p_remove: {"outcome": "rejected", "reason": "pas de majorité"},
        p_add: {"outcome": "adopted", "reason": "adopté", "node": NEW_NODE},
    }, wave="2025")
    # the register says exactly what was done
    reg = project.decisions()
    assert reg[["op", "target", "outcome", "decided_by"]].values.tolist() == [
        ["rename", "participants_actifs", "adopted", "round"],
        ["remove", "lieux_partages", "rejected", "round"],
        ["add", "repas_partages", "adopted", "round"]]
    assert reg["framework_before"].iloc[0] == before.hash and reg["framework_after"].iloc[-1] == new_hash
    # the round's decisions together lead from the stored version 1 to the stored version 2
    assert set(reg["framework_before"]) == {before.hash} and set(reg["framework_after"]) == {new_hash}
    # votes by college: 6 habitants shown, 2 élus hidden, so the salariés (smallest shown) are hidden too
    remove_votes = reg["votes"].iloc[1]
    assert remove_votes["habitants"] == {"n": 6, "for": 1, "against": 5, "abstain": 0}
    assert remove_votes["elus"] == {"hidden": True} and remove_votes["salaries"] == {"hidden": True}
    assert remove_votes["ensemble"] == {"n": 13, "for": 5, "against": 8, "abstain": 0}
    # and the framework is the one these decisions describe
    after = project.framework(new_hash)
    expected = apply_change(apply_change(before, "rename", "participants_actifs", text="Personnes qui s'impliquent"),
                            "add", parent="lien_social", node=NEW_NODE)
    assert after == expected
    assert after.label("participants_actifs") == "Personnes qui s'impliquent" and "lieux_partages" in after
    assert after.parent("repas_partages") == "lien_social"
    versions = project.framework_versions()
    assert versions[["number", "hash", "parent"]].values.tolist() == [[1, before.hash, None], [2, new_hash, before.hash]]
    assert reg["version_before"].tolist() == [1, 1, 1] and reg["version_after"].tolist() == [2, 2, 2]
    assert project.audit()["action"].tolist().count("decide") == 3


def test_register_is_append_only(project):
    project.decide("material", "emplois_crees", by="body", decider="conseil coopératif", reason="central",
                   for_whom=["habitants"])
    for stmt in ("UPDATE decisions SET reason = 'autre'", "DELETE FROM decisions"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), project.engine.begin() as conn:
            conn.exec_driver_sql(stmt)
    assert project.decisions()["reason"].tolist() == ["central"]


def test_a_result_names_its_framework_version(project):
    obs = ce.datasets.load("panel_synthetique", table="observations")
    project.import_observations(obs)
    _t1, r1 = project.score(weights="framework")
    project.decide("goalpost", "participants_actifs", by="body", decider="assemblée générale",
                   reason="nos propres vagues", value={"upper": 800, "goalpost_source": "vague 1 du projet"},
                   votes={"habitants": {"for": 9, "against": 1}, "elus": {"for": 2}})
    _t2, r2 = project.score(weights="framework")
    res = project.results().set_index("id")
    assert res.loc[r1, "framework_number"] == 1 and res.loc[r2, "framework_number"] == 2
    spec_hash = res.loc[r2, "params"]["spec"]["framework"]["hash"]
    versions = project.framework_versions().set_index("hash")
    assert versions.loc[spec_hash, "number"] == 2
    assert project.framework(spec_hash).node("participants_actifs")["upper"] == 800
    # the register kept the vote with the small college hidden (and its complement)
    votes = project.decisions()["votes"].iloc[0]
    assert votes["elus"] == {"hidden": True} and votes["habitants"] == {"hidden": True}
    assert votes["ensemble"]["n"] == 12
    assert project.verify(r2)


def test_tally_hides_small_colleges():
    votes = pd.DataFrame({"proposal": [1] * 17 + [2] * 12,
                          "college": ["a"] * 7 + ["b"] * 6 + ["c"] * 4 + ["a"] * 6 + ["b"] * 6,
                          "vote": ["for"] * 17 + ["against"] * 12})
    out = tally(votes, min_group=5).set_index(["proposal", "college"])
    assert out.loc[(1, "c"), "suppressed"] and math.isnan(out.loc[(1, "c"), "n_for"])
    assert out.loc[(1, "b"), "suppressed"]  # complementary: b (6) is the smallest shown
    assert out.loc[(1, "a"), "n_for"] == 7 and out.loc[(1, "ensemble"), "n"] == 17
    assert not out.loc[2, "suppressed"].any() and out.loc[(2, "ensemble"), "n_against"] == 12


def test_proposals_need_an_open_framework_round(project):
    tokens = _round(project, {"habitants": 5})
    with pytest.raises(StoreError, match="target"):
        project.propose(tokens["token"].iloc[0], "remove", "inconnu")
    with pytest.raises(StoreError, match="measures"):
        project.propose(tokens["token"].iloc[0], "add", parent="social", text="Quelque chose")
    project.close_round("referentiel", 1)
    with pytest.raises(StoreError, match="no round"):
        project.propose(tokens["token"].iloc[0], "keep", "social")
    project.open_round("referentiel", 2, methods="swing")
    with pytest.raises(StoreError, match="not a framework round"):
        project.propose(tokens["token"].iloc[0], "keep", "social")
    with pytest.raises(StoreError, match="token"):
        project.propose("forged", "keep", "social")


def test_materiality_is_recorded(project):
    from coopeval.weighting.framework_round import material_outcomes

    project.decide("material", "emplois_crees", by="round", decider="atelier", reason="au cœur du projet",
                   for_whom=["salariés", "habitants"], wave="2025")
    project.decide("not_material", "co2_evite", by="body", decider="conseil coopératif", reason="marginal")
    mat = material_outcomes(project.as_role("collective").decisions())
    assert mat[["outcome", "material"]].values.tolist() == [["co2_evite", False], ["emplois_crees", True]]
    assert mat["for_whom"].iloc[1] == ["salariés", "habitants"]
    assert project.framework_versions()["number"].tolist() == [1]  # the framework did not change


def test_register_survives_export_and_import(project, tmp_path, location2):
    tokens = _round(project, {"habitants": 5})
    pid = project.propose(tokens["token"].iloc[0], "reword", "lien_social", text="Nos liens")
    for tok in tokens["token"]:
        project.vote(tok, {pid: "for"})
    project.close_framework_round("referentiel", {pid: {"outcome": "adopted", "reason": "oui"}}, wave=1)
    copy = ce.Project.import_folder(project.export(tmp_path / "export"), location2)
    cols = ["op", "target", "outcome", "votes", "framework_before", "framework_after", "version_after"]
    pd.testing.assert_frame_equal(copy.decisions()[cols], project.decisions()[cols])
    assert copy.framework_tally("referentiel").equals(project.framework_tally("referentiel"))
    assert copy.framework_versions()["hash"].tolist() == project.framework_versions()["hash"].tolist()


def test_upgraded_project_gets_an_append_only_register(location, tmp_path):
    """A version-2 project opened by this coopeval gains the issue-22 tables and the triggers (step 7)."""
    from tests.store.test_migrations import make_v2

    fw = ce.load_framework("cooperation_territoriale")
    make_v2(location, fw)
    p = ce.Project.open(location)
    assert p.schema_version == S.SCHEMA_VERSION and p.decisions().empty
    p.decide("keep", "social", by="facilitator", decider="animatrice", reason="essentiel")
    with pytest.raises(sa.exc.DBAPIError, match="append-only"), p.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM decisions")
    assert len(p.decisions()) == 1


def test_goalpost_set_in_a_round_with_references(project):
    project.import_observations(ce.datasets.load("panel_synthetique", table="observations"))
    ref = project.goalpost_references(unit="u01")
    mine = ref[ref["indicator"] == "participants_actifs"]
    assert mine["max"].max() < 2000  # the built-in goalpost is far above what the cooperations reach
    tokens = _round(project, {"habitants": 5})
    with pytest.raises(StoreError, match="value"):
        project.propose(tokens["token"].iloc[0], "goalpost", "participants_actifs", value={"upper": "beaucoup"})
    upper = float(mine["max"].max())
    pid = project.propose(tokens["token"].iloc[1], "goalpost", "participants_actifs",
                          value={"upper": upper, "goalpost_source": "maximum observé, vagues 1 à 3"})
    for tok in tokens["token"]:
        project.vote(tok, {pid: "for"})
    new = project.close_framework_round("referentiel", {pid: {"outcome": "adopted", "reason": "à notre échelle"}})
    node = project.framework(new).node("participants_actifs")
    assert node["upper"] == upper and node["goalpost_source"] == "maximum observé, vagues 1 à 3"
    reg = project.decisions()
    assert reg["kind"].tolist() == ["goalpost"] and reg["detail"].iloc[0]["value"]["upper"] == upper
    assert reg["votes"].iloc[0]["habitants"] == {"n": 5, "for": 5, "against": 0, "abstain": 0}
