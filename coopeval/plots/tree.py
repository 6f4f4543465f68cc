"""The framework tree (indented) with local and global weights.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> from coopeval.plots import framework_tree
>>> fw = ce.load_framework("cooperation_territoriale")
>>> ax = framework_tree(fw, max_level="dimension")
>>> round(float(sum(p.get_width() for p in ax.patches)), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Mapping

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.transforms import blended_transform_factory

from coopeval.data.disclosure import small_group_message
from coopeval.errors import PlotError
from coopeval.i18n import pct, t
from coopeval.plots import palette
from coopeval.plots._common import check_choice, label, lang_of, rc, styled, wrap
from coopeval.plots.phone import PHONE_WIDTH, on_phone, text_size

__all__ = ["framework_tree", "global_weights"]

_LEVELS = ["dimension", "criterion", "indicator"]


def global_weights(fw, weights=None) -> pd.DataFrame:
    """Local and global weight of every node of ``fw``.

    Parameters
    ----------
    fw : Framework
    weights : None, WeightSet, Series or mapping
        Local weights ``{node: weight}`` (each sibling group summing to 1); default
        the framework's (``fw.default_weights("local")``); a WeightSet gives the
        weights it may show (:meth:`~coopeval.weighting.WeightSet.shown_local`): those of a
        group weighted by fewer than ``min_group`` participants are NaN, and so are the
        global weights they enter.

    Returns
    -------
    pandas.DataFrame
        ``node, parent, level, depth, local_weight, global_weight`` in tree order
        (root excluded); ``global_weight`` is the product of the local weights from
        the node up to the root (the global weights of the dimensions, and those of
        the indicators, sum to 1).
    """
    if weights is None:
        local = fw.default_weights("local")
    elif hasattr(weights, "shown_local"):
        local = weights.shown_local()
    elif hasattr(weights, "local"):
        local = weights.local
    else:
        local = pd.Series(dict(weights) if isinstance(weights, Mapping) else weights, dtype=float)
    nodes = fw.nodes
    nodes = nodes[nodes["node"] != "overall"]
    missing = [n for n in nodes["node"] if n not in local.index]
    if missing:
        raise PlotError(f"parameter `weights`: expected a local weight for every node, missing {missing[:5]}"
                        f"{'…' if len(missing) > 5 else ''}")
    glob = {}
    for n in nodes["node"]:
        w, p = float(local[n]), fw.parent(n)
        while p != "overall":
            w *= float(local[p])
            p = fw.parent(p)
        glob[n] = w
    return pd.DataFrame({"node": nodes["node"].to_numpy(), "parent": nodes["parent"].to_numpy(),
                         "level": nodes["level"].to_numpy(), "depth": nodes["depth"].to_numpy(),
                         "local_weight": [float(local[n]) for n in nodes["node"]],
                         "global_weight": [glob[n] for n in nodes["node"]]})


@styled
def framework_tree(fw, weights=None, *, max_level: str = "criterion", lang: str = "fr", ax=None):
    """Indented tree of the framework with the weight of each node.

    Parameters
    ----------
    fw : Framework
    weights : None, WeightSet, Series or mapping
        Local weights (see :func:`global_weights`); default the framework's.
    max_level : {"dimension", "criterion", "indicator"}
        Deepest level drawn.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional
        Labels are written to the left of the axes (leave a wide left margin).

    Returns
    -------
    matplotlib.axes.Axes
        One row per node in tree order; ``ax.patches[i]`` is the bar of row ``i``
        (width = global weight, colour = the node's dimension colour) and the
        label of the node is the text with gid ``node:<id>``, indented by depth and
        giving its local weight in percent. Weights hidden by :func:`global_weights` (fewer
        than ``min_group`` participants gave them) are written « – » and have a bar of width
        0; the reason is the text with gid ``small_groups`` under the tree.
    """
    lang = lang_of(lang)
    check_choice("max_level", max_level, _LEVELS)
    table = global_weights(fw, weights)
    keep = _LEVELS[: _LEVELS.index(max_level) + 1]
    table = table[table["level"].isin(keep)].reset_index(drop=True)
    n = len(table)
    names = [f"{label(node, fw, lang)} ({pct(w, lang)})" for node, w in zip(table["node"], table["local_weight"],
                                                                           strict=True)]
    if on_phone():
        return _phone_tree(table, names, fw, weights, lang, ax)
    if ax is None:
        with plt.rc_context(rc()):
            fig = plt.figure(figsize=(palette.A4_WIDTH, 0.5 + 0.17 * n))
            ax = fig.add_axes((0.52, 0.04, 0.44, 0.9))
    y = np.arange(n)[::-1].astype(float)
    _bars(ax, table, y, fw)
    tr = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, (_, row), name in zip(y, table.iterrows(), names, strict=True):
        depth = int(row["depth"]) - 1
        ax.text(-1.12 + 0.07 * depth, yi, name, transform=tr,
                va="center", ha="left", fontsize=7.5 - 0.6 * depth,
                fontweight="bold" if row["level"] == "dimension" else "normal",
                color="black" if row["level"] != "indicator" else "#444444", gid=f"node:{row['node']}")
    ax.set_yticks([])
    ax.set_ylim(-0.6, n - 0.4)
    _axis(ax, table, weights, fw, lang, (0, 0), 7)
    ax.set_title(f"{t('plot_tree_title', lang)} — {fw.title(lang)}", loc="right", fontsize=9)
    return ax


def _bars(ax, table: pd.DataFrame, y: np.ndarray, fw, height: float = 0.75) -> None:
    """One bar a node at ``y``: its global weight, its dimension's colour, paler deeper down."""
    alphas = {"dimension": 1.0, "criterion": 0.7, "indicator": 0.45}
    for yi, (_, row) in zip(y, table.iterrows(), strict=True):
        ax.barh(yi, np.nan_to_num(row["global_weight"]), color=palette.colour_of(row["node"], fw),
                alpha=alphas[row["level"]], height=height, edgecolor="#333333", linewidth=0.3)


def _axis(ax, table: pd.DataFrame, weights, fw, lang: str, note_at: tuple[float, float], note_pt: float,
          note_wrap: int | None = None) -> None:
    """The weights' axis, and under it why some weights are hidden (groups under ``min_group``)."""
    ax.set_xlim(0, float(np.nan_to_num(table["global_weight"].max())) * 1.1 or 1.0)
    small = weights.small_groups() if hasattr(weights, "small_groups") else []
    if small:
        note = small_group_message(small, weights.min_group, lang, fw)
        ax.annotate(wrap(note, note_wrap) if note_wrap else note, note_at, xycoords="axes fraction",
                    xytext=(0, -28), textcoords="offset points", fontsize=note_pt, color=palette.NEUTRAL, va="top",
                    gid="small_groups")
    ax.xaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
    ax.set_xlabel(t("plot_global_weight", lang))
    ax.spines["left"].set_visible(False)


#: A phone's tree (inches): margins over and under the axes, the labels' share of the width.
_PHONE_BOTTOM, _PHONE_LEFT = 0.55, 0.56


def _phone_tree(table: pd.DataFrame, names: list[str], fw, weights, lang: str, ax):
    """The tree on a phone: labels wrapped on lines of about 19 characters, each row as high as its
    lines, no text under :data:`~coopeval.plots.phone.PHONE_MIN_PT`, the title over the figure."""
    from matplotlib.ticker import MaxNLocator

    # the narrow space of « 17 % » held by a word joiner while wrapping: the percentage stays on one line
    lines = [wrap(name.replace("\u202f", "\u2060"), 34).replace("\u2060", "\u202f") for name in names]
    heights = np.array([s.count("\n") + 1.7 for s in lines])  # in lines of text; 0.7 between rows
    head = wrap(f"{t('plot_tree_title', lang)} — {fw.title(lang)}", 60)
    top = 0.15 + (head.count("\n") + 1) * text_size(9) * 1.3 / 72
    y = (heights.sum() - np.cumsum(heights) + heights / 2)  # top to bottom
    line_in = text_size(7.5) * 1.25 / 72
    if ax is None:
        with plt.rc_context(rc()):
            h = top + _PHONE_BOTTOM + line_in * heights.sum()
            fig = plt.figure(figsize=(PHONE_WIDTH, h))
            ax = fig.add_axes((_PHONE_LEFT, _PHONE_BOTTOM / h, 0.96 - _PHONE_LEFT, 1 - (top + _PHONE_BOTTOM) / h))
    fig = ax.get_figure(root=True)
    _bars(ax, table, y, fw, height=1.3)
    left = ax.get_position().x0
    start, step = (0.02 - left) / ax.get_position().width, 0.03 / ax.get_position().width  # figure fractions
    tr = blended_transform_factory(ax.transAxes, ax.transData)
    for yi, (_, row), text in zip(y, table.iterrows(), lines, strict=True):
        depth = int(row["depth"]) - 1
        ax.text(start + step * depth, yi, text, transform=tr, va="center", ha="left",
                fontsize=text_size(7.5 - 0.6 * depth), linespacing=1.1,
                fontweight="bold" if row["level"] == "dimension" else "normal",
                color="black" if row["level"] != "indicator" else "#444444", gid=f"node:{row['node']}")
    ax.set_yticks([])
    ax.set_ylim(0, heights.sum())
    ax.xaxis.set_major_locator(MaxNLocator(3))
    _axis(ax, table, weights, fw, lang, (start, 0), text_size(7), note_wrap=60)
    ax.set_xlabel(wrap(ax.get_xlabel(), 30))
    fig.suptitle(head, fontsize=text_size(9), x=0.02,
                 ha="left", y=1 - 0.08 / fig.get_figheight(), va="top")
    return ax
