"""Small-group suppression for anything shown to a collective.

An aggregate computed on very few respondents can reveal what one person
answered (a college of two inhabitants, a single salaried worker…). Before a
table or figure is shown, every aggregate over fewer than ``min_n`` respondents
is hidden: its values (and, by default, its count) are set to missing and the
row is flagged ``suppressed`` (primary suppression). With ``secondary=True``,
complementary cells are hidden too so that no hidden aggregate can be recovered
by subtracting the shown cells from a total (secondary suppression, Hundepool et
al., 2012); :func:`secondary_suppression` is the numpy core of that rule, shared
with the deliberation store.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence

import numpy as np
import pandas as pd

from coopeval.errors import DataError, bad_param

__all__ = ["DEFAULT_MIN_N", "secondary_suppression", "suppress_small_groups"]

#: Default minimum number of respondents behind a displayed aggregate.
DEFAULT_MIN_N = 5


def suppress_small_groups(
    df: pd.DataFrame,
    count_col: str = "n",
    min_n: int = DEFAULT_MIN_N,
    *,
    columns: Iterable[str] | None = None,
    keep_count: bool = False,
    secondary: bool = False,
    by: str | Sequence[str] | None = None,
    total: tuple[str, Hashable] | None = None,
) -> pd.DataFrame:
    r"""Hide every aggregate computed on fewer than ``min_n`` respondents.

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
    secondary : bool, default False
        Also hide complementary cells so that no hidden row can be recovered by
        difference from a total (see Notes).
    by : str or sequence of str, optional
        With ``secondary``: columns whose values identify a group of rows that
        add up to one margin (e.g. ``["wave", "indicator"]`` for a table of
        colleges per wave and indicator). Default: the whole table is one group.
    total : (str, value), optional
        With ``secondary``: the rows where column ``total[0]`` equals ``total[1]``
        are the margins of their group, e.g. ``("college", "ensemble")``.
        Without it, the margins are taken as published elsewhere.

    Returns
    -------
    pandas.DataFrame
        A copy of ``df`` with ``columns`` (and ``count_col`` unless ``keep_count``)
        set to NaN where ``count_col < min_n``, plus a boolean column
        ``suppressed`` (primary or secondary).

    Notes
    -----
    Primary suppression hides every row with ``count_col < min_n``. Alone, it
    does not protect a row when the margin of its group is known: with cells
    :math:`x_1, \dots, x_m` adding up to a total :math:`T`, a single hidden cell
    is :math:`x_h = T - \sum_{i \ne h} x_i` (for means, with counts
    :math:`n_i`: :math:`n_h \bar x_h = N \bar x - \sum_{i \ne h} n_i \bar x_i`).
    Secondary suppression (Hundepool et al., 2012, ch. 4: complementary cells
    are suppressed so that a primarily suppressed value cannot be re-calculated
    from the published values) enforces, in every
    group of ``by``, that the number of hidden members of the equation
    :math:`T = \sum_i x_i` is never exactly one: when one cell is hidden, the
    smallest shown cell (fewest respondents, first in row order on ties) is
    hidden too; when a total is hidden but no cell is, the smallest cell is
    hidden; when a group has a single cell and it is hidden, its total is
    hidden. Only the sum of two or more hidden cells can then be derived, never
    one of them, and that sum holds at least ``min_n`` respondents: when the
    hidden cells together are fewer (two colleges of 2 people with a minimum of
    5), the next smallest cells are hidden until they are not. The groups are
    one-dimensional (one margin per group of rows): for a table with margins in two directions (rows *and* columns totals), the
    second direction is not protected by this rule (an optimal pattern needs
    linear programming, as in τ-ARGUS).

    References
    ----------
    Hundepool, A., Domingo-Ferrer, J., Franconi, L., Giessing, S., Schulte
    Nordholt, E., Spicer, K. and de Wolf, P.-P. (2012). *Statistical Disclosure
    Control*. Chichester: Wiley. Chapter 4 (tabular data: primary and secondary
    cell suppression).

    Examples
    --------
    >>> import pandas as pd
    >>> agg = pd.DataFrame({"college": ["habitants", "salarié·es"], "score": [3.8, 2.0],
    ...                     "n": [12, 2]})
    >>> suppress_small_groups(agg)
          college  score     n  suppressed
    0   habitants    3.8  12.0       False
    1  salarié·es    NaN   NaN        True

    With the all-colleges row shown, the 2 salarié·es could be recovered as
    14 − 12; ``secondary=True`` hides the next smallest college as well:

    >>> agg = pd.DataFrame({"college": ["habitants", "salarié·es", "bénévoles", "ensemble"],
    ...                     "n": [12, 2, 6, 20]})
    >>> suppress_small_groups(agg, secondary=True, total=("college", "ensemble"),
    ...                       columns=[])["suppressed"].tolist()
    [False, True, True, False]
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
    if secondary:
        small = _secondary(df, counts, small, by, total, min_n)
    elif by is not None or total is not None:
        bad_param("secondary", "True when `by` or `total` is given", secondary, DataError)
    out = df.copy()
    blank = cols + ([] if keep_count else [count_col])
    for c in blank:
        if not pd.api.types.is_float_dtype(out[c]):
            out[c] = out[c].astype(float) if pd.api.types.is_numeric_dtype(out[c]) \
                else out[c].astype(object)
        out.loc[small, c] = np.nan
    out["suppressed"] = small
    return out


