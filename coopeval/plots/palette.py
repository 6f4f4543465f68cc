"""Colour-blind-safe palettes, one fixed colour per dimension, A4-width figure sizes.

Every figure of :mod:`coopeval.plots` takes its dimension colours from
:func:`dimension_colours`, so that « Emploi et travail » has the same colour in the
radar, the bars, the weights and the framework tree. Dimensions of the default
framework have a fixed colour; other dimensions get the next free colour in the
order of their framework (or of the list given), so the mapping is deterministic.

The dimension palette is Okabe & Ito's (2008) eight-colour palette without black,
distinguishable under the common colour-vision deficiencies; the three resource
categories use Paul Tol's (2021) "high contrast" scheme, readable in grey scale.

References
----------
Okabe, M. & Ito, K. (2008). *Color Universal Design (CUD): how to make figures and
presentations that are friendly to colorblind people*. https://jfly.uni-koeln.de/color/
Tol, P. (2021). *Colour schemes*. SRON technical note SRON/EPS/TN/09-002, issue 3.2.

Examples
--------
>>> from coopeval.plots import palette
>>> palette.dimension_colours(["emploi", "social"])["emploi"]
'#56B4E9'
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from coopeval.framework import Framework

__all__ = [
    "OKABE_ITO",
    "FIXED_DIMENSIONS",
    "CATEGORY_COLOURS",
    "SERIES",
    "HIGHLIGHT",
    "NEUTRAL",
    "A4_WIDTH",
    "A4_HALF",
    "dimension_colours",
    "colour_of",
    "series_colours",
]

#: Okabe–Ito palette without black: orange, sky blue, bluish green, yellow, blue,
#: vermillion, reddish purple.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7"]

#: Fixed colour of the dimensions of the built-in ``cooperation_territoriale`` framework.
FIXED_DIMENSIONS = {
    "social": OKABE_ITO[0],
    "emploi": OKABE_ITO[1],
    "ecologie": OKABE_ITO[2],
    "territoire": OKABE_ITO[3],
    "gouvernance": OKABE_ITO[4],
    "economie": OKABE_ITO[5],
    "externalites": OKABE_ITO[6],
}

#: Resource categories (Tol's high-contrast scheme): market, non-market, non-monetary.
CATEGORY_COLOURS = {"market": "#004488", "non_market": "#DDAA33", "non_monetary": "#BB5566"}

#: Colours of overlaid series (waves, units): Tol's "bright" scheme.
SERIES = ["#4477AA", "#EE6677", "#228833", "#CCBB44", "#66CCEE", "#AA3377", "#BBBBBB"]

#: Highlight of contested criteria (outline and shading) and neutral grey.
HIGHLIGHT = "#D55E00"
NEUTRAL = "#777777"

#: Text width of an A4 page with 2 cm margins (17 cm) and half of it, in inches.
A4_WIDTH = 17.0 / 2.54
A4_HALF = A4_WIDTH / 2


def dimension_colours(dimensions: Iterable[str] | Framework) -> dict[str, str]:
    """The colour of each dimension.

    Parameters
    ----------
    dimensions : iterable of str or Framework
        Dimension ids in their framework order, or a framework (its ``dimension_ids``).

    Returns
    -------
    dict of str to str
        ``{dimension: hex colour}``. Dimensions of the default framework keep their
        fixed colour; the others take, in order, the Okabe–Ito colours not used by the
        fixed dimensions present, cycling if there are more than seven.
    """
    dims = list(getattr(dimensions, "dimension_ids", dimensions))
    out = {d: FIXED_DIMENSIONS[d] for d in dims if d in FIXED_DIMENSIONS}
    free = [c for c in OKABE_ITO if c not in out.values()] or list(OKABE_ITO)
    k = 0
    for d in dims:
        if d not in out:
            out[d] = free[k % len(free)]
            k += 1
    return out


def colour_of(node: str, fw: Framework | None = None) -> str:
    """Colour of a node: the colour of its dimension.

    Parameters
    ----------
    node : str
        A dimension, criterion or indicator id (or ``"overall"``, drawn in grey).
    fw : Framework, optional
        Used to find the dimension of a criterion or indicator and the order of
        the dimensions. Without it, a node that is not a fixed dimension gets a
        colour from a stable hash of its id.
    """
    if node == "overall":
        return NEUTRAL
    if fw is not None and node in fw:
        dim = node
        while fw.level(dim) not in ("dimension", "overall"):
            dim = cast(str, fw.parent(dim))  # below a dimension: never the root
        if dim == "overall":
            return NEUTRAL
        return dimension_colours(fw)[dim]
    if node in FIXED_DIMENSIONS:
        return FIXED_DIMENSIONS[node]
    return OKABE_ITO[zlib.crc32(node.encode("utf-8")) % len(OKABE_ITO)]


def series_colours(keys: Iterable[object]) -> dict[object, str]:
    """Colours of overlaid series (waves, units), in the order given."""
    return {k: SERIES[i % len(SERIES)] for i, k in enumerate(keys)}
