"""Resources of the socio-economic model valued in euros, group by group (for figures and reports)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coopeval.errors import ValuationError
from coopeval.valuation.resources import resources_profile

__all__ = ["resources_in_euros", "HOUR_PROXY"]

#: Units of measure of the resources tables and the unit codes of ``resources_profile``.
_UNITS = {"euros": "EUR", "euro": "EUR", "eur": "EUR", "€": "EUR", "euros valorisés": "EUR",
          "euros valorises": "EUR", "heures": "h", "h": "h"}
#: Catalogue proxy of one hour of volunteering (see ``indicators/catalogues/valeurs_reference.yaml``).
HOUR_PROXY = "heure_benevole_smic_brut"



def resources_in_euros(resources: pd.DataFrame, *, by: str = "wave", date: Any = None) -> pd.DataFrame:
    """Resources valued in euros, group by group (the waves of one cooperation, or the
    cooperations of one wave).

    Parameters
    ----------
    resources : pandas.DataFrame
        ``<by>, source, category, amount, unit_of_measure`` (the ``resources`` table of
        ``panel_synthetique``); hours are valued with the catalogue proxy
        ``heure_benevole_smic_brut`` by :func:`coopeval.valuation.resources_profile`.
    by : str
        Column of the groups, ``wave`` (default) or ``unit``.
    date : optional
        Date at which the proxy is looked up (default today).

    Returns
    -------
    pandas.DataFrame
        ``<by>, source, category, amount`` with ``amount`` in euros and ``category``
        in market / non_market / non_monetary.
    """
    if by not in resources.columns:
        raise ValuationError(f"parameter `by`: expected a column of `resources`, got {by!r}")
    if "unit_of_measure" not in resources.columns:
        return resources.copy()
    frames = []
    for key, g in resources.groupby(by, sort=True):
        table = g.drop(columns=[c for c in ("unit", "wave") if c in g.columns])
        table = table.rename(columns={"unit_of_measure": "unit"})
        codes = table["unit"].astype(str).str.strip().str.lower()
        unknown = sorted(set(codes) - set(_UNITS))
        if unknown:
            raise ValuationError(f"parameter `resources`: expected units of measure among {sorted(_UNITS)}, "
                              f"got {unknown} ({by} {key})")
        table["unit"] = codes.map(_UNITS)
        try:
            prof = resources_profile(table, proxies={"h": HOUR_PROXY}, date=date)
        except ValuationError as err:
            raise ValuationError(f"parameter `resources`: cannot value the resources of {by} {key}: {err}") from None
        frames.append(prof.table.assign(**{by: key})[[by, "source", "category", "value_eur"]])
    return pd.concat(frames, ignore_index=True).rename(columns={"value_eur": "amount"})
