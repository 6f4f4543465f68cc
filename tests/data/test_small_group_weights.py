"""A group of sibling nodes weighted by fewer than ``min_group`` people shows no combined weights.

The combined weights of a group are the mean of the weights its participants gave (colleges pooled
with their voices): when three people weighted the criteria of « Social », those weights are a
statistic of three people, whatever the college rule says (with everybody pooled there is no
college to hide). The attacker takes every output of every door — the framework tree (local
weight, global weight, and the global weights of the indicators below, from which
``global / global(parent)`` gives the local weight back), the weights figure, the facilitator's
summary, the evaluation's tables, the report's agreement table, the « Et si… ? » sliders — and
looks for the secret there. The rule (:func:`coopeval.data.disclosure.small_groups`) is the one of
the colleges (:func:`coopeval.data.disclosure.college_blocks` pools every college of such a group)
carried to the combined weights.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval import plots
from coopeval.evaluation import Evaluation
from coopeval.framework import ROOT
from coopeval.weighting.round_summary import agreement_summary

FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids
SOCIAL = FW.children("social")
PANEL = ce.datasets.load("panel_synthetique")
MESSAGE_FR = "moins de 5 participant·es les ont donnés"


def _judgements(dims: dict[str, int], social: dict[str, int], seed: int = 0) -> pd.DataFrame:
    """Points: ``dims[c]`` members of college ``c`` weight the dimensions, ``social[c]`` of them (the
    first ones, or others when ``dims[c]`` is 0) the criteria of « Social »."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, college in enumerate(sorted(set(dims) | set(social))):
        for i in range(max(dims.get(college, 0), social.get(college, 0))):
            groups = ([DIMS] if i < dims.get(college, 0) else []) + ([SOCIAL] if i < social.get(college, 0) else [])
            for kids in groups:
                pts = rng.dirichlet(np.ones(len(kids)) * (1 + 3 * c)) * 100
                rows += [{"session": "s", "round": 1, "participant": f"{college}_{i}", "college": college,
                          "method": "points", "node": k, "value": float(v)} for k, v in zip(kids, pts, strict=True)]
    return pd.DataFrame(rows)


def _ev(j: pd.DataFrame) -> Evaluation:
    return Evaluation(FW, PANEL["observations"], None, j, None, PANEL["units"], n=50)


def _secret(j: pd.DataFrame) -> pd.Series:
    """The combined weights of every group, small ones included: what the researcher holding the raw
    judgements can compute (disclosure control lifted), and what no output may let anyone recover."""
    with pytest.warns(ce.data.disclosure.SmallGroupDisclosureWarning):
        return ce.weighting.aggregate(j, FW, round=1, disclose_small_colleges=True).local


def _found(secret: pd.Series, outputs: list[pd.Series]) -> list[str]:
    """Which outputs give one of the secret's values (to the 4th decimal, finer than any display)."""
    out = []
    for s in outputs:
        for node, v in secret.items():
            if node in s.index and np.isfinite(s[node]) and abs(float(s[node]) - float(v)) < 5e-5:
                out.append(f"{s.name}:{node}")
    return out


