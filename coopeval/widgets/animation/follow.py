"""The follow section of the facilitator page: where the group converges in the round shown —
answers received, agreement, agreement by college (small colleges, and those pooled with them,
hidden), contested nodes and the stopping rule; groups weighted by fewer than ``min_group``
participants in all have no figure (:func:`coopeval.weighting.round_summary.agreement_summary`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pandas as pd

from coopeval.data.disclosure import small_group_message
from coopeval.i18n.deliberation import college_name
from coopeval.weighting.elicitation import node_labels
from coopeval.weighting.round_summary import agreement_summary
from coopeval.widgets.animation.tables import (
    AGREEMENT_KEYS,
    _html_table,
    _pct,
    agreement_rows,
    college_table,
    node_name,
    not_estimable_note,
)

if TYPE_CHECKING:
    from coopeval.weighting import StoppingRule


class FollowSection:
    """The round followed (mixed into :class:`~coopeval.widgets.animation.AnimationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        project: Any
        lang: str
        min_group: int
        rule: StoppingRule
        session: Any
        round: Any
        follow: Any
        _quiet: bool
        _: Callable[..., str]

    def _judgements(self) -> pd.DataFrame:
        # answers under pseudonymous labels, read only to compute the group figures shown
        return self.project.agreement_inputs(self.session.value)

    def _choose_round(self, rounds: pd.DataFrame) -> None:
        """The rounds to choose from to follow, and the one shown."""
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
        small = summary["small_groups"]["parent"].tolist()
        note = (f"<p class='ce-small-groups'>{html.escape(small_group_message(small, self.min_group, self.lang, fw))}"
                "</p>") if small else ""
        if summary["overall"].empty:
            parts.append(note or f"<p class='ce-empty'>{_('no_answer')}</p>")
            self.follow.value = "".join(parts)
            return
        parts += [f"<h4>{_('h_agreement')}</h4>",
                  _html_table([_(k) for k in AGREEMENT_KEYS], agreement_rows(summary["overall"], labels,
                                                                             lang=self.lang),
                              "ce-agreement", {1, 2, 3, 4, 5, 6}), not_estimable_note(summary["overall"], self.lang),
                  note]
        bc = summary["by_college"]
        parts.append(f"<h4>{_('h_by_college')}</h4>")
        if bc.empty:
            parts.append(f"<p>{_('no_college', k=self.min_group)}</p>")
        else:
            parts.append(f"<p>{_('college_note')}</p>")
            parts.append(college_table(bc, labels, self.lang))
            parts.append(not_estimable_note(bc, self.lang))
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
