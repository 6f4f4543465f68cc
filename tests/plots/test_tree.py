"""Framework tree: rows in tree order, indentation, global weights, colours."""

import numpy as np
import pytest

import coopeval as ce
from coopeval.plots import framework_tree, global_weights


def test_global_weights_default(fw):
    g = global_weights(fw)
    for level in ("dimension", "indicator"):
        assert g.loc[g["level"] == level, "global_weight"].sum() == pytest.approx(1.0)
    # "externalites" holds indicators directly (no criterion): criteria carry the other 6/7
    assert g.loc[g["level"] == "criterion", "global_weight"].sum() == pytest.approx(6 / 7)
    row = g.set_index("node").loc["lien_social"]
    # equal weights: 1/7 dimensions x 1/3 criteria of "social"
    assert row["global_weight"] == pytest.approx(1 / 21)


def test_tree_rows_and_labels(fw):
    ax = framework_tree(fw)
    nodes = [t.get_gid()[5:] for t in ax.texts if (t.get_gid() or "").startswith("node:")]
    crit_dims = [n for n in fw.node_ids if fw.level(n) in ("dimension", "criterion")]
    assert nodes == crit_dims
    widths = np.array([p.get_width() for p in ax.patches])
    g = global_weights(fw).set_index("node")["global_weight"]
    assert np.allclose(widths, g[crit_dims].to_numpy())
    texts = {t.get_gid()[5:]: t for t in ax.texts if (t.get_gid() or "").startswith("node:")}
    assert texts["social"].get_text() == "Social (14\u202f%)"
    assert texts["social"].get_fontweight() == "bold"
    assert texts["lien_social"].get_position()[0] > texts["social"].get_position()[0]  # indented


def test_tree_with_weights_english(fw):
    w = fw.default_weights("local").copy()
    w[fw.dimension_ids] = 0.0
    w["social"], w["emploi"] = 0.75, 0.25
    ax = framework_tree(fw, w, max_level="dimension", lang="en")
    widths = [p.get_width() for p in ax.patches]
    assert np.allclose(widths, [0.75, 0.25, 0, 0, 0, 0, 0])
    assert "Employment and work (25%)" in [t.get_text() for t in ax.texts]


def test_tree_bad_level(fw):
    with pytest.raises(ce.PlotError, match="max_level"):
        framework_tree(fw, max_level="leaf")
