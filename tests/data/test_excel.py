"""Excel templates and their import (coopeval.data.excel_template / read_excel).

The round trip fills the template of the default framework programmatically with
openpyxl (a valid value for each indicator, drawn with a seeded generator within
its bounds and kind), reads it back, and compares with the observations written,
exactly.
"""

from __future__ import annotations

import os

import numpy as np
import openpyxl
import pandas as pd
import pytest

import coopeval as ce
from coopeval.data.excel import DATA_SHEET, TEMPLATE_COLUMNS
from coopeval.errors import DataError

VALUE_COL = 1 + [k for k, *_ in TEMPLATE_COLUMNS].index("value")  # K
UNITS = ["TERA", "La Butinerie"]
WAVES = [2023, 2024]


@pytest.fixture
def template(fw, tmp_path):
    path = tmp_path / "saisie.xlsx"
    ce.data.excel_template(fw, path, units=UNITS, waves=WAVES)
    return path


def _valid_value(rng, kind, lo, hi):
    if kind == "binary":
        return int(rng.integers(0, 2))
    if kind in ("ordinal", "grid"):
        return int(rng.integers(int(lo), int(hi) + 1))
    return float(np.round(rng.uniform(lo, hi), 3))


def test_template_structure(fw, template):
    wb = openpyxl.load_workbook(template)
    assert wb.sheetnames == ["Instructions", "Saisie", "Indicateurs", "_coopeval"]
    assert wb["_coopeval"].sheet_state == "veryHidden"
    assert wb.security.lockStructure
    intro = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Saisissez uniquement la colonne « Valeur »" in intro
    assert "une cellule vide n'est pas un zéro" in intro
    ws = wb[DATA_SHEET]
    assert [c.value for c in ws[1]] == [h for _, h, _, _ in TEMPLATE_COLUMNS]
    n_ind = len(fw.indicators)
    assert ws.max_row == 1 + len(UNITS) * len(WAVES) * n_ind
    assert ws.protection.sheet
    assert ws["A1"].protection.locked and ws["D2"].protection.locked
    assert not ws["K2"].protection.locked and not ws["L2"].protection.locked
    # units of measurement and bounds shown, in framework order
    ind = fw.indicators
    rows = list(ws.iter_rows(min_row=2, max_row=1 + n_ind, values_only=True))
    assert [r[3] for r in rows] == ind["indicator"].tolist()
    assert [r[5] for r in rows] == ind["unit"].tolist()
    # issue 22: no goalposts shown for an indicator whose goalposts bound a ratio to the first wave
    relative = ind["indicator"].isin(fw.relative_goalposts["indicator"])
    assert relative.any()
    assert [r[7] for r in rows] == [None if rel else v for v, rel in zip(ind["lower"], relative, strict=True)]
    assert [r[8] for r in rows] == [None if rel else v for v, rel in zip(ind["upper"], relative, strict=True)]
    # data validation of every value cell matches the indicator kind
    rule = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row, col in rng.cells:
                assert col == VALUE_COL
                rule[row] = dv
    for r, rec in enumerate(ind.itertuples(), start=2):
        dv = rule[r]
        if rec.kind == "binary":
            assert (dv.type, dv.formula1) == ("list", '"oui,non"')
        elif rec.kind in ("ordinal", "grid"):  # a progress grid is a list of levels too (issue 17)
            codes = ",".join(str(i) for i in range(int(rec.lower), int(rec.upper) + 1))
            assert (dv.type, dv.formula1) == ("list", f'"{codes}"')
        else:
            assert dv.type == "decimal" and dv.operator == "between"
            # the cell accepts the plausibility limits (a value beyond a goalpost is capped, not refused)
            lo = -1e300 if np.isinf(rec.limit_low) else rec.limit_low
            hi = 1e300 if np.isinf(rec.limit_high) else rec.limit_high
            assert (float(dv.formula1), float(dv.formula2)) == (lo, hi)
    assert "Aucune démarche" in rows[ind["indicator"].tolist().index(
        "niveau_demarche_environnementale")][9]


def test_round_trip_identical(fw, template):
    rng = np.random.default_rng(2024)
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    spec = fw.indicators.set_index("indicator")
    expected = []
    for r in range(2, ws.max_row + 1):
        unit, wave, ind = ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 4).value
        if rng.random() < 0.1:
            continue  # left empty: data not available
        kind, lo, hi = spec.loc[ind, ["kind", "lower", "upper"]]
        v = _valid_value(rng, kind, lo, hi)
        cell = ws.cell(r, VALUE_COL)
        cell.value = ("oui" if v else "non") if kind == "binary" and rng.random() < 0.5 else v
        expected.append((unit, wave, ind, float(v)))
    wb.save(template)
    got = ce.data.read_excel(template, fw)
    exp = pd.DataFrame(expected, columns=["unit", "wave", "indicator", "value"])
    assert len(exp) > 100
    pd.testing.assert_frame_equal(got, exp)
    # and the same through the non-strict path
    res = ce.data.check_excel(template, fw)
    assert res.ok
    pd.testing.assert_frame_equal(res.data, exp)


