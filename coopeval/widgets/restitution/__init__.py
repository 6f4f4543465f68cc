"""The restitution dashboard: a cooperation's profile, its change, the deliberated weights
and where colleges disagree, a "what if" panel, the socio-economic model and the report.

Wiring only: the numbers come from :class:`coopeval.evaluation.Evaluation`, the figures
from :mod:`coopeval.plots`, the report from :mod:`coopeval.report`.

One module per tab, each a mixin of :class:`RestitutionApp`:

* :mod:`~coopeval.widgets.restitution.profile` — the overall score with its uncertainty, the
  profile figures and their numbers;
* :mod:`~coopeval.widgets.restitution.change` — the change since the previous wave;
* :mod:`~coopeval.widgets.restitution.evidence` — the register « Ce que nous avons décidé de
  mesurer », actions followed, progress grids and extracts;
* :mod:`~coopeval.widgets.restitution.weights` — the weights by college and what is contested;
* :mod:`~coopeval.widgets.restitution.whatif` — the "what if" sliders (colleges pooled to
  protect small groups);
* :mod:`~coopeval.widgets.restitution.resources` — resources, externalities and the
  « Modèle socio-économique »;

:mod:`~coopeval.widgets.restitution.app` assembles them (controls, tabs, the report to
download) and :mod:`~coopeval.widgets.restitution.common` holds what they share (style, a
figure as an image, a table).
"""

from coopeval.widgets.restitution.app import RestitutionApp, restitution_app
from coopeval.widgets.restitution.whatif import POOLED

__all__ = ["POOLED", "RestitutionApp", "restitution_app"]
