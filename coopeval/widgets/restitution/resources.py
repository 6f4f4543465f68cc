"""The resources tab of the restitution dashboard: resources by category, externalities and the
« Modèle socio-économique » (the model under stress, « qui pourrait co-financer quoi »)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd
from IPython.display import display

from coopeval.i18n import fmt, t
from coopeval.widgets.restitution.common import _figure_html, _table

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation


class ResourcesTab:
    """The resources and socio-economic model tab (mixed into
    :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        resources_out: Any
        socio_html: Any

    def _draw_resources(self, unit: str, wave: Any) -> None:
        from coopeval import plots
        from coopeval.report.socio_economic import ledger_html, stress_html

        ev, lang = self.ev, self.lang
        name = ev.units.set_index("unit")["name"].get(unit, unit)  # the report's sections, the same evaluation
        stress = ev.stress_of(unit, wave)
        profile = ev.stress_profile_of(unit, wave) if stress is not None else None
        dims = {d: ev.fw.label(d, lang) for d in ev.fw.children("overall")}
        self.socio_html.value = (stress_html(stress, unit, wave, name=name, lang=lang, profile=profile, labels=dims)
                                 + ledger_html(ev.ledger_of(unit, wave), name=name, wave=wave, lang=lang))
        self.resources_out.clear_output(wait=True)
        with self.resources_out:
            profile = ev.resources_profile(unit, wave, lang)
            if profile is not None:
                euros = ev.resources_in_euros(unit)

                def draw() -> Any:
                    return plots.resource_bars(euros, by="wave", lang=lang,
                                               names={w: t("wave_n", lang, wave=w) for w in ev.waves})

                alt = t("resources", lang) + (" — see the table below." if lang == "en"
                                              else " — voir le tableau ci-dessous.")
                display(W.HTML(_figure_html(draw, alt, "ce-fig-resources")))
                shares = pd.DataFrame({t("category", lang): profile.shares["label"],
                                       t("share", lang): [fmt(100 * v, lang) + " %" for v in profile.shares["share"]]})
                funder, dependence = profile.largest_non_market_funder
                parts = [t("largest_funder", lang, funder=funder, share=fmt(100 * dependence, lang))] if funder else []
                parts.append(t("funding_concentration", lang, hhi=fmt(profile.herfindahl, lang, digits=2)))
                klass = profile.label[:1].upper() + profile.label[1:]
                display(W.HTML(
                    f"<p class='ce-resources-class'><b>{html.escape(klass)}</b> — "
                    f"{html.escape('. '.join(parts))}.</p>"
                    + _table(shares, "ce-resources-table")))
            if "externalites" in ev.fw:
                ext = ev.indicators_of(unit, wave, "externalites", lang)
                shown = pd.DataFrame({
                    t("indicator", lang): ext["label"],
                    t("value", lang): [fmt(v, lang, digits=2) for v in ext["value"]],
                    t("unit_of_measure", lang): ext["unit"],
                    t("score", lang): [fmt(v, lang) for v in ext["score"]],
                })
                display(W.HTML(f"<h4>{html.escape(t('externalities', lang))}</h4>"
                               + _table(shown, "ce-externalities-table")))
