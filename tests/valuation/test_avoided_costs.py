"""Tests of coopeval.valuation.avoided_costs (catalogue values, sums by hand)."""

from __future__ import annotations

import pytest

import coopeval as ce
from coopeval.errors import ValuationError

CF = "les personnes restent privées durablement d'emploi"


def test_atd_2013_per_person():
    """12 persons × 15 242 € × 2 years × (1 - 0.25) = 274 356 €."""
    r = ce.valuation.avoided_costs(12, basis="person", counterfactual=CF, years=2, deadweight=0.25,
                                   date="2013-12-01").iloc[0]
    assert r["avoided_cost"] == pytest.approx(12 * 15_242 * 2 * 0.75)
    assert r["counterfactual"] == CF
    assert "ATD" in r["source"]


def test_committee_range_per_fte_and_net_balance():
    """Comité scientifique (2025): 12 900–15 300 €/ETP/an, midpoint 14 100; versus the
    IGAS-IGF 2019 gross cost of 26 000 €/ETP/an → net balance 10 × (14 100 − 26 000)."""
    r = ce.valuation.avoided_costs(10, basis="fte", counterfactual="personnes comparables hors expérimentation",
                                   reference="couts_evites_tzcld_comite_2025",
                                   cost="cout_brut_etp_ebe_igas_igf_2019", adjust=False).iloc[0]
    assert (r["avoided_cost_low"], r["avoided_cost"], r["avoided_cost_high"]) == pytest.approx(
        (129_000, 141_000, 153_000))
    assert r["net_balance"] == pytest.approx(10 * (14_100 - 26_000))


def test_basis_conversion():
    """20 persons at 0.8 FTE each = 16 FTE × 14 100 €."""
    r = ce.valuation.avoided_costs(20, basis="person", counterfactual=CF, reference="couts_evites_tzcld_comite_2025",
                                   fte_per_person=0.8, date="2025-12-01").iloc[0]
    assert r["count_in_reference_basis"] == pytest.approx(16)
    assert r["avoided_cost"] == pytest.approx(16 * 14_100)
    with pytest.raises(ValuationError, match="fte_per_person"):
        ce.valuation.avoided_costs(20, basis="person", counterfactual=CF, reference="couts_evites_tzcld_comite_2025")


@pytest.mark.parametrize(("kwargs", "param"), [
    ({"counterfactual": ""}, "counterfactual"),
    ({"counterfactual": CF, "basis": "emploi"}, "basis"),
    ({"counterfactual": CF, "deadweight": 1.5}, "deadweight"),
])
def test_validation(kwargs, param):
    args = {"basis": "person", **kwargs}
    with pytest.raises(ValuationError, match=param):
        ce.valuation.avoided_costs(5, **args)


def test_atd_2013_used_in_2023_is_adjusted_and_flagged():
    """15 242 € of 2013 used in 2023: × Insee annual-average CPI 2023/2013 — published indices
    99.45 (2013) and 101.23 (2017), then the published rates 2018–2023 (1.8, 1.1, 0.5, 1.6,
    5.2, 4.9 %)."""
    factor = 101.23 / 99.45 * 1.018 * 1.011 * 1.005 * 1.016 * 1.052 * 1.049
    r = ce.valuation.avoided_costs(1, basis="person", counterfactual=CF, date="2023-06-01").iloc[0]
    assert r["avoided_cost"] == pytest.approx(15_242 * factor, rel=1e-12)
    assert r["price_year"] == 2013 and r["flags"] == "outside_validity adjusted_cpi"
    assert r["catalogue_version"].startswith("2026.1+")
    raw = ce.valuation.avoided_costs(1, basis="person", counterfactual=CF, date="2023-06-01", adjust=False).iloc[0]
    assert raw["avoided_cost"] == 15_242 and raw["flags"] == "outside_validity"
