"""The restitution dashboard: a cooperation's profile, its change, the deliberated weights
and where colleges disagree, a "what if" panel, the socio-economic model and the report.

Wiring only: the numbers come from :class:`coopeval.evaluation.Evaluation`, the figures
from :mod:`coopeval.plots`, the report from :mod:`coopeval.report`.
"""

from __future__ import annotations

import base64
import html
import os
from pathlib import Path
from typing import Any

import ipywidgets as W
import matplotlib.pyplot as plt
import pandas as pd
from IPython.display import display

from coopeval.data.disclosure import college_blocks, display_names
from coopeval.evaluation import Evaluation
from coopeval.i18n import fmt, provenance, t

#: Styles of the dashboard: tab titles never cut (they wrap onto a second row on a phone rather
#: than hide), controls that wrap, 44 px tap targets, figures as wide as the screen.
_CSS = """<style>
.ce-app { max-width: 1200px; }
.ce-app .lm-TabBar-tab, .ce-app .p-TabBar-tab { flex: 0 0 auto !important; min-width: 0 !important;
  max-width: none !important; height: 44px !important; min-height: 44px !important; max-height: none !important;
  line-height: 44px !important; font-size: 15px; color: #1f2328 !important; }
.ce-app .lm-TabBar-content, .ce-app .p-TabBar-content { flex-wrap: wrap !important; }
.ce-app .lm-TabBar, .ce-app .p-TabBar { min-height: 44px; height: auto !important; overflow: visible !important; }
.ce-app .ce-controls { flex-flow: row wrap; align-items: center; gap: 4px 12px; }
.ce-app select, .ce-app input, .ce-app button, .ce-app .jupyter-button { min-height: 44px; font-size: 16px; }
.ce-app .widget-dropdown, .ce-app .widget-toggle-buttons { height: auto; min-height: 44px; }
.ce-app .widget-toggle-button { min-width: 56px; }
.ce-app .widget-hslider { height: auto; min-height: 44px; flex-wrap: wrap; max-width: 100%; }
.ce-app .noUi-target { margin: 0 22px; }
.ce-app .noUi-horizontal .noUi-handle { width: 44px !important; height: 44px !important; top: -17px !important;
  right: -22px !important; border-radius: 50% !important; }
.ce-app .ce-fig { max-width: 100%; height: auto; display: block; }
.ce-app .ce-figs { display: flex; flex-wrap: wrap; gap: 8px; }
.ce-app .ce-figs > div { flex: 1 1 360px; min-width: 0; max-width: 560px; }
.ce-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.95em; }
.ce-table th, .ce-table td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.ce-table tr.ce-mine td { font-weight: bold; }
.ce-decisions-wrap { overflow-x: auto; max-width: calc(100vw - 80px); }
.ce-decisions-wrap table { min-width: 960px; }
.ce-evidence blockquote { margin: 0.3em 0 0.6em 1em; border-left: 3px solid #CCBB44; padding: 0.1em 0.6em;
  font-style: italic; }
.ce-evidence .read { background: #F4F6F8; border-left: 4px solid #4477AA; padding: 0.3em 0.6em; }
.ce-evidence .read strong { display: block; }
.ce-evidence img { max-width: 100%; }
.ce-socio-economic img { max-width: 100%; height: auto; }
.ce-socio-economic .read { background: #F4F6F8; border-left: 4px solid #4477AA; padding: 0.3em 0.6em; }
.ce-socio-economic .read strong { display: block; }
.ce-socio-economic table { border-collapse: collapse; margin: 0.5em 0; }
.ce-socio-economic th, .ce-socio-economic td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.ce-socio-economic td.num, .ce-socio-economic th.num { text-align: right; }
.ce-sr-only { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media (max-width: 600px) {
  .ce-app .widget-hslider .widget-label { width: 100% !important; max-width: 100% !important; text-align: left; }
  .ce-app .widget-hslider .slider-container { flex: 1 1 auto; }
  .ce-app .widget-dropdown { width: 100% !important; }
  .ce-app .widget-dropdown > .widget-label { width: auto !important; }
  .ce-app .ce-table { font-size: 14px; }
  .ce-app .ce-table th, .ce-app .ce-table td { padding: 0.25em 0.4em; }
}
</style>"""


def _figure_html(fig: Any, alt: str, css: str) -> str:
    """A matplotlib figure as an ``<img>`` with a text alternative (``alt``), as wide as the screen allows."""
    import io

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return (f"<img class='ce-fig {css}' role='img' alt='{html.escape(alt, quote=True)}' "
            f"src='data:image/png;base64,{data}'>")


