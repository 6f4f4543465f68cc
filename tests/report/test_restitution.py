"""The HTML restitution report: sections, self-containment, small groups, languages, errors."""

from __future__ import annotations

import base64
import io
import re

import numpy as np
import pandas as pd
import pytest
from PIL import Image

import coopeval as ce
from coopeval.i18n import fmt

HEADINGS_FR = ["En bref", "Profil par dimension", "Scores par dimension et leur incertitude",
               "Évolution depuis la vague 2", "Position parmi les coopérations évaluées",
               "Voix des collèges et points de désaccord", "Participation à l'enquête", "Modèle socio-économique",
               "Le modèle socio-économique sous tension", "Qui pourrait co-financer quoi",
               "Valeur sociale monétarisée (SROI)", "Typologie des coopérations", "Référentiel et poids",
               "Annexe — méthodes et sources des données"]


def _h2(doc: str) -> list[str]:
    import html

    return [html.unescape(h) for h in re.findall(r"<h2[^>]*>(.*?)</h2>", doc)]


def test_sections_in_order_and_language(report_fr):
    assert report_fr.startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in report_fr
    assert _h2(report_fr) == HEADINGS_FR
    assert "Restitution de l&#x27;évaluation — La Ruche des Coteaux, vague 3" in report_fr
    # every figure is followed by its plain-language reading box
    n_fig = report_fr.count("<figure>")
    assert n_fig >= 11
    assert report_fr.count('</figure><div class="read"><strong>Comment lire cette figure ?</strong>') == n_fig


def test_self_contained_images_decode(report_fr):
    assert "http://" not in report_fr.split("<body>")[1].split("<h2 id=\"annex\">")[0]
    srcs = re.findall(r'src="([^"]+)"', report_fr)
    assert srcs and all(s.startswith("data:image/png;base64,") for s in srcs)
    img = Image.open(io.BytesIO(base64.b64decode(srcs[0].split(",", 1)[1])))
    arr = np.asarray(img.convert("L"), dtype=float)
    assert img.size[0] > 500 and arr.std() > 10  # a real, non-blank picture


def test_figures_read_on_a_phone_have_a_phone_drawing(report_fr):
    """User test at 390 px: the score bars, the ranks and top 3, the agreement heatmap, the
    resources and the framework's tree were A4 images only (text of 5–6 px once squeezed). Each
    figure of these sections is now a ``<picture>`` whose phone drawing has no text under 9 pt
    (12 CSS px at its natural size, ``data-phone-text-px``)."""
    from coopeval.plots import phone

    for key, n in (("profile", 1), ("scores", 2), ("ranks", 2), ("weights", 2), ("resources", 1), ("tree", 1)):
        part = report_fr.split(f'<h2 id="{key}">')[1].split("<h2 ")[0]
        imgs = re.findall(r"(<picture>(?:<source[^>]*>)?)?<img [^>]*>", part)
        assert len(imgs) == n and all(imgs), key
        px = [float(v) for v in re.findall(r'data-phone-text-px="([\d.]+)"', part)]
        assert len(px) == n and min(px) >= phone.PHONE_MIN_PT * 96 / 72 - 0.05, (key, px)


def test_small_groups_suppressed(report_fr, panel_inputs):
    r = panel_inputs["panel"]["responses"]
    counts = r[(r["unit"] == "u01") & (r["wave"] == 3)].groupby("college")["respondent"].nunique()
    small = counts[counts < 5]
    assert len(small) > 0  # the panel has small colleges by construction
    part = report_fr.split('id="participation"')[1].split("<h2")[0]
    hidden = 0
    for college, n in counts.items():
        shown = ce.i18n.t(f"college_{college}")  # display name, e.g. « Salarié·es »
        row = re.search(rf"<tr><td[^>]*>{shown}</td><td[^>]*>([^<]*)</td>", part).group(1)
        if n < 5:
            assert row == "moins de 5"
        else:
            assert row in (str(n), "masqué pour protéger un petit groupe")
        hidden += row != str(n)
    # the total row is shown: a single hidden college could be recovered by subtraction
    assert hidden != 1


