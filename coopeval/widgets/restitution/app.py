"""The restitution dashboard's page: the controls (cooperation, wave, language, deliberation),
the tabs (one mixin each, see :mod:`coopeval.widgets.restitution`) and the report to download.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as W

from coopeval.data.disclosure import small_group_message
from coopeval.evaluation import Evaluation
from coopeval.framework import ROOT
from coopeval.i18n import provenance, t
from coopeval.widgets.restitution.change import ChangeTab
from coopeval.widgets.restitution.common import _CSS, _college_label
from coopeval.widgets.restitution.evidence import EvidenceTab
from coopeval.widgets.restitution.profile import ProfileTab
from coopeval.widgets.restitution.resources import ResourcesTab
from coopeval.widgets.restitution.weights import WeightsTab
from coopeval.widgets.restitution.whatif import POOLED, WhatIfTab


class RestitutionApp(ProfileTab, ChangeTab, EvidenceTab, WeightsTab, WhatIfTab, ResourcesTab):
    """The restitution dashboard on one :class:`Evaluation` (French by default)."""

    def __init__(self, ev: Evaluation, lang: str = "fr", project: Any = None):
        self.ev = ev
        self.lang = lang
        units = ev.units
        self.unit = W.Dropdown(options=list(zip(units["name"], units["unit"], strict=True)),
                               layout=W.Layout(width="100%", max_width="420px"))
        self.unit.add_class("ce-unit")
        self.wave = W.Dropdown(options=ev.waves, value=ev.waves[-1], layout=W.Layout(width="auto", min_width="150px"))
        self.wave.add_class("ce-wave")
        self.language = W.ToggleButtons(options=[("FR", "fr"), ("EN", "en")], value=lang,
                                        tooltips=["Français", "English"])
        self.language.add_class("ce-lang")
        self.title = W.HTML()
        self.headline = W.HTML()
        self.headline.add_class("ce-headline")
        self.profile_out = W.HTML()
        self.profile_out.add_class("ce-profile-figures")
        self.profile_table = W.HTML()  # the profile's numbers as a table (read by the cross-door test)
        self.change_html = W.HTML()
        self.change_html.add_class("ce-change")
        self.weights_out = W.Output()
        self.contested_html = W.HTML()
        self.whatif_score = W.HTML()
        self.whatif_score.add_class("ce-whatif-score")
        self.whatif_table = W.HTML()
        self.resources_out = W.Output()
        self.socio_html = W.HTML()  # issue 18: the model under stress and « qui pourrait co-financer quoi »
        self.socio_html.add_class("ce-socio-economic")
        self.evidence_html = W.HTML()  # issue 17: voices, progress grids and actions followed
        self.evidence_html.add_class("ce-evidence")
        self.report_html = W.HTML()
        self.report_html.add_class("ce-report-link")
        self.report_button = W.Button(icon="download", layout=W.Layout(width="auto"))
        self.report_button.add_class("ce-report-button")
        self.reset = W.Button(icon="undo", layout=W.Layout(width="auto"))
        self.reset.add_class("ce-reset")
        self.provenance_html = W.HTML()
        self.provenance_html.add_class("ce-provenance")
        self.project = project
        self.deliberation = W.Dropdown(options=self._deliberation_options(), layout=W.Layout(width="auto"),
                                       style={"description_width": "initial"})
        self.deliberation.add_class("ce-deliberation")
        src = ev.spec.weights
        if src.kind == "deliberation":
            self.deliberation.value = (src.session, src.round)
        self._build_weight_controls()
        self.tabs = W.Tab()
        self.root = W.VBox()
        self.root.add_class("ce-app")
        self._wire()
        self.render()

    def _deliberation_options(self) -> list[tuple[str, tuple[str, int]]]:
        """(label, (session, round)) of every round with judgements, latest first."""
        j = self.ev.judgements
        if j is None:
            return []
        pairs = j[["session", "round"]].drop_duplicates().astype({"round": int})
        titles = {}
        if self.project is not None:
            s = self.project.sessions()
            titles = {r.session: r.title if isinstance(r.title, str) and r.title else r.session
                      for r in s.itertuples()}
        return [(t("session_round", self.lang, session=titles.get(s, s), round=r), (s, r))
                for s, r in reversed(list(pairs.itertuples(index=False, name=None)))]

    def _on_deliberation(self, change: dict) -> None:
        if self.project is None or change["new"] is None:
            return
        session, rnd = change["new"]
        self.ev = self.project.evaluation(session=session, round=rnd)
        self._build_weight_controls()
        self.render()

    # ------------------------------------------------------------------ wiring
    def _wire(self) -> None:
        self.unit.observe(lambda _: self.refresh(), names="value")
        self.wave.observe(lambda _: self.refresh(), names="value")
        self.language.observe(self._on_lang, names="value")
        self.deliberation.observe(self._on_deliberation, names="value")
        self.reset.on_click(self._on_reset)
        self.report_button.on_click(self._on_report)

    def _on_lang(self, change: dict) -> None:
        self.lang = change["new"]
        # no figure left in the other language while the new ones are drawn
        self.profile_out.value = f"<p class='ce-updating' role='status'>{html.escape(t('updating', self.lang))}</p>"
        self.weights_out.clear_output()
        self.resources_out.clear_output()
        self.render()

    # ------------------------------------------------------------------ rendering
    def render(self) -> None:
        lang = self.lang
        self.title.value = f"<h2 class='ce-title'>{html.escape(t('dashboard_title', lang))}</h2>"
        self.unit.description = t("unit", lang)
        self.wave.description = t("wave", lang)
        for d, s in self.dim_sliders.items():
            s.description = self.ev.fw.label(d, lang)
        for c, s in self.college_sliders.items():
            s.description = (t("pooled_colleges", lang, n=self.ev.min_group) if c == POOLED
                             else _college_label(c, lang))
        self.reset.description = t("reset", lang)
        self.deliberation.description = t("choose_session", lang)
        self.deliberation.layout.display = "" if len(self.deliberation.options) > 1 else "none"
        prov = self.ev.provenance()
        self.provenance_html.value = "<p class='ce-provenance'>" + " ".join(
            html.escape(x) for x in provenance(prov, lang, fw_title=self.ev.fw.title(lang),
                                               college_names={c: _college_label(c, lang) for c in self.ev.colleges})
        ) + "</p>"
        self.report_button.description = t("download_report", lang)
        whatif = W.VBox([
            W.HTML(f"<p>{html.escape(t('what_if_help', lang))}</p>"),
            self.whatif_score,
            W.HTML(f"<h4>{html.escape(t('dimension_weights', lang))} (%)</h4>"),
            *(self.dim_sliders.values() or [W.HTML(
                f"<p class='ce-dims-hidden'>{html.escape(small_group_message([ROOT], self.ev.min_group, lang, self.ev.fw))}"
                "</p>")]),
            *([W.HTML(f"<h4>{html.escape(t('college_voice', lang))} (%)</h4>"), *self.college_sliders.values()]
              if self.college_sliders else []),
            *([W.HTML(f"<p class='ce-voices-fixed'>{html.escape(t('college_voice_fixed', lang, n=self.ev.min_group))}"
                      "</p>")] if not self.college_sliders and self.pooled_colleges else []),
            self.reset,
            self.whatif_table,
        ])
        self.tabs.children = [
            W.VBox([self.headline, self.profile_out, self.profile_table]),
            self.change_html,
            self.evidence_html,
            W.VBox([self.weights_out, self.contested_html]),
            whatif,
            W.VBox([self.resources_out, self.socio_html]),
            W.VBox([self.report_button, self.report_html]),
        ]
        for i, key in enumerate(["tab_profile", "change_title", "evidence_section", "tab_weights", "tab_what_if",
                                 "resources", "report"]):
            self.tabs.set_title(i, t(key, lang))
        controls = W.HBox([self.unit, self.wave, self.language])
        controls.add_class("ce-controls")
        self.root.children = [W.HTML(_CSS), self.title, controls, self.deliberation, self.provenance_html, self.tabs]
        self.refresh()

    def refresh(self) -> None:
        """Redraw everything that depends on the chosen cooperation and wave."""
        unit, wave = self.unit.value, self.wave.value
        self._draw_headline(unit, wave)
        self._draw_profile(unit, wave)
        self._draw_profile_table(unit, wave)
        self._draw_change(unit, wave)
        self._draw_evidence(unit, wave)
        self._draw_weights()
        self._draw_resources(unit, wave)
        self.refresh_whatif()

    def _on_report(self, _: Any) -> None:
        from coopeval import report

        lang, unit, wave = self.lang, self.unit.value, self.wave.value
        text = report.restitution(self.ev, unit, wave, lang=lang)
        data = base64.b64encode(text.encode("utf-8")).decode("ascii")
        name = f"restitution_{unit}_vague{wave}.html"
        self.report_html.value = (f"<a class='ce-report-download' download='{name}' "
                                  f"href='data:text/html;base64,{data}'>{html.escape(name)}</a>")

    def show(self) -> W.VBox:
        """The dashboard widget (display it, or let it be the cell's last value)."""
        return self.root


def restitution_app(project: str | Path | None = None, lang: str = "fr") -> W.VBox:
    """Build the restitution dashboard on a project file (``COOPEVAL_PROJECT`` by default)
    or, when none is given, on the bundled sample data."""
    project = project or os.environ.get("COOPEVAL_PROJECT")
    if project:
        from coopeval.store import Project

        p = Project.open(project)
        return RestitutionApp(p.evaluation(), lang=lang, project=p).show()
    return RestitutionApp(Evaluation.sample(), lang=lang).show()
