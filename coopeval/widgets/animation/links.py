"""The participants section of the facilitator page: issue personal links for a college, list
every link issued (printable sheet with QR codes, CSV), re-issue one; and the server address
the links point to."""

from __future__ import annotations

import base64
import html
import os
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd

from coopeval.i18n.deliberation import college_name
from coopeval.report.links import links_sheet, links_table
from coopeval.store.links import new_participants
from coopeval.widgets.animation.tables import _html_table


def server_address(env: Mapping[str, str] | None = None) -> str:
    """Where the links point by default: ``COOPEVAL_PUBLIC_URL`` (set by ``coopeval serve``), else the
    host and port this page was requested on (Voilà's ``SERVER_NAME`` / ``SERVER_PORT``).

    >>> server_address({"SERVER_NAME": "192.168.1.20", "SERVER_PORT": "8900"})
    'http://192.168.1.20:8900'
    """
    given: Mapping[str, str] = os.environ if env is None else env
    if given.get("COOPEVAL_PUBLIC_URL"):
        return str(given["COOPEVAL_PUBLIC_URL"]).rstrip("/")
    host, port = given.get("SERVER_NAME"), given.get("SERVER_PORT")
    return f"http://{host}:{port}" if host and port else "http://127.0.0.1:8866"


class LinksSection:
    """Participants and their links (mixed into :class:`~coopeval.widgets.animation.AnimationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        project: Any
        key: Any
        lang: str
        session: Any
        _: Callable[..., str]
        _say: Callable[..., None]
        _guard: Callable[..., None]
        refresh: Callable[[], None]

    def _build_people(self, wide: W.Layout, base_url: str | None) -> None:
        """The section's controls: college, how many links, server address, the links, re-issue."""
        _, lang, project = self._, self.lang, self.project
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
        header = [self._("h_participant"), self._("college"), self._("h_link"), self._("h_expires")]
        self.links.value = (f"<p>{self._('links_kept', download=download, sheet=sheet)}</p>"
                            + _html_table(header, rows, "ce-links",
                                          labels=[self._("label_colon", label=h) for h in header]))

