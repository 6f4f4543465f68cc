"""The restitution's sections on the participants: their weights by college and who answered.

Small groups stay hidden: colleges under the evaluation's ``min_group`` are left out of the
weights figure, and their participation counts are suppressed (with secondary suppression, so
no hidden college can be recovered from the total).
"""

from __future__ import annotations

import pandas as pd

from coopeval import plots
from coopeval.data.small_groups import suppress_small_groups
from coopeval.i18n import fmt, t
from coopeval.plots._common import college_label
from coopeval.report.html import esc, figure_section, read_box, table_html

__all__ = ["weights_html", "participation_html"]


def weights_html(weights, agreement, fw, min_group, lang, figure_format) -> str:
    """The weights of the dimensions by college (and the agreement between colleges), when participants
    weighted them."""
    if not (weights is not None and hasattr(weights, "by_participant") and not weights.by_participant.empty):
        return ""
    figs = [(lambda: plots.weights_by_college(weights, parent="overall", agreement=agreement, min_group=min_group,
                                              fw=fw, lang=lang), t("report_h_weights", lang),
             t("report_read_weights", lang, n=min_group))]
    ag = agreement[agreement["parent"] == "overall"] if agreement is not None and "parent" in agreement.columns \
        else agreement
    if ag is not None and len(ag):  # none when fewer than min_group participants weighted the dimensions
        figs.append((lambda: plots.agreement_heatmap(ag, fw=fw, lang=lang), t("report_h_weights", lang),
                     t("report_read_heatmap", lang)))
    return figure_section("weights", t("report_h_weights", lang), figs, lang, figure_format)


def participation_html(unit, wave, responses, min_group, lang) -> str:
    """Respondents and answers by college in the wave, counts under ``min_group`` suppressed."""
    if responses is None:
        return ""
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
