"""The inputs of an evaluation in one representation: waves as integers when every wave is a
whole number (``"2"`` and ``2`` are the same wave), units as text, the externality ledger and its
conventions checked. :class:`coopeval.evaluation.model.Evaluation` reads its inputs through them.
"""

from __future__ import annotations

import pandas as pd

from coopeval.errors import bad_param

__all__ = ["canonical_waves"]


def canonical_waves(values: pd.Series) -> pd.Series:
    """Waves as integers when every wave is a whole number (``"2"`` → ``2``), else as text.

    >>> canonical_waves(pd.Series(["1", "10", "2"])).tolist()
    [1, 10, 2]
    >>> canonical_waves(pd.Series(["2024-T1", 2024])).tolist()
    ['2024-T1', '2024']
    """
    if values.empty:
        return values
    codes, uniq = pd.factorize(values, use_na_sentinel=False)  # judged once per distinct wave (issue 21)
    num = pd.to_numeric(pd.Series(uniq, copy=False), errors="coerce")
    if num.notna().all() and (num == num.round()).all():
        return pd.Series(num.astype("int64").to_numpy()[codes], index=values.index, name=values.name)
    return values.astype(str)


def _with_waves(df: pd.DataFrame | None) -> pd.DataFrame | None:
    if df is None:
        return None
    if "wave" in df.columns and len(df):
        df = df.assign(wave=canonical_waves(df["wave"]))
    return df


def _ledger_inputs(externalities: pd.DataFrame | None,
                   conventions: pd.DataFrame | None) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """The ledger and conventions with their waves in one representation (None when empty)."""
    out: list[pd.DataFrame | None] = []
    for name, df in (("externalities", externalities), ("conventions", conventions)):
        if df is None or not len(df):
            out.append(None)
            continue
        if not isinstance(df, pd.DataFrame) or not {"unit", "wave"} <= set(df.columns):
            bad_param(name, "a DataFrame with columns unit and wave (see coopeval.Project.ledger)",
                      type(df).__name__ if not isinstance(df, pd.DataFrame) else list(df.columns))
        out.append(_with_waves(df.assign(unit=df["unit"].astype(str))))
    return out[0], out[1]
