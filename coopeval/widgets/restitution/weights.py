"""The weights tab of the restitution dashboard: the weights each college gave the dimensions
(small colleges suppressed; nothing but the reason when fewer than ``min_group`` participants
weighted the dimensions) and the criteria where colleges disagree."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING, Any

import ipywidgets as W
import pandas as pd
from IPython.display import display

from coopeval.data.disclosure import small_group_message
from coopeval.framework import ROOT, Framework
from coopeval.i18n import fmt, t
from coopeval.widgets.restitution.common import _college_label, _figure_html, _table

if TYPE_CHECKING:
    from coopeval.evaluation import Evaluation


class WeightsTab:
    """The weights tab (mixed into :class:`~coopeval.widgets.restitution.RestitutionApp`)."""

    if TYPE_CHECKING:  # what the mixin reads of its host
        ev: Evaluation
        lang: str
        weights_out: Any
        contested_html: Any

    def _draw_weights(self) -> None:
        from coopeval import plots

        ev, lang = self.ev, self.lang
        self.weights_out.clear_output(wait=True)
        by_college = ev.weights_by_college()
        contested = ev.contested(lang)
        with self.weights_out:
            if ROOT in ev.small_groups():  # fewer than min_group participants weighted the dimensions
                display(W.HTML(f"<p class='ce-small-groups'>"
                               f"{html.escape(small_group_message([ROOT], ev.min_group, lang, ev.fw))}</p>"))
            elif by_college.empty:
                display(W.HTML(f"<p>{html.escape(t('suppressed_small_group', lang, n=ev.min_group))}</p>"))
            else:
                flagged = contested["node"].tolist() if "node" in contested else None

                def draw() -> Any:
                    return plots.weights_by_college(ev.weightset(), fw=ev.fw, agreement=flagged,
                                                    min_group=ev.min_group, lang=lang)

                alt = t("dimension_weights", lang) + (" — see the table below." if lang == "en"
                                                      else " — voir le tableau ci-dessous.")
                display(W.HTML(_figure_html(draw, alt, "ce-fig-weights")))
                wide = by_college.pivot_table(index="node", columns="college", values="weight")
                wide = wide.reindex([n for n in ev.fw.dimension_ids if n in wide.index])
                shown = pd.DataFrame({t("dimension", lang): [ev.fw.label(n, lang) for n in wide.index]})
                for college in wide.columns:
                    shown[_college_label(college, lang)] = [fmt(100 * v, lang) for v in wide[college]]
                display(W.HTML(_table(shown, "ce-weights-table")))
        if contested.empty:
            self.contested_html.value = ""
        else:
            names = [_node_name(ev.fw, n, lang) for n in contested["node"]]
            shown = pd.DataFrame({t("criterion", lang): names,
                                  t("why", lang): contested.get("reason", pd.Series("", index=contested.index)).to_numpy()})
            self.contested_html.value = (f"<h4>{html.escape(t('contested', lang))}</h4>"
                                         + _table(shown, "ce-contested-table"))


def _node_name(fw: Framework, node: str, lang: str) -> str:
    """The readable name of a contested node: ``Dimension``, or ``Dimension › Criterion`` deeper
    in the tree (never the node's id)."""
    parent = fw.parent(node)
    name = fw.label(node, lang)
    return name if parent in (None, ROOT) else f"{fw.label(parent, lang)} › {name}"
