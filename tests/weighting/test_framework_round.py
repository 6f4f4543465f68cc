"""Issue 22: the logic of a framework round (tally, changes, goalpost references, materiality)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.weighting.framework_round import (
    apply_change,
    goalpost_references,
    keep_material,
    material_outcomes,
    tally,
    unsourced_goalposts,
)

DOC = Path(__file__).resolve().parents[2] / "indicators" / "goalposts_sans_source.md"


@pytest.fixture(scope="module")
def fw():
    return ce.load_framework("cooperation_territoriale")


def test_tally_counts_match_a_hand_count():
    rng = np.random.default_rng(3)
    votes = pd.DataFrame({"proposal": rng.integers(1, 4, 200), "college": rng.choice(["a", "b", "c"], 200),
                          "vote": rng.choice(["for", "against", "abstain"], 200)})
    out = tally(votes, min_group=1)
    hand = pd.crosstab([votes["proposal"], votes["college"]], votes["vote"])
    for (p, c), row in hand.iterrows():
        got = out[(out["proposal"] == p) & (out["college"] == c)].iloc[0]
        assert (got["n_for"], got["n_against"], got["n_abstain"]) == (row["for"], row["against"], row["abstain"])
    tot = out[out["college"] == "ensemble"].set_index("proposal")["n"]
    assert tot.to_dict() == votes.groupby("proposal").size().astype(float).to_dict()


def test_tally_total_hidden_when_the_whole_group_is_small():
    votes = pd.DataFrame({"proposal": [1] * 4, "college": ["a"] * 4, "vote": ["for"] * 4})
    assert tally(votes, min_group=5)["suppressed"].all()


def test_tally_refuses_bad_votes():
    with pytest.raises(ce.CoopevalError, match="votes.vote"):
        tally(pd.DataFrame({"proposal": [1], "college": ["a"], "vote": ["oui"]}))


def test_changes_use_the_framework_methods(fw):
    assert apply_change(fw, "keep", "social") is fw
    assert "lieux_partages" not in apply_change(fw, "remove", "lieux_partages")
    assert apply_change(fw, "reword", "lien_social", text="Nos liens").node("lien_social")["description_fr"] == \
        "Nos liens"
    new = apply_change(fw, "goalpost", "participants_actifs", value={"upper": 300, "goalpost_source": "vague 1"})
    assert new.node("participants_actifs")["upper"] == 300
    assert new.node("participants_actifs")["goalpost_source"] == "vague 1"
    assert ce.Framework.from_yaml(new.to_yaml()) == new  # the source is kept in the YAML
    with pytest.raises(ce.CoopevalError, match="value"):
        apply_change(fw, "goalpost", "participants_actifs", value={"weight": 2})
    with pytest.raises(ce.CoopevalError, match="node"):
        apply_change(fw, "add", parent="social")


def test_goalpost_references_against_pandas(fw):
    obs = ce.datasets.load("panel_synthetique", table="observations")
    ref = goalpost_references(fw, obs, unit="u01").set_index(["indicator", "wave"])
    sel = obs[obs["indicator"] == "part_cdi"]  # absolute goalposts: raw values
    for wave, w in sel.groupby("wave"):
        row = ref.loc[("part_cdi", wave)]
        assert row["median"] == pytest.approx(w["value"].median())
        assert row["max"] == w["value"].max() and row["n_units"] == w["value"].count()
        assert row["own"] == w.loc[w["unit"] == "u01", "value"].iloc[0]
        assert row["upper"] == 1 and pd.isna(row["goalpost_source"])
    # relative goalposts (issue 22): ratio to each unit's first wave with a value, computed here by pandas
    sel = obs[obs["indicator"] == "participants_actifs"].dropna(subset=["value"]).sort_values("wave")
    ratio = sel["value"] / sel.groupby("unit")["value"].transform("first")
    for wave, r in ratio.groupby(sel["wave"]):
        row = ref.loc[("participants_actifs", wave)]
        assert row["median"] == pytest.approx(r.median()) and row["max"] == pytest.approx(r.max())
        assert row["own"] == pytest.approx(r[sel.loc[r.index, "unit"] == "u01"].iloc[0])
        assert (row["lower"], row["upper"]) == (0.5, 2)
    assert (ref.xs(1, level="wave").loc["participants_actifs", ["min", "max"]] == 1).all()  # u01..u12 at 1


def _num(x) -> str:  # noqa: ANN001
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return ""
    return f"{x:.10g}" if abs(x) < 1e6 else f"{x:.0f}"


def _rule(r, fw) -> str:  # noqa: ANN001
    """The rule of a relative goalpost in words (French, as the rest of the document)."""
    parts = []
    if r.per:
        scale = fw.relative_goalposts.set_index("indicator").loc[r.indicator, "scale"]
        parts.append(f"par `{r.per}`" + (f" (× {scale:g})" if scale != 1 else ""))
    if r.relative_to == "baseline":
        parts.append("rapport à la première vague renseignée de la coopération" if r.change == "ratio"
                     else "écart à la première vague renseignée de la coopération")
    transform = fw.node(r.indicator).get("transform")
    return " ; ".join(parts) + (f" ; échelle {transform}" if transform else "")


def goalposts_markdown(header: str) -> str:
    """The per-framework lists of ``indicators/goalposts_sans_source.md``, from
    :func:`unsourced_goalposts` (regenerate with ``DOC.write_text(goalposts_markdown(header))``)."""
    lines = []
    for fid in ce.list_frameworks()["id"]:
        fw = ce.load_framework(fid)
        u = unsourced_goalposts(fw)
        conv, scale, rel = (u[u["bound_kind"] == k] for k in ("convention", "scale", "relative"))
        sourced = [(i, fw.node(i)["goalpost_source"]) for i in fw.indicator_ids if fw.node(i).get("goalpost_source")]
        lines += [f"## {fid} — {fw.title_fr} (version {fw.version})", "",
                  f"{len(sourced)} bornes sourcées :" + ("" if sourced else " aucune."), ""]
        lines += [f"- `{i}` : {src}" for i, src in sourced] + ([""] if sourced else [])
        lines += [f"{len(rel)} bornes relatives (même règle pour toutes les tailles de coopération) :", ""]
        if len(rel):
            lines += ["| indicateur | unité de la valeur brute | règle | borne basse | borne haute |",
                      "|---|---|---|---|---|"]
            lines += [f"| `{r.indicator}` | {r.unit} | {_rule(r, fw)} | {_num(r.lower)} | {_num(r.upper)} |"
                      for r in rel.itertuples()]
            lines += [""]
        lines += [f"{len(conv)} bornes conventionnelles sans source" + (" :" if len(conv) else "."), ""]
        if len(conv):
            lines += ["| indicateur | unité | borne basse | borne haute | cible |", "|---|---|---|---|---|"]
            lines += [f"| `{r.indicator}` | {r.unit} | {_num(r.lower)} | {_num(r.upper)} | {_num(r.target)} |"
                      for r in conv.itertuples()]
            lines += [""]
        lines += [f"{len(scale)} bornes d'échelle : " + ", ".join(f"`{i}`" for i in scale["indicator"]) + ".", ""]
    return header + "\n".join(lines)


def test_goalposts_without_source_are_documented():
    text = DOC.read_text(encoding="utf-8")
    header = text[:text.index("## ")]
    assert text == goalposts_markdown(header), "regenerate indicators/goalposts_sans_source.md"


def test_material_outcomes_latest_decision_wins():
    reg = pd.DataFrame({"at": ["1", "2", "3"], "kind": ["materiality"] * 3,
                        "op": ["material", "not_material", "material"], "target": ["co2", "co2", "emploi"],
                        "outcome": ["adopted", "adopted", "rejected"], "reason": ["a", "b", "c"],
                        "detail": [{}, {}, {}]})
    assert material_outcomes(reg)[["outcome", "material", "reason"]].values.tolist() == [["co2", False, "b"]]


def test_sroi_values_only_material_outcomes():
    """The SROI of the material outcomes equals the SROI computed on that subset by hand."""
    outcomes = pd.DataFrame({"outcome": ["retour à l'emploi", "heures de bénévolat"], "quantity": [6, 2574],
                             "proxy": ["cout_privation_emploi_atd_2015", "heure_benevole_smic_brut"],
                             "deadweight": [0.3, 0.1], "attribution": [0.2, 0.0], "duration": [2, 1]})
    reg = pd.DataFrame({"at": ["1", "2"], "kind": ["materiality"] * 2, "op": ["material", "not_material"],
                        "target": ["retour à l'emploi", "heures de bénévolat"], "outcome": ["adopted"] * 2,
                        "reason": ["", ""], "detail": [{}, {}]})
    kept = keep_material(outcomes, reg)
    a = ce.valuation.sroi(kept, inputs=150000.0, date="2024-06-01")
    b = ce.valuation.sroi(outcomes.iloc[[0]], inputs=150000.0, date="2024-06-01")
    assert a.ratio == pytest.approx(b.ratio, rel=1e-12)
    with pytest.raises(ce.CoopevalError, match="heures de bénévolat"):
        keep_material(outcomes, reg.iloc[[0]])
    assert len(keep_material(outcomes, reg.iloc[[0]], undecided="keep")) == 2
