"""Delphi rounds: per-node consensus, stability between rounds, a stopping rule fixed
before the session and anonymised feedback for the next round."""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from coopeval.errors import WeightingError, bad_param
from coopeval.weighting.judgements import participant_weights


@dataclass(frozen=True)
class StoppingRule:
    """A Delphi stopping rule, fixed (and published) before the first round.

    Parameters
    ----------
    max_rounds : int, default 3
        Stop after this many rounds whatever happens.
    min_consensus_share : float, default 0.8
        Stop when at least this share of the nodes reach consensus.
    max_changed_share : float, default 0.15
        Stop when, between the last two rounds, the share of answers that changed
        (by more than ``tol``) is at most this (answers are stable).
    min_agreement : float, default 0.6
        A node is in consensus when at least this share of participants lie within
        ``± band × median`` of the median ...
    max_rel_iqr : float, default 0.5
        ... and its interquartile range is at most this fraction of the median.
    band : float, default 0.25
    tol : float, default 0.01
        A weight "changed" when it moved by more than ``tol`` (absolute).

    Notes
    -----
    Fixing the rule before the session is what makes the end of a Delphi
    defensible (von der Gracht 2012); :meth:`fingerprint` gives a short hash to
    write in the minutes of the first meeting.

    References
    ----------
    von der Gracht, H. A. (2012). Consensus measurement in Delphi studies: review and
    implications for future quality assurance. *Technological Forecasting and Social
    Change* 79(8), 1525–1536.
    Diamond, I. R. et al. (2014). Defining consensus: a systematic review recommends
    methodologic criteria for reporting of Delphi studies. *Journal of Clinical
    Epidemiology* 67(4), 401–409.
    """

    max_rounds: int = 3
    min_consensus_share: float = 0.8
    max_changed_share: float = 0.15
    min_agreement: float = 0.6
    max_rel_iqr: float = 0.5
    band: float = 0.25
    tol: float = 0.01

    def __post_init__(self):
        if not isinstance(self.max_rounds, int) or self.max_rounds < 1:
            bad_param("max_rounds", "a positive integer", self.max_rounds, WeightingError)
        for name in ("min_consensus_share", "max_changed_share", "min_agreement"):
            v = getattr(self, name)
            if not 0 <= v <= 1:
                bad_param(name, "a share in [0, 1]", v, WeightingError)
        for name in ("max_rel_iqr", "band", "tol"):
            if getattr(self, name) < 0:
                bad_param(name, "a non-negative number", getattr(self, name), WeightingError)

    def fingerprint(self) -> str:
        """First 12 hex digits of the SHA-256 of the rule's parameters (JSON)."""
        return hashlib.sha256(json.dumps(asdict(self), sort_keys=True).encode()).hexdigest()[:12]


def _weights(judgements, fw, session, kwargs) -> pd.DataFrame:
    pw = participant_weights(judgements, fw, **kwargs)
    sessions = pw["session"].unique()
    if session is None:
        if len(sessions) > 1:
            bad_param("session", f"one of {sorted(map(str, sessions))}", None, WeightingError)
        session = sessions[0]
    out = pw[pw["session"] == session]
    if out.empty:
        bad_param("session", f"one of {sorted(map(str, sessions))}", session, WeightingError)
    return out


def consensus(judgements: pd.DataFrame, fw, rule: StoppingRule | None = None, *, session=None,
              **weight_options) -> pd.DataFrame:
    """Per round and node: the distribution of weights and whether consensus is reached.

    Returns
    -------
    DataFrame
        ``round, parent, node, n, median, q1, q3, iqr, rel_iqr, pct_agreement,
        consensus`` with ``rel_iqr = iqr / median``, ``pct_agreement`` the share of
        participants within ``± rule.band × median`` of the median and ``consensus``
        = ``pct_agreement >= rule.min_agreement and rel_iqr <= rule.max_rel_iqr``.
    """
    rule = rule or StoppingRule()
    pw = _weights(judgements, fw, session, weight_options)
    rows = []
    for (rnd, parent, node), g in pw.groupby(["round", "parent", "node"], sort=True):
        w = g["weight"].to_numpy(dtype=float)
        med = float(np.median(w))
        q1, q3 = np.percentile(w, [25, 75])
        rel = float((q3 - q1) / med) if med > 0 else np.inf
        pct = float(np.mean(np.abs(w - med) <= rule.band * med + 1e-12))
        rows.append({"round": rnd, "parent": parent, "node": node, "n": len(w), "median": med,
                     "q1": float(q1), "q3": float(q3), "iqr": float(q3 - q1), "rel_iqr": rel,
                     "pct_agreement": pct,
                     "consensus": bool(pct >= rule.min_agreement and rel <= rule.max_rel_iqr)})
    return pd.DataFrame(rows)


