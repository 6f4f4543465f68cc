"""Aggregation across participants and colleges (formulas recomputed by hand / numpy)."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.data.disclosure import SmallGroupDisclosureWarning
from coopeval.errors import WeightingError

#: The formulas are checked on a few participants: disclosure control lifted explicitly (audited).
RAW = {"disclose_small_colleges": True}
#: ... or a minimum of 4, so that the four participants of `small` are a group whose weights are used
#: (with the default 5, a group weighted by fewer people keeps the framework's default weights)
FOUR = {"min_group": 4}


def _points(p, college, values, rnd=1):
    return [{"session": "s", "round": rnd, "participant": p, "college": college, "method": "points",
             "node": n, "value": v} for n, v in zip(["creation_emplois", "qualite_emploi"], values, strict=True)]


@pytest.fixture
def small():
    rows = (_points("h1", "habitants", [80, 20]) + _points("h2", "habitants", [60, 40])
            + _points("h3", "habitants", [70, 30]) + _points("f1", "financeurs", [20, 80]))
    return pd.DataFrame(rows)


def test_by_college_then_shares_by_hand(small, fw):
    # habitants mean = 0.7, financeurs = 0.2; equal voices -> 0.45; 30/70 -> 0.35
    ws = ce.weighting.aggregate(small, fw, **FOUR)
    assert ws.local["creation_emplois"] == pytest.approx(0.45, abs=1e-12)
    with pytest.warns(SmallGroupDisclosureWarning, match="financeurs, habitants"):
        ws = ce.weighting.aggregate(small, fw, college_shares={"habitants": 0.3, "financeurs": 0.7}, **RAW)
    assert ws.local["creation_emplois"] == pytest.approx(0.3 * 0.7 + 0.7 * 0.2, abs=1e-12)
    assert ws.min_group is None  # marked: not publishable
    with pytest.warns(SmallGroupDisclosureWarning):
        pooled = ce.weighting.aggregate(small, fw, by="participant", **RAW)
    assert pooled.local["creation_emplois"] == pytest.approx((0.8 + 0.6 + 0.7 + 0.2) / 4, abs=1e-12)
    with pytest.warns(SmallGroupDisclosureWarning):
        med = ce.weighting.aggregate(small, fw, by="participant", method="median", **RAW)
    assert med.local["creation_emplois"] == pytest.approx(np.median([0.8, 0.6, 0.7, 0.2]) / 1.0, abs=1e-12)


def test_geometric_aggregation_by_hand(small, fw):
    ws = ce.weighting.aggregate(small, fw, method="geometric", **FOUR)
    h = np.exp(np.log([[0.8, 0.2], [0.6, 0.4], [0.7, 0.3]]).mean(axis=0))
    h /= h.sum()
    f = np.array([0.2, 0.8])
    comb = np.sqrt(h * f)
    comb /= comb.sum()
    assert ws.local[["creation_emplois", "qualite_emploi"]].tolist() == pytest.approx(comb.tolist(), abs=1e-12)


def test_groups_weighted_by_fewer_than_min_group_keep_default_weights(small, fw):
    """Four people weighted the criteria of « Emploi »: with the default minimum of 5 their mean is
    not used (the scores would give it back), the default weights stay; they are still the
    researcher's raw view (`by_participant`) and the group is named by `small_groups`."""
    ws = ce.weighting.aggregate(small, fw)
    default = fw.default_weights("local")
    assert ws.local.to_numpy() == pytest.approx(default[ws.nodes].to_numpy())
    assert ws.small_groups() == ["emploi"]
    assert len(ws.by_participant) == len(small)
    assert ce.weighting.aggregate(small, fw, **FOUR).small_groups() == []


def test_untouched_groups_keep_default_weights(small, fw):
    ws = ce.weighting.aggregate(small, fw, **FOUR)
    default = fw.default_weights("local")
    untouched = [n for n in fw.node_ids if fw.parent(n) != "emploi"]
    assert ws.local[untouched].to_numpy() == pytest.approx(default[untouched].to_numpy())
    assert ws.global_weights().sum() == pytest.approx(1.0)
    assert ws.by_college.columns.tolist() == ["college", "parent", "node", "weight"]
    hab = ws.by_college.set_index(["college", "node"]).at[("habitants", "creation_emplois"), "weight"]
    assert hab == pytest.approx(0.7)


def test_college_shares_validation(small, fw):
    with pytest.raises(WeightingError) as err:
        ce.weighting.aggregate(small, fw, college_shares={"habitants": 0.5, "elus": 0.5})
    keys = {i.key for i in err.value.issues}
    assert keys == {"financeurs", "elus"}
    with pytest.raises(WeightingError, match="summing to 1"):
        ce.weighting.aggregate(small, fw, college_shares={"habitants": 0.5, "financeurs": 0.6})
    with pytest.raises(WeightingError, match="statutory") as err:
        ce.weighting.aggregate(small, fw, college_shares={"habitants": 0.95, "financeurs": 0.05},
                               share_bounds=(0.10, 0.50))
    assert {i.key for i in err.value.issues} == {"habitants", "financeurs"}
    ok = ce.weighting.aggregate(small, fw, college_shares={"habitants": 0.5, "financeurs": 0.5},
                                share_bounds=(0.10, 0.50))
    assert ok.college_shares.sum() == pytest.approx(1.0)


def test_rounds_and_sessions(small, fw):
    r2 = small.assign(round=2, value=small["value"].where(small["participant"] != "f1", [50, 50] * 4))
    both = pd.concat([small, r2])
    last = ce.weighting.aggregate(both, fw, **FOUR)
    assert last.local["creation_emplois"] == pytest.approx((0.7 + 0.5) / 2)
    first = ce.weighting.aggregate(both, fw, round=1, **FOUR)
    assert first.local["creation_emplois"] == pytest.approx(0.45)
    with pytest.raises(WeightingError, match="round"):
        ce.weighting.aggregate(both, fw, round=7)
    with pytest.raises(WeightingError, match="session"):
        ce.weighting.aggregate(pd.concat([small, small.assign(session="t")]), fw)


