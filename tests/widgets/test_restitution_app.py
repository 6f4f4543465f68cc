"""The restitution app's wiring, without a browser: what it shows equals what the package computes."""

from __future__ import annotations

import re

import pytest

from coopeval.evaluation import Evaluation
from coopeval.i18n import fmt
from coopeval.widgets.restitution import RestitutionApp


@pytest.fixture(scope="module")
def app():
    return RestitutionApp(Evaluation.sample())


@pytest.fixture(scope="module")
def app3():
    """The sample with a minimum of three: every college reaches it in every group of criteria, so
    each has a voice slider (with five, « Social »'s three people per college pool them all)."""
    return RestitutionApp(Evaluation.sample(min_group=3))


def _span(html: str, cls: str) -> str:
    return re.search(rf"class='{cls}'>([^<]+)<", html).group(1)


def test_headline_and_what_if_start_at_the_deliberated_scores(app):
    ev, unit, wave = app.ev, app.unit.value, app.wave.value
    row = ev.overall(wave=wave).set_index("unit").loc[unit]
    assert _span(app.headline.value, "ce-overall-score") == fmt(row["score"])
    assert _span(app.whatif_score.value, "ce-whatif-value") == fmt(row["score"])
    assert app.dimension_weights() is None and app.college_shares() is None


def test_moving_sliders_rescoring(app3):
    app = app3
    ev, unit, wave = app.ev, app.unit.value, app.wave.value
    app.dim_sliders["ecologie"].value = 45
    app.college_sliders["financeurs"].value = 50
    dims = app.dimension_weights()
    shares = app.college_shares()
    assert sum(shares.values()) == pytest.approx(1.0)
    expected = ev.what_if(dims, shares, wave=wave).set_index("unit").loc[unit]
    assert _span(app.whatif_score.value, "ce-whatif-value") == fmt(expected["score"])
    assert int(_span(app.whatif_score.value, "ce-whatif-rank")) == int(expected["rank"])
    assert "ce-mine" in app.whatif_table.value
    app.reset.click()
    assert app.dimension_weights() is None and app.college_shares() is None


def test_language_switch_and_report(app):
    app.language.value = "en"
    assert "Evaluation feedback" in app.title.value
    assert app.tabs.get_title(0) == "Profile"
    app.language.value = "fr"
    assert app.tabs.get_title(0) == "Profil"
    app.report_button.click()
    assert "data:text/html;base64," in app.report_html.value



def test_headline_carries_its_intervals(app):
    """Issue 15: the headline score and rank carry their interval, in words generated from what
    the simulation varied (the diversity of views by default)."""
    from coopeval.i18n import uncertainty as words

    ev, unit, wave = app.ev, app.unit.value, app.wave.value
    mc = ev.uncertainty()
    s = mc.summary
    r = s[(s["unit"] == unit) & (s["wave"] == wave) & (s["node"] == "overall")].iloc[0]
    score = _span(app.headline.value, "ce-overall-interval")
    assert score == f"({words.score_text(r['score_low'], r['score_high'], mc.settings)})"
    assert _span(app.headline.value, "ce-rank-interval") == (
        f"({words.rank_text(r['rank_low'], r['rank_high'], mc.settings)})".replace("'", "&#x27;"))


def test_voices_and_actions_tab_shows_the_report_sections(app):
    """Issue 17: the tab « Paroles et actions » shows the follow-up of actions, grids and extracts
    with the report's rules (no speaker, small colleges hidden)."""
    import html as h

    from coopeval.report.learning import follow_up_texts

    app.unit.value, app.wave.value = "u01", 3
    assert app.tabs.get_title(2) == "Paroles et actions"
    shown = h.unescape(app.evidence_html.value)
    ev = app.ev
    for text in follow_up_texts(ev.actions("u01", 3), ev.fw)["text"]:
        assert text in shown
    assert "Grilles de progrès" in shown and "Ce qu'en disent les personnes" in shown
    assert "Collectivités" not in shown and "u01_s" not in shown
    app.wave.value = 1
    assert "Action décidée" not in h.unescape(app.evidence_html.value)


def test_figures_have_text_alternatives_with_the_numbers(app):
    """Issue 23: each figure is an <img> with an alt text; the profile's says every dimension's score."""
    import html as H

    ev, unit, wave = app.ev, app.unit.value, app.wave.value
    alts = [H.unescape(a) for a in re.findall(r'alt="([^"]*)"', app.profile_out.value)]
    assert len(alts) == 2 and all(alts)
    sc = ev.scores()
    dims = sc[(sc["unit"] == unit) & (sc["wave"].astype(str) == str(wave)) & (sc["level"] == "dimension")]
    assert len(dims) == len(ev.fw.dimension_ids)
    for r in dims.itertuples():
        assert f"{ev.fw.label(r.node, 'fr')} {fmt(r.score)}" in alts[0]


