"""Checks shared by the validation of observations and of survey responses.

The table of problems and :class:`ValidationResult`, the coercion of a value by the kind of
its indicator (the rules of :mod:`coopeval.data.validate`), locating a row in messages,
missing keys, duplicates and wave completeness.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.data.likert import binary_code, is_missing, likert_rank, parse_number
from coopeval.errors import DataError, Issue, bad_param

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
