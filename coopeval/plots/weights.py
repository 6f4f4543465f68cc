"""Weights by college and agreement among participants, contested criteria highlighted.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import weights_by_college
>>> pw = pd.DataFrame({"participant": ["p1", "p1", "p2", "p2"], "college": ["habitants"] * 4,
...                    "node": ["social", "emploi"] * 2, "weight": [0.6, 0.4, 0.4, 0.6]})
>>> ax = weights_by_college(pw)
>>> [tl.get_text() for tl in ax.get_yticklabels()]
['social', 'emploi']
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from coopeval.data.disclosure import college_blocks
from coopeval.errors import PlotError
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_frame,
    college_label,
    label,
    lang_of,
    new_axes,
    styled,
    wrap,
)

__all__ = ["weights_by_college", "agreement_heatmap", "disagreement_level", "AGREEMENT_METRICS"]

#: Agreement metrics drawn by :func:`agreement_heatmap`.
AGREEMENT_METRICS = ("cv", "iqr", "pct_agreement", "kendall_w", "college_p_value")


def disagreement_level(metric: str, x: np.ndarray) -> np.ndarray:
    """Colour level in [0, 1] of an agreement metric, 1 = most disagreement (NaN stays NaN)."""
    x = np.asarray(x, dtype=float)
    if metric == "cv":
        return np.clip(x, 0.0, 1.0)
    if metric in ("pct_agreement", "kendall_w"):
        return np.clip(1.0 - x, 0.0, 1.0)
    if metric == "college_p_value":
        with np.errstate(divide="ignore"):
            return np.clip(-np.log10(np.clip(x, 1e-300, 1.0)) / 3.0, 0.0, 1.0)
    lo, hi = np.nanmin(x), np.nanmax(x)
    return (x - lo) / (hi - lo) if hi > lo else np.zeros_like(x)


def _participants(weights) -> tuple[pd.DataFrame, pd.Series | None]:
    if hasattr(weights, "by_participant") and hasattr(weights, "local"):
        return weights.by_participant, weights.local
    return weights, None


def _contested(agreement: pd.DataFrame | Sequence[str] | None) -> set[str]:
    if agreement is None:
        return set()
    if isinstance(agreement, pd.DataFrame):
        check_frame(agreement, "agreement", ["node", "contested"])
        return set(agreement.loc[agreement["contested"].astype(bool), "node"])
    return set(agreement)


def _highlight_rows(ax, y_of: Mapping[str, float], contested: set[str], xlim: tuple[float, float]) -> None:
    for node, y in y_of.items():
        if node in contested:
            ax.add_patch(Rectangle((xlim[0], y - 0.45), xlim[1] - xlim[0], 0.9, facecolor=palette.HIGHLIGHT,
                                   alpha=0.12, edgecolor=palette.HIGHLIGHT, linewidth=1.0, zorder=0,
                                   gid=f"contested:{node}"))
    for tl, node in zip(ax.get_yticklabels(), y_of, strict=True):
        if node in contested:
            tl.set_fontweight("bold")
            tl.set_color(palette.HIGHLIGHT)


@styled
def weights_by_college(
    weights,
    *,
    parent: str | None = None,
    combined: pd.Series | Mapping[str, float] | None = None,
    agreement: pd.DataFrame | Sequence[str] | None = None,
    min_group: int | None = None,
    fw=None,
    lang: str = "fr",
    ax=None,
):
    """Weights given by each participant, college means and combined weights, node by node.

    Parameters
    ----------
    weights : WeightSet or pandas.DataFrame
        A :class:`coopeval.weighting.WeightSet` (its ``by_participant`` and
        ``local`` weights) or a table ``participant, college, node, weight``
        (optional ``parent``).
    parent : str, optional
        Draw the children of this node (default: the parent of the first node, e.g.
        ``"overall"`` for the dimensions).
    combined : Series or mapping, optional
        Combined weight of each node (default ``weights.local`` for a WeightSet).
    agreement : DataFrame or sequence of str, optional
        ``node, contested`` (e.g. :func:`coopeval.weighting.agreement_table`) or the
        contested node ids: their rows are shaded and their labels bold.
    min_group : int, optional
        Restitution to a collective: colleges with fewer participants are left out, with
        the colleges pooled with them so that none can be recovered from the combined
        weights (:func:`coopeval.data.disclosure.college_blocks`), and their number is
        written under the figure; individual answers are drawn as one grey cloud
        (gid ``participants``), never by college.
    fw : Framework, optional
        Labels and order of the nodes.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Nodes top to bottom; ``ax.collections`` holds one scatter of individual
        points per college (with ``min_group``: one scatter of all of them, gid
        ``participants``) (label = the college's display name, e.g. « Salarié·es »
        for ``salarie_es``; offsets ``(weight, y)``) then one
        scatter of college means (gid ``college_means``); ``ax.lines`` with gid
        ``combined`` are the combined weights; contested rows are
        ``Rectangle`` patches with gid ``contested:<node>``.

    Notes
    -----
    The college mean is the arithmetic mean of its members' local weights; the
    combined weight is the one the WeightSet retained (colleges pooled with their
    voices, see :func:`coopeval.weighting.aggregate`).
    """
    lang = lang_of(lang)
    pw, local = _participants(weights)
    check_frame(pw, "weights", ["participant", "college", "node", "weight"])
    if combined is None:
        combined = local
    pw = pw.copy()
    if parent is None:
        parent = pw["parent"].iloc[0] if "parent" in pw.columns else None
    if parent is not None:
        if "parent" in pw.columns:
            pw = pw[pw["parent"] == parent]
        elif fw is not None:
            pw = pw[pw["node"].isin(fw.children(parent))]
    if pw.empty:
        raise PlotError(f"parameter `parent`: expected a node whose children were weighted, got {parent!r}")
    nodes = list(dict.fromkeys(pw["node"]))
    n_by_college = pw.groupby("college", sort=False)["participant"].nunique()
    hidden = 0
    if min_group is not None:  # issue 16: small colleges and those pooled with them (not recoverable by difference)
        keep, pooled = college_blocks(n_by_college.to_dict(), min_group)
        hidden = len(pooled)
        pw = pw[pw["college"].isin(keep)]
    if fw is not None:
        nodes = [n for n in fw.node_ids if n in set(nodes)] + [n for n in nodes if n not in fw]
    colleges = list(dict.fromkeys(pw["college"]))
    ax = new_axes(ax, (palette.A4_WIDTH, 1.0 + 0.45 * max(len(nodes), 1)))
    y_of = {n: float(len(nodes) - 1 - i) for i, n in enumerate(nodes)}
    cols = palette.series_colours(colleges)
    width = 0.6
    offs = {c: (i - (len(colleges) - 1) / 2) * width / max(len(colleges), 1) for i, c in enumerate(colleges)}
    means_x, means_y, means_c = [], [], []
    if min_group is not None and len(pw):  # individual answers pooled, never placed by college
        ax.scatter(pw["weight"], pw["node"].map(y_of).to_numpy(dtype=float), s=12, facecolors="none",
                   edgecolors=palette.NEUTRAL, linewidths=0.8, label=t("plot_individual", lang), zorder=3,
                   gid="participants")
    for c in colleges:
        sub = pw[pw["college"] == c]
        ys = sub["node"].map(y_of).to_numpy(dtype=float) + offs[c]
        if min_group is None:
            ax.scatter(sub["weight"], ys, s=12, facecolors="none", edgecolors=cols[c], linewidths=0.8,
                       label=college_label(c, lang), zorder=3)
        m = sub.groupby("node")["weight"].mean()
        for n, v in m.items():
            means_x.append(float(v))
            means_y.append(y_of[n] + offs[c])
            means_c.append(cols[c])
    if means_x:
        ax.scatter(means_x, means_y, s=45, c=means_c, marker="D", edgecolors="black", linewidths=0.6, zorder=4,
                   gid="college_means")
    if combined is not None:
        comb = pd.Series(combined, dtype=float)
        for n in nodes:
            if n in comb.index and np.isfinite(comb[n]):
                ax.plot([comb[n], comb[n]], [y_of[n] - 0.42, y_of[n] + 0.42], color="black", lw=2.2, zorder=5,
                        gid="combined")
    xmax = max(float(pw["weight"].max()) if len(pw) else 0.0,
               float(pd.Series(combined, dtype=float).max()) if combined is not None else 0.0) * 1.08
    ax.set_xlim(0, max(xmax, 0.05))
    ax.set_ylim(-0.6, len(nodes) - 0.4)
    ax.set_yticks([y_of[n] for n in nodes])
    ax.set_yticklabels([wrap(label(n, fw, lang), 30) for n in nodes])
    _highlight_rows(ax, y_of, _contested(agreement), ax.get_xlim())
    ax.set_xlabel(t("weight", lang))
    ax.set_title(t("weights_by_college", lang))
    handles = [Line2D([], [], marker="o", ls="", mfc="none", mec=cols[c], label=college_label(c, lang))
               for c in colleges]
    handles += [Line2D([], [], marker="D", ls="", mfc="#BBBBBB", mec="black", label=t("plot_college_mean", lang)),
                Line2D([], [], color="black", lw=2.2, label=t("plot_combined", lang))]
    if _contested(agreement) & set(nodes):
        handles.append(Patch(facecolor=palette.HIGHLIGHT, alpha=0.25, edgecolor=palette.HIGHLIGHT,
                             label=t("plot_contested_mark", lang)))
    ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.5)
    if hidden:
        ax.annotate(t("plot_small_colleges", lang, n=min_group, k=hidden), (0, 0), xycoords="axes fraction",
                    xytext=(0, -28), textcoords="offset points", fontsize=7, color=palette.NEUTRAL,
                    va="top", gid="suppressed_note")
    return ax


@styled
def agreement_heatmap(
    agreement: pd.DataFrame,
    *,
    metrics: Sequence[str] | None = None,
    fw=None,
    lang: str = "fr",
    ax=None,
):
    """Heatmap of the agreement among participants, node by node, contested nodes outlined.

    Parameters
    ----------
    agreement : pandas.DataFrame
        One row per node: ``node``, agreement metrics among ``cv, iqr,
        pct_agreement, kendall_w, college_p_value`` and optional ``contested``
        (bool), e.g. :func:`coopeval.weighting.agreement_table`.
    metrics : sequence of str, optional
        Columns drawn (default: those of :data:`AGREEMENT_METRICS` present).
    fw : Framework, optional
        Labels and order of the nodes.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.images[0].get_array()`` is the disagreement colour level (rows = nodes
        top to bottom, columns = metrics), each cell annotated with the raw value;
        contested rows are outlined by ``Rectangle`` patches with gid
        ``contested:<node>`` and their labels are bold.

    Notes
    -----
    The colour is a disagreement level in [0, 1] (see :func:`disagreement_level`):
    :math:`\\min(cv, 1)`; the IQR rescaled over the nodes shown,
    :math:`(x - \\min x)/(\\max x - \\min x)`; :math:`1 - x` for ``pct_agreement``
    and ``kendall_w``; :math:`\\min(-\\log_{10} p / 3, 1)` for ``college_p_value``
    (p = 0.05 gives 0.43, p = 0.001 gives 1).
    """
    lang = lang_of(lang)
    check_frame(agreement, "agreement", ["node"])
    if metrics is None:
        metrics = [m for m in AGREEMENT_METRICS if m in agreement.columns]
    bad = [m for m in metrics if m not in agreement.columns]
    if not metrics or bad:
        raise PlotError(f"parameter `metrics`: expected columns of `agreement` among {list(AGREEMENT_METRICS)}, "
                        f"got {list(metrics)} (missing {bad})")
    df = agreement.drop_duplicates("node").set_index("node")
    nodes = df.index.tolist()
    if fw is not None:
        nodes = [n for n in fw.node_ids if n in set(nodes)] + [n for n in nodes if n not in fw]
    raw = df.loc[nodes, list(metrics)].to_numpy(dtype=float)
    level = np.column_stack([disagreement_level(m, raw[:, j]) for j, m in enumerate(metrics)])
    ax = new_axes(ax, (palette.A4_WIDTH, 0.8 + 0.32 * len(nodes)))
    ax.imshow(level, cmap="YlOrBr", vmin=0, vmax=1, aspect="auto")
    for i in range(len(nodes)):
        for j in range(len(metrics)):
            v = raw[i, j]
            ax.text(j, i, "—" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=7,
                    color="white" if level[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(metrics)))
    ax.set_xticklabels([t(f"plot_{m}", lang) if m in AGREEMENT_METRICS else m for m in metrics])
    ax.xaxis.tick_top()
    ax.set_yticks(range(len(nodes)))
    ax.set_yticklabels([wrap(label(n, fw, lang), 34) for n in nodes])
    contested = _contested(df.reset_index()) if "contested" in df.columns else set()
    for i, n in enumerate(nodes):
        if n in contested:
            ax.add_patch(Rectangle((-0.5, i - 0.5), len(metrics), 1, fill=False, edgecolor=palette.HIGHLIGHT,
                                   linewidth=2.0, gid=f"contested:{n}", clip_on=False))
            ax.get_yticklabels()[i].set_fontweight("bold")
            ax.get_yticklabels()[i].set_color(palette.HIGHLIGHT)
    ax.set_title(t("plot_agreement_title", lang) + (f" — {t('contested', lang)} : {len(contested)}" if lang == "fr"
                                                else f" — {t('contested', lang)}: {len(contested)}"), pad=22)
    for s in ax.spines.values():
        s.set_visible(False)
    return ax
