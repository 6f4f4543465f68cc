"""Writing the Excel data-entry template of a framework for a collective (French or English).

:func:`excel_template` writes an instructions sheet, a ``Saisie`` (``Data``) sheet with one
row per unit × wave × indicator (units of measurement and bounds shown, Excel data
validation: drop-down lists for ordinal and yes/no indicators, numeric ranges otherwise),
locked columns and header, only the *Valeur*, *Source* and *Commentaire* columns editable,
a reference list of the indicators and a hidden sheet naming the framework. Reading a
filled template back: :mod:`coopeval.data.excel`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from coopeval.data import _excel_text as T
from coopeval.data._files import write_atomically
from coopeval.errors import DataError, bad_param

__all__ = ["excel_template", "TEMPLATE_COLUMNS", "DATA_SHEET"]

#: Name of the data-entry sheet (French template; ``"Data"`` in the English one).
DATA_SHEET = T.DATA_SHEETS["fr"]
_META_SHEET = "_coopeval"
_TEMPLATE_VERSION = "2"

#: Columns of the ``Saisie`` sheet: (key, French header, width, editable).
TEMPLATE_COLUMNS = [(k, h, w, e) for (k, w, e), h in zip(T.COLUMNS, T.HEADERS["fr"],
                                                          strict=True)]
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_LOCK_FILL = PatternFill("solid", fgColor="EDEDED")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _validation(kind: str, lo: float, hi: float, lang: str) -> DataValidation:
    if kind == "binary":
        yes, no = T.YES_NO[lang]
        dv = DataValidation(type="list", formula1=f'"{yes},{no}"', allow_blank=True)
        dv.error = T.validation_text("binary", lang)
    elif kind in ("ordinal", "grid") and pd.notna(lo) and pd.notna(hi):
        codes = ",".join(str(int(c)) for c in range(int(lo), int(hi) + 1))
        dv = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True)
        dv.error = T.validation_text("ordinal", lang, lo=int(lo), hi=int(hi))
    else:
        lo_s = repr(float(lo)) if pd.notna(lo) else "-1E+300"
        hi_s = repr(float(hi)) if pd.notna(hi) else "1E+300"
        dv = DataValidation(type="decimal", operator="between", formula1=lo_s, formula2=hi_s,
                            allow_blank=True)
        dv.error = T.validation_text("range", lang,
                                     lo=T.fmt(lo, lang) if pd.notna(lo) else "-∞",
                                     hi=T.fmt(hi, lang) if pd.notna(hi) else "+∞")
    dv.errorTitle = T.validation_text("title", lang)
    dv.showErrorMessage = True
    return dv


def _check_list(values: object, name: str) -> list:
    if isinstance(values, (str, bytes)) or not isinstance(values, Iterable):
        bad_param(name, "a non-empty list", values, DataError)
    out = list(values)
    bad = [v for v in out if not isinstance(v, (str, int)) or isinstance(v, bool)
           or (isinstance(v, str) and not v.strip())]
    if not out or bad:
        bad_param(name, "a non-empty list of names or numbers", values, DataError)
    if len(set(map(str, out))) != len(out):
        bad_param(name, "distinct values", values, DataError)
    return out


def _build(fw, units: list, waves: list, password: str | None, lang: str) -> openpyxl.Workbook:
    ind = fw.indicators
    relative = set(fw.relative_goalposts["indicator"])  # issue 22: their goalposts bound a ratio, not the entry
    wb = openpyxl.Workbook()
    _instructions_sheet(wb, fw, ind, units, waves, lang)
    data_sheet = _data_sheet(wb, fw, ind, relative, units, waves, password, lang)
    _reference_sheet(wb, ind, relative, lang)
    _meta_sheet(wb, fw, data_sheet, lang)
    wb.security = WorkbookProtection(lockStructure=True)  # no sheet added, renamed or removed
    wb.active = 1
    return wb


def _instructions_sheet(wb: openpyxl.Workbook, fw, ind: pd.DataFrame, units: list, waves: list,
                        lang: str) -> None:
    """The ``Instructions`` sheet (the workbook's first): what to fill in, for which units and waves."""
    info = wb.active
    info.title = "Instructions"
    fill = {"title": fw.title_fr if lang == "fr" else fw.title_en, "id": fw.id,
            "version": fw.version, "units": ", ".join(map(str, units)),
            "waves": ", ".join(map(str, waves)), "n": len(ind)}
    for r, (text, style) in enumerate(T.INSTRUCTIONS[lang], start=1):
        cell = info.cell(row=r, column=1, value=text.format(**fill) if text else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "h":
            cell.font = Font(bold=True, size=12)
    info.column_dimensions["A"].width = 110
    info.protection.sheet = True


def _data_sheet(wb: openpyxl.Workbook, fw, ind: pd.DataFrame, relative: set, units: list, waves: list,
                password: str | None, lang: str) -> str:
    """The data-entry sheet (one row per unit × wave × indicator, only the value, source and note
    editable, the value under Excel data validation); returns its name."""
    data_sheet = T.DATA_SHEETS[lang]
    ws = wb.create_sheet(data_sheet)
    for c, ((_, width, _), head) in enumerate(zip(T.COLUMNS, T.HEADERS[lang], strict=True),
                                              start=1):
        cell = ws.cell(row=1, column=c, value=head)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    value_col = 1 + [k for k, *_ in T.COLUMNS].index("value")
    groups: dict[tuple[str, float, float], DataValidation] = {}
    fixed = _indicator_cells(fw, ind, relative, lang)
    r = 2
    for unit in units:
        for wave in waves:
            for base in fixed:
                vals = {**base, "unit": unit, "wave": wave}
                for c, (key, _, editable) in enumerate(T.COLUMNS, start=1):
                    cell = ws.cell(row=r, column=c, value=vals.get(key))
                    if editable:
                        cell.protection = Protection(locked=False)
                        cell.fill = _EDIT_FILL
                    else:
                        cell.fill = _LOCK_FILL
                gkey: tuple[str, float, float] = base["_rule"]
                if gkey not in groups:
                    groups[gkey] = _validation(*gkey, lang)
                groups[gkey].add(f"{get_column_letter(value_col)}{r}")
                r += 1
    for dv in groups.values():
        ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    if password:
        ws.protection.password = password
    return data_sheet


def _indicator_cells(fw, ind: pd.DataFrame, relative: set, lang: str) -> list[dict[str, Any]]:
    """The per-indicator cells of the data sheet (the same for every unit and wave) and the rule
    ``(kind, lower limit, upper limit)`` of its value's data validation."""
    label_col = "label_fr" if lang == "fr" else "label_en"
    fixed: list[dict[str, Any]] = []
    for _, row in ind.iterrows():
        lo, hi = (np.nan, np.nan) if row["indicator"] in relative else (row["lower"], row["upper"])
        # the cell accepts what the value can be (plausibility limits), not only the goalposts
        lim_lo = np.nan if np.isinf(row["limit_low"]) else row["limit_low"]
        lim_hi = np.nan if np.isinf(row["limit_high"]) else row["limit_high"]
        fixed.append({
            "dimension": row["dimension"], "indicator": row["indicator"],
            "label": row[label_col] if pd.notna(row[label_col]) else row["label_fr"],
            "measure": T.measure(row["unit"], lang),
            "kind": T.KINDS[lang].get(row["kind"], row["kind"]),
            "lower": None if pd.isna(lo) else float(lo),
            "upper": None if pd.isna(hi) else float(hi),
            "help": T.help_text(row["kind"], lim_lo, lim_hi, fw.node(row["indicator"]).get("levels"),
                                lang),
            "_rule": (row["kind"], lim_lo, lim_hi),
        })
    return fixed


def _reference_sheet(wb: openpyxl.Workbook, ind: pd.DataFrame, relative: set, lang: str) -> None:
    """The reference list of the indicators (``Indicateurs``/``Indicators``)."""
    label_col = "label_fr" if lang == "fr" else "label_en"
    ref = wb.create_sheet(T.REF_SHEETS[lang])
    ref.append(T.REF_HEADERS[lang])
    for rec in ind.itertuples(index=False):
        label = getattr(rec, label_col)
        ref.append([rec.dimension, rec.criterion, rec.indicator,
                    label if pd.notna(label) else rec.label_fr, T.measure(rec.unit, lang),
                    T.KINDS[lang].get(rec.kind, rec.kind),
                    T.DIRECTIONS[lang].get(rec.direction, rec.direction),
                    None if pd.isna(rec.lower) or rec.indicator in relative else rec.lower,
                    None if pd.isna(rec.upper) or rec.indicator in relative else rec.upper])
    for c in range(1, len(T.REF_HEADERS[lang]) + 1):
        ref.cell(row=1, column=c).font = Font(bold=True)
    ref.protection.sheet = True


def _meta_sheet(wb: openpyxl.Workbook, fw, data_sheet: str, lang: str) -> None:
    """The very hidden ``_coopeval`` sheet: template version, framework id, version and hash, data
    sheet and language (read back by :func:`coopeval.data.check_excel`)."""
    meta = wb.create_sheet(_META_SHEET)
    for k, v in (("template_version", _TEMPLATE_VERSION), ("framework_id", fw.id),
                 ("framework_version", fw.version), ("framework_hash", fw.hash),
                 ("data_sheet", data_sheet), ("lang", lang)):
        meta.append([k, v])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True


def excel_template(
    fw,
    path: str | Path,
    *,
    units: Sequence[str],
    waves: Sequence[int | str],
    overwrite: bool = False,
    password: str | None = None,
    lang: str = "fr",
) -> Path:
    """Write an Excel data-entry template of a framework for a collective.

    Parameters
    ----------
    fw : Framework
        The framework whose indicators are to be filled in.
    path : str or Path
        Target ``.xlsx`` file. Its folder must exist.
    units : sequence of str
        The structures (cooperations) to fill in, e.g. ``["TERA"]``.
    waves : sequence of int or str
        The evaluation rounds, e.g. ``[2024, 2025]``.
    overwrite : bool, default False
        Replace an existing file (refused otherwise).
    password : str, optional
        Password of the sheet protection (none by default: protection prevents
        accidents, it is not a security feature).
    lang : {"fr", "en"}, default "fr"
        Language of everything the collective reads: instructions, sheet names
        (``Saisie``/``Data``, ``Indicateurs``/``Indicators``), headers, labels,
        units of measurement, help texts, drop-down lists (``oui,non`` or
        ``yes,no``) and validation messages. :func:`read_excel` reads both.

    Returns
    -------
    Path
        The written file. It is written to a temporary file in the same folder
        and moved into place, so a failure never leaves a partial workbook.

    Notes
    -----
    Sheets (French template; the English one has the same layout in English,
    see :mod:`coopeval.data._excel_text`): ``Instructions``, ``Saisie`` (columns Structure, Vague,
    Dimension, Indicateur (code), Libellé, Unité de mesure, Type, Minimum,
    Maximum, Aide à la saisie, **Valeur**, **Source**, **Commentaire**; one row
    per unit × wave × indicator in framework order), ``Indicateurs`` (reference
    list) and a hidden ``_coopeval`` sheet (framework id, version and hash,
    name of the data sheet, language).
    The *Valeur* column carries Excel data validation: a list ``oui,non`` for
    binary indicators, the whole levels ``lower … upper`` for ordinal ones and a
    decimal range ``[lower, upper]`` otherwise.

    Raises
    ------
    DataError
        Bad ``units``/``waves``/``lang``, wrong extension, missing folder, or an
        existing file without ``overwrite=True``.

    Examples
    --------
    >>> import coopeval as ce, tempfile, pathlib
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "saisie.xlsx"
    >>> _ = ce.data.excel_template(fw, f, units=["TERA"], waves=[2024])
    >>> len(ce.data.read_excel(f, fw))     # nothing filled in yet
    0
    >>> g = f.with_name("data_entry.xlsx")
    >>> _ = ce.data.excel_template(fw, g, units=["TERA"], waves=[2024], lang="en")
    >>> len(ce.data.read_excel(g, fw))
    0
    """
    if lang not in T.DATA_SHEETS:
        bad_param("lang", "'fr' or 'en'", lang, DataError)
    units = _check_list(units, "units")
    waves = _check_list(waves, "waves")
    wb = _build(fw, units, waves, password, lang)
    return write_atomically(path, ".xlsx", overwrite, lambda tmp: wb.save(tmp))
