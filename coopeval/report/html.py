"""HTML building blocks of the reports: page template, embedded figures, figure sections, tables."""

from __future__ import annotations

import base64
import html
import io
from typing import Any

import matplotlib.pyplot as plt
import pandas as pd

from coopeval.errors import ReportError
from coopeval.i18n import t

CSS = """
@page { size: A4; margin: 16mm 18mm 16mm 18mm; }
body { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
       line-height: 1.45; color: #222; max-width: 180mm; margin: 0 auto; }
h1 { font-size: 17pt; color: #004488; border-bottom: 2px solid #004488; padding-bottom: 4px; }
h2 { font-size: 13pt; color: #004488; margin-top: 18px; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11pt; break-after: avoid; }
figure { margin: 8px 0 12px 0; break-inside: avoid; page-break-inside: avoid; }
figure { text-align: center; }
figure img { max-width: 100%; max-height: 92mm; width: auto; height: auto; }
.fig { break-inside: avoid; page-break-inside: avoid; }
.read { background: #F4F6F8; border-left: 4px solid #4477AA; padding: 6px 10px; font-size: 9.5pt;
        break-inside: avoid; }
.read strong { display: block; color: #004488; }
table { border-collapse: collapse; font-size: 9.5pt; margin: 6px 0 12px 0; break-inside: avoid; }
th, td { border-bottom: 1px solid #CCC; padding: 3px 8px; text-align: left; }
td.num, th.num { text-align: right; }
table.wide { font-size: 8.5pt; }
table.wide th, table.wide td { padding: 3px 3px; }
.keys { display: flex; flex-wrap: wrap; gap: 8px; }
.key { border: 1px solid #CCC; border-radius: 4px; padding: 6px 10px; min-width: 36mm; }
.key .v { font-size: 15pt; font-weight: bold; color: #004488; }
.annex { font-size: 9pt; }
.small { font-size: 8.5pt; color: #555; }
blockquote { margin: 4px 0 8px 10px; border-left: 3px solid #CCBB44; padding: 2px 8px; font-style: italic;
             break-inside: avoid; }
blockquote .small { font-style: normal; }
"""

#: A report read on a phone (screens up to 600 px, as :data:`coopeval.plots.phone.PHONE_MAX_PX`):
#: text at the phone's size, figures at the width of the screen (their phone drawing, never capped
#: in height: it would shrink them), and each row of a table whose cells name their column
#: (:func:`table_html`) as a card, every cell under its column's name — nothing wider than the screen.
PHONE_CSS = """
@media screen and (max-width: 600px) {
  body { font-size: 16px; max-width: none; margin: 0 14px; overflow-wrap: break-word; }
  h1 { font-size: 22px; } h2 { font-size: 19px; } h3 { font-size: 17px; }
  .read, .annex { font-size: 14px; } .small { font-size: 13px; }
  figure img { max-height: none !important; max-width: 100%; }
  table:has(td[data-label]) { display: block; font-size: 15px; }
  table:has(td[data-label]) thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  table:has(td[data-label]) tbody, table:has(td[data-label]) tr { display: block; }
  table:has(td[data-label]) tr { border-bottom: 2px solid #CCC; padding: 6px 0; }
  table:has(td[data-label]) td { display: block; border: 0; padding: 2px 0; text-align: left;
    overflow-wrap: anywhere; }
  table:has(td[data-label]) td::before { content: attr(data-label) " : "; font-weight: bold; }
  .key { min-width: 0; flex: 1 1 40%; }
  .key .v { font-size: 18px; hyphens: auto; overflow-wrap: normal; }
}
"""