def stability(judgements: pd.DataFrame, fw, *, tol: float = 0.01, session=None,
              **weight_options) -> pd.DataFrame:
    """Between-round stability of each node's weights, for participants present in both rounds.

    Returns
    -------
    DataFrame
        ``round_from, round_to, parent, node, n_paired, share_changed,
        mean_abs_change, wilcoxon_p, friedman_p``: ``share_changed`` = share of
        paired participants whose weight moved by more than ``tol``; ``wilcoxon_p``
        = Wilcoxon signed-rank test of the paired weights (NaN when no change);
        ``friedman_p`` = Friedman test over all rounds for participants present in
        every round (NaN with fewer than 3 rounds).

    References
    ----------
    Kalaian, S. A. & Kasim, R. M. (2012). Terminating sequential Delphi survey data
    collection. *Practical Assessment, Research & Evaluation* 17(5).
    """
    from scipy import stats  # imported lazily: scipy.stats is slow to import

    pw = _weights(judgements, fw, session, weight_options)
    rounds = sorted(pw["round"].unique())
    wide = pw.pivot_table(index=["parent", "node", "participant"], columns="round", values="weight")
    rows = []
    for (parent, node), g in wide.groupby(level=["parent", "node"], sort=False):
        fried = np.nan
        complete = g.dropna()
        if len(rounds) >= 3 and len(complete) >= 2 and np.ptp(complete.to_numpy()) > 0:
            fried = float(stats.friedmanchisquare(*[complete[r] for r in rounds]).pvalue)
        for a, b in zip(rounds[:-1], rounds[1:], strict=True):
            pair = g[[a, b]].dropna()
            diff = (pair[b] - pair[a]).to_numpy()
            p = np.nan
            if len(diff) >= 2 and np.any(diff != 0):
                p = float(stats.wilcoxon(pair[a], pair[b]).pvalue)
            rows.append({"round_from": a, "round_to": b, "parent": parent, "node": node,
                         "n_paired": len(diff),
                         "share_changed": float(np.mean(np.abs(diff) > tol)) if len(diff) else np.nan,
                         "mean_abs_change": float(np.mean(np.abs(diff))) if len(diff) else np.nan,
                         "wilcoxon_p": p, "friedman_p": fried})
    return pd.DataFrame(rows, columns=_STABILITY_COLUMNS)


_STABILITY_COLUMNS = ["round_from", "round_to", "parent", "node", "n_paired", "share_changed",
                      "mean_abs_change", "wilcoxon_p", "friedman_p"]


def delphi_status(judgements: pd.DataFrame, fw, rule: StoppingRule, *, session=None,
                  lang: str = "fr", **weight_options) -> pd.DataFrame:
    """Apply the stopping rule after each round.

    Returns
    -------
    DataFrame
        ``round, share_consensus, share_changed, stop, reason``: share of nodes in
        consensus, share of changed answers since the previous round (NaN for the
        first), whether the rule says stop after that round and why.
    """
    cons = consensus(judgements, fw, rule, session=session, **weight_options)
    stab = stability(judgements, fw, tol=rule.tol, session=session, **weight_options)
    fr = lang != "en"
    rows = []
    for i, (rnd, g) in enumerate(cons.groupby("round", sort=True), start=1):
        share_c = float(g["consensus"].mean())
        s = stab[stab["round_to"] == rnd]
        changed = float(np.average(s["share_changed"], weights=s["n_paired"])) if len(s) and \
            s["n_paired"].sum() > 0 else np.nan
        reasons = []
        if share_c >= rule.min_consensus_share:
            reasons.append("consensus atteint" if fr else "consensus reached")
        if np.isfinite(changed) and changed <= rule.max_changed_share:
            reasons.append("réponses stables" if fr else "answers stable")
        if i >= rule.max_rounds:
            reasons.append("nombre maximal de tours" if fr else "maximum number of rounds")
        rows.append({"round": rnd, "share_consensus": share_c, "share_changed": changed,
                     "stop": bool(reasons), "reason": ", ".join(reasons)})
    return pd.DataFrame(rows)


def feedback(judgements: pd.DataFrame, fw, *, round=None, session=None, min_group: int = 5,  # noqa: A002
             reason_column: str = "reason", lang: str = "fr", **weight_options) -> pd.DataFrame:
    """Anonymised feedback for each participant, to prepare the next round.

    Parameters
    ----------
    judgements : DataFrame
        Judgements contract; an optional ``reason`` column holds the arguments given.
    fw : Framework
    round : optional
        The round to report on (default the last one).
    min_group : int, default 5
        Group statistics and reasons are withheld (NaN / empty) for a node judged by
        fewer participants, so that nobody's answer can be singled out.
    reason_column : str, default "reason"
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``participant, parent, node, own_weight, group_median, group_q1, group_q3, n,
        position, reasons``: ``position`` says whether the participant's weight is
        below, within or above the group's interquartile range; ``reasons`` joins
        (with " | ") the distinct reasons given by the *other* participants for the
        node, without their names.
    """
    pw = _weights(judgements, fw, session, weight_options)
    rnd = pw["round"].max() if round is None else round
    pw = pw[pw["round"] == rnd]
    if pw.empty:
        bad_param("round", f"one of {sorted(_weights(judgements, fw, session, weight_options)['round'].unique())}",
                  round, WeightingError)
    reasons: dict[str, list[tuple[object, str]]] = {}  # node -> (participant, reason)
    if reason_column in judgements.columns:
        r = judgements[(judgements["round"] == rnd) & judgements[reason_column].notna()]
        for row in r.itertuples():
            for node in str(row.node).split("|"):
                reasons.setdefault(node, []).append((row.participant, str(getattr(row, reason_column))))
    labels = {"fr": ("en dessous", "dans la moitié centrale", "au-dessus"), "en": ("below", "within", "above")}
    lab = labels["en" if lang == "en" else "fr"]
    rows = []
    for (parent, node), g in pw.groupby(["parent", "node"], sort=False):
        w = g["weight"].to_numpy(dtype=float)
        ok = len(w) >= min_group
        q1, med, q3 = np.percentile(w, [25, 50, 75]) if ok else (np.nan, np.nan, np.nan)
        for p, own in zip(g["participant"], w, strict=True):
            pos = lab[0] if own < q1 else lab[2] if own > q3 else lab[1] if ok else ""
            others = sorted({t for who, t in reasons.get(node, []) if who != p}) if ok else []
            rows.append({"participant": p, "parent": parent, "node": node, "own_weight": float(own),
                         "group_median": med, "group_q1": q1, "group_q3": q3, "n": len(w),
                         "position": pos, "reasons": " | ".join(others)})
    return pd.DataFrame(rows)
