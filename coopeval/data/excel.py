"""Excel data-entry templates for a collective, and reading them back.

:func:`excel_template` writes a workbook generated from a framework: a French
instructions sheet, a ``Saisie`` sheet with one row per unit × wave × indicator
(units of measurement and bounds shown, Excel data validation: drop-down lists
for ordinal and yes/no indicators, numeric ranges otherwise), locked columns and
header, only the *Valeur*, *Source* and *Commentaire* columns editable.
:func:`read_excel` reads such a filled template (or any workbook whose first row
holds the columns ``unit, wave, indicator, value``) into validated observations,
naming the sheet and the cell of every problem.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from pathlib import Path

import openpyxl
import pandas as pd
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from coopeval.data._files import as_int_if_whole, input_file, write_atomically
from coopeval.data.likert import normalise_text
from coopeval.data.validate import (
    ERROR_COLUMNS,
    OBSERVATION_COLUMNS,
    ValidationResult,
    validate_observations,
)
from coopeval.errors import DataError, Issue, bad_param

__all__ = ["excel_template", "read_excel", "TEMPLATE_COLUMNS", "DATA_SHEET"]

#: Name of the data-entry sheet.
DATA_SHEET = "Saisie"
_META_SHEET = "_coopeval"
_TEMPLATE_VERSION = "1"

#: Columns of the ``Saisie`` sheet: (key, French header, width, editable).
TEMPLATE_COLUMNS = [
    ("unit", "Structure", 22, False),
    ("wave", "Vague", 10, False),
    ("dimension", "Dimension", 16, False),
    ("indicator", "Indicateur (code)", 30, False),
    ("label", "Libellé", 48, False),
    ("measure", "Unité de mesure", 18, False),
    ("kind", "Type", 13, False),
    ("lower", "Minimum", 10, False),
    ("upper", "Maximum", 10, False),
    ("help", "Aide à la saisie", 40, False),
    ("value", "Valeur", 12, True),
    ("source", "Source", 24, True),
    ("note", "Commentaire", 32, True),
]
_KIND_FR = {"quantitative": "nombre", "likert": "score", "ordinal": "niveau", "binary": "oui/non"}
# Header text (normalised) -> key, for the template and for plain tidy sheets.
_ALIASES = {normalise_text(h): k for k, h, _, _ in TEMPLATE_COLUMNS}
_ALIASES.update({k: k for k in ("unit", "wave", "indicator", "value", "source", "note")})
_ALIASES.update({"unite": "unit", "cooperation": "unit", "indicateur": "indicator",
                 "vague": "wave", "valeur": "value", "commentaire": "note"})

_INSTRUCTIONS = [
    ("Modèle de saisie des indicateurs", "title"),
    ("Référentiel : {title} (identifiant « {id} », version {version}).", ""),
    ("", ""),
    ("Comment remplir ce fichier", "h"),
    ("1. La feuille « Saisie » contient une ligne par structure, par vague d'évaluation et "
     "par indicateur.", ""),
    ("2. Saisissez uniquement la colonne « Valeur » (et, si vous le souhaitez, « Source » et "
     "« Commentaire »). Les autres colonnes sont protégées : ne les modifiez pas.", ""),
    ("3. Respectez l'unité de mesure et les bornes (colonnes « Minimum » et « Maximum ») ; "
     "les décimales peuvent s'écrire avec une virgule.", ""),
    ("4. Pour les indicateurs « oui/non » et « niveau », choisissez la valeur dans la liste "
     "déroulante ; la colonne « Aide à la saisie » rappelle la signification des niveaux.", ""),
    ("5. Laissez la cellule vide si la donnée n'est pas disponible : une cellule vide n'est "
     "pas un zéro, elle sera traitée comme une donnée manquante.", ""),
    ("6. N'ajoutez, ne supprimez et ne renommez ni lignes, ni colonnes, ni feuilles.", ""),
    ("7. Ne saisissez aucune donnée personnelle (nom, adresse, courriel, téléphone).", ""),
    ("", ""),
    ("Et ensuite ?", "h"),
    ("Renvoyez le fichier à la personne qui coordonne l'évaluation. Elle l'importera avec "
     "coopeval (ce.data.read_excel) : chaque erreur éventuelle sera signalée avec la feuille "
     "et la cellule concernées.", ""),
    ("", ""),
    ("Structures : {units}", ""),
    ("Vagues : {waves}", ""),
    ("Nombre d'indicateurs : {n}", ""),
]
_HEAD_FILL = PatternFill("solid", fgColor="1F4E79")
_LOCK_FILL = PatternFill("solid", fgColor="EDEDED")
_EDIT_FILL = PatternFill("solid", fgColor="FFF2CC")


def _fmt(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def _help(row: pd.Series, levels: dict | None) -> str:
    lo, hi = row["lower"], row["upper"]
    if row["kind"] == "binary":
        return "oui ou non"
    if row["kind"] == "ordinal" and levels:
        return " ; ".join(f"{k} = {v}" for k, v in sorted(levels.items()))
    if pd.notna(lo) and pd.notna(hi):
        whole = "nombre entier" if row["kind"] == "ordinal" else "nombre"
        return f"{whole} entre {_fmt(lo)} et {_fmt(hi)}"
    if pd.notna(lo):
        return f"nombre supérieur ou égal à {_fmt(lo)}"
    if pd.notna(hi):
        return f"nombre inférieur ou égal à {_fmt(hi)}"
    return "nombre"


def _validation(kind: str, lo: float, hi: float) -> DataValidation:
    if kind == "binary":
        dv = DataValidation(type="list", formula1='"oui,non"', allow_blank=True)
        dv.error = "Choisissez « oui » ou « non » dans la liste."
    elif kind == "ordinal" and pd.notna(lo) and pd.notna(hi):
        codes = ",".join(str(int(c)) for c in range(int(lo), int(hi) + 1))
        dv = DataValidation(type="list", formula1=f'"{codes}"', allow_blank=True)
        dv.error = f"Choisissez un niveau entre {int(lo)} et {int(hi)} dans la liste."
    else:
        lo_s = repr(float(lo)) if pd.notna(lo) else "-1E+300"
        hi_s = repr(float(hi)) if pd.notna(hi) else "1E+300"
        dv = DataValidation(type="decimal", operator="between", formula1=lo_s, formula2=hi_s,
                            allow_blank=True)
        dv.error = (f"Entrez un nombre entre {_fmt(lo) if pd.notna(lo) else '-∞'} et "
                    f"{_fmt(hi) if pd.notna(hi) else '+∞'}.")
    dv.errorTitle = "Valeur refusée"
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


def _build(fw, units: list, waves: list, password: str | None) -> openpyxl.Workbook:
    ind = fw.indicators
    wb = openpyxl.Workbook()
    info = wb.active
    info.title = "Instructions"
    fill = {"title": fw.title_fr, "id": fw.id, "version": fw.version,
            "units": ", ".join(map(str, units)), "waves": ", ".join(map(str, waves)),
            "n": len(ind)}
    for r, (text, style) in enumerate(_INSTRUCTIONS, start=1):
        cell = info.cell(row=r, column=1, value=text.format(**fill) if text else None)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if style == "title":
            cell.font = Font(bold=True, size=14)
        elif style == "h":
            cell.font = Font(bold=True, size=12)
    info.column_dimensions["A"].width = 110
    info.protection.sheet = True

    ws = wb.create_sheet(DATA_SHEET)
    for c, (_, head, width, _) in enumerate(TEMPLATE_COLUMNS, start=1):
        cell = ws.cell(row=1, column=c, value=head)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = _HEAD_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    ws.freeze_panes = "A2"
    value_col = 1 + [k for k, *_ in TEMPLATE_COLUMNS].index("value")
    groups: dict[tuple, DataValidation] = {}
    r = 2
    for unit in units:
        for wave in waves:
            for _, row in ind.iterrows():
                levels = fw.node(row["indicator"]).get("levels")
                vals = {
                    "unit": unit, "wave": wave, "dimension": row["dimension"],
                    "indicator": row["indicator"], "label": row["label_fr"],
                    "measure": row["unit"], "kind": _KIND_FR.get(row["kind"], row["kind"]),
                    "lower": None if pd.isna(row["lower"]) else float(row["lower"]),
                    "upper": None if pd.isna(row["upper"]) else float(row["upper"]),
                    "help": _help(row, levels),
                }
                for c, (key, _, _, editable) in enumerate(TEMPLATE_COLUMNS, start=1):
                    cell = ws.cell(row=r, column=c, value=vals.get(key))
                    if editable:
                        cell.protection = Protection(locked=False)
                        cell.fill = _EDIT_FILL
                    else:
                        cell.fill = _LOCK_FILL
                gkey = (row["kind"], row["lower"], row["upper"])
                if gkey not in groups:
                    groups[gkey] = _validation(*gkey)
                groups[gkey].add(f"{get_column_letter(value_col)}{r}")
                r += 1
    for dv in groups.values():
        ws.add_data_validation(dv)
    ws.protection.sheet = True
    ws.protection.autoFilter = False
    ws.protection.formatColumns = False
    if password:
        ws.protection.password = password

    ref = wb.create_sheet("Indicateurs")
    cols = ["dimension", "criterion", "indicator", "label_fr", "unit", "kind", "direction",
            "lower", "upper"]
    heads = ["Dimension", "Critère", "Indicateur", "Libellé", "Unité", "Type", "Sens",
             "Minimum", "Maximum"]
    ref.append(heads)
    for rec in ind[cols].itertuples(index=False):
        ref.append([None if pd.isna(v) else v for v in rec])
    for c in range(1, len(heads) + 1):
        ref.cell(row=1, column=c).font = Font(bold=True)
    ref.protection.sheet = True

    meta = wb.create_sheet(_META_SHEET)
    for k, v in (("template_version", _TEMPLATE_VERSION), ("framework_id", fw.id),
                 ("framework_version", fw.version), ("framework_hash", fw.hash),
                 ("data_sheet", DATA_SHEET)):
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

    Returns
    -------
    Path
        The written file. It is written to a temporary file in the same folder
        and moved into place, so a failure never leaves a partial workbook.

    Notes
    -----
    Sheets: ``Instructions`` (French), ``Saisie`` (columns Structure, Vague,
    Dimension, Indicateur (code), Libellé, Unité de mesure, Type, Minimum,
    Maximum, Aide à la saisie, **Valeur**, **Source**, **Commentaire**; one row
    per unit × wave × indicator in framework order), ``Indicateurs`` (reference
    list) and a hidden ``_coopeval`` sheet (framework id, version and hash).
    The *Valeur* column carries Excel data validation: a list ``oui,non`` for
    binary indicators, the whole levels ``lower … upper`` for ordinal ones and a
    decimal range ``[lower, upper]`` otherwise.

    Raises
    ------
    DataError
        Bad ``units``/``waves``, wrong extension, missing folder, or an existing
        file without ``overwrite=True``.

    Examples
    --------
    >>> import coopeval as ce, tempfile, pathlib
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "saisie.xlsx"
    >>> _ = ce.data.excel_template(fw, f, units=["TERA"], waves=[2024])
    >>> len(ce.data.read_excel(f, fw))     # nothing filled in yet
    0
    """
    units = _check_list(units, "units")
    waves = _check_list(waves, "waves")
    wb = _build(fw, units, waves, password)
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
    strict: bool = True,
    waves: Iterable | None = None,
) -> pd.DataFrame | ValidationResult:
    """Read observations from a filled template (or a tidy sheet) of an ``.xlsx`` file.

    Parameters
    ----------
    path : str or Path
        The workbook.
    fw : Framework
        Framework to validate against.
    sheet : str, optional
        Sheet to read. Default: ``Saisie`` if present, else the first sheet.
    strict : bool, default True
        Raise on any problem, or return ``ValidationResult(data, errors)``.
    waves : iterable, optional
        Expected waves (see :func:`coopeval.data.validate_observations`).

    Returns
    -------
    pandas.DataFrame or ValidationResult
        Observations ``unit, wave, indicator, value`` (float), plus ``source``
        and ``note`` when any is filled in, one row per filled *Valeur* cell
        (rows left empty are data not entered and are not returned), in sheet
        order. Whole-number waves are integers.

    Raises
    ------
    DataError
        Not a readable workbook, missing sheet or columns, a template of another
        framework, a formula without a computed value, or (``strict=True``) any
        invalid row; locations read ``"feuille 'Saisie', cellule K7"``.

    Notes
    -----
    The header row (row 1) is matched by name, so columns may be in any order;
    template headers (French) and contract names (``unit, wave, indicator,
    value, source, note``) are both recognised.
    """
    p = input_file(path, (".xlsx", ".xlsm"), "an Excel workbook")
    try:
        wb = openpyxl.load_workbook(p, data_only=True)
    except Exception as err:  # zip, XML or format errors of a corrupt file
        raise DataError(f"file '{p.name}': expected an Excel .xlsx workbook, found a file "
                        f"that cannot be read ({type(err).__name__})") from None
    if _META_SHEET in wb.sheetnames:
        meta = {r[0]: r[1] for r in wb[_META_SHEET].iter_rows(values_only=True) if r and r[0]}
        if meta.get("framework_id") not in (None, fw.id):
            raise DataError(f"file '{p.name}': expected a template of framework {fw.id!r}, "
                            f"found a template of {meta.get('framework_id')!r}")
    if sheet is None:
        sheet = DATA_SHEET if DATA_SHEET in wb.sheetnames else wb.sheetnames[0]
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
        raise DataError(f"feuille '{sheet}', ligne 1: expected the columns "
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
        return f"feuille '{sheet}', cellule {col}{cells[pos]}"

    res = validate_observations(df, fw, strict=False, waves=waves, where=where)
    data = res.data.reset_index(drop=True)
    if strict:
        if len(res.errors):
            issues = [Issue(e.where, e.key, e.expected, e.found) for e in res.errors.itertuples()]
            raise DataError(f"invalid observations in '{p.name}'", issues=issues)
        return data
    return ValidationResult(data, res.errors[ERROR_COLUMNS])


class _Formula(str):
    """A formula cell without a cached result (file saved by a program, not Excel)."""

    def __repr__(self) -> str:
        return f"formula {str(self)[:20]!r} not computed"
