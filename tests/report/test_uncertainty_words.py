"""Truthful words about uncertainty (issue 15): sentences generated from what was varied,
degenerate intervals explained, no ranking of a single cooperation."""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.i18n import uncertainty as words
from coopeval.uncertainty import UncertaintyResult

UNIT, WAVE = "u01", 3


@pytest.fixture(scope="module")
def ev():
    return ce.evaluation.Evaluation.sample()


@pytest.fixture(scope="module")
def mc_views(ev):
    return ev.uncertainty()  # the specification's n and seed: what the report reads


def test_default_restitution_varies_the_views_and_says_so(ev, mc_views):
    assert mc_views.settings["sources"] == ["views"] and mc_views.settings["sources_varied"] == ["views"]
    unit = "u02"  # issue 22 (relative goalposts) moved u01 to a rank shared by every draw
    s = mc_views.summary.query("unit == @unit and wave == @WAVE and node == 'overall'").iloc[0]
    # the sample project's deliberation gives this cooperation a non-degenerate interval
    assert s["score_high"] - s["score_low"] > 0.5 and s["rank_high"] > s["rank_low"]
    doc = ce.report.restitution(ev, unit, WAVE)
    assert "diversité des avis exprimés" in doc
    assert "choix de méthode" not in doc  # not varied, not claimed
    assert re.search(r"rangs possibles : \d+ à \d+", doc)
    assert re.search(r"intervalle à 90\u202f% : \d+–\d+", doc)


def test_sentences_follow_the_sources(ev):
    mc = ev.uncertainty(n=100, seed=0, sources=("views", "methods"))
    text = words.uncertainty_sentence(mc.settings)
    assert "diversité des avis" in text and "choix de méthode (normalisation : goalposts, minmax, rank" in text
    assert "erreur de mesure" not in text
    assert "the method choices" in words.uncertainty_sentence(mc.settings, "en")


def test_degenerate_interval_is_explained_not_printed(ev, mc_views, monkeypatch):
    summ = mc_views.summary.copy()
    one = (summ["unit"] == UNIT) & (summ["wave"] == WAVE) & (summ["node"] == "overall")
    summ.loc[one, ["rank_low", "rank_high", "rank_median"]] = 10.0
    summ.loc[one, ["score_low", "score_high"]] = 41.0
    fake = UncertaintyResult(summ, mc_views.top_k, mc_views.improvement, mc_views.sensitivity,
                                            mc_views.rank_counts, mc_views.settings)
    monkeypatch.setattr(ev, "uncertainty", lambda *args, **kwargs: fake)
    doc = ce.report.restitution(ev, UNIT, WAVE)
    assert "tous les tirages donnent le même rang : les avis exprimés ne changent pas le classement" in doc
    assert "tous les tirages donnent le même score : les avis exprimés ne changent pas ce score" in doc
    assert "41–41" not in doc and "10 à 10" not in doc


def test_singular_and_plural_subjects():
    sg = words.rank_text(4, 4, {"sources_varied": ["measurement"]})
    assert sg.endswith("l'erreur de mesure des enquêtes ne change pas le classement")
    pl = words.rank_text(4, 4, {"sources_varied": ["views", "measurement"]})
    assert "les avis exprimés et l'erreur de mesure des enquêtes ne changent pas" in pl
    assert words.rank_text(4, 4, {"sources_varied": ["views"]}, "en").endswith(
        "the views expressed do not change the ranking")


def test_nothing_varied_is_said():
    settings = {"sources_varied": [], "n": 10, "seed": 0}
    assert "rien n'a varié" in words.score_text(50, 50, settings)
    assert "ne disent rien de sa précision" in words.uncertainty_sentence(settings)


def test_one_cooperation_has_no_ranking_section(ev):
    one = ce.Evaluation(ev.fw, ev.observations[ev.observations["unit"] == UNIT],
                        ev.responses[ev.responses["unit"] == UNIT], ev.judgements, n=100)
    assert one.uncertainty().settings["sources_varied"] == ["views"]
    doc = ce.report.restitution(one, UNIT, WAVE)
    assert "Rang parmi 1" not in doc and "1 à 1" not in doc and 'id="ranks"' not in doc
    assert "intervalle à 90\u202f%" in doc


def test_share_sentence_from_the_decomposition(ev):
    mc = ev.uncertainty(n=200, seed=0, sensitivity=True, sources=("views", "methods"))
    d = mc.decomposition
    assert set(d["source"]) == {"views", "methods"}
    rows = d[(d["quantity"] == "rank") & (d["node"] == "overall") & (d["variance"] > 0)]
    unit, wave = rows.loc[rows["first_order"].idxmax(), ["unit", "wave"]]
    text = words.share_sentence(d, unit, wave, "La Fabrique")
    top = rows[(rows["unit"] == unit) & (rows["wave"] == wave)].set_index("source")["first_order"]
    assert text.startswith(f"{min(top.max(), 1):.0%}".replace("%", "\u202f%"))
    assert "de l'incertitude sur le rang de La Fabrique vient de" in text
    assert words.share_sentence(pd.DataFrame(), unit, wave, "x") == ""
    assert np.isfinite(top).all()
