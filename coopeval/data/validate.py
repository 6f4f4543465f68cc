"""Validation of tidy observations and survey responses against a framework.

Two long tables enter the pipeline (see ``ARCHITECTURE.md``):

* **observations** ``unit, wave, indicator, value`` (+ optional ``source, note``);
* **responses** ``respondent, unit, wave, college, item, value``.

Each row is checked against the framework: unknown indicator or item, value of the
wrong type, outside the bounds or not allowed by the kind of the indicator, missing
keys, duplicates and (optionally) missing or unexpected waves. Every problem is
collected, located (DataFrame row, or file line / Excel cell when the data come
from a file) and reported at once.

Rules by ``kind``: for observations, "within the bounds" means within the indicator's
plausibility limits (``limit_low, limit_high`` of ``fw.indicators``: a share between 0 and
1, a count not negative…), not within its goalposts ``lower, upper`` — a value beyond a
goalpost is valid and capped by scoring (:func:`coopeval.scoring.beyond_goalposts` lists
them); for survey answers, the scale ``lower, upper``:

============  =================================  ===================================
kind          observations                       responses (survey items)
============  =================================  ===================================
quantitative  a number within the bounds         a number within the bounds
likert        a number within the bounds         a whole number within the bounds,
              (usually a mean of answers)        or a five-point agreement label
ordinal       a whole number within the bounds   a whole number within the bounds
grid          a whole level within the bounds    a whole level within the bounds
binary        0 or 1 (``oui``/``non`` accepted)  0 or 1 (``oui``/``non`` accepted)
============  =================================  ===================================

A missing value (empty, NaN, ``"Ne sais pas"``) is kept as NaN: data are partly
missing by design and the missing-data policy belongs to scoring.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.contracts import OBSERVATION_COLUMNS, RESPONSE_COLUMNS
from coopeval.data._fast import combine_codes, key_codes, plain_rows, str_codes
from coopeval.data.likert import binary_code, is_missing, likert_rank, parse_number
from coopeval.errors import DataError, Issue, bad_param

__all__ = [
    "OBSERVATION_COLUMNS",
    "RESPONSE_COLUMNS",
    "ValidationResult",
    "validate_observations",
    "validate_responses",
]


#: Optional columns of observations.
OBSERVATION_OPTIONAL = ["source", "note"]

#: Columns of the error table returned with ``strict=False``.
ERROR_COLUMNS = ["where", "row", "key", "expected", "found"]


@dataclass(eq=False)
class ValidationResult:
    """Outcome of a non-strict validation (``strict=False``).

    Attributes
    ----------
    data : pandas.DataFrame
        The rows without any problem, values coerced to float. Never silently
        reduced: every row left out is listed in ``errors``.
    errors : pandas.DataFrame
        One row per problem, columns ``where`` (location text), ``row`` (index
        label of the offending row, ``None`` for table-wide problems such as a
        missing wave), ``key`` (column at fault), ``expected``, ``found``.

    The result unpacks as a tuple: ``clean, errors = validate_observations(...)``.
    """

    data: pd.DataFrame
    errors: pd.DataFrame

    def __iter__(self) -> Iterator[pd.DataFrame]:
        return iter((self.data, self.errors))

    @property
    def ok(self) -> bool:
        """True when no problem was found."""
        return self.errors.empty


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _suggest(name: object, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(str(name), list(known), n=1)
    return f" (did you mean {close[0]!r}?)" if close else ""


def _spec(fw, *, limits: bool = False) -> dict[str, tuple[str, float, float]]:
    """``indicator → (kind, low, high)``: the scale bounds, or (``limits=True``, observations)
    the plausibility limits — a value beyond a goalpost is accepted (scoring caps it), a value
    outside the limits is refused."""
    ind = fw.indicators
    if limits:
        out = {r.indicator: (r.kind, r.limit_low, r.limit_high) for r in ind.itertuples(index=False)}
        # reference variables (members, inhabitants… issue 22) are observed too: a count, not negative
        out.update({v: ("quantitative", 0.0, np.inf) for v in fw.reference_variables["variable"]})
        return out
    return {r.indicator: (r.kind, r.lower, r.upper) for r in ind.itertuples(index=False)}


def _check_frame(df: object, required: Sequence[str], name: str) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        bad_param(name, "a pandas DataFrame", type(df).__name__, DataError)
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise DataError(
            f"parameter `{name}`: expected columns {', '.join(required)}; "
            f"missing {', '.join(missing)} (found columns: {', '.join(map(str, df.columns))})"
        )
    if df.columns.duplicated().any():
        dup = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
        raise DataError(f"parameter `{name}`: expected unique column names, found {dup} twice")
    return df


def _coerce_value(raw: object, kind: str, lower: float, upper: float, *, survey: bool):
    """Return (value, problem) where problem is None or (expected, found)."""
    if is_missing(raw):
        return np.nan, None
    if kind == "binary" and isinstance(raw, (bool, np.bool_)):
        return float(raw), None
    lo = None if pd.isna(lower) or np.isinf(lower) else float(lower)
    hi = None if pd.isna(upper) or np.isinf(upper) else float(upper)
    if lo is not None and hi is not None:
        rng = f"between {lo:g} and {hi:g}"
    elif lo is not None:
        rng = f"of at least {lo:g}"
    elif hi is not None:
        rng = f"of at most {hi:g}"
    else:
        rng = ""
    value = parse_number(raw)
    if value is None and kind == "binary":
        value = binary_code(raw)
    if value is None and kind == "likert" and survey:
        rank = likert_rank(raw)
        if rank is not None:
            if lo is None or hi is None or hi - lo != 4:
                return np.nan, (f"a numeric code {rng} (agreement labels need a 5-point scale)",
                                _show(raw))
            value = lo + rank
    if value is None:
        if kind == "binary":
            expected = "0 or 1 (or oui/non)"
        elif kind == "likert" and survey:
            expected = f"a whole number {rng} or an agreement label"
        elif kind in ("ordinal", "grid") or (kind == "likert" and survey):
            expected = f"a whole number {rng}"
        else:
            expected = f"a number {rng}".rstrip()
        return np.nan, (expected, _show(raw))
    if kind == "binary":
        if value not in (0.0, 1.0):
            return np.nan, ("0 or 1 (or oui/non)", _show(raw))
        return value, None
    if not math.isfinite(value):  # issue 16: "1e400" or inf reached round() and raised OverflowError
        return np.nan, ("a finite number" + (f" {rng}" if lo is not None else ""), _show(raw))
    whole = kind in ("ordinal", "grid") or (kind == "likert" and survey)
    if whole and value != round(value):
        return np.nan, (f"a whole number {rng}", _show(raw))
    if (lo is not None and value < lo) or (hi is not None and value > hi):
        exp = f"a {'whole ' if whole else ''}number {rng}".rstrip()
        return np.nan, (exp, _show(raw))
    return value, None


def _locator(df: pd.DataFrame, where) -> Callable[[int, str], str]:
    """Function (row position, column) -> location text."""
    if where is None:  # index labels read when a problem is located, not listed up front (issue 21)
        index = df.index
        return lambda pos, key: f"row {index[pos]}"
    if callable(where):
        return where
    texts = list(where)
    if len(texts) != len(df):
        bad_param("where", f"{len(df)} locations (one per row)", f"{len(texts)} locations",
                  DataError)
    return lambda pos, key: texts[pos]


def _finish(
    df: pd.DataFrame,
    values: list[float],
    problems: list[tuple[int | None, Issue]],
    *,
    strict: bool,
    what: str,
    order: Sequence[str],
) -> pd.DataFrame | ValidationResult:
    out = df.copy()
    out["value"] = np.asarray(values, dtype=float)
    cols = list(order) + [c for c in out.columns if c not in order]
    out = out[cols]
    for c in out.columns:  # text columns as the default string dtype, as pandas builds them
        if out[c].dtype == object:
            out[c] = out[c].infer_objects()
    if strict:
        if problems:
            raise DataError(f"invalid {what}", issues=[i for _, i in problems])
        return out
    bad = sorted({pos for pos, _ in problems if pos is not None})
    keep = np.ones(len(out), dtype=bool)
    keep[bad] = False
    errors = pd.DataFrame(
        [
            {
                "where": i.where,
                "row": None if pos is None else df.index[pos],
                "key": i.key,
                "expected": i.expected,
                "found": i.found,
            }
            for pos, i in problems
        ],
        columns=ERROR_COLUMNS,
    )
    errors["row"] = pd.Series([None if pos is None else df.index[pos] for pos, _ in problems],
                              dtype=object)
    return ValidationResult(out[keep], errors)


def _key_missing(value: object) -> bool:
    if isinstance(value, str):
        return not value.strip()
    if value is None:
        return True
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def _duplicates(
    df: pd.DataFrame, keys: list[str], loc: Callable, problems: list, label: str
) -> None:
    k = df[keys].astype(str)
    dup = k.duplicated(keep=False).to_numpy()
    if not dup.any():
        return
    first: dict[tuple, str] = {}
    for pos in np.flatnonzero(dup):
        key = tuple(k.iloc[pos])
        if key not in first:
            first[key] = loc(pos, label)
            continue
        problems.append(
            (pos, Issue(loc(pos, label), label, f"one row per {', '.join(keys)}",
                        f"a duplicate of {first[key]} {dict(zip(keys, key, strict=True))}"))
        )
    for pos in np.flatnonzero(dup):
        key = tuple(k.iloc[pos])
        if first[key] == loc(pos, label):
            problems.append((pos, Issue(loc(pos, label), label, f"one row per {', '.join(keys)}",
                                        f"duplicated later {dict(zip(keys, key, strict=True))}")))


def _wave_issues(
    df: pd.DataFrame, waves: Iterable | None, loc: Callable, problems: list
) -> None:
    if waves is None:
        return
    expected = list(waves)
    exp_str = {str(w) for w in expected}
    for pos, w in enumerate(df["wave"]):
        if not _key_missing(w) and str(w) not in exp_str:
            problems.append((pos, Issue(loc(pos, "wave"), "wave", f"one of the waves {expected}",
                                        _show(w))))
    present = df[[not _key_missing(u) for u in df["unit"]]]
    for unit, sub in present.groupby(present["unit"].astype(str), sort=True):
        have = {str(w) for w in sub["wave"]}
        lacking = [w for w in expected if str(w) not in have]
        if lacking:
            problems.append((None, Issue(f"unit {unit!r}", "wave",
                                         f"data for every wave {expected}",
                                         f"no row for wave(s) {lacking}")))


def validate_observations(
    obs: pd.DataFrame,
    fw,
    strict: bool = True,
    *,
    waves: Iterable | None = None,
    where: Sequence[str] | Callable[[int, str], str] | None = None,
) -> pd.DataFrame | ValidationResult:
    """Check tidy observations against a framework.

    Parameters
    ----------
    obs : pandas.DataFrame
        Columns ``unit, wave, indicator, value`` (+ optional ``source, note``; other
        columns are kept unchanged).
    fw : Framework
        The framework giving the indicators, their ``kind`` and bounds.
    strict : bool, default True
        If True, raise :class:`~coopeval.errors.DataError` listing every problem.
        If False, return a :class:`ValidationResult` ``(data, errors)``: the rows
        without problem and the table of problems (nothing is dropped silently).
    waves : iterable, optional
        Expected waves. When given, a wave outside the list is an error and so is
        a unit without any observation in one of them ("missing wave").
    where : sequence of str or callable, optional
        Location of each row used in messages, or a function ``(position,
        column) -> str`` (the file readers pass ``"file 'x.csv', line 4"`` or
        ``"sheet 'Saisie', cell K7"``). Default ``"row <index label>"``.

    Returns
    -------
    pandas.DataFrame or ValidationResult
        With ``strict=True``: the observations with ``value`` coerced to float
        (French decimal commas and ``oui``/``non`` for binary indicators are
        accepted, non-answers become NaN), columns ``unit, wave, indicator,
        value`` first. With ``strict=False``: ``ValidationResult(data, errors)``.

    Raises
    ------
    DataError
        Missing columns (always), or any row problem when ``strict=True``.

    Notes
    -----
    Checks: ``unit``, ``wave``, ``indicator`` present; ``indicator`` known to the
    framework; ``value`` a number (see the table in the module docstring for each
    ``kind``); no two rows for the same ``unit, wave, indicator`` (both rows are
    reported); optional wave completeness.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = pd.DataFrame({"unit": ["TERA", "TERA"], "wave": [2024, 2024],
    ...                     "indicator": ["emplois_etp", "part_cdi"], "value": ["12,5", 2]})
    >>> clean, errors = ce.data.validate_observations(obs, fw, strict=False)
    >>> clean["value"].tolist(), errors["where"].tolist()
    ([12.5], ['row 1'])
    """
    obs = _check_frame(obs, OBSERVATION_COLUMNS, "obs")
    loc = _locator(obs, where)
    spec = _spec(fw, limits=True)
    # plain dict look-ups: a per-row DataFrame.loc dominated the time of large imports
    known = list(spec)
    problems: list[tuple[int | None, Issue]] = []
    values: list[float] = []
    for pos, (unit, wave, ind, raw) in enumerate(
        obs[OBSERVATION_COLUMNS].itertuples(index=False, name=None)
    ):
        for key, v in (("unit", unit), ("wave", wave), ("indicator", ind)):
            if _key_missing(v):
                problems.append((pos, Issue(loc(pos, key), key, f"a {key}", "an empty cell")))
        if _key_missing(ind):
            values.append(np.nan)
            continue
        if ind not in spec:
            problems.append((pos, Issue(loc(pos, "indicator"), "indicator",
                                        f"an indicator of framework {fw.id!r}{_suggest(ind, known)}",
                                        _show(ind))))
            values.append(np.nan)
            continue
        kind, lo, hi = spec[ind]
        value, prob = _coerce_value(raw, kind, lo, hi, survey=False)
        if prob is not None:
            problems.append((pos, Issue(loc(pos, "value"), "value", f"{prob[0]} for {ind!r}", prob[1])))
        values.append(value)
    _duplicates(obs, ["unit", "wave", "indicator"], loc, problems, "indicator")
    _wave_issues(obs, waves, loc, problems)
    return _finish(obs, values, problems, strict=strict, what="observations",
                   order=OBSERVATION_COLUMNS)


def validate_responses(
    resp: pd.DataFrame,
    fw,
    strict: bool = True,
    *,
    colleges: Iterable[str] | None = None,
    waves: Iterable | None = None,
    where: Sequence[str] | Callable[[int, str], str] | None = None,
) -> pd.DataFrame | ValidationResult:
    """Check tidy survey responses against a framework's items.

    Parameters
    ----------
    resp : pandas.DataFrame
        Columns ``respondent, unit, wave, college, item, value`` (other columns
        are kept unchanged).
    fw : Framework
        The framework; items come from ``fw.items``, the kind and bounds of an
        item are those of its indicator in ``fw.indicators``.
    strict : bool, default True
        Raise on any problem (True) or return ``ValidationResult(data, errors)``.
    colleges : iterable of str, optional
        Allowed colleges (stakeholder groups). Default: any non-empty text.
    waves : iterable, optional
        Expected waves (as in :func:`validate_observations`).
    where : sequence of str or callable, optional
        Location of each row (or function ``(position, column) -> str``) for
        messages; default ``"row <index label>"``.

    Returns
    -------
    pandas.DataFrame or ValidationResult
        Responses with ``value`` as float codes: agreement labels (``"Plutôt
        d'accord"`` …) are mapped to ``lower + rank`` on five-point scales,
        non-answers to NaN. Reverse coding is *not* applied here (see
        :func:`coopeval.data.score_scales`).

    Raises
    ------
    DataError
        Missing columns (always), or any row problem when ``strict=True``.

    Notes
    -----
    Checks: keys present; ``item`` known; ``value`` a whole code within the
    bounds or a recognised label; one row per ``respondent, unit, wave, item``;
    one college per ``respondent, unit, wave``; allowed colleges and waves.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> resp = pd.DataFrame({"respondent": ["r1", "r1"], "unit": "TERA", "wave": 2024,
    ...     "college": "habitants", "item": ["appartenance_membre", "appartenance_fierte"],
    ...     "value": ["Plutôt d'accord", 5]})
    >>> ce.data.validate_responses(resp, fw)["value"].tolist()
    [4.0, 5.0]
    """
    return _validate_responses(resp, fw, strict, colleges=colleges, waves=waves, where=where)[0]


def _validate_responses(resp: pd.DataFrame, fw, strict: bool = True, *, colleges: Iterable[str] | None = None,
                        waves: Iterable | None = None, where=None) -> tuple[pd.DataFrame | ValidationResult, dict]:
    """:func:`validate_responses` and the codes of its key columns (:func:`coopeval.data._fast.key_codes`,
    row for row those of ``resp``), which :func:`coopeval.data.score_scales` reuses."""
    resp = _check_frame(resp, RESPONSE_COLUMNS, "resp")
    loc = _locator(resp, where)
    spec = _spec(fw)
    item_of = dict(zip(fw.items["item"], fw.items["indicator"], strict=True))
    known = list(item_of)
    allowed = None if colleges is None else [str(c) for c in colleges]
    problems: list[tuple[int | None, Issue]] = []
    codes = key_codes(resp)  # one factorisation per key column, shared by the checks below (issue 21)
    plain, fast_values = plain_rows(resp, spec, item_of, allowed, codes)  # vectorised: rows accepted as they are
    values: list[float] = fast_values.tolist()
    slow = np.flatnonzero(~plain)
    for pos, (rid, unit, wave, college, item, raw) in zip(
        slow.tolist(), resp[RESPONSE_COLUMNS].iloc[slow].itertuples(index=False, name=None), strict=True
    ):
        for key, v in (("respondent", rid), ("unit", unit), ("wave", wave),
                       ("college", college), ("item", item)):
            if _key_missing(v):
                problems.append((pos, Issue(loc(pos, key), key, f"a {key}", "an empty cell")))
        if allowed is not None and not _key_missing(college) and str(college) not in allowed:
            problems.append((pos, Issue(loc(pos, "college"), "college", f"one of {allowed}",
                                        _show(college))))
        if _key_missing(item):
            values[pos] = np.nan
            continue
        if item not in item_of:
            problems.append((pos, Issue(loc(pos, "item"), "item",
                                        f"a survey item of framework {fw.id!r}"
                                        f"{_suggest(item, known)}", _show(item))))
            values[pos] = np.nan
            continue
        ind = item_of[item]
        kind, lo, hi = spec[ind]
        value, prob = _coerce_value(raw, kind, lo, hi, survey=True)
        if prob is not None:
            problems.append((pos, Issue(loc(pos, "value"), "value", f"{prob[0]} for item {item!r}",
                                        prob[1])))
        values[pos] = value
    dup_free, one_college = _plain_keys(codes)
    if not dup_free:  # named row by row only when the codes show a duplicate
        _duplicates(resp, ["respondent", "unit", "wave", "item"], loc, problems, "item")
    if not one_college:
        keyed = resp[["respondent", "unit", "wave", "college"]].astype(str)
        n_col = keyed.groupby(["respondent", "unit", "wave"], sort=False)["college"].transform(
            "nunique")
        for pos in np.flatnonzero(n_col.to_numpy() > 1):
            problems.append((int(pos), Issue(loc(pos, "college"), "college",
                                             "one college per respondent, unit and wave",
                                             f"{_show(resp['college'].iloc[pos])} while the same "
                                             "respondent has another college")))
    _wave_issues(resp, waves, loc, problems)
    return _finish(resp, values, problems, strict=strict, what="responses",
                   order=RESPONSE_COLUMNS), codes


def _plain_keys(codes: dict) -> tuple[bool, bool]:
    """``(no duplicate, one college per respondent)`` proven on integer codes, keys compared as
    text (as ``astype(str)``); ``False`` means "not proven": the row-by-row checks then run and
    name the rows (a missing key always sends them there)."""
    sc = {k: str_codes(*codes[k]) for k in ("respondent", "unit", "wave", "college", "item")}
    if not len(sc["item"]) or any((c < 0).any() for c in sc.values()):
        return False, False
    who = combine_codes([sc["respondent"], sc["unit"], sc["wave"]])
    n_who = len(pd.unique(who))
    dup_free = len(pd.unique(combine_codes([who, sc["item"]]))) == len(who)
    one_college = len(pd.unique(combine_codes([who, sc["college"]]))) == n_who
    return dup_free, one_college
