"""Content of ``deliberation_exemple``: the encoding of each method, the documented effects
(college disagreement, convergence in round 2, unchanged participants) and byte-identical
regeneration by its seeded script.
"""

from __future__ import annotations

import importlib.util
from fractions import Fraction

import numpy as np
import pytest

import coopeval as ce
from coopeval.resources import datasets_dir

FOLDER = datasets_dir() / "deliberation_exemple"
KEYS = ["participant", "round", "group"]
SAATY = [Fraction(1, k) for k in range(9, 1, -1)] + [Fraction(k) for k in range(1, 10)]


def _generator():
    spec = importlib.util.spec_from_file_location("delib_generate", FOLDER / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def judgements(fw):
    j = ce.datasets.load("deliberation_exemple")
    dims = fw.children("overall")
    first = j["node"].str.split("|").str[0]
    overall = first.isin(dims) | j["node"].isin(["__blanc__", "overall:z"])
    j["group"] = np.where(overall, "overall", "social")
    return j


def _cards(j):
    return j[~j["node"].isin(["__blanc__", "overall:z", "social:z"])]


def test_regeneration_is_byte_identical(tmp_path):
    _generator().generate(tmp_path)
    assert (tmp_path / "judgements.csv").read_bytes() == (FOLDER / "judgements.csv").read_bytes()


def test_design(judgements):
    j = judgements
    assert set(j["session"]) == {"atelier_2025"}
    assert set(j["round"]) == {1, 2}
    per = j.groupby("participant")[["college", "method"]].nunique()
    assert len(per) == 25 and (per == 1).all().all()
    people = j.drop_duplicates("participant")
    assert people.groupby("college").size().eq(5).all() and people["college"].nunique() == 5
    assert people.groupby(["college", "method"]).size().eq(1).all()
    assert set(j["method"]) == {"points", "ranking", "direct", "ahp", "simos"}
    counts = _cards(j).groupby(["participant", "round"]).size().unstack()
    assert (counts[1] == counts[2]).all(), "same nodes judged in both rounds"
    assert j.loc[j["group"] == "social", "participant"].nunique() == 15


def test_nodes_are_framework_siblings(judgements, fw):
    groups = {"overall": fw.children("overall"), "social": fw.children("social")}
    for (method, group), sub in judgements.groupby(["method", "group"]):
        siblings = groups[group]
        if method == "ahp":
            for (_p, _r), g in sub.groupby(["participant", "round"]):
                pairs = [tuple(n.split("|")) for n in g["node"]]
                expected = [(a, b) for i, a in enumerate(siblings) for b in siblings[i + 1:]]
                assert pairs == expected
        else:
            for (_p, _r), g in _cards(sub).groupby(["participant", "round"]):
                assert sorted(g["node"]) == sorted(siblings)


def test_method_encodings(judgements):
    j = judgements
    for (p, r, _g), g in j[j["method"] == "points"].groupby(KEYS):
        assert g["value"].sum() == 100, (p, r)
        assert (g["value"] % 5 == 0).all() and (g["value"] >= 0).all()
    for (_p, _r, _g), g in j[j["method"] == "ranking"].groupby(KEYS):
        assert sorted(g["value"]) == list(range(1, len(g) + 1))
    direct = j.loc[j["method"] == "direct", "value"]
    assert direct.between(0, 10).all() and (direct == np.round(direct)).all()
    ahp = j.loc[j["method"] == "ahp", "value"]
    for v in ahp:
        assert min(abs(v - float(s)) for s in SAATY) < 1e-9, v
    assert (ahp < 1).any() and (ahp > 1).any()
    for (_p, _r, _g), g in j[j["method"] == "simos"].groupby(KEYS):
        z = g.loc[g["node"] == "overall:z", "value"]
        assert len(z) == 1 and 2 <= z.iloc[0] <= 9 and z.iloc[0] == round(z.iloc[0])
        g = g[g["node"] != "overall:z"]
        positions = sorted(set(g["value"]))
        assert positions == list(range(1, int(max(positions)) + 1))
        blanks = g.loc[g["node"] == "__blanc__", "value"]
        cards = g.loc[g["node"] != "__blanc__", "value"]
        assert not set(blanks) & set(cards), "a blank card occupies its own position"
        assert cards.min() == 1
    assert (j["node"] == "__blanc__").sum() >= 2


def test_usable_by_ce_weighting(judgements, fw):
    """End to end: without the ``__blanc__`` rows (whose positions are the gaps the
    weighting contract reads as blank cards), ``ce.weighting`` turns every participant's
    judgements into weights, and the documented effects show in those weights."""
    cols = ["session", "round", "participant", "college", "method", "node", "value", "reason"]
    raw = judgements[judgements["node"] != "__blanc__"][cols]
    w = ce.weighting.participant_weights(raw, fw)
    top = w[w["parent"] == "overall"]
    assert top["participant"].nunique() == 25
    assert np.allclose(top.groupby(["participant", "round"])["weight"].sum(), 1, atol=0.02)
    eco = top[top["node"] == "economie"].groupby(["round", "college"])["weight"].mean().unstack()
    assert (eco["financeurs"] > eco.drop(columns="financeurs").max(axis=1) + 0.08).all()
    spread = top.groupby(["round", "node"])["weight"].std().groupby("round").mean()
    assert spread[2] < spread[1]


def test_reasons_are_short_anonymous_text(judgements):
    reasons = judgements["reason"].dropna()
    assert len(reasons) >= 25
    assert reasons.str.len().max() < 120
    assert not reasons.str.contains(r"@|\d{2} ?\d{2} ?\d{2}", regex=True).any()
    assert judgements.loc[judgements["method"] == "ahp", "reason"].isna().all()


def _weights(j, method):
    sub = j[(j["method"] == method) & (j["group"] == "overall")].copy()
    sub["w"] = sub["value"] / sub.groupby(["participant", "round"])["value"].transform("sum")
    return sub


@pytest.mark.parametrize("method", ["points", "direct"])
def test_round_two_converges(judgements, method):
    w = _weights(judgements, method)
    spread = w.groupby(["round", "node"])["w"].std().groupby("round").mean()
    assert spread[2] < 0.9 * spread[1], spread.to_dict()


def test_ranking_converges(judgements):
    r = judgements[(judgements["method"] == "ranking") & (judgements["group"] == "overall")]
    spread = r.groupby(["round", "node"])["value"].std().groupby("round").mean()
    assert spread[2] < spread[1]


def test_unchanged_participants(judgements):
    gen = _generator()
    cols = ["participant", "college", "method", "node", "value", "reason"]
    same = []
    for p, g in judgements.groupby("participant"):
        r1 = g[g["round"] == 1][cols].reset_index(drop=True)
        r2 = g[g["round"] == 2][cols].reset_index(drop=True)
        if r1.equals(r2):
            same.append(p)
    assert set(same) == gen.UNCHANGED


@pytest.mark.parametrize("method", ["points", "direct"])
def test_financeurs_disagree_on_economie(judgements, method):
    w = _weights(judgements, method)
    for rnd in (1, 2):
        eco = w[(w["node"] == "economie") & (w["round"] == rnd)]
        fin = eco.loc[eco["college"] == "financeurs", "w"].mean()
        others = eco.loc[eco["college"] != "financeurs", "w"]
        assert fin > others.max(), (rnd, fin, others.tolist())
        assert fin - others.mean() > 0.05
