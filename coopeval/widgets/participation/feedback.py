"""The previous round on the participant page: where the group stood on each dimension
(median and quartiles, or too few answers to show), where the participant stood, and what
others said."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

from coopeval.widgets.participation.style import _pct

if TYPE_CHECKING:
    import pandas as pd

    from coopeval.store.participant_access import Access


class Feedback:
    """The previous round (mixed into :class:`~coopeval.widgets.participation.ParticipationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        access: Access
        feedback: pd.DataFrame
        lang: str
        _: Callable[..., str]

    def _feedback_legend(self) -> str:
        reasons = sorted({t.strip() for cell in self.feedback["reasons"] for t in str(cell).split(" | ") if t.strip()})
        said = ""
        if reasons:
            items = "".join(f"<li>« {html.escape(t)} »</li>" for t in reasons[:15])
            said = f"<p><b>{self._('others_said')}</b></p><ul class='ce-reasons'>{items}</ul>"
        title = self._("feedback_title", round=self.access.previous_round)
        return (f"<div class='ce-feedback'><h3>{html.escape(title)}</h3>"
                f"<p class='ce-dim-desc'>{html.escape(self._('feedback_legend'))}</p>{said}</div>")

    def _feedback_row(self, node: str) -> str:
        fb = self.feedback
        if fb.empty or node not in set(fb["node"]):
            return ""
        top = max(float(np.nanmax(fb[["group_q3", "own_weight"]].to_numpy(dtype=float), initial=0)), 0.01) * 1.15
        r = fb.set_index("node").loc[node]
        if np.isfinite(r.group_median):
            band = (f"<div class='ce-band' style='left:{100 * r.group_q1 / top:.1f}%;"
                    f"width:{100 * (r.group_q3 - r.group_q1) / top:.1f}%'></div>"
                    f"<div class='ce-median' style='left:{100 * r.group_median / top:.1f}%'></div>")
            text = self._("group", median=_pct(r.group_median, self.lang), q1=_pct(r.group_q1, self.lang),
                          q3=_pct(r.group_q3, self.lang), n=int(r.n))
        else:
            band, text = "", self._("too_few", n=int(r.n))
        own = ""
        if np.isfinite(r.own_weight):
            own = f"<div class='ce-own' style='left:{100 * r.own_weight / top:.1f}%'></div>"
            text += self._("you", own=_pct(r.own_weight, self.lang)) + (f", {r.position}" if r.position else "")
        return (f"<div class='ce-fb-{html.escape(node)} ce-fb'><div class='ce-bar' aria-hidden='true'>{band}{own}"
                f"</div><p class='ce-dim-desc'>{self._('round_prefix', round=self.access.previous_round)}"
                f"{html.escape(text)}</p></div>")
