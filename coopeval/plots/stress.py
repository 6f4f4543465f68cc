"""The socio-economic model under stress: one bar per scenario.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> fin = ce.datasets.load("la_butinerie", table="finances")
>>> ax = ce.plots.stress_bars(ce.valuation.stress_test(fin), unit="la_butinerie", wave="2023")
>>> [float(p.get_width()) for p in ax.containers[0]]
[0.0, -40000.0, 0.0, -287000.0]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from matplotlib.ticker import MaxNLocator

from coopeval.errors import PlotError
from coopeval.i18n import fmt, t
from coopeval.plots import palette
from coopeval.plots._common import check_frame, lang_of, new_axes, styled, title, wrap
from coopeval.plots.phone import on_phone, text_size

__all__ = ["stress_bars"]


@styled
def stress_bars(stress: pd.DataFrame, *, unit: str, wave: str, indicator: str = "cash_balance",
                lang: str = "fr", ax=None):
    """Horizontal bars of one indicator in the baseline and under each stress scenario.

    Parameters
    ----------
    stress : DataFrame
        Output of :func:`coopeval.valuation.stress_test` (``unit, wave, scenario,
        indicator, baseline, stressed``).
    unit, wave : str
        The cooperation and wave drawn.
    indicator : str
        Indicator code (default ``cash_balance``: monetary resources − monetary costs −
        loan principal repaid).
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.containers[0]``: the bars, from top to bottom the baseline then each
        scenario (width = value); negative bars are drawn in the warning colour.
    """
    lang = lang_of(lang)
    check_frame(stress, "stress", ["unit", "wave", "scenario", "indicator", "baseline", "stressed"])
    d = stress[(stress["unit"] == unit) & (stress["wave"].astype(str) == str(wave)) & (stress["indicator"] == indicator)]
    if d.empty:
        raise PlotError(f"parameters `unit`, `wave`, `indicator`: expected a combination present in `stress`, "
                        f"got {unit!r}, {wave!r}, {indicator!r}")
    from coopeval.valuation.stress import scenarios

    names = scenarios(lang).set_index("scenario")["label"]
    labels = [t("stress_baseline", lang)] + [names.get(s, s) for s in d["scenario"]]
    values = np.array([float(d["baseline"].iloc[0])] + d["stressed"].astype(float).tolist())
    ax = new_axes(ax, (palette.A4_WIDTH, palette.A4_WIDTH * 0.4))
    y = np.arange(len(values))[::-1]
    colours = [palette.HIGHLIGHT if v < 0 else palette.SERIES[0] for v in values]
    ax.barh(y, np.nan_to_num(values), color=colours)
    ax.set_yticks(y, [wrap(s, 40) for s in labels] if on_phone() else labels)
    ax.axvline(0, color="black", linewidth=0.8)
    finite = np.nan_to_num(values)
    lo, hi = min(0.0, float(finite.min())), max(0.0, float(finite.max()))
    pad = (0.8 if on_phone() else 0.3) * ((hi - lo) or 1.0)  # room for the amounts beside the bars
    ax.set_xlim(lo - pad if lo < 0 else 0.0, hi + pad)
    ax.xaxis.set_major_formatter(lambda v, _: fmt(v, lang, 0))  # « 100 000 », the one formatter
    if on_phone():  # three amounts fit a phone's width
        ax.xaxis.set_major_locator(MaxNLocator(3))
    right = on_phone()  # a phone: every amount right of zero, none over the labels of the bars
    for yi, v in zip(y, values, strict=True):
        at = 0.0 if np.isnan(v) or (right and v < 0) else v
        ahead = v >= 0 or right
        ax.annotate(f"{fmt(v, lang, digits=0)} €", (at, yi), xytext=(3 if ahead else -3, 0),
                    textcoords="offset points", va="center", ha="left" if ahead else "right",
                    fontsize=text_size(7))
    xlabel = f"{t('sem_' + indicator, lang)} (€)"
    ax.set_xlabel(wrap(xlabel, 40) if on_phone() else xlabel)
    title(ax, t("stress_title", lang))
    return ax
