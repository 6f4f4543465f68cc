"""The gate of the facilitator page (the facilitator secret) and the page's entry point,
:func:`animation_app`."""

from __future__ import annotations

import html
import os
from typing import Any

import ipywidgets as W
from IPython.display import display

from coopeval.errors import CoopevalError
from coopeval.i18n.animation_text import _t
from coopeval.i18n.deliberation import refusal
from coopeval.store.participant_access import lang_from_query
from coopeval.widgets.animation.app import AnimationApp
from coopeval.widgets.animation.style import CSS


class FacilitatorLogin:
    """The gate of the facilitator page: the facilitator secret, checked (hashed, rate-limited) by
    :meth:`Project.facilitator_login`; on success the page becomes :class:`AnimationApp`."""

    def __init__(self, project, *, base_url: str | None = None, lang: str = "fr",  # noqa: ANN001
                 auto_refresh: float | None = 10.0):
        self.project, self.base_url, self.lang, self.auto_refresh = project, base_url, lang, auto_refresh
        self.app: AnimationApp | None = None
        self.secret = W.Password(description=_t("login_field", lang), style={"description_width": "initial"},
                                 layout=W.Layout(width="100%", max_width="420px"))
        self.secret.add_class("ce-secret")
        self.enter = W.Button(description=_t("login", lang), button_style="primary", icon="sign-in")
        self.enter.add_class("ce-login")
        self.status = W.HTML()
        self.status.add_class("ce-login-status")
        self.enter.on_click(self._on_enter)
        self.root = W.VBox([W.HTML(CSS + f"<h2 class='ce-title'>{_t('login_title', lang)}</h2>"
                                   f"<p>{_t('login_intro', lang)}</p>"),
                            W.HBox([self.secret, self.enter], layout=W.Layout(flex_flow="row wrap")), self.status])
        self.root.add_class("ce-anim")
        self.root.add_class("ce-login-box")

    def _on_enter(self, _: Any) -> None:
        try:
            key = self.project.facilitator_login(self.secret.value)
        except CoopevalError as exc:
            self.secret.value = ""
            self.status.value = f"<div class='ce-msg ce-msg-ko' role='alert'>{html.escape(refusal(exc, self.lang))}</div>"
            return
        self.secret.value = ""
        self.app = AnimationApp(self.project, key=key, base_url=self.base_url, lang=self.lang,
                                auto_refresh=self.auto_refresh)
        self.root.children = [self.app.root]

    def _ipython_display_(self) -> None:
        display(self.root)


def animation_app(project=None, *, base_url: str | None = None,  # noqa: ANN001
                  lang: str | None = None, auto_refresh: float | None = 10.0) -> FacilitatorLogin | W.HTML:
    """The facilitator page on ``project`` (default: ``COOPEVAL_PROJECT``, facilitator role),
    behind the facilitator secret (:class:`FacilitatorLogin`).

    ``lang`` defaults to ``?lang=`` of the Voilà URL (``en``), else French. Without a
    project, a message saying how to name one.
    """
    from coopeval.store import Project

    if lang is None:
        lang = lang_from_query(os.environ.get("QUERY_STRING"))
    if project is None:
        where = os.environ.get("COOPEVAL_PROJECT")
        if not where:
            return W.HTML(f"<div class='ce-msg ce-msg-ko' role='alert'>{_t('no_project', lang)}</div>")
        project = Project.open(where, role="facilitator")
    elif not hasattr(project, "open_round"):
        project = Project.open(project, role="facilitator")
    return FacilitatorLogin(project, base_url=base_url, lang=lang, auto_refresh=auto_refresh)
