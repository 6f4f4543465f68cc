"""SWING weights (von Winterfeldt & Edwards 1986, ch. 8), checked by hand."""

import pytest

import coopeval as ce
from coopeval.errors import WeightingError


def test_swing_weights_by_hand():
    # 100, 60, 40 -> /200
    w = ce.weighting.swing({"emplois_etp": 100, "part_cdi": 60, "ecart_salaires": 40})
    assert w.tolist() == pytest.approx([0.5, 0.3, 0.2], abs=1e-15)


def test_swing_requires_a_top_swing_at_100():
    with pytest.raises(WeightingError, match="100"):
        ce.weighting.swing({"a": 80, "b": 40})
    with pytest.raises(WeightingError, match="range"):
        ce.weighting.swing({"a": 100, "b": 140})


def test_swing_table_follows_direction(fw):
    t = ce.weighting.swing_table(fw, "qualite_emploi").set_index("indicator")
    ind = fw.indicators.set_index("indicator")
    for node, row in t.iterrows():
        lo, hi = ind.at[node, "lower"], ind.at[node, "upper"]
        if ind.at[node, "direction"] == "decrease":
            assert (row["worst"], row["best"]) == (hi, lo)
        elif ind.at[node, "direction"] == "increase":
            assert (row["worst"], row["best"]) == (lo, hi)


def test_swing_rescaled_to_framework_ranges(fw):
    """Range effect by hand: part_cdi elicited on 0-0.5 but normalised on the framework range
    (lower, upper): its weight is multiplied by (upper - lower) / 0.5 before renormalising."""
    ind = fw.indicators.set_index("indicator")
    span = ind.at["part_cdi", "upper"] - ind.at["part_cdi", "lower"]
    w = ce.weighting.swing({"part_cdi": 100, "emplois_etp": 100}, fw=fw,
                           elicited_ranges={"part_cdi": (0.0, 0.5)})
    f = span / 0.5
    assert w["part_cdi"] == pytest.approx(f / (f + 1), abs=1e-12)
    with pytest.raises(WeightingError, match="framework"):
        ce.weighting.swing({"inconnu": 100}, fw=fw, elicited_ranges={})
