"""Tests of coopeval.valuation.externalities (counts and sums checked by hand)."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def test_share_in_euros_when_all_values_known():
    """Values 100 000 + 50 000 + 50 000 = 200 000 €; conventions pay 40 000 + 10 000 →
    internalised share 50 000 / 200 000 = 0.25; count 2 / 3."""
    ext = pd.DataFrame({
        "externality": ["e1", "e2", "e3"], "beneficiary": ["Ville", "ARS", "Ville"],
        "covered": [True, True, False], "convention_amount": [40_000.0, 10_000.0, None],
        "value": [100_000.0, 50_000.0, 50_000.0],
    })
    out = ce.valuation.internalisation(ext)
    s = out["summary"].iloc[0]
    assert s["share_internalised_eur"] == pytest.approx(0.25)
    assert s["share_covered"] == pytest.approx(2 / 3)
    ville = out["by_group"].set_index("beneficiary").loc["Ville"]
    assert (ville["n_externalities"], ville["n_covered"], ville["internalised_eur"]) == (2, 1, 40_000.0)
    assert ville["share_internalised_eur"] == pytest.approx(40_000 / 150_000)


def test_validation():
    ext = pd.DataFrame({"externality": ["e1", "e2"], "beneficiary": ["a", "b"], "covered": ["oui", False],
                        "convention_amount": [-1.0, 5.0]})
    with pytest.raises(ValuationError) as err:
        ce.valuation.internalisation(ext)
    assert len(err.value.issues) == 3
    assert "'e2'" in str(err.value)


def test_missing_columns():
    with pytest.raises(ValuationError, match="covered"):
        ce.valuation.internalisation(pd.DataFrame({"externality": ["e"], "beneficiary": ["b"]}))