def test_three_people_weighted_the_criteria_of_social():
    """14 people weighted the dimensions, three of them the criteria of « Social »."""
    j = _judgements({"habitants": 8, "salaries": 6}, {"habitants": 2, "salaries": 1})
    ev = _ev(j)
    ws = ev.weightset()
    secret = _secret(j)[SOCIAL]                                    # the three people's combined weights
    default = FW.default_weights("local")
    assert not np.allclose(secret, default[SOCIAL])
    # not used: the scores (and the Monte Carlo) keep the framework's default weights for « Social »,
    # else the scores of the 20 cooperations would give the three people's weights by least squares
    pd.testing.assert_series_equal(ws.local[SOCIAL], default[SOCIAL].rename("weight").astype(float))
    without = _ev(j[~j["node"].isin(SOCIAL)])
    pd.testing.assert_frame_equal(ev.scores(), without.scores())
    draws = ws.sample(20, np.random.default_rng(0))
    assert (draws[SOCIAL] == default[SOCIAL].to_numpy()).all().all()
    # the framework tree (the report's last figure): local weights, global weights, and below them
    table = plots.global_weights(FW, ws).set_index("node")
    glob = table["global_weight"]
    below = pd.Series({k: glob[FW.leaves(k)].sum() for k in SOCIAL})
    outputs = [table["local_weight"].rename("tree_local"),
               (glob / glob["social"]).rename("tree_global_ratio"),
               (below / glob["social"]).rename("tree_indicators_ratio")]
    ax = plots.framework_tree(FW, ws, max_level="indicator")
    labels = {x.get_gid()[5:]: x.get_text() for x in ax.texts if (x.get_gid() or "").startswith("node:")}
    shown_pct = pd.Series({k: float(labels[k].rsplit("(", 1)[1].split("\u202f")[0]) / 100
                           for k in SOCIAL if "%" in labels[k]}, dtype=float)
    assert shown_pct.empty, labels                                  # « (–) », never « (34 %) »
    # the weights figure of the group, the facilitator's summary, the evaluation's and report's tables
    fig = plots.weights_by_college(ws, parent="social", fw=FW)
    drawn = [ln.get_xdata()[0] for ln in fig.lines if ln.get_gid() == "combined"]
    assert drawn == []
    summary = agreement_summary(j, FW, round=1)
    ov = summary["overall"].set_index("node")
    outputs += [ov["mean"].rename("summary_mean"), ov["median"].rename("summary_median")]
    from coopeval.report.inputs import from_evaluation

    agreement = from_evaluation(ev, PANEL["units"]["unit"].iloc[0])["agreement"]
    assert "social" not in set(agreement["parent"])
    assert "social" not in set(ev.contested().get("parent", pd.Series(dtype=str)))
    assert ev.weights_by_college(level="criterion").empty
    assert _found(secret, outputs) == []
    assert (table.loc[SOCIAL, "local_weight"].isna()).all()
    assert table.loc[[n for k in SOCIAL for n in FW.leaves(k)], "global_weight"].isna().all()
    # what is hidden is said, in French first
    note = [x.get_text() for x in ax.texts if x.get_gid() == "small_groups"]
    assert note == ["Poids combinés non montrés pour « Social » : moins de 5 participant·es les ont donnés "
                    "(règle des petits groupes) ; les scores y gardent les poids par défaut du référentiel."]
    assert summary["small_groups"]["parent"].tolist() == ["social"] == ev.small_groups() == ws.small_groups()
    # the dimensions (14 people) are shown as before
    assert np.allclose(ev.dimension_weights(), ws.local[DIMS])
    assert np.allclose(table.loc[DIMS, "local_weight"], ws.local[DIMS])


def test_four_people_in_the_whole_deliberation():
    """Two habitant·es and two salarié·es: no college was shown, but the combined dimension weights
    — the mean of four people — were, on the sliders of « Et si… ? » and in the figure."""
    j = _judgements({"habitants": 2, "salaries": 2}, {})
    ev = _ev(j)
    secret = _secret(j)[DIMS]
    assert ev.weightset().local[DIMS].tolist() == FW.default_weights("local")[DIMS].tolist()   # not used
    with pytest.raises(ce.WeightingError, match=r"^Poids combinés non montrés pour les dimensions : moins de 5 "
                                                r"participant·es les ont donnés .* / Combined weights not shown for "
                                                r"the dimensions: fewer than 5 participants gave them"):
        ev.dimension_weights()
    fig = plots.weights_by_college(ev.weightset(), fw=FW)
    assert [ln for ln in fig.lines if ln.get_gid() == "combined"] == []
    assert MESSAGE_FR in " ".join(x.get_text() for x in fig.texts)
    assert agreement_summary(j, FW, round=1)["overall"].empty
    from coopeval.widgets.restitution import RestitutionApp

    app = RestitutionApp(ev)
    assert app.dim_sliders == {}
    sliders = pd.Series({d: s.value / 100 for d, s in app.dim_sliders.items()}, dtype=float, name="sliders")
    assert _found(secret, [sliders, plots.global_weights(FW, ev.weightset()).set_index("node")["local_weight"]
                           .rename("tree")]) == []
    whatif = app.tabs.children[4]
    texts = " ".join(getattr(w, "value", "") for w in whatif.children if isinstance(getattr(w, "value", ""), str))
    assert MESSAGE_FR in texts
    app._on_reset(None)                                            # nothing to reset, nothing refused
    # imported here, so that the attacks above run on any version of the package
    from coopeval.data.disclosure import small_groups

    assert small_groups({"overall": {"habitants": 2, "salaries": 2}}, 5) == [ROOT] == ev.small_groups()


def test_sample_project_unchanged():
    """The sample: 25 people weighted the dimensions, 15 the criteria of « Social »: nothing hidden."""
    ev = Evaluation.sample()
    ws = ev.weightset()
    assert ev.small_groups() == []
    pd.testing.assert_series_equal(ws.shown_local(), ws.local)
