"""The facilitator page: sessions, personal links, rounds, and where the group converges.

Wiring only: the store (:class:`coopeval.store.Project`) keeps sessions, tokens, rounds
and judgements; the figures come from :func:`coopeval.weighting.round_summary.agreement_summary`
(:func:`coopeval.weighting.agreement_table`, :func:`~coopeval.weighting.contested_nodes`,
:func:`~coopeval.weighting.delphi_status`).
"""

from __future__ import annotations

import base64
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
from coopeval.i18n.animation_text import TEXT, _t
from coopeval.i18n.deliberation import college_name, refusal
from coopeval.report.links import links_sheet, links_table
from coopeval.store.links import new_participants
from coopeval.store.participant_access import lang_from_query
from coopeval.weighting import StoppingRule
from coopeval.weighting.elicitation import UI_METHODS, node_labels
from coopeval.weighting.round_summary import agreement_summary
from coopeval.widgets.framework_round import FrameworkRoundPanel  # issue 22: what we measure

CSS = """
<style>
.ce-anim { max-width: 1100px; }
.ce-anim .ce-table { border-collapse: collapse; margin: 4px 0 10px; font-size: 14px; }
.ce-anim .ce-table th, .ce-anim .ce-table td { border-bottom: 1px solid #d0d7de; padding: 3px 8px; text-align: left; }
.ce-anim .ce-table td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.ce-anim .widget-button, .ce-anim .jupyter-button { width: auto; min-width: 180px; padding: 0 12px; min-height: 44px; }
.ce-anim select, .ce-anim input { min-height: 44px; font-size: 16px; }
.ce-anim .widget-dropdown, .ce-anim .widget-text, .ce-anim .widget-inline-hbox { min-height: 44px; height: auto; }
.ce-anim .widget-label { color: #1f2328; }
.ce-anim .jupyter-button.mod-success { background-color: #116329; color: #fff; }
.ce-anim .jupyter-button.mod-warning { background-color: #8a4500; color: #fff; }
.ce-anim .jupyter-button.mod-primary { background-color: #0b5cad; color: #fff; }
.ce-anim .ce-note { color: #3d4650; font-size: 14px; }
.ce-anim .ce-contested { color: #8a4500; font-weight: 600; }
.ce-anim .ce-links td { font-family: monospace; font-size: 12px; word-break: break-all; }
.ce-anim a.ce-sheet-download, .ce-anim a.ce-csv-download { color: #0b5cad; text-decoration: underline;
  font-weight: 600; display: inline-block; min-height: 44px; line-height: 44px; padding: 0 4px; }
.ce-anim .ce-msg { padding: 6px 10px; border-radius: 6px; margin: 4px 0; }
.ce-anim .ce-msg-ok { background: #dafbe1; } .ce-anim .ce-msg-ko { background: #fff1e5; }
@media print { .ce-anim .widget-button, .ce-anim .widget-text, .ce-anim .widget-dropdown { display: none; } }
</style>
"""


def _pct(x: float, digits: int = 0, lang: str = "fr") -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, lang, digits=digits)}\u00a0%"


def _html_table(header: list[str], rows: list[list[str]], css: str, nums: set[int] | None = None) -> str:
    nums = nums or set()
    head = "".join(f"<th scope='col'>{html.escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>" + "".join(f"<td class='{'num' if i in nums else ''}'>{c}</td>" for i, c in enumerate(r)) + "</tr>"
        for r in rows)
    return f"<table class='ce-table {css}'><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def node_name(node: str, parent: str, labels: dict[str, str], root: str = "overall") -> str:
    """``Label`` of a dimension, ``Parent › Label`` deeper in the tree."""
    name = labels.get(node, node)
    return name if parent == root else f"{labels.get(parent, parent)} › {name}"


def agreement_rows(table: pd.DataFrame, labels: dict[str, str], *, college: bool = False,
                   lang: str = "fr") -> list[list[str]]:
    """Rows of an agreement table as the page prints them (French number format by default)."""
    rows = []
    for r in table.itertuples():
        cells = [html.escape(college_name(str(r.college), lang))] if college else []
        name = node_name(r.node, r.parent, labels)
        cells += [
            f"<span class='ce-node' data-node='{html.escape(r.node)}'>{html.escape(name)}</span>",
            str(int(r.n)), _pct(r.median, 1, lang), f"{_pct(r.q1, 1, lang)} – {_pct(r.q3, 1, lang)}",
            fmt(r.cv, lang, digits=2), _pct(r.pct_agreement, 0, lang), fmt(r.college_p_value, lang, digits=3),
            f"<span class='ce-contested'>{_t('yes', lang)}</span>" if r.contested else _t("no", lang),
        ]
        rows.append(cells)
    return rows


