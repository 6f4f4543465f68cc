"""Import of LimeSurvey response exports (CSV) into tidy survey responses.

LimeSurvey ("Réponses > Exporter", format CSV) writes one row per response and
one column per question or sub-question. Headings are question codes such as
``G01Q03[SQ002]`` (question ``G01Q03``, sub-question ``SQ002`` of an array), or
"code. text" when *question code & text* headings were chosen. Answers are either
*answer codes* (``AO01`` … or ``1`` … ``5``) or *full answers*
(``"Plutôt d'accord"``). System columns come first: ``id``, ``submitdate``
(empty for incomplete responses), ``lastpage``, ``startlanguage``, ``seed``,
``token``, ``startdate``, ``datestamp``, ``ipaddr``, ``refurl``; timings
(``interviewtime``, ``…Time``) may follow.

:func:`read_limesurvey` maps question codes to framework items (and to the
``unit``, ``wave`` and ``college`` of the respondent), drops direct identifiers,
pseudonymises respondent ids with a project secret and reports, column by
column, what was mapped, ignored or dropped and why.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd

from coopeval.data._files import as_int_if_whole, input_file
from coopeval.data.io_csv import _decode
from coopeval.data.likert import is_missing, normalise_text
from coopeval.data.pseudonym import direct_identifier_columns, pseudonymise
from coopeval.data.validate import RESPONSE_COLUMNS, validate_responses
from coopeval.errors import DataError, Issue, bad_param

__all__ = ["LimeSurveyImport", "read_limesurvey", "REPORT_COLUMNS"]

#: Columns of the import report.
REPORT_COLUMNS = ["column", "status", "target", "reason", "n_nonempty"]
_SYSTEM = {"id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
           "refurl", "completed", "optout", "emailstatus", "language", "sent", "remindersent",
           "remindercount", "usesleft", "validfrom", "validuntil", "mpid"}
_IDENTIFIERS = {"token", "ipaddr", "firstname", "lastname", "email", "participant_id"}
_SPECIAL = ("unit", "wave", "college")
_CODE = re.compile(r"^([A-Za-z][A-Za-z0-9_]*(?:\[[A-Za-z0-9_#]+\])*)(?:\.\s|\s|$)")


@dataclass(eq=False)
class LimeSurveyImport:
    """Result of :func:`read_limesurvey` with ``report=True``.

    Attributes
    ----------
    responses : pandas.DataFrame
        Tidy responses ``respondent, unit, wave, college, item, value``.
    report : pandas.DataFrame
        One row per column of the file (and one for skipped rows): ``column``
        (heading in the file), ``status`` (``mapped``, ``respondent``,
        ``ignored``, ``dropped``, ``rows skipped``), ``target`` (the item or
        key it was mapped to), ``reason`` (why ignored or dropped) and
        ``n_nonempty`` (non-empty cells among the imported rows).

    Unpacks as ``responses, report = read_limesurvey(..., report=True)``.
    """

    responses: pd.DataFrame
    report: pd.DataFrame

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return iter((self.responses, self.report))


def _mapping(mapping: object, fw) -> dict[str, str | None]:
    if isinstance(mapping, pd.DataFrame):
        cols = [c for c in ("code", "item") if c not in mapping.columns]
        if cols:
            bad_param("mapping", "a dict or a DataFrame with columns code, item",
                      list(mapping.columns), DataError)
        pairs = list(zip(mapping["code"], mapping["item"], strict=True))
    elif isinstance(mapping, Mapping):
        pairs = list(mapping.items())
    else:
        bad_param("mapping", "a dict {question code: item} or a DataFrame (code, item)",
                  type(mapping).__name__, DataError)
    items = set(fw.items["item"])
    issues, out = [], {}
    for code, target in pairs:
        code = str(code).strip()
        if target is not None and not (isinstance(target, float) and pd.isna(target)):
            target = str(target).strip()
            if target not in items and target not in _SPECIAL:
                issues.append(Issue(f"mapping[{code!r}]", "item",
                                    f"an item of framework {fw.id!r} or one of {_SPECIAL}",
                                    repr(target)))
        else:
            target = None
        if code in out:
            issues.append(Issue(f"mapping[{code!r}]", "code", "each code once", "twice"))
        out[code] = target
    targets = [t for t in out.values() if t in _SPECIAL]
    for t in set(targets):
        if targets.count(t) > 1:
            issues.append(Issue("mapping", t, f"one column mapped to {t!r}",
                                f"{targets.count(t)} columns"))
    if not any(t for t in out.values() if t not in _SPECIAL and t is not None):
        issues.append(Issue("mapping", "item", "at least one code mapped to an item", "none"))
    if issues:
        raise DataError("parameter `mapping` is invalid", issues=issues)
    return out


def _match(heading: str, mapping: dict) -> str | None:
    if heading in mapping:
        return heading
    m = _CODE.match(heading)
    if m and m.group(1) in mapping:
        return m.group(1)
    return None


def _read_rows(p: Path, encoding: str, sep: str | None) -> tuple[list[str], pd.DataFrame, list[int]]:
    """The headings, the non-blank rows (text, ``None`` when empty) and their line numbers."""
    text = _decode(p, encoding)
    lines = text.splitlines(keepends=True)
    if not lines or not lines[0].strip():
        raise DataError(f"file '{p.name}', line 1: expected the LimeSurvey headings, "
                        "found an empty line")
    if sep is None:
        sep = max([",", ";", "\t"], key=lines[0].count)
    reader = csv.reader(lines, delimiter=sep)
    header = [h.strip() for h in next(reader)]
    rows, line_of, structural = [], [], []
    prev = reader.line_num
    for fields in reader:
        line, prev = prev + 1, reader.line_num
        if not any(f.strip() for f in fields):
            continue
        if len(fields) != len(header):
            structural.append(Issue(f"file '{p.name}', line {line}", "",
                                    f"{len(header)} fields", f"{len(fields)} fields"))
            continue
        rows.append([f.strip() or None for f in fields])
        line_of.append(line)
    if structural:
        raise DataError(f"malformed LimeSurvey export '{p.name}'", issues=structural)
    wide = pd.DataFrame(rows, columns=range(len(header)), dtype=object)
    return header, wide, line_of


def _check_columns(p: Path, header: list[str], lower: list[str], codes: list, maps: dict,
                   respondent: str, secret, given: dict) -> None:
    """Every mapped code, the respondent column and unit/wave/college present (or given)."""
    problems = []
    absent = [c for c in maps if c not in codes]
    if absent:
        problems.append(Issue(f"file '{p.name}', line 1", "mapping",
                              "every mapped code among the headings",
                              f"{absent} missing (headings: {header[:12]}…)"))
    if respondent not in lower:
        problems.append(Issue(f"file '{p.name}', line 1", "respondent",
                              f"a column {respondent!r}", f"headings {header[:12]}…"))
    elif respondent == "token" and secret is None:
        problems.append(Issue("parameter", "secret", "a project secret when respondent='token'",
                              "None (a token is a direct identifier)"))
    for key in _SPECIAL:
        if key not in maps.values() and given[key] is None:
            problems.append(Issue("parameter", key, f"a column mapped to {key!r} or {key}=…",
                                  "neither"))
    if problems:
        raise DataError(f"cannot import '{p.name}'", issues=problems)


def _column_report(wide: pd.DataFrame, keep: pd.Series, skipped: int, header: list[str],
                   lower: list[str], codes: list, maps: dict, rid_col: int, secret) -> pd.DataFrame:
    """The import report: what became of each column (and of the skipped rows), and why."""
    personal = set(direct_identifier_columns(pd.DataFrame(columns=header)))
    rep = []
    for j, h in enumerate(header):
        n = int(wide.loc[keep, j].notna().sum())
        code = codes[j]
        if j == rid_col:
            rep.append((h, "respondent", "respondent",
                        "keyed hash (HMAC-SHA256)" if secret is not None else "LimeSurvey id", n))
        elif code is not None and maps[code] is not None:
            rep.append((h, "mapped", maps[code], "", n))
        elif code is not None:
            rep.append((h, "ignored", "", "mapped to None", n))
        elif lower[j] in _IDENTIFIERS or lower[j].startswith("attribute_") or h in personal:
            rep.append((h, "dropped", "", "direct identifier (personal data)", n))
        elif lower[j] in _SYSTEM:
            rep.append((h, "ignored", "", "LimeSurvey system column", n))
        elif lower[j] == "interviewtime" or lower[j].endswith("time"):
            rep.append((h, "ignored", "", "timing column", n))
        else:
            rep.append((h, "ignored", "", "not in mapping", n))
    if skipped:
        rep.append(("(rows)", "rows skipped", "", f"{skipped} incomplete response(s) "
                    "(empty submitdate)", skipped))
    return pd.DataFrame(rep, columns=REPORT_COLUMNS)


def _respondent_keys(p: Path, sub: pd.DataFrame, lines_kept: list[int], header: list[str],
                     codes: list, maps: dict, given: dict, recode) -> dict[str, list]:
    """The unit, wave and college of each kept row: its mapped column (recoded) or the constant."""
    keys: dict[str, list] = {}
    issues = []
    for key in _SPECIAL:
        if key in maps.values():
            j = codes.index(next(c for c, t in maps.items() if t == key))
            raw = list(sub[j])
            table = (recode or {}).get(key)
            vals = []
            for ln, v in zip(lines_kept, raw, strict=True):
                if table is not None and v is not None:
                    if v not in table:
                        issues.append(Issue(f"file '{p.name}', line {ln}, column "
                                            f"'{header[j]}'", key,
                                            f"a value listed in recode[{key!r}]", repr(v)))
                    v = table.get(v, v)
                vals.append(v)
            keys[key] = vals
        else:
            keys[key] = [given[key]] * len(sub)
    if issues:
        raise DataError(f"cannot import '{p.name}'", issues=issues)
    keys["wave"] = [as_int_if_whole(w) for w in keys["wave"]]
    return keys


def _item_responses(p: Path, fw, sub: pd.DataFrame, lines_kept: list[int], header: list[str],
                    codes: list, maps: dict, keys: dict[str, list], rid: list,
                    answer_codes) -> pd.DataFrame:
    """One validated response per kept row × mapped item, each located by file, line and column."""
    records, where = [], []
    item_cols = [(j, maps[c]) for j, c in enumerate(codes)
                 if c is not None and maps[c] not in _SPECIAL and maps[c] is not None]
    for pos, ln in enumerate(lines_kept):
        for j, item in item_cols:
            v = sub.iat[pos, j]
            if answer_codes is not None and v is not None and not is_missing(v):
                v = answer_codes.get(v, answer_codes.get(normalise_text(v), v))
            records.append((rid[pos], keys["unit"][pos], keys["wave"][pos],
                            keys["college"][pos], item, v))
            where.append(f"file '{p.name}', line {ln}, column '{header[j]}'")
    long = pd.DataFrame(records, columns=RESPONSE_COLUMNS, dtype=object)
    # strict=True returns the validated frame (a ValidationResult only with strict=False)
    valid = cast(pd.DataFrame, validate_responses(long, fw, strict=True, where=where))
    return valid.reset_index(drop=True)


def read_limesurvey(
    path: str | Path,
    fw,
    mapping: Mapping[str, str | None] | pd.DataFrame,
    *,
    unit: str | None = None,
    wave: int | str | None = None,
    college: str | None = None,
    recode: Mapping[str, Mapping[str, object]] | None = None,
    answer_codes: Mapping[str, float] | None = None,
    respondent: str = "id",
    secret: str | bytes | None = None,
    complete_only: bool = True,
    sep: str | None = None,
    encoding: str = "utf-8-sig",
    report: bool = False,
) -> pd.DataFrame | LimeSurveyImport:
    """Read a LimeSurvey response export (CSV) into tidy, validated responses.

    Parameters
    ----------
    path : str or Path
        The ``.csv`` export ("question code" or "question code & text" headings;
        "answer codes" or "full answers").
    fw : Framework
        Framework whose items the questions measure.
    mapping : dict or DataFrame
        Question code → framework item (e.g. ``{"G01Q03[SQ002]":
        "appartenance_fierte"}``), or a DataFrame with columns ``code, item``.
        A code may also map to ``"unit"``, ``"wave"`` or ``"college"`` (the
        question giving the respondent's cooperation, round or stakeholder
        group), or to ``None`` to ignore it explicitly. Every mapped code must be
        in the file.
    unit, wave, college : optional
        Constant values when no column is mapped to them (one survey per
        cooperation and round is common).
    recode : dict, optional
        ``{"college": {"A1": "habitants", "Habitant·e": "habitants", …}, …}``:
        translation of the raw answers of the ``unit``/``wave``/``college``
        columns. When given for a key, every raw value must be listed.
    answer_codes : dict, optional
        Answer code → numeric value for item columns (e.g. ``{"AO01": 1, …,
        "AO05": 5}``). Without it, answers must be numbers or agreement labels.
    respondent : str, default "id"
        Column identifying the respondent: ``"id"`` (response id) or ``"token"``
        (participant token, which links waves; then ``secret`` is required).
    secret : str or bytes, optional
        Project secret: respondent ids become keyed hashes (see
        :func:`coopeval.data.pseudonymise`). Without it, ids are ``"ls<id>"``
        (LimeSurvey's sequential response number, not a personal identifier).
    complete_only : bool, default True
        Skip incomplete responses (empty ``submitdate``); they are counted in the
        report.
    sep : str, optional
        Field separator (detected among ``,``, ``;`` and tab).
    encoding : str, default "utf-8-sig"
        Text encoding.
    report : bool, default False
        Return a :class:`LimeSurveyImport` ``(responses, report)`` instead of the
        responses alone.

    Returns
    -------
    pandas.DataFrame or LimeSurveyImport
        Responses ``respondent, unit, wave, college, item, value`` (one row per
        response × mapped item, value NaN when not answered), validated with
        :func:`coopeval.data.validate_responses` and in file order. Direct
        identifiers (``token``, ``ipaddr``, ``email``, names…) never reach the
        result.

    Raises
    ------
    DataError
        Unreadable file, invalid mapping, mapped codes absent from the file,
        missing unit/wave/college, unlisted recode values, or any invalid answer
        (located as ``file 'x.csv', line 5, column 'G01Q01[SQ002]'``).

    Examples
    --------
    >>> import coopeval as ce, tempfile, pathlib
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "results-survey123.csv"
    >>> _ = f.write_text('"id","submitdate","token","G01Q01[SQ001]"\\n'
    ...                  '"1","2024-05-02 10:11:12","tk8Hq","Plutôt d\\'accord"\\n')
    >>> resp, rep = ce.data.read_limesurvey(f, fw, {"G01Q01[SQ001]": "appartenance_membre"},
    ...     unit="TERA", wave=2024, college="habitants", report=True)
    >>> resp["value"].tolist(), rep.set_index("column")["status"].to_dict()
    ([4.0], {'id': 'respondent', 'submitdate': 'ignored', 'token': 'dropped', 'G01Q01[SQ001]': 'mapped'})
    """
    p = input_file(path, (".csv", ".txt"), "a LimeSurvey CSV export")
    maps = _mapping(mapping, fw)
    header, wide, line_of = _read_rows(p, encoding, sep)
    lower = [h.lower() for h in header]
    codes = [_match(h, maps) for h in header]
    given = {"unit": unit, "wave": wave, "college": college}
    _check_columns(p, header, lower, codes, maps, respondent, secret, given)

    keep = pd.Series(True, index=wide.index)
    skipped = 0
    if complete_only and "submitdate" in lower:
        keep = wide[lower.index("submitdate")].notna()
        skipped = int((~keep).sum())
    rid_col = lower.index(respondent)
    report_df = _column_report(wide, keep, skipped, header, lower, codes, maps, rid_col, secret)

    sub = wide[keep]
    lines_kept = [ln for ln, k in zip(line_of, keep, strict=True) if k]
    keys = _respondent_keys(p, sub, lines_kept, header, codes, maps, given, recode)
    rid = ["ls" + str(v) if secret is None else v for v in sub[rid_col]]
    resp = _item_responses(p, fw, sub, lines_kept, header, codes, maps, keys, rid, answer_codes)
    if secret is not None:
        resp = pseudonymise(resp, secret)
        resp.attrs = {}
    return LimeSurveyImport(resp, report_df) if report else resp
