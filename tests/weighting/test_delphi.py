"""Delphi rounds: consensus, stability (Wilcoxon / Friedman via scipy), stopping rule, feedback."""

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coopeval as ce
from coopeval.errors import WeightingError


def test_consensus_table(judgements, fw):
    rule = ce.weighting.StoppingRule()
    cons = ce.weighting.consensus(judgements, fw, rule)
    assert cons.columns.tolist() == ["round", "parent", "node", "n", "median", "q1", "q3", "iqr", "rel_iqr",
                                     "pct_agreement", "consensus"]
    r1 = cons[cons["round"] == 1].set_index("node")
    pw = ce.weighting.participant_weights(judgements, fw)
    w = pw[(pw["round"] == 1) & (pw["node"] == "social")]["weight"].to_numpy()
    assert r1.at["social", "median"] == pytest.approx(np.median(w))
    assert r1.at["social", "pct_agreement"] == pytest.approx(np.mean(np.abs(w - np.median(w)) <= 0.25 * np.median(w)))
    # round 2 moved everyone towards the median: more consensus
    assert cons.groupby("round")["consensus"].mean().is_monotonic_increasing


def test_stability_against_scipy(judgements, fw):
    stab = ce.weighting.stability(judgements, fw, tol=0.01)
    pw = ce.weighting.participant_weights(judgements, fw)
    wide = pw[pw["node"] == "social"].pivot(index="participant", columns="round", values="weight")
    row = stab.set_index("node").loc["social"]
    assert row["wilcoxon_p"] == pytest.approx(stats.wilcoxon(wide[1], wide[2]).pvalue, abs=1e-12)
    assert row["share_changed"] == pytest.approx(np.mean(np.abs(wide[2] - wide[1]) > 0.01))
    assert np.isnan(row["friedman_p"])  # only two rounds


def test_friedman_with_three_rounds(judgements, fw):
    r3 = judgements[judgements["round"] == 2].assign(round=3)
    three = pd.concat([judgements, r3])
    stab = ce.weighting.stability(three, fw)
    pw = ce.weighting.participant_weights(three, fw)
    wide = pw[pw["node"] == "ecologie"].pivot(index="participant", columns="round", values="weight")
    expect = stats.friedmanchisquare(wide[1], wide[2], wide[3]).pvalue
    got = stab[stab["node"] == "ecologie"]["friedman_p"].iloc[0]
    assert got == pytest.approx(expect, abs=1e-12)
    last = stab[stab["round_to"] == 3]
    assert (last["share_changed"] == 0).all() and last["wilcoxon_p"].isna().all()
    status = ce.weighting.delphi_status(three, fw, ce.weighting.StoppingRule(max_rounds=5))
    assert status.loc[status["round"] == 3, "stop"].item()
    assert "stables" in status.loc[status["round"] == 3, "reason"].item()


def test_stopping_rule_is_fixed_and_validated():
    rule = ce.weighting.StoppingRule(max_rounds=3)
    with pytest.raises(AttributeError):
        rule.max_rounds = 4  # frozen: fixed before the session
    assert rule.fingerprint() == ce.weighting.StoppingRule(max_rounds=3).fingerprint()
    assert rule.fingerprint() != ce.weighting.StoppingRule(max_rounds=4).fingerprint()
    with pytest.raises(WeightingError, match="min_agreement"):
        ce.weighting.StoppingRule(min_agreement=1.5)


def test_max_rounds_stops(judgements, fw):
    status = ce.weighting.delphi_status(judgements, fw, ce.weighting.StoppingRule(max_rounds=2,
                                                                                 min_consensus_share=1.0,
                                                                                 max_changed_share=0.0))
    assert status["stop"].tolist() == [False, True]
    assert "maximal" in status["reason"].iloc[1]


def test_feedback_is_anonymous(judgements, fw):
    j = judgements.copy()
    j["reason"] = None
    j.loc[(j["participant"] == "hab1") & (j["node"] == "social"), "reason"] = "le lien social avant tout"
    fb = ce.weighting.feedback(j, fw, round=1)
    assert fb.columns.tolist() == ["participant", "parent", "node", "own_weight", "group_median", "group_q1",
                                   "group_q3", "n", "position", "reasons"]
    soc = fb[fb["node"] == "social"].set_index("participant")
    assert soc.at["hab2", "reasons"] == "le lien social avant tout"
    assert soc.at["hab1", "reasons"] == ""  # one's own reason is not fed back
    assert not fb["reasons"].str.contains("hab").any()
    below = soc["own_weight"] < soc["group_q1"]
    assert (soc.loc[below, "position"] == "en dessous").all()
    # groups smaller than min_group are withheld
    small = ce.weighting.feedback(j, fw, round=1, min_group=30)
    assert small["group_median"].isna().all() and (small["reasons"] == "").all()


def test_status_after_a_single_round(fw):
    """Regression: with one round the stability table is empty (no pair of rounds) and the
    status must still be computed (share_changed NaN), not raise KeyError."""
    import coopeval as ce
    from coopeval.weighting import StoppingRule, delphi_status, stability

    j = ce.datasets.load("deliberation_exemple")
    one = j[j["round"] == j["round"].min()]
    assert stability(one, fw).empty
    status = delphi_status(one, fw, StoppingRule())
    assert len(status) == 1 and status["share_changed"].isna().all()
