"""Validation of tidy survey responses ``respondent, unit, wave, college, item, value`` against
a framework's items (rules by kind: :mod:`coopeval.data.validate`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from coopeval.contracts import RESPONSE_COLUMNS
from coopeval.data._fast import combine_codes, key_codes, plain_rows, str_codes
from coopeval.data.validate.checks import (
    ValidationResult,
    _check_frame,
    _coerce_value,
    _duplicates,
    _finish,
    _key_missing,
    _locator,
    _show,
    _spec,
    _suggest,
    _wave_issues,
)
from coopeval.errors import Issue


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
        Expected waves (as in :func:`~coopeval.data.validate.observations.validate_observations`).
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
        for pos in np.flatnonzero(n_col.to_numpy() > 1).tolist():
            problems.append((pos, Issue(loc(pos, "college"), "college",
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
