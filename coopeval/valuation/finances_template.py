"""Excel template a treasurer can fill, and its reader (French by default).

``finances_template(path, units=..., waves=...)`` writes a workbook with three sheets:
*Lisez-moi* (how to fill it), *Saisie* (one prepared row per line of the model for each
cooperation and wave: amount, funder, unit, reference value, comment) and *Postes* (the
lines, their pillar and the accounts of the French associative chart that map onto
them). ``read_finances(path)`` reads it back into the tidy table of
:func:`coopeval.valuation.socio_economic_model`; an error names the sheet and cell.

Example
-------
>>> import tempfile, pathlib
>>> import coopeval as ce
>>> path = pathlib.Path(tempfile.mkdtemp()) / "budget.xlsx"
>>> _ = ce.valuation.finances_template(path, units=["la_butinerie"], waves=["2023"])
>>> ce.valuation.read_finances(path).empty   # nothing filled yet
True
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from coopeval.errors import Issue, ValuationError
from coopeval.i18n import check_lang, t
from coopeval.valuation.finances import finance_lines

__all__ = ["finances_template", "read_finances"]

_COLS = ("unit", "wave", "line", "source", "amount", "measure", "proxy", "note")
_HEAD = PatternFill("solid", fgColor="DDE6F0")


def _headers(lang: str) -> list[str]:
    keys = ("unit", "wave", "line", "source", "amount", "measure", "proxy", "note")
    return [t(f"fin_tpl_col_{k}", lang) for k in keys]


def finances_template(path: str | Path, *, units: list[str], waves: list[str], lang: str = "fr") -> Path:
    """Write the treasurer's Excel template.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file to write.
    units, waves : list of str
        Cooperations and waves (financial years) to prepare rows for.
    lang : {"fr", "en"}

    Returns
    -------
    Path
    """
    lang = check_lang(lang)
    if not units or not waves:
        raise ValuationError(f"parameters `units`, `waves`: expected non-empty lists, got {units!r}, {waves!r}")
    lines = finance_lines(lang)
    wb = openpyxl.Workbook()
    readme = wb.active
    readme.title = t("fin_tpl_sheet_readme", lang)
    readme["A1"] = t("fin_tpl_readme", lang)
    readme["A1"].alignment = Alignment(wrap_text=True, vertical="top")
    readme.column_dimensions["A"].width = 110
    readme.row_dimensions[1].height = 220
    entry = wb.create_sheet(t("fin_tpl_sheet_entry", lang))
    entry.append(_headers(lang))
    for u in units:
        for w in waves:
            for _, ln in lines.iterrows():
                entry.append([u, w, ln["label"], None, None, "EUR" if ln["category"] != "non_monetary" else None,
                              None, None])
    for cell in entry[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
    for col, width in zip("ABCDEFGH", (16, 12, 58, 30, 16, 14, 26, 30), strict=True):
        entry.column_dimensions[col].width = width
    entry.freeze_panes = "A2"
    ref = wb.create_sheet(t("fin_tpl_sheet_lines", lang))
    ref.append([t(k, lang) for k in ("fin_tpl_col_code", "fin_tpl_col_line", "fin_tpl_col_block",
                                     "fin_tpl_col_pillar", "fin_tpl_col_accounts", "fin_tpl_col_remark")])
    for _, ln in lines.iterrows():
        ref.append([ln["line"], ln["label"], ln["block"], None if pd.isna(ln["pillar"]) else int(ln["pillar"]),
                    ln["pcg"].replace(";", ", "), ln["pcg_note"]])
    for cell in ref[1]:
        cell.font = Font(bold=True)
        cell.fill = _HEAD
    for col, width in zip("ABCDEF", (30, 58, 10, 12, 28, 70), strict=True):
        ref.column_dimensions[col].width = width
    dv = DataValidation(type="list", formula1=f"='{ref.title}'!$B$2:$B${len(lines) + 1}", allow_blank=False)
    entry.add_data_validation(dv)
    dv.add(f"C2:C{entry.max_row + 200}")
    path = Path(path)
    wb.save(path)
    return path


def read_finances(path: str | Path, *, lang: str | None = None) -> pd.DataFrame:
    """Read a filled template into ``unit, wave, line, source, amount, unit_of_measure, proxy, note``.

    Rows without amount are skipped (line not used); « non chiffré » declares a
    non-monetary resource without quantity (``amount`` NaN). Labels in French or
    English and line codes are accepted.

    Raises
    ------
    ValuationError
        Missing file or sheet, an unknown line, a non-numeric amount (naming the cell).
    """
    path = Path(path)
    if not path.is_file():
        raise ValuationError(f"parameter `path`: expected an existing .xlsx file, got {str(path)!r}")
    wb = openpyxl.load_workbook(path, data_only=True)
    langs = [lang] if lang else ["fr", "en"]
    sheet = next((t("fin_tpl_sheet_entry", lg) for lg in langs if t("fin_tpl_sheet_entry", lg) in wb.sheetnames), None)
    if sheet is None:
        raise ValuationError(f"file {path.name}: expected a sheet « {t('fin_tpl_sheet_entry', 'fr')} », "
                             f"got {wb.sheetnames}")
    by_label = {**{r.label: r.line for r in finance_lines("en").itertuples()},
                **{r.label: r.line for r in finance_lines("fr").itertuples()},
                **{c: c for c in finance_lines()["line"]}}
    unquantified = {t("fin_tpl_unquantified", lg) for lg in ("fr", "en")}
    rows, issues = [], []
    for r, values in enumerate(wb[sheet].iter_rows(min_row=2, values_only=True), start=2):
        rec = dict(zip(_COLS, list(values)[: len(_COLS)] + [None] * (len(_COLS) - len(values)), strict=True))
        amount = rec["amount"]
        if amount is None or (isinstance(amount, str) and not amount.strip()):
            continue
        where = f"{path.name}, {sheet}!"
        line = by_label.get(str(rec["line"]).strip()) if rec["line"] is not None else None
        if line is None:
            issues.append(Issue(f"{where}C{r}", "poste", "a line of the sheet Postes", repr(rec["line"])))
            continue
        if isinstance(amount, str) and amount.strip().lower() in unquantified:
            value = np.nan
        else:
            try:
                value = float(str(amount).replace("\u202f", "").replace(" ", "").replace(",", "."))
            except ValueError:
                issues.append(Issue(f"{where}E{r}", "montant", "a number or « non chiffré »", repr(amount)))
                continue
        rows.append({"unit": str(rec["unit"]), "wave": str(rec["wave"]), "line": line,
                     "source": rec["source"], "amount": value,
                     "unit_of_measure": rec["measure"] or "EUR", "proxy": rec["proxy"], "note": rec["note"]})
    if issues:
        raise ValuationError(f"file {path.name}: invalid entries", issues=issues)
    return pd.DataFrame(rows, columns=["unit", "wave", "line", "source", "amount", "unit_of_measure", "proxy", "note"])
