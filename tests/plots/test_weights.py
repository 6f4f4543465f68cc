"""Weights by college and agreement heatmap: points, means, combined weights, contested rows."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.data.disclosure import SmallGroupDisclosureWarning
from coopeval.plots import agreement_heatmap, palette, weights_by_college
from coopeval.plots.weights import disagreement_level

RAW = {"disclose_small_colleges": True}  # the researcher's view of the fixture's colleges of 2 and 3


def _offsets(ax):
    return {c.get_label(): c.get_offsets() for c in ax.collections if c.get_gid() != "college_means"}


def test_points_means_and_combined(fw, participant_weights, agreement):
    combined = {"social": 0.25, "emploi": 0.35, "ecologie": 0.40}
    with pytest.warns(SmallGroupDisclosureWarning, match="Ne pas publier"):
        ax = weights_by_college(participant_weights, combined=combined, agreement=agreement, fw=fw, **RAW)
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
    assert [t.get_text() for t in ax.texts if t.get_gid() == "not_publishable"] == [
        "Vue de recherche : petits collèges non protégés — ne pas publier"]


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
    for i, (col, pts) in enumerate([("habitants", [60, 40]), ("habitants", [40, 60]), ("collectivites", [20, 80])]):
        for node, v in zip(["social", "emploi"], pts, strict=True):
            rows.append({"session": "s", "round": 1, "participant": f"p{i}", "college": col, "method": "points",
                         "node": node, "value": v})
    sub = fw.select(dimensions=["social", "emploi"]) if hasattr(fw, "select") else fw
    ws = ce.weighting.aggregate(pd.DataFrame(rows), sub, min_group=3)
    ax = weights_by_college(ws, parent="overall", fw=sub)
    comb = [ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "combined"]
    # colleges with equal voice: social = (0.5 + 0.2) / 2 = 0.35, emploi = 0.65
    assert np.allclose(comb, [0.35, 0.65])
    # three participants in all, under the default minimum of 5: their combined weights are not drawn
    ax = weights_by_college(ce.weighting.aggregate(pd.DataFrame(rows), sub), parent="overall", fw=sub)
    assert [ln for ln in ax.lines if ln.get_gid() == "combined"] == []
    assert [x.get_text() for x in ax.texts if x.get_gid() == "suppressed_note"] == [
        "Poids combinés non montrés pour les dimensions : moins de 5 participant·es les ont donnés "
        "(règle des petits groupes) ; les scores y gardent les poids par défaut du référentiel."]


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
    with pytest.warns(SmallGroupDisclosureWarning):
        ax = weights_by_college(participant_weights, lang="en", **RAW)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert legend[:3] == ["Residents", "Employees", "Funders"]
    assert legend[3:5] == ["College mean", "Combined weight"]


# ------------------------------------------------------------ safe by default (issue 16)
FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids


def _judgements(sizes: dict[str, int], seed: int = 1) -> pd.DataFrame:
    """Points given to the dimensions by colleges of the given sizes, each college its own views."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, (college, n) in enumerate(sizes.items()):
        for i in range(n):
            pts = rng.dirichlet(np.ones(len(DIMS)) * (1 + 2 * c)) * 100
            rows += [{"session": "s", "round": 1, "participant": f"{college}{i}", "college": college,
                      "method": "points", "node": d, "value": float(v)} for d, v in zip(DIMS, pts, strict=True)]
    return pd.DataFrame(rows)


def _drawn(ax) -> dict:
    """Everything the figure draws that carries numbers or names."""
    means = [c for c in ax.collections if c.get_gid() == "college_means"]
    return {"means": np.asarray(means[0].get_offsets()) if means else np.empty((0, 2)),
            "points": np.concatenate([np.asarray(c.get_offsets()) for c in ax.collections
                                      if c.get_gid() != "college_means"] or [np.empty((0, 2))]),
            "combined": np.array([ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "combined"]),
            "text": " ".join([t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_legend().get_texts()]
                             + [c.get_label() for c in ax.collections] + [ax.get_title()])}


