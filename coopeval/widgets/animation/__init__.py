"""The facilitator page: sessions, personal links, rounds, and where the group converges.

Wiring only: the store (:class:`coopeval.store.Project`) keeps sessions, tokens, rounds
and judgements; the figures come from :func:`coopeval.weighting.round_summary.agreement_summary`
(:func:`coopeval.weighting.agreement_table`, :func:`~coopeval.weighting.contested_nodes`,
:func:`~coopeval.weighting.delphi_status`).

One module per section of the page, each a mixin of :class:`AnimationApp`:

* :mod:`~coopeval.widgets.animation.links` — participants and their personal links (issue,
  list, re-issue, printable sheet, CSV), and the server address the links point to;
* :mod:`~coopeval.widgets.animation.rounds` — the rounds of the session: methods per college,
  open, close;
* :mod:`~coopeval.widgets.animation.follow` — where the group converges in the round shown
  (answers received, agreement, by college, contested nodes, stopping rule);

:mod:`~coopeval.widgets.animation.app` assembles them with the session choice and the
background refresh (the framework round is :mod:`coopeval.widgets.framework_round`),
:mod:`~coopeval.widgets.animation.login` is the gate (the facilitator secret) and the entry
point, :mod:`~coopeval.widgets.animation.tables` prints the tables and
:mod:`~coopeval.widgets.animation.style` holds the page's style.
"""

from coopeval.widgets.animation.app import AnimationApp
from coopeval.widgets.animation.links import server_address
from coopeval.widgets.animation.login import FacilitatorLogin, animation_app
from coopeval.widgets.animation.style import CSS
from coopeval.widgets.animation.tables import (
    AGREEMENT_KEYS,
    agreement_rows,
    college_table,
    node_name,
)

__all__ = [
    "AGREEMENT_KEYS",
    "CSS",
    "AnimationApp",
    "FacilitatorLogin",
    "agreement_rows",
    "animation_app",
    "college_table",
    "node_name",
    "server_address",
]
