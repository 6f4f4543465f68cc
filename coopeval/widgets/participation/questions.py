"""The questions of the participant page: one card per dimension with the input of the round's
method (points, swing, direct rating, ranking, Simos), or one card per pair for AHP; each
prefilled with the participant's answer of the previous round when the method is the same."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import numpy as np
import pandas as pd

from coopeval.i18n.deliberation import saaty_choices
from coopeval.weighting.elicitation import (
    DIRECT_SCALE,
    POINTS_TOTAL,
    SWING_TOP,
    pairs,
    swing_levels,
    unit_is_scale,
)

if TYPE_CHECKING:
    from coopeval.framework import Framework


class Questions:
    """The round's questions (mixed into :class:`~coopeval.widgets.participation.ParticipationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        fw: Framework
        method: str
        parent: str
        kids: list[str]
        lang: str
        inputs: dict[str, Any]
        previous: dict[str, float]
        _: Callable[..., str]
        _label: Callable[[str], str]
        _description: Callable[[str], str]
        _feedback_row: Callable[[str], str]
        _touched: Callable[[str], None]
        _assemble: Callable[[list[Any]], None]
        refresh: Callable[[], None]

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
