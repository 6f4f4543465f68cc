"""Excel data-entry templates for a collective, and reading them back.

:func:`excel_template` writes a workbook generated from a framework, in French
(default) or English: an instructions sheet, a ``Saisie`` (``Data``) sheet with
one row per unit × wave × indicator
(units of measurement and bounds shown, Excel data validation: drop-down lists
for ordinal and yes/no indicators, numeric ranges otherwise), locked columns and
header, only the *Valeur*, *Source* and *Commentaire* columns editable.
:func:`read_excel` reads such a filled template (or any workbook whose first row
holds the columns ``unit, wave, indicator, value``) into validated observations,
naming the sheet and the cell of every problem in the template's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np
import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from coopeval.data import _excel_text as T
from coopeval.data._files import as_int_if_whole, input_file, write_atomically
from coopeval.data.likert import normalise_text
from coopeval.data.validate import (
    ERROR_COLUMNS,
    OBSERVATION_COLUMNS,
    ValidationResult,
    validate_observations,
)
from coopeval.errors import DataError, Issue, bad_param

__all__ = ["excel_template", "read_excel", "check_excel", "TEMPLATE_COLUMNS", "DATA_SHEET"]

#: Name of the data-entry sheet (French template; ``"Data"`` in the English one).
DATA_SHEET = T.DATA_SHEETS["fr"]
_META_SHEET = "_coopeval"
_TEMPLATE_VERSION = "2"

#: Columns of the ``Saisie`` sheet: (key, French header, width, editable).
TEMPLATE_COLUMNS = [(k, h, w, e) for (k, w, e), h in zip(T.COLUMNS, T.HEADERS["fr"],
                                                          strict=True)]
# Header text (normalised, both languages) -> key, for the templates and plain tidy sheets.
_ALIASES = {normalise_text(h): k for lang in T.HEADERS
            for (k, _, _), h in zip(T.COLUMNS, T.HEADERS[lang], strict=True)}
_ALIASES.update({k: k for k in ("unit", "wave", "indicator", "value", "source", "note")})
_ALIASES.update({"unite": "unit", "cooperation": "unit", "indicateur": "indicator",
                 "vague": "wave", "valeur": "value", "commentaire": "note"})
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
    wb = openpyxl.Workbook()
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
    label_col = "label_fr" if lang == "fr" else "label_en"
    groups: dict[tuple, DataValidation] = {}
    fixed = []  # the per-indicator cells, the same for every unit and wave
    relative = set(fw.relative_goalposts["indicator"])  # issue 22: their goalposts bound a ratio, not the entry
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
                gkey = base["_rule"]
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

    meta = wb.create_sheet(_META_SHEET)
    for k, v in (("template_version", _TEMPLATE_VERSION), ("framework_id", fw.id),
                 ("framework_version", fw.version), ("framework_hash", fw.hash),
                 ("data_sheet", data_sheet), ("lang", lang)):
        meta.append([k, v])
    meta.sheet_state = "veryHidden"
    meta.protection.sheet = True
    wb.security = WorkbookProtection(lockStructure=True)  # no sheet added, renamed or removed
    wb.active = 1
    return wb


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
    try:
        wb = openpyxl.load_workbook(p, data_only=True)
    except Exception as err:  # zip, XML or format errors of a corrupt file
        raise DataError(f"file '{p.name}': expected an Excel .xlsx workbook, found a file "
                        f"that cannot be read ({type(err).__name__})") from None
    lang, meta_sheet = "fr", None
    if _META_SHEET in wb.sheetnames:
        meta = {r[0]: r[1] for r in wb[_META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("framework_id") not in (None, fw.id):
            raise DataError(f"file '{p.name}': expected a template of framework {fw.id!r}, "
                            f"found a template of {meta.get('framework_id')!r}")
        lang = meta.get("lang") if meta.get("lang") in T.DATA_SHEETS else "fr"
        meta_sheet = meta.get("data_sheet")
    if sheet is None and meta_sheet is not None and meta_sheet not in wb.sheetnames:
        # issue 16: a template whose data sheet was deleted used to be read from its first sheet
        raise DataError(f"file '{p.name}': expected the template's data sheet {meta_sheet!r}, found only "
                        f"the sheets {', '.join(repr(n) for n in wb.sheetnames if n != _META_SHEET)} "
                        f"(was {meta_sheet!r} deleted or renamed?)")
    if sheet is None:
        for sheet in (meta_sheet, *T.DATA_SHEETS.values(), wb.sheetnames[0]):
            if sheet in wb.sheetnames:
                break
    if sheet not in wb.sheetnames:
        raise DataError(f"file '{p.name}': expected a sheet {sheet!r}, found sheets "
                        f"{wb.sheetnames}")
    ws = wb[sheet]
    header = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
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

    def where(pos: int, key: str) -> str:
        col = get_column_letter(cols.get(key, cols["value"]))
        return T.WHERE[lang].format(sheet=sheet, cell=f"{col}{cells[pos]}")

    res = validate_observations(df, fw, strict=False, waves=waves, where=where)
    return ValidationResult(res.data.reset_index(drop=True), res.errors[ERROR_COLUMNS])


class _Formula(str):
    """A formula cell without a cached result (file saved by a program, not Excel)."""

    def __repr__(self) -> str:
        return f"formula {str(self)[:20]!r} not computed"
