"""The restitution report of one cooperation and wave: a self-contained HTML document.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = ce.datasets.load("panel_synthetique", table="observations")
>>> doc = ce.report.restitution(ce.Evaluation(fw, obs, n=100), "u01", 2)
>>> doc.startswith("<!DOCTYPE html>") and "Profil par dimension" in doc
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopeval import plots
from coopeval._version import __version__
from coopeval.contracts import wave_key
from coopeval.data.disclosure import display_names
from coopeval.data.small_groups import suppress_small_groups
from coopeval.errors import CoopevalError, Issue, ReportError, ValuationError
from coopeval.framework import ROOT
from coopeval.i18n import LANGS, fmt, pct, provenance, t
from coopeval.i18n import uncertainty as words
from coopeval.plots._common import college_label
from coopeval.report.decisions import adaptation_text, decisions_section
from coopeval.report.html import esc, figure_html, page, read_box, table_html
from coopeval.report.inputs import from_evaluation, is_evaluation

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation
from coopeval.report.learning import actions_html, evidence_html, grids_html
from coopeval.report.socio_economic import ledger_html, stress_html
from coopeval.report.texts import REFERENCES

__all__ = ["restitution", "SECTIONS"]

#: Section keys in order (a section without its input is left out).
SECTIONS = ["summary", "profile", "scores", "evidence", "grids", "change", "actions", "ranks", "weights", "participation", "resources",
            "stress", "ledger", "sroi", "typology", "decisions", "tree", "annex"]


def _check(unit, wave, scores, fw, lang, min_group) -> None:
    issues = []
    if lang not in LANGS:
        issues.append(Issue("parameter `lang`", "lang", "'fr' or 'en'", repr(lang)))
    if not isinstance(scores, pd.DataFrame):
        raise ReportError(f"parameter `scores`: expected the Scores DataFrame of ce.score, got {type(scores).__name__}")
    missing = [c for c in ("unit", "wave", "level", "node", "score") if c not in scores.columns]
    if missing:
        issues.append(Issue("parameter `scores`", ", ".join(missing), "the Scores columns unit, wave, level, node, "
                            "score", "missing"))
    elif not ((scores["unit"] == unit) & (scores["wave"] == wave)).any():
        issues.append(Issue("parameter `scores`", "unit/wave", f"rows for unit {unit!r} and wave {wave!r}",
                            "none"))
    if not hasattr(fw, "dimension_ids"):
        issues.append(Issue("parameter `fw`", "fw", "a Framework", type(fw).__name__))
    if not isinstance(min_group, (int, np.integer)) or min_group < 1:
        issues.append(Issue("parameter `min_group`", "min_group", "a positive integer", repr(min_group)))
    if issues:
        raise ReportError("cannot build the restitution report", issues=issues)


def _scores_table(unit, wave, scores, fw, lang) -> str:
    """The numbers of the score figures as a table (text alternative; one ``data-node`` per row)."""
    sc = scores[(scores["unit"] == unit) & (scores["wave"] == wave)
                & scores["level"].isin(["overall", "dimension", "criterion"])].set_index("node")
    order = [ROOT] + [n for d in fw.dimension_ids for n in [d, *fw.children(d)] if fw.level(n) != "indicator"]
    rows = []
    for node in order:
        if node not in sc.index:
            continue
        cls = "overall" if node == ROOT else fw.level(node)
        rows.append(f'<tr class="{cls}" data-node="{esc(node)}"><td>{esc(fw.label(node, lang))}</td>'
                    f'<td class="num">{esc(fmt(sc.loc[node, "score"], lang))}</td>'
                    f'<td class="num">{esc(pct(sc.loc[node, "coverage"], lang))}</td></tr>')
    head = (f"<tr><th>{esc(t('report_col_node', lang))}</th><th class=\"num\">{esc(t('score', lang))}</th>"
            f"<th class=\"num\">{esc(t('report_col_coverage', lang))}</th></tr>")
    return f'<table class="ce-scores"><thead>{head}</thead><tbody>{"".join(rows)}</tbody></table>'


def _aggregation_text(aggregation, fw, lang: str) -> str:
    """The aggregation declared per node, in the reader's language (method names stay codes)."""
    if isinstance(aggregation, dict):
        if not aggregation:
            return "arithmetic"
        named = "; ".join(f"{fw.label(node, lang)} : {method}" if lang == "fr" else f"{fw.label(node, lang)}: {method}"
                          for node, method in aggregation.items())
        return t("report_aggregation_elsewhere", lang, named=named)
    return str(aggregation)


