"""Copeland and Condorcet–Kemeny rankings.

Published worked example: the "Tennessee capital" election used by Wikipedia's articles
"Kemeny–Young method" and "Copeland's method" (after Kemeny 1959 / Copeland 1951): voter
shares 42 % Memphis > Nashville > Chattanooga > Knoxville, 26 % Nashville > Chattanooga >
Knoxville > Memphis, 15 % Chattanooga > Knoxville > Nashville > Memphis, 17 % Knoxville >
Chattanooga > Nashville > Memphis. Published results: Copeland — Nashville 3 wins, Chattanooga 2,
Knoxville 1, Memphis 0; Kemeny–Young ranking Nashville > Chattanooga > Knoxville > Memphis
(ranking score 393 per 100 voters, i.e. 3.93 as shares). Each voter bloc is an "indicator" whose
weight is its share and whose value is the points it gives (4 to the first, 1 to the last).

Where read (audit 2026-11-26): the four blocs and their orders in fact-index.com's copy of the
Wikipedia article "Coombs' method" (http://www.fact-index.com/c/co/coombs__method.html); the
Kemeny–Young result in electowiki's "Kemeny–Young method" (Example section): winning ranking
Nashville > Chattanooga > Knoxville > Memphis with distance (disagreement) score
32 + 32 + 42 + 17 + 42 + 42 = 207, i.e. agreement 6 × 100 − 207 = 393 per 100 voters (3.93 as
shares), the ranking score quoted above. Copeland's counts follow from the same pairwise
majorities (Nashville beats all three, Chattanooga beats Knoxville and Memphis, Knoxville beats
Memphis).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.framework import Framework
from coopeval.scoring import rank_noncompensatory
from coopeval.scoring.noncompensatory import kemeny_order, outranking_matrix

CITIES = ["memphis", "nashville", "chattanooga", "knoxville"]
BLOCS = {"bloc42": (42, ["memphis", "nashville", "chattanooga", "knoxville"]),
         "bloc26": (26, ["nashville", "chattanooga", "knoxville", "memphis"]),
         "bloc15": (15, ["chattanooga", "knoxville", "nashville", "memphis"]),
         "bloc17": (17, ["knoxville", "chattanooga", "nashville", "memphis"])}


@pytest.fixture(scope="module")
def election():
    inds = [{"id": b, "label_fr": b, "label_en": b, "unit": "points", "kind": "quantitative", "direction": "increase",
             "lower": 1, "upper": 4, "source": "survey", "weight": w} for b, (w, _) in BLOCS.items()]
    fw = Framework.from_dict({"id": "tennessee", "title_fr": "t", "title_en": "t",
                              "dimensions": [{"id": "vote", "label_fr": "v", "label_en": "v", "indicators": inds}]})
    rows = [(city, 1, b, 4 - order.index(city)) for b, (_, order) in BLOCS.items() for city in CITIES]
    return fw, pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])


def test_copeland_tennessee(election):
    fw, obs = election
    out = rank_noncompensatory(obs, fw, method="copeland").set_index("unit")
    # wins - defeats: 3, 1, -1, -3 (wins 3, 2, 1, 0 out of 3 pairs)
    assert out.loc[["nashville", "chattanooga", "knoxville", "memphis"], "score"].tolist() == [3, 1, -1, -3]
    assert out.loc[["nashville", "chattanooga", "knoxville", "memphis"], "rank"].tolist() == [1, 2, 3, 4]


def test_kemeny_tennessee(election):
    fw, obs = election
    out = rank_noncompensatory(obs, fw, method="kemeny")
    assert out["unit"].tolist() == ["nashville", "chattanooga", "knoxville", "memphis"]
    assert out["score"].iloc[0] == pytest.approx(3.93)


def test_outranking_matrix_complementary_and_ties():
    x = np.array([[1.0, 2.0, np.nan], [1.0, 3.0, 0.0], [0.0, 0.0, 5.0]])
    e = outranking_matrix(x, np.array([0.5, 0.3, 0.2]))
    np.testing.assert_allclose(e + e.T, 1.0)
    # units 0 and 1 compare on the first two indicators only (weights 0.5, 0.3 -> 5/8, 3/8); tie on the first
    assert e[1, 0] == pytest.approx((0.3 + 0.5 * 0.5) / 0.8)
    order, _ = kemeny_order(e)
    assert len(order) == 3


def test_errors(election):
    fw, obs = election
    with pytest.raises(ce.ScoringError, match="method"):
        rank_noncompensatory(obs, fw, method="borda")
    with pytest.raises(ce.ScoringError, match="max_units"):
        rank_noncompensatory(obs, fw, method="kemeny", max_units=3)
    with pytest.raises(ce.ScoringError, match="node"):
        rank_noncompensatory(obs, fw, node="bloc42")
