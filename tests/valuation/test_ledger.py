"""Externality ledger and « qui pourrait co-financer quoi » (issue 18)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def test_value_interval_and_conventions():
    led = pd.DataFrame({"externality": ["a", "b"], "beneficiary": ["Ville", "Ville"],
                        "beneficiary_type": ["municipality", "municipality"], "quantity": [10.0, None],
                        "unit_of_measure": ["u", "u"], "proxy": [3.0, 2.0], "proxy_low": [2.0, None],
                        "proxy_high": [4.0, None], "proxy_source": ["source a", "source b"]})
    conv = pd.DataFrame({"beneficiary": ["Ville"], "convention": ["c1"], "covers": ["a"], "amount": [None]})
    out = ce.valuation.externality_ledger(led, conv, year=2023)
    e = out.entries.set_index("externality")
    assert (e.loc["a", "value"], e.loc["a", "value_low"], e.loc["a", "value_high"]) == (30.0, 20.0, 40.0)
    assert e.loc["b", "status"] == "to_quantify" and np.isnan(e.loc["b", "value"])
    row = out.cofinancing.iloc[0]
    assert row["uncovered"] == "b" and row["n_amount_unknown"] == 1 and row["n_to_quantify"] == 1


def test_catalogue_proxy_adjusted_and_carbon_converted_to_euros_of_the_year():
    """ATD 2013 (15 242 €/person/year) read in 2023: adjusted with the Insee CPI and flagged;
    carbon value 2019 in €2018 at 2023: between the published 2020 (87) and 2030 (250) points,
    87 + 163 × 3/10 €2018, × CPI 2023/2018."""
    led = pd.DataFrame({"externality": ["emploi", "carbone"], "beneficiary": ["État", "climat"],
                        "beneficiary_type": ["public_body", "climate"], "quantity": [2.0, 10.0],
                        "unit_of_measure": ["personne", "tCO2e"],
                        "proxy": ["cout_privation_emploi_atd_2013", "valeur_action_climat_2019"]})
    out = ce.valuation.externality_ledger(led, year=2023).entries.set_index("externality")
    f_2013 = ce.valuation.price_factor(2013, 2023)
    assert out.loc["emploi", "value"] == pytest.approx(2 * 15_242 * f_2013, rel=1e-12)
    assert out.loc["emploi", "flags"] == "outside_validity adjusted_cpi"
    carbon_2018_euros = 87 + (250 - 87) * 3 / 10
    assert out.loc["carbone", "value"] == pytest.approx(10 * carbon_2018_euros * ce.valuation.price_factor(2018, 2023),
                                                       rel=1e-12)
    assert "converted_constant_euros" in out.loc["carbone", "flags"]
    assert out.loc["carbone", "proxy_unit"] == "EUR/tCO2e"


def test_numeric_proxy_needs_a_source_and_types_are_checked():
    base = {"externality": ["x"], "beneficiary": ["B"], "quantity": [1.0], "proxy": [5.0]}
    with pytest.raises(ValuationError, match="proxy_source"):
        ce.valuation.externality_ledger(pd.DataFrame({**base, "beneficiary_type": ["public_body"]}), year=2023)
    with pytest.raises(ValuationError, match="beneficiary_type"):
        ce.valuation.externality_ledger(pd.DataFrame({**base, "beneficiary_type": ["mairie"],
                                                      "proxy_source": ["s"]}), year=2023)


def test_la_butinerie_who_could_cofinance_what():
    """The report's conventions: Ville de Pantin (triennial, 40 000 €), ARS (amount not given),
    Solimut (amount not given); no externality quantified by the report."""
    b = ce.datasets.load("la_butinerie")
    out = ce.valuation.externality_ledger(b["externalites"], b["conventions"], year=2023)
    c = out.cofinancing.set_index("beneficiary")
    assert c.loc["Ville de Pantin", "convention_amount"] == 40_000
    assert c.loc[["ARS Île-de-France", "Solimut"], "n_amount_unknown"].tolist() == [1, 1]
    assert c.loc[["ARS Île-de-France", "Solimut", "Ville de Pantin"], "uncovered"].tolist() == ["", "", ""]
    assert c["can_sign"].sum() == 3 and not c.loc["climat", "can_sign"]
    assert (out.entries["status"] == "to_quantify").all()
    assert np.isnan(c["value"]).all()


def test_cofinancing_sheet_is_french_and_one_per_signatory(tmp_path):
    b = ce.datasets.load("la_butinerie")
    out = ce.valuation.externality_ledger(b["externalites"], b["conventions"], year=2023)
    html = ce.report.cofinancing_sheet(out, "Ville de Pantin", cooperation="La Butinerie")
    assert "La Butinerie — ce que nous apportons à Ville de Pantin" in html
    assert "40\u202f000\u00a0€" in html and "à quantifier" in html and out.catalogue_version in html
    assert 'lang="fr"' in html and "Value" not in html
    paths = ce.report.write_cofinancing_sheets(out, tmp_path, cooperation="La Butinerie")
    assert len(paths) == 3 and all(p.read_text(encoding="utf-8").startswith("<!DOCTYPE html>") for p in paths)
    table = ce.report.cofinancing_table(out)
    assert table.columns[0] == "Bénéficiaire" and len(table) == 5


def test_numeric_proxy_read_as_text_and_english_sheet():
    led = pd.DataFrame({"externality": ["x"], "beneficiary": ["Town"], "beneficiary_type": ["municipality"],
                        "quantity": [4.0], "proxy": ["2,5"], "proxy_source": ["source x"]})
    out = ce.valuation.externality_ledger(led, year=2023)
    assert out.entries["value"].iloc[0] == 10.0
    html = ce.report.cofinancing_sheet(out, "Town", cooperation="Coop", lang="en")
    assert 'lang="en"' in html and "What our conventions already cover" in html and "Effet" not in html


def test_value_written_as_a_range_only_when_there_is_one():
    """A reference value without a published range reads « 10 € », not « 10 € (10 € – 10 €) »."""
    led = pd.DataFrame({"externality": ["x", "y"], "beneficiary": ["Town", "State"],
                        "beneficiary_type": ["municipality", "public_body"], "quantity": [4.0, 2.0],
                        "proxy": ["2,5", "couts_evites_tzcld_comite_2025"], "proxy_source": ["source x", None]})
    table = ce.report.cofinancing_table(ce.valuation.externality_ledger(led, year=2025))
    value = table.columns[3]
    assert table[value].tolist() == ["10\u00a0€", "28\u202f200\u00a0€ (25\u202f800\u00a0€ – 30\u202f600\u00a0€)"]
