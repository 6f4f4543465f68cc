"""The restitution report of one cooperation and wave: a self-contained HTML document.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = ce.datasets.load("panel_synthetique", table="observations")
>>> doc = ce.report.restitution("u01", 2, scores=ce.score(obs, fw), fw=fw)
>>> doc.startswith("<!DOCTYPE html>") and "Profil par dimension" in doc
True
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from coopeval import plots
from coopeval._version import __version__
from coopeval.data.disclosure import display_names
from coopeval.data.small_groups import DEFAULT_MIN_N, suppress_small_groups
from coopeval.errors import Issue, ReportError, ValuationError
from coopeval.i18n import LANGS, t
from coopeval.plots._common import college_label
from coopeval.report.html import esc, figure_html, page, read_box, table_html
from coopeval.report.inputs import from_evaluation, is_evaluation
from coopeval.report.texts import REFERENCES

__all__ = ["restitution", "SECTIONS"]

#: Section keys in order (a section without its input is left out).
SECTIONS = ["summary", "profile", "scores", "change", "ranks", "weights", "participation", "resources", "sroi",
            "typology", "tree", "annex"]


def _fmt(x: float, lang: str, digits: int = 0) -> str:
    if x is None or (isinstance(x, float) and np.isnan(x)):
        return "—"
    s = f"{x:,.{digits}f}".replace(",", "\u202f")
    return s.replace(".", ",") if lang == "fr" else s


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


def _anonymised(units: Sequence[str], unit: str, name: str, lang: str) -> dict[str, str]:
    # one rule for the report and the dashboard (issue 16): coopeval.data.disclosure.display_names
    return display_names(units, unit, {unit: name}, "anonymised", lang)


def _summary(unit, wave, scores, summary, fw, lang) -> str:
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
            extra = f"{t('report_interval', lang)} : {_fmt(r['score_low'], lang)}–{_fmt(r['score_high'], lang)}"
            n_units = summary[(summary["wave"] == wave) & (summary["node"] == "overall")]["unit"].nunique()
            keys.append((t("rank_among", lang, n=n_units), _fmt(r["rank_median"], lang),
                         t("report_rank_range", lang, lo=_fmt(r["rank_low"], lang), hi=_fmt(r["rank_high"], lang))))
    keys.insert(0, (t("overall_score", lang), f"{_fmt(val, lang)} / 100", extra))
    if len(dims):
        best = dims.loc[dims["score"].idxmax()]
        worst = dims.loc[dims["score"].idxmin()]
        keys.append((t("report_strongest", lang), fw.label(best["node"], lang), _fmt(best["score"], lang)))
        keys.append((t("report_weakest", lang), fw.label(worst["node"], lang), _fmt(worst["score"], lang)))
    ind = sc[sc["level"] == "indicator"]
    if len(ind):
        keys.append((t("report_coverage", lang), f"{ind['score'].notna().mean():.0%}".replace("%", "\u202f%")
                     if lang == "fr" else f"{ind['score'].notna().mean():.0%}", ""))
    cards = "".join(f'<div class="key"><div class="small">{esc(k)}</div><div class="v">{esc(v)}</div>'
                    f'<div class="small">{esc(e)}</div></div>' for k, v, e in keys)
    return f'<h2 id="summary">{esc(t("report_h_summary", lang))}</h2><div class="keys">{cards}</div>'


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
        rows.append([fw.label(n, lang), _fmt(before.get(n, np.nan), lang), _fmt(now.get(n, np.nan), lang),
                     ("+" if diff > 0 else "") + _fmt(diff, lang, 1)])
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
            rows.append([college_label(row["college"], lang), _fmt(row["n"], lang), _fmt(row["answers"], lang)])
    rows.append([t("report_total", lang), _fmt(r["respondent"].nunique(), lang), _fmt(r["value"].count(), lang)])
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
    items = [(t("report_annex_framework", lang), f"{fw.title(lang)} — {fw.id} v{fw.version} (empreinte "
              f"{fw.hash[:12]})" if lang == "fr" else f"{fw.title(lang)} — {fw.id} v{fw.version} (hash "
              f"{fw.hash[:12]})"),
             (t("report_annex_scoring", lang), t("report_scoring_text", lang,
                                                normalisation=methods.get("normalisation", "goalposts"),
                                                aggregation=methods.get("aggregation", "arithmetic")))]
    settings = getattr(uncertainty, "settings", None)
    if settings:
        items.append((t("report_annex_uncertainty", lang), t(
            "report_uncertainty_text", lang, n=settings.get("n"), seed=settings.get("seed"),
            level=f"{settings.get('level', 0.9):.0%}")))
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
    unit: str,
    wave: object,
    *evaluation_wave: object,
    scores: pd.DataFrame | None = None,
    fw=None,
    uncertainty=None,
    weights=None,
    agreement: pd.DataFrame | None = None,
    responses: pd.DataFrame | None = None,
    resources: pd.DataFrame | None = None,
    sroi=None,
    typology: pd.DataFrame | None = None,
    name: str | None = None,
    sources: Sequence[str] | None = None,
    methods: Mapping[str, str] | None = None,
    min_group: int = DEFAULT_MIN_N,
    anonymise_others: bool | None = None,
    figure_format: str = "png",
    lang: str = "fr",
    path: str | Path | None = None,
) -> str:
    """Self-contained HTML restitution report of one cooperation and wave.

    Two call forms: ``restitution(unit, wave, scores=..., fw=..., ...)`` with the
    tidy inputs, or ``restitution(evaluation, unit, wave, ...)`` with a
    :class:`coopeval.evaluation.Evaluation`, whose scores, deliberated weights,
    Monte Carlo (500 draws), responses and resources (valued in euros by
    :func:`coopeval.report.inputs.resources_in_euros`) are used; keywords given
    explicitly win.

    Parameters
    ----------
    unit, wave
        The cooperation and the wave the report is for.
    scores : pandas.DataFrame
        Scores contract ``unit, wave, level, node, score`` (+ ``coverage``) of all
        units and waves (``ce.score``); earlier waves of ``unit`` give the profile
        over time and the change table.
    fw : Framework
        The framework scored.
    uncertainty : UncertaintyResult or DataFrame, optional
        ``ce.uncertainty(...)`` (its ``summary``, ``top_k`` and ``settings``) or an
        uncertainty summary ``unit, wave, node, score_median, score_low,
        score_high, rank_median, rank_low, rank_high``: intervals and ranks.
    weights : WeightSet, optional
        Deliberated weights: weights by college (colleges under ``min_group``
        members hidden) and the framework tree with these weights.
    agreement : pandas.DataFrame, optional
        ``node, contested`` and agreement metrics (``ce.weighting.agreement_table``).
    responses : pandas.DataFrame, optional
        Responses contract ``respondent, unit, wave, college, item, value``:
        participation by college, small groups suppressed.
    resources : pandas.DataFrame, optional
        Resources of ``unit`` in euros: ``wave, source, category, amount`` (value
        non-euro rows first with :func:`coopeval.valuation.resources_profile`).
    sroi : SROIResult, optional
        :func:`coopeval.valuation.sroi` result: waterfall and tornado.
    typology : pandas.DataFrame, optional
        ``unit, systemic, modelled`` positions (:func:`coopeval.plots.typology_map`).
    name : str, optional
        Display name of the cooperation (default ``unit``).
    sources : sequence of str, optional
        Data sources listed in the annex.
    methods : mapping, optional
        ``{"normalisation": ..., "aggregation": ...}`` used by ``ce.score`` (annex).
    min_group : int, default 5
        No table or figure shows a group of fewer people.
    anonymise_others : bool, optional
        Other cooperations appear as « Coopération A, B… » in the rank figures (letters in
        the order of their ids, as on the dashboard: :func:`coopeval.data.disclosure.display_names`).
        Default: True, or with an Evaluation its ``naming`` (project setting
        ``cooperation_names``).
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
        scores, change, ranks, weights, participation, resources, sroi, typology,
        tree, annex — a section whose input is not given is left out.

    Raises
    ------
    ReportError
        Unknown unit or wave in ``scores``, invalid ``lang`` or ``min_group``.

    Notes
    -----
    Small groups: colleges with fewer than ``min_group`` members are hidden in the
    weights figure, and participation counts under ``min_group`` are replaced by
    « moins de 5 » (:func:`coopeval.data.small_groups.suppress_small_groups`).
    """
    other_names: dict[str, str] = {}
    if is_evaluation(unit):
        if len(evaluation_wave) != 1:
            raise ReportError("restitution(evaluation, unit, wave): expected the unit and the wave after the "
                              f"evaluation, got {1 + len(evaluation_wave)} positional argument(s)")
        ev, unit, wave = unit, wave, evaluation_wave[0]
        given = {"scores": scores, "fw": fw, "uncertainty": uncertainty, "weights": weights,
                 "agreement": agreement, "responses": responses, "resources": resources, "name": name}
        drawn = from_evaluation(ev, unit)
        if anonymise_others is None:  # the project's setting, as on the dashboard (issue 16)
            anonymise_others = getattr(ev, "naming", "anonymised") != "named"
        other_names = dict(zip(ev.units["unit"].astype(str), ev.units["name"].astype(str), strict=True))
        scores, fw, uncertainty, weights, agreement, responses, resources, name = (
            given[k] if given[k] is not None else drawn[k] for k in given)
        min_group = drawn["min_group"] if min_group == DEFAULT_MIN_N else min_group
    elif evaluation_wave:
        raise ReportError(f"parameter `unit`: expected a unit id with two positional arguments, or an Evaluation "
                          f"first, got {type(unit).__name__} with {2 + len(evaluation_wave)} positional arguments")
    anonymise_others = True if anonymise_others is None else anonymise_others
    _check(unit, wave, scores, fw, lang, min_group)
    name = name or str(unit)
    methods = dict(methods or {})
    summary = getattr(uncertainty, "summary", uncertainty)
    top_k = getattr(uncertainty, "top_k", None)
    parts = [f"<h1>{esc(t('report_title', lang, name=name, wave=wave))}</h1>",
             f"<p>{esc(t('report_intro', lang, name=name, wave=wave))}</p>",
             _summary(unit, wave, scores, summary, fw, lang)]
    past = scores[scores["wave"] <= wave]
    parts.append(_section("profile", t("profile", lang), [
        (plots.radar(past, unit=unit, fw=fw, names={unit: name}, lang=lang), t("profile", lang),
         t("report_read_radar", lang), "78mm")], lang, figure_format))
    has_interval = summary is not None and ((summary["unit"] == unit) & (summary["wave"] == wave)).any()
    bar_data = summary if has_interval else scores
    figs = [(plots.score_bars(bar_data, unit, wave, fw=fw, names={unit: name}, lang=lang), t("report_h_scores", lang),
             t("report_read_bars" if has_interval else "report_read_bars_plain", lang))]
    crit = scores[(scores["unit"] == unit) & (scores["wave"] == wave) & (scores["level"] == "criterion")]
    if crit["score"].notna().any():
        figs.append((plots.score_bars(scores, unit, wave, level="criterion", fw=fw, names={unit: name}, lang=lang),
                     t("report_h_criteria", lang), t("report_read_criteria", lang)))
    parts.append(_section("scores", t("report_h_scores", lang), figs, lang, figure_format))
    parts.append(_change(unit, wave, scores, fw, lang))
    if has_interval and "rank_median" in summary.columns:
        units = summary.loc[summary["wave"] == wave, "unit"].drop_duplicates().tolist()
        names = (_anonymised(units, unit, name, lang) if anonymise_others
                 else display_names(units, unit, {**other_names, unit: name}, "named", lang))
        figs = [(plots.caterpillar(summary, wave=wave, names=names, highlight=unit, lang=lang),
                 t("report_h_ranks", lang), t("report_read_ranks", lang, name=name))]
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
        res = resources[resources["wave"] <= wave] if "wave" in resources.columns else resources
        by = "wave" if "wave" in res.columns else "source"
        wave_names = {w: t("wave_n", lang, wave=w) for w in res[by].unique()} if by == "wave" else None
        figs = [(plots.resource_bars(res, by=by, names=wave_names, lang=lang), t("resources", lang),
                 t("report_read_resources", lang))]
        parts.append(_section("resources", t("resources", lang), figs, lang, figure_format))
    if sroi is not None:
        rate = _fmt(100 * sroi.discount_rate, lang, 1) + ("\u202f%" if lang == "fr" else "%")
        before = f"<p>{esc(t('report_sroi_summary', lang, ratio=_fmt(sroi.ratio, lang, 2), rate=rate))}</p>"
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
    parts.append(_section("tree", t("plot_tree_title", lang), [
        (plots.framework_tree(fw, weights if hasattr(weights, "local") else None, lang=lang),
         t("plot_tree_title", lang), t("report_read_tree", lang))], lang, figure_format))
    parts.append(_annex(fw, uncertainty, weights, sources, methods, min_group, lang))
    doc = page(t("report_title", lang, name=name, wave=wave), "\n".join(p for p in parts if p), lang)
    if path is not None:
        Path(path).write_text(doc, encoding="utf-8")
    return doc
