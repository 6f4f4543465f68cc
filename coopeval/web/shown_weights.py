"""The weights shown back on the participant page once an answer is stored, computed cheaply.

Issue 23: with 100 answers arriving at once, each confirmation computed the weights through
:func:`coopeval.weighting.elicitation.preview_weights` (build a judgement table, validate it —
again, :meth:`coopeval.store.Project.submit` had just done so — and run
:func:`coopeval.weighting.participant_weights`): about 30 ms of CPU under the server's lock
on Python, 80 % of a submission. For the methods whose weight is proportional to the answer
(``points``, ``direct``, ``swing``: "Weight ∝ points / rating", see
:mod:`coopeval.weighting.judgements`) the weights are the values divided by their sum, computed
here in microseconds; the other methods (``ranking``, ``simos``, ``ahp``) still go through
:func:`preview_weights`. Both give the same numbers (tested against ``participant_weights``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import cast

from coopeval.weighting.elicitation import node_labels, preview_weights

__all__ = ["PROPORTIONAL", "shown_weights"]

#: Methods whose weights are the answers divided by their sum.
PROPORTIONAL = ("points", "direct", "swing")

_LABELS: dict[tuple[str, str], dict[str, str]] = {}


def _labels(fw, key: str, lang: str) -> dict[str, str]:  # noqa: ANN001
    """Node labels of a framework in ``lang``, kept per framework hash (``fw.nodes`` builds a table)."""
    if (key, lang) not in _LABELS:
        _LABELS[(key, lang)] = node_labels(fw, lang)
    return _LABELS[(key, lang)]


def shown_weights(fw, framework_hash: str, method: str, values: Mapping[str, float | None], *,  # noqa: ANN001
                  parent: str = "overall", lang: str = "fr") -> list[tuple[str, str, float]]:
    """``[(node, label, weight), ...]`` in the order of ``fw.children(parent)``, weights summing to 1.

    Parameters
    ----------
    fw : Framework
    framework_hash : str
        The framework's hash (cache key of the labels; ``fw.hash`` recomputes it).
    method : str
    values : mapping
        The answers, as :func:`coopeval.web.participant_page.parse_form` returns them.

    Raises
    ------
    WeightingError
        Answers that give no weights (only for the non-proportional methods, through
        :func:`preview_weights`; a proportional answer without a positive total gives ``[]``).

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> pts = dict(zip(fw.children("overall"), [30, 10, 15, 10, 20, 10, 5]))
    >>> [round(w, 2) for _, _, w in shown_weights(fw, fw.hash, "points", pts)]
    [0.3, 0.1, 0.15, 0.1, 0.2, 0.1, 0.05]
    """
    kids = fw.children(parent)
    if method in PROPORTIONAL:
        try:
            v = [float(values[k]) for k in kids]  # type: ignore[arg-type]
        except (KeyError, TypeError, ValueError):
            return []
        total = sum(v)
        if not all(math.isfinite(x) and x >= 0 for x in v) or not total > 0:
            return []
        labels = _labels(fw, framework_hash, lang)
        return [(k, labels[k], x / total) for k, x in zip(kids, v, strict=True)]
    w = preview_weights(fw, method, cast(Mapping[str, float], values), parent=parent, lang=lang)  # None refused there
    return list(zip(w["node"], w["label"], w["weight"].astype(float), strict=True))
