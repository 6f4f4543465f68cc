"""The voices-and-actions tab of the restitution dashboard: the register « Ce que nous avons
décidé de mesurer », actions followed, progress grids and extracts (the report's sections)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

from coopeval.i18n import t

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation


class EvidenceTab:
    """The voices-and-actions tab (mixed into :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        evidence_html: Any

    def _draw_evidence(self, unit: str, wave: Any) -> None:
        """Actions followed, progress grids and extracts (the report's sections, same rules)."""
        from coopeval.report import learning
        from coopeval.report.decisions import decisions_section

        ev, lang = self.ev, self.lang
        parts = [learning.actions_html(ev.evidence, ev.scores(), ev.values, ev.fw, unit, wave, lang=lang),
                 learning.grids_html(ev.values, ev.fw, unit, wave, lang),
                 learning.evidence_html(ev.evidence, ev.fw, unit, wave, ev.scores(), min_group=ev.min_group,
                                        lang=lang)]
        decided = decisions_section(ev.decisions, ev.fw, wave, lang=lang, min_group=ev.min_group)  # issue 22
        label = html.escape(t("report_h_decisions", lang), quote=True)  # a scrollable region reachable by keyboard
        parts.insert(0, f"<div class='ce-decisions-wrap' role='region' tabindex='0' aria-label='{label}'>{decided}</div>"
                     if decided else "")
        body = "".join(parts)
        self.evidence_html.value = body or f"<p>{html.escape(t('report_no_extract', lang))}</p>"
