"""The participant page: weigh the framework's dimensions from a phone, with a personal link.

Wiring only: access, answers, weights, submission and feedback come from
:mod:`coopeval.store.participant_access` and :mod:`coopeval.weighting.elicitation` (which use :class:`coopeval.store.Project` and
:mod:`coopeval.weighting`).
"""

from __future__ import annotations

import html
import os
import threading
from typing import Any

import ipywidgets as W
import numpy as np
import pandas as pd
from IPython.display import display

from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.i18n.deliberation import msg, saaty_choices
from coopeval.i18n.participation_text import _t
from coopeval.store.participant_access import (
    Access,
    check_access,
    lang_from_query,
    own_feedback,
    previous_answers,
    submit_answers,
    token_from_query,
)
from coopeval.weighting.elicitation import (
    DIRECT_SCALE,
    POINTS_TOTAL,
    SWING_TOP,
    is_complete,
    pairs,
    pairwise_consistency,
    preview_weights,
    swing_levels,
    unit_is_scale,
)

#: Mobile-first style of the page (one column, large touch targets, visible focus).
CSS = """
<style>
.ce-part { max-width: 640px; margin: 0 auto; font-size: 16px; }
.ce-part .ce-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 6px 10px; margin: 6px 0;
  width: 100%; box-sizing: border-box; }
.ce-part .ce-card p { margin: 2px 0; line-height: 1.3; }
.ce-part .ce-dim-desc { color: #444; font-size: 14px; }
.ce-part .ce-row { width: 100%; align-items: center; }
.ce-part .widget-slider { flex: 1 1 auto; min-width: 120px; }
.ce-part .ce-sr .widget-label { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.ce-part .ce-total { font-size: 18px; font-weight: 600; position: sticky; bottom: 0; z-index: 5;
  background: #fff; border-top: 1px solid #d0d7de; padding: 4px 0; }
.ce-part .ce-weight-value { white-space: nowrap; text-align: right; }
.ce-part h2 { font-size: 22px; margin: 8px 0; } .ce-part p { line-height: 1.35; }
.ce-part .ce-total .ok { color: #116329; } .ce-part .ce-total .ko { color: #8a4500; }
.ce-part .ce-submit button, .ce-part button.ce-submit { min-height: 48px; font-size: 17px; width: 100%; }
.ce-part .ce-msg { padding: 10px 12px; border-radius: 8px; margin: 8px 0; font-size: 16px; }
.ce-part .ce-msg-ok { background: #dafbe1; border: 1px solid #1a7f37; }
.ce-part .ce-msg-ko { background: #fff1e5; border: 1px solid #8a4500; }
.ce-part .ce-bars { width: 100%; border-collapse: collapse; font-size: 15px; }
.ce-part .ce-bars td { padding: 3px 4px; vertical-align: middle; }
.ce-part .ce-bar { background: #e8eef4; height: 14px; position: relative; border-radius: 3px; min-width: 90px; }
.ce-part .ce-bar > span { position: absolute; top: 0; bottom: 0; left: 0; background: #2f6fad; border-radius: 3px; }
.ce-part .ce-band { position: absolute; top: 0; bottom: 0; background: #9fbfdf; }
.ce-part .ce-median { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #1b3b5a; }
.ce-part .ce-own { position: absolute; top: 1px; width: 12px; height: 12px; margin-left: -6px;
  border-radius: 50%; background: #d1242f; }
.ce-part textarea { font-size: 16px; font-family: inherit; }
.ce-part .ce-fb { margin: 4px 0 2px; } .ce-part .ce-fb .ce-bar { margin: 6px 0 2px; }
.ce-part select, .ce-part input, .ce-part textarea { font-size: 16px !important; min-height: 44px; }
.ce-part .widget-dropdown, .ce-part .widget-text, .ce-part .widget-inline-hbox { height: auto; min-height: 44px; }
.ce-part .widget-hslider { min-height: 44px; align-items: center; }
.ce-part .noUi-target { margin: 0 22px; }
.ce-part .noUi-horizontal .noUi-handle { width: 44px !important; height: 44px !important; top: -17px !important;
  right: -22px !important; border-radius: 50% !important; }
.ce-part .ce-next-round, .ce-part .ce-continue { font-weight: 600; }
.ce-part .jupyter-button.mod-primary { background-color: #0b5cad; color: #fff; }
.ce-part .jupyter-button.mod-primary:disabled { background-color: #57606a; color: #fff; opacity: 1; }
.ce-part .ce-swing-levels { margin: 2px 0 4px; padding-left: 18px; font-size: 14px; color: #333; }
.ce-part .ce-swing-levels li { margin: 1px 0; } .ce-part details summary { font-size: 14px; color: #2f6fad; }
</style>
"""


