"""The facilitator's round summary gives no small college back by difference.

:func:`coopeval.weighting.round_summary.agreement_summary` shows, node by node, the agreement of all
participants (``n``, ``mean``…) and of each college. Hiding a small college alone is not enough: the
attacker multiplies every mean shown by its ``n`` and subtracts the colleges shown from the
all-participants row — what is left is the sum of the colleges not shown, and when that is one
small college, its mean weight (the secret) comes out exactly. The rule of
:mod:`coopeval.data.disclosure` (block rule per group of sibling nodes: the small colleges are
pooled with the smallest others, at least two colleges and ``min_group`` people) leaves only a
block of at least ``min_group`` people, and a group weighted by fewer than ``min_group``
participants in all shows nothing (secondary cell suppression: Hundepool et al., 2012,
*Statistical Disclosure Control*, Wiley, ch. 4).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.data.disclosure import college_blocks
from coopeval.weighting import participant_weights
from coopeval.weighting.round_summary import agreement_summary

FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids
SOCIAL = FW.children("social")


def _judgements(sizes: dict[str, int], seed: int = 0, social: dict[str, int] | None = None) -> pd.DataFrame:
    """Points: every member of college ``c`` weights the dimensions; the first ``social[c]`` also
    weight the criteria of « Social ». Each college has views of its own (distinct secrets)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, (college, n) in enumerate(sizes.items()):
        for i in range(n):
            groups = [DIMS] + ([SOCIAL] if social is not None and i < social.get(college, 0) else [])
            for kids in groups:
                pts = rng.dirichlet(np.ones(len(kids)) * (1 + 3 * c)) * 100
                rows += [{"session": "s", "round": 1, "participant": f"{college}_{i}", "college": college,
                          "method": "points", "node": k, "value": float(v)} for k, v in zip(kids, pts, strict=True)]
    return pd.DataFrame(rows)


