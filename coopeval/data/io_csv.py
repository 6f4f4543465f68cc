"""Reading tidy observations or responses from a CSV file, with line numbers.

The file is read with the standard :mod:`csv` module so that every problem can be
reported with its line ("file 'obs.csv', line 12"). The separator (comma,
semicolon or tab) is detected from the header; French decimal commas are accepted
in the ``value`` column.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from coopeval.data._files import as_int_if_whole, input_file
from coopeval.data.validate import (
    ERROR_COLUMNS,
    OBSERVATION_COLUMNS,
    RESPONSE_COLUMNS,
    ValidationResult,
    validate_observations,
    validate_responses,
)
from coopeval.errors import DataError, Issue, bad_param

if TYPE_CHECKING:
    from _csv import Reader  # the type of csv.reader(...) objects (typeshed)

__all__ = ["read_csv"]

_KINDS = {"observations": OBSERVATION_COLUMNS, "responses": RESPONSE_COLUMNS}


def _decode(p: Path, encoding: str) -> str:
    raw = p.read_bytes()
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise DataError(f"file '{p.name}', line {line}: expected text encoded as "
                        f"{encoding}, found undecodable bytes (re-save the file as UTF-8 "
                        "or pass `encoding=`)") from None
    except LookupError:
        bad_param("encoding", "a known text encoding", encoding, DataError)


def read_csv(
    path: str | Path,
    fw,
    *,
    kind: str = "observations",
    sep: str | None = None,
    encoding: str = "utf-8-sig",
    strict: bool = True,
    waves: Iterable | None = None,
) -> pd.DataFrame | ValidationResult:
    """Read and validate tidy observations or responses from a CSV file.

    Parameters
    ----------
    path : str or Path
        A ``.csv`` (or ``.txt``/``.tsv``) file whose first line holds the column
        names: ``unit, wave, indicator, value`` (+ ``source, note``) for
        observations, ``respondent, unit, wave, college, item, value`` for
        responses. Other columns are kept.
    fw : Framework
        Framework to validate against.
    kind : {"observations", "responses"}, default "observations"
        What the file holds.
    sep : str, optional
        Field separator; detected among ``,``, ``;`` and tab when omitted.
    encoding : str, default "utf-8-sig"
        Text encoding (a UTF-8 byte-order mark is ignored).
    strict : bool, default True
        Raise on any problem, or return ``ValidationResult(data, errors)``.
    waves : iterable, optional
        Expected waves (see :func:`coopeval.data.validate_observations`).

    Returns
    -------
    pandas.DataFrame or ValidationResult
        As :func:`coopeval.data.validate_observations` /
        :func:`coopeval.data.validate_responses`; locations read
        ``"file '<name>', line <n>"`` (line 1 is the header). Whole-number
        waves are read as integers; empty cells are missing.

    Raises
    ------
    DataError
        Unreadable file, missing columns, a line with the wrong number of fields,
        or (``strict=True``) any invalid row.

    Examples
    --------
    >>> import coopeval as ce, tempfile, pathlib
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "obs.csv"
    >>> _ = f.write_text("unit;wave;indicator;value\\nTERA;2024;emplois_etp;12,5\\n")
    >>> ce.data.read_csv(f, fw)
       unit  wave    indicator  value
    0  TERA  2024  emplois_etp   12.5
    """
    if kind not in _KINDS:
        bad_param("kind", "'observations' or 'responses'", kind, DataError)
    p = input_file(path, (".csv", ".txt", ".tsv"), "a CSV file")
    text = _decode(p, encoding)
    sep, reader, header = _header(text.splitlines(keepends=True), p.name, _KINDS[kind], sep)
    df, where, structural = _records(reader, header, p.name, sep)
    validate = validate_observations if kind == "observations" else validate_responses
    res = validate(df, fw, strict=False, waves=waves, where=where)
    errors = res.errors
    if structural:
        extra = pd.DataFrame([{"where": i.where, "row": None, "key": i.key,
                               "expected": i.expected, "found": i.found} for i in structural],
                             columns=ERROR_COLUMNS)
        errors = pd.concat([extra, errors], ignore_index=True)
    if strict:
        if len(errors):
            issues = [Issue(r.where, r.key, r.expected, r.found) for r in errors.itertuples()]
            raise DataError(f"invalid {kind} in '{p.name}'", issues=issues)
        return res.data.reset_index(drop=True)
    return ValidationResult(res.data.reset_index(drop=True), errors)


def _header(lines: list[str], name: str, required: list[str],
            sep: str | None) -> tuple[str, Reader, list[str]]:
    """The separator (``sep``, else the most frequent of comma, semicolon and tab in the header), the
    reader positioned after the header, and the header; missing or duplicated columns refused."""
    if not lines or not lines[0].strip():
        raise DataError(f"file '{name}', line 1: expected a header line with the columns "
                        f"{', '.join(required)}, found an empty line")
    if sep is None:
        sep = max([",", ";", "\t"], key=lines[0].count)
    reader = csv.reader(lines, delimiter=sep)
    header = [h.strip() for h in next(reader)]
    missing = [c for c in required if c not in header]
    if missing:
        raise DataError(f"file '{name}', line 1: expected the columns "
                        f"{', '.join(required)} (separator {sep!r}); missing {', '.join(missing)}"
                        f" in {header}")
    dup = sorted({h for h in header if header.count(h) > 1})
    if dup:
        raise DataError(f"file '{name}', line 1: expected unique column names, found "
                        f"{dup} twice")
    return sep, reader, header


def _records(reader: Reader, header: list[str], name: str,
             sep: str) -> tuple[pd.DataFrame, list[str], list[Issue]]:
    """The non-blank lines as text cells (empty: None; whole-number waves as integers), the
    location of each, and the lines with the wrong number of fields (left out)."""
    rows, where, structural = [], [], []
    prev = reader.line_num
    for fields in reader:
        line = prev + 1
        prev = reader.line_num
        if not any(f.strip() for f in fields):
            continue
        loc = f"file '{name}', line {line}"
        if len(fields) != len(header):
            structural.append(Issue(loc, "", f"{len(header)} fields separated by {sep!r}",
                                    f"{len(fields)} fields"))
            continue
        rows.append([f.strip() or None for f in fields])
        where.append(loc)
    df = pd.DataFrame(rows, columns=header, dtype=object)
    if "wave" in df.columns and len(df):
        df["wave"] = df["wave"].map(as_int_if_whole)
    return df, where, structural
