"""Validation of long observations shared by the data-preparation steps (impute, treat, screen…)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError


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
    issues = [Issue(f"obs row {i}", value, "a number", repr(df.at[i, value]))
              for i in df.index[(num.isna() & df[value].notna()).to_numpy()][:20]]
    issues += [Issue(f"obs row {i}", value, "a finite number", repr(df.at[i, value]))
               for i in df.index[np.isinf(num.to_numpy(dtype=float))][:20]]
    keys = [c for c in (unit, wave, indicator) if c is not None]
    dup = df.duplicated(keys, keep=False)
    issues += [Issue(f"obs row {i}", ", ".join(keys), "one value per unit, wave and indicator", "a duplicate")
               for i in df.index[dup.to_numpy()][:20]]
    if issues:
        raise error("invalid observations", issues=issues)
    df[value] = num.astype(float)
    return df


def grid(df: pd.DataFrame, inds: list[str], c: dict) -> pd.DataFrame:
    """Wide table: one row per observed (unit, wave), one column per indicator."""
    rows = df[[c["unit"], c["wave"]]].drop_duplicates()
    wide = df[df[c["indicator"]].isin(inds)].pivot(index=[c["unit"], c["wave"]], columns=c["indicator"],
                                                   values=c["value"])
    idx = pd.MultiIndex.from_frame(rows)
    return wide.reindex(index=idx, columns=inds).sort_index()
