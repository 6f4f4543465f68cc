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
  new element (what it measures, why it matters) — these sections are
  :mod:`coopeval.web.framework_nodes`'s. Each proposal goes through
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
from collections.abc import Mapping

import pandas as pd

from coopeval.data.likert import parse_number
from coopeval.errors import CoopevalError
from coopeval.i18n.framework_text import _t
from coopeval.store.participant_access import Access
from coopeval.web.framework_nodes import (
    PROPOSABLE_OPS,
    esc,
    number_text,
    proposal_sections,
    ratio_indicators,
)
from coopeval.web.style import PAGE_CSS as _CSS

__all__ = ["render_framework", "handle_framework", "phase", "describe"]

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
    x = "×" if op == "goalpost" and isinstance(target, str) and target in ratio_indicators(fw) else ""
    return _t(f"d_{op}", lang, node=node, text=proposal.get("text") or "",
              lower=x + number_text(value.get("lower"), lang), upper=x + number_text(value.get("upper"), lang),
              target=number_text(value.get("target"), lang))


def phase(project, access: Access) -> str:  # noqa: ANN001
    """``"vote"`` when the session holds proposals of an earlier round (the facilitator opened the
    vote by opening a new framework round), else ``"propose"``."""
    props = project.proposals(access.session)
    return "vote" if (props["round"].astype(int) < int(access.round or 0)).any() else "propose"


def _group(props: pd.DataFrame, fw, lang: str) -> str:  # noqa: ANN001
    items = "".join(f"<li>{esc(describe(r, fw, lang))}</li>" for r in props.to_dict("records"))
    return (f"<h2>{esc(_t('h_group', lang))}</h2>"
            + (f"<ul class='ce-group-proposals'>{items}</ul>" if items else f"<p>{esc(_t('no_group', lang))}</p>"))


def _message(notice: str, error: str) -> str:
    if error:
        return f"<div class='ce-msg ce-msg-ko ce-refused' role='alert'>{esc(error)}</div>"
    return f"<div class='ce-msg ce-msg-ok ce-stored' role='status'>{esc(notice)}</div>" if notice else ""


def _propose_page(project, access: Access, fw, lang: str, notice: str, error: str) -> str:  # noqa: ANN001
    parts = [_message(notice, error), f"<h1 class='ce-title'>{esc(_t('title', lang, round=access.round))}</h1>",
             f"<p class='ce-howto'>{esc(_t('howto', lang))}</p>", proposal_sections(project, fw, lang),
             _group(project.proposals(access.session), fw, lang),
             f"<p><a class='ce-reload' href=''>{esc(_t('reload', lang))}</a></p>"]
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
            said += f"<p class='ce-said'>{esc(_t('measures_given', lang, measures=r['measures']))}</p>"
        if r.get("why"):
            said += f"<p class='ce-said'>{esc(_t('why_given', lang, why=r['why']))}</p>"
        choices = "".join(f"<label class='ce-choice'><input type='radio' name='v-{pid}' value='{v}'> "
                          f"{esc(_t(f'v_{v}', lang))}</label>" for v in ("for", "against", "abstain"))
        cards.append(f"<fieldset class='ce-vote ce-vote-{pid}'><legend>{esc(describe(r, fw, lang))}</legend>{said}"
                     f"<div class='ce-choices'>{choices}</div></fieldset>")
    body = (f"<form method='post' class='ce-votes'><input type='hidden' name='__action' value='vote'>{''.join(cards)}"
            f"<button type='submit' class='ce-submit ce-send-votes'>{esc(_t('send_votes', lang))}</button></form>"
            if cards else f"<p>{esc(_t('no_proposal_to_vote', lang))}</p>")
    parts = [_message(notice, error), f"<h1 class='ce-title'>{esc(_t('vote_title', lang, round=access.round))}</h1>",
             f"<p class='ce-howto'>{esc(_t('vote_howto', lang))}</p>", body,
             f"<p><a class='ce-reload' href=''>{esc(_t('reload', lang))}</a></p>"]
    return _doc("".join(parts), lang, _t("vote_title", lang, round=access.round))


def render_framework(project, access: Access, lang: str = "fr", *, notice: str = "",  # noqa: ANN001
                     error: str = "") -> str:
    """The page of a participant whose session has a framework round open (proposals or vote)."""
    fw = project.framework(access.framework_hash)
    page = _vote_page if phase(project, access) == "vote" else _propose_page
    return page(project, access, fw, lang, notice, error)


# ---------------------------------------------------------------------- posted forms
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
        lo, hi = parse_number(form.get("lower")), parse_number(form.get("upper"))
        if lo is None or hi is None:
            return None, _t("need_number", lang)
        if lo >= hi:
            return None, _t("bad_bounds", lang)
        args["value"] = {"lower": lo, "upper": hi}
    elif op == "target":
        tg = parse_number(form.get("target"))
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

