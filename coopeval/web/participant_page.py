"""The light participant page: the same form as ``participation.ipynb``, as plain HTML, without a kernel.

A kernel per phone costs about 170 MiB and several seconds of CPU (see ``benchmarks/README.md``):
100 phones would need some 17 GiB. This page is rendered by the Voilà server process itself
(:mod:`coopeval.web.app`) from the same package functions and validation as the notebook page —
:func:`~coopeval.store.participant_access.check_access`, :func:`~coopeval.store.participant_access.previous_answers`,
:func:`~coopeval.store.participant_access.own_feedback`, :func:`~coopeval.weighting.elicitation.is_complete`,
:func:`~coopeval.store.participant_access.submit_answers` — so that a phone costs a few kilobytes.

* :func:`render_form` — the page for a token (the form, or the refusal);
* :func:`handle_submit` — a posted form: parsed, checked, stored once, the confirmation page.

Both return a complete HTML document (French by default, ``lang="en"`` in English). The page
has the CSS classes of the notebook page (``ce-points-<node>``, ``ce-rank-<node>``,
``button.ce-submit``, ``.ce-stored``, ``.ce-refused``), 44 px targets, labels for every field,
and refreshes itself every :data:`WAIT_REFRESH_S` seconds while it waits for a round.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import cast

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.i18n.deliberation import msg, saaty_choices
from coopeval.i18n.participation_text import TEXT  # the same sentences as the notebook page
from coopeval.store.participant_access import (
    Access,
    check_access,
    own_feedback,
    previous_answers,
    submit_answers,
)
from coopeval.web.shown_weights import shown_weights
from coopeval.web.style import PAGE_CSS as _CSS
from coopeval.weighting.elicitation import (
    DIRECT_SCALE,
    POINTS_TOTAL,
    SWING_TOP,
    is_complete,
    pairs,
)

__all__ = ["render_form", "handle_submit", "parse_form", "WAIT_REFRESH_S"]

#: While a page waits (no open round, answer sent), it reloads itself this often (seconds).
WAIT_REFRESH_S = 15

_SCRIPT = """
(function(){var f=document.querySelector('form.ce-form');if(!f)return;var m=f.dataset.method,b=f.querySelector('button.ce-submit'),
out=document.querySelector('.ce-total-text');function chk(){var els=[].slice.call(f.querySelectorAll('[data-answer]'));
var v=els.map(function(e){return e.value===''?null:Number(e.value)});var all=v.every(function(x){return x!==null&&!isNaN(x)});
var ok=all;if(m==='points'){var s=v.reduce(function(a,x){return a+(x||0)},0);ok=all&&s===100;
if(out)out.textContent=f.dataset.totalLabel.replace('{total}',s);}
if(m==='swing'){ok=all&&Math.max.apply(null,v)===100;}
if(m!=='points'&&out){var left=v.filter(function(x){return x===null||isNaN(x)}).length;
out.textContent=left?f.dataset.leftLabel.replace('{n}',left):f.dataset.doneLabel;}
b.disabled=!ok;}f.addEventListener('input',chk);f.addEventListener('change',chk);chk();})();
"""

_T = {
    "missing_left": ("Encore {n} réponse(s) à donner.", "{n} answer(s) left."),
    "all_done": ("Toutes les réponses sont données.", "Every answer is given."),
    "total": ("Total : {total} / 100", "Total: {total} / 100"),
    "waiting": ("Cette page se met à jour toute seule.", "This page updates itself."),
    "your_weights": ("Vos poids", "Your weights"),
}


def _x(key: str, lang: str, **values: object) -> str:
    fr, en = _T.get(key) or TEXT[key]
    text = en if lang == "en" else fr
    return text.format(**values) if values else text


def _doc(body: str, lang: str, *, refresh: bool = False, title: str = "") -> str:
    meta = f"<meta http-equiv='refresh' content='{WAIT_REFRESH_S}'>" if refresh else ""
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'fr'}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>{meta}"
            f"<title>{html.escape(title or _x('weighting', lang))} — coopeval</title><style>{_CSS}</style></head>"
            f"<body><main class='ce-part'>{body}</main><script>{_SCRIPT}</script></body></html>")


def _refusal(text: str, lang: str, *, wait: bool) -> str:
    note = f"<p class='ce-dim-desc'>{_x('waiting', lang)}</p>" if wait else ""
    return _doc(f"<h1>{_x('weighting', lang)}</h1><div class='ce-msg ce-msg-ko ce-refused' role='alert'>"
                f"{html.escape(text)}</div>{note}", lang, refresh=wait)


def _label(fw, node: str, lang: str) -> str:  # noqa: ANN001
    info = fw.node(node)
    return str(info.get("label_en" if lang == "en" else "label_fr") or info.get("label_fr") or node)


def _feedback_html(fb: pd.DataFrame, node: str, rnd: int | None, lang: str) -> str:
    if fb.empty or node not in set(fb["node"]):
        return ""
    r = fb.set_index("node").loc[node]
    pct = lambda x: f"{fmt(100 * x, lang, digits=0)}\u00a0%"  # noqa: E731
    text = (_x("group", lang, median=pct(r.group_median), q1=pct(r.group_q1), q3=pct(r.group_q3), n=int(r.n))
            if np.isfinite(r.group_median) else _x("too_few", lang, n=int(r.n)))
    if np.isfinite(r.own_weight):
        text += _x("you", lang, own=pct(r.own_weight))
    return f"<p class='ce-fb ce-fb-{html.escape(node)}'>{_x('round_prefix', lang, round=rnd)}{html.escape(text)}</p>"


def _field(method: str, node: str, label: str, value: float | None, k: int, lang: str) -> str:
    nid = f"f-{html.escape(node)}"
    if method in ("points", "direct", "swing"):
        lo, hi = (0, POINTS_TOTAL) if method == "points" else DIRECT_SCALE if method == "direct" else (0, SWING_TOP)
        start = "" if value is None else str(int(value))
        aria = {"points": "points", "direct": "rating", "swing": "swing_points"}[method]
        name = _x(aria, lang, label=label, hi=hi, top=SWING_TOP)
        return (f"<span class='ce-{method}-{html.escape(node)}'><input id='{nid}' name='{html.escape(node)}' "
                f"type='number' inputmode='numeric' min='{lo}' max='{hi}' step='1' value='{start}' class='ce-num' "
                f"aria-label='{html.escape(name, quote=True)}' data-answer></span>")
    n = k if method == "ranking" else k + 1
    extra = "most" if method == "ranking" else "least"
    opts = [f"<option value=''>{_x('choose', lang)}</option>"] + [
        f"<option value='{i}'{' selected' if value is not None and int(value) == i else ''}>"
        f"{i}{_x(extra, lang) if i == 1 else ''}</option>" for i in range(1, n + 1)]
    cls = "rank" if method == "ranking" else "simos"
    name = _x("rank" if method == "ranking" else "position", lang, label=label)
    return (f"<span class='ce-{cls}-{html.escape(node)}'><select id='{nid}' name='{html.escape(node)}' "
            f"aria-label='{html.escape(name, quote=True)}' data-answer>{''.join(opts)}</select></span>")


def _pair_field(key: str, la: str, lb: str, value: float | None, lang: str) -> str:
    a, b = key.split("|")
    scale = saaty_choices(lang)
    chosen = next((v for v, _ in scale if value is not None and abs(v - value) < 1e-6), None)
    opts = [f"<option value=''>{_x('choose', lang)}</option>"] + [
        f"<option value='{v!r}'{' selected' if chosen == v else ''}>{html.escape(t.format(a=la, b=lb))}</option>"
        for v, t in scale]
    q = _x("pair_question", lang, a=html.escape(la), b=html.escape(lb))
    return (f"<div class='ce-card'><label for='f-{html.escape(a)}-{html.escape(b)}'>{q}</label>"
            f"<span class='ce-pair-{html.escape(a)}-{html.escape(b)}'><select id='f-{html.escape(a)}-{html.escape(b)}' "
            f"name='{html.escape(key)}' data-answer>{''.join(opts)}</select></span></div>")


def render_form(project, token: str | None, lang: str = "fr", *, notice: str = "",  # noqa: ANN001
                parent: str = "overall") -> str:
    """The participant's page: the form of the open round (prefilled from the previous round when
    the method is the same, with the group's anonymised feedback), or why it cannot be filled."""
    try:
        access = check_access(project, token) if project is not None else Access("no_project")
    except CoopevalError:
        access = Access("error")
    if access.status == "submitted":  # already answered: say so kindly, and wait for the next round
        return _doc(f"<h1>{_x('weighting', lang)}</h1><div class='ce-msg ce-msg-ok ce-stored ce-status' "
                    f"role='status'>{html.escape(msg('thanks', lang, round=access.round))}</div>"
                    f"<p class='ce-dim-desc'>{_x('waiting', lang)}</p>", lang, refresh=True)
    if not access.ok:
        if access.method == "framework":  # issue 22: a framework round has its own page
            from coopeval.web.framework_page import render_framework
            return render_framework(project, access, lang, notice=notice)
        text = msg("error", lang) if access.status == "error" else access.message(lang)
        return _refusal(text, lang, wait=access.status == "no_round")
    fw = project.framework(access.framework_hash)
    kids, method = fw.children(parent), cast(str, access.method)  # an ok access names its method
    fb = own_feedback(project, access, fw, parent=parent, lang=lang)
    prev = previous_answers(project, access)
    how = _x(f"how_{method}", lang, total=POINTS_TOTAL, lo=DIRECT_SCALE[0], hi=DIRECT_SCALE[1], top=SWING_TOP)
    parts = [f"<div class='ce-msg ce-msg-ok ce-next-round' role='status'>{html.escape(notice)}</div>" if notice else "",
             f"<h1 class='ce-title'>{html.escape(_x('title', lang, round=access.round))}</h1>",
             f"<p class='ce-howto'>{html.escape(how)}</p>"]
    if not fb.empty:
        reasons = sorted({t.strip() for c in fb["reasons"] for t in str(c).split(" | ") if t.strip()})
        said = "".join(f"<li>« {html.escape(t)} »</li>" for t in reasons[:15])
        parts.append(f"<div class='ce-feedback'><h2>{html.escape(_x('feedback_title', lang, round=access.previous_round))}"
                     f"</h2>" + (f"<p><b>{_x('others_said', lang)}</b></p><ul class='ce-reasons'>{said}</ul>" if said
                                 else "") + "</div>")
        if prev:
            parts.append(f"<p class='ce-msg ce-msg-ok ce-continue ce-prefilled'>{html.escape(_x('prefilled', lang))}</p>")
        elif fb["own_weight"].notna().any():
            parts.append(f"<p class='ce-msg ce-msg-ok ce-continue ce-fresh'>{html.escape(_x('fresh', lang))}</p>")
    fields = []
    if method == "ahp":
        for n in kids:
            fields.append(f"<div class='ce-card'><b>{html.escape(_label(fw, n, lang))}</b>"
                          f"{_feedback_html(fb, n, access.previous_round, lang)}</div>")
        fields += [_pair_field(k, _label(fw, k.split('|')[0], lang), _label(fw, k.split('|')[1], lang), prev.get(k),
                               lang) for k in pairs(kids)]
    else:
        for n in kids:
            info = fw.node(n)
            desc = str(info.get("description_en" if lang == "en" else "description_fr") or "")
            fields.append(f"<div class='ce-card'><label for='f-{html.escape(n)}'>{html.escape(_label(fw, n, lang))}"
                          f"</label><p class='ce-dim-desc'>{html.escape(desc)}</p>"
                          f"{_feedback_html(fb, n, access.previous_round, lang)}"
                          f"{_field(method, n, _label(fw, n, lang), prev.get(n), len(kids), lang)}</div>")
    labels = (f"data-total-label='{html.escape(_x('total', lang), quote=True)}' "
              f"data-left-label='{html.escape(_x('missing_left', lang), quote=True)}' "
              f"data-done-label='{html.escape(_x('all_done', lang), quote=True)}'")
    parts.append(
        f"<form method='post' class='ce-form' data-method='{method}' {labels}>{''.join(fields)}"
        f"<p class='ce-total' role='status' aria-live='polite'><span class='ce-total-text'></span></p>"
        f"<label for='f-reason'>{_x('reason', lang)}</label>"
        f"<span class='ce-reason'><textarea id='f-reason' name='__reason' "
        f"placeholder='{html.escape(_x('reason_placeholder', lang), quote=True)}'></textarea></span>"
        f"<button type='submit' class='ce-submit'>{_x('send', lang)}</button></form>")
    return _doc("".join(parts), lang, title=_x("title", lang, round=access.round))


