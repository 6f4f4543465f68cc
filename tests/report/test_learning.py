"""The learning cycle in the restitution: extracts, grids, actions followed (issue 17)."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import coopeval as ce
from coopeval.report.learning import follow_up_texts, measure_text


@pytest.fixture(scope="module")
def ev():
    return ce.evaluation.Evaluation.sample()


@pytest.fixture(scope="module")
def doc(ev):
    return ce.report.restitution(ev, "u01", 3)


def test_sections_in_order(doc):
    ids = re.findall(r'<h2 id="(\w+)"', doc)
    assert ids[:7] == ["summary", "profile", "scores", "evidence", "grids", "change", "actions"]
    assert ids == [s for s in ce.report.SECTIONS if s in ids]


def test_extracts_quoted_are_consented_and_anonymous(ev, doc):
    q = ev.evidence.extracts
    own = q[(q["unit"] == "u01") & (q["wave"] == 3)]
    section = doc.split('<h2 id="evidence">')[1].split("<h2 ")[0]
    quoted = re.findall(r"<blockquote>« (.*?) »", section)
    assert quoted
    import html
    texts = {html.unescape(x) for x in quoted}
    assert texts <= set(own.loc[own["consent"], "text"])
    assert not set(own["speaker"]) & set(re.findall(r"u01_s\d\d", section))  # no speaker id
    # the small college (2 people) is never named; its extracts say « un·e participant·e »
    assert "Collectivités" not in section and "collectivites" not in section
    n = own.groupby("college")["speaker"].nunique()
    assert n["collectivites"] < 5


def test_grids_show_descriptors(ev, doc):
    section = doc.split('<h2 id="grids">')[1].split("<h2 ")[0]
    level = ev.values.query("unit == 'u01' and wave == 3 and indicator == 'grille_gouvernance'")["value"].item()
    d = ce.framework.grids.describe_level(ev.fw, "grille_gouvernance", level)
    import html
    assert html.escape(d["descriptor"], quote=True) in section and "2 → 2 → 3" in section


def test_actions_follow_up_sentence(ev, doc):
    section = doc.split('<h2 id="actions">')[1].split("<h2 ")[0]
    obs = ev.values.set_index(["unit", "wave", "indicator"])["value"]
    before, after = obs["u01", 1, "taux_participation_ag"], obs["u01", 3, "taux_participation_ag"]
    expected = (f"Action décidée en 2024 : réalisée — Relancer l&#x27;assemblée générale : convocation par SMS, "
                f"garde d&#x27;enfants, AG en soirée. Taux de participation à l&#x27;assemblée générale : de "
                f"{round(100 * before)}\u202f% à {round(100 * after)}\u202f%.")
    assert expected in section
    assert "<figure>" in section  # the timeline


def test_wave_1_has_no_follow_up_and_english(ev):
    doc = ce.report.restitution(ev, "u01", 1, lang="en")
    assert 'id="actions"' in doc  # the timeline of actions decided at wave 1
    assert "Action decided" not in doc and "What people say" in doc


def test_measure_text(ev):
    fw = ev.fw
    assert measure_text(fw, "taux_participation_ag", "value", 0.35) == "35\u202f%"
    assert measure_text(fw, "taux_participation_ag", "value", 0.35, "en") == "35%"
    assert measure_text(fw, "grille_cooperation", "value", 4.0) == "niveau 4 (consolidé)"
    assert measure_text(fw, "participation_decisions", "score", 51.4) == "51\u202f/ 100"
    assert measure_text(fw, "heures_benevolat", "value", float("nan")) == "—"
    fu = ev.actions("u02", 3)
    texts = follow_up_texts(fu, fw, "en")
    assert texts["text"].str.startswith("Action decided in 202").all() and len(texts) == fu["action"].nunique()
    assert isinstance(texts, pd.DataFrame)
