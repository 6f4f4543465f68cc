"""Small-group suppression for anything shown to a collective.

An aggregate computed on very few respondents can reveal what one person
answered (a college of two inhabitants, a single salaried worker…). Before a
table or figure is shown, every aggregate over fewer than ``min_n`` respondents
is hidden: its values (and, by default, its count) are set to missing and the
row is flagged ``suppressed``.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coopeval.errors import DataError, bad_param

__all__ = ["DEFAULT_MIN_N", "suppress_small_groups"]

#: Default minimum number of respondents behind a displayed aggregate.
DEFAULT_MIN_N = 5


def suppress_small_groups(
    df: pd.DataFrame,
    count_col: str = "n",
    min_n: int = DEFAULT_MIN_N,
    *,
    columns: Iterable[str] | None = None,
    keep_count: bool = False,
) -> pd.DataFrame:
    """Hide every aggregate computed on fewer than ``min_n`` respondents.

    Parameters
    ----------
    df : pandas.DataFrame
        Aggregates, one per row, with the number of respondents in ``count_col``
        (e.g. the output of :func:`coopeval.data.score_scales` with ``by=``).
    count_col : str, default "n"
        Column holding the number of respondents behind each row.
    min_n : int, default 5
        Minimum number of respondents for a row to be shown.
    columns : iterable of str, optional
        Columns to blank in suppressed rows. Default: every floating-point column
        other than ``count_col`` (the estimates; integer and text keys such as
        ``wave`` or ``college`` are kept).
    keep_count : bool, default False
        Keep the count of suppressed rows visible (default: blanked too).

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``columns`` (and ``count_col`` unless ``keep_count``)
        set to NaN where ``count_col < min_n``, plus a boolean column
        ``suppressed``.

    Notes
    -----
    Only primary suppression is done: if margins (totals) are also shown, a
    suppressed cell may be recovered by subtraction; aggregate the margins from
    the same suppressed table or suppress a complementary cell.

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"college": ["habitants", "salarié·es"], "score": [3.8, 2.0],
    ...                     "n": [12, 2]})
    >>> suppress_small_groups(agg)
          college  score     n  suppressed
    0   habitants    3.8  12.0       False
    1  salarié·es    NaN   NaN        True
    """
    if not isinstance(df, pd.DataFrame):
        bad_param("df", "a pandas DataFrame", type(df).__name__, DataError)
    if count_col not in df.columns:
        bad_param("count_col", f"a column of df {list(map(str, df.columns))}", count_col,
                  DataError)
    if isinstance(min_n, bool) or not isinstance(min_n, (int, np.integer)) or min_n < 1:
        bad_param("min_n", "a positive integer", min_n, DataError)
    counts = pd.to_numeric(df[count_col], errors="coerce")
    if counts.isna().any() or (counts < 0).any():
        bad = [str(i) for i in df.index[counts.isna() | (counts < 0)]][:10]
        raise DataError(f"column `{count_col}`: expected non-negative counts, found missing or "
                        f"negative values at rows {', '.join(bad)}")
    if columns is None:
        cols = [c for c in df.columns if c != count_col and pd.api.types.is_float_dtype(df[c])]
    else:
        cols = list(columns)
        unknown = [c for c in cols if c not in df.columns]
        if unknown:
            bad_param("columns", f"columns of df {list(map(str, df.columns))}", unknown,
                      DataError)
    small = (counts < min_n).to_numpy()
    out = df.copy()
    blank = cols + ([] if keep_count else [count_col])
    for c in blank:
        if not pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].astype(float) if pd.api.types.is_numeric_dtype(out[c]) \
                else out[c].astype(object)
        out.loc[small, c] = np.nan
    out["suppressed"] = small
    return out
