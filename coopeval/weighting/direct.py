"""Direct rating and point allocation (100 points, dot vote).

Both turn the numbers a participant gives to the children of one node into local
weights proportional to them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import pandas as pd

from coopeval.errors import WeightingError, bad_param
from coopeval.weighting._core import as_series, require_nonneg


def direct(
    ratings: Mapping | pd.Series | Iterable[float],
    labels: Iterable[str] | None = None,
    *,
    scale: tuple[float, float] = (0.0, 10.0),
) -> pd.Series:
    """Weights from direct ratings of importance on a bounded scale.

    Parameters
    ----------
    ratings : dict, Series or list of numbers
        Importance rating of each item (e.g. 0 = sans importance, 10 = essentiel).
    labels : list of str, optional
        Labels when ``ratings`` is a plain list.
    scale : (low, high), default (0, 10)
        Bounds of the rating scale; every rating must lie inside.

    Returns
    -------
    pandas.Series
        ``weight`` indexed by label, non-negative, summing to 1.

    Notes
    -----
    :math:`w_i = r_i / \\sum_j r_j` (von Winterfeldt & Edwards, 1986, ch. 8).

    References
    ----------
    von Winterfeldt, D. & Edwards, W. (1986). *Decision Analysis and Behavioral
    Research*. Cambridge University Press.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.weighting.direct({"social": 8, "ecologie": 6, "economie": 6}).round(2).tolist()
    [0.4, 0.3, 0.3]
    """
    low, high = _scale(scale)
    s = as_series(ratings, "ratings", labels)
    require_nonneg(s, "ratings", low, high)
    return (s / s.sum()).rename("weight")


def points(
    allocation: Mapping | pd.Series | Iterable[float],
    labels: Iterable[str] | None = None,
    *,
    total: float | None = 100.0,
) -> pd.Series:
    """Weights from a point allocation (split 100 points, or a dot vote).

    Parameters
    ----------
    allocation : dict, Series or list of numbers
        Points (or dots) given to each item, non-negative.
    labels : list of str, optional
        Labels when ``allocation`` is a plain list.
    total : float or None, default 100
        The budget that the points must add up to (tolerance 1e-9); ``None`` for a
        free dot vote (any positive total).

    Returns
    -------
    pandas.Series
        ``weight`` indexed by label, summing to 1.

    Notes
    -----
    :math:`w_i = p_i / \\sum_j p_j`.

    References
    ----------
    Bottomley, P. A. & Doyle, J. R. (2001). A comparison of three weight elicitation
    methods: good, better, and best. *Omega* 29(6), 553–560.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.weighting.points({"social": 50, "ecologie": 30, "economie": 20}).tolist()
    [0.5, 0.3, 0.2]
    """
    s = as_series(allocation, "allocation", labels)
    require_nonneg(s, "allocation")
    if total is not None and abs(s.sum() - float(total)) > 1e-9 * max(1.0, abs(total)):
        bad_param("allocation", f"points adding up to {total:g}", f"a total of {s.sum():g}", WeightingError)
    return (s / s.sum()).rename("weight")


def _scale(scale: tuple[float, float]) -> tuple[float, float]:
    try:
        low, high = (float(x) for x in scale)
    except (TypeError, ValueError):
        bad_param("scale", "a pair (low, high) of numbers", scale, WeightingError)
    if not low < high or low < 0:
        bad_param("scale", "0 <= low < high", scale, WeightingError)
    return low, high
