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
.keys { display: flex; flex-wrap: wrap; gap: 8px; }
.key { border: 1px solid #CCC; border-radius: 4px; padding: 6px 10px; min-width: 36mm; }
.key .v { font-size: 15pt; font-weight: bold; color: #004488; }
.annex { font-size: 9pt; }
.small { font-size: 8.5pt; color: #555; }
blockquote { margin: 4px 0 8px 10px; border-left: 3px solid #CCBB44; padding: 2px 8px; font-style: italic;
             break-inside: avoid; }
blockquote .small { font-style: normal; }
"""


def esc(value: object) -> str:
    """HTML-escaped text."""
    return html.escape(str(value), quote=True)


def figure_html(obj, alt: str, *, fmt: str = "png", dpi: int = 160, max_height: str | None = None) -> str:
    """A ``<figure>`` embedding a matplotlib Axes/Figure as base64 PNG or SVG; the figure is closed."""
    fig = obj.figure if hasattr(obj, "figure") and not hasattr(obj, "savefig") else obj
    if fmt not in ("png", "svg"):
        raise ReportError(f"parameter `figure_format`: expected 'png' or 'svg', got {fmt!r}")
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    mime = "image/png" if fmt == "png" else "image/svg+xml"
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    style = f' style="max-height: {esc(max_height)}"' if max_height else ""
    return f'<figure><img alt="{esc(alt)}"{style} src="data:{mime};base64,{data}"></figure>'


def read_box(title: str, body: str) -> str:
    """The « how to read » box under a figure."""
    return f'<div class="read"><strong>{esc(title)}</strong>{esc(body)}</div>'


def table_html(df: pd.DataFrame, numeric: set[str] | None = None) -> str:
    """A plain HTML table (values already formatted as text); each cell names its column
    (``data-label``), so that a narrow screen can show a row as a card."""
    numeric = numeric or set()
    head = "".join(f'<th class="num">{esc(c)}</th>' if c in numeric else f"<th>{esc(c)}</th>" for c in df.columns)
    rows = []
    for _, r in df.iterrows():
        cells = "".join(f'<td class="num" data-label="{esc(c)}">{esc(v)}</td>' if c in numeric
                        else f'<td data-label="{esc(c)}">{esc(v)}</td>' for c, v in r.items())
        rows.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def page(title: str, body: str, lang: str) -> str:
    """A complete, self-contained HTML document."""
    return (f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{esc(title)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


def figure_section(key: str, heading: str, figs: list[tuple[Any, ...]], lang: str, fmt: str,
                   before: str = "") -> str:
    """A section ``<h2 id=key>`` of figures, each with its « how to read » box (``before``: text under the heading).

    ``figs``: ``(figure, alt text, how to read)`` tuples, with a maximum height as a fourth item.
    """
    parts = []
    for i, (obj, alt, reading, *height) in enumerate(figs):
        head = f'<h2 id="{key}">{esc(heading)}</h2>{before}' if i == 0 else ""
        img = figure_html(obj, alt, fmt=fmt, max_height=height[0] if height else None)
        parts.append(f'<div class="fig">{head}{img}'
                     f'{read_box(t("report_how_to_read", lang), reading)}</div>')
    return "".join(parts)
