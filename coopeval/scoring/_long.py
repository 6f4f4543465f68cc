"""Validation of long observations shared by the data-preparation steps (impute, treat, screen…)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError


def take(values: np.ndarray | list, positions: np.ndarray) -> pd.api.extensions.ExtensionArray:
    """``values[positions]`` with the dtype pandas infers for it, inferred from ``values`` alone (a few
    distinct labels or ids, not every row: e.g. ``str`` for text ids)."""
    if isinstance(values, list):
        values = np.array(values, dtype=object)
    return pd.Series(values, copy=False).array.take(positions)


def check_long(
    obs: pd.DataFrame, *, unit: str, wave: str | None, indicator: str, value: str, error: type = ScoringError
) -> pd.DataFrame:
    """Return a copy of ``obs`` with numeric ``value`` (NaN allowed); raise on bad input.

    Raises
    ------
    ScoringError
        Not a DataFrame, missing columns, non-numeric or infinite values, duplicated
        ``(unit, wave, indicator)`` rows — every problem listed.
    """
    if not isinstance(obs, pd.DataFrame):
        raise error(f"parameter `obs`: expected a pandas DataFrame, got {type(obs).__name__}")
    cols = [c for c in (unit, wave, indicator, value) if c is not None]
    missing = [c for c in cols if c not in obs.columns]
    if missing:
        raise error("parameter `obs`", issues=[Issue("obs", c, "a column of the observations", "no such column")
                                               for c in missing])
    df = obs.copy()
    num = pd.to_numeric(df[value], errors="coerce")
    issues = []
    if not pd.api.types.is_numeric_dtype(df[value]):  # a numeric column has no cell that is not a number
        issues += [Issue(f"obs row {i}", value, "a number", repr(df.at[i, value]))
                   for i in df.index[(num.isna() & df[value].notna()).to_numpy()][:20]]
    inf = np.isinf(num.to_numpy(dtype=float))
    if inf.any():
        issues += [Issue(f"obs row {i}", value, "a finite number", repr(df.at[i, value])) for i in df.index[inf][:20]]
    keys = [c for c in (unit, wave, indicator) if c is not None]
    dup = duplicated(df, keys)
    if dup.any():
        issues += [Issue(f"obs row {i}", ", ".join(keys), "one value per unit, wave and indicator", "a duplicate")
                   for i in df.index[dup][:20]]
    if issues:
        raise error("invalid observations", issues=issues)
    df[value] = num.astype(float)
    return df


def plain_ids(col: pd.Series) -> pd.Series | np.ndarray:
    """An id column as pandas factorises (and tests membership) fastest: text as a plain object
    array (pandas' string dtype takes twice as long through its own NA handling; same codes and
    values), any other dtype as it is."""
    return col.to_numpy(dtype=object) if isinstance(col.dtype, pd.StringDtype) else col


def duplicated(df: pd.DataFrame, keys: list[str]) -> np.ndarray:
    """Rows whose ``keys`` occur more than once, every occurrence marked (as
    ``df.duplicated(keys, keep=False)``: an empty cell is a value of its own), from the codes of
    each key column (text factorised as plain objects, see :func:`plain_ids`)."""
    group = np.zeros(len(df), dtype=np.int64)
    for k in keys:
        codes = pd.factorize(plain_ids(df[k]))[0].astype(np.int64) + 1  # empty cell (-1) -> 0
        group = pd.factorize(group * (int(codes.max(initial=0)) + 1) + codes)[0]
    return np.bincount(group)[group] > 1 if len(group) else np.zeros(0, dtype=bool)


def grid(df: pd.DataFrame, inds: list[str], c: dict) -> pd.DataFrame:
    """Wide table: one row per observed (unit, wave), one column per indicator."""
    rows = df[[c["unit"], c["wave"]]].drop_duplicates()
    wide = df[df[c["indicator"]].isin(inds)].pivot(index=[c["unit"], c["wave"]], columns=c["indicator"],
                                                   values=c["value"])
    idx = pd.MultiIndex.from_frame(rows)
    return wide.reindex(index=idx, columns=inds).sort_index()