def test_small_college_not_recoverable_from_the_drawing_by_default():
    """A college of 2 (« collectivités ») among colleges of 8 and 6: with the defaults, nothing drawn is theirs.
    They are pooled with the salarié·es (smallest other college, coopeval.data.disclosure), so the
    figure shows the habitant·es alone; the combined line is the WeightSet's pooled value."""
    ws = ce.weighting.aggregate(_judgements({"habitants": 8, "salarie_es": 6, "collectivites": 2}), FW)
    ax = weights_by_college(ws, parent="overall", fw=FW)
    d = _drawn(ax)
    assert "Élu" not in d["text"] and "collectivites" not in d["text"] and "Salarié" not in d["text"]
    bc = ws.by_college.set_index(["college", "node"])["weight"]
    # one row of means per dimension, each equal to the habitant·es' mean, none to the collectivités'
    assert len(d["means"]) == len(DIMS)
    y_to_node = {float(len(DIMS) - 1 - i): n for i, n in enumerate(DIMS)}
    for x, y in d["means"]:
        node = y_to_node[float(round(y))]
        assert x == pytest.approx(bc[("habitants", node)], abs=1e-12)
        assert x != pytest.approx(bc[("collectivites", node)], abs=1e-9)
    secret = bc["collectivites"][DIMS].to_numpy()
    # the combined line is the pooled value the WeightSet publishes
    assert np.allclose(d["combined"], ws.local[DIMS].to_numpy(), atol=1e-12)
    # individual answers: exactly the habitant·es' (8 people x 7 dimensions), none of the collectivités
    pw = ws.by_participant[ws.by_participant["parent"] == "overall"]
    assert sorted(d["points"][:, 0].round(12)) == sorted(pw.loc[pw["college"] == "habitants", "weight"].round(12))
    # subtraction gives only the pooled block (2 + 6 = 8 people), never the collectivités
    guess = 3 * d["combined"] - d["means"][np.argsort(-d["means"][:, 1]), 0]
    assert np.allclose(guess, (bc["collectivites"] + bc["salarie_es"])[DIMS].to_numpy(), atol=1e-9)
    assert not np.allclose(guess, secret, atol=1e-3)
    note = [t.get_text() for t in ax.texts if t.get_gid() == "suppressed_note"]
    assert note == ["Collèges non affichés (moins de 5 personnes, ou regroupés avec eux) : 2"]


def test_min_group_defaults_to_the_weightsets(caplog):
    ws = ce.weighting.aggregate(_judgements({"habitants": 8, "salarie_es": 6, "benevoles": 6}), FW, min_group=7)
    d = _drawn(weights_by_college(ws, parent="overall"))
    assert "Habitant·es" in d["text"] and "Salarié·es" not in d["text"] and "Bénévoles" not in d["text"]
    assert "moins de 7" in d["text"]
    with pytest.raises(ce.PlotError, match=r"min_group.*at least the WeightSet's min_group \(7\)"):
        weights_by_college(ws, parent="overall", min_group=5)
    with pytest.raises(ce.PlotError, match="min_group"):
        weights_by_college(ws, parent="overall", min_group=0)


def test_opt_out_warns_logs_and_marks(caplog):
    ws = ce.weighting.aggregate(_judgements({"habitants": 8, "salarie_es": 6, "collectivites": 2}), FW)
    with caplog.at_level("WARNING", logger="coopeval.disclosure"), \
            pytest.warns(SmallGroupDisclosureWarning,
                         match=r"^coopeval.plots.weights_by_college : protection des petits groupes levée.*"
                               r"bloc regroupé : collectivites, salarie_es\). Ne pas publier.* / .*Do not publish"):
        ax = weights_by_college(ws, parent="overall", disclose_small_colleges=True)
    assert any("weights_by_college" in r.getMessage() for r in caplog.records)
    d = _drawn(ax)
    assert "Collectivités" in d["text"] and len(d["means"]) == 3 * len(DIMS)  # the researcher's raw view
    assert "ne pas publier" in d["text"]


def test_unprotected_weightset_refused_when_its_voices_isolate_a_small_college():
    j = _judgements({"habitants": 8, "salarie_es": 6, "collectivites": 2})
    with pytest.warns(SmallGroupDisclosureWarning):
        raw = ce.weighting.aggregate(j, FW, college_shares={"collectivites": 1.0, "habitants": 0.0, "salarie_es": 0.0},
                                     disclose_small_colleges=True)
    assert np.allclose(raw.local[DIMS], raw.by_college.set_index(["college", "node"])["weight"]["collectivites"][DIMS])
    with pytest.raises(ce.PlotError, match=r"weights.*college_shares.*\(collectivites, salarie_es\)"):
        weights_by_college(raw, parent="overall")  # its combined line would be the collectivités' weights
    with pytest.warns(SmallGroupDisclosureWarning):
        weights_by_college(raw, parent="overall", disclose_small_colleges=True)
    with pytest.warns(SmallGroupDisclosureWarning):
        equal = ce.weighting.aggregate(j, FW, disclose_small_colleges=True)
    assert "Collectivit" not in _drawn(weights_by_college(equal, parent="overall"))["text"]  # equal voices: safe
