"""Tests of coopeval.valuation.local_currency.

Velocity V = PT / M (Fisher 1911, equation of exchange), checked by hand.
"""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def test_velocity_yearly_constant_stock():
    """2022: 60 + 40 = 100 exchanged with a stock of 50 → V = 2; 2023: 30 → 0.6."""
    tx = pd.DataFrame({"date": ["2022-02-01", "2022-09-30", "2023-05-05"], "amount": [60.0, 40.0, 30.0]})
    v = ce.valuation.velocity(tx, 50.0)
    assert v["velocity"].tolist() == pytest.approx([2.0, 0.6])
    assert v["n_transactions"].tolist() == [2, 1]


def test_velocity_with_stock_series():
    """Stock observed 40 and 60 in 2022 → mean 50; exchanges 100 → V = 2."""
    tx = pd.DataFrame({"date": ["2022-02-01", "2022-09-30"], "amount": [60.0, 40.0]})
    stock = pd.DataFrame({"date": ["2022-01-01", "2022-12-31"], "stock": [40.0, 60.0]})
    v = ce.valuation.velocity(tx, stock)
    assert v["mean_stock"].iloc[0] == pytest.approx(50.0)
    assert v["velocity"].iloc[0] == pytest.approx(2.0)


def test_velocity_missing_stock_period():
    tx = pd.DataFrame({"date": ["2022-02-01", "2023-09-30"], "amount": [60.0, 40.0]})
    stock = pd.DataFrame({"date": ["2022-01-01"], "stock": [40.0]})
    with pytest.raises(ValuationError, match="2023"):
        ce.valuation.velocity(tx, stock)


def test_bad_transactions():
    tx = pd.DataFrame({"date": ["2022-02-01", "pas une date"], "amount": [-1.0, 4.0]})
    with pytest.raises(ValuationError) as err:
        ce.valuation.velocity(tx, 10.0)
    assert len(err.value.issues) == 2


def test_multiplier_validation():
    with pytest.raises(ValuationError, match="reserve"):
        ce.valuation.circulation_multiplier(100.0, 0.0)
    assert ce.valuation.circulation_multiplier(0.0, 10.0) == 0.0
