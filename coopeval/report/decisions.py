"""Issue 22: the section « Ce que nous avons décidé de mesurer » of the restitution report.

Built from the register of decisions (:meth:`coopeval.Project.decisions`, given to the
:class:`coopeval.Evaluation`): what was kept from the reference framework, what the group
added or removed and why, what changed since the previous wave, and the votes by college
(colleges under the minimum group size were hidden when the votes were recorded).

Example
-------
>>> import pandas as pd
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> reg = pd.DataFrame([{"at": "2025-03-01T10:00:00", "wave": "2", "kind": "framework", "op": "keep",
...     "target": "participants_actifs", "outcome": "adopted", "decided_by": "body", "decider": "AG",
...     "reason": "essentiel", "votes": {"ensemble": {"n": 9, "for": 9, "against": 0, "abstain": 0}},
...     "detail": {}, "framework_after": fw.hash, "version_after": 1}])
>>> html = decisions_section(reg, fw, 2, lang="fr", min_group=5)
>>> "Ce que nous avons décidé de mesurer" in html and "9 pour" in html
True
"""

from __future__ import annotations

import pandas as pd

from coopeval.contracts import wave_key
from coopeval.errors import CoopevalError
from coopeval.framework import Framework, load_framework
from coopeval.i18n import t
from coopeval.i18n.deliberation import college_in_sentence
from coopeval.plots._common import college_label
from coopeval.report.html import esc, read_box, table_html

__all__ = ["decisions_section", "adaptation_text"]


def _reference(fw: Framework) -> Framework | None:
    base = fw.lineage.get("base")
    if not base:
        return None
    try:
        ref = load_framework(base)
    except CoopevalError:  # not a built-in: no reference to compare with
        return None
    return ref


def _label(node: object, fw: Framework, ref: Framework | None, lang: str) -> str:
    for f in (fw, ref):
        if f is not None and isinstance(node, str) and node in f:
            return f.label(node, lang)
    return str(node)


def _votes(votes: object, lang: str, min_group: int) -> str:
    if not isinstance(votes, dict) or not votes:
        return "–"
    parts = []
    for college, c in sorted(votes.items(), key=lambda kv: (kv[0] == "ensemble", kv[0])):
        name = t("overall", lang) if college == "ensemble" else college_label(college, lang)
        if c.get("hidden"):
            parts.append(t("decisions_votes_hidden", lang, college=name, n=min_group))
        else:
            parts.append(t("decisions_votes", lang, college=name, for_=c["for"], against=c["against"],
                           abstain=c["abstain"]))
    return " ; ".join(parts) if lang == "fr" else "; ".join(parts)


def _decision_text(r: pd.Series, fw: Framework, ref: Framework | None, lang: str) -> str:
    detail = r["detail"] if isinstance(r["detail"], dict) else {}
    node = (detail.get("node") or {}).get(f"label_{lang}") or detail.get("text") if r["op"] == "add" else None
    if r["op"] in ("material", "not_material"):
        node = detail.get("text")
    if not node and r["op"] == "rename":  # the name it had (the reference's), not the name it was given
        node = _label(r["target"], ref or fw, fw, lang)
    node = node or _label(r["target"], fw, ref, lang)
    text = t(f"decisions_op_{r['op']}", lang, node=node, text=detail.get("text", ""))
    if detail.get("for_whom"):
        who = ", ".join(college_in_sentence(w, lang) for w in detail["for_whom"])
        text += f" {t('decisions_for_whom', lang, who=who)}"
    return text


def _summary(fw: Framework, ref: Framework | None, lang: str) -> str:
    if ref is None:
        return t("decisions_reference_same", lang, title=fw.title(lang), version=fw.version)
    mine, theirs = set(fw.indicator_ids), set(ref.indicator_ids)
    return t("decisions_reference", lang, title=ref.title(lang), version=ref.version, kept=len(mine & theirs),
             total=len(theirs), removed=len(theirs - mine), added=len(mine - theirs))


