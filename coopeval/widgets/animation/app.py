"""The facilitator page: the session chosen or created, its sections (one mixin each, see
:mod:`coopeval.widgets.animation`) and the background refresh."""

from __future__ import annotations

import html
import threading
from typing import Any

import ipywidgets as W
from IPython.display import display

from coopeval.errors import CoopevalError
from coopeval.i18n.animation_text import _t
from coopeval.i18n.deliberation import refusal
from coopeval.weighting import StoppingRule
from coopeval.widgets.animation.follow import FollowSection
from coopeval.widgets.animation.links import LinksSection
from coopeval.widgets.animation.rounds import RoundsSection
from coopeval.widgets.animation.style import CSS
from coopeval.widgets.framework_round import FrameworkRoundPanel  # issue 22: what we measure


class AnimationApp(LinksSection, RoundsSection, FollowSection):
    """The facilitator's page on a project opened with the facilitator (or researcher) role.

    ``key`` (from :meth:`Project.facilitator_login`) keeps every link issued readable, so
    the page lists them at any time; ``auto_refresh`` (seconds, None: off) re-reads the
    store in the background and updates the page when answers arrive.
    """

    def __init__(self, project, *, key=None, base_url: str | None = None,  # noqa: ANN001
                 rule: StoppingRule | None = None, parent: str = "overall", lang: str = "fr",
                 auto_refresh: float | None = 10.0):
        self.project = project
        self.key = key
        self.lang = lang
        _ = self._
        self.rule = rule or StoppingRule()
        self.parent = parent
        self.min_group = int(project.setting("min_group_size") or 5)
        wide = W.Layout(width="100%", max_width="460px")
        self.session = W.Dropdown(description=_("session"), layout=wide)
        self.session.add_class("ce-session")
        self.new_id = W.Text(description=_("new_session"), placeholder=_("new_placeholder"),
                             style={"description_width": "initial"}, layout=wide)
        self.new_id.add_class("ce-new-session")
        self.new_title = W.Text(description=_("title_field"), placeholder=_("title_placeholder"), layout=wide)
        self.create = W.Button(description=_("create"), icon="plus")
        self.create.add_class("ce-create-session")
        self._build_people(wide, base_url)
        self.methods_box = W.VBox()
        self.open_next = W.Button(description=_("open"), button_style="success", icon="play")
        self.open_next.add_class("ce-open-round")
        self.close = W.Button(description=_("close"), button_style="warning", icon="stop")
        self.close.add_class("ce-close-round")
        self.rounds_html = W.HTML()
        self.rounds_html.add_class("ce-rounds")
        self.refresh_button = W.Button(description=_("refresh"), icon="refresh")
        self.refresh_button.add_class("ce-refresh")
        self.round = W.Dropdown(description=_("shown_round"), style={"description_width": "initial"})
        self.round.add_class("ce-round")
        self.follow = W.HTML()
        self.follow.add_class("ce-follow")
        # each confirmation is shown next to the button that caused it (where the person is looking)
        self.status = {k: W.HTML() for k in ("session", "people", "rounds")}
        for k, w in self.status.items():
            w.add_class("ce-anim-status")
            w.add_class(f"ce-status-{k}")
        self.method_pickers: dict[str, W.Dropdown] = {}
        wrap = W.Layout(flex_flow="row wrap", align_items="center")
        self.root = W.VBox([
            W.HTML(CSS + f"<h2 class='ce-title'>{_('title')}</h2><p>{_('intro')}</p>"),
            W.HTML(f"<h3>{_('h_session')}</h3>"), self.session,
            W.HBox([self.new_id, self.new_title, self.create], layout=wrap), self.status["session"],
            W.HTML(f"<h3>{_('h_people')}</h3>"),
            W.HBox([self.college, self.count, self.issue], layout=wrap), self.base_url,
            W.HTML(f"<p class='ce-note'>{_('server_note')}</p>"), self.status["people"],
            W.HTML(f"<h4>{_('h_all_links')}</h4>"), W.HBox([self.reissue_who, self.reissue], layout=wrap),
            self.links,
            W.HTML(f"<h3>{_('h_rounds')}</h3>"), self.rounds_html,
            W.HTML(f"<p>{_('methods_next')}</p>"), self.methods_box,
            W.HBox([self.open_next, self.close], layout=wrap), self.status["rounds"],
            W.HTML(f"<h3>{_('h_follow')}</h3><p class='ce-note'>{_('auto')}</p>"),
            W.HBox([self.round, self.refresh_button], layout=wrap),
            self.follow,
        ])
        self.root.add_class("ce-anim")
        self._lock = threading.RLock()
        self._seen: tuple = ()
        self.session.observe(lambda _: self.refresh(), names="value")
        self._quiet = False
        self.round.observe(lambda _: None if self._quiet else self.refresh_follow(), names="value")
        self.create.on_click(self._on_create)
        self.issue.on_click(self._on_issue)
        self.reissue.on_click(self._on_reissue)
        self.open_next.on_click(self._on_open)
        self.close.on_click(self._on_close)
        self.refresh_button.on_click(lambda _: self.refresh())
        self._load_sessions()
        self.framework_round = FrameworkRoundPanel(self)
        self.root.children = (*self.root.children, self.framework_round.root)
        self._stop = threading.Event()
        if auto_refresh:
            threading.Thread(target=self._watch, args=(float(auto_refresh),), daemon=True).start()

    # ------------------------------------------------------------------ helpers
    def _(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def _say(self, text: str, ok: bool = True, where: str = "session") -> None:
        for w in self.status.values():  # one message at a time, next to what was done
            w.value = ""
        cls = "ce-msg-ok" if ok else "ce-msg-ko"
        self.status[where].value = (f"<div class='ce-msg {cls}' role='{'status' if ok else 'alert'}'>"
                                    f"{html.escape(text)}</div>")

    def _guard(self, fn, *args: Any, where: str = "session") -> None:  # noqa: ANN001
        try:
            with self._lock:
                fn(*args)
        except CoopevalError as exc:
            self._say(refusal(exc, self.lang), ok=False, where=where)

    def _load_sessions(self, select: str | None = None) -> None:
        s = self.project.sessions()
        opts = [(f"{r.title} ({r.session})" if isinstance(r.title, str) and r.title.strip() else str(r.session),
                 r.session) for r in s.itertuples()]
        self.session.options = opts
        if select is not None:
            self.session.value = select
        elif opts:
            self.session.value = opts[-1][1]
        self.refresh()

    def _watch(self, every: float) -> None:
        """Background refresh: re-read the rounds; redraw only when something changed (so that an
        idle page sends nothing and its kernel can be culled once the page is closed)."""
        while not self._stop.wait(every):
            try:
                sid = self.session.value
                if not sid:
                    continue
                r = self.project.rounds(sid)
                seen = (sid, tuple(zip(r["round"], r["status"], r["n_submissions"], strict=True)))
                if seen != self._seen:
                    with self._lock:
                        self.refresh()
            except Exception:  # noqa: BLE001, S112 - a failed background read is retried next time
                continue

    def stop(self) -> None:
        """Stop the background refresh."""
        self._stop.set()

    # ------------------------------------------------------------------ actions
    def _on_create(self, _: Any) -> None:
        def run() -> None:
            sid = self.new_id.value.strip()
            self.project.create_session(sid, title=self.new_title.value.strip() or None)
            self.new_id.value = ""
            self._load_sessions(select=sid)
            self._say(self._("created", session=sid))
        self._guard(run)

    # ------------------------------------------------------------------ display
    def refresh(self) -> None:
        """Re-read the store: rounds, submissions, methods, figures."""
        sid = self.session.value
        if not sid:
            self.rounds_html.value = f"<p>{self._('no_session')}</p>"
            self.follow.value = ""
            return
        rounds = self.project.rounds(sid)
        self._seen = (sid, tuple(zip(rounds["round"], rounds["status"], rounds["n_submissions"], strict=True)))
        people = self.project.participants(sid)
        self.refresh_links()
        self._show_rounds(rounds, people)
        self._choose_round(rounds)
        self.refresh_follow()

    def _ipython_display_(self) -> None:
        display(self.root)

