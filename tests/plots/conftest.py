"""Small fixtures matching the data contracts that the figures draw.

Values are chosen by hand so that every drawn quantity (bar heights, vertices,
offsets) can be checked exactly in the tests.
"""

from __future__ import annotations

import matplotlib
import matplotlib.pyplot as plt
import pandas as pd
import pytest

matplotlib.use("Agg")

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


@pytest.fixture
def scores() -> pd.DataFrame:
    """Scores contract: units a, b; waves 1, 2; the 7 dimensions, 2 criteria and overall."""
    rows = []
    for u, base in (("a", 10.0), ("b", 20.0)):
        for w in (1, 2):
            for i, d in enumerate(DIMS):
                rows.append({"unit": u, "wave": w, "level": "dimension", "node": d,
                             "score": base + 10 * i + 5 * (w - 1), "coverage": 1.0})
            rows.append({"unit": u, "wave": w, "level": "criterion", "node": "lien_social", "score": base + 1,
                         "coverage": 1.0})
            rows.append({"unit": u, "wave": w, "level": "criterion", "node": "creation_emplois",
                         "score": base + 2, "coverage": 1.0})
            rows.append({"unit": u, "wave": w, "level": "overall", "node": "overall", "score": base + 30,
                         "coverage": 1.0})
    return pd.DataFrame(rows)


@pytest.fixture
def summary() -> pd.DataFrame:
    """Uncertainty summary contract for 4 units at wave 1 (overall and 3 dimensions of unit a)."""
    overall = pd.DataFrame({
        "unit": ["a", "b", "c", "d"], "wave": 1, "level": "overall", "node": "overall",
        "score_median": [50.0, 70.0, 60.0, 40.0], "score_low": [45.0, 60.0, 50.0, 38.0],
        "score_high": [55.0, 75.0, 68.0, 47.0], "rank_median": [3.0, 1.0, 2.0, 4.0],
        "rank_low": [2.0, 1.0, 1.0, 3.0], "rank_high": [4.0, 2.0, 3.0, 4.0]})
    dims = pd.DataFrame({
        "unit": "a", "wave": 1, "level": "dimension", "node": ["social", "emploi", "ecologie"],
        "score_median": [30.0, 60.0, 90.0], "score_low": [20.0, 55.0, 70.0], "score_high": [40.0, 65.0, 95.0],
        "rank_median": 1.0, "rank_low": 1.0, "rank_high": 2.0})
    return pd.concat([overall, dims], ignore_index=True)


@pytest.fixture
def top_k() -> pd.DataFrame:
    """Top-k contract ``unit, wave, node, k, probability``."""
    return pd.DataFrame({"unit": ["a", "b", "c", "a", "b", "c"], "wave": 1, "node": "overall",
                         "k": [1, 1, 1, 2, 2, 2], "probability": [0.1, 0.7, 0.2, 0.5, 0.9, 0.6]})


@pytest.fixture
def participant_weights() -> pd.DataFrame:
    """WeightSet.by_participant contract: 3 colleges (the last with 2 members), 3 dimensions."""
    rows = []
    data = {
        ("habitants", "p1"): [0.5, 0.3, 0.2], ("habitants", "p2"): [0.3, 0.3, 0.4],
        ("habitants", "p3"): [0.4, 0.3, 0.3],
        ("salarie_es", "p4"): [0.2, 0.6, 0.2], ("salarie_es", "p5"): [0.2, 0.4, 0.4],
        ("salarie_es", "p6"): [0.2, 0.5, 0.3],
        ("financeurs", "p7"): [0.1, 0.1, 0.8], ("financeurs", "p8"): [0.1, 0.3, 0.6],
    }
    for (college, p), ws in data.items():
        for node, w in zip(["social", "emploi", "ecologie"], ws, strict=True):
            rows.append({"participant": p, "college": college, "parent": "overall", "node": node, "weight": w})
    return pd.DataFrame(rows)


@pytest.fixture
def agreement() -> pd.DataFrame:
    """Agreement contract: ``node, cv, iqr, pct_agreement, college_p_value, contested``."""
    return pd.DataFrame({"parent": "overall", "node": ["social", "emploi", "ecologie"],
                         "cv": [0.2, 0.4, 0.8], "iqr": [0.1, 0.2, 0.3], "pct_agreement": [0.9, 0.7, 0.3],
                         "college_p_value": [0.5, 0.2, 0.001], "contested": [False, False, True]})


@pytest.fixture
def resources() -> pd.DataFrame:
    """Resources contract ``unit, source, category, amount`` (euros), French category spellings."""
    return pd.DataFrame({
        "unit": ["a", "a", "a", "a", "b", "b"],
        "source": ["ventes", "Région", "fondation", "bénévolat", "ventes", "commune"],
        "category": ["marchand", "non_marchand", "non_marchand", "non_monetaire", "market", "non_market"],
        "amount": [100.0, 50.0, 30.0, 20.0, 10.0, 30.0]})


@pytest.fixture
def tornado_data() -> pd.DataFrame:
    """Tornado contract ``parameter, low, high, value_low, value_high`` around a base of 2.0."""
    return pd.DataFrame({"parameter": ["deadweight", "proxy", "discount_rate"],
                         "low": [0.1, 40.0, 0.02], "high": [0.5, 60.0, 0.06],
                         "value_low": [2.4, 1.5, 2.1], "value_high": [1.6, 2.5, 1.95]})