def college_table(bc: pd.DataFrame, labels: dict[str, str], lang: str = "fr") -> str:
    """One row per node, one column per college: ``accord % · CV`` (contested in orange)."""
    colleges = sorted(bc["college"].unique())
    cells = {(r.college, r.node): (f"<span class='{'ce-contested' if r.contested else ''}'>"
                                   f"{_pct(r.pct_agreement, 0, lang)} · {fmt(r.cv, lang, digits=2)}</span>")
             for r in bc.itertuples()}
    order = bc.drop_duplicates("node")[["node", "parent"]]
    rows = [[html.escape(node_name(r.node, r.parent, labels))] + [cells.get((c, r.node), "–") for c in colleges]
            for r in order.itertuples()]
    return _html_table([_t("a_node", lang), *[college_name(c, lang) for c in colleges]], rows, "ce-agreement-college",
                       set(range(1, len(colleges) + 1)))


AGREEMENT_KEYS = ["a_node", "a_n", "a_median", "a_iqr", "a_cv", "a_agree", "a_p", "a_contested"]


def server_address(env: dict | None = None) -> str:
    """Where the links point by default: ``COOPEVAL_PUBLIC_URL`` (set by ``coopeval serve``), else the
    host and port this page was requested on (Voilà's ``SERVER_NAME`` / ``SERVER_PORT``).

    >>> server_address({"SERVER_NAME": "192.168.1.20", "SERVER_PORT": "8900"})
    'http://192.168.1.20:8900'
    """
    env = os.environ if env is None else env
    if env.get("COOPEVAL_PUBLIC_URL"):
        return str(env["COOPEVAL_PUBLIC_URL"]).rstrip("/")
    host, port = env.get("SERVER_NAME"), env.get("SERVER_PORT")
    return f"http://{host}:{port}" if host and port else "http://127.0.0.1:8866"


