"""Caterpillar and top-k bars: order, intervals, highlight."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.plots import caterpillar, palette, topk_bars


def test_caterpillar_sorted_with_intervals(summary):
    ax = caterpillar(summary, wave=1, highlight="a", names={"a": "Alpha"})
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "c", "Alpha", "d"]
    segs = [tuple(ln.get_xdata()) for ln in ax.lines]
    assert segs == [(1.0, 2.0), (1.0, 3.0), (2.0, 4.0), (3.0, 4.0)]
    med = ax.collections[0].get_offsets()
    assert np.allclose(med[:, 0], [1, 2, 3, 4])
    assert np.allclose(med[:, 1], [3, 2, 1, 0])
    assert ax.get_xlim() == (4.5, 0.5)  # rank 1 on the right, best on top
    assert ax.lines[2].get_color() == palette.HIGHLIGHT
    assert ax.get_yticklabels()[2].get_fontweight() == "bold"


def test_caterpillar_scores(summary):
    ax = caterpillar(summary, wave=1, value="score", lang="en")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "c", "a", "d"]
    assert tuple(ax.lines[0].get_xdata()) == (60.0, 75.0)
    assert ax.get_xlabel() == "Score (0–100)"


def test_caterpillar_needs_wave_when_several(summary):
    both = pd.concat([summary, summary.assign(wave=2)])
    with pytest.raises(ce.PlotError, match="`wave`"):
        caterpillar(both)


def test_topk(top_k):
    ax = topk_bars(top_k, 2, wave=1, highlight="c")
    assert [t.get_text() for t in ax.get_yticklabels()] == ["b", "c", "a"]
    assert np.allclose([p.get_width() for p in ax.patches], [0.9, 0.6, 0.5])
    assert "2 premiers" in ax.get_title()
    assert "90%" in [t.get_text() for t in ax.texts]
    with pytest.raises(ce.PlotError, match="`k`"):
        topk_bars(top_k, 7)
