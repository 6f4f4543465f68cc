"""Issue 22: the framework round on the light participant page (proposals, then vote) and its
facilitator panel, without a browser: every proposal and vote goes through the store
(:meth:`Project.propose`, :meth:`Project.vote`), refusals are said in French (English with
lang=en), and the facilitator's recorded outcome is the register's."""

from __future__ import annotations

import html

import pandas as pd
import pytest

from coopeval.i18n import fmt
from coopeval.web.participant_page import handle_submit, render_form

S = "referentiel"


@pytest.fixture()
def store(tmp_path):
    import coopeval as ce
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    obs = ce.datasets.load("panel_synthetique", table="observations")
    p.import_observations(obs[obs["unit"] == "u01"], p.framework().hash)
    p.add_units(pd.DataFrame({"unit": ["u01"], "name": ["Le tiers-lieu"]}))
    p.create_session(S)
    roster = pd.DataFrame({"participant": [f"h{i}" for i in range(3)] + ["s1", "s2"],
                           "college": ["habitants"] * 3 + ["salarie_es"] * 2})
    tok = p.add_participants(S, roster).set_index("participant")["token"]
    p.open_framework_round(S, 1)
    return p, p.as_role("participant"), tok


def _fr(x: float) -> str:
    return fmt(x, "fr", digits=next((d for d in (0, 1) if abs(x - round(x, d)) < 1e-9), 2))


def test_the_framework_in_plain_french_with_references(store):
    p, pp, tok = store
    page = html.unescape(render_form(pp, tok["h0"]))
    fw = p.framework()
    assert "<html lang='fr'>" in page and "Ce que nous mesurons — tour 1" in page
    for node in fw.nodes.query("level != 'dimension' and node != 'overall'")["node"]:
        assert f"ce-node-{node}'" in page  # every criterion and indicator can be discussed
    # a goalpost relative to the cooperation's first wave, in words (log scale 0.5-2: unchanged = 50)
    assert ("Bornes actuelles : la valeur est comparée à celle de la première vague renseignée chez vous ; "
            "×0,5 donne le score 0, ×2 le score 100 (une valeur inchangée donne 50).") in page
    assert "Règle des bornes : relative à votre propre point de départ" in page
    # an absolute goalpost with its published source, and one without a source
    assert "Bornes actuelles : de 1 (score 0) à 10 (score 100)." in page
    assert "Source des bornes : Borne haute 10 : plafond de l'agrément" in page
    assert "Ces bornes n'ont pas de source indiquée" in page
    # the cooperation's own earlier waves (the project's only unit), as the store reads them
    ref = p.goalpost_references(unit="u01").query("indicator == 'participants_actifs'")
    assert len(ref) >= 2 and ref["own"].notna().all()
    assert "Vague 1 : ×1 chez vous." not in page  # the baseline itself (×1 by construction) is not shown
    for r in ref[ref["own"] != 1].itertuples():  # a ratio goalpost: the references are ratios to the first wave
        assert f"Vague {r.wave} : ×{_fr(r.own)} chez vous." in page
    for field in ("text-lien_social", "why-lien_social", "lower-participants_actifs", "add-parent", "add-name"):
        assert f"<label for='{field}'>" in page  # every field has its label
    new = pd.DataFrame({"unit": ["u01"], "wave": [9], "indicator": ["participants_actifs"], "value": [333.0]})
    p.import_observations(new, fw.hash)  # the references are read again after an import
    first = p.observations().query("unit == 'u01' and indicator == 'participants_actifs'")
    first = float(first.loc[first["wave"].astype(str) == "1", "value"].iloc[0])  # the first wave is the baseline
    assert f"Vague 9 : ×{_fr(333 / first)} chez vous." in html.unescape(render_form(pp, tok["h0"]))
    en = html.unescape(render_form(pp, tok["h0"], "en"))
    assert "<html lang='en'>" in en and "What we measure" in en and "Mesuré en" not in en
    assert "Measured in: people." in en and f"Wave 9: ×{fmt(333 / first, 'en', digits=2)} here." in en  # units translated (labels.yaml)


def test_proposals_are_stored_anonymously_once(store):
    p, pp, tok = store
    post = lambda who, **f: html.unescape(handle_submit(pp, tok[who], f))  # noqa: E731
    assert "enregistrée" in post("h0", __action="propose", node="lieux_partages", op="remove", why="rien à voir")
    assert "déjà sur la table" in post("h1", __action="propose", node="lieux_partages", op="remove")
    assert "Écrivez le nouveau nom" in post("h1", __action="propose", node="lien_social", op="rename", text=" ")
    assert "plus petite que la borne haute" in post("h1", __action="propose", node="participants_actifs",
                                                      op="goalpost", lower="500", upper="400")
    assert "Donnez un nombre" in post("h1", __action="propose", node="participants_actifs", op="target",
                                      target="beaucoup")
    assert "enregistrée" in post("h1", __action="propose", node="participants_actifs", op="goalpost",
                                 lower="0", upper="1\u202f250,5")
    assert "Donnez au moins le nom" in post("s1", __action="add", parent="lien_social", text="Repas")
    assert "enregistrée" in post("s1", __action="add", parent="lien_social", text="Repas partagés",
                                 measures="Les repas pris ensemble")
    props = p.proposals(S)
    assert props["op"].tolist() == ["remove", "goalpost", "add"]
    assert props["value"].iloc[1] == {"lower": 0.0, "upper": 1250.5}
    assert props.at[2, "parent"] == "lien_social" and props.at[2, "measures"] == "Les repas pris ensemble"
    page = post("s2", __action="propose", node="lien_social", op="keep")
    assert "Retirer «\u00a0Surface de lieux mutualisés ouverts au public\u00a0»" in page  # the group's list, anonymous


