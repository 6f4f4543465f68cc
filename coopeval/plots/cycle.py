"""Figures of the learning cycle (issue 17): themes of the extracts, and the timeline of actions.

* :func:`theme_bars` — extracts per theme and wave, from :func:`coopeval.qualitative.theme_summary`
  (suppressed cells drawn as « — », never as a bar);
* :func:`action_timeline` — one cooperation's restitutions (one per wave) and the actions decided
  after each, drawn from the wave of the decision to the next wave and coloured by status.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> q = ce.datasets.load("qualitatif_exemple")
>>> th = ce.qualitative.theme_summary(q["extracts"], q["codes"], q["codebook"], by=["wave"], unit="u01")
>>> ax = ce.plots.theme_bars(th)
>>> len(ax.patches) == int((~th["suppressed"]).sum())
True
>>> ax = ce.plots.action_timeline(q["actions"], unit="u01", waves=[1, 2, 3])
>>> len(ax.lines) - 3   # one segment per action of u01 (after the 3 restitution lines)
4
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.transforms import offset_copy

from coopeval.errors import PlotError
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import check_frame, lang_of, legend_below, rc, title, wrap
from coopeval.plots.phone import figsize, layout, on_phone, text_size

__all__ = ["theme_bars", "action_timeline", "STATUS_COLOURS"]

#: Colour of each action status (colour-blind safe; dropped in grey).
STATUS_COLOURS = {"decided": palette.SERIES[0], "in_progress": palette.OKABE_ITO[0], "done": palette.OKABE_ITO[2],
                  "dropped": palette.NEUTRAL}


def theme_bars(summary: pd.DataFrame, *, by: str = "wave", lang: str = "fr", ax: plt.Axes | None = None) -> plt.Axes:
    """Horizontal bars: number of extracts per theme (rows) and ``by`` group (bars, e.g. wave).

    Parameters
    ----------
    summary : DataFrame
        :func:`coopeval.qualitative.theme_summary` with ``by`` among its columns: ``code, label,
        <by>, n_extracts, suppressed``.
    by : str, default "wave"
    lang : {"fr", "en"}
    ax : Axes, optional

    Returns
    -------
    Axes
        One bar per shown cell (height ``n_extracts``); a suppressed cell gets the text « — »
        at zero and no bar.
    """
    lang = lang_of(lang)
    check_frame(summary, "summary", ["code", "label", by, "n_extracts", "suppressed"])
    labels = summary.drop_duplicates("code").set_index("code")["label"]
    codes = list(labels.index)
    groups = sorted(summary[by].dropna().unique())
    with plt.rc_context(rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=figsize((6.3, 0.32 * len(codes) * max(1, len(groups)) / 1.6 + 1.0)),
                                 layout=layout())
        height = 0.8 / max(1, len(groups))
        colours = palette.series_colours(groups)
        for j, g in enumerate(groups):
            sub = summary[summary[by] == g].set_index("code")
            for i, code in enumerate(codes):
                if code not in sub.index:
                    continue
                y = i + (j - (len(groups) - 1) / 2) * height
                row = sub.loc[code]
                if bool(row["suppressed"]):
                    ax.text(0.1, y, t("plot_suppressed", lang), va="center", fontsize=text_size(7),
                            color=palette.NEUTRAL)
                else:
                    ax.barh(y, float(row["n_extracts"]), height=height * 0.9, color=colours[g],
                            label=t("wave_n", lang, wave=g) if by == "wave" and i == 0 else (str(g) if i == 0 else None))
        ax.set_yticks(range(len(codes)))
        ax.set_yticklabels([wrap(textwrap.shorten(str(labels[c]), 40), 40) for c in codes])
        ax.invert_yaxis()
        ax.set_xlabel(t("plot_themes_x", lang))
        handles, names = ax.get_legend_handles_labels()
        seen = dict(zip(names, handles, strict=True))
        if seen and on_phone():  # under the bars: in a narrow figure the corner is not free
            legend_below(ax, list(seen.values()), list(seen.keys()), t("plot_themes_title", lang))
        else:
            title(ax, t("plot_themes_title", lang))
            if seen:
                ax.legend(seen.values(), seen.keys(), loc="lower right", frameon=False)
    return ax


def action_timeline(actions: pd.DataFrame, *, unit: str, waves: Sequence | None = None, lang: str = "fr",
                    ax: plt.Axes | None = None) -> plt.Axes:
    """Timeline of one cooperation's cycle: restitutions (vertical lines) and actions decided after them.

    Parameters
    ----------
    actions : DataFrame
        Actions contract (:data:`coopeval.qualitative.ACTION_COLUMNS`).
    unit : str
        The cooperation.
    waves : sequence, optional
        Waves to show (default: the waves of its actions and the one after the last).
    lang : {"fr", "en"}
    ax : Axes, optional

    Returns
    -------
    Axes
        One dashed vertical line per wave (the restitution, labelled on the x axis), then one segment per action
        from the wave of its decision to the next wave, coloured by status
        (:data:`STATUS_COLOURS`), with the action's text.
    """
    from coopeval.qualitative import check_actions
    from coopeval.qualitative.actions import wave_key

    lang = lang_of(lang)
    acts = check_actions(actions)
    acts = acts[acts["unit"] == str(unit)]
    acts = pd.DataFrame(sorted(acts.to_dict("records"), key=lambda r: (wave_key(r["wave"]), r["action"])),
                        columns=acts.columns)
    if waves is None:
        ws = sorted(acts["wave"].unique().tolist(), key=wave_key)
        if not ws:
            raise PlotError(f"parameter `unit`: expected a cooperation with actions, got {unit!r} (none)")
        waves = ws + [ws[-1] + 1] if isinstance(ws[-1], (int, np.integer)) else ws
    waves = list(waves)
    pos = {wave_key(w): i for i, w in enumerate(waves)}  # 2 and "2" are the same wave
    missing = sorted({w for w in acts["wave"] if wave_key(w) not in pos}, key=str)
    if missing:
        raise PlotError(f"parameter `waves`: expected every wave of the actions of {unit}, missing {missing}")
    phone = on_phone()  # a phone: each action's text on two lines above its segment, rows further apart
    with plt.rc_context(rc()):
        if ax is None:
            _, ax = plt.subplots(figsize=figsize((6.3, (0.7 if phone else 0.45) * max(len(acts), 2) + 1.2)),
                                 layout=layout())
        for x in pos.values():
            ax.axvline(x, color=palette.NEUTRAL, linestyle="--", linewidth=0.8)
        for i, r in acts.iterrows():
            x0 = pos[wave_key(r["wave"])]
            x1 = min(x0 + 1, len(waves) - 1) if x0 + 1 < len(waves) else x0 + 0.5
            colour = STATUS_COLOURS[r["status"]]
            ax.plot([x0, x1], [i, i], color=colour, linewidth=4, solid_capstyle="butt",
                    label=t(f"action_status_{r['status']}", lang))
            what = textwrap.shorten(r["what"], 70)
            if phone:
                ax.text(-0.2, i - 0.12, textwrap.fill(what, 34), fontsize=text_size(6.5), va="bottom")
            else:
                ax.text(x0 + 0.04, i + 0.32, what, fontsize=6.5, va="bottom")
        ax.set_ylim(max(len(acts), 1) - 0.2, -0.9 if phone else -0.6)
        ax.set_xlim(-0.3, len(waves) - 0.5)
        ax.set_yticks([])
        ax.set_xticks(list(pos.values()))
        ax.set_xticklabels([f"{t('plot_timeline_restitution', lang)}\n{t('wave_n', lang, wave=w)}" for w in waves])
        ax.spines["left"].set_visible(False)
        title(ax, t("plot_timeline_title", lang))
        handles, names = ax.get_legend_handles_labels()
        seen = dict(zip(names, handles, strict=True))
        if seen:
            ax.legend(seen.values(), seen.keys(), loc="upper center", ncol=2 if phone else 4, frameon=False,
                      bbox_to_anchor=(0.5, 0.0), bbox_transform=offset_copy(ax.transAxes, fig=ax.get_figure(root=True),
                                                                              y=-3.2 * rc()["xtick.labelsize"],
                                                                              units="points"))
    return ax
