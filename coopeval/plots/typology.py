"""The report's typology map: targeted ↔ systemic × modelled ↔ not modelled.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import typology_map
>>> cases = pd.DataFrame({"unit": ["a", "b"], "systemic": [0.9, 0.2], "modelled": [True, False]})
>>> ax = typology_map(cases)
>>> ax.collections[0].get_offsets().tolist()
[[0.9, 0.75], [0.2, 0.25]]
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coopeval.errors import Issue, PlotError
from coopeval.i18n import t
from coopeval.plots import palette
from coopeval.plots._common import (
    check_frame,
    display_name,
    lang_of,
    legend_below,
    new_axes,
    styled,
    title,
    unit_colours,
    wrap,
)
from coopeval.plots.phone import on_phone, text_size

__all__ = ["typology_map"]

_MODELLED = {True: 0.75, False: 0.25, "oui": 0.75, "non": 0.25, "yes": 0.75, "no": 0.25,
             "modelise": 0.75, "non_modelise": 0.25}
_SYSTEMIC = {"systemique": 1.0, "systémique": 1.0, "systemic": 1.0, "ciblee": 0.0, "ciblée": 0.0,
             "targeted": 0.0}
_DODGE = 0.07


def _position(value, mapping: dict, name: str, where: str, issues: list) -> float:
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return np.nan
    if isinstance(value, (bool, np.bool_)) or isinstance(value, str):
        key = value.strip().lower() if isinstance(value, str) else bool(value)
        if key in mapping:
            return mapping[key]
        if isinstance(value, str):
            issues.append(Issue(where, name, f"one of {sorted(str(k) for k in mapping)} or a number in [0, 1]",
                                repr(value)))
            return np.nan
    try:
        x = float(value)
    except (TypeError, ValueError):
        issues.append(Issue(where, name, "a number in [0, 1]", repr(value)))
        return np.nan
    if not 0 <= x <= 1:
        issues.append(Issue(where, name, "a number in [0, 1]", repr(value)))
    return x


@styled
def typology_map(
    cases: pd.DataFrame,
    *,
    unit: str = "unit",
    systemic: str = "systemic",
    modelled: str = "modelled",
    names: Mapping[str, str] | None = None,
    highlight: str | None = None,
    lang: str = "fr",
    ax=None,
):
    """Place cooperations on the report's plane « ciblé – systémique » × « modélisé – non modélisé ».

    Parameters
    ----------
    cases : pandas.DataFrame
        One row per cooperation: ``unit``; ``systemic``, the position on the
        targeted → systemic gradient in [0, 1] (or ``systemique`` / ``ciblee``);
        ``modelled``, True/False (``oui``/``non``) or a position in [0, 1] (1 =
        follows an existing model). E.g. :func:`coopeval.valuation.typology_position`.
        Missing positions are drawn at the middle of their axis with a hollow marker.
    unit, systemic, modelled : str
        Column names.
    names : mapping, optional
        Display name of each unit.
    highlight : str, optional
        A unit drawn in the highlight colour.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.collections[0]``: cooperations whose two positions are stated (offsets
        ``(systemic, modelled)``); ``ax.collections[1]``, if any: those with a
        missing position (hollow markers). ``ax.texts`` holds the unit names and
        the four quadrant labels (gid ``quadrant``).

    Notes
    -----
    ``modelled`` True is drawn at 0.75 and False at 0.25 (the centre of their half);
    units falling on the same point are spread vertically by 0.07 (above, below,
    further above…) so that they stay visible. The report (Labo de l'ESS 2024, section « Un deuxième critère : la
    dimension systémique ») stresses that these are ideal types on a gradient.

    References
    ----------
    Le Labo de l'ESS (2024). *Vers une société de la coopération*, Paris.
    """
    lang = lang_of(lang)
    check_frame(cases, "cases", [unit, systemic, modelled])
    issues: list[Issue] = []
    xs, ys = [], []
    for i, row in cases.reset_index(drop=True).iterrows():
        where = f"cases row {i} (unit {row[unit]!r})"
        xs.append(_position(row[systemic], _SYSTEMIC, systemic, where, issues))
        ys.append(_position(row[modelled], _MODELLED, modelled, where, issues))
    if issues:
        raise PlotError("parameter `cases`: invalid typology positions", issues=issues)
    x = np.asarray(xs, dtype=float)
    y = np.asarray(ys, dtype=float)
    stated = ~(np.isnan(x) | np.isnan(y))
    x = np.where(np.isnan(x), 0.5, x)
    y = np.where(np.isnan(y), 0.5, y)
    seen: dict[tuple[float, float], int] = {}
    for i in range(len(x)):
        key = (round(x[i], 6), round(y[i], 6))
        k = seen.get(key, 0)
        seen[key] = k + 1
        y[i] = y[i] + _DODGE * ((k + 1) // 2) * (1 if k % 2 else -1) if k else y[i]
    ax = new_axes(ax, (palette.A4_WIDTH, palette.A4_WIDTH * 0.62))
    ax.axvline(0.5, color="#999999", lw=0.8)
    ax.axhline(0.5, color="#999999", lw=0.8)
    units = cases[unit].tolist()
    colours = np.array(unit_colours(units, highlight))
    ax.scatter(x[stated], y[stated], s=40, c=colours[stated], edgecolors="black", linewidths=0.5, zorder=3)
    small = on_phone()  # a phone: larger text, the quadrants' names on two lines, the legend under the figure
    if (~stated).any():
        hollow = ax.scatter(x[~stated], y[~stated], s=40, facecolors="white", edgecolors=colours[~stated],
                            linewidths=1.2, zorder=3, label=t("plot_not_stated", lang))
        if small:
            legend_below(ax, [hollow], [wrap(t("plot_not_stated", lang), 60)], t("plot_typology_title", lang), ncol=1)
        else:
            ax.legend(loc="lower center", bbox_to_anchor=(0.5, -0.22), frameon=False)
    for xi, yi, u in zip(x, y, units, strict=True):
        ax.annotate(wrap(display_name(names, u), 30), (xi, yi), xytext=(5, 0), textcoords="offset points",
                    fontsize=text_size(6.5), va="center", fontweight="bold" if u == highlight else "normal")
    quad = [(0.02, 0.98, "targeted", "modelled", "left", "top"), (0.98, 0.98, "systemic", "modelled", "right", "top"),
            (0.02, 0.02, "targeted", "not_modelled", "left", "bottom"),
            (0.98, 0.02, "systemic", "not_modelled", "right", "bottom")]
    for qx, qy, a, b, ha, va in quad:
        text = f"{t('plot_' + b, lang)}, {t('plot_' + a, lang).lower()}"
        ax.text(qx, qy, wrap(text, 14) if small else text, transform=ax.transAxes, ha=ha, va=va, fontsize=text_size(7), color=palette.NEUTRAL, style="italic",
                gid="quadrant")
    ax.set_xlim(-0.05, 1.3)
    ax.set_ylim(-0.05, 1.05)
    ax.set_xticks([0, 1])
    ax.set_xticklabels([t("plot_targeted", lang), t("plot_systemic", lang)])
    ax.set_yticks([0.25, 0.75])
    if small:  # the quadrants' names say it: the axis keeps the phone's width for the cooperations
        ax.tick_params(axis="y", length=0, labelleft=False)
    else:
        ax.set_yticklabels([t("plot_not_modelled", lang), t("plot_modelled", lang)])
    title(ax, t("plot_typology_title", lang))
    return ax
