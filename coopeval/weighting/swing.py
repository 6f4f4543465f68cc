"""SWING weighting, tied to the indicator ranges (``lower``/``upper``) of the framework."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param
from coopeval.weighting._core import as_series, require_nonneg


def swing_table(fw, node: str = "overall", *, lang: str = "fr") -> pd.DataFrame:
    """The swings to show participants: from the worst to the best level of each indicator.

    Parameters
    ----------
    fw : Framework
    node : str, default "overall"
        Only the indicators under this node.
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``indicator, label, unit, direction, lower, upper, worst, best`` where
        ``worst``/``best`` are ``lower``/``upper`` (swapped when ``direction`` is
        ``decrease``; for ``target``: ``worst`` = the bound farthest from the target,
        ``best`` = the target). These are the ranges used by normalisation, so the
        elicited swings and the scores refer to the same scale.
    """
    ind = fw.indicators.set_index("indicator").loc[fw.leaves(node)]
    rows = []
    for ind_id, r in ind.iterrows():
        lo, hi = r["lower"], r["upper"]
        if r["direction"] == "decrease":
            worst, best = hi, lo
        elif r["direction"] == "target" and np.isfinite(r["target"]):
            best = r["target"]
            worst = lo if abs(r["target"] - lo) >= abs(hi - r["target"]) else hi
        else:
            worst, best = lo, hi
        rows.append({"indicator": ind_id, "label": r["label_en" if lang == "en" else "label_fr"],
                     "unit": r["unit"], "direction": r["direction"], "lower": lo, "upper": hi,
                     "worst": worst, "best": best})
    return pd.DataFrame(rows, columns=["indicator", "label", "unit", "direction", "lower", "upper",
                                       "worst", "best"])


def swing(
    swings: Mapping | pd.Series | Iterable[float],
    labels: Iterable[str] | None = None,
    *,
    fw=None,
    elicited_ranges: Mapping[str, tuple[float, float]] | pd.DataFrame | None = None,
) -> pd.Series:
    """Weights from SWING points: the most valued swing gets 100, the others 0–100.

    Parameters
    ----------
    swings : dict, Series or list
        Points of each swing ("passer de la pire à la meilleure valeur"): the swing
        chosen first receives 100, the others a value in [0, 100].
    labels : list of str, optional
        Labels when ``swings`` is a plain list.
    fw : Framework, optional
        When given with ``elicited_ranges``, weights are re-expressed on the
        framework ranges ``lower``–``upper`` (those used by normalisation).
    elicited_ranges : dict ``{indicator: (low, high)}`` or DataFrame, optional
        The ranges shown to participants, if they differ from the framework ranges.
        A DataFrame needs columns ``indicator, lower, upper``.

    Returns
    -------
    pandas.Series
        ``weight`` indexed by label, summing to 1.

    Notes
    -----
    :math:`w_i = s_i / \\sum_j s_j`. SWING weights are scaling constants of value
    functions normalised on a range: if the swings were elicited on
    :math:`[l'_i, h'_i]` while scores are normalised on :math:`[l_i, h_i]` (linear
    value functions), the weights become
    :math:`w_i \\propto s_i (h_i - l_i)/(h'_i - l'_i)` (von Winterfeldt & Edwards 1986,
    ch. 8; the "range effect").

    References
    ----------
    von Winterfeldt, D. & Edwards, W. (1986). *Decision Analysis and Behavioral
    Research*. Cambridge University Press.
    Edwards, W. & Barron, F. H. (1994). SMARTS and SMARTER: improved simple methods
    for multiattribute utility measurement. *Organizational Behavior and Human
    Decision Processes* 60(3), 306–325.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.weighting.swing({"emplois_etp": 100, "part_cdi": 60, "ecart_salaires": 40}).tolist()
    [0.5, 0.3, 0.2]
    """
    s = as_series(swings, "swings", labels)
    require_nonneg(s, "swings", 0.0, 100.0)
    if not np.isclose(s.max(), 100.0):
        bad_param("swings", "the most valued swing at 100", f"a maximum of {s.max():g}", WeightingError)
    if elicited_ranges is not None:
        if fw is None:
            bad_param("fw", "the framework whose ranges the weights refer to", None, WeightingError)
        s = s * _range_ratio(fw, s.index, elicited_ranges)
    return (s / s.sum()).rename("weight")


def _range_ratio(fw, labels, elicited) -> pd.Series:
    if isinstance(elicited, pd.DataFrame):
        missing = {"indicator", "lower", "upper"} - set(elicited.columns)
        if missing:
            bad_param("elicited_ranges", "columns indicator, lower, upper", sorted(elicited.columns),
                      WeightingError)
        elicited = {r.indicator: (r.lower, r.upper) for r in elicited.itertuples()}
    ind = fw.indicators.set_index("indicator")
    ratio, issues = {}, []
    for lab in labels:
        if lab not in ind.index:
            issues.append(Issue("", str(lab), "an indicator of the framework", "an unknown id"))
            continue
        lo, hi = ind.at[lab, "lower"], ind.at[lab, "upper"]
        elo, ehi = elicited.get(lab, (lo, hi))
        if not (np.isfinite(lo) and np.isfinite(hi) and hi > lo):
            issues.append(Issue("", str(lab), "finite framework bounds lower < upper", f"{lo}, {hi}"))
        elif not ehi > elo:
            issues.append(Issue("elicited_ranges", str(lab), "low < high", f"{elo}, {ehi}"))
        else:
            ratio[lab] = (hi - lo) / (ehi - elo)
    if issues:
        raise WeightingError("SWING: cannot relate the swings to the framework ranges", issues=issues)
    return pd.Series(ratio)
