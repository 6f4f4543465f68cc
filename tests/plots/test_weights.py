"""Weights by college and agreement heatmap: points, means, combined weights, contested rows."""

import numpy as np
import pytest

import coopeval as ce
from coopeval.plots import agreement_heatmap, palette, weights_by_college
from coopeval.plots.weights import disagreement_level


def _offsets(ax):
    return {c.get_label(): c.get_offsets() for c in ax.collections if c.get_gid() != "college_means"}


def test_points_means_and_combined(fw, participant_weights, agreement):
    combined = {"social": 0.25, "emploi": 0.35, "ecologie": 0.40}
    ax = weights_by_college(participant_weights, combined=combined, agreement=agreement, fw=fw)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["Social", "Emploi et travail", "Transition écologique"]
    pts = _offsets(ax)
    assert set(pts) == {"Habitant·es", "Salarié·es", "Financeurs"}  # display names of the colleges
    hab = np.asarray(pts["Habitant·es"])
    # x = each participant's weight, y = the node row (social on top, y = 2) shifted by the college offset
    assert sorted(hab[np.round(hab[:, 1]) == 2][:, 0].tolist()) == [0.3, 0.4, 0.5]
    means = [c for c in ax.collections if c.get_gid() == "college_means"][0].get_offsets()
    # college means of "social": habitants 0.4, salarie_es 0.2, financeurs 0.1
    social = sorted(np.round(means[np.round(means[:, 1]) == 2][:, 0], 10).tolist())
    assert social == [0.1, 0.2, 0.4]
    comb = [ln for ln in ax.lines if ln.get_gid() == "combined"]
    assert [ln.get_xdata()[0] for ln in comb] == [0.25, 0.35, 0.40]
    # the contested node (ecologie) is shaded and its label bold in the highlight colour
    gids = [p.get_gid() for p in ax.patches]
    assert gids == ["contested:ecologie"]
    lab = ax.get_yticklabels()[2]
    assert lab.get_fontweight() == "bold" and lab.get_color() == palette.HIGHLIGHT
    assert ax.get_yticklabels()[0].get_fontweight() != "bold"
    assert "critère débattu" in [t.get_text() for t in ax.get_legend().get_texts()]


def test_no_contested_legend_when_none_drawn(participant_weights, agreement):
    ax = weights_by_college(participant_weights, agreement=agreement.assign(contested=False))
    assert "critère débattu" not in [t.get_text() for t in ax.get_legend().get_texts()]
    assert len(ax.patches) == 0


def test_small_colleges_hidden(participant_weights):
    """Financeurs (2 < 3) is hidden with the smallest other college (issue 16: otherwise the combined
    weight minus the shown college means gives it back); individual answers are not drawn by college."""
    ax = weights_by_college(participant_weights, min_group=3)
    pts = _offsets(ax)
    assert set(pts) == {"Réponses individuelles (tous collèges)"}
    assert len(pts["Réponses individuelles (tous collèges)"]) == 3 * 3  # salarié·es only: 3 people x 3 nodes
    means = [c for c in ax.collections if c.get_gid() == "college_means"][0].get_offsets()
    assert len(means) == 3  # one college shown
    note = [t for t in ax.texts if t.get_gid() == "suppressed_note"]
    assert note and note[0].get_text().endswith(": 2") and "moins de 3" in note[0].get_text()
    legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
    assert "Financeurs" not in legend and "Habitant·es" not in legend and "Salarié·es" in legend


def test_weightset_input(fw):
    rows = []
    for i, (col, pts) in enumerate([("habitants", [60, 40]), ("habitants", [40, 60]), ("elus", [20, 80])]):
        for node, v in zip(["social", "emploi"], pts, strict=True):
            rows.append({"session": "s", "round": 1, "participant": f"p{i}", "college": col, "method": "points",
                         "node": node, "value": v})
    import pandas as pd

    sub = fw.select(dimensions=["social", "emploi"]) if hasattr(fw, "select") else fw
    ws = ce.weighting.aggregate(pd.DataFrame(rows), sub)
    ax = weights_by_college(ws, parent="overall", fw=sub)
    comb = [ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "combined"]
    # colleges with equal voice: social = (0.5 + 0.2) / 2 = 0.35, emploi = 0.65
    assert np.allclose(comb, [0.35, 0.65])


def test_heatmap_levels_values_and_outline(fw, agreement):
    ax = agreement_heatmap(agreement, fw=fw)
    arr = np.asarray(ax.images[0].get_array())
    assert arr.shape == (3, 4)
    # cv column: min(cv, 1); pct_agreement: 1 - x; p: -log10(p)/3 capped at 1
    assert np.allclose(arr[:, 0], [0.2, 0.4, 0.8])
    assert np.allclose(arr[:, 1], [0.0, 0.5, 1.0])
    assert np.allclose(arr[:, 2], [0.1, 0.3, 0.7])
    assert np.allclose(arr[:, 3], [-np.log10(0.5) / 3, -np.log10(0.2) / 3, 1.0])
    assert [t.get_text() for t in ax.get_xticklabels()] == [
        "Coeff. de variation", "Écart interquartile", "Part d'accord", "p (collèges)"]
    assert "0.80" in [t.get_text() for t in ax.texts]
    assert [p.get_gid() for p in ax.patches] == ["contested:ecologie"]
    assert ax.get_yticklabels()[2].get_fontweight() == "bold"
    assert "1" in ax.get_title()


def test_disagreement_level_constant_column():
    assert np.allclose(disagreement_level("iqr", np.array([0.2, 0.2])), [0, 0])


def test_heatmap_bad_metric(agreement):
    with pytest.raises(ce.PlotError, match="metrics"):
        agreement_heatmap(agreement, metrics=["nope"])


def test_college_names_in_english(participant_weights):
    ax = weights_by_college(participant_weights, lang="en")
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["Residents", "Employees", "Funders"]
    assert legend[3:5] == ["College mean", "Combined weight"]
