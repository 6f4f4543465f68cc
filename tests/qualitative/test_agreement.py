"""Intercoder agreement on codes: Cohen's kappa and Krippendorff's alpha against published examples."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import cohen_kappa_score

import coopeval as ce
from coopeval.errors import StatsError
from coopeval.qualitative import cohen_kappa, intercoder_agreement

# Krippendorff, K. (2011). Computing Krippendorff's alpha-reliability. Annenberg School for
# Communication, University of Pennsylvania, section "A. Binary or dichotomous data, two observers,
# no missing data": 10 units, alpha = 0.095.
KRIPP_A = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
KRIPP_B = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]


def _codes_from_binary(a, b, code="theme"):
    """Codes table where coder c1/c2 gave ``code`` to extract i when a[i]/b[i] is 1; every
    extract also gets the code ``lu`` from both (so that every extract counts as coded)."""
    rows = []
    for i, (x, y) in enumerate(zip(a, b, strict=True)):
        rows += [{"extract": f"e{i}", "code": "lu", "coder": c} for c in ("c1", "c2")]
        if x:
            rows.append({"extract": f"e{i}", "code": code, "coder": "c1"})
        if y:
            rows.append({"extract": f"e{i}", "code": code, "coder": "c2"})
    return pd.DataFrame(rows)


def test_krippendorff_2011_binary_example():
    ag = intercoder_agreement(_codes_from_binary(KRIPP_A, KRIPP_B)).set_index("code")
    row = ag.loc["theme"]
    assert row["alpha"] == pytest.approx(0.095, abs=5e-4)  # published to 3 decimals
    assert row["n_extracts"] == 10 and row["n_coder_a"] == 2 and row["n_coder_b"] == 4
    assert row["agreement"] == pytest.approx(0.6, abs=1e-12)
    # kappa by hand from the same table: p_o = 0.6, p_e = 0.2*0.4 + 0.8*0.6 = 0.56
    assert row["kappa"] == pytest.approx((0.6 - 0.56) / (1 - 0.56), abs=1e-12)
    # a code both coders give to every extract has no variation: undefined
    assert np.isnan(ag.loc["lu", "kappa"]) and np.isnan(ag.loc["lu", "alpha"])


def test_cohen_kappa_worked_example_and_sklearn():
    # Worked example reproduced in most textbooks (e.g. the Wikipedia article "Cohen's kappa"):
    # 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15 -> p_o = 0.7, p_e = 0.5, kappa = 0.4
    a = np.array([1] * 25 + [0] * 25)
    b = np.array([1] * 20 + [0] * 5 + [1] * 10 + [0] * 15)
    assert cohen_kappa(a, b) == pytest.approx(0.4, abs=1e-12)
    # independent implementation (scikit-learn) on random multi-category labels
    rng = np.random.default_rng(3)
    for _ in range(20):
        x = rng.integers(0, 4, 60)
        y = np.where(rng.random(60) < 0.6, x, rng.integers(0, 4, 60))
        assert cohen_kappa(x, y) == pytest.approx(cohen_kappa_score(x, y), abs=1e-12)


def test_sample_agreement_and_pooled_row():
    q = ce.datasets.load("qualitatif_exemple")
    ag = intercoder_agreement(q["codes"])
    assert ag["code"].iloc[-1] == "__pooled__"
    both = q["codes"].groupby("extract")["coder"].nunique()
    assert (ag["n_extracts"].iloc[:-1] == (both == 2).sum()).all()
    assert ag["n_extracts"].iloc[-1] == (both == 2).sum() * (len(ag) - 1)
    assert 0.8 < ag["kappa"].iloc[-1] < 1.0  # the synthetic second coder disagrees a little (README: 0.94)


def test_errors():
    codes = _codes_from_binary(KRIPP_A, KRIPP_B)
    with pytest.raises(StatsError, match="coders"):
        intercoder_agreement(codes.assign(coder="c1"))
    with pytest.raises(StatsError, match="coders"):
        intercoder_agreement(codes, coders=("c1", "c9"))
    with pytest.raises(StatsError, match="columns"):
        intercoder_agreement(codes.drop(columns="coder"))
    disjoint = codes[~((codes["coder"] == "c2") & codes["extract"].isin(["e0", "e1"]))]
    disjoint = disjoint[~((disjoint["coder"] == "c1") & ~disjoint["extract"].isin(["e0", "e1"]))]
    with pytest.raises(StatsError, match="none"):
        intercoder_agreement(disjoint)
