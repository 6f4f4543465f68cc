"""The restitution's score sections: key figures, profile, scores, change since the previous wave, ranks.

Each reads the scores (and the Monte Carlo summary) of one :class:`coopeval.Evaluation`; a
section without its input returns ``""`` and is left out of the report.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from coopeval import plots
from coopeval.contracts import wave_key
from coopeval.data.disclosure import display_names
from coopeval.framework import ROOT
from coopeval.i18n import fmt, pct, t
from coopeval.i18n import uncertainty as words
from coopeval.report.html import esc, figure_section, read_box, table_html

__all__ = ["summary_html", "profile_html", "scores_html", "change_html", "ranks_html", "ranked",
           "uncertainty_settings"]


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


def _anonymised(units: Sequence[str], unit: str, name: str, lang: str) -> dict[str, str]:
    # one rule for the report and the dashboard (issue 16): coopeval.data.disclosure.display_names
    return display_names(units, unit, {unit: name}, "anonymised", lang)


def summary_html(unit, wave, scores, summary, fw, lang, settings=None) -> str:
    """The key figures: overall score (its interval, its rank among several cooperations),
    strongest and weakest dimension, coverage of the indicators."""
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
            n_units = ranked(summary, wave)
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


def ranked(summary: pd.DataFrame, wave) -> int:
    """Number of cooperations ranked in ``wave`` (overall node)."""
    s = summary[(summary["wave"] == wave) & (summary["node"] == "overall")]
    if "rank_median" in s.columns:
        s = s.dropna(subset=["rank_median"])
    return int(s["unit"].nunique())


def uncertainty_settings(uncertainty, has_interval: bool) -> dict | None:
    """What the simulation varied; a bare summary table does not say, and the words say so."""
    settings = getattr(uncertainty, "settings", None)
    if settings is None and has_interval:
        return {"sources_varied": ["unknown"], "level": 0.9}
    return settings


def profile_html(unit, wave, scores, fw, name, lang, figure_format) -> str:
    """The radar of the dimensions in this wave and the previous ones."""
    past = scores[[wave_key(w) <= wave_key(wave) for w in scores["wave"]]]
    return figure_section("profile", t("profile", lang), [
        (lambda: plots.radar(past, unit=unit, fw=fw, names={unit: name}, lang=lang), t("profile", lang),
         t("report_read_radar", lang), "78mm")], lang, figure_format)


def scores_html(unit, wave, scores, summary, fw, name, has_interval, what, lang, figure_format) -> str:
    """The scores of the dimensions (with their intervals when the simulation varied something), of the
    criteria, and their numbers as a table."""
    bar_data = summary if has_interval else scores
    h_scores = t("report_h_scores" if has_interval else "report_h_scores_plain", lang)  # claim only what is shown
    figs = [(lambda: plots.score_bars(bar_data, unit, wave, fw=fw, names={unit: name}, lang=lang), h_scores,
             t("report_read_bars", lang, what=what) if has_interval else t("report_read_bars_plain", lang))]
    crit = scores[(scores["unit"] == unit) & (scores["wave"] == wave) & (scores["level"] == "criterion")]
    if crit["score"].notna().any():
        figs.append((lambda: plots.score_bars(scores, unit, wave, level="criterion", fw=fw, names={unit: name}, lang=lang),
                     t("report_h_criteria", lang), t("report_read_criteria", lang)))
    return figure_section("scores", h_scores, figs, lang, figure_format,
                          _scores_table(unit, wave, scores, fw, lang))


def change_html(unit, wave, scores, fw, lang) -> str:
    """The dimensions' scores against the previous wave of the cooperation (nothing in its first wave)."""
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


def ranks_html(unit, wave, summary, uncertainty, name, has_interval, what, *, anonymise_others, other_names,
               lang, figure_format) -> str:
    """The ranks of the cooperations in the wave (and the chance of being in the top k), when the
    simulation varied something and ranks several cooperations; the others anonymised or named."""
    if not (has_interval and "rank_median" in summary.columns and ranked(summary, wave) > 1):
        return ""
    top_k = getattr(uncertainty, "top_k", None)
    units = summary.loc[summary["wave"] == wave, "unit"].drop_duplicates().tolist()
    names = (_anonymised(units, unit, name, lang) if anonymise_others
             else display_names(units, unit, {**other_names, unit: name}, "named", lang))
    share = words.share_sentence(getattr(uncertainty, "decomposition", None), unit, wave, name, lang)
    figs = [(lambda: plots.caterpillar(summary, wave=wave, names=names, highlight=unit, lang=lang),
             t("report_h_ranks", lang), " ".join(
                 filter(None, [t("report_read_ranks", lang, name=name, what=what), share])))]
    if top_k is not None and len(top_k):
        ks = sorted(top_k["k"].unique())
        k = 3 if 3 in ks else ks[0]
        figs.append((lambda: plots.topk_bars(top_k, k, wave=wave, names=names, highlight=unit, lang=lang),
                     t("report_h_ranks", lang), t("report_read_topk", lang, k=k)))
    return figure_section("ranks", t("report_h_ranks", lang), figs, lang, figure_format)
