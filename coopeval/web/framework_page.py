"""Issue 22: the framework round from a phone — the light participant page in its framework-round mode.

When the open round of a participant's session is a framework round
(:meth:`coopeval.Project.open_framework_round`), the personal link opens this page instead of
a weighting form (:mod:`coopeval.web.participant_page` hands over to it). Two phases, read from
the store:

* **proposals** — no proposal of an earlier round of the session exists: the participant sees
  the current framework in plain words (dimensions, criteria, indicators with their unit,
  direction, goalposts and their source, and the references of the project's earlier waves,
  :meth:`coopeval.Project.goalpost_references`), and for each criterion or indicator may
  propose to keep, remove, rename, reword it, change its goalposts or set a target; or propose a
  new element (what it measures, why it matters). Each proposal goes through
  :meth:`coopeval.Project.propose` (anonymous: no participant id is kept); a proposal already on
  the table is not repeated.
* **vote** — the facilitator "opens the vote" by closing the proposals round and opening the next
  round as a framework round: the page lists the group's proposals (anonymous) and the participant
  votes for, against or abstains on each (:meth:`coopeval.Project.vote`, which replaces an earlier
  vote), counted by college.

* :func:`render_framework` — the page of a token whose open round is a framework round;
* :func:`handle_framework` — a posted proposal or vote, stored, and the page again with its message;
* :func:`phase` — ``"propose"`` or ``"vote"``;
* :func:`describe` — one proposal in plain words (also used by the facilitator panel).

Every sentence comes from :mod:`coopeval.i18n.framework_text` (French; English with ``?lang=en``).

Example
-------
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> describe({"op": "rename", "target": "lien_social", "text": "Les liens entre nous"}, fw).replace(chr(160), " ")
'Renommer « Lien social et appartenance » en « Les liens entre nous »'
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping

import pandas as pd

from coopeval.data._excel_text import measure
from coopeval.errors import CoopevalError
from coopeval.i18n import fmt
from coopeval.i18n.framework_text import _t
from coopeval.scoring.normalise import goalpost_score
from coopeval.store.participant_access import Access
from coopeval.web.style import PAGE_CSS as _CSS

__all__ = ["render_framework", "handle_framework", "phase", "describe", "PROPOSABLE_OPS"]

#: What a participant may propose on an existing criterion or indicator (goalposts and targets: indicators only).
PROPOSABLE_OPS = ("keep", "remove", "rename", "reword", "goalpost", "target")

_MORE_CSS = """
fieldset{border:0;padding:0;margin:6px 0} legend{font-weight:600;padding:0;margin:4px 0}
label.ce-choice{display:flex;align-items:center;gap:10px;min-height:44px;font-weight:400;cursor:pointer}
label.ce-choice input{width:24px;min-height:44px;height:44px;margin:0;flex:none}
details.ce-node{border:1px solid #8c959f;border-radius:8px;margin:6px 0;padding:0 10px}
details.ce-node>summary{min-height:44px;display:flex;align-items:center;gap:8px;cursor:pointer;font-weight:600;
list-style:none} details.ce-node>summary::-webkit-details-marker{display:none}
details.ce-node>summary::before{content:"▸";color:#0b5cad;flex:none} details[open].ce-node>summary::before{content:"▾"}
details.ce-node.ce-ind{margin-left:14px} .ce-vote legend{float:left;width:100%;margin:0 0 6px}
.ce-vote legend+*{clear:both}
@supports selector(:has(a)){.ce-f-text,.ce-f-goalpost,.ce-f-target{display:none}
form:has(input[value=rename]:checked) .ce-f-text,form:has(input[value=reword]:checked) .ce-f-text,
form:has(input[value=goalpost]:checked) .ce-f-goalpost,form:has(input[value=target]:checked) .ce-f-target{display:block}}
.ce-tag{font-size:13px;font-weight:400;color:#3d4650;border:1px solid #8c959f;border-radius:10px;padding:0 6px;
white-space:nowrap} .ce-field{margin:6px 0} .ce-field label{font-weight:600;display:block}
.ce-refs{font-size:15px;color:#3d4650;margin:4px 0;padding-left:18px} section.ce-dim{margin:14px 0}
a.ce-reload{display:inline-block;min-height:44px;line-height:44px;color:#0b5cad;font-weight:600}
.ce-vote{border:1px solid #8c959f;border-radius:8px;padding:8px 10px;margin:8px 0}
.ce-vote .ce-choices{display:flex;flex-wrap:wrap;gap:4px 16px} .ce-said{font-size:15px;color:#3d4650;margin:2px 0}
"""


def _doc(body: str, lang: str, title: str) -> str:
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'fr'}'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'>"
            f"<title>{html.escape(title)} — coopeval</title><style>{_CSS}{_MORE_CSS}</style></head>"
            f"<body><main class='ce-part ce-framework-round'>{body}</main></body></html>")


def _e(x: object) -> str:
    return html.escape(str(x), quote=True)


def _num(x: object, lang: str) -> str:
    try:
        v = float(x)  # type: ignore[arg-type]  # anything; what is not a number prints « – »
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    digits = next((d for d in (0, 1, 2) if abs(v - round(v, d)) < 1e-9), 2)
    return fmt(v, lang, digits=digits)


def _label(fw, node: object, lang: str) -> str:  # noqa: ANN001
    return fw.label(node, lang) if isinstance(node, str) and node in fw else str(node or "")


def describe(proposal: Mapping, fw, lang: str = "fr") -> str:  # noqa: ANN001
    """One proposal (a row of :meth:`coopeval.Project.proposals`) in plain words.

    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> d = describe({"op": "goalpost", "target": "ecart_salaires", "value": {"lower": 1, "upper": 8}}, fw)
    >>> d.replace(chr(160), " ")
    'Bornes de « Écart entre le salaire le plus haut et le plus bas » : de 1 à 8'
    >>> d = describe({"op": "goalpost", "target": "participants_actifs", "value": {"lower": 0.8, "upper": 1.5}}, fw)
    >>> d.replace(chr(160), " ")  # a goalpost relative to the first wave: a multiple of it
    'Bornes de « Personnes participant activement aux activités » : de ×0,8 à ×1,5'
    """
    op = str(proposal.get("op"))
    raw = proposal.get("value")
    value: dict = raw if isinstance(raw, dict) else {}
    target = proposal.get("parent") if op == "add" else proposal.get("target")
    node = _label(fw, target, lang)
    x = "×" if op == "goalpost" and isinstance(target, str) and target in _ratio_indicators(fw) else ""
    return _t(f"d_{op}", lang, node=node, text=proposal.get("text") or "", lower=x + _num(value.get("lower"), lang),
              upper=x + _num(value.get("upper"), lang), target=_num(value.get("target"), lang))


def _ratio_indicators(fw) -> set[str]:  # noqa: ANN001
    """Indicators whose goalposts are multiples of the cooperation's first wave."""
    rel = fw.relative_goalposts
    return set(rel.loc[(rel["relative_to"] == "baseline") & (rel["change"] == "ratio"), "indicator"])


def phase(project, access: Access) -> str:  # noqa: ANN001
    """``"vote"`` when the session holds proposals of an earlier round (the facilitator opened the
    vote by opening a new framework round), else ``"propose"``."""
    props = project.proposals(access.session)
    return "vote" if (props["round"].astype(int) < int(access.round or 0)).any() else "propose"


# ---------------------------------------------------------------------- proposals phase
#: References already written, by project, framework version, language and state of the imports.
_REFS: dict[tuple, dict[str, list[str]]] = {}


def _references(project, fw, lang: str) -> dict[str, list[str]]:  # noqa: ANN001
    """Per indicator, the lines of references (the project's earlier waves), read as the collective does
    (:meth:`Project.goalpost_references`); kept until an import or a unit changes them (observations enter
    the store only by imports), so that a phone's page does not read every observation again."""
    try:
        imports, units = project.imports(), project.units()
    except CoopevalError:
        return {}
    key = (str(getattr(project, "path", None) or id(project)), fw.hash, lang, len(imports),
           int(imports["id"].max()) if len(imports) else 0, tuple(units["unit"]))
    if key not in _REFS:
        if len(_REFS) > 64:
            _REFS.clear()
        _REFS[key] = _reference_lines(project, fw, lang, units["unit"].iloc[0] if len(units) == 1 else None)
    return _REFS[key]


def _reference_lines(project, fw, lang: str, unit: str | None) -> dict[str, list[str]]:  # noqa: ANN001
    try:
        ref = project.as_role("collective").goalpost_references(unit=unit, framework=fw.hash)
    except CoopevalError:
        return {}
    out: dict[str, list[str]] = {}
    ratio = _ratio_indicators(fw)
    for r in ref.sort_values(["indicator", "wave"]).itertuples():
        own = getattr(r, "own", float("nan"))
        x = "×" if r.indicator in ratio else ""  # the references of a ratio goalpost are ratios too
        if x and (own == 1 if unit is not None and pd.notna(own) else r.min == r.max == 1):
            continue  # the first wave itself (×1 by construction) tells nothing
        line = (_t("ref_own", lang, wave=r.wave, own=x + _num(own, lang)) if unit is not None and pd.notna(own) else
                _t("ref_range", lang, wave=r.wave, median=x + _num(r.median, lang), min=x + _num(r.min, lang),
                   max=x + _num(r.max, lang), n=int(r.n_units)))
        out.setdefault(r.indicator, []).append(line)
    return out


def _bounds(info: Mapping, rel: Mapping, lang: str) -> str:
    """The goalposts in words: absolute, per a reference variable, or against the first wave (issue 22)."""
    lo, hi = float(info["lower"]), float(info["upper"])
    if rel.get("relative_to") == "baseline" and (rel.get("change") or "ratio") == "ratio":
        target = info.get("target")
        stable = round(goalpost_score(1.0, lower=lo, upper=hi, direction=str(info.get("direction") or "increase"),
                                      target=None if target is None or pd.isna(target) else float(target),
                                      transform=info.get("transform") or None))
        return _t("bounds_ratio", lang, lower=_num(lo, lang), upper=_num(hi, lang), stable=stable)
    if rel.get("relative_to") == "baseline":
        return _t("bounds_difference", lang, lower=_num(lo, lang), upper=_num(hi, lang))
    if rel.get("per"):
        return _t("bounds_per", lang, per=str(rel["per"]), lower=_num(lo, lang), upper=_num(hi, lang))
    return _t("bounds", lang, lower=_num(lo, lang), upper=_num(hi, lang))


def _what(fw, node: str, lang: str, refs: dict[str, list[str]]) -> str:  # noqa: ANN001
    info = fw.node(node)
    desc = str(info.get(f"description_{lang}") or info.get("description_fr") or "")
    lines = [desc] if desc else []
    if "kind" in info:
        lines.append(_t("measured_in", lang, unit=measure(info.get("unit", ""), lang)))  # units are French in YAML
        if info.get("direction") in ("increase", "decrease", "target"):
            lines.append(_t(f"dir_{info['direction']}", lang))
        rel = info.get("goalposts") or {}
        if info.get("lower") is not None and info.get("upper") is not None:
            lines.append(_bounds(info, rel, lang))
        if info.get("target") is not None:
            lines.append(_t("target_now", lang, target=_num(info["target"], lang)))
        src = info.get("goalpost_source")
        lines.append(_t("bound_source", lang, source=src) if src else
                     _t("rule_relative", lang) if rel.get("relative_to") else _t("no_source", lang))
    text = "".join(f"<p class='ce-dim-desc'>{_e(x)}</p>" for x in lines)
    if refs.get(node):
        text += (f"<p class='ce-dim-desc'><b>{_e(_t('refs_title', lang))}</b></p><ul class='ce-refs'>"
                 + "".join(f"<li>{_e(x)}</li>" for x in refs[node][-3:]) + "</ul>")
    return text


def _node_form(fw, node: str, lang: str, refs: dict[str, list[str]]) -> str:  # noqa: ANN001
    indicator = "kind" in fw.node(node)
    ops = PROPOSABLE_OPS if indicator else PROPOSABLE_OPS[:4]
    n = _e(node)
    radios = "".join(f"<label class='ce-choice'><input type='radio' name='op' value='{op}'"
                     f"{' checked' if op == 'keep' else ''}> {_e(_t(f'op_{op}', lang))}</label>" for op in ops)
    field = lambda key, label, shown, kind="text": (  # noqa: E731 - shown only for its choice (CSS :has)
        f"<div class='ce-field ce-f-{shown}'><label for='{key}-{n}'>{_e(label)}</label><input id='{key}-{n}' "
        f"name='{key}' " + ("type='text' inputmode='decimal' class='ce-num'" if kind == "num" else "type='text'")
        + "></div>")
    ratio = indicator and (fw.node(node).get("goalposts") or {}).get("relative_to") == "baseline" and (
        (fw.node(node).get("goalposts") or {}).get("change") or "ratio") == "ratio"
    low, high = ("lower_ratio", "upper_ratio") if ratio else ("lower", "upper")  # a ratio goalpost: say so
    numbers = (field("lower", _t(low, lang), "goalpost", "num") + field("upper", _t(high, lang), "goalpost", "num")
               + field("target", _t("target", lang), "target", "num")) if indicator else ""
    kind = _t("kind_indicator" if indicator else "kind_criterion", lang)
    return (f"<details class='ce-node ce-{'ind' if indicator else 'crit'} ce-node-{n}'><summary>"
            f"<span>{_e(fw.label(node, lang))}</span> <span class='ce-tag'>{_e(kind)}</span></summary>"
            f"{_what(fw, node, lang, refs)}<form method='post' class='ce-propose'>"
            f"<input type='hidden' name='__action' value='propose'><input type='hidden' name='node' value='{n}'>"
            f"<fieldset><legend>{_e(_t('your_proposal', lang))}</legend>{radios}</fieldset>"
            f"{field('text', _t('new_text', lang), 'text')}{numbers}"
            f"<div class='ce-field'><label for='why-{n}'>{_e(_t('why', lang))}</label>"
            f"<textarea id='why-{n}' name='why'></textarea></div>"
            f"<button type='submit' class='ce-submit'>{_e(_t('send_one', lang))}</button></form></details>")


def _add_form(fw, lang: str) -> str:  # noqa: ANN001
    opts = []  # a new element is an indicator of a criterion (criteria grouped by dimension)
    for d in fw.children("overall"):
        crits = [f"<option value='{_e(c)}'>{_e(fw.label(c, lang))}</option>" for c in fw.children(d)
                 if "kind" not in fw.node(c)]
        if crits:
            opts.append(f"<optgroup label='{_e(fw.label(d, lang))}'>{''.join(crits)}</optgroup>")
    return (f"<h2>{_e(_t('h_add', lang))}</h2><form method='post' class='ce-card ce-add'>"
            f"<input type='hidden' name='__action' value='add'>"
            f"<div class='ce-field'><label for='add-parent'>{_e(_t('add_where', lang))}</label>"
            f"<select id='add-parent' name='parent'>{''.join(opts)}</select></div>"
            f"<div class='ce-field'><label for='add-name'>{_e(_t('add_name', lang))}</label>"
            f"<input id='add-name' name='text' type='text'></div>"
            f"<div class='ce-field'><label for='add-measures'>{_e(_t('add_measures', lang))}</label>"
            f"<textarea id='add-measures' name='measures'></textarea></div>"
            f"<div class='ce-field'><label for='add-why'>{_e(_t('add_why', lang))}</label>"
            f"<textarea id='add-why' name='why'></textarea></div>"
            f"<button type='submit' class='ce-submit ce-add-submit'>{_e(_t('send_add', lang))}</button></form>")


def _group(props: pd.DataFrame, fw, lang: str) -> str:  # noqa: ANN001
    items = "".join(f"<li>{_e(describe(r, fw, lang))}</li>" for r in props.to_dict("records"))
    return (f"<h2>{_e(_t('h_group', lang))}</h2>"
            + (f"<ul class='ce-group-proposals'>{items}</ul>" if items else f"<p>{_e(_t('no_group', lang))}</p>"))


def _message(notice: str, error: str) -> str:
    if error:
        return f"<div class='ce-msg ce-msg-ko ce-refused' role='alert'>{_e(error)}</div>"
    return f"<div class='ce-msg ce-msg-ok ce-stored' role='status'>{_e(notice)}</div>" if notice else ""


def _propose_page(project, access: Access, fw, lang: str, notice: str, error: str) -> str:  # noqa: ANN001
    refs = _references(project, fw, lang)
    parts = [_message(notice, error), f"<h1 class='ce-title'>{_e(_t('title', lang, round=access.round))}</h1>",
             f"<p class='ce-howto'>{_e(_t('howto', lang))}</p>"]
    for d in fw.children("overall"):
        desc = str(fw.node(d).get(f"description_{lang}") or "")
        nodes = []
        for c in fw.children(d):
            nodes.append(_node_form(fw, c, lang, refs))
            nodes += [_node_form(fw, i, lang, refs) for i in fw.children(c)]
        parts.append(f"<section class='ce-dim ce-dim-{_e(d)}'><h2>{_e(fw.label(d, lang))}</h2>"
                     f"<p class='ce-dim-desc'>{_e(desc)}</p>{''.join(nodes)}</section>")
    parts += [_add_form(fw, lang), _group(project.proposals(access.session), fw, lang),
              f"<p><a class='ce-reload' href=''>{_e(_t('reload', lang))}</a></p>"]
    return _doc("".join(parts), lang, _t("title", lang, round=access.round))


# ---------------------------------------------------------------------- vote phase
def _vote_page(project, access: Access, fw, lang: str, notice: str, error: str) -> str:  # noqa: ANN001
    props = project.proposals(access.session)
    props = props[props["round"].astype(int) < int(access.round or 0)]
    cards = []
    for r in props.to_dict("records"):
        pid = int(r["id"])
        said = ""
        if r.get("measures"):
            said += f"<p class='ce-said'>{_e(_t('measures_given', lang, measures=r['measures']))}</p>"
        if r.get("why"):
            said += f"<p class='ce-said'>{_e(_t('why_given', lang, why=r['why']))}</p>"
        choices = "".join(f"<label class='ce-choice'><input type='radio' name='v-{pid}' value='{v}'> "
                          f"{_e(_t(f'v_{v}', lang))}</label>" for v in ("for", "against", "abstain"))
        cards.append(f"<fieldset class='ce-vote ce-vote-{pid}'><legend>{_e(describe(r, fw, lang))}</legend>{said}"
                     f"<div class='ce-choices'>{choices}</div></fieldset>")
    body = (f"<form method='post' class='ce-votes'><input type='hidden' name='__action' value='vote'>{''.join(cards)}"
            f"<button type='submit' class='ce-submit ce-send-votes'>{_e(_t('send_votes', lang))}</button></form>"
            if cards else f"<p>{_e(_t('no_proposal_to_vote', lang))}</p>")
    parts = [_message(notice, error), f"<h1 class='ce-title'>{_e(_t('vote_title', lang, round=access.round))}</h1>",
             f"<p class='ce-howto'>{_e(_t('vote_howto', lang))}</p>", body,
             f"<p><a class='ce-reload' href=''>{_e(_t('reload', lang))}</a></p>"]
    return _doc("".join(parts), lang, _t("vote_title", lang, round=access.round))


def render_framework(project, access: Access, lang: str = "fr", *, notice: str = "",  # noqa: ANN001
                     error: str = "") -> str:
    """The page of a participant whose session has a framework round open (proposals or vote)."""
    fw = project.framework(access.framework_hash)
    page = _vote_page if phase(project, access) == "vote" else _propose_page
    return page(project, access, fw, lang, notice, error)


# ---------------------------------------------------------------------- posted forms
def _number(raw: object) -> float | None:
    text = str(raw or "").strip().replace("\u202f", "").replace(" ", "").replace(",", ".")
    try:
        v = float(text)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def _proposal(form: Mapping[str, str], lang: str) -> tuple[dict | None, str]:
    """The arguments of :meth:`Project.propose` from a posted form, or the message saying what is missing."""
    g = lambda k: str(form.get(k) or "").strip()  # noqa: E731
    why = g("why") or None
    if g("__action") == "add":
        if not g("text") or not g("measures") or not g("parent"):
            return None, _t("need_add", lang)
        return {"op": "add", "target": None, "parent": g("parent"), "text": g("text"), "measures": g("measures"),
                "why": why}, ""
    op, node = g("op"), g("node")
    if op not in PROPOSABLE_OPS or not node:
        return None, _t("need_choice", lang)
    args: dict = {"op": op, "target": node, "why": why}
    if op in ("rename", "reword"):
        if not g("text"):
            return None, _t("need_text", lang)
        args["text"] = g("text")
    elif op == "goalpost":
        lo, hi = _number(form.get("lower")), _number(form.get("upper"))
        if lo is None or hi is None:
            return None, _t("need_number", lang)
        if lo >= hi:
            return None, _t("bad_bounds", lang)
        args["value"] = {"lower": lo, "upper": hi}
    elif op == "target":
        tg = _number(form.get("target"))
        if tg is None:
            return None, _t("need_number", lang)
        args["value"] = {"target": tg}
    return args, ""


def _same(args: dict, props: pd.DataFrame) -> bool:
    """Whether the same change is already proposed in the session (its ``why`` aside)."""
    for r in props.to_dict("records"):
        if (r["op"] == args["op"] and r["target"] == args.get("target") and r["parent"] == args.get("parent")
                and (r["text"] or None) == args.get("text") and (r["value"] or None) == args.get("value")):
            return True
    return False


def handle_framework(project, access: Access, form: Mapping[str, str], lang: str = "fr") -> str:  # noqa: ANN001
    """A posted proposal (``__action`` ``propose`` or ``add``) or vote (``vote``): stored through
    :meth:`Project.propose` / :meth:`Project.vote` with the participant's token, then the page again
    with a message at its top (where the person looks after sending)."""
    action = str(form.get("__action") or "")
    if action == "vote":
        votes = {int(k[2:]): str(v) for k, v in form.items() if k.startswith("v-") and k[2:].isdigit()
                 and v in ("for", "against", "abstain")}
        if not votes:
            return render_framework(project, access, lang, error=_t("need_vote", lang))
        try:
            n = project.vote(access.token, votes)
        except CoopevalError:
            return render_framework(project, access, lang, error=_t("refused", lang))
        return render_framework(project, access, lang, notice=_t("voted", lang, n=n))
    args, problem = _proposal(form, lang)
    if args is None:
        return render_framework(project, access, lang, error=problem)
    if _same(args, project.proposals(access.session)):
        return render_framework(project, access, lang, notice=_t("duplicate", lang))
    try:
        project.propose(access.token, **args)
    except CoopevalError:
        return render_framework(project, access, lang, error=_t("refused", lang))
    return render_framework(project, access, lang, notice=_t("sent", lang))

