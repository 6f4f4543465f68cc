"""The restitution report of one cooperation and wave: a self-contained HTML document.

The document is assembled here from its sections, each built in its own module: the scores
(:mod:`coopeval.report.score_sections`), the learning cycle (:mod:`coopeval.report.learning`), the
participants (:mod:`coopeval.report.participation`), the valuation
(:mod:`coopeval.report.valuation_sections`), the socio-economic model
(:mod:`coopeval.report.socio_economic`), the decisions (:mod:`coopeval.report.decisions`) and the
annex (:mod:`coopeval.report.annex`).

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

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from coopeval import plots
from coopeval.errors import CoopevalError, Issue, ReportError
from coopeval.i18n import LANGS, provenance, t
from coopeval.i18n import uncertainty as words
from coopeval.report.annex import annex_html
from coopeval.report.decisions import decisions_section
from coopeval.report.html import esc, figure_section, page
from coopeval.report.inputs import from_evaluation, is_evaluation

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation
from coopeval.report.learning import actions_html, evidence_html, grids_html
from coopeval.report.participation import participation_html, weights_html
from coopeval.report.score_sections import (
    change_html,
    profile_html,
    ranks_html,
    scores_html,
    summary_html,
    uncertainty_settings,
)
from coopeval.report.socio_economic import ledger_html, stress_html
from coopeval.report.valuation_sections import resources_html, sroi_html

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
    parts = [f"<h1>{esc(t('report_title', lang, name=name, wave=wave))}</h1>",
             f"<p>{esc(t('report_intro', lang, name=name, wave=wave))}</p>",
             f'<p class="provenance">{esc(" ".join(provenance(prov, lang, fw_title=fw.title(lang))))}</p>',
             summary_html(unit, wave, scores, summary, fw, lang, uncertainty_settings(uncertainty, summary is not None))]
    parts.append(profile_html(unit, wave, scores, fw, name, lang, figure_format))
    has_interval = summary is not None and ((summary["unit"] == unit) & (summary["wave"] == wave)).any()
    settings = uncertainty_settings(uncertainty, has_interval)
    has_interval = has_interval and bool(words.varied(settings))
    what = words.what_varied(settings, lang)
    parts.append(scores_html(unit, wave, scores, summary, fw, name, has_interval, what, lang, figure_format))
    evidence, values = inputs.get("evidence"), inputs.get("values")
    parts.append(evidence_html(evidence, fw, unit, wave, scores, min_group=min_group, lang=lang,
                               figure_format=figure_format))
    parts.append(grids_html(values, fw, unit, wave, lang))
    parts.append(change_html(unit, wave, scores, fw, lang))
    parts.append(actions_html(evidence, scores, values, fw, unit, wave, lang=lang, figure_format=figure_format))
    parts.append(ranks_html(unit, wave, summary, uncertainty, name, has_interval, what,
                            anonymise_others=anonymise_others, other_names=inputs.get("other_names", {}),
                            lang=lang, figure_format=figure_format))
    parts.append(weights_html(weights, agreement, fw, min_group, lang, figure_format))
    parts.append(participation_html(unit, wave, responses, min_group, lang))
    parts.append(resources_html(resources, wave, lang, figure_format))
    # issue 18: the model under stress and « qui pourrait co-financer quoi », from the same evaluation
    parts.append(stress_html(inputs.get("stress"), unit, wave, name=name, lang=lang, figure_format=figure_format,
                             profile=inputs.get("stress_profile"),
                             labels={d: fw.label(d, lang) for d in fw.children("overall")}))
    parts.append(ledger_html(inputs.get("ledger"), name=name, wave=wave, lang=lang))
    parts.append(sroi_html(sroi, lang, figure_format))
    if typology is not None and len(typology):
        parts.append(figure_section("typology", t("plot_typology_title", lang), [
            (lambda: plots.typology_map(typology, names={unit: name}, highlight=unit, lang=lang),
             t("plot_typology_title", lang), t("report_read_typology", lang))], lang, figure_format))
    parts.append(decisions_section(inputs.get("decisions"), fw, wave, lang=lang, min_group=min_group))
    parts.append(figure_section("tree", t("plot_tree_title", lang), [
        (lambda: plots.framework_tree(fw, weights if hasattr(weights, "local") else None, lang=lang),
         t("plot_tree_title", lang), t("report_read_tree", lang))], lang, figure_format))
    parts.append(annex_html(fw, uncertainty, weights, sources, prov, inputs.get("capped"), min_group, lang))
    doc = page(t("report_title", lang, name=name, wave=wave), "\n".join(p for p in parts if p), lang)
    if path is not None:
        Path(path).write_text(doc, encoding="utf-8")
    return doc
