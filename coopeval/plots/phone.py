"""Figures drawn for a phone: narrow, with text a person can read at a 390-pixel-wide screen.

By default the figures of :mod:`coopeval.plots` fit an A4 page (fonts of 6–9 pt on a
17 cm wide figure). Squeezed to a phone's width (about 340 CSS pixels once the page's
margins are taken), the same image shrinks its text to 5–6 pixels: unreadable (user test).
Inside :func:`for_phone`, the figures of :mod:`coopeval.plots` are drawn for a phone instead
(the radar, the score bars, the ranks, the weights and their agreement, the framework's tree, the
themes, the cycle, the stress test, the SROI tornado and the typology map are also laid out for
it: labels wrapped, legends moved, titles over the whole figure; the SROI waterfall is drawn
across the screen, one row per outcome):

* :data:`PHONE_WIDTH` inches wide (a figure shown at 96 CSS pixels per inch, the CSS inch,
  fits the phone's column without being scaled down), its height grown in proportion of
  the larger text;
* no text under :data:`PHONE_MIN_PT` points (12 CSS pixels at that size: the minimum of
  Apple's *Human Interface Guidelines*, 11 pt, with a margin) — :func:`text_size`;
* long labels wrapped shorter, legends under the plot rather than beside it.

The reports and the restitution dashboard embed both drawings in a ``<picture>`` (the
phone's one on screens up to :data:`PHONE_MAX_PX` pixels wide, :mod:`coopeval.report.html`):
a desktop and the printed page keep the A4 figure.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> from coopeval.plots import phone
>>> phone.text_size(7), phone.on_phone()
(7, False)
>>> with phone.for_phone():
...     phone.text_size(7), phone.figsize((6.69, 3.5))
(9.0, (3.2, 4.5))
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["PHONE_MAX_PX", "PHONE_MIN_PT", "PHONE_WIDTH", "figsize", "for_phone", "layout", "on_phone", "text_size",
           "wrap_width"]

#: Width (inches) of a figure drawn for a phone: 307 CSS pixels, within the column of a 390-pixel screen.
PHONE_WIDTH = 3.2
#: Smallest text (points) of a figure drawn for a phone: 12 CSS pixels when shown at its size.
PHONE_MIN_PT = 9.0
#: A4 text sizes are multiplied by this on a phone (7 pt, the A4 tick labels, become 9 pt).
PHONE_SCALE = PHONE_MIN_PT / 7.0
#: Screens up to this width (CSS pixels) are shown the figures drawn for a phone.
PHONE_MAX_PX = 600

_ON_PHONE: ContextVar[bool] = ContextVar("coopeval_plots_on_phone", default=False)


@contextlib.contextmanager
def for_phone() -> Iterator[None]:
    """Within this block, the figures of :mod:`coopeval.plots` are drawn for a phone."""
    token = _ON_PHONE.set(True)
    try:
        yield
    finally:
        _ON_PHONE.reset(token)


def on_phone() -> bool:
    """True inside :func:`for_phone`."""
    return _ON_PHONE.get()


def text_size(points: float) -> float:
    """A text size given for A4 (points), as drawn now: unchanged, or enlarged for a phone
    (multiplied by :data:`PHONE_SCALE`, never under :data:`PHONE_MIN_PT`)."""
    return max(points * PHONE_SCALE, PHONE_MIN_PT) if on_phone() else points


def figsize(a4: tuple[float, float]) -> tuple[float, float]:
    """A figure size given for A4 (inches), as drawn now: unchanged, or :data:`PHONE_WIDTH`
    wide for a phone, its height multiplied by :data:`PHONE_SCALE` (rows of larger text)."""
    if not on_phone():
        return a4
    return PHONE_WIDTH, a4[1] * PHONE_SCALE


def layout() -> str | None:
    """The layout of a new figure: ``"constrained"`` for a phone (labels and legends kept inside
    its :data:`PHONE_WIDTH`, the axes shrunk instead), none for A4 (unchanged)."""
    return "constrained" if on_phone() else None


def wrap_width(a4: int) -> int:
    """Characters a line for a label wrapped at ``a4`` characters on A4: about half on a phone."""
    return max(10, round(a4 * 0.55)) if on_phone() else a4
