"""Reading coded extracts from a CSV or Excel file.

One row per extract, with the columns of :data:`~coopeval.qualitative.EXTRACT_COLUMNS`
and, optionally, ``codes`` (codes separated by ``;`` or ``,``) and ``coder`` (default
``c1``). An Excel workbook may also hold a sheet named ``codebook`` (or ``grille``)
with ``code, label_fr, label_en, node``, and a sheet ``codes`` (``extract, code, coder``)
for codes given apart (a second coder, for instance).

Example
-------
>>> import tempfile, pathlib
>>> from coopeval.qualitative import read_extracts
>>> p = pathlib.Path(tempfile.mkdtemp()) / "extraits.csv"
>>> _ = p.write_text("extract;unit;wave;speaker;college;consent;text;codes\\n"
...                  "e1;u01;1;s1;habitants;oui;On s'entraide.;entraide; lien_social\\n", encoding="utf-8")
>>> out = read_extracts(p)
>>> out["codes"][["extract", "code"]].values.tolist()
[['e1', 'entraide'], ['e1', 'lien_social']]
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from coopeval.errors import DataError, bad_param
from coopeval.qualitative.contracts import CODE_COLUMNS, check_codebook, check_codes, check_extracts

__all__ = ["read_extracts", "split_codes"]


def split_codes(table: pd.DataFrame, *, column: str = "codes", coder: str = "c1") -> pd.DataFrame:
    """Codes table ``extract, code, coder`` from a column of ``;``/``,``-separated codes."""
    rows = []
    coders = table["coder"] if "coder" in table.columns else [coder] * len(table)
    for ext, cell, who in zip(table["extract"], table[column], coders, strict=True):
        if cell is None or (isinstance(cell, float) and pd.isna(cell)):
            continue
        for code in str(cell).replace(",", ";").split(";"):
            if code.strip():
                who = coder if who is None or (isinstance(who, float) and pd.isna(who)) else who
                rows.append({"extract": str(ext), "code": code.strip(), "coder": str(who)})
    return pd.DataFrame(rows, columns=CODE_COLUMNS)


def _read_csv(path: Path, encoding: str) -> pd.DataFrame:
    text = path.read_text(encoding=encoding)
    head = text.split("\n", 1)[0]
    sep = max((";", ",", "\t"), key=head.count)
    rows = list(csv.reader(text.splitlines(), delimiter=sep))
    if not rows:
        bad_param("path", "a CSV file with a header line", f"{path.name} (empty)", DataError)
    header, body = rows[0], rows[1:]
    width = len(header)
    if "codes" in header and header[-1] == "codes":  # unquoted codes may hold the separator
        body = [r[:width - 1] + [";".join(r[width - 1:])] for r in body]
    return pd.DataFrame([r + [""] * (width - len(r)) for r in body], columns=header).replace("", None)


def read_extracts(path: str | Path, *, fw=None, encoding: str = "utf-8-sig") -> dict[str, pd.DataFrame]:  # noqa: ANN001
    """Read coded extracts from a CSV (``;``, ``,`` or tab) or Excel (.xlsx) file.

    Parameters
    ----------
    path : str or Path
        The file.
    fw : Framework, optional
        Checks the codebook's nodes when the workbook has a codebook sheet.
    encoding : str
        Encoding of a CSV file.

    Returns
    -------
    dict
        ``extracts`` (checked by :func:`~coopeval.qualitative.check_extracts`), ``codes``
        (``extract, code, coder``) and, when the workbook has one, ``codebook``.

    Raises
    ------
    DataError
        The file is missing or of another type, or any row is invalid (with its line).
    """
    p = Path(path)
    if not p.is_file():
        bad_param("path", "an existing CSV or Excel file", str(path), DataError)
    suffix = p.suffix.lower()
    sheets: dict[str, pd.DataFrame] = {}
    if suffix in (".csv", ".txt", ".tsv"):
        table = _read_csv(p, encoding)
    elif suffix in (".xlsx", ".xlsm"):
        book = pd.read_excel(p, sheet_name=None, dtype=object)
        names = {k.strip().lower(): k for k in book}
        first = next(iter(book))
        table = book[names.get("extraits", names.get("extracts", first))]
        sheets = {key: book[names[alias]] for key, aliases in
                  (("codebook", ("codebook", "grille", "grille de codage")), ("codes", ("codes",)))
                  for alias in aliases if alias in names}
    else:
        bad_param("path", "a .csv or .xlsx file", p.name, DataError)
    extracts = check_extracts(table, where=p.name)
    codes = split_codes(table) if "codes" in table.columns else pd.DataFrame(columns=CODE_COLUMNS)
    if "codes" in sheets:
        codes = pd.concat([codes, sheets["codes"]], ignore_index=True)
    out = {"extracts": extracts}
    if "codebook" in sheets:
        out["codebook"] = check_codebook(sheets["codebook"], fw, where=f"{p.name}, sheet codebook")
    out["codes"] = check_codes(codes, extracts, codebook=out.get("codebook"), where=p.name)
    return out