def _pct(x: float, lang: str) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, lang, digits=0)}\u00a0%"






class ParticipationApp:
    """One participant's page for the open round of their session (French by default)."""

    def __init__(self, project, token: str | None, lang: str = "fr", *, parent: str = "overall",  # noqa: ANN001
                 watch: float | None = 10.0):
        self.project = project
        self.token = token
        self.lang = lang
        self.parent = parent
        self.watch_every = watch
        self._stop = threading.Event()
        self._watching = False
        self.root = W.VBox(layout=W.Layout(width="100%"))
        self.root.add_class("ce-part")
        self._start()

    def _start(self, notice: str = "") -> None:
        """Read the token's access and build the page (again, when the next round opens)."""
        project, lang = self.project, self.lang
        self._done = False
        try:
            self.access: Access = check_access(project, self.token) if project is not None else Access("no_project")
        except CoopevalError:
            self.access = Access("error")
        self.inputs: dict[str, W.Widget] = {}
        self.answered: set[str] = set()
        self.status = W.HTML()
        self.status.add_class("ce-status")
        self.notice = notice
        if not self.access.ok:
            self._refused(msg("error", lang) if self.access.status == "error" else self.access.message(lang))
            if self.access.status in ("no_round", "submitted"):
                self._watch_next_round()
            return
        self.fw = project.framework(self.access.framework_hash)
        self.method = self.access.method
        self.kids = self.fw.children(self.parent)
        self.feedback = own_feedback(project, self.access, self.fw, parent=self.parent, lang=lang)
        try:
            self.previous = previous_answers(project, self.access)
        except CoopevalError:
            self.previous = {}
        self.answered = {n for n in self.previous if n in self.kids}
        self._build()

    def _watch_next_round(self) -> None:
        """While the page waits (no open round, or answer sent), check every ``watch`` seconds whether
        the next round has opened; then rebuild the page for it (nothing is sent meanwhile)."""
        if not self.watch_every or self._watching:
            return
        self._watching = True
        shown = self.access.round

        def run() -> None:
            while not self._stop.wait(self.watch_every):
                try:
                    now = check_access(self.project, self.token)
                except CoopevalError:
                    continue
                if now.ok and now.round != shown:
                    self._watching = False
                    self._start(notice=msg("next_round", self.lang, round=now.round))
                    return
        threading.Thread(target=run, daemon=True).start()

    def stop(self) -> None:
        """Stop waiting for the next round."""
        self._stop.set()

    def _(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def _label(self, node: str) -> str:
        info = self.fw.node(node)
        return str(info.get("label_en" if self.lang == "en" else "label_fr") or info.get("label_fr") or node)

    def _description(self, node: str) -> str:
        info = self.fw.node(node)
        return str(info.get("description_en" if self.lang == "en" else "description_fr")
                   or info.get("description_fr") or "")

    # ------------------------------------------------------------------ layout
    def _refused(self, text: str) -> None:
        box = W.HTML(f"<h2>{self._('weighting')}</h2><div class='ce-msg ce-msg-ko ce-refused' role='alert'>"
                     f"{html.escape(text)}</div>")
        self.root.children = [W.HTML(CSS), box]

    def _header(self) -> W.HTML:
        a = self.access
        how = self._(f"how_{self.method}", total=POINTS_TOTAL, lo=DIRECT_SCALE[0], hi=DIRECT_SCALE[1], top=SWING_TOP)
        return W.HTML(
            f"<h2 class='ce-title'>{html.escape(self._('title', round=a.round))}</h2>"
            f"<p>{html.escape(str(getattr(self.fw, 'title_en' if self.lang == 'en' else 'title_fr', '') or ''))}</p>"
            f"<p class='ce-howto'>{html.escape(how)}</p>")

    def _input(self, node: str) -> tuple[W.Widget, list[W.Widget]]:
        label = self._label(node)
        k = len(self.kids)
        if self.method == "points":
            start = int(self._prefill(node, 0))
            slider = W.IntSlider(value=start, min=0, max=POINTS_TOTAL, step=1, readout=False,
                                 description=self._("slider", label=label), continuous_update=True,
                                 layout=W.Layout(width="auto", flex="1 1 auto"))
            slider.add_class("ce-sr")
            text = W.BoundedIntText(value=start, min=0, max=POINTS_TOTAL, step=1, description=self._("points", label=label),
                                    layout=W.Layout(width="90px"))
            text.add_class("ce-sr")
            text.add_class(f"ce-points-{node}")
            W.jslink((slider, "value"), (text, "value"))
            return text, [W.HBox([slider, text], layout=W.Layout(width="100%")), W.HTML("")]
        if self.method == "swing":
            start = int(self._prefill(node, 0))
            slider = W.IntSlider(value=start, min=0, max=SWING_TOP, step=1, readout=False,
                                 description=self._("slider", label=label), layout=W.Layout(width="auto", flex="1 1 auto"))
            slider.add_class("ce-sr")
            text = W.BoundedIntText(value=start, min=0, max=SWING_TOP, step=1,
                                    description=self._("swing_points", label=label, top=SWING_TOP),
                                    layout=W.Layout(width="90px"))
            text.add_class("ce-sr")
            text.add_class(f"ce-swing-{node}")
            W.jslink((slider, "value"), (text, "value"))
            return text, [W.HBox([slider, text], layout=W.Layout(width="100%"))]
        if self.method == "direct":
            lo, hi = DIRECT_SCALE
            start = int(self._prefill(node, lo))  # unanswered until moved: never equal weights by default
            slider = W.IntSlider(value=start, min=lo, max=hi, step=1, readout=False,
                                 description=self._("slider", label=label), layout=W.Layout(width="auto", flex="1 1 auto"))
            slider.add_class("ce-sr")
            text = W.BoundedIntText(value=start, min=lo, max=hi, step=1, description=self._("rating", label=label, hi=hi),
                                    layout=W.Layout(width="90px"))
            text.add_class("ce-sr")
            text.add_class(f"ce-direct-{node}")
            W.jslink((slider, "value"), (text, "value"))
            return text, [W.HBox([slider, text], layout=W.Layout(width="100%"))]
        if self.method == "ranking":
            opts = [(self._("choose"), None)] + [(f"{i}" + (self._("most") if i == 1 else ""), i)
                                                 for i in range(1, k + 1)]
            desc = self._("rank", label=label)
        else:  # simos
            opts = [(self._("choose"), None)] + [(f"{i}" + (self._("least") if i == 1 else ""), i)
                                                 for i in range(1, k + 2)]
            desc = self._("position", label=label)
        start = self._prefill(node, None)
        dd = W.Dropdown(options=opts, value=int(start) if start is not None else None, description=desc,
                        layout=W.Layout(width="100%"))
        dd.add_class("ce-sr")
        dd.add_class(f"ce-{'rank' if self.method == 'ranking' else 'simos'}-{node}")
        return dd, [dd]

    def _prefill(self, node: str, default: Any) -> Any:
        """The participant's answer of the previous round with the same method, else ``default``."""
        v = self.previous.get(node)
        return default if v is None or not np.isfinite(v) else v

    def _pair_card(self, key: str) -> W.VBox:
        a, b = key.split("|")
        la, lb = self._label(a), self._label(b)
        scale = saaty_choices(self.lang)
        opts = [(self._("choose"), None)] + [(text.format(a=la, b=lb), v) for v, text in scale]
        before = self.previous.get(key)
        start = next((v for v, _ in scale if before is not None and abs(v - before) < 1e-6), None)
        dd = W.Dropdown(options=opts, value=start, description=self._("pair", a=la, b=lb),
                        layout=W.Layout(width="100%"))
        dd.add_class("ce-sr")
        dd.add_class(f"ce-pair-{a}-{b}")
        self.inputs[key] = dd
        dd.observe(lambda _: self.refresh(), names="value")
        head = W.HTML(f"<p>{self._('pair_question', a=html.escape(la), b=html.escape(lb))}</p>")
        card = W.VBox([head, dd], layout=W.Layout(width="100%"))
        card.add_class("ce-card")
        return card

    def _build(self) -> None:
        if self.method == "ahp":
            items = "".join(f"<li><b>{html.escape(self._label(n))}</b> : {html.escape(self._description(n))}"
                            f"{self._feedback_row(n)}</li>" for n in self.kids)
            intro = W.HTML(f"<ul class='ce-dim-desc'>{items}</ul>")
            intro.add_class("ce-card")
            self._assemble([intro, *[self._pair_card(k) for k in pairs(self.kids)]])
            return
        cards = []
        levels = swing_levels(self.fw, parent=self.parent, lang=self.lang) if self.method == "swing" else None
        for node in self.kids:
            widget, rows = self._input(node)
            self.inputs[node] = widget
            widget.observe(lambda _, n=node: self._touched(n), names="value")
            head = W.HTML(f"<p><b>{html.escape(self._label(node))}</b></p>"
                          + (f"<p class='ce-dim-desc'>{html.escape(self._description(node))}</p>" if levels is None
                             else self._swing_html(node, levels))
                          + self._feedback_row(node))
            card = W.VBox([head, *rows], layout=W.Layout(width="100%"))
            card.add_class("ce-card")
            cards.append(card)
        self._assemble(cards)

    def _swing_html(self, node: str, levels: pd.DataFrame, shown: int = 3) -> str:
        """The swing of one dimension in plain words: each indicator from its worst to its best level."""
        lines = []
        for r in levels[levels["node"] == node].itertuples():
            text = self._("swing_line", label=r.label, worst=r.worst_text, best=r.best_text)
            if unit_is_scale(r.unit):
                text += f" ({r.unit})"
            lines.append(f"<li>{html.escape(text)}</li>")
        more = ""
        if len(lines) > shown:
            more = (f"<details><summary>{html.escape(self._('swing_more', n=len(lines) - shown))}</summary>"
                    f"<ul class='ce-swing-levels'>{''.join(lines[shown:])}</ul></details>")
        return (f"<div class='ce-swing-of-{html.escape(node)}'><p class='ce-dim-desc'>{self._('swing_intro')}</p>"
                f"<ul class='ce-swing-levels'>{''.join(lines[:shown])}</ul>{more}</div>")

    def _assemble(self, cards: list[W.Widget]) -> None:
        self.total = W.HTML()
        self.total.add_class("ce-total")
        self.preview = W.HTML()
        self.preview.add_class("ce-preview")
        self.reason = W.Textarea(placeholder=self._("reason_placeholder"), description=self._("reason"), layout=W.Layout(width="100%", height="70px"))
        self.reason.add_class("ce-sr")
        self.reason.add_class("ce-reason")
        self.submit = W.Button(description=self._("send"), button_style="primary", tooltip=self._("send_tip"),
                               layout=W.Layout(width="100%", height="48px"))
        self.submit.add_class("ce-submit")
        self.submit.on_click(self._on_submit)
        parts: list[W.Widget] = [W.HTML(CSS)]
        if self.notice:
            parts.append(W.HTML(f"<div class='ce-msg ce-msg-ok ce-next-round' role='status'>"
                                f"{html.escape(self.notice)}</div>"))
        parts.append(self._header())
        if not self.feedback.empty:
            parts.append(W.HTML(self._feedback_legend()))
        answered_before = not self.feedback.empty and bool(self.feedback["own_weight"].notna().any())
        if self.previous or answered_before:
            key = "prefilled" if self.previous else "fresh"
            parts.append(W.HTML(f"<p class='ce-msg ce-msg-ok ce-continue ce-{key}'>{html.escape(self._(key))}</p>"))
        # the confirmation appears right above the button, where the person is looking when they tap it
        parts += [*cards, self.total, W.HTML(f"<h3>{self._('your_weights')}</h3>"), self.preview, self.reason,
                  self.status, self.submit]
        self.root.children = parts
        self.refresh()

    def _touched(self, node: str) -> None:
        self.answered.add(node)
        self.refresh()

    # ------------------------------------------------------------------ behaviour
    def values(self) -> dict[str, float | None]:
        """Current answer per node (None when not chosen)."""
        return {n: w.value for n, w in self.inputs.items()}

    def refresh(self) -> None:
        vals = self.values()
        ok = is_complete(self.method, vals)
        left = [n for n in self.kids if n not in self.answered] if self.method == "direct" else []
        ok = ok and not left
        if self.method == "points":
            tot = sum(v or 0 for v in vals.values())
            rest = POINTS_TOTAL - tot
            note = (self._("total_ok") if rest == 0 else
                    self._("total_left", n=rest) if rest > 0 else self._("total_over", n=-rest))
            cls = "ok" if rest == 0 else "ko"
            self.total.value = (f"<div role='status' aria-live='polite'>Total : <span class='{cls} ce-total-value'>"
                                f"{tot}</span> / {POINTS_TOTAL} — {note}</div>")
        elif self.method == "direct":
            text = self._("to_rate", n=len(left)) if left else self._("rated")
            self.total.value = f"<div role='status' aria-live='polite'>{html.escape(text)}</div>"
        elif self.method == "swing":
            top = max((v or 0 for v in vals.values()), default=0)
            note = (self._("swing_ok", top=SWING_TOP) if ok else self._("swing_top", top=SWING_TOP, max=top))
            cls = "ok" if ok else "ko"
            self.total.value = f"<div role='status' aria-live='polite'><span class='{cls}'>{html.escape(note)}</span></div>"
        else:
            missing = sum(v is None for v in vals.values())
            done, left = ("pairs_done", "pairs_left") if self.method == "ahp" else ("placed", "to_place")
            self.total.value = ("<div role='status' aria-live='polite'>"
                                + (self._(done) if not missing else self._(left, n=missing)) + "</div>")
        weights = None
        if ok:
            try:
                weights = preview_weights(self.fw, self.method, vals, parent=self.parent, lang=self.lang)
            except CoopevalError:
                ok = False
        self.preview.value = self._preview_html(weights) + (self._consistency_html(vals) if ok and
                                                             self.method == "ahp" else "")
        if not getattr(self, "_done", False):
            self.submit.disabled = not ok

    def _preview_html(self, weights: pd.DataFrame | None) -> str:
        if weights is None:
            return f"<p class='ce-preview-empty'>{self._('preview_empty')}</p>"
        rows = "".join(
            f"<tr class='ce-weight-{html.escape(r.node)}'><td>{html.escape(r.label)}</td>"
            f"<td class='ce-weight-value'>{_pct(r.weight, self.lang)}</td>"
            f"<td style='width:40%'><div class='ce-bar'><span style='width:{100 * r.weight:.1f}%'></span></div></td></tr>"
            for r in weights.itertuples())
        return f"<table class='ce-bars' aria-label='{self._('your_weights')}'>{rows}</table>"

    def _consistency_html(self, vals: dict) -> str:
        c = pairwise_consistency(self.kids, vals)
        ratio = fmt(c["ratio"], self.lang, digits=2)
        if c["ok"]:
            return f"<p class='ce-consistency ce-dim-desc'>{self._('consistent', ratio=ratio)}</p>"
        a, b = c["worst"]
        la, lb = self._label(a), self._label(b)
        scale = saaty_choices(self.lang)
        hint = next((t.format(a=la, b=lb) for v, t in scale if c["suggested"] is not None
                     and abs(v - c["suggested"]) < 1e-6), "")
        text = self._("inconsistent", ratio=ratio, a=la, b=lb, hint=hint)
        return f"<p class='ce-consistency ce-msg ce-msg-ko'>{html.escape(text)}</p>"

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

    def _on_submit(self, _: Any) -> None:
        self.submit.disabled = True
        stored, text = submit_answers(self.project, self.token, self.method, self.values(),
                                      reason=self.reason.value, lang=self.lang)
        cls = "ce-msg-ok ce-stored" if stored else "ce-msg-ko ce-refused"
        self.status.value = f"<div class='ce-msg {cls}' role='alert'>{html.escape(text)}</div>"
        if not stored and text == msg("error", self.lang):  # transient: let the participant try again
            self.submit.disabled = False
            return
        self._done = True
        for w in [*self.inputs.values(), self.reason]:
            w.disabled = True
        if stored:
            self._watch_next_round()

    def _ipython_display_(self) -> None:
        display(self.root)


def participation_app(project=None, token: str | None = None, lang: str | None = None  # noqa: ANN001
                      ) -> ParticipationApp:
    """The participant page for ``token`` (default: ``?token=`` of the Voilà URL).

    ``lang`` defaults to ``?lang=`` of the URL (``en``), else French.

    ``project`` defaults to the project named by the ``COOPEVAL_PROJECT`` environment
    variable, opened with the participant role.
    """
    from coopeval.store import Project

    query = os.environ.get("QUERY_STRING")
    if token is None:
        token = token_from_query(query)
    if lang is None:
        lang = lang_from_query(query)
    if project is None:
        where = os.environ.get("COOPEVAL_PROJECT")
        project = Project.open(where, role="participant") if where else None
    elif not hasattr(project, "submit"):
        project = Project.open(project, role="participant")
    return ParticipationApp(project, token, lang)
