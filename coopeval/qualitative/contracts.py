"""The tidy contracts of qualitative evidence: extracts, codes and the codebook.

Three long tables (column names are part of the API):

``extracts``  one row per extract (a verbatim from an interview, a focus group, an open
              survey answer or field notes): ``extract, unit, wave, source, date, speaker,
              college, consent, text``. ``speaker`` is a pseudonym (never a name; the
              store replaces it by a keyed hash on import), ``consent`` is a boolean: may
              the extract be quoted in a restitution?
``codes``     one row per code given to an extract by a coder: ``extract, code, coder``
              (several codes per extract, several coders per extract).
``codebook``  the codes the researcher defines: ``code, label_fr, label_en, node``, where
              ``node`` is the criterion or indicator of the framework the code documents
              (empty for a free theme).

:func:`check_extracts`, :func:`check_codes` and :func:`check_codebook` validate a table
and return it cleaned (ids as text, ``consent`` as bool); every problem is reported at
once, with its row, in one :class:`~coopeval.errors.DataError`.

Example
-------
>>> import pandas as pd
>>> from coopeval.qualitative import check_extracts
>>> ex = pd.DataFrame({"extract": ["e1"], "unit": ["u01"], "wave": [1], "source": ["entretien_01"],
...                    "date": ["2024-03-02"], "speaker": ["s07"], "college": ["habitants"],
...                    "consent": ["oui"], "text": ["On se connaît tous maintenant."]})
>>> check_extracts(ex)["consent"].tolist()
[True]
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from coopeval.data.likert import binary_code
from coopeval.errors import DataError, Issue

__all__ = ["EXTRACT_COLUMNS", "CODE_COLUMNS", "CODEBOOK_COLUMNS", "check_extracts", "check_codes",
           "check_codebook", "ID_PATTERN"]

#: Columns of the extracts table, in order.
EXTRACT_COLUMNS = ["extract", "unit", "wave", "source", "date", "speaker", "college", "consent", "text"]
#: Columns of the codes table, in order.
CODE_COLUMNS = ["extract", "code", "coder"]
#: Columns of the codebook, in order.
CODEBOOK_COLUMNS = ["code", "label_fr", "label_en", "node"]
#: A code is a snake_case id (like framework node ids).
ID_PATTERN = re.compile(r"^[a-z][a-z0-9_]*$")
#: Text that looks like a direct identifier (refused in an extract's text: anonymise it first).
_IDENTIFIERS = {
    "an e-mail address": re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"),
    "a phone number": re.compile(r"(\+33\s?|\b0)[1-9]([\s.-]?\d{2}){4}\b"),
}


def _frame(df: object, name: str, required: list[str]) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise DataError(f"parameter `{name}`: expected a DataFrame with columns {', '.join(required)}, "
                        f"got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(f"parameter `{name}`: expected columns {', '.join(required)}; missing "
                        f"{', '.join(missing)} (found columns: {', '.join(map(str, df.columns))})")
    return df.reset_index(drop=True)


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, float) and pd.isna(value)) or str(value).strip() == ""


def _consent(value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and not pd.isna(value) and value in (0, 1):
        return bool(value)
    code = binary_code(value)
    return None if code is None else bool(code)


def check_extracts(extracts: pd.DataFrame, *, where: str | None = None) -> pd.DataFrame:
    """Validate an extracts table and return it cleaned, in :data:`EXTRACT_COLUMNS` order.

    Parameters
    ----------
    extracts : DataFrame
        :data:`EXTRACT_COLUMNS`; ``source``, ``date`` and ``college`` may be empty,
        ``consent`` is ``oui/non``, ``yes/no``, ``1/0`` or a boolean.
    where : str, optional
        File name used in the messages (``"extraits.csv, line 3"``; line 1 is the header).

    Returns
    -------
    DataFrame
        ``extract, unit, wave, source, date, speaker, college, text`` as text (``wave``
        kept as given, an int when whole), ``consent`` as bool.

    Raises
    ------
    DataError
        Every problem at once: a missing id, unit, wave, speaker or text, a consent that is not
        yes/no, a duplicated ``extract``, a text holding an e-mail address or a phone number.
    """
    df = _frame(extracts, "extracts", ["extract", "unit", "wave", "speaker", "consent", "text"]).copy()
    for col in EXTRACT_COLUMNS:
        if col not in df.columns:
            df[col] = None
    issues: list[Issue] = []

    def at(i: int) -> str:
        return f"{where}, line {i + 2}" if where else f"row {i}"

    consent = []
    for i, row in enumerate(df.to_dict("records")):
        for col in ("extract", "unit", "wave", "speaker", "text"):
            if _blank(row[col]):
                issues.append(Issue(at(i), col, f"a non-empty `{col}`", "nothing"))
        c = _consent(row["consent"])
        if c is None:
            issues.append(Issue(at(i), "consent", "oui/non (or yes/no, 1/0)", repr(row["consent"])))
        consent.append(bool(c))
        for what, pattern in _IDENTIFIERS.items():
            if isinstance(row["text"], str) and pattern.search(row["text"]):
                issues.append(Issue(at(i), "text", "an anonymised verbatim", f"{what} in the text"))
    dup = df["extract"].astype(str).duplicated(keep=False) & df["extract"].notna()
    for i in df.index[dup]:
        issues.append(Issue(at(int(i)), "extract", "each extract id once", repr(df.at[i, "extract"])))
    if issues:
        raise DataError("invalid extracts", issues=issues)
    out = df[EXTRACT_COLUMNS].copy()
    for col in ("extract", "unit", "speaker", "text"):
        out[col] = out[col].astype(str).str.strip()
    for col in ("source", "date", "college"):
        out[col] = [None if _blank(v) else str(v).strip() for v in out[col]]
    out["consent"] = consent
    return out


def _whole(value: Any) -> object:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return str(value)
    return int(f) if f == int(f) else f


def check_codes(codes: pd.DataFrame, extracts: pd.DataFrame | None = None, *,
                codebook: pd.DataFrame | None = None, where: str | None = None) -> pd.DataFrame:
    """Validate a codes table (``extract, code, coder``) and return it without duplicates.

    Parameters
    ----------
    codes : DataFrame
        :data:`CODE_COLUMNS`; ``coder`` may be empty (read as ``"c1"``).
    extracts : DataFrame, optional
        When given, every coded extract must be one of its ``extract`` ids.
    codebook : DataFrame, optional
        When given, every code must be in it.
    where : str, optional
        File name used in the messages.

    Raises
    ------
    DataError
        Every problem at once: a code that is not a snake_case id, an extract or a code unknown.
    """
    df = _frame(codes, "codes", ["extract", "code"]).copy()
    if "coder" not in df.columns:
        df["coder"] = "c1"
    df["coder"] = ["c1" if _blank(v) else str(v).strip() for v in df["coder"]]
    known_extracts = None if extracts is None else set(extracts["extract"].astype(str))
    known_codes = None if codebook is None else set(codebook["code"].astype(str))
    issues: list[Issue] = []
    for i, row in enumerate(df.to_dict("records")):
        loc = f"{where}, line {i + 2}" if where else f"row {i}"
        code, ext = str(row["code"]).strip(), str(row["extract"]).strip()
        if not ID_PATTERN.match(code):
            issues.append(Issue(loc, "code", "a snake_case code (a-z, 0-9, _)", repr(row["code"])))
        elif known_codes is not None and code not in known_codes:
            issues.append(Issue(loc, "code", "a code of the codebook", repr(code)))
        if known_extracts is not None and ext not in known_extracts:
            issues.append(Issue(loc, "extract", "the id of an extract", repr(ext)))
    if issues:
        raise DataError("invalid codes", issues=issues)
    out = pd.DataFrame({"extract": df["extract"].astype(str).str.strip(),
                        "code": df["code"].astype(str).str.strip(), "coder": df["coder"]})
    return out.drop_duplicates().reset_index(drop=True)


def check_codebook(codebook: pd.DataFrame, fw=None, *, where: str | None = None) -> pd.DataFrame:  # noqa: ANN001
    """Validate a codebook (``code, label_fr, label_en, node``) and return it cleaned.

    ``label_en`` defaults to ``label_fr``; ``node`` may be empty (a free theme). With a
    framework ``fw``, a non-empty ``node`` must be one of its criteria or indicators.

    Raises
    ------
    DataError
        Every problem at once: a code that is not a snake_case id or given twice, no French
        label, a node unknown to ``fw``.
    """
    df = _frame(codebook, "codebook", ["code", "label_fr"]).copy()
    for col in ("label_en", "node"):
        if col not in df.columns:
            df[col] = None
    nodes = None
    if fw is not None:
        levels = fw.nodes.set_index("node")["level"]
        nodes = set(levels.index[levels.isin(["criterion", "indicator"])])
    issues: list[Issue] = []
    seen: set[str] = set()
    for i, row in enumerate(df.to_dict("records")):
        loc = f"{where}, line {i + 2}" if where else f"row {i}"
        code = str(row["code"]).strip()
        if not ID_PATTERN.match(code):
            issues.append(Issue(loc, "code", "a snake_case code (a-z, 0-9, _)", repr(row["code"])))
        elif code in seen:
            issues.append(Issue(loc, "code", "each code once", repr(code)))
        seen.add(code)
        if _blank(row["label_fr"]):
            issues.append(Issue(loc, "label_fr", "a French label", "nothing"))
        if nodes is not None and not _blank(row["node"]) and str(row["node"]).strip() not in nodes:
            issues.append(Issue(loc, "node", f"a criterion or indicator of framework {fw.id}", repr(row["node"])))
    if issues:
        raise DataError("invalid codebook", issues=issues)
    out = pd.DataFrame({"code": df["code"].astype(str).str.strip(), "label_fr": df["label_fr"].astype(str)})
    out["label_en"] = [fr if _blank(en) else str(en) for fr, en in zip(out["label_fr"], df["label_en"], strict=True)]
    out["node"] = [None if _blank(n) else str(n).strip() for n in df["node"]]
    return out
