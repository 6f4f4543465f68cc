"""Figures for a phone (user test at 390 × 844): narrow, every text at least 9 pt, and the
radar's labels clear of each other, of the dimensions' dots and of the legend (found overlapping
at 1280 px wide). Text sizes and boxes are read from the drawn matplotlib artists (Agg)."""

from __future__ import annotations

import io
import itertools

import matplotlib.pyplot as plt
import matplotlib.text as mtext
import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.plots import phone


def _texts(fig) -> list[mtext.Text]:
    """The visible, non-empty texts of a figure (tick labels, titles, legends, annotations)."""
    fig.canvas.draw()
    return [t for t in fig.findobj(mtext.Text) if t.get_visible() and t.get_text().strip()]


def _boxes(texts, renderer):
    return [t.get_window_extent(renderer) for t in texts]


def _overlap(a, b, tol: float = 0.5) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol) and (min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def _radar_collisions(ax) -> list[str]:
    """Pairs of the radar's axis labels, dimension dots and legend that overlap on the drawn figure."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    labels = [t for t in ax.get_xticklabels() if t.get_text()]
    boxes = {t.get_text().replace("\n", " "): t.get_window_extent(renderer) for t in labels}
    out = [f"{a} / {b}" for (a, ba), (b, bb) in itertools.combinations(boxes.items(), 2) if _overlap(ba, bb)]
    dots = ax.collections[0]
    radius = np.sqrt(dots.get_sizes()[0]) / 2 * fig.dpi / 72  # marker size s is in points²
    for x, y in dots.get_offset_transform().transform(dots.get_offsets()):
        for name, b in boxes.items():
            if b.x0 - radius < x < b.x1 + radius and b.y0 - radius < y < b.y1 + radius:
                out.append(f"{name} / dot at ({x:.0f}, {y:.0f})")
    legend = ax.get_legend().get_window_extent(renderer)
    out += [f"{name} / legend" for name, b in boxes.items() if _overlap(b, legend)]
    return out


@pytest.fixture(scope="module")
def sample():
    fw = ce.load_framework("cooperation_territoriale")
    obs = ce.datasets.load("panel_synthetique", table="observations")
    return fw, ce.score(obs, fw)


@pytest.mark.parametrize("on_phone", [False, True])
def test_radar_labels_clear_of_each_other_dots_and_legend(sample, on_phone):
    """The seven labels of the built-in framework (« Ancrage et dynamique territoriale »,
    « Modèle socio-économique »…) overlapped the coloured dots and the legend before."""
    fw, scores = sample
    if on_phone:
        with phone.for_phone():
            ax = ce.plots.radar(scores, unit="u01", fw=fw)
    else:
        ax = ce.plots.radar(scores, unit="u01", fw=fw)
    assert _radar_collisions(ax) == []


def test_radar_collision_check_can_fail(sample):
    """The check above sees the placement the radar had before: labels centred on their angle
    (12 points out), the legend beside the circle — « Transition écologique » and « Modèle
    socio-économique » ran over their dots, « Emploi et travail » under the legend."""
    fw, scores = sample
    ax = ce.plots.radar(scores, unit="u01", fw=fw)
    for lab in ax.get_xticklabels():
        lab.set_horizontalalignment("center")
        lab.set_verticalalignment("center")
    ax.tick_params(axis="x", pad=12)
    ax.legend(loc="upper right", bbox_to_anchor=(1.3, 1.12), frameon=False)
    found = _radar_collisions(ax)
    assert "Transition écologique / dot" in " ".join(found) and "Emploi et travail / legend" in found


def _uncertain(scores) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """A summary of the dimensions' scores with intervals, the ranks of the twelve cooperations of
    wave 3 and their chance of the top 3, shaped as ``ce.uncertainty(...)`` gives them (the layout is
    tested, not the numbers)."""
    d = scores[(scores["level"] == "dimension") & (scores["wave"] == 3)]
    bars = d.assign(score_median=d["score"], score_low=d["score"] - 6, score_high=d["score"] + 4)
    units = sorted(scores["unit"].unique())
    r = np.arange(1.0, len(units) + 1)
    ranks = pd.DataFrame({"unit": units, "wave": 3, "node": "overall", "rank_median": r,
                          "rank_low": np.maximum(r - 1, 1), "rank_high": np.minimum(r + 2, len(units))})
    top = pd.DataFrame({"unit": units, "wave": 3, "node": "overall", "k": 3,
                        "probability": np.clip(1.2 - r / 3, 0, 1)})
    return bars, ranks, top


def _draw_all(sample):
    """The figures of the user test, drawn as the report draws them: radar, cycle, themes,
    stress, weights; and the score bars with their intervals, the ranks, the top 3, the agreement
    heatmap and the framework's tree (A4 only in the report before)."""
    fw, scores = sample
    q = ce.datasets.load("qualitatif_exemple")
    th = ce.qualitative.theme_summary(q["extracts"], q["codes"], q["codebook"], by=["wave"], unit="u01")
    stress = pd.DataFrame({"unit": "u01", "wave": "3", "scenario": ["main_funder_exit", "volunteer_drop"],
                           "indicator": "cash_balance", "baseline": 366_100.0, "stressed": [328_800.0, -12_000.0]})
    ws = ce.weighting.aggregate(ce.datasets.load("deliberation_exemple"), fw, by="college", round=2)
    return {
        "radar": ce.plots.radar(scores, unit="u01", fw=fw),
        "cycle": ce.plots.action_timeline(q["actions"], unit="u01", waves=[1, 2, 3]),
        "themes": ce.plots.theme_bars(th),
        "stress": ce.plots.stress_bars(stress, unit="u01", wave="3"),
        "weights": ce.plots.weights_by_college(ws, fw=fw),
        **_draw_report_figures(sample),
    }


def _draw_report_figures(sample):
    fw, scores = sample
    bars, ranks, top = _uncertain(scores)
    ws = ce.weighting.aggregate(ce.datasets.load("deliberation_exemple"), fw, by="college", round=2)
    agreement = ce.weighting.agreement_table(ws)
    return {
        "score_bars": ce.plots.score_bars(bars, "u01", 3, fw=fw, names={"u01": "La Ruche des Coteaux"}),
        "criteria": ce.plots.score_bars(scores, "u01", 3, level="criterion", fw=fw),
        "ranks": ce.plots.caterpillar(ranks, wave=3, names={"u01": "La Ruche des Coteaux"}, highlight="u01"),
        "top_3": ce.plots.topk_bars(top, 3, wave=3, highlight="u01"),
        "agreement": ce.plots.agreement_heatmap(agreement[agreement["parent"] == "overall"], fw=fw),
        "tree": ce.plots.framework_tree(fw, ws),
        **_draw_valuation_figures(),
    }


def _sroi():
    """An SROI with four outcomes and a stated range of deadweight (Nicholls et al. 2012's quantities)."""
    out = pd.DataFrame({"outcome": ["Repas partagés au tiers-lieu", "Emplois d'insertion créés", "Réemploi des matériaux",
                                    "Heures de bénévolat"],
                        "quantity": [1200, 6, 30, 4000], "proxy": [8.0, 9000.0, 400.0, 12.0],
                        "deadweight": [0.2, 0.3, 0.1, 0.5], "deadweight_low": [0.1, 0.2, 0.05, 0.3],
                        "deadweight_high": [0.3, 0.5, 0.2, 0.7], "duration": [1, 2, 1, 1]})
    return ce.valuation.sroi(out, inputs=40_000.0, discount_rate=0.035)


def _draw_valuation_figures():
    """The SROI waterfall and tornado and the typology map of the report (A4 only on a phone before)."""
    res = _sroi()
    cases = ce.datasets.load("cas_rapport_2024", table="cases").rename(columns={"case": "unit", "scope": "systemic"})
    return {"waterfall": ce.plots.waterfall(res), "tornado": ce.plots.tornado(res.sensitivity()),
            "typology": ce.plots.typology_map(cases, highlight="tera")}


def test_sroi_waterfall_drawn_across_a_phone():
    """On a phone the waterfall runs across the screen: one row per outcome from the top, each bar
    starting where the one above ended (the A4 drawing's bottoms and heights become lefts and
    widths), then the total and the investment; the ratio under the title. Hand figures: present
    values 3,000, 1,000 and 500, inputs 1,500: ratio 4,500 / 1,500 = 3."""
    out = pd.DataFrame({"outcome": ["a", "b", "c"], "present_value": [3000.0, 1000.0, 500.0]})
    with phone.for_phone():
        ax = ce.plots.waterfall(out, inputs=1500.0)
    bars = [(p.get_x(), p.get_width(), p.get_y() + p.get_height() / 2) for p in ax.patches]
    np.testing.assert_allclose(bars, [(0, 3000, 4), (3000, 1000, 3), (4000, 500, 2), (0, 4500, 1), (0, 1500, 0)])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["a", "b", "c", "Valeur totale", "Investissement"]
    assert ax.title.get_gid() == "ratio" and "3,00" in ax.title.get_text()
    assert ax.figure.get_suptitle().replace("\n", " ") == "Construction de la valeur sociale (SROI)"
    plt.close(ax.figure)


def test_tornado_and_typology_laid_out_for_a_phone():
    """On a phone the tornado's legend goes under the figure (it lay over the bars in the narrow
    axes) and the typology map drops its row names (the quadrants' names, wrapped, say the same),
    its legend under the figure too."""
    with phone.for_phone():
        drawn = _draw_valuation_figures()
    tornado, typology = drawn["tornado"], drawn["typology"]
    assert tornado.get_legend() is None and len(tornado.figure.legends) == 1
    assert typology.get_legend() is None and len(typology.figure.legends) == 1
    assert not any(t.get_visible() and t.get_text() for t in typology.get_yticklabels())
    quadrants = [t.get_text() for t in typology.texts if t.get_gid() == "quadrant"]
    assert quadrants == ["Modélisée,\nciblée", "Modélisée,\nsystémique", "Non\nmodélisée,\nciblée",
                         "Non\nmodélisée,\nsystémique"]
    for ax in drawn.values():
        plt.close(ax.figure)


def test_phone_figures_are_narrow_with_text_of_at_least_9_points(sample):
    """For a phone: 3.5 inches wide (336 CSS px at 96 px an inch) and no text under 9 pt
    (12 CSS px); on A4 the same figures keep their A4 size and small fonts (6.5–9 pt)."""
    with phone.for_phone():
        drawn = _draw_all(sample)
    for name, ax in drawn.items():
        sizes = [t.get_fontsize() for t in _texts(ax.figure)]
        assert min(sizes) >= phone.PHONE_MIN_PT, (name, min(sizes))
        assert ax.figure.get_figwidth() == pytest.approx(phone.PHONE_WIDTH), name
        # nothing drawn far beyond the figure: what bbox_inches="tight" keeps stays close to phone width
        renderer = ax.figure.canvas.get_renderer()
        width = ax.figure.get_tightbbox(renderer).width
        assert width <= phone.PHONE_WIDTH * 1.03, (name, width)
        plt.close(ax.figure)
    a4 = _draw_all(sample)
    for name, ax in a4.items():
        assert ax.figure.get_figwidth() > 4, name
        assert min(t.get_fontsize() for t in _texts(ax.figure)) < phone.PHONE_MIN_PT, name
        plt.close(ax.figure)


def _png(ax) -> bytes:
    buf = io.BytesIO()
    ax.figure.savefig(buf, format="png", dpi=60)
    plt.close(ax.figure)
    return buf.getvalue()


def test_report_figures_keep_their_a4_layout(sample):
    """The phone's layout of the score bars, ranks, top 3, heatmap and tree stays inside
    :func:`phone.for_phone`: the A4 drawings keep their title over the axes (no figure title), their
    size, the tree its fixed axes and 7.5-pt dimension labels, the heatmap its level column names,
    the top 3 its 0–110 % axis; and an A4 drawing made after a phone's is the same image."""
    from coopeval.plots import palette

    before = {name: _png(ax) for name, ax in _draw_report_figures(sample).items()}
    with phone.for_phone():
        for ax in _draw_report_figures(sample).values():
            plt.close(ax.figure)
    a4 = _draw_report_figures(sample)
    for name, ax in a4.items():
        fig = ax.figure
        assert fig.get_suptitle() == "" and ax.get_title(loc="right" if name == "tree" else "center"), name
        assert fig.get_figwidth() == pytest.approx(palette.A4_WIDTH * (0.8 if name in ("ranks", "top_3") else 1)), name
    assert a4["tree"].get_position().bounds == pytest.approx((0.52, 0.04, 0.44, 0.9))
    dims = [t for t in a4["tree"].texts if t.get_gid() in {f"node:{d}" for d in sample[0].dimension_ids}]
    assert dims and {t.get_fontsize() for t in dims} == {7.5}
    assert {t.get_rotation() for t in a4["agreement"].get_xticklabels()} == {0.0}
    assert a4["top_3"].get_xlim() == pytest.approx((0, 1.1))
    after = {name: _png(ax) for name, ax in a4.items()}
    assert after == before


def test_phone_style_ends_with_its_block(sample):
    fw, scores = sample
    with phone.for_phone():
        assert phone.on_phone()
    assert not phone.on_phone()
    ax = ce.plots.score_bars(scores, "u01", 3, fw=fw)
    assert max(t.get_fontsize() for t in ax.get_yticklabels()) == 7


def test_wrap_breaks_long_words_after_hyphens_only_on_a_phone():
    from coopeval.plots._common import wrap

    assert wrap("Modèle socio-économique", 16) == "Modèle\nsocio-économique"  # A4: unchanged
    assert wrap("Social - emploi", 28) == "Social - emploi"
    with phone.for_phone():  # 16 characters on A4 are 10 on a phone (phone.wrap_width)
        assert wrap("Modèle socio-économique", 16) == "Modèle\nsocio-\néconomique"
        assert wrap("Modèle socio-économique", 40) == "Modèle\nsocio-économique"
        assert wrap("Social - emploi", 8) == "Social -\nemploi"


def test_report_figure_is_a_picture_with_a_phone_drawing():
    """A figure given as a function is drawn twice: the page's image (A4) and, for screens up to
    600 px, a phone's image at twice the pixel density; each says its smallest text in CSS px."""
    import base64
    import io
    import re

    from PIL import Image

    from coopeval.report.html import figure_html

    fw = ce.load_framework("cooperation_territoriale")
    scores = ce.score(ce.datasets.load("panel_synthetique", table="observations"), fw)
    html = figure_html(lambda: ce.plots.radar(scores, unit="u01", fw=fw), "Profil")
    assert html.startswith('<figure><picture><source media="(max-width: 600px)" srcset="data:image/png;base64,')
    phone_png = re.search(r'srcset="data:image/png;base64,([^" ]+) 2x"', html).group(1)
    page_png = re.search(r' src="data:image/png;base64,([^"]+)"', html).group(1)
    small = Image.open(io.BytesIO(base64.b64decode(phone_png))).size
    large = Image.open(io.BytesIO(base64.b64decode(page_png))).size
    assert small[0] / 2 <= phone.PHONE_WIDTH * 96 * 1.03 < large[0]  # CSS px: the phone's 3.2 in
    text = float(re.search(r'data-phone-text-px="([\d.]+)"', html).group(1))
    assert text == pytest.approx(phone.PHONE_MIN_PT * 96 / 72)  # 9 pt: 12 CSS px at natural size
    page_text = float(re.search(r'data-text-px="([\d.]+)"', html).group(1))
    assert page_text == pytest.approx(6 * 160 / 72, abs=0.05)  # the A4 radar's scale: 6 pt at 160 dpi
    plain = figure_html(ce.plots.radar(scores, unit="u01", fw=fw), "Profil")  # an Axes: one image
    assert "<picture>" not in plain and "data-phone-text-px" not in plain
