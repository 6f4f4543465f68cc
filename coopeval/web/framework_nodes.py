"""Issue 22: the proposals phase of the framework round from a phone — the framework in plain words,
a proposal form on each criterion and indicator, and a form to propose a new element.

Each criterion and indicator is shown with its unit, direction, goalposts and their source, and the
references of the project's earlier waves (:meth:`coopeval.Project.goalpost_references`); the page
around it, the vote phase and the posted forms are :mod:`coopeval.web.framework_page`'s.

* :func:`proposal_sections` — the framework with a proposal form per node, and the form to add one;
* :func:`number_text`, :func:`ratio_indicators`, :func:`esc` — shared with the framework page.

Every sentence comes from :mod:`coopeval.i18n.framework_text` (French; English with ``?lang=en``).
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

__all__ = ["proposal_sections", "number_text", "ratio_indicators", "esc", "PROPOSABLE_OPS"]

#: What a participant may propose on an existing criterion or indicator (goalposts and targets: indicators only).
PROPOSABLE_OPS = ("keep", "remove", "rename", "reword", "goalpost", "target")


def esc(x: object) -> str:
    """``x`` as text safe in HTML (quotes too)."""
    return html.escape(str(x), quote=True)


def number_text(x: object, lang: str) -> str:
    """A number as a collective reads it (up to 2 decimals, « – » for what is not a number)."""
    try:
        v = float(x)  # type: ignore[arg-type]  # anything; what is not a number prints « – »
    except (TypeError, ValueError):
        return "–"
    if not math.isfinite(v):
        return "–"
    digits = next((d for d in (0, 1, 2) if abs(v - round(v, d)) < 1e-9), 2)
    return fmt(v, lang, digits=digits)


def ratio_indicators(fw) -> set[str]:  # noqa: ANN001
    """Indicators whose goalposts are multiples of the cooperation's first wave."""
    rel = fw.relative_goalposts
    return set(rel.loc[(rel["relative_to"] == "baseline") & (rel["change"] == "ratio"), "indicator"])


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
    ratio = ratio_indicators(fw)
    for r in ref.sort_values(["indicator", "wave"]).itertuples():
        own = getattr(r, "own", float("nan"))
        x = "×" if r.indicator in ratio else ""  # the references of a ratio goalpost are ratios too
        if x and (own == 1 if unit is not None and pd.notna(own) else r.min == r.max == 1):
            continue  # the first wave itself (×1 by construction) tells nothing
        line = (_t("ref_own", lang, wave=r.wave, own=x + number_text(own, lang)) if unit is not None and pd.notna(own) else
                _t("ref_range", lang, wave=r.wave, median=x + number_text(r.median, lang), min=x + number_text(r.min, lang),
                   max=x + number_text(r.max, lang), n=int(r.n_units)))
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
        return _t("bounds_ratio", lang, lower=number_text(lo, lang), upper=number_text(hi, lang), stable=stable)
    if rel.get("relative_to") == "baseline":
        return _t("bounds_difference", lang, lower=number_text(lo, lang), upper=number_text(hi, lang))
    if rel.get("per"):
        return _t("bounds_per", lang, per=str(rel["per"]), lower=number_text(lo, lang), upper=number_text(hi, lang))
    return _t("bounds", lang, lower=number_text(lo, lang), upper=number_text(hi, lang))


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
            lines.append(_t("target_now", lang, target=number_text(info["target"], lang)))
        src = info.get("goalpost_source")
        lines.append(_t("bound_source", lang, source=src) if src else
                     _t("rule_relative", lang) if rel.get("relative_to") else _t("no_source", lang))
    text = "".join(f"<p class='ce-dim-desc'>{esc(x)}</p>" for x in lines)
    if refs.get(node):
        text += (f"<p class='ce-dim-desc'><b>{esc(_t('refs_title', lang))}</b></p><ul class='ce-refs'>"
                 + "".join(f"<li>{esc(x)}</li>" for x in refs[node][-3:]) + "</ul>")
    return text