def test_empty_template_has_no_observations(fw, template):
    assert ce.data.read_excel(template, fw).empty


def test_three_errors_name_sheet_and_cell(fw, template):
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    ws["K3"] = 4.5
    ws["K5"] = "beaucoup"          # text in a numeric cell
    ws["K10"] = -3                 # personnes_eloignees_emploi: a count cannot be negative
    ws["D12"] = "indicateur_inventé"
    ws["K12"] = 1
    wb.save(template)
    with pytest.raises(DataError) as info:
        ce.data.read_excel(template, fw)
    got = {(i.where, i.key) for i in info.value.issues}
    assert got == {("sheet 'Saisie', cell K5", "value"),
                   ("sheet 'Saisie', cell K10", "value"),
                   ("sheet 'Saisie', cell D12", "indicator")}
    msg = str(info.value)
    assert "found 'beaucoup'" in msg and "of at least 0" in msg and "found -3" in msg


def test_source_and_note_are_read(fw, template):
    wb = openpyxl.load_workbook(template)
    ws = wb[DATA_SHEET]
    ws["K9"], ws["L9"], ws["M9"] = "12,5", "bilan social 2023", "estimation"
    wb.save(template)
    out = ce.data.read_excel(template, fw)
    assert out.to_dict("records") == [{
        "unit": "TERA", "wave": 2023, "indicator": "emplois_etp", "value": 12.5,
        "source": "bilan social 2023", "note": "estimation"}]


def test_plain_tidy_sheet(fw, tmp_path):
    path = tmp_path / "tidy.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["indicator", "unit", "value", "wave"])  # any column order
    ws.append(["emplois_etp", "TERA", 12, 2024])
    ws.append(["comptes_publies", "TERA", "non", 2024])
    wb.save(path)
    out = ce.data.read_excel(path, fw)
    assert out["value"].tolist() == [12.0, 0.0]


def test_overwrite_and_atomic_write(fw, template, tmp_path, monkeypatch):
    before = template.read_bytes()
    with pytest.raises(DataError, match="already exists"):
        ce.data.excel_template(fw, template, units=["X"], waves=[1])
    assert template.read_bytes() == before
    ce.data.excel_template(fw, template, units=["X"], waves=[1], overwrite=True)
    assert openpyxl.load_workbook(template)[DATA_SHEET]["A2"].value == "X"

    def broken_save(self, filename):
        with open(filename, "wb") as fh:
            fh.write(b"PK\x03\x04 partial")
        raise OSError("disk full")

    monkeypatch.setattr(openpyxl.Workbook, "save", broken_save)
    target = tmp_path / "new.xlsx"
    listing = sorted(os.listdir(tmp_path))
    with pytest.raises(OSError):
        ce.data.excel_template(fw, target, units=["X"], waves=[1])
    assert sorted(os.listdir(tmp_path)) == listing  # no partial file, no temp file left


# --- English template --------------------------------------------------------------------

@pytest.fixture(params=["fr", "en"])
def lang_template(fw, tmp_path, request):
    path = tmp_path / f"template_{request.param}.xlsx"
    ce.data.excel_template(fw, path, units=UNITS, waves=WAVES, lang=request.param)
    return request.param, path


def test_english_template_structure(fw, tmp_path):
    path = tmp_path / "data_entry.xlsx"
    ce.data.excel_template(fw, path, units=UNITS, waves=WAVES, lang="en")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["Instructions", "Data", "Indicators", "_coopeval"]
    meta = dict(wb["_coopeval"].iter_rows(values_only=True))
    assert (meta["lang"], meta["data_sheet"], meta["framework_id"]) == ("en", "Data", fw.id)
    intro = " ".join(str(c.value) for c in wb["Instructions"]["A"] if c.value)
    assert "Fill in only the “Value” column" in intro
    assert "an empty cell is not a zero" in intro and fw.title_en in intro
    assert "Saisissez" not in intro
    ws = wb["Data"]
    assert [c.value for c in ws[1]] == [
        "Cooperation", "Wave", "Dimension", "Indicator (code)", "Label", "Unit of measurement",
        "Type", "Minimum", "Maximum", "Input help", "Value", "Source", "Comment"]
    ind = fw.indicators
    rows = list(ws.iter_rows(min_row=2, max_row=1 + len(ind), values_only=True))
    assert [r[4] for r in rows] == ind["label_en"].tolist()
    kinds = {"quantitative": "number", "likert": "score", "ordinal": "level", "binary": "yes/no", "grid": "grid"}
    assert [r[6] for r in rows] == ind["kind"].map(kinds).tolist()
    by_ind = {r[3]: r for r in rows}
    assert by_ind["emplois_etp"][5] == "FTE"
    assert by_ind["comptes_publies"][9] == "yes or no"
    assert by_ind["personnes_eloignees_emploi"][9] == "number greater than or equal to 0"  # a count: goalposts 0-200 are not limits
    # level labels of the ordinal indicator, translated from the framework's French labels
    assert by_ind["niveau_demarche_environnementale"][9] == (
        "0 = No approach; 1 = Stated intentions; 2 = First actions; "
        "3 = Action plan monitored; 4 = Approach evaluated and shared")
    # a progress grid shows every level with its descriptor (issue 17)
    assert by_ind["grille_gouvernance"][9].splitlines()[3] == (
        "4 = consolidated: Stakeholders decide together, rules are reviewed together and decisions are public.")
    rule = {}
    for dv in ws.data_validations.dataValidation:
        for rng in dv.sqref.ranges:
            for row, _ in rng.cells:
                rule[row] = dv
    for r, rec in enumerate(ind.itertuples(), start=2):
        if rec.kind == "binary":
            assert (rule[r].type, rule[r].formula1) == ("list", '"yes,no"')
            assert rule[r].error == "Choose “yes” or “no” from the list."
        elif rec.kind in ("ordinal", "grid"):  # a progress grid is a list of levels too (issue 17)
            assert rule[r].type == "list"
        assert rule[r].errorTitle == "Value refused"
    assert [c.value for c in wb["Indicators"][1]][:4] == [
        "Dimension", "Criterion", "Indicator", "Label"]


