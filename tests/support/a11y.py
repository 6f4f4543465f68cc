"""Accessibility checks run in Chromium by the dashboard tests (issue 23).

:func:`check_page` runs, on the page as a person sees it:

* our own checks (always): ``<html lang>`` set to the page's language; every image has a
  text alternative; every visible control (button, input, select, slider handle, tab) is at
  least 44 x 44 CSS px (WCAG 2.5.5), or is a text input at least 44 px high; the text of every
  visible element with its own text has a contrast of at least 4.5:1 against its background
  (WCAG 1.4.3; the background is the first opaque ancestor's, large text allowed 3:1);
* axe-core (``tests/support/node_modules/axe-core/axe.min.js``, installed from npm by
  ``tests/run_tests.sh``, or ``COOPEVAL_AXE``), when present: the rules tagged WCAG 2 A/AA,
  serious and critical violations reported.

It returns the problems found (an empty list when the page passes).
"""

from __future__ import annotations

import os
from pathlib import Path

AXE = Path(os.environ.get("COOPEVAL_AXE") or Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js")

_OWN = r"""
([lang, scope]) => {
  const out = [];
  const root = scope ? document.querySelector(scope) : document.body;
  if (document.documentElement.lang !== lang) out.push(`html lang is "${document.documentElement.lang}", not ${lang}`);
  const visible = e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
    return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none' && s.opacity !== '0'; };
  for (const img of root.querySelectorAll('img')) {
    if (visible(img) && !(img.getAttribute('alt') || '').trim()) out.push(`image without text alternative: ${img.className}`);
  }
  const targets = root.querySelectorAll('button, select, input:not([type=hidden]), textarea, .noUi-handle, [role=tab], a.ce-csv-download, a.ce-sheet-download');
  for (const e of targets) {
    if (!visible(e)) continue;
    const r = e.getBoundingClientRect();
    if (r.height < 43.5 || (r.width < 43.5 && !['INPUT', 'TEXTAREA', 'SELECT'].includes(e.tagName) && !e.matches('a')))
      out.push(`target ${e.tagName.toLowerCase()}.${[...e.classList].join('.')} "${(e.innerText||e.value||'').trim().slice(0,30)}" is ${Math.round(r.width)}x${Math.round(r.height)} px`);
  }
  const rgb = c => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null;
    const p = m[1].split(',').map(Number); return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const bg = e => { for (let x = e; x; x = x.parentElement) { const c = rgb(getComputedStyle(x).backgroundColor);
    if (c && c.a > 0.9) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const seen = new Set();
  for (const e of root.querySelectorAll('*')) {
    if (!visible(e) || e.closest('svg') || e.closest('[aria-hidden=true]')) continue;
    const own = [...e.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
    if (!own || e.disabled || e.closest('[disabled]')) continue;
    const s = getComputedStyle(e); const fg = rgb(s.color); if (!fg) continue;
    const b = bg(e); const l1 = lum(fg), l2 = lum(b);
    const ratio = (Math.max(l1, l2) + 0.05) / (Math.min(l1, l2) + 0.05);
    const size = parseFloat(s.fontSize), bold = Number(s.fontWeight) >= 700;
    const need = (size >= 24 || (bold && size >= 18.66)) ? 3 : 4.5;
    if (ratio < need - 0.01) { const key = `${s.color} on ${JSON.stringify(b)}`;
      if (!seen.has(key)) { seen.add(key);
        out.push(`contrast ${ratio.toFixed(2)}:1 < ${need} for "${e.textContent.trim().slice(0, 40)}" (${key})`); } }
  }
  return out;
}
"""


def check_page(page, lang: str = "fr", *, scope: str | None = None, axe: bool = True) -> list[str]:
    """Problems of ``page`` (a Playwright page): our checks, then axe-core's when installed.

    ``scope`` limits the checks to one element (a CSS selector), e.g. coopeval's part of a Voilà page.
    """
    problems = list(page.evaluate(_OWN, [lang, scope]))
    if axe and AXE.exists():
        page.add_script_tag(path=str(AXE))
        ctx = scope or "document"
        found = page.evaluate(
            "async ([ctx]) => { const r = await axe.run(ctx === 'document' ? document : document.querySelector(ctx),"
            " {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa']}, resultTypes: ['violations']});"
            " return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))"
            ".map(v => `axe ${v.id}: ${v.help} (${v.nodes.length}× e.g. ${v.nodes[0].target.join(' ')})`); }", [ctx])
        problems += found
    return problems
