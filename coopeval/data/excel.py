"""Excel data-entry templates for a collective, and reading them back.

:func:`excel_template` (written by :mod:`coopeval.data.excel_writer`, importable from here)
writes a workbook generated from a framework, in French (default) or English: an
instructions sheet, a ``Saisie`` (``Data``) sheet with one row per unit × wave × indicator,
Excel data validation, locked columns and header, only the *Valeur*, *Source* and
*Commentaire* columns editable.
:func:`read_excel` reads such a filled template (or any workbook whose first row
holds the columns ``unit, wave, indicator, value``) into validated observations,
naming the sheet and the cell of every problem in the template's language.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.utils import get_column_letter

from coopeval.data import _excel_text as T
from coopeval.data._files import as_int_if_whole, input_file
from coopeval.data.excel_writer import _META_SHEET, DATA_SHEET, TEMPLATE_COLUMNS, excel_template
from coopeval.data.likert import normalise_text
from coopeval.data.validate import (
    ERROR_COLUMNS,
    OBSERVATION_COLUMNS,
    ValidationResult,
    validate_observations,
)
from coopeval.errors import DataError, Issue

__all__ = ["excel_template", "read_excel", "check_excel", "TEMPLATE_COLUMNS", "DATA_SHEET"]

# Header text (normalised, both languages) -> key, for the templates and plain tidy sheets.
_ALIASES = {normalise_text(h): k for lang in T.HEADERS
            for (k, _, _), h in zip(T.COLUMNS, T.HEADERS[lang], strict=True)}
_ALIASES.update({k: k for k in ("unit", "wave", "indicator", "value", "source", "note")})
_ALIASES.update({"unite": "unit", "cooperation": "unit", "indicateur": "indicator",
                 "vague": "wave", "valeur": "value", "commentaire": "note"})


def _cell_text(v: object) -> object:
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def read_excel(
    path: str | Path,
    fw,
    *,
    sheet: str | None = None,
    waves: Iterable | None = None,
) -> pd.DataFrame:
    """Read observations from a filled template (or a tidy sheet) of an ``.xlsx`` file; any
    invalid cell raises (:func:`check_excel` lists them instead).

    Returns
    -------
    pandas.DataFrame
        See :func:`check_excel` (its ``data`` when it finds no problem).

    Raises
    ------
    DataError
        As :func:`check_excel`, and any invalid row, every problem located
        (``"feuille 'Saisie', cellule K7"``).
    """
    res = check_excel(path, fw, sheet=sheet, waves=waves)
    if len(res.errors):
        issues = [Issue(e.where, e.key, e.expected, e.found) for e in res.errors.itertuples()]
        raise DataError(f"invalid observations in '{Path(path).name}'", issues=issues)
    return res.data


def check_excel(
    path: str | Path,
    fw,
    *,
    sheet: str | None = None,
    waves: Iterable | None = None,
) -> ValidationResult:
    """Check a filled template (or a tidy sheet) of an ``.xlsx`` file: the valid observations
    and every problem, located (:func:`read_excel` raises on the first file with problems).

    Parameters
    ----------
    path : str or Path
        The workbook.
    fw : Framework
        Framework to validate against.
    sheet : str, optional
        Sheet to read. Default: the data sheet recorded in the template (``Saisie``
        in French, ``Data`` in English), else ``Saisie`` or ``Data`` if present,
        else the first sheet.
    waves : iterable, optional
        Expected waves (see :func:`coopeval.data.validate_observations`).

    Returns
    -------
    ValidationResult
        ``data``: observations ``unit, wave, indicator, value`` (float), plus ``source``
        and ``note`` when any is filled in, one row per filled *Valeur* cell
        (rows left empty are data not entered and are not returned), in sheet
        order. Whole-number waves are integers. ``errors``: one row per problem
        (``where, row, key, expected, found``); it unpacks as ``data, errors``.

    Raises
    ------
    DataError
        Not a readable workbook, missing sheet or columns, a template of another
        framework, a formula without a computed value; locations read ``"sheet 'Saisie', cell K7"``
        (in English, like the rest of every error message, whatever the template's language).

    Notes
    -----
    The header row (row 1) is matched by name, so columns may be in any order;
    template headers (French) and contract names (``unit, wave, indicator,
    value, source, note``) are both recognised, in French and English. Binary
    values may be ``oui``/``non`` or ``yes``/``no`` (or 1/0) whatever the language.
    """
    p = input_file(path, (".xlsx", ".xlsm"), "an Excel workbook")
    wb = _open(p)
    sheet, lang = _data_sheet(wb, p.name, fw, sheet)
    ws = wb[sheet]
    cols = _columns(next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ()), sheet, lang)
    df, cells = _rows(ws, p, sheet, cols)

    def where(pos: int, key: str) -> str:
        col = get_column_letter(cols.get(key, cols["value"]))
        return T.WHERE[lang].format(sheet=sheet, cell=f"{col}{cells[pos]}")

    res = validate_observations(df, fw, strict=False, waves=waves, where=where)
    return ValidationResult(res.data.reset_index(drop=True), res.errors[ERROR_COLUMNS])


def _open(p: Path) -> openpyxl.Workbook:
    """The workbook with the values Excel computed (a corrupt file: :class:`DataError`)."""
    try:
        return openpyxl.load_workbook(p, data_only=True)
    except Exception as err:  # zip, XML or format errors of a corrupt file
        raise DataError(f"file '{p.name}': expected an Excel .xlsx workbook, found a file "
                        f"that cannot be read ({type(err).__name__})") from None


def _data_sheet(wb: openpyxl.Workbook, name: str, fw, sheet: str | None) -> tuple[str, str]:  # noqa: ANN001
    """The sheet to read and the template's language (``sheet`` given, else the template's data
    sheet, else ``Saisie`` or ``Data``, else the first sheet); a template of another framework refused."""
    lang, meta_sheet = "fr", None
    if _META_SHEET in wb.sheetnames:
        meta = {r[0]: r[1] for r in wb[_META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("framework_id") not in (None, fw.id):
            raise DataError(f"file '{name}': expected a template of framework {fw.id!r}, "
                            f"found a template of {meta.get('framework_id')!r}")
        lang = str(meta["lang"]) if meta.get("lang") in T.DATA_SHEETS else "fr"
        meta_sheet = meta.get("data_sheet")
    if sheet is None and meta_sheet is not None and meta_sheet not in wb.sheetnames:
        # issue 16: a template whose data sheet was deleted used to be read from its first sheet
        raise DataError(f"file '{name}': expected the template's data sheet {meta_sheet!r}, found only "
                        f"the sheets {', '.join(repr(n) for n in wb.sheetnames if n != _META_SHEET)} "
                        f"(was {meta_sheet!r} deleted or renamed?)")
    if sheet is None:
        sheet = next(s for s in (meta_sheet, *T.DATA_SHEETS.values(), wb.sheetnames[0]) if s in wb.sheetnames)
    if sheet not in wb.sheetnames:
        raise DataError(f"file '{name}': expected a sheet {sheet!r}, found sheets "
                        f"{wb.sheetnames}")
    return sheet, lang


def _columns(header: tuple, sheet: str, lang: str) -> dict[str, int]:
    """Column number (from 1) of each key the header row names (first occurrence)."""
    cols: dict[str, int] = {}
    for c, h in enumerate(header, start=1):
        key = _ALIASES.get(normalise_text(h)) if h is not None else None
        if key in ("unit", "wave", "indicator", "value", "source", "note") and key not in cols:
            cols[key] = c
    missing = [k for k in OBSERVATION_COLUMNS if k not in cols]
    if missing:
        raise DataError(f"{T.WHERE_ROW[lang].format(sheet=sheet, row=1)}: expected the columns "
                        f"{', '.join(OBSERVATION_COLUMNS)} (or the template headers), missing "
                        f"{', '.join(missing)} in {[h for h in header if h is not None]}")
    return cols


def _rows(ws, p: Path, sheet: str, cols: dict[str, int]) -> tuple[pd.DataFrame, list[int]]:  # noqa: ANN001
    """The rows whose *Valeur* cell is filled (a formula without a computed value kept, to be
    reported), as text-trimmed objects, and their row numbers in the sheet."""
    formulas = None
    rows, cells = [], []
    keys = [k for k in ("unit", "wave", "indicator", "value", "source", "note") if k in cols]
    for r, values in enumerate(ws.iter_rows(min_row=2, values_only=True), start=2):
        rec = {k: _cell_text(values[cols[k] - 1]) if cols[k] - 1 < len(values) else None
               for k in keys}
        if rec["value"] is None:
            if formulas is None:
                formulas = openpyxl.load_workbook(p, data_only=False)[sheet]
            raw = formulas.cell(row=r, column=cols["value"]).value
            if isinstance(raw, str) and raw.startswith("="):
                rec["value"] = _Formula(raw)
            else:
                continue
        rows.append(rec)
        cells.append(r)
    df = pd.DataFrame(rows, columns=keys, dtype=object)
    if len(df):
        df["wave"] = df["wave"].map(as_int_if_whole)
    for extra in ("source", "note"):
        if extra in df.columns and df[extra].isna().all():
            df = df.drop(columns=extra)
    return df, cells


class _Formula(str):
    """A formula cell without a cached result (file saved by a program, not Excel)."""

    def __repr__(self) -> str:
        return f"formula {str(self)[:20]!r} not computed"
