"""The restitution's valuation sections: the resources mobilised and the social return on investment."""

from __future__ import annotations

from coopeval import plots
from coopeval.contracts import wave_key
from coopeval.errors import ValuationError
from coopeval.i18n import fmt, pct, t
from coopeval.report.html import esc, figure_section

__all__ = ["resources_html", "sroi_html"]


def resources_html(resources, wave, lang, figure_format) -> str:
    """The resources of the cooperation in euros, by wave up to this one (by source without waves)."""
    if not (resources is not None and len(resources)):
        return ""
    res = resources[[wave_key(w) <= wave_key(wave) for w in resources["wave"]]] if "wave" in resources.columns \
        else resources
    by = "wave" if "wave" in res.columns else "source"
    wave_names = {w: t("wave_n", lang, wave=w) for w in res[by].unique()} if by == "wave" else None
    figs = [(lambda: plots.resource_bars(res, by=by, names=wave_names, lang=lang), t("resources", lang),
             t("report_read_resources", lang))]
    return figure_section("resources", t("resources", lang), figs, lang, figure_format)


def sroi_html(sroi, lang, figure_format) -> str:
    """The SROI ratio, its waterfall and (when ranges were stated) its tornado."""
    if sroi is None:
        return ""
    rate = pct(sroi.discount_rate, lang, 1)
    before = f"<p>{esc(t('report_sroi_summary', lang, ratio=fmt(sroi.ratio, lang, 2), rate=rate))}</p>"
    # functions drawing the figures: drawn for the page and again for a phone (html.picture_html)
    figs = [(lambda: plots.waterfall(sroi, lang=lang), t("report_h_sroi", lang), t("report_read_waterfall", lang))]
    try:
        sens = sroi.sensitivity()
    except ValuationError:  # no stated range: the tornado is left out
        sens = None
    if sens is not None and len(sens):
        figs.append((lambda: plots.tornado(sens, lang=lang), t("report_h_sroi", lang), t("report_read_tornado", lang)))
    return figure_section("sroi", t("report_h_sroi", lang), figs, lang, figure_format, before)