def _anonymised(units: Sequence[str], unit: str, name: str, lang: str) -> dict[str, str]:
    # one rule for the report and the dashboard (issue 16): coopeval.data.disclosure.display_names
    return display_names(units, unit, {unit: name}, "anonymised", lang)


def _summary(unit, wave, scores, summary, fw, lang, settings=None) -> str:
    sc = scores[(scores["unit"] == unit) & (scores["wave"] == wave)]
    overall = sc.loc[sc["level"] == "overall", "score"]
    dims = sc[sc["level"] == "dimension"].dropna(subset=["score"])
    keys = []
    val = float(overall.iloc[0]) if len(overall) else np.nan
    extra = ""
    if summary is not None:
        s = summary[(summary["unit"] == unit) & (summary["wave"] == wave) & (summary["node"] == "overall")]
        if len(s):
            r = s.iloc[0]
            extra = words.score_text(r["score_low"], r["score_high"], settings, lang)
            n_units = _ranked(summary, wave)
            if n_units > 1:  # a ranking among one cooperation says nothing: left out
                keys.append((t("rank_among", lang, n=n_units), fmt(r["rank_median"], lang, 0),
                             words.rank_text(r["rank_low"], r["rank_high"], settings, lang)))
    keys.insert(0, (t("overall_score", lang), f"{fmt(val, lang)} / 100", extra))
    if len(dims):
        best = dims.loc[dims["score"].idxmax()]
        worst = dims.loc[dims["score"].idxmin()]
        keys.append((t("report_strongest", lang), fw.label(best["node"], lang), fmt(best["score"], lang)))
        keys.append((t("report_weakest", lang), fw.label(worst["node"], lang), fmt(worst["score"], lang)))
    ind = sc[sc["level"] == "indicator"]
    if len(ind):
        keys.append((t("report_coverage", lang), f"{ind['score'].notna().mean():.0%}".replace("%", "\u202f%")
                     if lang == "fr" else f"{ind['score'].notna().mean():.0%}", ""))
    cards = "".join(f'<div class="key"><div class="small">{esc(k)}</div><div class="v">{esc(v)}</div>'
                    f'<div class="small">{esc(e)}</div></div>' for k, v, e in keys)
    return f'<h2 id="summary">{esc(t("report_h_summary", lang))}</h2><div class="keys">{cards}</div>'


def _ranked(summary: pd.DataFrame, wave) -> int:
    """Number of cooperations ranked in ``wave`` (overall node)."""
    s = summary[(summary["wave"] == wave) & (summary["node"] == "overall")]
    if "rank_median" in s.columns:
        s = s.dropna(subset=["rank_median"])
    return int(s["unit"].nunique())


def _settings(uncertainty, has_interval: bool) -> dict | None:
    """What the simulation varied; a bare summary table does not say, and the words say so."""
    settings = getattr(uncertainty, "settings", None)
    if settings is None and has_interval:
        return {"sources_varied": ["unknown"], "level": 0.9}
    return settings


def _change(unit, wave, scores, fw, lang) -> str:
    waves = sorted(scores.loc[scores["unit"] == unit, "wave"].unique())
    prev = [w for w in waves if w < wave]
    if not prev:
        return ""
    p = prev[-1]
    d = scores[(scores["unit"] == unit) & (scores["level"] == "dimension")]
    now = d[d["wave"] == wave].set_index("node")["score"]
    before = d[d["wave"] == p].set_index("node")["score"]
    dims = [n for n in fw.dimension_ids if n in now.index]
    cols = [t("dimension", lang), t("wave_n", lang, wave=p), t("wave_n", lang, wave=wave),
            t("report_difference", lang)]
    rows = []
    for n in dims:
        diff = now.get(n, np.nan) - before.get(n, np.nan)
        rows.append([fw.label(n, lang), fmt(before.get(n, np.nan), lang), fmt(now.get(n, np.nan), lang),
                     fmt(diff, lang, 1, signed=True)])
    tab = table_html(pd.DataFrame(rows, columns=cols), numeric=set(cols[1:]))
    return (f'<h2 id="change">{esc(t("change_since", lang, wave=p))}</h2>{tab}'
            f'{read_box(t("report_how_to_read", lang), t("report_read_change", lang))}')


