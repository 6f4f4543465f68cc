"""SROI value build-up (waterfall) and tornado of the one-way sensitivity analysis.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import waterfall
>>> out = pd.DataFrame({"outcome": ["emploi", "lien social"], "present_value": [3000.0, 1000.0]})
>>> ax = waterfall(out, inputs=2000.0)
>>> [(float(p.get_y()), float(p.get_height())) for p in ax.patches]
[(0.0, 3000.0), (3000.0, 1000.0), (0.0, 4000.0), (0.0, 2000.0)]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from coopeval.errors import PlotError
from coopeval.i18n import fmt, t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_frame,
    label_or,
    lang_of,
    legend_below,
    new_axes,
    styled,
    title,
    wrap,
)
from coopeval.plots.phone import on_phone, text_size

__all__ = ["waterfall", "tornado"]

def _eur(lang: str):
    """Euro amounts with the one number formatter (:func:`coopeval.i18n.fmt`)."""
    return lambda v, _=None: f"{fmt(v, lang, 0)} €"


@styled
def waterfall(
    outcomes,
    *,
    inputs: float | None = None,
    value: str = "present_value",
    label: str = "outcome",
    lang: str = "fr",
    ax=None,
):
    """Waterfall of the present value of each outcome adding up to the total social value.

    Parameters
    ----------
    outcomes : pandas.DataFrame or SROIResult
        ``outcome, present_value`` per outcome (``by_outcome`` of
        :func:`coopeval.valuation.sroi`), or the SROIResult itself (its inputs are
        then used).
    inputs : float, optional
        Present value of the investment, drawn as a last bar with the SROI ratio
        (total / inputs) written above it.
    value, label : str
        Column names.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.patches``: one floating bar per outcome in the given order (``y`` =
        cumulated value before it, height = its value), then the total bar (from
        0), then the inputs bar if given.

    Notes
    -----
    SROI ratio :math:`= \\sum_o PV_o / PV_{inputs}` (Nicholls et al. 2012, stage 5).

    References
    ----------
    Nicholls, J., Lawlor, E., Neitzert, E. & Goodspeed, T. (2012). *A guide to Social
    Return on Investment*. The SROI Network.
    """
    lang = lang_of(lang)
    if hasattr(outcomes, "by_outcome"):
        if inputs is None:
            inputs = float(outcomes.inputs)
        outcomes = outcomes.by_outcome
    check_frame(outcomes, "outcomes", [label, value])
    vals = pd.to_numeric(outcomes[value], errors="coerce").to_numpy(dtype=float)
    if np.isnan(vals).any():
        raise PlotError(f"parameter `outcomes`: expected numbers in column `{value}`, found missing values")
    if on_phone():
        return _waterfall_across([str(s) for s in outcomes[label]], vals, inputs, lang, ax)
    names = [wrap(str(s), 16) for s in outcomes[label]]
    n = len(vals)
    ax = new_axes(ax, (palette.A4_WIDTH, palette.A4_WIDTH * 0.5))
    cum = np.concatenate([[0.0], np.cumsum(vals)[:-1]])
    ax.bar(np.arange(n), vals, bottom=cum, color=palette.SERIES[0], width=0.7)
    total = float(vals.sum())
    ax.bar([n], [total], color=palette.SERIES[2], width=0.7)
    ticks = [*names, t("plot_total_value", lang)]
    for i in range(n - 1):
        ax.plot([i + 0.35, i + 0.65], [cum[i] + vals[i]] * 2, color=palette.NEUTRAL, lw=0.8)
    for i, (b, v) in enumerate(zip([*cum, 0.0], [*vals, total], strict=True)):
        ax.text(i, b + v, _eur(lang)(v), ha="center", va="bottom", fontsize=6.5)
    if inputs is not None:
        ax.bar([n + 1], [float(inputs)], color=palette.SERIES[1], width=0.7)
        ticks.append(t("plot_inputs", lang))
        ax.text(n + 1, float(inputs), _eur(lang)(float(inputs)), ha="center", va="bottom", fontsize=6.5)
        if inputs > 0:
            ax.text(0.99, 0.98, t("plot_ratio_text", lang, ratio=fmt(total / float(inputs), lang, 2)),
                    transform=ax.transAxes, ha="right", va="top", fontsize=8, fontweight="bold", gid="ratio")
    ax.set_xticks(range(len(ticks)))
    ax.set_xticklabels(ticks, fontsize=6.5)
    ax.yaxis.set_major_formatter(_eur(lang))
    ax.set_ylabel(t("plot_present_value_eur", lang))
    ax.set_ylim(0, max(total, float(inputs or 0.0)) * 1.15)
    ax.set_title(t("plot_waterfall_title", lang))
    return ax


def _waterfall_across(labels: list[str], vals: np.ndarray, inputs: float | None, lang: str, ax):
    """The waterfall for a phone: the same build-up drawn across the screen, one row per outcome
    (top to bottom, each bar starting where the one above ended), then the total and the
    investment; the names wrapped beside the rows, each amount after its bar, the ratio under
    the title (its text has the gid ``ratio``)."""
    n = len(vals)
    total = float(vals.sum())
    rows = [*labels, t("plot_total_value", lang)] + ([t("plot_inputs", lang)] if inputs is not None else [])
    ax = new_axes(ax, (palette.A4_WIDTH, 0.9 + 0.42 * len(rows)))  # rows of names on up to three lines
    y = np.arange(len(rows), dtype=float)[::-1]
    cum = np.concatenate([[0.0], np.cumsum(vals)[:-1]])
    ax.barh(y[:n], vals, left=cum, color=palette.SERIES[0], height=0.7)
    ax.barh([y[n]], [total], color=palette.SERIES[2], height=0.7)
    ends = [*(cum + vals), total]
    for i in range(n - 1):  # where one outcome ends, the next begins
        ax.plot([ends[i]] * 2, [y[i] - 0.35, y[i + 1] + 0.35], color=palette.NEUTRAL, lw=0.8)
    if inputs is not None:
        ax.barh([y[n + 1]], [float(inputs)], color=palette.SERIES[1], height=0.7)
        ends.append(float(inputs))
    for yi, end, v in zip(y, ends, [*vals, total, *([float(inputs)] if inputs is not None else [])], strict=True):
        ax.annotate(_eur(lang)(v), (end, yi), xytext=(3, 0), textcoords="offset points", va="center", ha="left",
                    fontsize=text_size(6.5))
    ax.set_yticks(y, [wrap(s, 24) for s in rows])
    ax.xaxis.set_major_formatter(_eur(lang))
    ax.xaxis.set_major_locator(MaxNLocator(2))  # two amounts fit a phone's width
    ax.set_xlim(0, max(total, float(inputs or 0.0)) * 1.6)  # room for the amounts after the bars
    ax.set_xlabel(wrap(t("plot_present_value_eur", lang), 40))
    title(ax, t("plot_waterfall_title", lang))
    if inputs is not None and inputs > 0:
        ax.set_title(wrap(t("plot_ratio_text", lang, ratio=fmt(total / float(inputs), lang, 2)), 40),
                     fontsize=text_size(8), fontweight="bold", gid="ratio")
    return ax


@styled
def tornado(
    sensitivity: pd.DataFrame,
    *,
    base: float | None = None,
    parameter: str = "parameter",
    value_low: str = "value_low",
    value_high: str = "value_high",
    max_bars: int = 12,
    lang: str = "fr",
    ax=None,
):
    """Tornado diagram of a one-way sensitivity analysis.

    Parameters
    ----------
    sensitivity : pandas.DataFrame
        One row per parameter: ``parameter, low, high, value_low, value_high``
        (result with the parameter at its low / high end). The output of
        ``SROIResult.sensitivity()`` (``outcome, parameter, ratio_low, ratio_high,
        ratio_base``) is accepted as is.
    base : float, optional
        Base-case result (default the ``ratio_base`` column when present).
    parameter, value_low, value_high : str
        Column names.
    max_bars : int
        Keep the ``max_bars`` widest swings.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Parameters top to bottom by decreasing swing :math:`|v_{high} - v_{low}|`;
        ``ax.containers[0]`` are the bars from ``base`` to ``value_low``,
        ``ax.containers[1]`` from ``base`` to ``value_high``.
    """
    lang = lang_of(lang)
    df = sensitivity
    if isinstance(df, pd.DataFrame) and value_low not in df.columns and "ratio_low" in df.columns:
        value_low, value_high = "ratio_low", "ratio_high"
        if base is None and "ratio_base" in df.columns:
            base = float(df["ratio_base"].iloc[0])
    check_frame(df, "sensitivity", [parameter, value_low, value_high])
    if base is None:
        raise PlotError("parameter `base`: expected the base-case value (no `ratio_base` column), got None")
    df = df.copy()
    lab = df[parameter].map(lambda p: label_or(f"plot_param_{p}", lang, str(p)))
    if "outcome" in df.columns:
        lab = [p if o == "*" else f"{o} — {p}" for o, p in zip(df["outcome"], lab, strict=True)]
    df["_label"] = list(lab)
    df["_swing"] = (df[value_high] - df[value_low]).abs()
    df = df.sort_values("_swing", ascending=False).head(max_bars).reset_index(drop=True)
    y = np.arange(len(df))[::-1]
    ax = new_axes(ax, (palette.A4_WIDTH, 0.9 + (0.5 if on_phone() else 0.3) * len(df)))  # a phone: names on more lines
    lo = df[value_low].to_numpy(dtype=float)
    hi = df[value_high].to_numpy(dtype=float)
    ax.barh(y, lo - base, left=base, color=palette.SERIES[1], height=0.7, label=t("plot_low_value", lang))
    ax.barh(y, hi - base, left=base, color=palette.SERIES[0], height=0.7, label=t("plot_high_value", lang))
    ax.axvline(base, color="black", lw=1)
    ax.set_yticks(y)
    ax.set_yticklabels([wrap(s, 28 if on_phone() else 40) for s in df["_label"]])
    ax.set_xlabel(t("plot_sroi_ratio", lang))
    if on_phone():  # no free corner in a narrow figure: the legend under it, the title over it
        ax.xaxis.set_major_locator(MaxNLocator(3))
        handles, names = ax.get_legend_handles_labels()
        legend_below(ax, handles, names, t("plot_tornado_title", lang), ncol=2)
    else:
        ax.set_title(t("plot_tornado_title", lang))
        ax.legend(loc="lower right", frameon=False)
    return ax