def test_french_template_records_its_language(fw, template):
    meta = dict(openpyxl.load_workbook(template)["_coopeval"].iter_rows(values_only=True))
    assert (meta["lang"], meta["data_sheet"]) == ("fr", "Saisie")


def test_round_trip_both_languages(fw, lang_template):
    lang, path = lang_template
    yes, no = {"fr": ("oui", "non"), "en": ("yes", "no")}[lang]
    rng = np.random.default_rng(7)
    wb = openpyxl.load_workbook(path)
    ws = wb[{"fr": "Saisie", "en": "Data"}[lang]]
    spec = fw.indicators.set_index("indicator")
    expected = []
    for r in range(2, ws.max_row + 1):
        unit, wave, ind = ws.cell(r, 1).value, ws.cell(r, 2).value, ws.cell(r, 4).value
        if rng.random() < 0.1:
            continue
        kind, lo, hi = spec.loc[ind, ["kind", "lower", "upper"]]
        v = _valid_value(rng, kind, lo, hi)
        # binary cells filled with the drop-down labels of the template's language
        ws.cell(r, VALUE_COL).value = (yes if v else no) if kind == "binary" else v
        expected.append((unit, wave, ind, float(v)))
    wb.save(path)
    exp = pd.DataFrame(expected, columns=["unit", "wave", "indicator", "value"])
    assert len(exp) > 100 and set(exp["indicator"]) >= set(
        fw.indicators.loc[fw.indicators["kind"] == "binary", "indicator"])
    pd.testing.assert_frame_equal(ce.data.read_excel(path, fw), exp)
    res = ce.data.check_excel(path, fw)
    assert res.ok
    pd.testing.assert_frame_equal(res.data, exp)


def test_english_errors_name_sheet_and_cell_in_english(fw, tmp_path):
    path = tmp_path / "data_entry.xlsx"
    ce.data.excel_template(fw, path, units=UNITS, waves=WAVES, lang="en")
    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    ws["K3"] = 4.5
    ws["K5"] = "a lot"             # text in a numeric cell
    ws["K10"] = -3                 # personnes_eloignees_emploi: a count cannot be negative
    ws["D12"] = "made_up_indicator"
    ws["K12"] = 1
    wb.save(path)
    with pytest.raises(DataError) as info:
        ce.data.read_excel(path, fw)
    got = {(i.where, i.key) for i in info.value.issues}
    assert got == {("sheet 'Data', cell K5", "value"), ("sheet 'Data', cell K10", "value"),
                   ("sheet 'Data', cell D12", "indicator")}
    assert "feuille" not in str(info.value) and "cellule" not in str(info.value)
    res = ce.data.check_excel(path, fw)
    assert res.errors["where"].tolist() == ["sheet 'Data', cell K5", "sheet 'Data', cell K10",
                                            "sheet 'Data', cell D12"]
    assert res.data["value"].tolist() == [4.5]


def test_english_missing_column_is_located_in_english(fw, tmp_path):
    path = tmp_path / "data_entry.xlsx"
    ce.data.excel_template(fw, path, units=["TERA"], waves=[2024], lang="en")
    wb = openpyxl.load_workbook(path)
    wb["Data"]["K1"] = "Valeur saisie"     # header of the value column overwritten
    wb.save(path)
    with pytest.raises(DataError, match=r"^sheet 'Data', row 1: .*missing value"):
        ce.data.read_excel(path, fw)


def test_bad_lang_refused_nothing_written(fw, tmp_path):
    path = tmp_path / "x.xlsx"
    with pytest.raises(DataError, match=r"`lang`.*'fr' or 'en'.*'de'"):
        ce.data.excel_template(fw, path, units=["TERA"], waves=[2024], lang="de")
    assert not path.exists()
