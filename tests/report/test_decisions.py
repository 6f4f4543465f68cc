"""Issue 22: « Ce que nous avons décidé de mesurer » in the restitution, built from the register."""

from __future__ import annotations

import html
import re

import pytest

import coopeval as ce


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    p = ce.Project.create(tmp_path_factory.mktemp("dec") / "p.coopeval", framework="cooperation_territoriale")
    p.import_observations(ce.datasets.load("panel_synthetique", table="observations"))
    p.decide("remove", "lieux_partages", by="body", decider="assemblée générale", wave=2,
             reason="hors de nos finalités",
             votes={"habitants": {"for": 7, "against": 1}, "salarie_es": {"for": 5, "against": 1},
                    "financeurs": {"against": 2}})
    p.decide("goalpost", "participants_actifs", by="researcher", decider="chargée d'évaluation", wave=3,
             reason="nos propres vagues", value={"upper": 1.5, "goalpost_source": "vagues 1 et 2 du projet"})
    return p


def _text(doc: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", doc))


def _section(doc: str) -> str:
    start = doc.index('<h2 id="decisions">')
    return _text(doc[start:doc.index("<h2", start + 5)])


def test_section_from_register(project):
    ev = project.evaluation(weights="framework", n=50)
    doc = ce.report.restitution(ev, "u01", 2)
    ids = re.findall(r'<h2 id="([a-z]+)"', doc)
    assert ids.index("decisions") == ids.index("tree") - 1
    text = _section(doc)
    assert "Ce que nous avons décidé de mesurer" in text
    assert "Retirer « Surface de lieux mutualisés ouverts au public »" in text and "adoptée" in text
    n = len(ce.load_framework("cooperation_territoriale").indicator_ids)
    assert f"en garde {n - 1} indicateurs sur {n}, en retire 1 et en ajoute 0" in text
    assert "Depuis la vague précédente : 1 décision(s) prise(s) pour la vague 2" in text
    assert "Vote : assemblée générale" in text and "hors de nos finalités" in text
    # financeurs (2 voters) hidden, and salarié·es (6, the smallest shown) with them; the total is shown
    assert "Financeurs : non affiché" in text and "Salarié·es : non affiché" in text
    assert "Habitant·es : 7 pour, 1 contre" in text and "Ensemble : 12 pour, 4 contre" in text
    # the wave-3 goalpost decision applies later: not in the wave-2 report, in the wave-3 one
    assert "Fixer les bornes" not in text and "version n° 3" in text  # the version the scores use
    text3 = _section(ce.report.restitution(ev, "u01", 3))
    assert "Fixer les bornes de « Personnes participant activement aux activités »" in text3
    assert "version n° 3" in text3 and "Équipe d'évaluation (chargée d'évaluation)" in text3
    # the annex says the framework was adapted and that a goalpost was lowered
    annex = _text(doc[doc.index('<h2 id="annex">'):])
    assert "Adapté de cooperation_territoriale v1.0 (2 modification(s))" in annex
    # issue 22: the built-in goalpost is relative (ratio 2 to the first wave); the decision lowers it to 1.5
    assert "Personnes participant activement aux activités (borne haute 2 → 1.5)" in annex


def test_english_and_no_register():
    ev = ce.Evaluation(ce.load_framework("cooperation_territoriale"),
                       ce.datasets.load("panel_synthetique", table="observations"), n=50)
    assert 'id="decisions"' not in ce.report.restitution(ev, "u01", 2)


def test_english(project):
    doc = ce.report.restitution(project.evaluation(weights="framework", n=50), "u01", 2, lang="en")
    text = _section(doc)
    assert "What we decided to measure" in text and "Remove “" in text and "Vote: assemblée générale" in text
    assert " pour" not in text


def test_materiality_for_whom_in_english(tmp_path):
    """User test: the English decision read « judged material for salarié·es, habitant·es ». The colleges
    named (by id or by their French label, as typed) take their English labels (labels.yaml
    ``college_*``); any other name stays as people typed it."""
    p = ce.Project.create(tmp_path / "p.coopeval", framework="cooperation_territoriale")
    p.import_observations(ce.datasets.load("panel_synthetique", table="observations"))
    p.decide("material", "emplois_durables", by="body", decider="conseil coopératif", wave=2,
             text="Emplois durables", for_whom=["salarié·es", "habitants", "les voisin·es du quartier"])
    ev = p.evaluation(weights="framework", n=50)
    en = _section(ce.report.restitution(ev, "u01", 2, lang="en"))
    assert "an outcome judged material for employees, residents, les voisin·es du quartier" in en
    fr = _section(ce.report.restitution(ev, "u01", 2))
    assert "un résultat jugé important pour salarié·es, habitant·es, les voisin·es du quartier" in fr
    p.close()
