"""Input checks and warnings shared by :mod:`coopeval.stats` (private)."""

from __future__ import annotations

import sys
import warnings
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from types import FrameType

import numpy as np
import pandas as pd

from coopeval.errors import Issue, StatsError, bad_param


class StatsWarning(UserWarning):
    """A statistic was returned as NaN, or rows/groups were dropped, for a stated reason."""


def warn(message: str) -> None:
    """Emit a :class:`StatsWarning` pointing at the first caller outside ``coopeval``."""
    frame: FrameType | None = sys._getframe(1)
    level = 2
    while frame is not None and frame.f_globals.get("__name__", "").startswith("coopeval."):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, StatsWarning, stacklevel=level)


@contextmanager
def quiet() -> Iterator[None]:
    """Silence numpy/scipy/statsmodels runtime warnings inside a computation whose NaN
    results are checked and reported by coopeval itself."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        yield


def require_frame(data: object, name: str, columns: Iterable[str]) -> pd.DataFrame:
    """Check that ``data`` is a DataFrame holding ``columns``; raise every missing one at once."""
    if not isinstance(data, pd.DataFrame):
        bad_param(name, "a pandas DataFrame", type(data).__name__, StatsError)
    missing = [c for c in columns if c not in data.columns]
    if missing:
        raise StatsError(
            f"parameter `{name}`: missing column(s)",
            issues=[Issue(name, c, "a column", f"columns {list(data.columns)}") for c in missing],
        )
    return data


def numeric_column(data: pd.DataFrame, column: str, name: str) -> pd.Series:
    """``data[column]`` as floats; non-numeric entries are reported with their rows."""
    values = pd.to_numeric(data[column], errors="coerce")
    bad = values.isna() & data[column].notna()
    if bad.any():
        rows = list(data.index[bad])
        raise StatsError(
            f"parameter `{name}`: column `{column}` must be numeric",
            issues=[Issue(f"row {r}", column, "a number", repr(data.loc[r, column])) for r in rows[:20]],
        )
    return values.astype(float)


def numeric_rows(data: object, name: str, columns: Sequence[str], value: str) -> pd.DataFrame:
    """``data[columns]`` (all required) with ``value`` as floats and its missing rows dropped.

    Raises :class:`StatsError` for a missing column, a non-numeric ``value`` or no value left.
    """
    d = require_frame(data, name, columns)[list(columns)].copy()
    d[value] = numeric_column(d, value, name)
    return drop_missing(d, value, name)


def drop_missing(data: pd.DataFrame, column: str, name: str) -> pd.DataFrame:
    """Rows of ``data`` whose ``column`` is not missing; all missing raises :class:`StatsError`."""
    out = data[data[column].notna()]
    if out.empty:
        raise StatsError(
            f"parameter `{name}`: expected at least one non-missing value in column `{column}`, "
            f"got {len(data)} row(s), all missing"
        )
    return out


def check_ci(ci: float) -> float:
    """A confidence level strictly between 0 and 1."""
    if not isinstance(ci, (int, float)) or isinstance(ci, bool) or not 0 < ci < 1:
        bad_param("ci", "a confidence level strictly between 0 and 1 (e.g. 0.95)", ci, StatsError)
    return float(ci)


def check_choice(value: object, name: str, choices: Sequence[str]) -> str:
    """``value`` must be one of ``choices``."""
    if value not in choices:
        bad_param(name, f"one of {list(choices)}", value, StatsError)
    return str(value)


def check_int(value: object, name: str, minimum: int) -> int:
    """An integer ``>= minimum``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < minimum:
        bad_param(name, f"an integer >= {minimum}", value, StatsError)
    return int(value)


def check_by(by: str | Sequence[str] | None) -> list[str]:
    """Normalise a grouping argument to a list of column names."""
    if by is None:
        return []
    if isinstance(by, str):
        return [by]
    if isinstance(by, Sequence) and all(isinstance(b, str) for b in by):
        return list(by)
    return bad_param("by", "None, a column name or a list of column names", by, StatsError)


def check_duplicates(data: pd.DataFrame, keys: list[str], name: str) -> None:
    """Each combination of ``keys`` must appear once; duplicates are listed."""
    dup = data.duplicated(keys, keep=False)
    if dup.any():
        first = data.loc[dup, keys].drop_duplicates().head(20)
        raise StatsError(
            f"parameter `{name}`: expected one value per {tuple(keys)}, found duplicates "
            "(aggregate them first)",
            issues=[Issue(f"row {i}", ", ".join(keys), "a unique combination",
                          repr(tuple(r))) for i, r in zip(first.index, first.itertuples(index=False), strict=True)],
        )
