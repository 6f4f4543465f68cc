"""The style of the participant page, and its percentages."""

from __future__ import annotations

import numpy as np

from coopeval.i18n import fmt

#: Mobile-first style of the page (one column, large touch targets, visible focus).
CSS = """
<style>
.ce-part { max-width: 640px; margin: 0 auto; font-size: 16px; }
.ce-part .ce-card { border: 1px solid #d0d7de; border-radius: 8px; padding: 6px 10px; margin: 6px 0;
  width: 100%; box-sizing: border-box; }
.ce-part .ce-card p { margin: 2px 0; line-height: 1.3; }
.ce-part .ce-dim-desc { color: #444; font-size: 14px; }
.ce-part .ce-row { width: 100%; align-items: center; }
.ce-part .widget-slider { flex: 1 1 auto; min-width: 120px; }
.ce-part .ce-sr .widget-label { position: absolute !important; width: 1px; height: 1px; overflow: hidden;
  clip: rect(0 0 0 0); white-space: nowrap; }
.ce-part .ce-total { font-size: 18px; font-weight: 600; position: sticky; bottom: 0; z-index: 5;
  background: #fff; border-top: 1px solid #d0d7de; padding: 4px 0; }
.ce-part .ce-weight-value { white-space: nowrap; text-align: right; }
.ce-part h2 { font-size: 22px; margin: 8px 0; } .ce-part p { line-height: 1.35; }
.ce-part .ce-total .ok { color: #116329; } .ce-part .ce-total .ko { color: #8a4500; }
.ce-part .ce-submit button, .ce-part button.ce-submit { min-height: 48px; font-size: 17px; width: 100%; }
.ce-part .ce-msg { padding: 10px 12px; border-radius: 8px; margin: 8px 0; font-size: 16px; }
.ce-part .ce-msg-ok { background: #dafbe1; border: 1px solid #1a7f37; }
.ce-part .ce-msg-ko { background: #fff1e5; border: 1px solid #8a4500; }
.ce-part .ce-bars { width: 100%; border-collapse: collapse; font-size: 15px; }
.ce-part .ce-bars td { padding: 3px 4px; vertical-align: middle; }
.ce-part .ce-bar { background: #e8eef4; height: 14px; position: relative; border-radius: 3px; min-width: 90px; }
.ce-part .ce-bar > span { position: absolute; top: 0; bottom: 0; left: 0; background: #2f6fad; border-radius: 3px; }
.ce-part .ce-band { position: absolute; top: 0; bottom: 0; background: #9fbfdf; }
.ce-part .ce-median { position: absolute; top: -2px; bottom: -2px; width: 2px; background: #1b3b5a; }
.ce-part .ce-own { position: absolute; top: 1px; width: 12px; height: 12px; margin-left: -6px;
  border-radius: 50%; background: #d1242f; }
.ce-part textarea { font-size: 16px; font-family: inherit; }
.ce-part .ce-fb { margin: 4px 0 2px; } .ce-part .ce-fb .ce-bar { margin: 6px 0 2px; }
.ce-part select, .ce-part input, .ce-part textarea { font-size: 16px !important; min-height: 44px; }
.ce-part .widget-dropdown, .ce-part .widget-text, .ce-part .widget-inline-hbox { height: auto; min-height: 44px; }
.ce-part .widget-hslider { min-height: 44px; align-items: center; }
.ce-part .noUi-target { margin: 0 22px; }
.ce-part .noUi-horizontal .noUi-handle { width: 44px !important; height: 44px !important; top: -17px !important;
  right: -22px !important; border-radius: 50% !important; }
.ce-part .ce-next-round, .ce-part .ce-continue { font-weight: 600; }
.ce-part .jupyter-button.mod-primary { background-color: #0b5cad; color: #fff; }
.ce-part .jupyter-button.mod-primary:disabled { background-color: #57606a; color: #fff; opacity: 1; }
.ce-part .ce-swing-levels { margin: 2px 0 4px; padding-left: 18px; font-size: 14px; color: #333; }
.ce-part .ce-swing-levels li { margin: 1px 0; } .ce-part details summary { font-size: 14px; color: #2f6fad; }
</style>
"""


def _pct(x: float, lang: str) -> str:
    return "–" if x is None or not np.isfinite(x) else f"{fmt(100 * x, lang, digits=0)}\u00a0%"