def test_college_sliders_start_at_the_evaluations_voices(app, app3):
    """Equal voices by default: every slider starts at its share of the voices of the session's
    colleges (pooled small colleges share one), and they add up to 100 %."""
    values = [s.value for s in app3.college_sliders.values()]
    assert len(values) == len(app3.ev.colleges) and abs(sum(values) - 100) < 0.5 * len(values)
    assert app3.college_shares() is None  # untouched sliders give the evaluation's own voices
    # issue 16, per group: with five, every college is pooled in « Social » (three people each weighted
    # its criteria): no voice slider, and the tab says why
    assert app.college_sliders == {} and app.college_shares() is None
    assert app.pooled_colleges == sorted(app.ev.colleges)
    texts = " ".join(w.value for w in app.tabs.children[4].children if hasattr(w, "value") and isinstance(w.value, str))
    assert "Voix des collèges : égales, non modifiables ici" in texts


def _butinerie() -> Evaluation:
    """La Butinerie's 2023 case (founding report; dataset ``la_butinerie``) as one Evaluation."""
    import pandas as pd

    import coopeval as ce

    b = ce.datasets.load("la_butinerie")
    fin = b["finances"]
    res = fin.dropna(subset=["amount"]).rename(columns={"line": "category"})
    obs = ce.valuation.socio_economic_model(fin).framework_observations()[["unit", "wave", "indicator", "value"]]
    return Evaluation(ce.load_framework("cooperation_territoriale"), obs,
                      resources=res[["unit", "wave", "source", "category", "amount", "unit_of_measure"]],
                      units=pd.DataFrame({"unit": ["la_butinerie"], "name": ["La Butinerie"]}),
                      externalities=b["externalites"].assign(wave="2023"),
                      conventions=b["conventions"].assign(wave="2023"), n=50)


def test_resources_tab_shows_the_reports_stress_and_ledger_sections():
    """Issue 18: the tab « Modèle socio-économique » shows the same two sections as the report, from the same
    Evaluation: La Butinerie's cash balance under stress (−40 000 € without the City of Pantin,
    −287 000 € if the loans were called) and « Qui pourrait co-financer quoi »."""
    import html as h

    import coopeval as ce

    ev = _butinerie()
    app = RestitutionApp(ev)
    assert app.tabs.get_title(5) == "Modèle socio-économique"
    shown = app.socio_html.value
    assert 'id="stress"' in shown and 'id="ledger"' in shown
    report = ce.report.restitution(ev, "la_butinerie", 2023)
    for key in ("stress", "ledger"):  # the tables are the report's, cell for cell
        mine = shown.split(f'<h2 id="{key}">')[1].split("<h2")[0]
        theirs = report.split(f'<h2 id="{key}">')[1].split("<h2")[0]
        tables = re.findall(r"<table[ >].*?</table>", mine, re.S)
        assert tables and tables == re.findall(r"<table[ >].*?</table>", theirs, re.S)
    text = h.unescape(shown)
    assert "−40\u202f000 €" in text and "−287\u202f000 €" in text and "Ville de Pantin" in text
    app.language.value = "en"
    assert "Who could co-finance what" in h.unescape(app.socio_html.value)


def test_resources_tab_says_when_no_ledger_is_entered(app):
    import html as h

    app.language.value = "fr"
    app.unit.value, app.wave.value = "u01", 3
    text = h.unescape(app.socio_html.value)
    assert "Aucun effet utile n'est inscrit au registre des externalités" in text
    assert 'id="stress"' in app.socio_html.value and "<figure>" in app.socio_html.value  # the panel has resources


def test_contested_table_names_the_criteria_not_their_ids(app):
    """The « Points de désaccord » table names each contested node as the collective reads it
    (« Social › Accès aux droits… »), never by its id (« acces_droits_besoins »)."""
    import html as h

    app.language.value = "fr"
    contested = app.ev.contested("fr")
    assert len(contested)
    cells = [h.unescape(c) for c in re.findall(r"<tr>\s*<td[^>]*>([^<]*)</td>", app.contested_html.value)]
    fw = app.ev.fw
    want = [fw.label(n) if fw.parent(n) == "overall" else f"{fw.label(fw.parent(n))} › {fw.label(n)}"
            for n in contested["node"]]
    assert cells == want
    assert not set(cells) & set(contested["node"])


def test_english_labels_use_english_quotation_marks(app):
    """An English page quotes with “ ”, not with the French « » (labels of coopeval/i18n; the
    socio-economic tab in English shows none around its own words)."""
    import html as h

    from coopeval.i18n import labels

    french_marks = [k for k, v in labels().items() if isinstance(v, dict) and re.search("[«»]", v.get("en") or "")]
    assert french_marks == []
    app.language.value = "en"
    try:
        app.unit.value, app.wave.value = "u01", 3
        assert "“who could co-finance what”" in h.unescape(app.socio_html.value)
    finally:
        app.language.value = "fr"
