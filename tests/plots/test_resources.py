"""Stacked resource bars: heights by category, shares, colours, non-euro rows refused."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

import coopeval as ce
from coopeval.plots import palette, resource_bars


def test_stacked_amounts(resources):
    ax = resource_bars(resources)
    assert [c.get_label() for c in ax.containers] == ["Marchand", "Non marchand", "Non monétaire"]
    h = np.array([[p.get_height() for p in c] for c in ax.containers])
    assert np.allclose(h, [[100, 10], [80, 30], [20, 0]])
    bottoms = np.array([[p.get_y() for p in c] for c in ax.containers])
    assert np.allclose(bottoms, [[0, 0], [100, 10], [180, 40]])
    for c, key in zip(ax.containers, ["market", "non_market", "non_monetary"], strict=True):
        assert np.allclose(c[0].get_facecolor(), mcolors.to_rgba(palette.CATEGORY_COLOURS[key]))
    assert [t.get_text() for t in ax.get_xticklabels()] == ["a", "b"]


def test_shares(resources):
    ax = resource_bars(resources, share=True, lang="en")
    h = np.array([[p.get_height() for p in c] for c in ax.containers])
    assert np.allclose(h, [[0.5, 0.25], [0.4, 0.75], [0.1, 0.0]])
    assert ax.containers[2].get_label() == "Non-monetary"


def test_non_euro_and_bad_category(resources):
    r = resources.assign(unit_of_measure=["euros", "euros", "euros", "heures", "euros", "euros"])
    r.loc[0, "category"] = "autre"
    with pytest.raises(ce.PlotError) as err:
        resource_bars(r)
    assert len(err.value.issues) == 2
    assert "resources_profile" in str(err.value)
