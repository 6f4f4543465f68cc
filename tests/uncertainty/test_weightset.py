"""Integration with the real ``coopeval.weighting.WeightSet`` (contract in the WeightSet interface).

Weights from the bundled deliberation (``deliberation_exemple``, aggregated by college) scored on
``panel_synthetique``: the nominal scores use ``ws.local``; the Monte Carlo draws ``ws.sample``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce


@pytest.fixture(scope="module")
def real():
    try:
        jug = ce.datasets.load("deliberation_exemple")
        obs = ce.datasets.load("panel_synthetique")["observations"]
    except Exception as err:  # pragma: no cover - datasets not installed
        pytest.skip(f"bundled datasets unavailable: {err}")
    fw = ce.load_framework("cooperation_territoriale")
    ws = ce.weighting.aggregate(jug, fw, by="college")
    return fw, obs, ws


def test_score_uses_local_weights(real):
    fw, obs, ws = real
    a = ce.score(obs, fw, weights=ws)
    b = ce.score(obs, fw, weights=ws.local.to_dict())
    pd.testing.assert_frame_equal(a, b)
    c = ce.score(obs, fw)
    assert not np.allclose(a.loc[a["node"] == "overall", "score"], c.loc[c["node"] == "overall", "score"],
                           equal_nan=True)


def test_uncertainty_draws_stakeholder_spread(real):
    fw, obs, ws = real
    mc = ce.uncertainty(obs, fw, weights=ws, n=300, seed=1, sensitivity_n=100)
    ov = mc.summary[mc.summary["node"] == "overall"].dropna(subset=["score"])
    assert (ov["score_high"] - ov["score_low"] > 0).any()
    assert ((ov["score_low"] <= ov["score_median"]) & (ov["score_median"] <= ov["score_high"])).all()
    assert mc.settings["weights_vary"] is True
    again = ce.uncertainty(obs, fw, weights=ws, n=300, seed=1, sensitivity_n=100)
    pd.testing.assert_frame_equal(mc.summary, again.summary)
    assert set(mc.sensitivity["input"]) >= {"weights:dimension"}


def test_degenerate_weightset(real):
    fw, obs, ws = real
    # a dict: WeightSet.from_local(fw, <Series>) currently fails in coopeval.weighting (reported)
    fixed = ce.weighting.WeightSet.from_local(fw, ws.local.to_dict())
    mc = ce.uncertainty(obs, fw, weights=fixed, n=50, sensitivity=False)
    ov = mc.summary.dropna(subset=["score"])
    np.testing.assert_allclose(ov["score_low"], ov["score"], rtol=1e-9)
    np.testing.assert_allclose(ov["score_high"], ov["score"], rtol=1e-9)
