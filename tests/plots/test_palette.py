"""Palette: fixed, distinct, colour-blind-safe colours per dimension; consistent across figures."""

import matplotlib.colors as mcolors
import numpy as np
import pytest

from coopeval.plots import framework_tree, palette, radar, score_bars


def test_okabe_ito_values():
    # Okabe & Ito (2008), "Color Universal Design", RGB values of the 8-colour palette
    # (orange 230,159,0; sky blue 86,180,233; bluish green 0,158,115; yellow 240,228,66;
    # blue 0,114,178; vermillion 213,94,0; reddish purple 204,121,167), black left out.
    rgb = [tuple(round(255 * c) for c in mcolors.to_rgb(h)) for h in palette.OKABE_ITO]
    assert rgb == [(230, 159, 0), (86, 180, 233), (0, 158, 115), (240, 228, 66), (0, 114, 178),
                   (213, 94, 0), (204, 121, 167)]


def test_dimension_colours_fixed_distinct_and_deterministic(fw):
    cols = palette.dimension_colours(fw)
    assert list(cols) == fw.dimension_ids
    assert len(set(cols.values())) == len(fw.dimension_ids) == 7
    assert cols["emploi"] == palette.dimension_colours(["emploi"])["emploi"] == "#56B4E9"
    # unknown dimensions take free colours in order, never a fixed one already present
    other = palette.dimension_colours(["social", "culture", "sante"])
    assert other["culture"] == palette.OKABE_ITO[1] and other["sante"] == palette.OKABE_ITO[2]


def test_colour_of_criterion_is_its_dimension(fw):
    assert palette.colour_of("lien_social", fw) == palette.colour_of("social", fw)
    assert palette.colour_of("part_cdi", fw) == palette.FIXED_DIMENSIONS["emploi"]
    assert palette.colour_of("overall", fw) == palette.NEUTRAL


def test_same_colour_per_dimension_in_radar_bars_and_tree(fw, scores):
    r = radar(scores, unit="a", fw=fw)
    dots = r.collections[-1].get_facecolors()
    b = score_bars(scores, "a", 1, fw=fw)
    bars = [p.get_facecolor() for p in b.patches]
    t = framework_tree(fw, max_level="dimension")
    tree = [p.get_facecolor() for p in t.patches]
    for i, d in enumerate(fw.dimension_ids):
        want = mcolors.to_rgba(palette.FIXED_DIMENSIONS[d])
        assert np.allclose(dots[i], want)
        assert np.allclose(bars[i], want)
        assert np.allclose(tree[i], want)


def test_a4_width():
    assert palette.A4_WIDTH == pytest.approx(17 / 2.54)