def parse_form(method: str, kids: list[str], form: Mapping[str, str]) -> dict[str, float | None]:
    """The answers of a posted form: ``{node or "a|b": value}`` (None when a field is empty or not a number)."""
    keys = pairs(kids) if method == "ahp" else kids
    out: dict[str, float | None] = {}
    for k in keys:
        raw = str(form.get(k, "") or "").strip().replace(",", ".")
        try:
            out[k] = float(raw) if raw else None
        except ValueError:
            out[k] = None
    return out


def handle_submit(project, token: str | None, form: Mapping[str, str], lang: str = "fr", *,  # noqa: ANN001
                  parent: str = "overall") -> str:
    """A posted form: checked (:func:`is_complete`), stored once (:func:`submit_answers`); the page
    says so at its top (where the person looks after sending) and shows the weights the answer gives."""
    try:
        access = check_access(project, token) if project is not None else Access("no_project")
    except CoopevalError:
        access = Access("error")
    if not access.ok:
        if access.method == "framework":  # issue 22: proposals and votes of a framework round
            from coopeval.web.framework_page import handle_framework
            return handle_framework(project, access, form, lang)
        text = msg("error", lang) if access.status == "error" else access.message(lang)
        return _refusal(text, lang, wait=access.status in ("no_round", "submitted"))
    # an ok access names its method and framework version
    method, framework_hash = cast(str, access.method), cast(str, access.framework_hash)
    fw = project.framework(framework_hash)
    kids = fw.children(parent)
    values = parse_form(method, kids, form)
    if not is_complete(method, values):
        notice = msg("invalid", lang, detail=msg("check_all", lang))
        page = render_form(project, token, lang, parent=parent)
        return page.replace("<main class='ce-part'>", "<main class='ce-part'><div class='ce-msg ce-msg-ko "
                            f"ce-refused' role='alert'>{html.escape(notice)}</div>", 1)
    # the access just checked is passed on (the store checks the token again in its own transaction)
    answers = cast(dict[str, float], values)  # complete: no value is None
    stored, text = submit_answers(project, token, method, answers, reason=form.get("__reason"), lang=lang,
                                  access=access)
    if not stored:
        return _refusal(text, lang, wait=False)
    rows = ""
    try:  # proportional methods: values / total, without a second validation (issue 23)
        w = shown_weights(fw, framework_hash, method, values, parent=parent, lang=lang)
        rows = "".join(f"<tr class='ce-weight-{html.escape(node)}'><td>{html.escape(label)}</td>"
                       f"<td class='ce-weight-value'>{fmt(100 * weight, lang, digits=0)}\u00a0%</td></tr>"
                       for node, label, weight in w)
    except CoopevalError:
        pass
    body = (f"<h1>{_x('weighting', lang)}</h1><div class='ce-msg ce-msg-ok ce-stored ce-status' role='alert'>"
            f"{html.escape(text)}</div>"
            + (f"<h2>{_x('your_weights', lang)}</h2><table class='ce-bars'>{rows}</table>" if rows else "")
            + f"<p class='ce-dim-desc'>{_x('waiting', lang)}</p>")
    return _doc(body, lang, refresh=True)