def test_small_colleges_left_out_of_weights_figure(panel_inputs):
    ws = panel_inputs["weights"]
    ax = ce.plots.weights_by_college(ws, parent="overall", min_group=5)
    labels = {c.get_label() for c in ax.collections if c.get_gid() != "college_means"}
    assert labels == {"Réponses individuelles (tous collèges)"}  # individual answers never placed by college
    legend = {t.get_text() for t in ax.get_legend().get_texts()}
    assert {"Habitant·es", "Salarié·es", "Bénévoles", "Collectivités", "Financeurs"} <= legend  # 5 members each
    ax = ce.plots.weights_by_college(ws, parent="overall", min_group=6)
    assert [c for c in ax.collections] == []  # every college hidden, only the combined weights remain
    assert len([ln for ln in ax.lines if ln.get_gid() == "combined"]) == 7
    note = [t.get_text() for t in ax.texts if t.get_gid() == "suppressed_note"]
    assert note == ["Collèges non affichés (moins de 6 personnes, ou regroupés avec eux) : 5"]


def test_summary_numbers(report_fr, panel_inputs):
    sc = panel_inputs["scores"]
    overall = sc[(sc["unit"] == "u01") & (sc["wave"] == 3) & (sc["node"] == "overall")]["score"].iloc[0]
    assert f"{fmt(overall, 'fr')} / 100" in report_fr  # one decimal, as on the dashboard
    summ = panel_inputs["uncertainty"].summary
    n_units = summ.loc[(summ["wave"] == 3) & (summ["node"] == "overall"), "unit"].nunique()
    assert f"Rang parmi {n_units} coopérations" in report_fr


def test_other_units_anonymised(report_fr, panel_inputs):
    names = panel_inputs["names"]
    assert names["u01"] in report_fr
    assert all(names[u] not in report_fr for u in names if u != "u01")


def test_english(make_report):
    doc = make_report(lang="en")
    assert '<html lang="en">' in doc
    heads = _h2(doc)
    assert heads[0] == "In short" and "Annex — methods and data sources" in heads
    assert doc.count('</figure><div class="read"><strong>How to read this figure?</strong>') == doc.count("<figure>")


def test_minimal_report_writes_file(tmp_path, panel_inputs):
    out = tmp_path / "r.html"
    ev = ce.Evaluation(panel_inputs["fw"], panel_inputs["panel"]["observations"], n=50)
    doc = ce.report.restitution(ev, "u02", 1, path=out)
    assert out.read_text(encoding="utf-8") == doc
    heads = _h2(doc)
    # no earlier wave, no deliberation, responses or resources: those sections are left out; with
    # the framework's weights nothing varies, so the scores' heading claims no uncertainty and no
    # ranking is shown as if it were uncertain (issue 15)
    # the socio-economic sections keep their heading and say in a sentence what is missing (issue 18)
    assert heads == ["En bref", "Profil par dimension", "Scores par dimension",
                     "Le modèle socio-économique sous tension", "Qui pourrait co-financer quoi",
                     "Référentiel et poids", "Annexe — méthodes et sources des données"]
    assert "Poids écrits dans le référentiel (aucune délibération enregistrée)." in doc
    assert "rien n&#x27;y a varié" in doc


def test_errors_listed_together(panel_inputs):
    ev = panel_inputs["evaluation"]
    with pytest.raises(ce.ReportError, match="`lang`: expected 'fr' or 'en', got 'de'"):
        ce.report.restitution(ev, "u01", 1, lang="de")
    with pytest.raises(ce.ReportError, match="`unit`: expected a cooperation id or name"):
        ce.report.restitution(ev, "nope", 1)
    with pytest.raises(ce.ReportError, match="`wave`: expected one of 1, 2, 3, got 9"):
        ce.report.restitution(ev, "u01", 9)
    with pytest.raises(ce.ReportError, match="`evaluation`: expected a coopeval.Evaluation"):
        ce.report.restitution("u01", 1, 2)