def _participation(unit, wave, responses, min_group, lang) -> str:
    r = responses[(responses["unit"] == unit) & (responses["wave"] == wave)]
    if r.empty:
        return ""
    g = r.groupby("college").agg(n=("respondent", "nunique"), answers=("value", "count")).reset_index()
    g["answers"] = g["answers"].astype(float)
    # the total row is published: with secondary suppression no hidden college can be
    # recovered as the total minus the others (Hundepool et al. 2012)
    sup = suppress_small_groups(g, "n", min_group, columns=["answers"], secondary=True)
    rows = []
    for (_, row), n in zip(sup.iterrows(), g["n"], strict=True):
        if row["suppressed"]:
            why = t("report_fewer_than", lang, n=min_group) if n < min_group else t("report_hidden_secondary", lang)
            rows.append([college_label(row["college"], lang), why, "—"])
        else:
            rows.append([college_label(row["college"], lang), fmt(row["n"], lang, 0), fmt(row["answers"], lang, 0)])
    rows.append([t("report_total", lang), fmt(r["respondent"].nunique(), lang, 0), fmt(r["value"].count(), lang, 0)])
    cols = [t("college", lang), t("report_respondents", lang), t("report_answers", lang)]
    tab = table_html(pd.DataFrame(rows, columns=cols), numeric=set(cols[1:]))
    return (f'<h2 id="participation">{esc(t("report_h_participation", lang))}</h2>{tab}'
            f'{read_box(t("report_how_to_read", lang), t("report_read_participation", lang, n=min_group))}')


def _section(key: str, heading: str, figs: list[tuple[object, str, str]], lang: str, fmt: str,
             before: str = "") -> str:
    parts = []
    for i, (obj, alt, reading, *height) in enumerate(figs):
        head = f'<h2 id="{key}">{esc(heading)}</h2>{before}' if i == 0 else ""
        img = figure_html(obj, alt, fmt=fmt, max_height=height[0] if height else None)
        parts.append(f'<div class="fig">{head}{img}'
                     f'{read_box(t("report_how_to_read", lang), reading)}</div>')
    return "".join(parts)


def _annex(fw, uncertainty, weights, sources, methods, min_group, lang) -> str:
    adapted = adaptation_text(fw, lang)
    items = [(t("report_annex_framework", lang), f"{fw.title(lang)} — {fw.id} v{fw.version} (empreinte "
              f"{fw.hash[:12]})" if lang == "fr" else f"{fw.title(lang)} — {fw.id} v{fw.version} (hash "
              f"{fw.hash[:12]})"),
             *([(t("report_annex_adaptation", lang), adapted)] if adapted else []),
             (t("report_annex_scoring", lang), t("report_scoring_text", lang,
                                                normalisation=methods.get("normalisation", "goalposts"),
                                                aggregation=methods.get("aggregation", "arithmetic")))]
    settings = getattr(uncertainty, "settings", None)
    if settings:
        items.append((t("report_annex_uncertainty", lang), words.uncertainty_sentence(settings, lang)))
    if weights is not None and hasattr(weights, "by_participant") and not weights.by_participant.empty:
        pw = weights.by_participant
        items.append((t("report_annex_weights", lang), t("report_weights_text", lang, p=pw["participant"].nunique(),
                                                         c=pw["college"].nunique(),
                                                         aggregation=getattr(weights, "aggregation", "mean"))))
    else:
        items.append((t("report_annex_weights", lang), t("report_weights_default", lang)))
    items.append((t("report_annex_privacy", lang), t("report_privacy_text", lang, n=min_group)))
    body = "".join(f"<h3>{esc(h)}</h3><p>{esc(p)}</p>" for h, p in items)
    if sources:
        body += f"<h3>{esc(t('report_annex_sources', lang))}</h3><ul>" + "".join(
            f"<li>{esc(s)}</li>" for s in sources) + "</ul>"
    body += f"<h3>{esc(t('report_references', lang))}</h3><ul>" + "".join(f"<li>{esc(r)}</li>" for r in REFERENCES)
    body += "</ul>"
    body += f"<h3>{esc(t('report_annex_software', lang))}</h3><p>" + esc(t(
        "report_software_text", lang, version=__version__, date=_dt.date.today().isoformat())) + "</p>"
    return f'<h2 id="annex">{esc(t("report_h_annex", lang))}</h2><div class="annex">{body}</div>'


