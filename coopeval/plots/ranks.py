"""Rank intervals of units (caterpillar plot) and top-k probabilities.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import caterpillar
>>> s = pd.DataFrame({"unit": ["a", "b"], "wave": 1, "node": "overall", "rank_median": [2.0, 1.0],
...                   "rank_low": [1.0, 1.0], "rank_high": [2.0, 2.0]})
>>> ax = caterpillar(s, wave=1)
>>> [tl.get_text() for tl in ax.get_yticklabels()]
['b', 'a']
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coopeval.errors import PlotError
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_choice,
    check_frame,
    display_name,
    lang_of,
    new_axes,
    styled,
    title,
    unit_colours,
    wrap,
)
from coopeval.plots.phone import on_phone, text_size

__all__ = ["caterpillar", "topk_bars"]


def _select(df: pd.DataFrame, wave, node: str, name: str) -> pd.DataFrame:
    if "node" in df.columns:
        df = df[df["node"] == node]
    if "wave" in df.columns and wave is not None:
        df = df[df["wave"] == wave]
    if df.empty:
        raise PlotError(f"parameter `{name}`: expected rows for node={node!r}, wave={wave!r}, found none")
    return df


def _name(names: Mapping[str, str] | None, unit: object) -> str:
    """A unit's display name, wrapped on a phone (beside the narrow figure's axes)."""
    return wrap(display_name(names, unit), 30) if on_phone() else display_name(names, unit)


@styled
def caterpillar(
    summary: pd.DataFrame,
    wave: object | None = None,
    *,
    node: str = "overall",
    value: str = "rank",
    names: Mapping[str, str] | None = None,
    highlight: str | None = None,
    lang: str = "fr",
    ax=None,
):
    """Caterpillar plot: median and interval of each unit's rank (or score), sorted.

    Parameters
    ----------
    summary : pandas.DataFrame
        Uncertainty summary ``unit, wave, node, rank_median, rank_low, rank_high``
        (or ``score_median, score_low, score_high`` with ``value="score"``), e.g.
        ``ce.uncertainty(...).summary``.
    wave : optional
        The wave drawn (required if the summary holds several).
    node : str
        The node ranked (default the overall score).
    value : {"rank", "score"}
    names : mapping, optional
        Display name of each unit.
    highlight : str, optional
        A unit drawn in the highlight colour with a bold label (the cooperation the
        restitution is for).
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Units top to bottom from best to worst median; ``ax.lines[i]`` is the
        interval ``[(low, y), (high, y)]`` of the i-th unit from the top and
        ``ax.collections[0]`` the medians (offsets ``(median, y)``).

    Notes
    -----
    Units are sorted by median rank (ascending: 1 = best), ties by lower bound;
    with ``value="score"`` by decreasing median score.
    """
    lang = lang_of(lang)
    check_choice("value", value, ["rank", "score"])
    cols = [f"{value}_median", f"{value}_low", f"{value}_high"]
    check_frame(summary, "summary", ["unit", *cols])
    df = _select(summary, wave, node, "summary")
    if "wave" in df.columns and df["wave"].nunique() > 1:
        raise PlotError(f"parameter `wave`: expected one of {sorted(df['wave'].unique())} (the summary holds "
                        f"several waves), got None")
    asc = value == "rank"
    df = df.sort_values([cols[0], cols[1]], ascending=[asc, asc]).reset_index(drop=True)
    n = len(df)
    ax = new_axes(ax, (palette.A4_WIDTH * 0.8, 0.8 + 0.25 * n))
    y = np.arange(n)[::-1].astype(float)
    colours = unit_colours(df["unit"], highlight)
    for yi, lo, hi, c in zip(y, df[cols[1]], df[cols[2]], colours, strict=True):
        ax.plot([lo, hi], [yi, yi], color=c, lw=2.0, solid_capstyle="round")
    ax.scatter(df[cols[0]], y, color=colours, s=28, zorder=3, edgecolors="black", linewidths=0.5)
    ax.set_yticks(y)
    ax.set_yticklabels([_name(names, u) for u in df["unit"]])
    for tl, u in zip(ax.get_yticklabels(), df["unit"], strict=True):
        if u == highlight:
            tl.set_fontweight("bold")
            tl.set_color(palette.HIGHLIGHT)
    if value == "rank":
        ax.set_xlim(n + 0.5, 0.5)
        ax.set_xticks(range(1, n + 1))
        ax.set_xlabel(t("plot_rank_axis", lang))
        if on_phone() and n > 8:  # a phone's narrow axis: every other rank
            ax.set_xticks(range(1, n + 1, 2))
    else:
        ax.set_xlabel(t("plot_score_0_100", lang))
    ax.grid(axis="x", color="#DDDDDD", lw=0.5)
    ax.set_axisbelow(True)
    title(ax, t("plot_rank_intervals", lang, wave=wave if wave is not None else df["wave"].iloc[0]))
    return ax


@styled
def topk_bars(
    top_k: pd.DataFrame,
    k: int,
    wave: object | None = None,
    *,
    node: str = "overall",
    names: Mapping[str, str] | None = None,
    highlight: str | None = None,
    lang: str = "fr",
    ax=None,
):
    """Probability of each unit to rank among the first ``k`` of its wave.

    Parameters
    ----------
    top_k : pandas.DataFrame
        ``unit, wave, node, k, probability`` (``ce.uncertainty(...).top_k``).
    k : int
        Which top-k.
    wave, node, names, highlight, lang, ax
        As in :func:`caterpillar`.

    Returns
    -------
    matplotlib.axes.Axes
        One horizontal bar per unit, highest probability on top (``ax.patches``,
        width = probability).
    """
    lang = lang_of(lang)
    check_frame(top_k, "top_k", ["unit", "k", "probability"])
    df = _select(top_k, wave, node, "top_k")
    df = df[df["k"] == k]
    if df.empty:
        raise PlotError(f"parameter `k`: expected one of {sorted(top_k['k'].unique())}, got {k!r}")
    df = df.sort_values("probability", ascending=False).reset_index(drop=True)
    ax = new_axes(ax, (palette.A4_WIDTH * 0.8, 0.8 + 0.25 * len(df)))
    y = np.arange(len(df))[::-1]
    colours = unit_colours(df["unit"], highlight)
    ax.barh(y, df["probability"], color=colours, height=0.7)
    for yi, p in zip(y, df["probability"], strict=True):
        ax.text(p + 0.01, yi, f"{p:.0%}", va="center", fontsize=text_size(7))
    ax.set_yticks(y)
    ax.set_yticklabels([_name(names, u) for u in df["unit"]])
    ax.set_xlim(0, 1.3 if on_phone() else 1.1)  # a phone: room for « 100 % » in larger text
    if on_phone():
        ax.set_xticks([0, 0.5, 1])
    ax.set_xlabel(t("plot_probability", lang))
    title(ax, t("plot_topk_title", lang, k=k))
    return ax
