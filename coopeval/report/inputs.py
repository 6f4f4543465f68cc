"""Inputs of the restitution report gathered from an :class:`coopeval.evaluation.Evaluation`."""

from __future__ import annotations

import pandas as pd

from coopeval.valuation.in_euros import resources_in_euros

__all__ = ["from_evaluation", "is_evaluation"]

def is_evaluation(obj: object) -> bool:
    """True for an Evaluation-like object (``fw``, ``scores()``, ``weightset()``)."""
    return hasattr(obj, "fw") and callable(getattr(obj, "scores", None)) and callable(
        getattr(obj, "weightset", None))


def from_evaluation(ev, unit: str) -> dict:
    """The inputs of a restitution report drawn from an Evaluation.

    Scores with the specification's weights, its Monte Carlo (the specification's ``n`` and
    ``seed``, as on the dashboard), the WeightSet and its agreement table (without the groups
    weighted by fewer than ``min_group`` participants, :meth:`coopeval.weighting.WeightSet.small_groups`),
    the responses, the unit's resources valued in euros and its display name.
    """
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
        "uncertainty": ev.uncertainty(),
        "weights": ws if has_views else None,
        "agreement": _agreement(ws) if has_views else None,
        "responses": ev.responses,
        "resources": res,
        "name": names.get(unit, str(unit)),
        "min_group": ev.min_group,
        "evidence": getattr(ev, "evidence", None),  # issue 17
        "values": ev.values,
        "decisions": getattr(ev, "decisions", None),
    }


def _agreement(ws) -> pd.DataFrame | None:  # noqa: ANN001
    """:func:`coopeval.weighting.agreement_table` of the groups whose weights may be shown."""
    from coopeval.weighting import agreement_table

    pw = ws.by_participant
    pw = pw[~pw["parent"].astype(str).isin(ws.small_groups())]
    return agreement_table(pw) if len(pw) else None
