"""Plausibility limits of an indicator: what its value can physically be.

Goalposts (``lower, upper``) are the normalisation range; the plausibility limits are
wider: a value outside them is refused on import (see :attr:`coopeval.Framework.indicators`).
"""

from __future__ import annotations

import math
from typing import Any

#: Units of a share (a value between 0 and 1).
_SHARE_UNITS = ("proportion", "part ", "part de", "taux", "share")


def plausible_limits(ind: dict[str, Any]) -> tuple[float, float]:
    """The plausibility limits of an indicator: what its value can physically be.

    Written ``limits: [min, max]`` in the framework (either may be null), else: the scale
    itself for binary, Likert and ordinal indicators; ``[0, 1]`` for a share (unit
    ``proportion…``, ``part de…``, ``taux…``); otherwise no upper limit, and no lower limit
    below zero only when the goalpost ``lower`` is negative (a net result can be negative; a
    count cannot).

    >>> plausible_limits({"kind": "quantitative", "unit": "proportion", "lower": 0.2, "upper": 0.8})
    (0.0, 1.0)
    >>> plausible_limits({"kind": "quantitative", "unit": "personnes", "lower": 0, "upper": 2000})
    (0.0, inf)
    >>> plausible_limits({"kind": "quantitative", "unit": "euros", "lower": -50000, "upper": 50000})
    (-inf, inf)
    """
    written = ind.get("limits")
    if ind.get("kind") in ("binary", "likert", "ordinal", "grid"):
        default = (ind.get("lower"), ind.get("upper"))
    elif str(ind.get("unit", "")).lower().startswith(_SHARE_UNITS):
        lower = ind.get("lower")
        default = (0.0 if lower is None or lower >= 0 else -math.inf, 1.0)  # a net margin can be negative
    else:
        lower = ind.get("lower")
        default = (0.0 if lower is None or lower >= 0 else -math.inf, math.inf)
    if written is not None:
        default = (written[0] if written[0] is not None else default[0],
                   written[1] if written[1] is not None else default[1])
    low = -math.inf if default[0] is None else float(default[0])
    high = math.inf if default[1] is None else float(default[1])
    return low, high