class AnimationApp:
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
        colleges = project.colleges()
        self.college = W.Dropdown(description=_("college"), options=[(college_name(c, lang), c) for c in colleges],
                                  value=colleges[0] if colleges else None, layout=wide)
        self.college.add_class("ce-college")
        self.count = W.BoundedIntText(value=10, min=1, max=500, description=_("count"), layout=wide)
        self.count.add_class("ce-count")
        self.base_url = W.Text(value=base_url or server_address(), description=_("server"),
                               layout=W.Layout(width="100%", max_width="560px"), style={"description_width": "140px"})
        self.base_url.add_class("ce-base-url")
        self.issue = W.Button(description=_("issue"), icon="link")
        self.issue.add_class("ce-issue")
        self.links = W.HTML()
        self.links.add_class("ce-links-box")
        self.reissue_who = W.Dropdown(description=_("reissue_who"), options=[], layout=wide,
                                      style={"description_width": "initial"})
        self.reissue_who.add_class("ce-reissue-who")
        self.reissue = W.Button(description=_("reissue"), icon="retweet")
        self.reissue.add_class("ce-reissue")
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

    def _judgements(self) -> pd.DataFrame:
        # answers under pseudonymous labels, read only to compute the group figures shown
        return self.project.agreement_inputs(self.session.value)

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

    def _on_issue(self, _: Any) -> None:
        def run() -> None:
            if not self.session.value:
                self._say(self._("pick_session"), ok=False, where="people")
                return
            existing = self.project.participants(self.session.value)["participant"].tolist()
            roster = new_participants(self.college.value, int(self.count.value), existing,
                                      colleges=self.project.colleges())
            tokens = self.project.add_participants(self.session.value, roster, key=self.key)
            self.refresh()
            self._say(self._("links_made", n=len(tokens), college=college_name(roster["college"].iloc[0], self.lang)),
                      where="people")
        self._guard(run, where="people")

    def _on_reissue(self, _: Any) -> None:
        def run() -> None:
            who = self.reissue_who.value
            if not who:
                self._say(self._("choose_who_first"), ok=False, where="people")
                return
            self.project.reissue_link(self.session.value, who, self.key)
            self.refresh()
            self._say(self._("reissued", who=who), where="people")
        self._guard(run, where="people")

    def refresh_links(self) -> None:
        """List every link issued in the session (with the facilitator's key), with downloads."""
        sid = self.session.value
        if not sid or self.key is None:
            self.links.value = ""
            return
        issued = self.project.issued_links(sid, self.key)
        self.reissue_who.options = [(self._("choose_who"), None)] + [
            (f"{r.participant} ({college_name(r.college, self.lang)})", r.participant) for r in issued.itertuples()]
        if issued.empty:
            self.links.value = f"<p class='ce-empty'>{self._('no_links')}</p>"
            return
        self.show_links(issued)

    def show_links(self, issued: pd.DataFrame) -> None:
        """The table of links with the printable sheet and the CSV to download."""
        readable = issued[issued["token"].notna()]
        links = links_table(readable, self.base_url.value)
        by_who = dict(zip(links["participant"], links["link"], strict=True))
        csv_frame = links.merge(readable[["participant", "expires_at"]], on="participant", how="left")
        csv = base64.b64encode(csv_frame.to_csv(index=False).encode("utf-8")).decode("ascii")
        rows = []
        for r in issued.itertuples():
            link = by_who.get(r.participant)
            cell = (f"<a href='{html.escape(link)}'>{html.escape(link)}</a>" if link
                    else f"<i>{self._('lost')}</i>")
            expires = (self._("expired") if getattr(r, "status", "") == "expired"
                       else self._("never") if not isinstance(r.expires_at, str) else html.escape(r.expires_at[:16]
                                                                                               .replace("T", " ")))
            rows.append([html.escape(r.participant), html.escape(college_name(r.college, self.lang)), cell, expires])
        download = (f"<a class='ce-csv-download' download='liens_participants.csv' "
                    f"href='data:text/csv;base64,{csv}'>{self._('download')}</a>")
        session = str(self.session.value or "")
        sheet = ""
        if len(links):
            page = links_sheet(links, session=session, lang=self.lang)
            data = base64.b64encode(page.encode("utf-8")).decode("ascii")
            name = f"liens_qr_{session or 'session'}.html"
            sheet = (f"<a class='ce-sheet-download' download='{html.escape(name)}' "
                     f"href='data:text/html;base64,{data}'>{self._('sheet')}</a>")
        self.links.value = (f"<p>{self._('links_kept', download=download, sheet=sheet)}</p>"
                            + _html_table([self._("h_participant"), self._("college"), self._("h_link"),
                                           self._("h_expires")], rows, "ce-links"))

    def _on_open(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            nxt = int(rounds["round"].max()) + 1 if len(rounds) else 1
            methods = {c: dd.value for c, dd in self.method_pickers.items()} or "points"
            self.project.open_round(self.session.value, nxt, methods=methods)
            self.refresh()
            self._say(self._("opened", round=nxt), where="rounds")
        self._guard(run, where="rounds")

    def _on_close(self, _: Any) -> None:
        def run() -> None:
            rounds = self.project.rounds(self.session.value)
            opened = rounds[rounds["status"] == "open"]
            if opened.empty:
                self._say(self._("none_open"), ok=False, where="rounds")
                return
            rnd = int(opened["round"].iloc[0])
            self.project.close_round(self.session.value, rnd)
            self.refresh()
            self._say(self._("closed", round=rnd), where="rounds")
        self._guard(run, where="rounds")

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
        colleges = sorted(people["college"].unique()) if len(people) else []
        if set(colleges) != set(self.method_pickers):
            last = rounds["methods"].iloc[-1] if len(rounds) else {}  # carried over from the last round
            old = {c: last.get(c, last.get("*", "points")) for c in colleges}
            old.update({c: d.value for c, d in self.method_pickers.items()})
            self.method_pickers = {}
            for c in colleges:
                start = old.get(c, "points") if old.get(c, "points") in UI_METHODS else "points"
                dd = W.Dropdown(options=[(self._(f"m_{m}"), m) for m in UI_METHODS], value=start,
                                description=college_name(c, self.lang), style={"description_width": "140px"},
                                layout=W.Layout(width="100%", max_width="420px"))
                dd.add_class(f"ce-method-{c}")
                self.method_pickers[c] = dd
            self.methods_box.children = list(self.method_pickers.values())
        method = lambda m: self._(f"m_{m}") if f"m_{m}" in TEXT else m  # noqa: E731
        rows = [[str(r.round), self._(f"s_{r.status}") if f"s_{r.status}" in TEXT else r.status,
                 str(int(r.n_submissions)),
                 html.escape(", ".join(f"{college_name(c, self.lang) if c != '*' else '*'} : {method(m)}"
                                       for c, m in sorted(r.methods.items()))
                             or self._("free"))]
                for r in rounds.itertuples()]
        self.rounds_html.value = (f"<p>{self._('registered', n=len(people))}</p>"
                                  + (f"<p>{self._('no_round_yet')}</p>" if rounds.empty else "")
                                  + _html_table([self._(k) for k in ("h_round", "h_state", "h_received",
                                                                     "h_methods")], rows,
                                                "ce-rounds-table", {2}))
        options = [(self._("round_n", round=int(r)), int(r)) for r in rounds["round"]]
        current = self.round.value
        known = [v for _, v in self.round.options]
        value = None
        if options:
            opened = rounds.loc[rounds["status"] == "open", "round"]
            follow = int(opened.iloc[0]) if len(opened) else options[-1][1]
            # the round shown follows the open round when rounds change; a round chosen by hand stays
            keep = current in dict(options).values() and [v for _, v in options] == known
            value = current if keep else follow
        if options != list(self.round.options) or self.round.value != value:
            with self.round.hold_sync():  # options and value reach the page in one message
                self._quiet = True
                try:
                    self.round.options = options
                    self.round.value = value
                finally:
                    self._quiet = False
        self.refresh_follow()

    def refresh_follow(self) -> None:
        sid, rnd = self.session.value, self.round.value
        if not sid or rnd is None:
            self.follow.value = f"<p>{self._('not_yet')}</p>"
            return
        fw = self.project.framework(self.project.sessions().set_index("session").at[sid, "framework_hash"])
        labels = node_labels(fw, self.lang)
        _ = self._
        people = self.project.participants(sid)
        summary = agreement_summary(self._judgements(), fw, round=rnd, min_group=self.min_group, rule=self.rule,
                                    lang=self.lang)
        counts = summary["counts"].set_index("college")["n_participants"] if len(summary["counts"]) else {}
        reg = people.groupby("college")["participant"].nunique()
        rows = [[html.escape(college_name(c, self.lang)), str(int(counts.get(c, 0))), str(int(n))]
                for c, n in reg.items()]
        parts = [f"<h4>{_('received_in', round=rnd)}</h4>",
                 _html_table([_("college"), _("h_answered"), _("h_registered")], rows, "ce-counts", {1, 2})]
        if summary["overall"].empty:
            parts.append(f"<p class='ce-empty'>{_('no_answer')}</p>")
            self.follow.value = "".join(parts)
            return
        parts += [f"<h4>{_('h_agreement')}</h4>",
                  _html_table([_(k) for k in AGREEMENT_KEYS], agreement_rows(summary["overall"], labels,
                                                                             lang=self.lang),
                              "ce-agreement", {1, 2, 3, 4, 5, 6})]
        bc = summary["by_college"]
        parts.append(f"<h4>{_('h_by_college')}</h4>")
        if bc.empty:
            parts.append(f"<p>{_('no_college', k=self.min_group)}</p>")
        else:
            parts.append(f"<p>{_('college_note')}</p>")
            parts.append(college_table(bc, labels, self.lang))
            hidden = sorted(set(reg.index) - set(bc["college"]))
            if hidden:
                names = ", ".join(college_name(c, self.lang) for c in hidden)
                parts.append(f"<p>{_('hidden', k=self.min_group, colleges=html.escape(names))}</p>")
        cont = summary["contested"]
        parts.append(f"<h4>{_('h_contested')}</h4>")
        if cont.empty:
            parts.append(f"<p class='ce-contested-list'>{_('none')}</p>")
        else:
            items = "".join(f"<li><b>{html.escape(node_name(r.node, r.parent, labels))}</b> : {html.escape(r.reason)}</li>"
                            for r in cont.itertuples())
            parts.append(f"<ul class='ce-contested-list'>{items}</ul>")
        st = summary["status"]
        rule = self.rule
        fp = f"<code class='ce-rule-fingerprint'>{rule.fingerprint()}</code>"
        text = _("rule", fp=fp, consensus=_pct(rule.min_consensus_share, 0, self.lang),
                 changed=_pct(rule.max_changed_share, 0, self.lang), rounds=rule.max_rounds)
        parts.append(f"<h4>{_('h_rule')}</h4><p>{text}</p>")
        srows = [[str(int(r.round)), _pct(r.share_consensus, 0, self.lang), _pct(r.share_changed, 0, self.lang),
                  f"<b>{_('stop')}</b>" if r.stop else _("go_on"), html.escape(r.reason or "–")]
                 for r in st.itertuples()]
        parts.append(_html_table([_(k) for k in ("h_round", "h_consensus", "h_changed", "h_decision", "h_reason")],
                                 srows, "ce-status-table", {1, 2}))
        self.follow.value = "".join(parts)

    def _ipython_display_(self) -> None:
        display(self.root)


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
