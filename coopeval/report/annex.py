"""The restitution's annex: framework (and its adaptation), methods, uncertainty, weights, privacy,
sources, references and software."""

from __future__ import annotations

import datetime as _dt

from coopeval._version import __version__
from coopeval.i18n import fmt, t
from coopeval.i18n import uncertainty as words
from coopeval.report.decisions import adaptation_text
from coopeval.report.html import esc
from coopeval.report.texts import REFERENCES

__all__ = ["annex_html"]


def _aggregation_text(aggregation, fw, lang: str) -> str:
    """The aggregation declared per node, in the reader's language (method names stay codes)."""
    if isinstance(aggregation, dict):
        if not aggregation:
            return "arithmetic"
        named = "; ".join(f"{fw.label(node, lang)} : {method}" if lang == "fr" else f"{fw.label(node, lang)}: {method}"
                          for node, method in aggregation.items())
        return t("report_aggregation_elsewhere", lang, named=named)
    return str(aggregation)


def annex_html(fw, uncertainty, weights, sources, prov, capped, min_group, lang) -> str:
    """The annex; the sources end with the values capped at their goalposts, if any."""
    methods = {"normalisation": prov["normalisation"], "aggregation": _aggregation_text(prov["aggregation"], fw, lang)}
    if capped is not None and len(capped):
        listed = "; ".join(f"{fw.label(r.indicator, lang)} : {fmt(r.value, lang, 2)} → {fmt(r.goalpost, lang, 2)}"
                           for r in capped.itertuples())
        sources = [*(sources or []), t("report_capped", lang, n=len(capped), listed=listed)]
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