@pytest.mark.filterwarnings("ignore::coopeval.data.disclosure.SmallGroupDisclosureWarning")
def test_mixed_methods_on_the_synthetic_session(judgements, fw):
    ws = ce.weighting.aggregate(judgements, fw, college_shares={
        "habitants": 0.3, "salarie_es": 0.2, "benevoles": 0.2, "collectivites": 0.15, "financeurs": 0.15},
        share_bounds=(0.10, 0.50), **RAW)
    sums = ws.local.groupby(pd.Series({n: fw.parent(n) for n in fw.node_ids})).sum()
    assert np.allclose(sums, 1.0)
    # combined = sum of shares x college means, recomputed from by_college
    bc = ws.by_college[ws.by_college["node"] == "social"].set_index("college")["weight"]
    expect = sum(ws.college_shares[c] * bc[c] for c in bc.index)
    assert ws.local["social"] == pytest.approx(expect, abs=1e-12)
    assert ws.by_participant["participant"].nunique() == 25


@pytest.mark.filterwarnings("ignore::coopeval.data.disclosure.SmallGroupDisclosureWarning")
@pytest.mark.parametrize("method", ["mean", "median", "geometric"])
def test_with_college_shares_equals_a_new_aggregation(judgements, fw, method):
    """Recombining cached college weights with other voices gives exactly what aggregating the
    judgements again gives (the « Et si… ? » college sliders use the former)."""
    base = ce.weighting.aggregate(judgements, fw, method=method, **RAW)
    for shares in ({"habitants": 0.3, "salarie_es": 0.2, "benevoles": 0.2, "collectivites": 0.15, "financeurs": 0.15},
                   {"habitants": 1.0, "salarie_es": 0.0, "benevoles": 0.0, "collectivites": 0.0, "financeurs": 0.0}):
        again = ce.weighting.aggregate(judgements, fw, method=method, college_shares=shares, **RAW)
        fast = base.with_college_shares(shares)
        pd.testing.assert_series_equal(fast.local, again.local, rtol=1e-14, atol=1e-15)
        pd.testing.assert_series_equal(fast.college_shares, again.college_shares)
        a, b = fast.sample(50, np.random.default_rng(1)), again.sample(50, np.random.default_rng(1))
        pd.testing.assert_frame_equal(a, b, rtol=1e-14, atol=1e-15)
    pd.testing.assert_series_equal(base.with_college_shares(None).local, base.local)
    with pytest.raises(WeightingError, match="college_shares"):
        base.with_college_shares({"habitants": 0.5, "inconnus": 0.5})
    with pytest.raises(WeightingError, match="college_shares"):
        ce.weighting.WeightSet.from_local(fw).with_college_shares({"habitants": 1.0})


# ---------------------------------------------------------------------- disclosure control (issue 16)
def test_extreme_voices_refused_by_aggregate_itself(judgements, fw):
    """``aggregate(j, college_shares={small: 1, others: 0})`` gave the small college's weights
    (collectivités: 4 participants; pooled with the smallest other college, bénévoles)."""
    with pytest.warns(SmallGroupDisclosureWarning):
        secret = ce.weighting.aggregate(judgements, fw, **RAW).by_college  # the researcher's raw view
    secret = secret[secret["college"] == "collectivites"].set_index("node")["weight"]
    alone = {"habitants": 0.0, "salarie_es": 0.0, "benevoles": 0.0, "collectivites": 1.0, "financeurs": 0.0}
    with pytest.raises(WeightingError, match=r"college_shares.*\(benevoles, collectivites\).*collectivites=1"):
        ce.weighting.aggregate(judgements, fw, college_shares=alone)
    base = ce.weighting.aggregate(judgements, fw)
    assert base.min_group == 5
    with pytest.raises(WeightingError, match="college_shares"):
        base.with_college_shares(alone)          # the cached door (« Et si… ? » sliders) too
    with pytest.raises(WeightingError, match=r"`by`.*benevoles=5, collectivites=4"):
        ce.weighting.aggregate(judgements, fw, by="participant")   # sizes as voices: a second combination
    block = {"habitants": 0.0, "salarie_es": 0.0, "benevoles": 0.5, "collectivites": 0.5, "financeurs": 0.0}
    ok = ce.weighting.aggregate(judgements, fw, college_shares=block)
    assert not np.allclose(ok.local[secret.index], secret, atol=1e-6)   # only the block's mean comes out
    assert ce.weighting.aggregate(judgements, fw, min_group=4).with_college_shares(alone).local[
        secret.index].to_numpy() == pytest.approx(secret.to_numpy(), abs=1e-12)   # 4 is not under 4
    with pytest.raises(WeightingError, match="min_group"):
        ce.weighting.aggregate(judgements, fw, min_group=0)


def test_opt_out_is_audited(judgements, fw, caplog):
    alone = {"habitants": 0.0, "salarie_es": 0.0, "benevoles": 0.0, "collectivites": 1.0, "financeurs": 0.0}
    with caplog.at_level("WARNING", logger="coopeval.disclosure"), \
            pytest.warns(SmallGroupDisclosureWarning, match="Do not publish"):
        ws = ce.weighting.aggregate(judgements, fw, college_shares=alone, disclose_small_colleges=True)
    assert "benevoles, collectivites" in caplog.text and ws.min_group is None
    ws.with_college_shares(alone)   # an unprotected set stays unprotected, no second warning needed
