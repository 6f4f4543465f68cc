"""ipywidgets components of the dashboards (wiring only: every number comes from a
tested package function, mostly through :class:`coopeval.evaluation.Evaluation`)."""

from coopeval.widgets.restitution import RestitutionApp, restitution_app

__all__ = ["RestitutionApp", "restitution_app"]
