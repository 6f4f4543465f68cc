"""Figures of coopeval: profiles, weights and disagreement, ranks, typology, resources, stress tests, SROI, tree.

Every function takes tidy coopeval data (the contracts of ``ARCHITECTURE.md``) and
returns the matplotlib Axes it drew on (pass ``ax=`` to draw into your own figure).
Labels are French by default (``lang="en"`` for English); each dimension keeps the
same colour-blind-safe colour in every figure (:mod:`coopeval.plots.palette`);
default sizes fit an A4 page, and :func:`coopeval.plots.phone.for_phone` draws them
for a phone's screen.

Examples
--------
>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import coopeval as ce
>>> fw = ce.load_framework("cooperation_territoriale")
>>> obs = ce.datasets.load("panel_synthetique", table="observations")
>>> ax = ce.plots.radar(ce.score(obs, fw), unit="u01", fw=fw)
>>> len(ax.lines)  # one polygon per wave
3
"""

from coopeval.plots import palette, phone
from coopeval.plots.cycle import action_timeline, theme_bars
from coopeval.plots.profile import radar, score_bars
from coopeval.plots.ranks import caterpillar, topk_bars
from coopeval.plots.resources import resource_bars
from coopeval.plots.sroi import tornado, waterfall
from coopeval.plots.stress import stress_bars
from coopeval.plots.tree import framework_tree, global_weights
from coopeval.plots.typology import typology_map
from coopeval.plots.weights import agreement_heatmap, weights_by_college

__all__ = [
    "palette",
    "phone",
    "radar",
    "score_bars",
    "weights_by_college",
    "agreement_heatmap",
    "caterpillar",
    "topk_bars",
    "typology_map",
    "resource_bars",
    "stress_bars",
    "waterfall",
    "tornado",
    "framework_tree",
    "global_weights",
    "theme_bars",
    "action_timeline",
]
