"""Resources by category (market / non-market / non-monetary) as stacked bars.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import pandas as pd
>>> from coopeval.plots import resource_bars
>>> r = pd.DataFrame({"unit": ["a", "a", "b"], "source": ["ventes", "Région", "ventes"],
...                   "category": ["marchand", "non_marchand", "marchand"], "amount": [60.0, 40.0, 10.0]})
>>> ax = resource_bars(r)
>>> [float(p.get_height()) for p in ax.containers[0]]
[60.0, 10.0]
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
)
from coopeval.plots.phone import on_phone

__all__ = ["resource_bars", "CATEGORY_ALIASES"]

#: Accepted spellings of the three categories.
CATEGORY_ALIASES = {
    "market": "market", "marchand": "market", "marchande": "market",
    "non_market": "non_market", "non-market": "non_market", "non_marchand": "non_market",
    "non marchand": "non_market",
    "non_monetary": "non_monetary", "non-monetary": "non_monetary", "non_monetaire": "non_monetary",
    "non monétaire": "non_monetary", "non_monétaire": "non_monetary",
}
_ORDER = ["market", "non_market", "non_monetary"]
_EUROS = {"eur", "€", "euro", "euros", "euros valorisés", "euros valorises"}


@styled
def resource_bars(
    resources: pd.DataFrame,
    *,
    by: str = "unit",
    amount: str = "amount",
    category: str = "category",
    share: bool = False,
    names: Mapping[str, str] | None = None,
    lang: str = "fr",
    ax=None,
):
    """Stacked bars of the resources of each cooperation (or wave) by category.

    Parameters
    ----------
    resources : pandas.DataFrame
        One row per resource: ``source, category, amount`` and the column ``by``;
        ``category`` in market / non_market / non_monetary (or marchand /
        non_marchand / non_monetaire). Amounts in euros: if a ``unit_of_measure``
        (or ``unit_measure``) column says otherwise (e.g. volunteering in hours),
        value them first with :func:`coopeval.valuation.resources_profile` and pass
        its ``value_eur``.
    by : str
        Column giving the bars (``unit``, ``wave``…).
    amount, category : str
        Column names.
    share : bool
        Draw shares of each bar's total (100 % stacked) instead of euros.
    names : mapping, optional
        Display name of each bar key.
    lang : {"fr", "en"}
    ax : matplotlib Axes, optional

    Returns
    -------
    matplotlib.axes.Axes
        ``ax.containers[j]`` is the BarContainer of category ``j`` in the order
        market, non-market, non-monetary (label = its name); bar ``i`` of each
        container is the i-th key of ``by`` in order of appearance (height =
        amount, or share when ``share=True``).

    Notes
    -----
    With ``share=True`` the height of category :math:`c` for bar :math:`b` is
    :math:`\\sum_{r \\in b, c} a_r / \\sum_{r \\in b} a_r`.

    References
    ----------
    Le Labo de l'ESS (2024). *Vers une société de la coopération*, section « Diversité
    des modèles socio-économiques » (market, non-market and non-monetary resources).
    """
    lang = lang_of(lang)
    check_frame(resources, "resources", [by, category, amount])
    issues = []
    cats = resources[category].astype(str).str.strip().str.lower().map(CATEGORY_ALIASES)
    for i in np.flatnonzero(cats.isna().to_numpy()):
        issues.append(Issue(f"resources row {i}", category, f"one of {sorted(CATEGORY_ALIASES)}",
                            repr(resources[category].iloc[i])))
    for col in ("unit_of_measure", "unit_measure"):
        if col in resources.columns:
            bad = ~resources[col].astype(str).str.strip().str.lower().isin(_EUROS)
            for i in np.flatnonzero(bad.to_numpy()):
                issues.append(Issue(f"resources row {i}", col, "an amount in euros (value other units with "
                                    "coopeval.valuation.resources_profile)", repr(resources[col].iloc[i])))
    vals = pd.to_numeric(resources[amount], errors="coerce")
    for i in np.flatnonzero((vals.isna() | (vals < 0)).to_numpy()):
        issues.append(Issue(f"resources row {i}", amount, "a non-negative amount", repr(resources[amount].iloc[i])))
    if issues:
        raise PlotError("parameter `resources`: cannot draw these resources", issues=issues)
    df = pd.DataFrame({"key": resources[by].to_numpy(), "cat": cats.to_numpy(), "amount": vals.to_numpy()})
    keys = list(dict.fromkeys(df["key"]))
    table = df.pivot_table(index="key", columns="cat", values="amount", aggfunc="sum", fill_value=0.0)
    table = table.reindex(index=keys, columns=_ORDER, fill_value=0.0)
    if share:
        table = table.div(table.sum(axis=1).replace(0, np.nan), axis=0).fillna(0.0)
    ax = new_axes(ax, (palette.A4_WIDTH, palette.A4_WIDTH * 0.45))
    x = np.arange(len(keys))
    bottom = np.zeros(len(keys))
    for c in _ORDER:
        h = table[c].to_numpy(dtype=float)
        ax.bar(x, h, bottom=bottom, color=palette.CATEGORY_COLOURS[c], label=t(c, lang), width=0.7,
               edgecolor="white", linewidth=0.5)
        bottom += h
    ax.set_xticks(x)
    tilt = len(keys) > (3 if on_phone() else 6)  # names that no longer fit side by side lean
    ax.set_xticklabels([display_name(names, k) for k in keys], rotation=30 if tilt else 0,
                       ha="right" if tilt else "center")
    if share:
        ax.set_ylim(0, 1)
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:.0%}")
        ax.set_ylabel(t("plot_share", lang))
    else:
        ax.yaxis.set_major_formatter(lambda v, _: f"{v:,.0f}".replace(",", "\u202f"))
        ax.set_ylabel(t("plot_amount_eur", lang))
    if on_phone():  # no room beside the bars: the legend goes under them
        handles, labels = ax.get_legend_handles_labels()
        legend_below(ax, handles, labels, t("plot_resources_title", lang), ncol=2)
    else:
        ax.set_title(t("plot_resources_title", lang))
        ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), frameon=False)
    return ax