def test_vote_phase_and_the_facilitator_panel(store):
    from coopeval.widgets.animation import AnimationApp

    p, pp, tok = store
    app = AnimationApp(p.as_role("facilitator"), auto_refresh=None)
    panel = app.framework_round
    assert app.session.value == S
    for op, node, extra in (("remove", "lieux_partages", {}), ("rename", "lien_social", {"text": "Nos liens"})):
        handle_submit(pp, tok["h0"], {"__action": "propose", "node": node, "op": op, **extra})
    ids = p.proposals(S)["id"].tolist()
    panel._on_open()  # « Ouvrir le vote »: round 1 closed, round 2 opened as a framework round
    assert "Vote ouvert (tour 2)" in panel.status.value
    assert p.rounds(S)["status"].tolist() == ["closed", "open"]
    page = html.unescape(render_form(pp, tok["h0"]))
    assert "Vote sur les propositions — tour 2" in page and f"ce-vote-{ids[0]}" in page
    votes = {"h0": ("for", "for"), "h1": ("against", "for"), "h2": ("against", "for"), "s1": ("against", "abstain"),
             "s2": ("for", "for")}
    for who, (a, b) in votes.items():
        assert "2 vote(s) enregistré(s)" in html.unescape(handle_submit(pp, tok[who], {
            "__action": "vote", f"v-{ids[0]}": a, f"v-{ids[1]}": b}))
    assert "Votez sur au moins une proposition" in html.unescape(handle_submit(pp, tok["h0"], {"__action": "vote"}))
    panel.refresh()
    assert [dd.value for dd, _ in panel.pickers.values()] == ["rejected", "adopted"]  # the votes' majority
    assert "Ensemble : 2 / 3 / 0" in panel.table.value
    panel.pickers[ids[1]][1].value = "Dit avec nos mots"
    panel.wave.value = "2"
    panel._on_record()
    assert "2 décision(s) enregistrée(s)" in panel.status.value and "version 2" in panel.status.value
    reg = p.decisions()
    assert reg["outcome"].tolist() == ["rejected", "adopted"] and reg["reason"].iloc[1] == "Dit avec nos mots"
    assert reg["decider"].tolist() == ["animation"] * 2 and reg["wave"].tolist() == ["2", "2"]
    assert p.framework().label("lien_social") == "Nos liens" and "lieux_partages" in p.framework()
    from coopeval.report.decisions import decisions_section

    shown = html.unescape(decisions_section(reg, p.framework(), 2))
    assert "Renommer « Lien social et appartenance » en « Nos liens »" in shown  # the name it had, then the new
    refused = html.unescape(render_form(pp, tok["h0"]))
    assert "ce-refused" in refused  # the round is closed: the page says so and waits
    panel._on_open()  # one framework round per session: a second one is refused, nothing opened
    assert "déjà enregistré" in html.unescape(panel.status.value) and len(p.rounds(S)) == 2
    panel._on_record()
    assert "déjà enregistré" in html.unescape(panel.status.value) and len(p.decisions()) == 2
    app.stop()


def test_an_adopted_new_indicator_needs_its_goalposts(store):
    import coopeval as ce
    from coopeval.widgets.animation import AnimationApp

    p, pp, tok = store
    app = AnimationApp(p.as_role("facilitator"), auto_refresh=None)
    panel = app.framework_round
    handle_submit(pp, tok["s1"], {"__action": "add", "parent": "lien_social", "text": "Repas partagés",
                                  "measures": "Les repas pris ensemble", "why": "C'est à table que le lien se crée"})
    pid = int(p.proposals(S)["id"].iloc[0])
    panel.refresh()
    outcome, _reason, unit, lower, upper = panel.pickers[pid]
    outcome.value = "adopted"
    panel._on_record()  # no goalposts: refused, nothing recorded
    assert "donnez son unité et ses bornes" in html.unescape(panel.status.value) and p.decisions().empty
    unit.value, lower.value, upper.value = "repas par mois", "0", "1 200"
    panel._on_record()
    assert "1 décision(s) enregistrée(s)" in panel.status.value
    node = p.framework().node("repas_partages")
    assert (node["label_fr"], node["unit"], node["lower"], node["upper"]) == ("Repas partagés", "repas par mois", 0,
                                                                           1200)
    assert node["description_fr"] == "Les repas pris ensemble" and p.framework().parent("repas_partages") == "lien_social"
    reg = p.decisions()
    assert reg["op"].tolist() == ["add"] and reg["target"].tolist() == ["repas_partages"]
    ev = ce.Evaluation.from_project(p, weights="framework")  # the new version is scored (no data yet: no score)
    scores = ev.scores()
    assert ev.provenance()["framework_hash"] == p.framework().hash
    assert scores.loc[scores["node"] == "repas_partages", "score"].isna().all()
    app.stop()
