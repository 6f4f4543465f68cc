"""The rounds section of the facilitator page: the method of each college for the next round,
open and close a round, the rounds of the session with the answers received."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd

from coopeval.i18n.animation_text import TEXT
from coopeval.i18n.deliberation import college_name
from coopeval.weighting.elicitation import UI_METHODS
from coopeval.widgets.animation.tables import _html_table


class RoundsSection:
    """The rounds of the session (mixed into :class:`~coopeval.widgets.animation.AnimationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        project: Any
        lang: str
        session: Any
        methods_box: Any
        rounds_html: Any
        method_pickers: dict[str, Any]
        _: Callable[..., str]
        _say: Callable[..., None]
        _guard: Callable[..., None]
        refresh: Callable[[], None]

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

    def _show_rounds(self, rounds: pd.DataFrame, people: pd.DataFrame) -> None:
        """A method picker per college (carried over from the last round) and the rounds table."""
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
