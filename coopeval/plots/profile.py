"""Profiles of a cooperation: radar by dimension and bars with uncertainty intervals.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import radar
>>> sc = pd.DataFrame({"unit": "u01", "wave": [1, 1, 1], "level": "dimension",
...                    "node": ["social", "emploi", "ecologie"], "score": [40.0, 60.0, 80.0]})
>>> ax = radar(sc, unit="u01")
>>> [round(float(r)) for r in ax.lines[0].get_ydata()]
[40, 60, 80, 40]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.transforms import offset_copy

from coopeval.errors import PlotError
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_choice,
    check_frame,
    display_name,
    label,
    lang_of,
    new_axes,
    styled,
    title,
    wrap,
)
from coopeval.plots.phone import on_phone, text_size

__all__ = ["radar", "score_bars"]

_SUMMARY = ("score_median", "score_low", "score_high")
#: Points between the radar's circle and its dimensions' labels (clear of the coloured dots).
_LABEL_PAD = 8


def _order(nodes: Sequence[str], fw, level: str) -> list[str]:
    present = list(dict.fromkeys(nodes))
    if fw is None:
        return present
    ref = [n for n in fw.node_ids if n in set(present)] if hasattr(fw, "node_ids") else []
    return ref + [n for n in present if n not in ref]


@styled
def radar(
    scores: pd.DataFrame,
    unit: str | None = None,
    wave: object | None = None,
    *,
    overlay: str = "wave",
    units: Sequence[str] | None = None,
    waves: Sequence[object] | None = None,
    fw=None,
    names: Mapping[str, str] | None = None,
    score: str = "score",
    rmax: float = 100.0,
    lang: str = "fr",
    ax=None,
):
    """Radar (spider) profile of dimension scores, overlaying waves or units.

    Parameters
    ----------
    scores : pandas.DataFrame
        Scores contract ``unit, wave, level, node, score`` (rows of level
        ``dimension`` are drawn; without a ``level`` column every row is a dimension).
    unit : str, optional
        The cooperation drawn, required when ``overlay="wave"``.
    wave : optional
        The wave drawn, required when ``overlay="unit"``.
    overlay : {"wave", "unit"}
        One polygon per wave of ``unit`` (its trajectory) or per unit at ``wave``.
    units, waves : sequence, optional
        Restrict (and order) the overlaid units or waves.
    fw : Framework, optional
        Gives the order and labels of the dimensions (and their colours).
    names : mapping, optional
        Display name of each unit.
    score : str
        Column of the score (e.g. ``score_median`` of an uncertainty summary).
    rmax : float
        Outer radius (100 for scores on 0–100).
    lang : {"fr", "en"}
    ax : matplotlib polar Axes, optional

    Returns
    -------
    matplotlib.projections.polar.PolarAxes
        ``ax.lines[i]`` is the closed polygon of series ``i`` (x = angles in
        radians, y = scores, first vertex repeated at the end); ``ax.collections[0]``
        holds one dot per dimension at ``rmax`` in the dimension's colour.

    Notes
    -----
    Dimension :math:`j` of :math:`J` sits at angle :math:`\\theta_j = 2\\pi j / J`,
    clockwise from the top. A missing score leaves a gap in the polygon.
    """
    lang = lang_of(lang)
    check_choice("overlay", overlay, ["wave", "unit"])
    check_frame(scores, "scores", ["unit", "wave", "node", score])
    df = scores[scores["level"] == "dimension"] if "level" in scores.columns else scores
    if overlay == "wave":
        if unit is None:
            raise PlotError("parameter `unit`: expected the cooperation to draw when overlay='wave', got None")
        df = df[df["unit"] == unit]
        key = "wave"
        keys = list(waves) if waves is not None else sorted(df["wave"].unique())
    else:
        if wave is None:
            raise PlotError("parameter `wave`: expected the wave to draw when overlay='unit', got None")
        df = df[df["wave"] == wave]
        key = "unit"
        keys = list(units) if units is not None else list(dict.fromkeys(df["unit"]))
    if df.empty:
        raise PlotError(
            f"parameter `scores`: expected dimension scores for unit={unit!r}, wave={wave!r}, found none"
        )
    dims = _order(df["node"].tolist(), fw, "dimension")
    if len(dims) < 3:
        raise PlotError(f"parameter `scores`: expected at least 3 dimensions for a radar, got {dims}")
    theta = np.linspace(0.0, 2 * np.pi, len(dims), endpoint=False)
    own = ax is None
    ax = new_axes(ax, (palette.A4_HALF * 1.3, palette.A4_HALF * 1.3), polar=True)
    ax.set_theta_zero_location("N")
    ax.set_theta_direction(-1)
    colours = palette.series_colours(keys)
    for k in keys:
        sub = df[df[key] == k].drop_duplicates("node").set_index("node")[score]
        r = sub.reindex(dims).to_numpy(dtype=float)
        if key == "wave":
            name = t("wave_n", lang, wave=k)
        else:
            name = display_name(names, k)
        ax.plot(np.append(theta, theta[0]), np.append(r, r[0]), color=colours[k], lw=1.5, label=name,
                marker="o", ms=3)
        ax.fill(theta, np.nan_to_num(r), color=colours[k], alpha=0.12)
    dim_cols = [palette.colour_of(d, fw) if fw is not None else palette.dimension_colours(dims)[d] for d in dims]
    ax.scatter(theta, np.full(len(dims), rmax), c=dim_cols, s=60, zorder=5, edgecolors="#333333", linewidths=0.5,
               clip_on=False)
    ax.set_xticks(theta)
    ax.set_xticklabels([wrap(label(d, fw, lang), 16) for d in dims])
    _place_labels(ax, theta)
    ax.set_ylim(0, rmax)
    ax.set_yticks(np.linspace(0, rmax, 3 if on_phone() else 5)[1:])  # a phone's small circle: two rings
    ax.set_rlabel_position(180.0 / len(dims))  # the scale between the first two axes, off the polygons' spokes
    ax.tick_params(axis="y", labelsize=text_size(6), colors=palette.NEUTRAL)
    if key == "wave":
        ax.set_title(t("plot_profile_of", lang, unit=display_name(names, unit)), pad=18)
    else:
        ax.set_title(t("plot_profile_wave", lang, wave=wave), pad=18)
    # the legend under the circle and the labels below it, never over a label (beside the circle,
    # it covered « Emploi et travail »): as many points lower as the bottom labels have lines
    below = [lab.get_text().count("\n") + 1 for lab, a in zip(ax.get_xticklabels(), theta, strict=True)
             if np.cos(a) < -0.2]
    size = ax.get_xticklabels()[0].get_fontsize()
    shift = _LABEL_PAD + 1.3 * size * max(below, default=0) + 4
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=min(len(keys), 3), frameon=False,
              bbox_transform=offset_copy(ax.transAxes, fig=ax.figure, y=-shift, units="points"))
    if own and on_phone():
        _fit_width(ax, shift)
    return ax


def _fit_width(ax, shift: float) -> None:
    """A phone's radar as large as its figure's width allows once its labels are drawn beside it."""
    fig = ax.figure
    fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    boxes = [lab.get_window_extent(renderer) for lab in ax.get_xticklabels()]
    box = ax.get_window_extent(renderer)
    left = max(0.0, box.x0 - min(b.x0 for b in boxes)) + 4
    right = max(0.0, max(b.x1 for b in boxes) - box.x1) + 4
    width, height = fig.get_figwidth() * fig.dpi, fig.get_figheight() * fig.dpi
    side = max(width - left - right, 0.3 * width)  # in pixels; the circle is centred between the labels
    ax.set_position([left / width, 0.5 - side / height / 2, side / width, side / height])
    bottom = 0.5 - side / height / 2  # the legend under the circle (``shift`` points), centred on the figure
    ax.get_legend().set_bbox_to_anchor((0.5, bottom - shift * fig.dpi / 72 / height), transform=fig.transFigure)


def _place_labels(ax, theta: np.ndarray) -> None:
    """Each dimension's label outside the circle, on its side: left-aligned on the right half,
    right-aligned on the left half, centred at the top and bottom, so that a long label runs
    away from the circle and its coloured dot instead of across them."""
    for lab, a in zip(ax.get_xticklabels(), theta, strict=True):
        x, y = np.sin(a), np.cos(a)  # clockwise from the top
        lab.set_horizontalalignment("left" if x > 0.2 else "right" if x < -0.2 else "center")
        lab.set_verticalalignment("bottom" if y > 0.2 else "top" if y < -0.2 else "center")
    ax.tick_params(axis="x", pad=_LABEL_PAD)
    return ax


@styled
def score_bars(
    data: pd.DataFrame,
    unit: str,
    wave: object,
    *,
    level: str = "dimension",
    fw=None,
    names: Mapping[str, str] | None = None,
    score: str = "score",
    lang: str = "fr",
    ax=None,
):
    """Horizontal bars of the dimension (or criterion) scores of one unit, with intervals.

    Parameters
    ----------
    data : pandas.DataFrame
        Either the Scores contract ``unit, wave, level, node, score`` (bars only),
        or an uncertainty summary ``unit, wave, node, score_median, score_low,
        score_high`` (bar = median, whisker = interval).
    unit, wave
        The cooperation and wave drawn.
    level : {"dimension", "criterion", "indicator"}
        Level of the nodes drawn (from the ``level`` column, or from ``fw``).
    fw : Framework, optional
        Order, labels and dimension colours of the nodes; required to select a
        level in a table without ``level`` column.
    names : mapping, optional
        Display name of each unit (title).
    score : str
        Score column when ``data`` has no ``score_median``.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.patches`` are the bars top to bottom in framework order (width = score,
        face colour = the node's dimension colour); when the summary gives intervals,
        ``ax.lines`` holds, for each bar, the whisker ``[(low, y), (high, y)]`` followed by
        its two end ticks (vertical, at ``low`` and ``high``), so that a short interval stays
        visible; the axis label claims an interval only if one has a width.
    """
    lang = lang_of(lang)
    check_choice("level", level, ["dimension", "criterion", "indicator", "overall"])
    has_interval = all(c in data.columns for c in _SUMMARY) if isinstance(data, pd.DataFrame) else False
    value = "score_median" if has_interval else score
    check_frame(data, "data", ["unit", "wave", "node", value])
    df = data[(data["unit"] == unit) & (data["wave"] == wave)]
    if "level" in df.columns:
        df = df[df["level"] == level]
    elif fw is not None:
        df = df[[n in fw and fw.level(n) == level for n in df["node"]]]
    else:
        raise PlotError("parameter `fw`: expected a Framework to find the nodes of a level in a table "
                        "without `level` column, got None")
    if df.empty:
        raise PlotError(f"parameter `data`: expected {level} scores for unit={unit!r}, wave={wave!r}, found none")
    df = df.drop_duplicates("node").set_index("node")
    nodes = _order(df.index.tolist(), fw, level)
    ax = new_axes(ax, (palette.A4_WIDTH, 0.6 + (0.42 if on_phone() else 0.28) * len(nodes)))  # rows of wrapped labels
    y = np.arange(len(nodes))[::-1]
    vals = df.loc[nodes, value].to_numpy(dtype=float)
    cols = [palette.colour_of(n, fw) for n in nodes] if fw is not None else [
        palette.dimension_colours(nodes)[n] if level == "dimension" else palette.colour_of(n) for n in nodes]
    ax.barh(y, np.nan_to_num(vals), color=cols, edgecolor="#333333", linewidth=0.5, height=0.7)
    wide = False
    if has_interval:
        lo = df.loc[nodes, "score_low"].to_numpy(dtype=float)
        hi = df.loc[nodes, "score_high"].to_numpy(dtype=float)
        wide = bool(np.nanmax(hi - lo, initial=0.0) > 1e-9)
        for yi, a, b in zip(y, lo, hi, strict=True):
            ax.plot([a, b], [yi, yi], color="black", lw=1.2, solid_capstyle="butt")
            for x in (a, b):
                ax.plot([x, x], [yi - 0.18, yi + 0.18], color="black", lw=1.2)
    for yi, v in zip(y, vals, strict=True):
        if np.isnan(v):
            missing = t("plot_not_computed", lang)
            ax.text(1, yi, wrap(missing, 40) if on_phone() else missing, va="center", fontsize=text_size(7),
                    color=palette.NEUTRAL)
    ax.set_yticks(y)
    ax.set_yticklabels([wrap(label(n, fw, lang), 34) for n in nodes])
    ax.set_xlim(0, 100)
    claim = ("plot_median_interval" if wide else "plot_median_same") if has_interval else None
    xlabel = t("plot_score_0_100", lang) + (f" — {t(claim, lang)}" if claim else "")
    ax.set_xlabel(wrap(xlabel, 50) if on_phone() else xlabel)
    title(ax, t("plot_scores_of", lang, unit=display_name(names, unit), wave=wave))
    ax.grid(axis="x", color="#DDDDDD", lw=0.5)
    ax.set_axisbelow(True)
    return ax
