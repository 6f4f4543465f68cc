"""Funders' views (issue 18): one project's data on a funder's grid, nothing lost."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def test_la_butinerie_on_the_cerfa_budget_grid():
    fin = ce.datasets.load("la_butinerie", table="finances")
    view = ce.valuation.funder_view(fin, "cerfa_12156_budget", unit="la_butinerie", wave="2023")
    v = view.set_index(["grid_line", "detail"])["amount"]
    assert v[("64", "")] == 100_000 and v[("70", "")] == 100_000
    assert v[("74", "Ville de Pantin")] == 40_000 and v[("75", "")] == 25_000
    model = ce.valuation.socio_economic_model(fin).wide().iloc[0]
    products = view[view["grid_line"].isin(["70", "74", "75", "a_preciser"])]["amount"].sum()
    charges = view[view["grid_line"].isin(["60", "61-62", "63", "64", "65-67", "66", "68", "a_ventiler"])]["amount"]
    assert products == model["resources_monetary"] == 230_000
    assert charges.sum() == model["costs_cash"]
    left = view[view["grid_line"] == ""]
    assert left["model_lines"].tolist() == ["emprunts"] and left["amount"].iloc[0] == 287_000
    assert view.attrs["grid"] == "cerfa_12156_budget" and view.attrs["catalogue_version"]


def test_contributions_in_kind_86_equals_87_when_valued():
    fin = pd.DataFrame({"unit": "u", "wave": "1", "line": ["ventes", "benevolat"], "amount": [10.0, 100.0],
                        "unit_of_measure": ["EUR", "h"]})
    view = ce.valuation.funder_view(fin, "cerfa_12156_budget", unit="u", wave="1",
                                    proxies={"h": "heure_benevole_smic_brut"}, date="2023-06-01")
    v = view.set_index("grid_line")["amount"]
    assert v["86"] == v["87"] == pytest.approx(100 * 11.52)


def test_invalid_grid_lists_every_problem(tmp_path):
    path = tmp_path / "grille.yaml"
    path.write_text("id: x\nlines:\n  - {id: a, label_fr: A, from: [ventes, subvention]}\n  - {id: b}\n",
                    encoding="utf-8")
    with pytest.raises(ValuationError) as err:
        ce.valuation.load_grid(path)
    text = str(err.value)
    assert "'subvention'" in text and "lines[1].label_fr" in text
    with pytest.raises(ValuationError, match="cerfa_12156_budget"):
        ce.valuation.load_grid("inconnue")
