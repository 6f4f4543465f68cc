"""Issue 22: the framework round on the facilitator page — open it, see the anonymous proposals and
the votes by college, open the vote, record the outcome in the register.

Wiring only: :meth:`coopeval.Project.open_framework_round`, :meth:`~coopeval.Project.proposals`,
:meth:`~coopeval.Project.framework_tally`, :meth:`~coopeval.Project.close_round` and
:meth:`~coopeval.Project.close_framework_round` do the work. The phones' side is
:mod:`coopeval.web.framework_page`.

"Opening the vote" closes the proposals round and opens the next round of the session as a
framework round: the phones then show the proposals to vote on.

Example
-------
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> new_indicator({"text": "Repas partagés", "measures": "Repas pris ensemble"}, fw)["id"]
'repas_partages'
"""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Mapping
from typing import Any

import ipywidgets as W
import pandas as pd

from coopeval.data.likert import parse_number
from coopeval.errors import CoopevalError
from coopeval.i18n.deliberation import college_name, refusal
from coopeval.i18n.framework_text import _t
from coopeval.store.decisions import FRAMEWORK_METHOD
from coopeval.web.framework_page import describe
from coopeval.weighting.framework_round import ALL_COLLEGES

__all__ = ["FrameworkRoundPanel", "new_indicator", "open_framework_round"]


def new_indicator(proposal: Mapping, fw, *, unit: str = "nombre", lower: float | None = None,  # noqa: ANN001
                  upper: float | None = None, source: str | None = None) -> dict:
    """The node an adopted ``add`` proposal becomes: an indicator named as proposed, described by what
    it measures, counted by the collective (``unit``, source ``register``, higher is better), with the
    goalposts the facilitator records with the outcome (``source``: where they come from) — to be
    refined later by a recorded decision if needed. Its id is the name in ASCII snake case, made
    unique in ``fw``."""
    text = str(proposal.get("text") or "nouvel_indicateur")
    base = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    base = re.sub(r"[^a-z0-9]+", "_", base).strip("_")[:40] or "nouvel_indicateur"
    if base[0].isdigit():
        base = f"i_{base}"
    node_id, k = base, 2
    while node_id in fw:
        node_id, k = f"{base}_{k}", k + 1
    node: dict[str, object] = {"id": node_id, "label_fr": text, "label_en": text, "unit": unit or "nombre", "kind": "quantitative",
            "direction": "increase", "source": "register"}
    if lower is not None and upper is not None:
        node.update({"lower": lower, "upper": upper, **({"goalpost_source": source} if source else {})})
    if proposal.get("measures"):
        node["description_fr"] = str(proposal["measures"])
    return node


def open_framework_round(project, session: str) -> tuple[int, bool]:  # noqa: ANN001
    """Open the next round of ``session`` as a framework round; returns ``(round, is_vote)``: a vote
    when the session already holds proposals (the open round, if any, is closed first)."""
    rounds = project.rounds(session)
    for r in rounds.loc[rounds["status"] == "open", "round"]:
        project.close_round(session, int(r))
    nxt = int(rounds["round"].max()) + 1 if len(rounds) else 1
    project.open_framework_round(session, nxt)
    return nxt, bool(len(project.proposals(session)))


