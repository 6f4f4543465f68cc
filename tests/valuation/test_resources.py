"""Tests of coopeval.valuation.resources.

Herfindahl index H = Σ s_j² (Herfindahl O. C., 1950, *Concentration in the steel
industry*, PhD thesis, Columbia University); checked by hand on small tables.
"""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


@pytest.fixture(autouse=True)
def _clean():
    ce.valuation.reset_user_catalogue()
    yield
    ce.valuation.reset_user_catalogue()


def test_herfindahl_by_hand():
    """Shares 0.5, 0.3, 0.2 → H = 0.25 + 0.09 + 0.04 = 0.38."""
    res = pd.DataFrame({"source": ["a", "b", "c"], "category": ["market", "non_market", "non_market"],
                        "amount": [50.0, 30.0, 20.0]})
    p = ce.valuation.resources_profile(res)
    assert p.herfindahl == pytest.approx(0.38, abs=1e-12)
    assert p.largest_funder == "a" and p.largest_funder_share == pytest.approx(0.5)
    assert p.by_funder["share"].sum() == pytest.approx(1.0)


def test_same_funder_rows_are_merged():
    res = pd.DataFrame({"source": ["commune", "commune", "ventes"], "category": ["non_market"] * 2 + ["market"],
                        "amount": [10.0, 30.0, 60.0]})
    p = ce.valuation.resources_profile(res)
    assert p.herfindahl == pytest.approx(0.4**2 + 0.6**2)


def test_non_monetary_valued_with_proxies():
    """200 volunteer hours at SMIC 2024-01-01 (11.65 €/h) = 2 330 €; 12 m²·mois of
    premises lent at a declared 15 €/m²/mois = 180 €."""
    ce.valuation.add_proxy("loyer_test", 15.0, "EUR/m2/mois", "hypothèse de test")
    res = pd.DataFrame({
        "source": ["bénévoles", "mairie (local)", "ventes"],
        "category": ["non_monétaire", "non_monetary", "marchand"],
        "amount": [200.0, 12.0, 1000.0],
        "unit": ["h", "m2_mois", "EUR"],
    })
    p = ce.valuation.resources_profile(res, proxies={"h": "heure_benevole_smic_brut", "m2_mois": "loyer_test"},
                                       date="2024-01-15")
    assert p.table["value_eur"].tolist() == pytest.approx([2330.0, 180.0, 1000.0])
    assert p.share("non_monetary") == pytest.approx(2510 / 3510)
    # concentration over monetary funders only by default
    assert p.herfindahl == pytest.approx(1.0)
    p_all = ce.valuation.resources_profile(res, proxies={"h": "heure_benevole_smic_brut", "m2_mois": "loyer_test"},
                                           date="2024-01-15", concentration_over="all")
    assert p_all.largest_funder == "bénévoles"


@pytest.mark.parametrize(("market", "non_market", "expected"),
                         [(51, 49, "marchande"), (50, 50, "hybride"), (20, 80, "non_marchande"),
                          (21, 79, "hybride"), (100, 0, "marchande"), (0, 100, "non_marchande")])
def test_classification_thresholds(market, non_market, expected):
    """Thresholds from seuils_modele_socio_economique.yaml: market > 0.5, non-market >= 0.8."""
    res = pd.DataFrame({"source": ["m", "n"], "category": ["market", "non_market"],
                        "amount": [float(market), float(non_market)]})
    p = ce.valuation.resources_profile(res)
    assert p.classification == expected
    assert "Labo de l'ESS" in p.thresholds["seuil_part_marchande"][1]


def test_labels_fr_en():
    res = pd.DataFrame({"source": ["m"], "category": ["market"], "amount": [1.0]})
    assert ce.valuation.resources_profile(res).label == "coopération marchande"
    assert ce.valuation.resources_profile(res, lang="en").label == "market cooperation"
    assert ce.valuation.resources_profile(res).shares["label"].tolist() == ["marchand", "non marchand",
                                                                          "non monétaire"]


def test_validation_collects_all_problems():
    res = pd.DataFrame({
        "source": ["a", "b", "c", "d"],
        "category": ["vente", "market", "non_monetary", "market"],
        "amount": [1.0, -5.0, 10.0, 1.0],
        "unit": ["EUR", "EUR", "h", "EUR"],
    })
    with pytest.raises(ValuationError) as err:
        ce.valuation.resources_profile(res)
    msg = str(err.value)
    assert "source 'a'" in msg and "category" in msg
    assert "source 'b'" in msg and "amount" in msg
    assert "source 'c'" in msg and "proxy" in msg
    assert len(err.value.issues) == 3


def test_self_financing_validation():
    res = pd.DataFrame({"source": ["m"], "category": ["market"], "amount": [1.0]})
    with pytest.raises(ValuationError, match="running_costs"):
        ce.valuation.resources_profile(res).self_financing(0)


def test_typology_validation():
    cases = pd.DataFrame({"unit": ["x"], "stage": ["maturité"], "modelled": ["oui"], "systemic": [1.5]})
    with pytest.raises(ValuationError) as err:
        ce.valuation.typology_position(cases)
    assert len(err.value.issues) == 3


def test_largest_non_market_funder_matches_the_panel_indicator():
    """Independent check: in ``panel_synthetique`` the indicator ``dependance_principal_financeur``
    is, by construction (datasets/panel_synthetique/README.md), the largest non-market funder
    over the monetary resources, rounded to 0.01."""
    panel = ce.datasets.load("panel_synthetique")
    obs = panel["observations"].query("indicator == 'dependance_principal_financeur'").dropna(subset=["value"])
    checked = 0
    for (unit, wave), group in panel["resources"].groupby(["unit", "wave"]):
        row = obs[(obs["unit"] == unit) & (obs["wave"] == wave)]
        if row.empty:
            continue
        prof = ce.valuation.resources_profile(group, proxies={"h": "heure_benevole_smic_brut"}, date="2024-06-01")
        name, share = prof.largest_non_market_funder
        assert name is not None and name != "ventes de biens et services"
        assert share == pytest.approx(float(row["value"].iloc[0]), abs=0.0051)
        checked += 1
    assert checked >= 30
