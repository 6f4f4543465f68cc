"""What every tab of the restitution dashboard shares: its style, a figure as an image with a
text alternative, a table, a college's name."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from coopeval.i18n import t

#: Styles of the dashboard: tab titles never cut (they wrap onto a second row on a phone rather
#: than hide), controls that wrap (a dropdown's list goes under its label when both do not fit),
#: 44 px tap targets, figures as wide as the screen (drawn for a phone on a phone), text that wraps
#: at the screen's width, the report's tables as cards and other tables wider than a phone
#: scrolled in place (nothing wider than the screen, nothing clipped).
_CSS = """<style>
.ce-app { max-width: 1200px; }
.ce-app .lm-TabBar-tab, .ce-app .p-TabBar-tab { flex: 0 0 auto !important; min-width: 0 !important;
  max-width: none !important; height: 44px !important; min-height: 44px !important; max-height: none !important;
  line-height: 44px !important; font-size: 15px; color: #1f2328 !important; }
.ce-app .lm-TabBar-content, .ce-app .p-TabBar-content { flex-wrap: wrap !important; }
.ce-app .lm-TabBar, .ce-app .p-TabBar { min-height: 44px; height: auto !important; overflow: visible !important; }
.ce-app .ce-controls { flex-flow: row wrap; align-items: center; gap: 4px 12px; }
.ce-app select, .ce-app input, .ce-app button, .ce-app .jupyter-button { min-height: 44px; font-size: 16px; }
.ce-app .widget-dropdown, .ce-app .widget-toggle-buttons { height: auto; min-height: 44px; }
.ce-app .widget-toggle-button { min-width: 56px; }
.ce-app .widget-hslider { height: auto; min-height: 44px; flex-wrap: wrap; max-width: 100%; }
.ce-app .noUi-target { margin: 0 22px; }
.ce-app .noUi-horizontal .noUi-handle { width: 44px !important; height: 44px !important; top: -17px !important;
  right: -22px !important; border-radius: 50% !important; }
.ce-app .ce-fig { max-width: 100%; height: auto; display: block; }
.ce-app figure { margin: 0.5em 0; }
.ce-app .widget-html-content { min-width: 0; max-width: 100%; }
.ce-app .ce-figs { display: flex; flex-wrap: wrap; gap: 8px; }
.ce-app .ce-figs > div { flex: 1 1 360px; min-width: 0; max-width: 560px; }
.ce-table { border-collapse: collapse; margin: 0.5em 0; font-size: 0.95em; }
.ce-table th, .ce-table td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.ce-table tr.ce-mine td { font-weight: bold; }
.ce-decisions-wrap { overflow-x: auto; max-width: calc(100vw - 80px); }
.ce-decisions-wrap table { min-width: 960px; }
.ce-evidence blockquote { margin: 0.3em 0 0.6em 1em; border-left: 3px solid #CCBB44; padding: 0.1em 0.6em;
  font-style: italic; }
.ce-evidence .read { background: #F4F6F8; border-left: 4px solid #4477AA; padding: 0.3em 0.6em; }
.ce-evidence .read strong { display: block; }
.ce-evidence img { max-width: 100%; }
.ce-socio-economic img { max-width: 100%; height: auto; }
.ce-socio-economic .read { background: #F4F6F8; border-left: 4px solid #4477AA; padding: 0.3em 0.6em; }
.ce-socio-economic .read strong { display: block; }
.ce-socio-economic table { border-collapse: collapse; margin: 0.5em 0; }
.ce-socio-economic th, .ce-socio-economic td { padding: 0.25em 0.8em; border-bottom: 1px solid #ddd; text-align: left; }
.ce-socio-economic td.num, .ce-socio-economic th.num { text-align: right; }
.ce-sr-only { position: absolute !important; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0);
  white-space: nowrap; }
@media (max-width: 600px) {
  .ce-app .widget-hslider .widget-label { width: 100% !important; max-width: 100% !important; text-align: left; }
  .ce-app .widget-hslider .slider-container { flex: 1 1 auto; }
  .ce-app .widget-dropdown { width: 100% !important; margin-left: 0 !important; margin-right: 0 !important;
    flex-wrap: wrap; }
  .ce-app .widget-dropdown > .widget-label { width: auto !important; }
  .ce-app .widget-dropdown > select { flex: 1 1 180px; min-width: 0; max-width: 100%; }
  .ce-app .widget-html-content table { display: block; overflow-x: auto; max-width: 100%; }
  .ce-app .ce-table { font-size: 14px; }
  .ce-app .ce-table th, .ce-app .ce-table td { padding: 0.25em 0.4em; }
  /* the register of decisions as one card per decision: each cell under its column's name */
  .ce-app .ce-decisions-wrap { max-width: 100%; overflow-x: visible; }
  .ce-app .ce-decisions-wrap table { min-width: 0; display: block; overflow-x: visible; }
  .ce-app .ce-decisions-wrap thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .ce-app .ce-decisions-wrap tbody, .ce-app .ce-decisions-wrap tr { display: block; }
  .ce-app .ce-decisions-wrap tr { border-bottom: 2px solid #ccc; padding: 0.4em 0; }
  .ce-app .ce-decisions-wrap td { display: block; border: 0; padding: 0.1em 0; overflow-wrap: anywhere; }
  .ce-app .ce-decisions-wrap td:empty { display: none; }
  .ce-app .ce-decisions-wrap td::before { content: attr(data-label) " : "; font-weight: bold; }
  /* the report's tables (each cell names its column) as cards too: the stress test, « qui pourrait
     co-financer quoi »… read down the screen, never sideways */
  .ce-app table:has(td[data-label]) { display: block; min-width: 0; overflow-x: visible; }
  .ce-app table:has(td[data-label]) thead { position: absolute; width: 1px; height: 1px; overflow: hidden;
    clip: rect(0 0 0 0); }
  .ce-app table:has(td[data-label]) tbody, .ce-app table:has(td[data-label]) tr { display: block; }
  .ce-app table:has(td[data-label]) tr { border-bottom: 2px solid #ccc; padding: 0.4em 0; }
  .ce-app table:has(td[data-label]) td { display: block; border: 0; padding: 0.1em 0; text-align: left;
    overflow-wrap: anywhere; }
  .ce-app table:has(td[data-label]) td::before { content: attr(data-label) " : "; font-weight: bold; }
  .ce-app .ce-socio-economic, .ce-app .ce-evidence { overflow-wrap: break-word; }
}
</style>"""


def _figure_html(draw: Callable[[], Any], alt: str, css: str) -> str:
    """A figure as an ``<img>`` with a text alternative (``alt``), as wide as the screen allows:
    ``draw`` (a function drawing it) is called for a desktop and again for a phone, whose screen
    is shown the phone's drawing (:func:`coopeval.report.html.picture_html`)."""
    from coopeval.report.html import picture_html

    return picture_html(draw, alt, dpi=110, attrs=f" class='ce-fig {css}' role='img'")


def _table(df: pd.DataFrame, css: str) -> str:
    return df.to_html(index=False, classes=f"ce-table {css}", border=0, na_rep="–", escape=True)


def _college_label(college: str, lang: str) -> str:
    from coopeval.i18n import labels

    key = f"college_{college}"
    return t(key, lang) if key in labels() else str(college)
