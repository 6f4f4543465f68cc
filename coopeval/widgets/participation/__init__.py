"""The participant page: weigh the framework's dimensions from a phone, with a personal link.

Wiring only: access, answers, weights, submission and feedback come from
:mod:`coopeval.store.participant_access` and :mod:`coopeval.weighting.elicitation` (which use :class:`coopeval.store.Project` and
:mod:`coopeval.weighting`).

:mod:`~coopeval.widgets.participation.app` is the page (access, waiting for the next round,
sending the answer); its parts are mixins of :class:`ParticipationApp`:

* :mod:`~coopeval.widgets.participation.questions` — the questions of the round's method (one
  card per dimension, or per pair for AHP), prefilled with the previous round's answers;
* :mod:`~coopeval.widgets.participation.preview` — the answer as it is given: total or what
  is left, one's weights, AHP consistency;
* :mod:`~coopeval.widgets.participation.feedback` — where the group stood in the previous round.

:mod:`~coopeval.widgets.participation.style` holds the page's style.
"""

from coopeval.widgets.participation.app import ParticipationApp, participation_app
from coopeval.widgets.participation.style import CSS

__all__ = ["CSS", "ParticipationApp", "participation_app"]