def _remainder(out: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The attack: per node, all participants minus every college shown (``n`` and ``mean × n``)."""
    ov = out["overall"].set_index(["parent", "node"])
    bc = out["by_college"]
    if bc.empty:
        shown = pd.DataFrame(0.0, index=ov.index, columns=["n", "sum"])
    else:
        shown = bc.assign(sum=bc["mean"] * bc["n"]).groupby(["parent", "node"])[["n", "sum"]].sum()
        shown = shown.reindex(ov.index, fill_value=0.0)
    n = ov["n"] - shown["n"]
    return pd.DataFrame({"n": n, "mean": (ov["mean"] * ov["n"] - shown["sum"]) / n.where(n > 0)})


def _secret(j: pd.DataFrame, college: str) -> pd.Series:
    """What the attacker wants: the small college's mean weight of each node (the raw judgements)."""
    pw = participant_weights(j, FW)
    return pw[pw["college"] == college].groupby(["parent", "node"])["weight"].mean()


def test_a_small_college_is_not_left_alone_after_subtraction():
    """Six habitant·es, six salarié·es, three élu·es: before, the habitant·es and salarié·es were
    shown, and the all-participants mean minus theirs gave the three élu·es' mean exactly."""
    sizes = {"habitants": 6, "salaries": 6, "elus": 3}
    j = _judgements(sizes)
    out = agreement_summary(j, FW, round=1)
    secret = _secret(j, "elus")
    rest = _remainder(out)
    assert (rest["n"] >= 5).all()                      # what is left is a block of at least 5 people
    assert not np.allclose(rest["mean"].to_numpy(), secret.reindex(rest.index).to_numpy(), atol=1e-6)
    # only the college the block rule shows alone is shown (élu·es pooled with the habitant·es)
    assert college_blocks(sizes, 5) == (["salaries"], ["elus", "habitants"])
    assert set(out["by_college"]["college"]) == {"salaries"}
    assert (out["by_college"]["n"] >= 5).all()
    # the counts of who answered stay (a count is no weight): they give the block's size, not its split
    assert out["counts"].set_index("college")["n_participants"].to_dict() == sizes


def test_a_college_large_in_the_round_small_in_one_group():
    """Six élu·es answered the round, three weighted the criteria of « Social »: counted in the
    round they were shown, and the « Social » rows minus the habitant·es and salarié·es gave the
    three élu·es' criteria weights. Decided per group, they are pooled there."""
    sizes = {"habitants": 8, "salaries": 6, "elus": 6}
    j = _judgements(sizes, seed=2, social={"habitants": 8, "salaries": 6, "elus": 3})
    out = agreement_summary(j, FW, round=1)
    rest = _remainder(out).loc["social"]
    secret = _secret(j, "elus").loc["social"]
    assert (rest["n"] >= 5).all()
    assert not np.allclose(rest["mean"].to_numpy(), secret.reindex(rest.index).to_numpy(), atol=1e-6)
    bc = out["by_college"]
    assert set(bc.loc[bc["parent"] == "social", "college"]) == {"habitants"}
    assert set(bc.loc[bc["parent"] == "overall", "college"]) == set(sizes)   # everyone weighted the dimensions


def test_a_group_under_the_minimum_shows_nothing():
    """Four people (two colleges) weighted the criteria of « Social »: the all-participants row was
    their mean weight — no college hidden, but a group of four. Now no row, and the reason."""
    j = _judgements({"habitants": 8, "salaries": 6}, seed=3, social={"habitants": 2, "salaries": 2})
    out = agreement_summary(j, FW, round=1)
    for key in ("overall", "by_college", "contested"):
        assert "social" not in set(out[key].get("parent", pd.Series(dtype=str))), key
    assert out["small_groups"]["parent"].tolist() == ["social"]
    assert set(out["overall"]["parent"]) == {"overall"}
    # the stopping rule's share of nodes in consensus counts the dimensions only: with the four
    # people's « Social » nodes in it, the share minus the dimensions' flags gave how many of their
    # nodes reached consensus (a statistic of four people)
    from coopeval.weighting.delphi import consensus

    soc = j["node"].isin(SOCIAL)
    j.loc[soc, "value"] = j[soc].groupby("node")["value"].transform("first")   # the four agree
    out = agreement_summary(j, FW, round=1)
    dims_only = consensus(j[j["node"].isin(DIMS)], FW)["consensus"].mean()
    assert out["status"]["share_consensus"].tolist() == [dims_only]
    with_social = consensus(j, FW)["consensus"].mean()
    assert with_social != dims_only      # the attack had something to find in this panel


@st.composite
def panels(draw):
    k = draw(st.integers(3, 6))
    sizes = {f"c{i}": draw(st.integers(1, 8)) for i in range(draw(st.integers(2, 4)))}
    social = {c: draw(st.integers(0, n)) for c, n in sizes.items()}
    return sizes, social, k, draw(st.integers(0, 10_000))


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_whatever_the_sizes_no_statistic_of_fewer_than_min_group(panel):
    """Every row shown is a statistic of at least ``k`` people, and so is every remainder by
    difference; a college alone is never left over."""
    sizes, social, k, seed = panel
    j = _judgements(sizes, seed, social)
    out = agreement_summary(j, FW, round=1, min_group=k)
    pw = participant_weights(j, FW)
    if not out["overall"].empty:
        assert (out["overall"]["n"] >= k).all()
        rest = _remainder(out)
        assert ((rest["n"] == 0) | (rest["n"] >= k)).all()
    if not out["by_college"].empty:
        assert (out["by_college"]["n"] >= k).all()
        for (parent, node), g in out["by_college"].groupby(["parent", "node"]):
            left = set(pw.loc[(pw["parent"] == parent) & (pw["node"] == node), "college"]) - set(g["college"])
            assert len(left) != 1, (sizes, social, k, parent, node)    # never one college left over
    for parent in out["small_groups"]["parent"]:
        assert pw.loc[pw["parent"] == parent, "participant"].nunique() < k