def _table(df: pd.DataFrame, css: str) -> str:
    return df.to_html(index=False, classes=f"ce-table {css}", border=0, na_rep="–", escape=True)


def _college_label(college: str, lang: str) -> str:
    from coopeval.i18n import labels

    key = f"college_{college}"
    return t(key, lang) if key in labels() else str(college)


#: Key of the slider of the colleges pooled to protect small groups.
POOLED = "__pooled__"


def _college_groups(ev: Evaluation) -> tuple[list[str], list[str]]:
    """Colleges with a voice slider of their own, and those pooled (see :mod:`coopeval.data.disclosure`)."""
    src = ev.spec.weights
    if src.kind != "deliberation" or not len(ev.colleges):
        return [], []
    j = ev.judgements  # the session and round the evaluation's weights come from
    j = j[(j["session"].astype(str) == src.session) & (j["round"].astype(int) == src.round)]
    return college_blocks(j.groupby("college")["participant"].nunique().to_dict(), ev.min_group)


class RestitutionApp:
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

    def _build_weight_controls(self) -> None:
        """Sliders starting at the evaluation's deliberated weights and college voices."""
        ev = self.ev
        deliberated = ev.dimension_weights()
        self.dim_sliders = {
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

    def _on_reset(self, _: Any) -> None:
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
            *self.dim_sliders.values(),
            *([W.HTML(f"<h4>{html.escape(t('college_voice', lang))} (%)</h4>"), *self.college_sliders.values()]
              if self.college_sliders else []),
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
        ev, lang, unit, wave = self.ev, self.lang, self.unit.value, self.wave.value
        overall = ev.overall(wave=wave).set_index("unit")
        row = overall.loc[unit]
        score_iv, rank_iv = self._intervals(unit, wave)
        rank = (f" — {html.escape(t('rank_among', lang, n=int(row['n_units'])))} : "
                f"<span class='ce-overall-rank'>{int(row['rank'])}</span>"
                f"{rank_iv}") if int(row["n_units"]) > 1 else ""  # no ranking among one cooperation
        self.headline.value = (
            f"<p class='ce-overall'><b>{html.escape(t('overall_score', lang))} :</b> "
            f"<span class='ce-overall-score'>{fmt(row['score'], lang)}</span> / 100{score_iv}{rank}</p>"
        )
        self._draw_profile(unit, wave)
        prof = ev.profile(unit, wave, lang)
        rows = "".join(f"<tr data-node='{html.escape(r.node)}'><td>{html.escape(r.label)}</td>"
                       f"<td class='num'>{fmt(r.score, lang)}</td></tr>" for r in prof.itertuples())
        self.profile_table.value = (f"<table class='ce-profile-table'><thead><tr><th>{html.escape(t('dimension', lang))}"
                                    f"</th><th>{html.escape(t('score', lang))}</th></tr></thead><tbody>{rows}"
                                    "</tbody></table>")
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
        self._draw_evidence(unit, wave)
        self._draw_weights()
        self._draw_resources(unit, wave)
        self.refresh_whatif()

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

    def _draw_profile(self, unit: str, wave: Any) -> None:
        from coopeval import plots

        ev, lang = self.ev, self.lang
        names = ev.units.set_index("unit")["name"].to_dict()
        shown_waves = ev.waves[: ev.waves.index(wave) + 1]
        fig1 = plt.figure(figsize=(5.2, 4.6))
        ax1 = fig1.add_subplot(1, 1, 1, polar=True)
        plots.radar(ev.scores(), unit, overlay="wave", fw=ev.fw, lang=lang, ax=ax1, waves=shown_waves, names=names)
        fig1.tight_layout()
        fig2, ax2 = plt.subplots(figsize=(5.6, 4.6))
        plots.score_bars(self._summary(), unit, wave, fw=ev.fw, lang=lang, ax=ax2, names=names)
        fig2.tight_layout()
        alt = self._profile_alt(unit, wave)
        self.profile_out.value = (f"<div class='ce-figs'><div>{_figure_html(fig1, alt, 'ce-fig-radar')}</div>"
                                  f"<div>{_figure_html(fig2, alt, 'ce-fig-bars')}</div></div>")

    def _profile_alt(self, unit: str, wave: Any) -> str:
        """The profile figures in one sentence: each dimension's score (the text alternative)."""
        ev, lang = self.ev, self.lang
        sc = ev.scores()
        dims = sc[(sc["unit"] == unit) & (sc["wave"].astype(str) == str(wave)) & (sc["level"] == "dimension")]
        name = ev.units.set_index("unit")["name"].get(unit, unit)
        parts = "; ".join(f"{ev.fw.label(r.node, lang)} {fmt(r.score, lang)}" for r in dims.itertuples())
        head = "Profile of" if lang == "en" else "Profil de"
        return f"{head} {name}, {t('wave_n', lang, wave=wave)} — {t('score', lang)} (0–100): {parts}."

    def _intervals(self, unit: str, wave: Any) -> tuple[str, str]:
        """The headline's interval texts (what was varied, degenerate intervals explained)."""
        from coopeval.i18n import uncertainty as words

        try:
            mc = self.ev.uncertainty()  # the specification's draws, as the report
        except Exception:  # noqa: BLE001 - intervals are optional in the display
            return "", ""
        s = mc.summary
        s = s[(s["unit"] == unit) & (s["wave"] == wave) & (s["node"] == "overall")]
        if s.empty:
            return "", ""
        r, lang = s.iloc[0], self.lang
        score = words.score_text(r["score_low"], r["score_high"], mc.settings, lang)
        rank = words.rank_text(r["rank_low"], r["rank_high"], mc.settings, lang)
        return (f" <span class='ce-overall-interval'>({html.escape(score)})</span>",
                f" <span class='ce-rank-interval'>({html.escape(rank)})</span>")

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

    def _summary(self) -> pd.DataFrame:
        try:
            return self.ev.uncertainty().summary
        except Exception:  # noqa: BLE001 - intervals are optional in the display
            return self.ev.scores()

    def _draw_weights(self) -> None:
        from coopeval import plots

        ev, lang = self.ev, self.lang
        self.weights_out.clear_output(wait=True)
        by_college = ev.weights_by_college()
        contested = ev.contested(lang)
        with self.weights_out:
            if by_college.empty:
                display(W.HTML(f"<p>{html.escape(t('suppressed_small_group', lang, n=ev.min_group))}</p>"))
            else:
                fig, ax = plt.subplots(figsize=(6.4, 4.8))
                flagged = contested["node"].tolist() if "node" in contested else None
                plots.weights_by_college(ev.weightset(), fw=ev.fw, agreement=flagged,
                                         min_group=ev.min_group, lang=lang, ax=ax)
                fig.tight_layout()
                alt = t("dimension_weights", lang) + (" — see the table below." if lang == "en"
                                                      else " — voir le tableau ci-dessous.")
                display(W.HTML(_figure_html(fig, alt, "ce-fig-weights")))
                wide = by_college.pivot_table(index="node", columns="college", values="weight")
                wide = wide.reindex([n for n in ev.fw.dimension_ids if n in wide.index])
                shown = pd.DataFrame({t("dimension", lang): [ev.fw.label(n, lang) for n in wide.index]})
                for college in wide.columns:
                    shown[_college_label(college, lang)] = [fmt(100 * v, lang) for v in wide[college]]
                display(W.HTML(_table(shown, "ce-weights-table")))
        if contested.empty:
            self.contested_html.value = ""
        else:
            names = contested["label"] if "label" in contested else contested["node"]
            shown = pd.DataFrame({t("criterion", lang): names.to_numpy(),
                                  t("why", lang): contested.get("reason", pd.Series("", index=contested.index)).to_numpy()})
            self.contested_html.value = (f"<h4>{html.escape(t('contested', lang))}</h4>"
                                         + _table(shown, "ce-contested-table"))

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
                fig, ax = plt.subplots(figsize=(6.4, 3.8))
                plots.resource_bars(euros, by="wave", lang=lang, ax=ax,
                                    names={w: t("wave_n", lang, wave=w) for w in ev.waves})
                fig.tight_layout()
                alt = t("resources", lang) + (" — see the table below." if lang == "en"
                                              else " — voir le tableau ci-dessous.")
                display(W.HTML(_figure_html(fig, alt, "ce-fig-resources")))
                shares = pd.DataFrame({t("category", lang): profile.shares["label"],
                                       t("share", lang): [fmt(100 * v, lang) + " %" for v in profile.shares["share"]]})
                funder, dependence = profile.largest_non_market_funder
                funder_text = (f" — {html.escape(t('largest_funder', lang))} : {html.escape(funder)} "
                               f"({fmt(100 * dependence, lang)} %)") if funder else ""
                display(W.HTML(
                    f"<p class='ce-resources-class'><b>{html.escape(profile.label)}</b>{funder_text}, "
                    f"Herfindahl {fmt(profile.herfindahl, lang, digits=2)}</p>"
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
