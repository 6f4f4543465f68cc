"""The participant page: the token's access, the page built for the open round (or why there is
none), waiting for the next round, and sending the answer (its parts: see
:mod:`coopeval.widgets.participation`)."""

from __future__ import annotations

import html
import os
import threading
from typing import TYPE_CHECKING, Any, cast

import ipywidgets as W
from IPython.display import display

from coopeval.errors import CoopevalError
from coopeval.i18n.deliberation import msg
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
from coopeval.weighting.elicitation import DIRECT_SCALE, POINTS_TOTAL, SWING_TOP
from coopeval.widgets.participation.feedback import Feedback
from coopeval.widgets.participation.preview import Preview
from coopeval.widgets.participation.questions import Questions
from coopeval.widgets.participation.style import CSS

if TYPE_CHECKING:
    from coopeval.framework import Framework


class ParticipationApp(Questions, Preview, Feedback):
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
        self.fw: Framework = project.framework(self.access.framework_hash)
        self.method = cast(str, self.access.method)  # an ok access names its method
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

    def _on_submit(self, _: Any) -> None:
        self.submit.disabled = True
        answers = cast(dict[str, float], self.values())  # complete: the button is enabled only then (refresh)
        stored, text = submit_answers(self.project, self.token, self.method, answers,
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
