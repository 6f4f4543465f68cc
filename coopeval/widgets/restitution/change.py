"""The change tab of the restitution dashboard: each dimension's score at the previous wave
and at the wave shown."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import pandas as pd

from coopeval.i18n import fmt, t
from coopeval.widgets.restitution.common import _table

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation


class ChangeTab:
    """The change tab (mixed into :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        change_html: Any

    def _draw_change(self, unit: str, wave: Any) -> None:
        """The change since the previous wave (or why there is none)."""
        ev, lang = self.ev, self.lang
        ch = ev.change(unit, wave, lang)
        if ch.empty:
            self.change_html.value = f"<p>{html.escape(t('no_previous_wave', lang))}</p>"
        else:
            prev = ev.waves[ev.waves.index(wave) - 1]
            shown = pd.DataFrame({
                t("dimension", lang): ch["label"],
                t("wave_n", lang, wave=prev): [fmt(v, lang) for v in ch["previous"]],
                t("wave_n", lang, wave=wave): [fmt(v, lang) for v in ch["current"]],
                "Δ": [fmt(v, lang, signed=True) for v in ch["change"]],
            })
            self.change_html.value = (f"<h4>{html.escape(t('change_since', lang, wave=prev))}</h4>"
                                      + _table(shown, "ce-change-table"))
