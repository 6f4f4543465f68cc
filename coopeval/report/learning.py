"""The learning cycle in the restitution: extracts next to the scores, progress grids, actions followed.

Sections of :func:`coopeval.report.restitution` built from a
:class:`coopeval.qualitative.Evidence` (issue 17), and the sentences of the follow-up of
actions (« Action décidée en 2024 : réalisée — … Taux de participation à l'assemblée
générale : de 52 % à 57 %. »), shared with the restitution dashboard.

Example
-------
>>> import coopeval as ce
>>> from coopeval.report.learning import follow_up_texts
>>> q = ce.datasets.load("qualitatif_exemple")
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = ce.datasets.load("panel_synthetique", table="observations")
>>> fu = ce.qualitative.follow_up(q["actions"], ce.score(obs, fw), fw, unit="u01", wave=2, values=obs)
>>> print(follow_up_texts(fu, fw).loc[0, "text"])
Action décidée en 2024 : réalisée — Relancer l'assemblée générale : convocation par SMS, garde d'enfants, AG en soirée. Taux de participation à l'assemblée générale : de 52 % à 53 %.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.framework.grids import describe_level
from coopeval.i18n import fmt, t
from coopeval.plots._common import college_label
from coopeval.qualitative.actions import wave_key
from coopeval.report.html import esc, figure_html, read_box, table_html

__all__ = ["measure_text", "follow_up_texts", "evidence_html", "grids_html", "actions_html"]

_SEP = "\u202f"


def measure_text(fw, node: str, measure: str, value: float, lang: str = "fr") -> str:  # noqa: ANN001
    """A value as a person reads it: a share in %, a grid level with its label, a score out of 100."""
    if value is None or not np.isfinite(value):
        return "—"
    if measure == "score":
        return f"{fmt(value, lang, 0)}{_SEP if lang == 'fr' else ' '}/ 100"
    ind = fw.node(node)
    if ind.get("kind") == "grid":
        d = describe_level(fw, node, value, lang)
        return t("grid_level_short", lang, level=d["level"], label=d["label"]) if d["level"] else fmt(value, lang)
    unit = str(ind.get("unit", ""))
    if ind.get("upper") == 1 and ind.get("lower") == 0 and ind.get("kind") == "quantitative":
        return f"{fmt(100 * value, lang, 0)}{_SEP + '%' if lang == 'fr' else '%'}"
    digits = 0 if float(value).is_integer() else 1
    return f"{fmt(value, lang, digits)} {unit}".strip()


def _upto(waves: pd.Series, wave: object) -> np.ndarray:
    """Boolean mask of the waves up to ``wave`` (numeric order, see ``wave_key``)."""
    return np.array([wave_key(w) <= wave_key(wave) for w in waves], dtype=bool)


def _when(row: dict, lang: str) -> str:
    date = row.get("decided_on")
    if isinstance(date, str) and len(date) >= 4 and date[:4].isdigit():
        return t("action_when_year", lang, year=date[:4])
    return t("action_when_wave", lang, wave=row["wave"])


def follow_up_texts(follow_up: pd.DataFrame, fw, lang: str = "fr") -> pd.DataFrame:  # noqa: ANN001
    """One sentence per action of :func:`coopeval.qualitative.follow_up`.

    Returns
    -------
    DataFrame
        ``action, status, text`` in the order of the follow-up.
    """
    rows = []
    for action, g in follow_up.groupby("action", sort=False):
        r = g.iloc[0].to_dict()
        head = t("action_followup", lang, when=_when(r, lang), status=t(f"action_status_{r['status']}", lang),
                 what=str(r["what"]).rstrip("."))
        parts = []
        for m in g.to_dict("records"):
            label = fw.label(m["node"], lang) if m["node"] in fw else m["node"]
            if np.isfinite(m["before"]) and np.isfinite(m["after"]):
                parts.append(t("action_change", lang, label=label,
                               before=measure_text(fw, m["node"], m["measure"], m["before"], lang),
                               after=measure_text(fw, m["node"], m["measure"], m["after"], lang)))
            else:
                parts.append(t("action_no_change", lang, label=label))
        rows.append({"action": action, "status": r["status"], "text": f"{head} {' ; '.join(parts)}."
                     if lang == "fr" else f"{head} {'; '.join(parts)}."})
    return pd.DataFrame(rows, columns=["action", "status", "text"])


def evidence_html(evidence, fw, unit: str, wave, scores: pd.DataFrame, *, min_group: int, lang: str,  # noqa: ANN001
                  figure_format: str = "png", per_node: int = 3) -> str:
    """Section « Ce qu'en disent les personnes »: up to ``per_node`` extracts per criterion, next to its
    score, then the theme counts of the cooperation (figure), small groups protected."""
    from coopeval import plots
    from coopeval.qualitative import extracts_for, theme_summary

    if evidence is None or not len(evidence.extracts):
        return ""
    ex_all = evidence.extracts
    own = ex_all[(ex_all["unit"].astype(str) == str(unit)) & (ex_all["wave"].astype(str) == str(wave))]
    if own.empty:
        return ""
    sc = scores[(scores["unit"] == unit) & (scores["wave"] == wave)].set_index("node")["score"]
    blocks = []
    for crit in fw.nodes.loc[fw.nodes["level"] == "criterion", "node"]:
        ex = extracts_for(own, evidence.codes, evidence.codebook, node=crit, fw=fw, min_group=min_group, lang=lang)
        if ex.empty:
            continue
        quotes = "".join(
            f"<blockquote>« {esc(r['text'])} »<div class=\"small\">— "
            f"{esc(t('report_extract_by', lang, college=t('report_college_hidden', lang) if pd.isna(r['college']) else college_label(r['college'], lang), wave=wave))}"
            f"</div></blockquote>" for r in ex.drop_duplicates("text").head(per_node).to_dict("records"))
        score = t("report_evidence_score", lang, score=fmt(sc.get(crit, np.nan), lang, 0))
        blocks.append(f"<h3>{esc(fw.label(crit, lang))} <span class=\"small\">({esc(score)})</span></h3>{quotes}")
    body = "".join(blocks)
    th = theme_summary(ex_all, evidence.codes, evidence.codebook, by=["wave"], unit=unit, min_group=min_group,
                       lang=lang)
    th = th.loc[_upto(th["wave"], wave)]
    if len(th):
        body += (f"<h3>{esc(t('report_h_themes', lang))}</h3>"
                 + figure_html(lambda: plots.theme_bars(th, lang=lang), t("report_h_themes", lang), fmt=figure_format)
                 + read_box(t("report_how_to_read", lang), t("report_read_themes", lang, n=min_group)))
    return (f'<h2 id="evidence">{esc(t("report_h_evidence", lang))}</h2>'
            f"<p>{esc(t('report_evidence_intro', lang, n=min_group))}</p>{body}")


def grids_html(values: pd.DataFrame | None, fw, unit: str, wave, lang: str) -> str:  # noqa: ANN001
    """Section « Grilles de progrès »: the level of each grid with its descriptor, over the waves."""
    grids = fw.indicators.loc[fw.indicators["kind"] == "grid", "indicator"].tolist()
    if values is None or not grids:
        return ""
    v = values[(values["unit"].astype(str) == str(unit)) & values["indicator"].isin(grids)]
    v = v.loc[_upto(v["wave"], wave)].dropna(subset=["value"])
    if v.empty:
        return ""
    rows = []
    for g in grids:
        own = v[v["indicator"] == g].sort_values("wave", key=lambda c: c.map(wave_key))
        if own.empty:
            continue
        now = own[own["wave"].astype(str) == str(wave)]
        d = describe_level(fw, g, now["value"].iloc[0], lang) if len(now) else {"level": None}
        path = " → ".join(str(int(x)) for x in own["value"])
        text = t("grid_level", lang, **d) if d["level"] else "—"
        rows.append([fw.label(g, lang), text, path])
    cols = [t("indicator", lang), t("wave_n", lang, wave=wave), t("change_title", lang)]
    return (f'<h2 id="grids">{esc(t("report_h_grids", lang))}</h2>'
            f"{table_html(pd.DataFrame(rows, columns=cols))}"
            f"{read_box(t('report_how_to_read', lang), t('report_read_grids', lang))}")


def actions_html(evidence, scores: pd.DataFrame, values: pd.DataFrame | None, fw, unit: str, wave,  # noqa: ANN001
                 *, lang: str, figure_format: str = "png") -> str:
    """Section « Suivi des actions décidées »: each earlier action, its status and the change of its
    linked criteria, then the timeline of the cooperation's cycle."""
    from coopeval import plots
    from coopeval.qualitative import follow_up

    if evidence is None or not len(evidence.actions):
        return ""
    acts = evidence.actions[evidence.actions["unit"].astype(str) == str(unit)]
    if acts.empty:
        return ""
    fu = follow_up(acts, scores, fw, unit=unit, wave=wave, values=values)
    items = "".join(f"<li>{esc(r['text'])}</li>" for r in follow_up_texts(fu, fw, lang).to_dict("records"))
    body = f"<ul>{items}</ul>" if items else ""
    waves = sorted({*scores.loc[scores["unit"] == unit, "wave"].tolist()}, key=wave_key)
    waves = [w for w in waves if wave_key(w) <= wave_key(wave)]
    shown = acts.loc[_upto(acts["wave"], wave)]
    # the store gives the actions' waves as text ("2"), the scores as numbers (2): write them alike
    same = {wave_key(w): w for w in waves}
    shown = shown.assign(wave=[same.get(wave_key(w), w) for w in shown["wave"]])
    if len(shown) and waves:
        body += figure_html(lambda: plots.action_timeline(shown, unit=unit, waves=waves, lang=lang),
                            t("plot_timeline_title", lang), fmt=figure_format)
    if not body:
        return ""
    return (f'<h2 id="actions">{esc(t("report_h_actions", lang))}</h2>{body}'
            f"{read_box(t('report_how_to_read', lang), t('report_read_actions', lang))}")