def test_svg_figures_and_sroi_without_ranges(panel_inputs):
    out = pd.DataFrame({"outcome": ["repas partagés"], "quantity": [100], "proxy": [50.0], "duration": [1]})
    res = ce.valuation.sroi(out, inputs=2000.0, discount_rate=0.0)
    ev = ce.Evaluation(panel_inputs["fw"], panel_inputs["panel"]["observations"], n=50)
    typology = pd.DataFrame({"unit": ["u03", "u01"], "systemic": [0.8, 0.2], "modelled": [True, None]})
    doc = ce.report.restitution(ev, "u03", 2, sroi=res, typology=typology, figure_format="svg")
    srcs = re.findall(r'src="([^"]+)"', doc)
    assert srcs and all(s.startswith("data:image/svg+xml;base64,") for s in srcs)
    assert b"<svg" in base64.b64decode(srcs[0].split(",", 1)[1])
    # 100 x 50 / 2000 = 2.5; no stated range, so the waterfall is drawn without a tornado
    assert "Ratio SROI : 2,50\u00a0€" in doc
    sroi_part = doc.split('id="sroi"')[1].split("<h2")[0]
    assert sroi_part.count("<figure>") == 1
    # the waterfall and the typology map get a drawing for a phone too (A4 only before): text >= 12 CSS px
    from coopeval.plots import phone

    for key in ("sroi", "typology"):
        part = doc.split(f'<h2 id="{key}">')[1].split("<h2 ")[0]
        assert part.count("<picture><source") == 1, key
        px = [float(v) for v in re.findall(r'data-phone-text-px="([\d.]+)"', part)]
        assert len(px) == 1 and px[0] >= phone.PHONE_MIN_PT * 96 / 72 - 0.05, (key, px)


def test_from_evaluation_call_form(panel_inputs):
    from coopeval.evaluation import Evaluation

    ev = Evaluation.sample(n=200)
    doc = ce.report.restitution(ev, "La Ruche des Coteaux", "3")  # a name and a wave written as text
    # an Evaluation has no SROI and no typology: those two sections are left out; the sample's
    # qualitative evidence adds extracts, progress grids and the follow-up of actions (issue 17)
    expected = [h for h in HEADINGS_FR if h not in ("Valeur sociale monétarisée (SROI)", "Typologie des coopérations")]
    expected[3:3] = ["Ce qu'en disent les personnes", "Grilles de progrès"]
    expected[6:6] = ["Suivi des actions décidées"]
    assert _h2(doc) == expected
    assert "La Ruche des Coteaux" in doc
    with pytest.raises(TypeError):
        ce.report.restitution(ev, "u01")


def test_resources_in_euros_values_hours_with_the_catalogue(panel_inputs):
    from coopeval.valuation.in_euros import HOUR_PROXY, resources_in_euros

    res = panel_inputs["panel"]["resources"]
    own = res[res["unit"] == "u01"]
    valued = resources_in_euros(own, date="2024-06-01")
    w1 = own[own["wave"] == 1]
    is_hours = w1["unit_of_measure"].isin(["h", "heures"])
    hours = w1.loc[is_hours, "amount"].sum()
    assert hours > 0
    proxy = ce.valuation.reference_value(HOUR_PROXY, date="2024-06-01").value
    row = valued[(valued["wave"] == 1) & (valued["source"] == "bénévolat")]
    assert row["amount"].iloc[0] == pytest.approx(hours * proxy)
    # euro rows are kept as they are: total = euros + hours x proxy
    total = valued.loc[valued["wave"] == 1, "amount"].sum()
    assert total == pytest.approx(w1.loc[~is_hours, "amount"].sum() + hours * proxy)


def test_resources_in_euros_by_unit(panel_inputs):
    res = panel_inputs["panel"]["resources"]
    w3 = res[res["wave"] == 3]
    valued = ce.report.resources_in_euros(w3, by="unit", date="2024-06-01")
    assert sorted(valued["unit"].unique()) == sorted(w3["unit"].unique())
    assert set(valued["category"]) == {"market", "non_market", "non_monetary"}
    with pytest.raises(ce.ValuationError, match="`by`"):
        ce.report.resources_in_euros(w3, by="territory")
