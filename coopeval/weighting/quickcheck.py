"""A fast, conservative check of one participant's judgement set (the submission hot path).

:func:`coopeval.weighting.validate_judgements` checks any table of judgements with pandas;
on one participant's set of a few rows its fixed cost (~30 ms) limited the store to a few
dozen submissions per second. :func:`surely_valid` answers only "certainly valid" for the
common sets — ``points``, ``direct``, ``swing`` or ``ranking`` over plain node ids, every
group of siblings complete, with the default rules of :func:`validate_judgements`
(points adding up to ``points_total``, direct values on ``direct_scale``, the most valued
swing at 100, ranks 1..n) — and ``False`` for everything else (Simos, AHP, any doubt), in
which case the caller runs the full validator, which gives the detailed message. It never
accepts a set that :func:`validate_judgements` refuses: a property-based test draws sets
and checks exactly that (``tests/weighting/test_quickcheck.py``).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["surely_valid"]

_FAST = ("points", "direct", "swing", "ranking")


def surely_valid(records: Sequence[dict], fw, *, points_total: float | None = 100.0,
                 direct_scale: tuple[float, float] = (0.0, 10.0)) -> bool:
    """True only when ``records`` (``method, node, value`` dicts of one participant and round)
    are certainly accepted by :func:`coopeval.weighting.validate_judgements` with these options.

    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> dims = fw.dimension_ids
    >>> rows = [{"method": "points", "node": d, "value": 100 / len(dims)} for d in dims]
    >>> surely_valid(rows, fw), surely_valid(rows[:-1], fw)
    (True, False)
    """
    methods = {r.get("method") for r in records}
    if len(methods) != 1 or not records:
        return False
    method = next(iter(methods))
    if method not in _FAST:
        return False
    groups: dict[str, dict[str, float]] = {}
    for r in records:
        node, value = r.get("node"), r.get("value")
        if not isinstance(node, str) or node == "overall" or node not in fw:
            return False
        if not isinstance(value, float) or not math.isfinite(value):
            return False
        kids = groups.setdefault(fw.parent(node), {})
        if node in kids:
            return False
        kids[node] = value
    for parent, given in groups.items():
        kids = fw.children(parent)
        if set(given) != set(kids):
            return False
        v = list(given.values())
        if method == "points":
            if min(v) < 0 or max(v) <= 0 or (points_total is not None and abs(sum(v) - points_total) > 1e-6):
                return False
        elif method == "direct":
            if min(v) < direct_scale[0] or max(v) > direct_scale[1] or max(v) <= 0:
                return False
        elif method == "swing":
            if min(v) < 0 or max(v) > 100 or not math.isclose(max(v), 100.0, rel_tol=1e-9, abs_tol=0.0):
                return False
        elif any(not x.is_integer() or not 1 <= x <= len(kids) for x in v):  # ranking
            return False
    return True
