"""Tests of coopeval.stats.scales (reverse coding, scale scores)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from coopeval.errors import StatsError
from coopeval.stats import StatsWarning, code_items, scale_scores


def test_scale_scores_by_hand(fw):
    """r1: appartenance 4, 5 and reversed 2 -> (4 + 5 + 4) / 3; r2 answered 1 item of 3
    (below min_items = 0.5) -> no score; unit level = mean of respondent scores."""
    r = pd.DataFrame({
        "respondent": ["r1"] * 3 + ["r2"] + ["r3"] * 3, "unit": "u", "wave": 1, "college": "habitants",
        "item": ["appartenance_membre", "appartenance_fierte", "appartenance_isolement",
                 "appartenance_membre", "appartenance_membre", "appartenance_fierte", "appartenance_isolement"],
        "value": [4, 5, 2, 3, 2, 2, 5]})
    rs = scale_scores(r, fw).set_index("respondent")
    assert rs.loc["r1", "value"] == pytest.approx(13 / 3)
    assert rs.loc["r3", "value"] == pytest.approx((2 + 2 + 1) / 3)
    assert "r2" not in rs.index
    unit = scale_scores(r, fw, level="unit").iloc[0]
    assert unit["value"] == pytest.approx((13 / 3 + 5 / 3) / 2) and unit["n"] == 2


def test_code_items_warns_on_unknown_items(fw):
    r = pd.DataFrame({"respondent": [1, 1], "item": ["agir_confiance", "inconnu"], "value": [3, 4]})
    with pytest.warns(StatsWarning, match="inconnu"):
        out = code_items(r, fw)
    assert out["indicator"].tolist() == ["pouvoir_agir"]


def test_missing_values_dropped_and_all_missing_raise(fw):
    r = pd.DataFrame({"respondent": [1, 2], "item": ["agir_confiance"] * 2, "value": [3, np.nan]})
    assert len(code_items(r, fw)) == 1
    with pytest.raises(StatsError, match="all missing"):
        code_items(r.assign(value=np.nan), fw)
    with pytest.raises(StatsError, match="`level`"):
        scale_scores(r, fw, level="college")
    with pytest.raises(StatsError, match="Framework"):
        code_items(r, fw="cooperation_territoriale")