def restitution(
    evaluation: Evaluation,
    unit: str,
    wave: object,
    *,
    sroi=None,
    typology: pd.DataFrame | None = None,
    sources: Sequence[str] | None = None,
    anonymise_others: bool | None = None,
    figure_format: str = "png",
    lang: str = "fr",
    path: str | Path | None = None,
) -> str:
    """Self-contained HTML restitution report of one cooperation and wave of an evaluation.

    Every number comes from the :class:`coopeval.Evaluation` — the same model the dashboard,
    the store and the command line read: its scores, its weights (and where they come from),
    its Monte Carlo (the specification's ``n`` and ``seed``), its responses and resources.

    Parameters
    ----------
    evaluation : Evaluation
        The evaluation (``ce.Evaluation(...)``, ``ce.Evaluation.from_project(p)`` or
        ``p.evaluation()``).
    unit : str
        The cooperation: its id or its display name.
    wave
        The wave (``2025`` and ``"2025"`` are the same wave).
    sroi : SROIResult, optional
        :func:`coopeval.valuation.sroi` result: waterfall and tornado.
    typology : pandas.DataFrame, optional
        ``unit, systemic, modelled`` positions (:func:`coopeval.plots.typology_map`).
    sources : sequence of str, optional
        Data sources listed in the annex.
    anonymise_others : bool, optional
        Other cooperations appear as « Coopération A, B… » in the rank figures (letters in
        the order of their ids, as on the dashboard: :func:`coopeval.data.disclosure.display_names`).
        Default: the evaluation's ``naming`` (project setting ``cooperation_names``,
        anonymised unless set to ``named``).
    figure_format : {"png", "svg"}
    lang : {"fr", "en"}
        Language of the document (``<html lang=...>``).
    path : str or Path, optional
        Also write the document there (UTF-8).

    Returns
    -------
    str
        The HTML document; figures are embedded as base64 images, so the file is
        self-contained. Sections (``<h2 id=...>``, in order): summary, profile,
        scores, evidence, grids, change, actions, ranks, weights, participation, resources, stress
        (the socio-economic model under stress), ledger (« Qui pourrait co-financer quoi »), sroi,
        typology, decisions (« Ce que nous avons décidé de mesurer », from the register of
        decisions given to the evaluation), tree, annex — a section whose input is missing is
        left out, except stress and ledger, which then say in a sentence what is missing.

    Raises
    ------
    ReportError
        Not an Evaluation, unknown unit or wave, invalid ``lang``.

    Notes
    -----
    Small groups: colleges with fewer than the evaluation's ``min_group`` members are hidden
    in the weights figure, and participation counts under it are replaced by « moins de 5 »
    (:func:`coopeval.data.small_groups.suppress_small_groups`).

    Examples
    --------
    >>> import matplotlib
    >>> matplotlib.use("Agg")
    >>> import coopeval as ce
    >>> ev = ce.Evaluation.sample(n=200)
    >>> doc = ce.report.restitution(ev, "La Ruche des Coteaux", 2)
    >>> doc.startswith("<!DOCTYPE html>") and "Profil par dimension" in doc
    True
    """
    if not is_evaluation(evaluation):
        raise ReportError(f"parameter `evaluation`: expected a coopeval.Evaluation (ce.Evaluation.from_project(p) "
                          f"or p.evaluation()), got {type(evaluation).__name__}")
    if lang not in LANGS:
        raise ReportError(f"parameter `lang`: expected 'fr' or 'en', got {lang!r}")
    try:
        unit = evaluation.unit_id(unit)
        wave = evaluation.wave(wave)
    except CoopevalError as err:
        raise ReportError(str(err)) from None
    inputs = from_evaluation(evaluation, unit)
    inputs["capped"] = evaluation.beyond_goalposts(unit, wave)
    inputs["stress"] = evaluation.stress_of(unit, wave)  # issue 18: None without finances
    inputs["stress_profile"] = evaluation.stress_profile_of(unit, wave) if inputs["stress"] is not None else None
    inputs["ledger"] = evaluation.ledger_of(unit, wave)  # None without externalities
    if anonymise_others is None:  # the project's setting, as on the dashboard (issue 16)
        anonymise_others = getattr(evaluation, "naming", "anonymised") != "named"
    inputs["other_names"] = dict(zip(evaluation.units["unit"].astype(str), evaluation.units["name"].astype(str),
                                     strict=True))
    return _document(unit, wave, inputs, evaluation.provenance(), sroi=sroi, typology=typology, sources=sources,
                     anonymise_others=anonymise_others, figure_format=figure_format, lang=lang, path=path)


