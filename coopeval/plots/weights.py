"""Weights by college and agreement among participants, contested criteria highlighted.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import weights_by_college
>>> who = [("habitants", 6, [0.6, 0.4]), ("salarie_es", 5, [0.5, 0.5]), ("elus", 2, [0.2, 0.8])]
>>> pw = pd.DataFrame([{"participant": f"{c}{i}", "college": c, "node": n, "weight": w}
...                    for c, size, ws in who for i in range(size) for n, w in zip(["social", "emploi"], ws)])
>>> ax = weights_by_college(pw)   # safe by default: the 2 élus are not drawn, nor the salarié·es pooled with them
>>> [tl.get_text() for tl in ax.get_yticklabels()]
['social', 'emploi']
>>> [tx.get_text() for tx in ax.get_legend().get_texts()][:2]
['Habitant·es', 'Moyenne du collège']
>>> sorted(set(ax.collections[0].get_offsets()[:, 0].round(2).tolist()))   # individual answers: habitant·es only
[0.4, 0.6]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, Rectangle

from coopeval.data.disclosure import (
    check_college_shares,
    check_min_group,
    check_pooling,
    college_blocks,
    small_group_message,
    warn_disclosure,
)
from coopeval.data.small_groups import DEFAULT_MIN_N
from coopeval.errors import PlotError, WeightingError, bad_param
from coopeval.framework import ROOT
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_frame,
    college_label,
    label,
    lang_of,
    legend_below,
    new_axes,
    styled,
    title,
    wrap,
)
from coopeval.plots.phone import on_phone, text_size

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


def _protection(weights, pw: pd.DataFrame, min_group: int | None, disclose: bool,
                combined_given: bool) -> tuple[int, list[str]]:
    """The figure's minimum group size and the colleges it must not show (issue 16).

    ``min_group`` defaults to the WeightSet's own (set by :func:`coopeval.weighting.aggregate`),
    else :data:`~coopeval.data.small_groups.DEFAULT_MIN_N`; it may not be lower than the
    WeightSet's. The combined weights of a WeightSet left unprotected
    (``aggregate(..., disclose_small_colleges=True)``) are refused when their voices isolate a
    pooled college. With ``disclose`` nothing is hidden and the opt-out is warned and logged.
    """
    own = getattr(weights, "min_group", None)
    k = check_min_group(own if min_group is None and own is not None else
                        DEFAULT_MIN_N if min_group is None else min_group, PlotError)
    sizes = {str(c): int(n) for c, n in pw.groupby("college", sort=False)["participant"].nunique().items()}
    _shown, pooled = college_blocks(sizes, k)
    if disclose:
        warn_disclosure("coopeval.plots.weights_by_college", pooled, k)
        return k, []
    if own is not None and k < own:
        bad_param("min_group", f"at least the WeightSet's min_group ({own}), or disclose_small_colleges=True",
                  k, PlotError)
    if own is None and not combined_given and hasattr(weights, "college_shares"):
        try:  # an unprotected WeightSet: its combined weights must not isolate a pooled college
            if len(weights.college_shares):
                check_college_shares(weights.college_shares.to_dict(), sizes, k)
            else:
                check_pooling(sizes, k)
        except WeightingError as err:
            raise PlotError(f"parameter `weights`: expected weights whose combination protects colleges under "
                            f"{k} participants (coopeval.weighting.aggregate without disclose_small_colleges), "
                            f"or disclose_small_colleges=True; {err}") from None
    return k, pooled


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
    disclose_small_colleges: bool = False,
    fw=None,
    lang: str = "fr",
    ax=None,
):
    """Weights given by each participant, college means and combined weights, node by node.

    Safe by default (issue 16): colleges under the minimum size, and the colleges pooled
    with them, are never drawn.

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
        Combined weight of each node (default ``weights.local`` for a WeightSet). When given,
        it must come from a protected aggregation (:func:`coopeval.weighting.aggregate`).
    agreement : DataFrame or sequence of str, optional
        ``node, contested`` (e.g. :func:`coopeval.weighting.agreement_table`) or the
        contested node ids: their rows are shaded and their labels bold.
    min_group : int, optional
        Minimum number of participants behind a college drawn; default the WeightSet's own
        ``min_group`` (the evaluation's), else 5, and never lower than the WeightSet's.
        Colleges with fewer participants among those who weighted these nodes are left
        out, with the colleges pooled with them so that none can be recovered from the
        combined weights (:func:`coopeval.data.disclosure.college_blocks`), and their
        number is written under the figure; when fewer than ``min_group`` participants
        weighted these nodes in all, the combined weights are not drawn either and the
        reason is written under the figure
        (:func:`coopeval.data.disclosure.small_group_message`); individual answers are drawn as one grey
        cloud (gid ``participants``), never by college. Combined weights of a WeightSet
        aggregated with ``disclose_small_colleges=True`` are refused when their voices
        isolate a pooled college.
    disclose_small_colleges : bool, default False
        Explicit opt-out for a researcher holding the raw judgements: every college is
        drawn, individual answers by college; a
        :class:`~coopeval.data.disclosure.SmallGroupDisclosureWarning` is emitted and
        logged (logger ``coopeval.disclosure``) and the figure is marked « ne pas
        publier » (text with gid ``not_publishable``).
    fw : Framework, optional
        Labels and order of the nodes.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        Nodes top to bottom; ``ax.collections`` holds one scatter of all individual points
        of the colleges shown (gid ``participants``; with ``disclose_small_colleges``: one
        scatter per college, label = the college's display name, e.g. « Salarié·es » for
        ``salarie_es``; offsets ``(weight, y)``) then one scatter of college means (gid
        ``college_means``); ``ax.lines`` with gid ``combined`` are the combined weights;
        contested rows are ``Rectangle`` patches with gid ``contested:<node>``.

    Raises
    ------
    PlotError
        ``min_group`` lower than the WeightSet's, or the combined weights of an unprotected
        WeightSet isolate a small college (without ``disclose_small_colleges``).

    Notes
    -----
    The college mean is the arithmetic mean of its members' local weights; the
    combined weight is the one the WeightSet retained (colleges pooled with their
    voices, see :func:`coopeval.weighting.aggregate`).
    """
    lang = lang_of(lang)
    pw, local = _participants(weights)
    check_frame(pw, "weights", ["participant", "college", "node", "weight"])
    given = combined is not None
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
    k, pooled = _protection(weights, pw, min_group, disclose_small_colleges, given)
    # fewer than k participants weighted these nodes in all: their combined weights are not drawn either
    small = not disclose_small_colleges and pw["participant"].nunique() < k
    if small:
        combined = None
    pw = pw[~pw["college"].astype(str).isin(pooled)]
    if fw is not None:
        nodes = [n for n in fw.node_ids if n in set(nodes)] + [n for n in nodes if n not in fw]
    colleges = list(dict.fromkeys(pw["college"]))
    ax = new_axes(ax, (palette.A4_WIDTH, 1.0 + 0.45 * max(len(nodes), 1)))
    y_of = {n: float(len(nodes) - 1 - i) for i, n in enumerate(nodes)}
    cols = palette.series_colours(colleges)
    _draw_points(ax, pw, colleges, y_of, cols, by_college=disclose_small_colleges, lang=lang)
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
    handles = [Line2D([], [], marker="o", ls="", mfc="none", mec=cols[c], label=college_label(c, lang))
               for c in colleges]
    handles += [Line2D([], [], marker="D", ls="", mfc="#BBBBBB", mec="black", label=t("plot_college_mean", lang)),
                *([] if small else [Line2D([], [], color="black", lw=2.2, label=t("plot_combined", lang))])]
    if _contested(agreement) & set(nodes):
        handles.append(Patch(facecolor=palette.HIGHLIGHT, alpha=0.25, edgecolor=palette.HIGHLIGHT,
                             label=t("plot_contested_mark", lang)))
    if on_phone():  # no room beside the rows: the legend goes under them
        legend_below(ax, handles, [h.get_label() for h in handles], t("weights_by_college", lang), ncol=2)
    else:
        ax.set_title(t("weights_by_college", lang))
        ax.legend(handles=handles, loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    ax.grid(axis="x", color="#DDDDDD", lw=0.5)
    note = (t("plot_not_publishable", lang), "not_publishable") if disclose_small_colleges else \
        (small_group_message([str(parent or ROOT)], k, lang, fw), "suppressed_note") if small else \
        (t("plot_small_colleges", lang, n=k, k=len(pooled)), "suppressed_note") if pooled else None
    if note:
        ax.annotate(note[0], (0, 0), xycoords="axes fraction", xytext=(0, -4 * text_size(7)),
                    textcoords="offset points", fontsize=text_size(7), color=palette.HIGHLIGHT if disclose_small_colleges else palette.NEUTRAL,
                    va="top", gid=note[1])
    return ax


def _draw_points(ax, pw: pd.DataFrame, colleges: list, y_of: Mapping[str, float], cols: Mapping, *,
                 by_college: bool, lang: str) -> None:
    """Individual answers (one grey cloud, or one scatter per college) and the college means."""
    width = 0.6
    offs = {c: (i - (len(colleges) - 1) / 2) * width / max(len(colleges), 1) for i, c in enumerate(colleges)}
    if not by_college and len(pw):  # individual answers pooled, never placed by college
        ax.scatter(pw["weight"], pw["node"].map(y_of).to_numpy(dtype=float), s=12, facecolors="none",
                   edgecolors=palette.NEUTRAL, linewidths=0.8, label=t("plot_individual", lang), zorder=3,
                   gid="participants")
    means_x, means_y, means_c = [], [], []
    for c in colleges:
        sub = pw[pw["college"] == c]
        if by_college:
            ax.scatter(sub["weight"], sub["node"].map(y_of).to_numpy(dtype=float) + offs[c], s=12,
                       facecolors="none", edgecolors=cols[c], linewidths=0.8, label=college_label(c, lang), zorder=3)
        for n, v in sub.groupby("node")["weight"].mean().items():
            means_x.append(float(v))
            means_y.append(y_of[n] + offs[c])
            means_c.append(cols[c])
    if means_x:
        ax.scatter(means_x, means_y, s=45, c=means_c, marker="D", edgecolors="black", linewidths=0.6, zorder=4,
                   gid="college_means")


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
    # a phone: rows of wrapped labels, the columns' names upright over them
    ax = new_axes(ax, (palette.A4_WIDTH, 1.4 + 0.45 * len(nodes)) if on_phone() else
                  (palette.A4_WIDTH, 0.8 + 0.32 * len(nodes)))
    ax.imshow(level, cmap="YlOrBr", vmin=0, vmax=1, aspect="auto")
    for i in range(len(nodes)):
        for j in range(len(metrics)):
            v = raw[i, j]
            ax.text(j, i, "—" if np.isnan(v) else f"{v:.2f}", ha="center", va="center", fontsize=text_size(7),
                    color="white" if level[i, j] > 0.6 else "black")
    ax.set_xticks(range(len(metrics)))
    heads = [t(f"plot_{m}", lang) if m in AGREEMENT_METRICS else m for m in metrics]
    if on_phone():  # a phone's narrow columns: their names upright, on two lines
        ax.set_xticklabels([wrap(h, 24) for h in heads], rotation=90, ha="center", va="bottom")
    else:
        ax.set_xticklabels(heads)
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
    head = t("plot_agreement_title", lang) + (f" — {t('contested', lang)} : {len(contested)}" if lang == "fr"
                                              else f" — {t('contested', lang)}: {len(contested)}")
    if on_phone():  # over the whole figure, above the columns' names
        title(ax, head)
    else:
        ax.set_title(head, pad=22)
    for s in ax.spines.values():
        s.set_visible(False)
    return ax