class FrameworkRoundPanel:
    """The framework-round section of :class:`coopeval.widgets.animation.AnimationApp` (``app``)."""

    def __init__(self, app: Any):
        self.app, self.project, self.lang = app, app.project, app.lang
        _ = self._
        self.open = W.Button(description=_("f_open"), button_style="success", icon="list")
        self.open.add_class("ce-fw-open")
        self.vote = W.Button(description=_("f_vote"), button_style="primary", icon="check-square")
        self.vote.add_class("ce-fw-vote")
        self.refresh_button = W.Button(description=app._("refresh"), icon="refresh")
        self.refresh_button.add_class("ce-fw-refresh")
        self.wave = W.Text(description=_("f_wave"), style={"description_width": "initial"},
                           layout=W.Layout(width="100%", max_width="300px"))
        self.wave.add_class("ce-fw-wave")
        self.record = W.Button(description=_("f_record"), button_style="warning", icon="gavel")
        self.record.add_class("ce-fw-record")
        self.status = W.HTML()
        self.status.add_class("ce-fw-status")
        self.table = W.HTML()
        self.table.add_class("ce-fw-proposals")
        self.outcomes = W.VBox()
        self.outcomes.add_class("ce-fw-outcomes")
        self.pickers: dict[int, tuple] = {}  # outcome, reason (+ unit, lower, upper of an added indicator)
        self._rows: dict[int, W.HBox] = {}    # one row of pickers per proposal, kept across refreshes
        self._touched: set[int] = set()
        self._quiet = False
        wrap = W.Layout(flex_flow="row wrap", align_items="center")
        self.root = W.VBox([
            W.HTML(f"<h3>{_('f_h')}</h3><p class='ce-note'>{_('f_intro')}</p>"),
            W.HBox([self.open, self.vote, self.refresh_button], layout=wrap), self.status, self.table,
            self.outcomes, W.HBox([self.wave, self.record], layout=wrap)])
        self.root.add_class("ce-fw-panel")
        self.open.on_click(lambda _: self._guard(self._on_open))
        self.vote.on_click(lambda _: self._guard(self._on_open))
        self.record.on_click(lambda _: self._guard(self._on_record))
        self.refresh_button.on_click(lambda _: self._guard(self.refresh))
        app.session.observe(lambda _: self._guard(self.refresh), names="value")
        self._guard(self.refresh)

    def _(self, key: str, **values: object) -> str:
        return _t(key, self.lang, **values)

    def _say(self, text: str, ok: bool = True) -> None:
        self.status.value = (f"<div class='ce-msg {'ce-msg-ok' if ok else 'ce-msg-ko'}' "
                             f"role='{'status' if ok else 'alert'}'>{html.escape(text)}</div>")

    def _guard(self, fn) -> None:  # noqa: ANN001
        try:
            with self.app._lock:
                fn()
        except CoopevalError as exc:
            self._say(refusal(exc, self.lang), ok=False)

    def _open_round(self) -> int | None:
        rounds = self.project.rounds(self.app.session.value)
        for r in rounds.itertuples():
            if r.status == "open" and (r.methods or {}).get("*") == FRAMEWORK_METHOD:
                return int(r.round)
        return None

    def _decided(self, sid: str) -> bool:
        """Whether the session's framework round was already recorded (one round per session: the store
        records every proposal of the session, from the session's framework version)."""
        reg = self.project.decisions()
        return bool(len(reg)) and (reg["session"] == sid).any()

    def _on_open(self) -> None:
        sid = self.app.session.value
        if not sid:
            return
        if self._decided(sid):
            self._say(self._("f_already"), ok=False)
            return
        rnd, is_vote = open_framework_round(self.project, sid)
        self.app.refresh()
        self.refresh()
        self._say(self._("f_vote_opened" if is_vote else "f_opened", round=rnd))

    def _on_record(self) -> None:
        sid = self.app.session.value
        props = self.project.proposals(sid)
        if self._decided(sid) or props.empty:
            self._say(self._("f_already" if len(props) else "f_no_proposal"), ok=False)
            return
        fw = self.project.framework(self.project.sessions().set_index("session").at[sid, "framework_hash"])
        outcomes = {}
        for r in props.to_dict("records"):
            pid = int(r["id"])
            outcome, reason, *bounds = self.pickers[pid]
            o = {"outcome": outcome.value, "reason": reason.value.strip() or None}
            if r["op"] == "add" and outcome.value == "adopted":
                unit, lo, hi = bounds[0].value.strip(), parse_number(bounds[1].value), parse_number(bounds[2].value)
                if not unit or lo is None or hi is None or lo >= hi:
                    self._say(self._("f_need_bounds", name=r["text"], pid=pid), ok=False)
                    return
                o["node"] = new_indicator(r, fw, unit=unit, lower=lo, upper=hi, source=self._("f_bounds_source"))
            outcomes[pid] = o
        wave = self.wave.value.strip() or None
        digest = self.project.close_framework_round(sid, outcomes, wave=wave, decider="animation")
        number = self.project.framework_versions().set_index("hash").at[digest, "number"]
        self.app.refresh()
        self.refresh()
        self._say(self._("f_recorded", n=len(outcomes), number=int(number)))

    def _votes(self, tally: pd.DataFrame, pid: int) -> str:
        rows = tally[tally["proposal"] == pid]
        if rows.empty:
            return self._("f_no_vote_yet")
        cells = []
        for r in rows.itertuples():
            name = self._("f_all") if r.college == ALL_COLLEGES else college_name(r.college, self.lang)
            cells.append(self._("f_hidden", college=name, n=self.app.min_group) if r.suppressed else
                         self._("f_votes_cell", college=name, for_=int(r.n_for), against=int(r.n_against),
                                abstain=int(r.n_abstain)))
        # one college per line, its counts kept together on a phone
        return "<br>".join(f'<span style="white-space:nowrap">{html.escape(c)}</span>' for c in cells)

    def refresh(self) -> None:
        """Re-read the session's proposals and votes."""
        sid = self.app.session.value
        if not sid:
            self.table.value, self.outcomes.children = "", []
            return
        props = self.project.proposals(sid)
        rnd = self._open_round()
        phase = ""
        if rnd is not None:
            phase = self._("f_phase_vote" if (props["round"].astype(int) < rnd).any() else "f_phase_propose",
                           round=rnd)
        decided = set(self.project.decisions()["proposal"].dropna().astype(int))
        props = props[~props["id"].astype(int).isin(decided)]
        if props.empty:
            self.table.value = f"<p>{html.escape(phase)}</p><p>{self._('f_no_proposal')}</p>"
            self.outcomes.children, self.pickers = [], {}
            return
        fw = self.project.framework(self.project.sessions().set_index("session").at[sid, "framework_hash"])
        tally = self.project.framework_tally(sid)
        rows = "".join(f"<tr class='ce-fw-p-{int(r['id'])}'><td class='num'>{int(r['id'])}</td>"
                       f"<td>{html.escape(describe(r, fw, self.lang))}</td>"
                       f"<td>{self._votes(tally, int(r['id']))}</td></tr>" for r in props.to_dict("records"))
        head = "".join(f"<th scope='col'>{html.escape(self._(k))}</th>" for k in ("f_col_n", "f_col_proposal",
                                                                               "f_col_votes"))
        self.table.value = (f"<p>{html.escape(phase)}</p><h4>{html.escape(self._('f_h_props'))}</h4>"
                            f"<table class='ce-table ce-fw-table'><thead><tr>{head}</tr></thead>"
                            f"<tbody>{rows}</tbody></table>")
        pickers: dict[int, tuple] = {}
        for r in props.to_dict("records"):
            pid = int(r["id"])
            old = self.pickers.get(pid)
            total = tally[(tally["proposal"] == pid) & (tally["college"] == "ensemble")]
            adopted = bool(len(total)) and not total["suppressed"].iloc[0] and (
                total["n_for"].iloc[0] > total["n_against"].iloc[0])
            dd = old[0] if old else W.Dropdown(
                options=[(self._("f_adopted"), "adopted"), (self._("f_rejected"), "rejected")],
                description=f"{self._('f_col_n')} {pid}", layout=W.Layout(width="100%", max_width="300px"))
            if pid not in self._touched:  # follows the votes until the facilitator chooses
                self._quiet = True
                dd.value = "adopted" if adopted else "rejected"
                self._quiet = False
            if not old:
                dd.observe(lambda _, pid=pid: None if self._quiet else self._touched.add(pid), names="value")
            reason = old[1] if old else W.Text(placeholder=self._("f_reason_ph"),
                                               layout=W.Layout(width="100%", max_width="520px"))
            dd.add_class(f"ce-fw-outcome-{pid}")
            reason.add_class(f"ce-fw-reason-{pid}")
            pickers[pid] = (dd, reason)
            if r["op"] == "add":  # a new indicator needs its unit and goalposts to be scored
                pickers[pid] += tuple(old[2:]) if old and len(old) == 5 else tuple(
                    W.Text(value=v, description=self._(k), style={"description_width": "initial"},
                           layout=W.Layout(width="100%", max_width="220px"))
                    for k, v in (("f_unit", "nombre"), ("f_lower", ""), ("f_upper", "")))
                for name, field in zip(("unit", "lower", "upper"), pickers[pid][2:], strict=True):
                    field.add_class(f"ce-fw-{name}-{pid}")
        self.pickers = pickers
        # the same row (hence the same view in the page) while its fields are the same: a reason being
        # typed is not dropped into a view that a refresh is replacing
        kept = self._rows
        self._rows = {pid: kept[pid] if pid in kept and kept[pid].children == tuple(p) else
                      W.HBox(list(p), layout=W.Layout(flex_flow="row wrap")) for pid, p in pickers.items()}
        self.outcomes.children = list(self._rows.values())
