"""Radar and bars: vertices, bar lengths, whiskers, labels, errors."""

import numpy as np
import pytest

import coopeval as ce
from coopeval.plots import radar, score_bars


def test_radar_vertices_per_wave(fw, scores):
    ax = radar(scores, unit="a", fw=fw)
    assert ax.name == "polar" and len(ax.lines) == 2
    theta, r = ax.lines[0].get_data()
    want_theta = np.linspace(0, 2 * np.pi, 7, endpoint=False)
    assert np.allclose(theta, np.append(want_theta, 0.0))
    # unit a, wave 1: 10 + 10 i, closed polygon (first vertex repeated)
    assert np.allclose(r, [10, 20, 30, 40, 50, 60, 70, 10])
    assert np.allclose(ax.lines[1].get_ydata()[:7], np.arange(7) * 10 + 15)
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Vague 1", "Vague 2"]
    labels = [t.get_text().replace("\n", " ") for t in ax.get_xticklabels()]
    assert labels[0] == "Social" and labels[1] == "Emploi et travail"


def test_radar_overlay_units_english(fw, scores):
    ax = radar(scores, wave=2, overlay="unit", fw=fw, names={"a": "Alpha"}, lang="en")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["Alpha", "b"]
    assert np.allclose(ax.lines[1].get_ydata()[:7], np.arange(7) * 10 + 25)
    assert "Employment" in " ".join(t.get_text() for t in ax.get_xticklabels())


def test_radar_errors(scores):
    with pytest.raises(ce.PlotError, match="`unit`"):
        radar(scores)
    with pytest.raises(ce.PlotError, match="`overlay`"):
        radar(scores, unit="a", overlay="x")
    with pytest.raises(ce.PlotError, match="score"):
        radar(scores.drop(columns="score"), unit="a")
    with pytest.raises(ce.PlotError, match="lang"):
        radar(scores, unit="a", lang="de")


def test_bars_heights_order_and_labels(fw, scores):
    ax = score_bars(scores, "b", 2, fw=fw)
    widths = [p.get_width() for p in ax.patches]
    assert np.allclose(widths, 25 + 10 * np.arange(7))
    ys = [p.get_y() + p.get_height() / 2 for p in ax.patches]
    assert ys == sorted(ys, reverse=True)  # framework order from the top
    assert ax.get_yticklabels()[0].get_text() == "Social"
    assert len(ax.lines) == 0  # no interval without an uncertainty summary


def test_bars_with_intervals(fw, summary):
    ax = score_bars(summary, "a", 1, fw=fw)
    assert np.allclose([p.get_width() for p in ax.patches], [30, 60, 90])
    segs = [line.get_xdata() for line in ax.lines]
    # per bar: the whisker, then its two end ticks (so that a short interval stays visible)
    assert np.allclose(segs[::3], [[20, 40], [55, 65], [70, 95]])
    assert np.allclose(segs[1::3], [[20, 20], [55, 55], [70, 70]])
    assert np.allclose(segs[2::3], [[40, 40], [65, 65], [95, 95]])
    assert "médiane et intervalle" in ax.get_xlabel()


def test_bars_degenerate_intervals_are_not_claimed(fw, summary):
    """Issue 15: a figure labelled « médiane et intervalle » must show intervals; when every
    draw gives the same score the label says so instead."""
    flat = summary.assign(score_low=summary["score_median"], score_high=summary["score_median"])
    ax = score_bars(flat, "a", 1, fw=fw)
    assert "intervalle" not in ax.get_xlabel()
    assert "tous les tirages donnent le même score" in ax.get_xlabel()


def test_bars_criterion_level(fw, scores):
    ax = score_bars(scores, "a", 1, level="criterion", fw=fw)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Lien social et appartenance", "Création d'emplois"]
    assert np.allclose([p.get_width() for p in ax.patches], [11, 12])


def test_bars_missing_score_is_written(fw, scores):
    sc = scores.copy()
    sc.loc[(sc["unit"] == "a") & (sc["wave"] == 1) & (sc["node"] == "emploi"), "score"] = np.nan
    ax = score_bars(sc, "a", 1, fw=fw)
    assert ax.patches[1].get_width() == 0
    assert any("non calculé" in t.get_text() for t in ax.texts)


def test_bars_unknown_unit(fw, scores):
    with pytest.raises(ce.PlotError, match="unit='z'"):
        score_bars(scores, "z", 1, fw=fw)
