"""Inputs of the restitution report gathered from an :class:`coopeval.evaluation.Evaluation`."""

from __future__ import annotations

from typing import Any

import pandas as pd

from coopeval.errors import ReportError, ValuationError

__all__ = ["resources_in_euros", "from_evaluation", "is_evaluation"]

#: Units of measure of the resources tables and the unit codes of ``resources_profile``.
_UNITS = {"euros": "EUR", "euro": "EUR", "eur": "EUR", "€": "EUR", "euros valorisés": "EUR",
          "euros valorises": "EUR", "heures": "h", "h": "h"}
#: Catalogue proxy of one hour of volunteering (see ``indicators/catalogues/valeurs_reference.yaml``).
HOUR_PROXY = "heure_benevole_smic_brut"


def is_evaluation(obj: object) -> bool:
    """True for an Evaluation-like object (``fw``, ``scores()``, ``weightset()``)."""
    return hasattr(obj, "fw") and callable(getattr(obj, "scores", None)) and callable(
        getattr(obj, "weightset", None))


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
    from coopeval.valuation import resources_profile

    if by not in resources.columns:
        raise ReportError(f"parameter `by`: expected a column of `resources`, got {by!r}")
    if "unit_of_measure" not in resources.columns:
        return resources.copy()
    frames = []
    for key, g in resources.groupby(by, sort=True):
        table = g.drop(columns=[c for c in ("unit", "wave") if c in g.columns])
        table = table.rename(columns={"unit_of_measure": "unit"})
        codes = table["unit"].astype(str).str.strip().str.lower()
        unknown = sorted(set(codes) - set(_UNITS))
        if unknown:
            raise ReportError(f"parameter `resources`: expected units of measure among {sorted(_UNITS)}, "
                              f"got {unknown} ({by} {key})")
        table["unit"] = codes.map(_UNITS)
        try:
            prof = resources_profile(table, proxies={"h": HOUR_PROXY}, date=date)
        except ValuationError as err:
            raise ReportError(f"parameter `resources`: cannot value the resources of {by} {key}: {err}") from err
        frames.append(prof.table.assign(**{by: key})[[by, "source", "category", "value_eur"]])
    return pd.concat(frames, ignore_index=True).rename(columns={"value_eur": "amount"})


def from_evaluation(ev, unit: str, *, n: int = 500, seed: int = 0) -> dict:
    """Keyword arguments of :func:`coopeval.report.restitution` drawn from an Evaluation.

    Scores with the deliberated weights, a Monte Carlo of ``n`` draws over the
    stakeholders' views, the WeightSet and its agreement table, the responses, the
    unit's resources valued in euros and its display name.
    """
    from coopeval.weighting import agreement_table

    ws = ev.weightset()
    has_views = ws.by_participant is not None and len(ws.by_participant) > 0
    names = dict(zip(ev.units["unit"], ev.units["name"], strict=True))
    res = None
    if ev.resources is not None and len(ev.resources):
        own = ev.resources[ev.resources["unit"].astype(str) == str(unit)]
        res = resources_in_euros(own) if len(own) else None
    return {
        "scores": ev.scores(),
        "fw": ev.fw,
        "uncertainty": ev.uncertainty(n=n, seed=seed),
        "weights": ws if has_views else None,
        "agreement": agreement_table(ws) if has_views else None,
        "responses": ev.responses,
        "resources": res,
        "name": names.get(unit, str(unit)),
        "min_group": ev.min_group,
        "evidence": getattr(ev, "evidence", None),  # issue 17
        "values": ev.values,
    }
