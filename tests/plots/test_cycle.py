"""Figures of the learning cycle, tested through what they draw."""

from __future__ import annotations

import matplotlib.colors as mcolors
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import PlotError
from coopeval.plots.cycle import STATUS_COLOURS


@pytest.fixture(scope="module")
def q():
    return ce.datasets.load("qualitatif_exemple")


def test_theme_bars_draw_shown_cells_only(q):
    th = ce.qualitative.theme_summary(q["extracts"], q["codes"], q["codebook"], by=["wave"], unit="u01")
    ax = ce.plots.theme_bars(th)
    shown = th[~th["suppressed"]]
    assert sorted(p.get_width() for p in ax.patches) == sorted(shown["n_extracts"].tolist())
    dashes = [x for x in ax.texts if x.get_text() == "—"]
    assert len(dashes) == int(th["suppressed"].sum()) > 0
    labels = [x.get_text() for x in ax.get_yticklabels()]
    assert labels == th.drop_duplicates("code")["label"].tolist()
    assert [x.get_text() for x in ax.get_legend().get_texts()] == ["Vague 1", "Vague 2", "Vague 3"]
    with pytest.raises(PlotError, match="summary"):
        ce.plots.theme_bars(th.drop(columns="n_extracts"))


def test_action_timeline_segments_and_colours(q):
    ax = ce.plots.action_timeline(q["actions"], unit="u01", waves=[1, 2, 3], lang="en")
    acts = q["actions"][q["actions"]["unit"] == "u01"].sort_values(["wave", "action"])
    segments = ax.lines[3:]
    assert len(ax.lines[:3]) == 3 and all(ln.get_linestyle() == "--" for ln in ax.lines[:3])
    assert [tuple(ln.get_xdata()) for ln in segments] == [(w - 1, w) for w in acts["wave"]]
    assert [mcolors.to_hex(ln.get_color()) for ln in segments] == [
        mcolors.to_hex(STATUS_COLOURS[s]) for s in acts["status"]]
    assert [x.get_text() for x in ax.get_xticklabels()] == [f"Feedback\nWave {w}" for w in (1, 2, 3)]
    with pytest.raises(PlotError, match="waves"):
        ce.plots.action_timeline(q["actions"], unit="u01", waves=[1])
    with pytest.raises(PlotError, match="unit"):
        ce.plots.action_timeline(q["actions"], unit="u12")
    default = ce.plots.action_timeline(q["actions"], unit="u02")
    assert len(default.lines) == 3 + 2  # waves 1, 2 and the next one; two actions
    assert isinstance(pd.DataFrame(), pd.DataFrame)