def esc(value: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def figure_html(obj, alt: str, *, fmt: str = "png", dpi: int = 160, max_height: str | None = None) -> str:
    """A ``<figure>`` embedding a matplotlib Axes/Figure as base64 PNG or SVG; the figure is closed.

    ``obj`` may also be a function drawing the figure (returning its Axes or Figure): it is then
    drawn twice, for the page and for a phone (:func:`picture_html`)."""
    style = f' style="max-height: {esc(max_height)}"' if max_height else ""
    return f"<figure>{picture_html(obj, alt, fmt=fmt, dpi=dpi, attrs=style)}</figure>"


def picture_html(obj, alt: str, *, fmt: str = "png", dpi: int = 160, attrs: str = "") -> str:
    """An ``<img>`` of a matplotlib Axes/Figure, or — when ``obj`` is a function drawing it — a
    ``<picture>`` whose phone image (drawn again inside :func:`coopeval.plots.phone.for_phone`,
    PNG at twice the CSS pixel density) is shown on screens up to
    :data:`~coopeval.plots.phone.PHONE_MAX_PX` pixels wide; wider screens and print keep the
    page's image. ``data-text-px`` (and ``data-phone-text-px``) give the smallest text of each
    image in CSS pixels when shown at its natural size (read by the browser tests). ``attrs``:
    more attributes of the ``<img>``."""
    from coopeval.plots import phone

    if fmt not in ("png", "svg"):
        raise ReportError(f"parameter `figure_format`: expected 'png' or 'svg', got {fmt!r}")
    mime = "image/png" if fmt == "png" else "image/svg+xml"
    if not callable(obj):
        data, text_px = _encode(obj, fmt, dpi, 1)
        return f'<img alt="{esc(alt)}"{attrs} data-text-px="{text_px:.1f}" src="data:{mime};base64,{data}">'
    data, text_px = _encode(obj(), fmt, dpi, 1)
    density = 2 if fmt == "png" else 1
    with phone.for_phone():  # a thin margin: the phone's width is for the figure
        small, small_px = _encode(obj(), fmt, 96 * density, density, pad=0.03)
    srcset = f"data:{mime};base64,{small}" + (f" {density}x" if density > 1 else "")
    return (f'<picture><source media="(max-width: {phone.PHONE_MAX_PX}px)" srcset="{srcset}">'
            f'<img alt="{esc(alt)}"{attrs} data-text-px="{text_px:.1f}" data-phone-text-px="{small_px:.1f}" '
            f'src="data:{mime};base64,{data}"></picture>')


def _encode(obj, fmt: str, dpi: int, density: int, pad: float = 0.1) -> tuple[str, float]:
    """The figure of ``obj`` as base64 (the figure is closed) and its smallest text in CSS pixels
    at the image's natural size (``density`` image pixels a CSS pixel; SVG: 96 CSS px an inch)."""
    import matplotlib.text as mtext

    fig = obj.figure if hasattr(obj, "figure") and not hasattr(obj, "savefig") else obj
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight", pad_inches=pad)
    # measured once drawn (tick labels get their text when drawn): the texts within the saved image
    shown = fig.get_tightbbox().padded(pad).transformed(fig.dpi_scale_trans)
    sizes = [t.get_fontsize() for t in fig.findobj(mtext.Text) if t.get_visible() and t.get_text().strip()
             and shown.overlaps(t.get_window_extent())]
    points = min(sizes, default=0.0)
    plt.close(fig)
    px = points * 96 / 72 if fmt == "svg" else points * dpi / 72 / density
    return base64.b64encode(buf.getvalue()).decode("ascii"), px


def read_box(title: str, body: str) -> str:
    """The « how to read » box under a figure."""
    return f'<div class="read"><strong>{esc(title)}</strong>{esc(body)}</div>'


def table_html(df: pd.DataFrame, numeric: set[str] | None = None, *, css: str | None = None) -> str:
    """A plain HTML table (values already formatted as text); each cell names its column
    (``data-label``), so that a narrow screen can show a row as a card. ``css``: its class
    (``"wide"``: smaller text and padding, for a table of many columns to fit the A4 page)."""
    numeric = numeric or set()
    head = "".join(f'<th class="num">{esc(c)}</th>' if c in numeric else f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for _, r in df.iterrows():
        cells = "".join(f'<td class="num" data-label="{esc(c)}">{esc(v)}</td>' if c in numeric
                        else f'<td data-label="{esc(c)}">{esc(v)}</td>' for c, v in r.items())
        rows.append(f"<tr>{cells}</tr>")
    klass = f' class="{esc(css)}"' if css else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def page(title: str, body: str, lang: str) -> str:
    """A complete, self-contained HTML document."""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}{PHONE_CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def figure_section(key: str, heading: str, figs: list[tuple[Any, ...]], lang: str, fmt: str,
                   before: str = "") -> str:
    """A section ``<h2 id=key>`` of figures, each with its « how to read » box (``before``: text under the heading).

    ``figs``: ``(figure, alt text, how to read)`` tuples, with a maximum height as a fourth item; a
    figure may be a function drawing it, to be drawn for a phone as well (:func:`picture_html`).
    """
    parts = []
    for i, (obj, alt, reading, *height) in enumerate(figs):
        head = f'<h2 id="{key}">{esc(heading)}</h2>{before}' if i == 0 else ""
        img = figure_html(obj, alt, fmt=fmt, max_height=height[0] if height else None)
        parts.append(f'<div class="fig">{head}{img}'
                     f'{read_box(t("report_how_to_read", lang), reading)}</div>')
    return "".join(parts)
