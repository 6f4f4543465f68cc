"""The facilitator's figures for one round: agreement overall and per college, contested
nodes and the Delphi stopping rule (:func:`agreement_summary`)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.weighting.agreement import agreement_table, contested_nodes
from coopeval.weighting.delphi import StoppingRule, consensus, delphi_status
from coopeval.weighting.judgements import participant_weights

__all__ = ["agreement_summary"]


def agreement_summary(judgements: pd.DataFrame, fw, *, round: int, min_group: int = 5,  # noqa: A002, ANN001
                      rule: StoppingRule | None = None, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The facilitator's figures for one round of one session.

    Parameters
    ----------
    judgements : DataFrame
        Judgements of one session (every round so far, for the stopping rule).
    round : int
        Round shown.
    min_group : int
        A college with fewer participants in the round gets no row (its members'
        answers could be singled out).
    rule : StoppingRule, optional
        Default :class:`StoppingRule()`.

    Returns
    -------
    dict of DataFrame
        ``"overall"`` — :func:`coopeval.weighting.agreement_table` of the round's
        participant weights; ``"by_college"`` — the same per college (column
        ``college`` first; a college, or a node of a college, judged by fewer than
        ``min_group`` participants has no row); ``"contested"`` — :func:`contested_nodes`;
        ``"status"`` — :func:`delphi_status` under ``rule``; ``"counts"`` —
        ``college, n_participants`` who answered the round.
    """
    rule = rule or StoppingRule()
    empty = {"overall": pd.DataFrame(), "by_college": pd.DataFrame(), "contested": pd.DataFrame(),
             "status": pd.DataFrame(), "counts": pd.DataFrame(columns=["college", "n_participants"])}
    if judgements.empty:
        return empty
    j = judgements.drop(columns=[c for c in ("reason",) if c in judgements.columns])
    now = j[j["round"] == round]
    if now.empty:
        return empty
    pw = participant_weights(now, fw)
    counts = now.groupby("college")["participant"].nunique().rename("n_participants").reset_index()
    by_college = []
    for college, g in pw.groupby("college", sort=True):
        if g["participant"].nunique() >= min_group:
            t = agreement_table(g)
            by_college.append(t[t["n"] >= min_group].assign(college=college))
    bc = pd.concat(by_college, ignore_index=True) if by_college else pd.DataFrame()
    if not bc.empty:
        bc = bc[["college", *[c for c in bc.columns if c != "college"]]]
    return {
        "overall": agreement_table(pw),
        "by_college": bc,
        "contested": contested_nodes(pw, lang=lang),
        "status": _status(j[j["round"] <= round], fw, rule, lang),
        "counts": counts,
    }


def _status(j: pd.DataFrame, fw, rule: StoppingRule, lang: str) -> pd.DataFrame:  # noqa: ANN001
    """:func:`delphi_status`; with a single round (where it currently fails on the empty
    stability table) the same rule is applied from :func:`consensus` alone."""
    if j["round"].nunique() > 1:
        return delphi_status(j, fw, rule, lang=lang)
    rnd = int(j["round"].iloc[0])
    share = float(consensus(j, fw, rule)["consensus"].mean())
    reasons = []
    if share >= rule.min_consensus_share:
        reasons.append("consensus atteint" if lang != "en" else "consensus reached")
    if rule.max_rounds <= 1:
        reasons.append("nombre maximal de tours" if lang != "en" else "maximum number of rounds")
    return pd.DataFrame([{"round": rnd, "share_consensus": share, "share_changed": np.nan,
                          "stop": bool(reasons), "reason": ", ".join(reasons)}])
