"""ipywidgets components of the dashboards (wiring only: every number comes from a
tested package function — :class:`coopeval.evaluation.Evaluation`, the store, the weighting
and the deliberation helpers of
:mod:`coopeval.weighting.elicitation`, :mod:`coopeval.store.participant_access` and
:mod:`coopeval.report.links`)."""

from coopeval.widgets.animation import AnimationApp, FacilitatorLogin, animation_app
from coopeval.widgets.participation import ParticipationApp, participation_app
from coopeval.widgets.restitution import RestitutionApp, restitution_app

__all__ = [
    "AnimationApp",
    "FacilitatorLogin",
    "ParticipationApp",
    "RestitutionApp",
    "animation_app",
    "participation_app",
    "restitution_app",
]
