"""The treasurer's Excel template round trip (issue 18)."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def _fill(path, values: dict[str, tuple]):
    wb = openpyxl.load_workbook(path)
    ws = wb["Saisie"]
    labels = ce.valuation.finance_lines().set_index("line")["label"]
    for row in ws.iter_rows(min_row=2):
        for code, (source, amount, measure) in values.items():
            if row[2].value == labels[code]:
                row[3].value, row[4].value = source, amount
                if measure:
                    row[5].value = measure
    wb.save(path)


def test_template_round_trip_gives_la_butinerie_model(tmp_path):
    path = ce.valuation.finances_template(tmp_path / "budget.xlsx", units=["la_butinerie"], waves=["2023"])
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Lisez-moi", "Saisie", "Postes"]
    assert wb["Saisie"].max_row == 1 + len(ce.valuation.finance_lines())
    fin = ce.datasets.load("la_butinerie", table="finances")
    values = {r.line: (r.source, "non chiffré" if pd.isna(r.amount) else r.amount,
                       r.unit_of_measure if isinstance(r.unit_of_measure, str) else None)
              for r in fin.itertuples()}
    _fill(path, values)
    back = ce.valuation.read_finances(path)
    assert sorted(back["line"]) == sorted(fin["line"])
    a = ce.valuation.socio_economic_model(back).wide().drop(columns=["unit", "wave"])
    b = ce.valuation.socio_economic_model(fin).wide().drop(columns=["unit", "wave"])
    pd.testing.assert_frame_equal(a, b)


def test_bad_amount_names_the_cell(tmp_path):
    path = ce.valuation.finances_template(tmp_path / "b.xlsx", units=["u"], waves=["1"])
    _fill(path, {"ventes": ("clients", "beaucoup", None)})
    with pytest.raises(ValuationError) as err:
        ce.valuation.read_finances(path)
    assert "Saisie!E2" in str(err.value) and "non chiffré" in str(err.value)