def _node_form(fw, node: str, lang: str, refs: dict[str, list[str]]) -> str:  # noqa: ANN001
    indicator = "kind" in fw.node(node)
    ops = PROPOSABLE_OPS if indicator else PROPOSABLE_OPS[:4]
    n = esc(node)
    radios = "".join(f"<label class='ce-choice'><input type='radio' name='op' value='{op}'"
                     f"{' checked' if op == 'keep' else ''}> {esc(_t(f'op_{op}', lang))}</label>" for op in ops)
    field = lambda key, label, shown, kind="text": (  # noqa: E731 - shown only for its choice (CSS :has)
        f"<div class='ce-field ce-f-{shown}'><label for='{key}-{n}'>{esc(label)}</label><input id='{key}-{n}' "
        f"name='{key}' " + ("type='text' inputmode='decimal' class='ce-num'" if kind == "num" else "type='text'")
        + "></div>")
    ratio = indicator and (fw.node(node).get("goalposts") or {}).get("relative_to") == "baseline" and (
        (fw.node(node).get("goalposts") or {}).get("change") or "ratio") == "ratio"
    low, high = ("lower_ratio", "upper_ratio") if ratio else ("lower", "upper")  # a ratio goalpost: say so
    numbers = (field("lower", _t(low, lang), "goalpost", "num") + field("upper", _t(high, lang), "goalpost", "num")
               + field("target", _t("target", lang), "target", "num")) if indicator else ""
    kind = _t("kind_indicator" if indicator else "kind_criterion", lang)
    return (f"<details class='ce-node ce-{'ind' if indicator else 'crit'} ce-node-{n}'><summary>"
            f"<span>{esc(fw.label(node, lang))}</span> <span class='ce-tag'>{esc(kind)}</span></summary>"
            f"{_what(fw, node, lang, refs)}<form method='post' class='ce-propose'>"
            f"<input type='hidden' name='__action' value='propose'><input type='hidden' name='node' value='{n}'>"
            f"<fieldset><legend>{esc(_t('your_proposal', lang))}</legend>{radios}</fieldset>"
            f"{field('text', _t('new_text', lang), 'text')}{numbers}"
            f"<div class='ce-field'><label for='why-{n}'>{esc(_t('why', lang))}</label>"
            f"<textarea id='why-{n}' name='why'></textarea></div>"
            f"<button type='submit' class='ce-submit'>{esc(_t('send_one', lang))}</button></form></details>")


def _add_form(fw, lang: str) -> str:  # noqa: ANN001
    opts = []  # a new element is an indicator of a criterion (criteria grouped by dimension)
    for d in fw.children("overall"):
        crits = [f"<option value='{esc(c)}'>{esc(fw.label(c, lang))}</option>" for c in fw.children(d)
                 if "kind" not in fw.node(c)]
        if crits:
            opts.append(f"<optgroup label='{esc(fw.label(d, lang))}'>{''.join(crits)}</optgroup>")
    return (f"<h2>{esc(_t('h_add', lang))}</h2><form method='post' class='ce-card ce-add'>"
            f"<input type='hidden' name='__action' value='add'>"
            f"<div class='ce-field'><label for='add-parent'>{esc(_t('add_where', lang))}</label>"
            f"<select id='add-parent' name='parent'>{''.join(opts)}</select></div>"
            f"<div class='ce-field'><label for='add-name'>{esc(_t('add_name', lang))}</label>"
            f"<input id='add-name' name='text' type='text'></div>"
            f"<div class='ce-field'><label for='add-measures'>{esc(_t('add_measures', lang))}</label>"
            f"<textarea id='add-measures' name='measures'></textarea></div>"
            f"<div class='ce-field'><label for='add-why'>{esc(_t('add_why', lang))}</label>"
            f"<textarea id='add-why' name='why'></textarea></div>"
            f"<button type='submit' class='ce-submit ce-add-submit'>{esc(_t('send_add', lang))}</button></form>")


def proposal_sections(project, fw, lang: str) -> str:  # noqa: ANN001
    """The framework dimension by dimension, each criterion and indicator in plain words with its
    proposal form, then the form to propose a new element."""
    refs = _references(project, fw, lang)
    parts = []
    for d in fw.children("overall"):
        desc = str(fw.node(d).get(f"description_{lang}") or "")
        nodes = []
        for c in fw.children(d):
            nodes.append(_node_form(fw, c, lang, refs))
            nodes += [_node_form(fw, i, lang, refs) for i in fw.children(c)]
        parts.append(f"<section class='ce-dim ce-dim-{esc(d)}'><h2>{esc(fw.label(d, lang))}</h2>"
                     f"<p class='ce-dim-desc'>{esc(desc)}</p>{''.join(nodes)}</section>")
    return "".join(parts) + _add_form(fw, lang)
