"""The result of :func:`coopeval.uncertainty.uncertainty`."""

from __future__ import annotations

from typing import Any

import pandas as pd

__all__ = ["UncertaintyResult"]


class UncertaintyResult:
    """Monte Carlo result.

    Attributes
    ----------
    summary : pandas.DataFrame
        One row per unit, wave and node: ``unit, wave, level, node, score`` (nominal score,
        point weights and first method), ``rank`` (nominal rank in the wave, 1 = best),
        ``score_median, score_low, score_high`` (median and interval of the score over the
        samples), ``score_mean, score_sd``, ``rank_median, rank_low, rank_high``, ``n``
        (samples in which the cell had a score).
    top_k : pandas.DataFrame
        ``unit, wave, node, k, probability``: probability of ranking in the first ``k`` of its wave.
    improvement : pandas.DataFrame
        ``unit, node, wave_from, wave_to, probability, n``: probability that the score is higher
        in ``wave_to`` than in ``wave_from`` (consecutive waves; same weights and methods in both).
    sensitivity : pandas.DataFrame
        ``unit, wave, node, level, input, label_fr, label_en, first_order, total, variance, n, credible,
        flag`` (see :mod:`coopeval.uncertainty.sensitivity`); empty when nothing varies or
        ``sensitivity=False``.
    rank_counts : dict
        Node -> DataFrame (rows ``unit, wave``; column ``r`` = number of samples at rank ``r``, or,
        with binned ranks, at ranks ``r`` to ``r + settings["rank_width"] - 1``).
    settings : dict
        ``n, seed, chunk_size, n_chunks, normalisations, aggregations, level, bins, lo, hi``,
        ``rank_width`` (ranks per rank column; 1 = exact rank counts),
        ``sources`` (the named sources asked for, None without) and ``sources_varied`` (those
        that actually varied: what the words of a report may claim).
    decomposition : pandas.DataFrame
        With named sources and ``sensitivity=True``: ``unit, wave, node, level, quantity, source,
        first_order, total, variance, n`` — the share of the variance of the score
        (``quantity="score"``) and of the rank (``"rank"``) due to each source
        (:mod:`coopeval.uncertainty.decompose`); empty otherwise.

    Every table but ``summary`` may be given as a callable of no argument that builds it (a
    picklable ``functools.partial``): it is built the first time it is read, then kept. A
    dashboard that reads the summary alone does not pay for the rest.
    """

    def __init__(self, summary: pd.DataFrame, top_k: Any, improvement: Any, sensitivity: Any, rank_counts: Any,
                 settings: dict, decomposition: Any = pd.DataFrame):
        self._tables = {"summary": summary, "top_k": top_k, "improvement": improvement, "sensitivity": sensitivity,
                        "rank_counts": rank_counts, "decomposition": decomposition}
        self.settings = settings

    def _table(self, name: str) -> Any:
        value = self._tables[name]
        if callable(value):  # a builder (DataFrames and dicts are not callable)
            value = self._tables[name] = value()
        return value

    summary = property(lambda self: self._table("summary"), doc="See the class documentation.")
    top_k = property(lambda self: self._table("top_k"), doc="See the class documentation.")
    improvement = property(lambda self: self._table("improvement"), doc="See the class documentation.")
    sensitivity = property(lambda self: self._table("sensitivity"), doc="See the class documentation.")
    rank_counts = property(lambda self: self._table("rank_counts"), doc="See the class documentation.")
    decomposition = property(lambda self: self._table("decomposition"), doc="See the class documentation.")

    def __repr__(self) -> str:
        s = self.settings
        return (f"<UncertaintyResult: {s['n']} samples, {self.summary['node'].nunique()} node(s), "
                f"{len(self.summary)} rows; interval level {s['level']:.0%}>")

    def sensitivity_summary(self) -> pd.DataFrame:
        """Shares averaged over units (weighted by each cell's variance): ``node, input, label_fr, label_en,
        first_order, total``."""
        df = self.sensitivity.dropna(subset=["first_order", "total"])
        if df.empty:
            return pd.DataFrame(columns=["node", "input", "label_fr", "label_en", "first_order", "total"])
        g = df.assign(w1=df["first_order"] * df["variance"], wt=df["total"] * df["variance"])
        out = g.groupby(["node", "input", "label_fr", "label_en"], sort=False)[["w1", "wt", "variance"]].sum()
        out["first_order"] = out["w1"] / out["variance"]
        out["total"] = out["wt"] / out["variance"]
        return out[["first_order", "total"]].reset_index()
