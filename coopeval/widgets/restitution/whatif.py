"""The "what if" tab of the restitution dashboard: sliders starting at the deliberated dimension
weights and college voices, and the overall scores and ranks they give.

A college under the minimum group size — in any group of sibling nodes, counting those of its
participants who weighted that group — has no slider of its own: it shares one with every
college pooled in any group (:data:`POOLED`, :func:`coopeval.data.disclosure.voice_blocks`).
When fewer than ``min_group`` participants weighted the dimensions, their deliberated weights are
not shown (:meth:`coopeval.Evaluation.small_groups`): no dimension slider, the reason instead.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd

from coopeval.data.disclosure import display_names, group_sizes, voice_blocks
from coopeval.evaluation import Evaluation
from coopeval.framework import ROOT
from coopeval.i18n import fmt, t
from coopeval.widgets.restitution.common import _table

#: Key of the slider of the colleges pooled to protect small groups.
POOLED = "__pooled__"


def _college_groups(ev: Evaluation) -> tuple[list[str], list[str]]:
    """Colleges with a voice slider of their own, and those pooled in some group of sibling nodes
    (:func:`coopeval.data.disclosure.voice_blocks`)."""
    if ev.spec.weights.kind != "deliberation" or not len(ev.colleges):
        return [], []
    return voice_blocks(group_sizes(ev.weightset().by_participant), ev.min_group)


class WhatIfTab:
    """The "what if" tab (mixed into :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        unit: Any
        wave: Any
        whatif_score: Any
        whatif_table: Any

    def _build_weight_controls(self) -> None:
        """Sliders starting at the evaluation's deliberated weights and college voices."""
        ev = self.ev
        # the sliders would start at the mean of fewer than min_group people's weights: none then
        deliberated = None if ROOT in ev.small_groups() else ev.dimension_weights()
        self.dim_sliders = {} if deliberated is None else {
            d: W.FloatSlider(value=round(100 * float(deliberated[d]), 1), min=0, max=60, step=1,
                             continuous_update=False, readout_format=".0f",
                             layout=W.Layout(width="100%", max_width="640px"), style={"description_width": "260px"})
            for d in ev.fw.dimension_ids
        }
        for d, s in self.dim_sliders.items():
            s.add_class(f"ce-slider-{d}")
        # issue 16: a college under the minimum has no slider of its own: it shares one with the colleges
        # pooled with it (coopeval.data.disclosure), so no voice setting isolates its weights
        self.shown_colleges, self.pooled_colleges = _college_groups(ev)
        voices = ev.spec.weights.college_shares or {c: 1.0 for c in self.shown_colleges + self.pooled_colleges}
        total = sum(voices.values()) or 1.0
        start = {c: 100 * voices.get(c, 0.0) / total for c in self.shown_colleges}
        if self.pooled_colleges:
            start[POOLED] = 100 * sum(voices.get(c, 0.0) for c in self.pooled_colleges) / total
        self.college_sliders = {
            c: W.FloatSlider(value=round(v, 1), min=10, max=60 if c != POOLED else 90, step=1,
                             continuous_update=False, readout_format=".0f",
                             layout=W.Layout(width="100%", max_width="640px"), style={"description_width": "260px"})
            for c, v in start.items()
        } if len(ev.colleges) > 1 and self.shown_colleges else {}
        self._initial_dims = {d: s.value for d, s in self.dim_sliders.items()}
        self._initial_colleges = {c: s.value for c, s in self.college_sliders.items()}
        for s in [*self.dim_sliders.values(), *self.college_sliders.values()]:
            s.observe(lambda _: self.refresh_whatif(), names="value")

    def _on_reset(self, _: Any) -> None:
        if self.dim_sliders:
            deliberated = self.ev.dimension_weights()
            for d, s in self.dim_sliders.items():
                s.value = round(100 * float(deliberated[d]), 1)
        for c, s in self.college_sliders.items():
            s.value = self._initial_colleges[c]

    def dimension_weights(self) -> dict[str, float] | None:
        """Dimension weights set on the sliders (None while they show the deliberated ones, so
        that the "what if" scores start exactly at the deliberated scores)."""
        current = {d: s.value for d, s in self.dim_sliders.items()}
        return None if current == self._initial_dims else current

    def college_shares(self) -> dict[str, float] | None:
        """College voices set on the sliders (shares summing to one; None while they show the
        evaluation's voices)."""
        if not self.college_sliders:
            return None
        raw = {c: s.value for c, s in self.college_sliders.items()}
        if raw == self._initial_colleges:
            return None
        block = raw.pop(POOLED, 0.0)
        raw.update({c: block / len(self.pooled_colleges) for c in self.pooled_colleges})
        total = sum(raw.values())
        return {c: v / total for c, v in raw.items()}

    def refresh_whatif(self) -> None:
        """Recompute the overall scores and ranks with the weights on the sliders."""
        ev, lang, unit, wave = self.ev, self.lang, self.unit.value, self.wave.value
        table = ev.what_if(self.dimension_weights(), self.college_shares(), wave=wave)
        mine = table.set_index("unit").loc[unit]
        self.whatif_score.value = (
            f"<p><b>{html.escape(t('overall_score', lang))} :</b> "
            f"<span class='ce-whatif-value'>{fmt(mine['score'], lang)}</span> — "
            f"{html.escape(t('rank', lang))} <span class='ce-whatif-rank'>{fmt(mine['rank'], lang, 0)}</span>"
            f" / {int(mine['n_units'])}</p>"
        )
        names = display_names(table["unit"], unit, ev.units.set_index("unit")["name"].to_dict(),
                              getattr(ev, "naming", "anonymised"), lang)  # as in the report (issue 16)
        shown = pd.DataFrame({
            t("rank", lang): [fmt(r, lang, 0) for r in table["rank"]],  # « – » for a unit without overall score
            t("unit", lang): table["unit"].astype(str).map(names),
            t("score", lang): [fmt(v, lang) for v in table["score"]],
        })
        # pandas writes the header row as <tr style=...> and each data row as a bare <tr>
        head, *rows = _table(shown, "ce-whatif-table").split("<tr>")
        mine = table["unit"].tolist().index(unit)
        self.whatif_table.value = head + "".join(
            ("<tr class='ce-mine'>" if i == mine else "<tr>") + r for i, r in enumerate(rows))
