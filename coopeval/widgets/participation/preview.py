"""The answer as it is given on the participant page: the total (or what is left to answer),
the weights it gives, and for AHP whether the comparisons are consistent; the button to send
is enabled only for a complete answer."""

from __future__ import annotations

import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, cast

import pandas as pd

from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.i18n.deliberation import saaty_choices
from coopeval.weighting.elicitation import (
    POINTS_TOTAL,
    SWING_TOP,
    is_complete,
    pairwise_consistency,
    preview_weights,
)
from coopeval.widgets.participation.style import _pct

if TYPE_CHECKING:
    from coopeval.framework import Framework


class Preview:
    """The answer and its weights (mixed into :class:`~coopeval.widgets.participation.ParticipationApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        fw: Framework
        method: str
        parent: str
        kids: list[str]
        lang: str
        inputs: dict[str, Any]
        answered: set[str]
        total: Any
        preview: Any
        submit: Any
        _: Callable[..., str]
        _label: Callable[[str], str]

    def _touched(self, node: str) -> None:
        self.answered.add(node)
        self.refresh()

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
            done, to_do = ("pairs_done", "pairs_left") if self.method == "ahp" else ("placed", "to_place")
            self.total.value = ("<div role='status' aria-live='polite'>"
                                + (self._(done) if not missing else self._(to_do, n=missing)) + "</div>")
        weights = None
        if ok:
            try:
                complete = cast(dict[str, float], vals)  # ok: is_complete, no value is None
                weights = preview_weights(self.fw, self.method, complete, parent=self.parent, lang=self.lang)
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
