"""Method is not disagreement (issue 15): two colleges giving the same order of importance,
one with 100 points and one with a ranking, must not be flagged as disagreeing."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coopeval as ce

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie"]


def _judgements(order_b: list[str], seed: int = 0) -> pd.DataFrame:
    """College A allocates 100 points in the order DIMS (with individual noise); college B
    ranks the dimensions in ``order_b``. Six participants each."""
    rng = np.random.default_rng(seed)
    rows = []
    base = np.array([30, 22, 17, 13, 10, 8])
    for i in range(6):
        pts = base + rng.integers(-2, 3, size=6)
        pts = np.maximum.accumulate(pts[::-1])[::-1] + np.arange(6)[::-1]  # keep the order strict
        pts = np.round(pts / pts.sum() * 100).astype(int)
        pts[0] += 100 - pts.sum()
        rows += [("s", 1, f"a{i}", "habitants", "points", d, float(p)) for d, p in zip(DIMS, pts, strict=True)]
        rows += [("s", 1, f"b{i}", "financeurs", "ranking", d, float(order_b.index(d) + 1)) for d in DIMS]
    return pd.DataFrame(rows, columns=ce.weighting.JUDGEMENT_COLUMNS)


@pytest.fixture(scope="module")
def fw():
    return ce.load_framework("cooperation_territoriale")


def test_same_order_two_methods_is_not_disagreement(fw):
    assert set(DIMS) <= set(fw.children("overall"))
    fw6 = fw.select(dimensions=DIMS)
    ws = ce.weighting.aggregate(_judgements(DIMS), fw6)
    pw = ws.by_participant
    # the raw weights differ between the colleges (this is what used to be flagged):
    # Kruskal-Wallis on raw weights finds the "disagreement" of the issue on every dimension
    raw_p = [stats.kruskal(*[g["weight"] for _, g in pw[pw["node"] == d].groupby("college")]).pvalue for d in DIMS]
    assert max(raw_p) < 0.01
    with pytest.warns(UserWarning, match="confounded"):
        table = ce.weighting.agreement_table(ws)
    assert (table["college_test"] == "order").all()
    # same order in both colleges: no college disagreement on any dimension
    assert not (table["college_p_value"] < 0.05).any()
    with pytest.warns(UserWarning, match="confounded"):
        cont = ce.weighting.contested_nodes(ws)
    assert not cont["reason"].astype(str).str.contains("désaccord entre collèges").any()
    # the method effect is reported apart, as shifts: the ranking (ROC) gives the first dimension more
    me = ce.weighting.method_effects(ws).set_index(["node", "method"])
    assert me.at[("social", "ranking"), "shift"] > 0 > me.at[("social", "points"), "shift"]
    assert (me["p_value"] < 0.05).any()


def test_opposite_order_two_methods_is_disagreement(fw):
    """Positive control: the same design with college B's order reversed is flagged."""
    fw6 = fw.select(dimensions=DIMS)
    ws = ce.weighting.aggregate(_judgements(DIMS[::-1]), fw6)
    with pytest.warns(UserWarning, match="confounded"):
        table = ce.weighting.agreement_table(ws).set_index("node")
    assert table.at["social", "college_p_value"] < 0.01
    assert table.at["economie", "college_p_value"] < 0.01


def test_no_warning_when_methods_are_spread_over_colleges():
    """The bundled deliberation: every college used every method (Cramér's V = 0), no warning."""
    ws = ce.evaluation.Evaluation.sample().weightset()
    assert ce.weighting.college_method_overlap(ws.by_participant) == pytest.approx(0.0, abs=1e-12)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = ce.weighting.agreement_table(ws)
    assert (table.loc[table["parent"] == "overall", "college_test"] == "order").all()


def test_cramers_v_matches_scipy():
    """Cramér's V against scipy.stats.contingency.association (no continuity correction)."""
    rng = np.random.default_rng(3)
    pw = pd.DataFrame({"participant": [f"p{i}" for i in range(40)], "parent": "overall",
                       "college": rng.choice(["a", "b", "c"], 40), "method": rng.choice(["x", "y"], 40)})
    tab = pd.crosstab(pw["college"], pw["method"]).to_numpy()
    ref = stats.contingency.association(tab, method="cramer", correction=False)
    assert ce.weighting.college_method_overlap(pw) == pytest.approx(ref, abs=1e-12)


def _one_college(per_method: int) -> pd.DataFrame:
    """One college, three methods (points, direct rating, ranking), ``per_method`` members each;
    every member's order of importance differs a little."""
    rng = np.random.default_rng(7)
    rows = []
    for i in range(per_method):
        for m in ("points", "direct", "ranking"):
            order = list(rng.permutation(DIMS))
            vals = {"points": [30, 22, 17, 13, 10, 8], "direct": [9, 8, 6, 5, 3, 2], "ranking": [1, 2, 3, 4, 5, 6]}[m]
            rows += [("s", 1, f"{m}{i}", "habitants", m, d, float(vals[order.index(d)])) for d in DIMS]
    return pd.DataFrame(rows, columns=ce.weighting.JUDGEMENT_COLUMNS)


def test_one_member_per_method_is_not_estimable(fw):
    """Each member of the college used a different method: once the method effect is taken out
    no residual is left (n - k = 0 degrees of freedom, Scheffé 1959), so the dispersion is NaN
    with its reason, not a perfect agreement (the sample project's « 100 % · 0,00 »)."""
    fw6 = fw.select(dimensions=DIMS)
    pw = ce.weighting.aggregate(_one_college(1), fw6).by_participant
    assert pw.groupby("node")["weight"].std().gt(0.02).all()  # the members do differ
    table = ce.weighting.agreement_table(pw)
    assert (table["not_estimable"] == "one_member_per_method").all()
    assert table["cv"].isna().all() and table["pct_agreement"].isna().all()
    assert not table["contested"].any()
    # the raw quantiles are still shown: they are the members' weights, method included
    social = pw.loc[pw["node"] == "social", "weight"]
    assert table.set_index("node").at["social", "q3"] == pytest.approx(social.quantile(0.75), abs=1e-12)


def test_two_members_per_method_keeps_the_centred_dispersion(fw):
    """Positive control: two members per method leave n - k = 3 residuals; cv and agreement are the
    ones of the weights centred on their method's mean, recomputed here by hand."""
    fw6 = fw.select(dimensions=DIMS)
    pw = ce.weighting.aggregate(_one_college(2), fw6).by_participant
    table = ce.weighting.agreement_table(pw).set_index("node")
    assert (table["not_estimable"] == "").all()
    g = pw[pw["node"] == "social"]
    centred = g["weight"] - g.groupby("method")["weight"].transform("mean") + g["weight"].mean()
    assert table.at["social", "cv"] == pytest.approx(centred.std(ddof=1) / centred.mean(), abs=1e-12)
    med = centred.median()
    assert table.at["social", "pct_agreement"] == pytest.approx(((centred - med).abs() <= 0.25 * med).mean())