def _secondary(df: pd.DataFrame, counts: pd.Series, small: np.ndarray,
               by: str | Sequence[str] | None, total: tuple | None, min_n: int) -> np.ndarray:
    keys = [] if by is None else [by] if isinstance(by, str) else list(by)
    unknown = [k for k in keys if k not in df.columns]
    if unknown or (by is not None and not keys):
        bad_param("by", f"columns of df {list(map(str, df.columns))}", by, DataError)
    if total is None:
        is_total = np.zeros(len(df), dtype=bool)
    else:
        if not isinstance(total, tuple) or len(total) != 2 or total[0] not in df.columns:
            bad_param("total", "a pair (column of df, label of the total rows)", total,
                      DataError)
        is_total = (df[total[0]] == total[1]).to_numpy(dtype=bool)
    group = (df.groupby(keys, sort=False, dropna=False).ngroup().to_numpy() if keys
             else np.zeros(len(df), dtype=int))
    return secondary_suppression(counts.to_numpy(dtype=float), small, group, is_total, min_n)


def secondary_suppression(
    counts: np.ndarray, hidden: np.ndarray, group: np.ndarray, is_total: np.ndarray, min_n: float = 0
) -> np.ndarray:
    """Secondary (complementary) suppression of one-dimensional groups of cells.

    Parameters
    ----------
    counts : ndarray of float
        Number of respondents behind each row.
    hidden : ndarray of bool
        Rows already hidden (primary suppression).
    group : ndarray of int
        Group code of each row: the cells of a group add up to its margin.
    is_total : ndarray of bool
        Rows that are the margin (total) of their group.
    min_n : float, default 0
        Minimum number of respondents behind what can be derived: the hidden cells of a group
        whose total is shown add up to a block that the reader can compute (total minus the
        cells shown), so that block must hold at least ``min_n`` respondents.

    Returns
    -------
    ndarray of bool
        ``hidden`` plus the complementary rows. In each group whose total is shown (or has
        none) and that has a hidden cell, the shown cells with the smallest counts (first in
        row order on ties) are hidden until the hidden cells are at least two and hold at
        least ``min_n`` respondents together; if no cell is left to hide, the group's total
        is hidden. A group whose total is hidden but no cell has its smallest cell hidden.
        See :func:`suppress_small_groups` for the rule and its reference (Hundepool et al.,
        2012, ch. 4).

    Examples
    --------
    Colleges of 8, 2 and 2 people and their total (minimum 5): hiding the two small colleges
    is not enough, the total minus the 8 gives the mean of those 4 people. The 8 are hidden
    too; the total, a group of 12, stays:

    >>> import numpy as np
    >>> secondary_suppression(np.array([8., 2., 2., 12.]), np.array([False, True, True, False]),
    ...                       np.zeros(4, int), np.array([False, False, False, True]), 5).tolist()
    [True, True, True, False]
    """
    out = np.asarray(hidden, dtype=bool).copy()
    counts = np.asarray(counts, dtype=float)
    is_total = np.asarray(is_total, dtype=bool)
    group = np.asarray(group)
    order = np.argsort(group, kind="stable")
    bounds = np.flatnonzero(np.diff(group[order])) + 1
    for idx in np.split(order, bounds):
        cells, totals = idx[~is_total[idx]], idx[is_total[idx]]
        if out[totals].any():
            if len(cells) and not out[cells].any():
                out[cells[np.argmin(counts[cells])]] = True
            continue
        if not out[cells].any():
            continue
        shown = cells[~out[cells]]
        shown = shown[np.argsort(counts[shown], kind="stable")]
        for c in shown:
            block = cells[out[cells]]
            if len(block) >= 2 and counts[block].sum() >= min_n:
                break
            out[c] = True
        block = cells[out[cells]]
        if len(block) < 2 or counts[block].sum() < min_n:
            out[totals] = True
    return out