def _version_number(decisions: pd.DataFrame, digest: str) -> int | None:
    """The project's number of the framework version ``digest``, as the register names it."""
    for side in ("after", "before"):
        col = f"version_{side}"
        if col in decisions:
            found = decisions.loc[decisions[f"framework_{side}"] == digest, col].dropna()
            if len(found):
                return int(found.iloc[0])
    return None


def decisions_section(decisions: pd.DataFrame | None, fw: Framework, wave: object, *, lang: str = "fr",
                      min_group: int = 5) -> str:
    """HTML of the section (``<h2 id="decisions">``); empty text when the register is empty.

    Decisions that apply from a later wave than ``wave`` are left out; those taken for
    ``wave`` itself are what changed since the previous wave.
    """
    if decisions is None or decisions.empty:
        return ""
    d = decisions[[w is None or (isinstance(w, float) and w != w) or wave_key(w) <= wave_key(wave)
                   for w in decisions["wave"]]]
    if d.empty:
        return ""
    ref = _reference(fw)
    paras = [t("decisions_intro", lang), _summary(fw, ref, lang)]
    number = _version_number(decisions, fw.hash)
    if number is not None:
        paras.append(t("decisions_version", lang, number=number))
    since = d[[w is not None and not (isinstance(w, float) and w != w) and wave_key(w) == wave_key(wave)
               for w in d["wave"]]]
    paras.append(t("decisions_since_previous", lang, n=len(since), wave=wave) if len(since)
                 else t("decisions_none_since", lang))
    rows = [{t("decisions_col_date", lang): str(r["at"])[:10],
             t("wave", lang): "–" if r["wave"] is None or r["wave"] != r["wave"] else str(r["wave"]),
             t("decisions_col_decision", lang): _decision_text(r, fw, ref, lang),
             t("decisions_col_outcome", lang): t(f"decisions_outcome_{r['outcome']}", lang),
             t("decisions_col_who", lang): t(f"decisions_by_{r['decided_by']}", lang, decider=r["decider"] or "–"),
             t("decisions_col_why", lang): r["reason"] if isinstance(r["reason"], str) and r["reason"] else "–",
             t("decisions_col_votes", lang): _votes(r["votes"], lang, min_group)}
            for _, r in d.iterrows()]
    body = "".join(f"<p>{esc(p)}</p>" for p in paras) + table_html(pd.DataFrame(rows))
    return (f'<h2 id="decisions">{esc(t("report_h_decisions", lang))}</h2><div class="decisions">{body}'
            f'{read_box(t("decisions_how_to_read", lang), t("report_read_decisions", lang, n=min_group))}</div>')


def adaptation_text(fw: Framework, lang: str = "fr") -> str:
    """For the annex: the built-in an adapted framework comes from, its number of changes, and
    every goalpost or target changed (old → new); empty text for an unadapted framework.

    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale").override("participants_actifs", upper=1.5)
    >>> adaptation_text(fw)
    'Adapté de cooperation_territoriale v1.0 (1 modification(s)). Bornes ou cibles changées : Personnes participant activement aux activités (borne haute 2 → 1.5).'
    """
    lin = fw.lineage
    if not lin.get("base"):
        return ""
    text = t("report_annex_adapted", lang, base=lin["base"], version=lin["base_version"], n=len(lin["changes"]))
    moved = []
    for c in lin["changes"]:
        if c.get("op") != "override":
            continue
        for key in ("lower", "upper", "target"):
            if key in c.get("new", {}):
                old = c.get("old", {}).get(key)
                moved.append(f"{_label(c['node'], fw, None, lang)} ({t(f'report_goalpost_{key}', lang)} "
                             f"{'–' if old is None else f'{old:g}'} → {c['new'][key]:g})")
    if moved:
        text += " " + t("report_annex_goalposts_changed", lang, listed="; ".join(moved))
    return text