def _document(unit, wave, inputs: dict, prov: dict, *, sroi, typology, sources, anonymise_others, figure_format,
              lang, path) -> str:
    scores, fw, uncertainty, weights = inputs["scores"], inputs["fw"], inputs["uncertainty"], inputs["weights"]
    agreement, responses, resources, name = (inputs["agreement"], inputs["responses"], inputs["resources"],
                                             inputs["name"])
    min_group = inputs["min_group"]
    _check(unit, wave, scores, fw, lang, min_group)
    name = name or str(unit)
    summary = getattr(uncertainty, "summary", uncertainty)
    top_k = getattr(uncertainty, "top_k", None)
    parts = [f"<h1>{esc(t('report_title', lang, name=name, wave=wave))}</h1>",
             f"<p>{esc(t('report_intro', lang, name=name, wave=wave))}</p>",
             f'<p class="provenance">{esc(" ".join(provenance(prov, lang, fw_title=fw.title(lang))))}</p>',
             _summary(unit, wave, scores, summary, fw, lang, _settings(uncertainty, summary is not None))]
    past = scores[[wave_key(w) <= wave_key(wave) for w in scores["wave"]]]
    parts.append(_section("profile", t("profile", lang), [
        (plots.radar(past, unit=unit, fw=fw, names={unit: name}, lang=lang), t("profile", lang),
         t("report_read_radar", lang), "78mm")], lang, figure_format))
    has_interval = summary is not None and ((summary["unit"] == unit) & (summary["wave"] == wave)).any()
    settings = _settings(uncertainty, has_interval)
    has_interval = has_interval and bool(words.varied(settings))
    what = words.what_varied(settings, lang)
    bar_data = summary if has_interval else scores
    h_scores = t("report_h_scores" if has_interval else "report_h_scores_plain", lang)  # claim only what is shown
    figs = [(plots.score_bars(bar_data, unit, wave, fw=fw, names={unit: name}, lang=lang), h_scores,
             t("report_read_bars", lang, what=what) if has_interval else t("report_read_bars_plain", lang))]
    crit = scores[(scores["unit"] == unit) & (scores["wave"] == wave) & (scores["level"] == "criterion")]
    if crit["score"].notna().any():
        figs.append((plots.score_bars(scores, unit, wave, level="criterion", fw=fw, names={unit: name}, lang=lang),
                     t("report_h_criteria", lang), t("report_read_criteria", lang)))
    parts.append(_section("scores", h_scores, figs, lang, figure_format,
                          _scores_table(unit, wave, scores, fw, lang)))
    evidence, values = inputs.get("evidence"), inputs.get("values")
    parts.append(evidence_html(evidence, fw, unit, wave, scores, min_group=min_group, lang=lang,
                               figure_format=figure_format))
    parts.append(grids_html(values, fw, unit, wave, lang))
    parts.append(_change(unit, wave, scores, fw, lang))
    parts.append(actions_html(evidence, scores, values, fw, unit, wave, lang=lang, figure_format=figure_format))
    if has_interval and "rank_median" in summary.columns and _ranked(summary, wave) > 1:
        units = summary.loc[summary["wave"] == wave, "unit"].drop_duplicates().tolist()
        names = (_anonymised(units, unit, name, lang) if anonymise_others
                 else display_names(units, unit, {**inputs.get("other_names", {}), unit: name}, "named", lang))
        share = words.share_sentence(getattr(uncertainty, "decomposition", None), unit, wave, name, lang)
        figs = [(plots.caterpillar(summary, wave=wave, names=names, highlight=unit, lang=lang),
                 t("report_h_ranks", lang), " ".join(
                     filter(None, [t("report_read_ranks", lang, name=name, what=what), share])))]
        if top_k is not None and len(top_k):
            ks = sorted(top_k["k"].unique())
            k = 3 if 3 in ks else ks[0]
            figs.append((plots.topk_bars(top_k, k, wave=wave, names=names, highlight=unit, lang=lang),
                         t("report_h_ranks", lang), t("report_read_topk", lang, k=k)))
        parts.append(_section("ranks", t("report_h_ranks", lang), figs, lang, figure_format))
    if weights is not None and hasattr(weights, "by_participant") and not weights.by_participant.empty:
        figs = [(plots.weights_by_college(weights, parent="overall", agreement=agreement, min_group=min_group,
                                          fw=fw, lang=lang), t("report_h_weights", lang),
                 t("report_read_weights", lang, n=min_group))]
        if agreement is not None:
            ag = agreement[agreement["parent"] == "overall"] if "parent" in agreement.columns else agreement
            figs.append((plots.agreement_heatmap(ag, fw=fw, lang=lang), t("report_h_weights", lang),
                         t("report_read_heatmap", lang)))
        parts.append(_section("weights", t("report_h_weights", lang), figs, lang, figure_format))
    if responses is not None:
        parts.append(_participation(unit, wave, responses, min_group, lang))
    if resources is not None and len(resources):
        res = resources[[wave_key(w) <= wave_key(wave) for w in resources["wave"]]] if "wave" in resources.columns \
            else resources
        by = "wave" if "wave" in res.columns else "source"
        wave_names = {w: t("wave_n", lang, wave=w) for w in res[by].unique()} if by == "wave" else None
        figs = [(plots.resource_bars(res, by=by, names=wave_names, lang=lang), t("resources", lang),
                 t("report_read_resources", lang))]
        parts.append(_section("resources", t("resources", lang), figs, lang, figure_format))
    # issue 18: the model under stress and « qui pourrait co-financer quoi », from the same evaluation
    parts.append(stress_html(inputs.get("stress"), unit, wave, name=name, lang=lang, figure_format=figure_format,
                             profile=inputs.get("stress_profile"),
                             labels={d: fw.label(d, lang) for d in fw.children("overall")}))
    parts.append(ledger_html(inputs.get("ledger"), name=name, wave=wave, lang=lang))
    if sroi is not None:
        rate = pct(sroi.discount_rate, lang, 1)
        before = f"<p>{esc(t('report_sroi_summary', lang, ratio=fmt(sroi.ratio, lang, 2), rate=rate))}</p>"
        figs = [(plots.waterfall(sroi, lang=lang), t("report_h_sroi", lang), t("report_read_waterfall", lang))]
        try:
            sens = sroi.sensitivity()
        except ValuationError:  # no stated range: the tornado is left out
            sens = None
        if sens is not None and len(sens):
            figs.append((plots.tornado(sens, lang=lang), t("report_h_sroi", lang), t("report_read_tornado", lang)))
        parts.append(_section("sroi", t("report_h_sroi", lang), figs, lang, figure_format, before))
    if typology is not None and len(typology):
        parts.append(_section("typology", t("plot_typology_title", lang), [
            (plots.typology_map(typology, names={unit: name}, highlight=unit, lang=lang), t("plot_typology_title", lang),
             t("report_read_typology", lang))], lang, figure_format))
    parts.append(decisions_section(inputs.get("decisions"), fw, wave, lang=lang, min_group=min_group))
    parts.append(_section("tree", t("plot_tree_title", lang), [
        (plots.framework_tree(fw, weights if hasattr(weights, "local") else None, lang=lang),
         t("plot_tree_title", lang), t("report_read_tree", lang))], lang, figure_format))
    methods = {"normalisation": prov["normalisation"], "aggregation": _aggregation_text(prov["aggregation"], fw, lang)}
    capped = inputs.get("capped")
    if capped is not None and len(capped):
        listed = "; ".join(f"{fw.label(r.indicator, lang)} : {fmt(r.value, lang, 2)} → {fmt(r.goalpost, lang, 2)}"
                           for r in capped.itertuples())
        sources = [*(sources or []), t("report_capped", lang, n=len(capped), listed=listed)]
    parts.append(_annex(fw, uncertainty, weights, sources, methods, min_group, lang))
    doc = page(t("report_title", lang, name=name, wave=wave), "\n".join(p for p in parts if p), lang)
    if path is not None:
        Path(path).write_text(doc, encoding="utf-8")
    return doc
