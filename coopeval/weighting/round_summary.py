"""The facilitator's figures for one round: agreement overall and per college, contested
nodes and the Delphi stopping rule (:func:`agreement_summary`).

Small groups stay hidden with the rule of :mod:`coopeval.data.disclosure`, decided per group
of sibling nodes: a college is shown only where :func:`~coopeval.data.disclosure.college_blocks`
shows it alone (the small colleges and the colleges pooled with them are left out, so that the
all-participants figures minus the colleges shown give only the pooled block, a group of at
least ``min_group`` people), and a group weighted by fewer than ``min_group`` participants in all
(:func:`~coopeval.data.disclosure.small_groups`) has no figure at all.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.data.disclosure import check_min_group, group_sizes, shown_by_group, small_groups
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
        Disclosure control, decided in each group of sibling nodes with the participants who
        weighted it (:func:`coopeval.data.disclosure.group_sizes`).
    rule : StoppingRule, optional
        Default :class:`StoppingRule()`.

    Returns
    -------
    dict of DataFrame
        ``"overall"`` — :func:`coopeval.weighting.agreement_table` of the round's
        participant weights; ``"by_college"`` — the same per college (column ``college``
        first), only in the groups where the college may be shown alone
        (:func:`coopeval.data.disclosure.shown_by_group`: a college under ``min_group``, and
        the colleges pooled with it, have no row there); ``"contested"`` —
        :func:`contested_nodes`; ``"status"`` — :func:`delphi_status` under ``rule``;
        (counting only the nodes of groups weighted by ``min_group`` people or more in every
        round); ``"counts"`` — ``college, n_participants`` who answered the round; ``"small_groups"``
        — ``parent`` of each group weighted by fewer than ``min_group`` participants in all
        (:func:`coopeval.data.disclosure.small_groups`), which has no row in ``"overall"``,
        ``"by_college"`` nor ``"contested"``.

    Examples
    --------
    In the sample deliberation five members of each college weighted the dimensions, three the
    criteria of « Social »: the colleges are shown for the dimensions only (in « Social » all five
    are pooled, a block of fifteen), and no group is under the minimum.

    >>> import coopeval as ce
    >>> j = ce.datasets.load("deliberation_exemple")
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> out = agreement_summary(j, fw, round=2)
    >>> out["by_college"].groupby("parent")["college"].nunique().to_dict(), out["small_groups"]["parent"].tolist()
    ({'overall': 5}, [])
    """
    rule = rule or StoppingRule()
    min_group = check_min_group(min_group)
    empty = {"overall": pd.DataFrame(), "by_college": pd.DataFrame(), "contested": pd.DataFrame(),
             "status": pd.DataFrame(), "counts": pd.DataFrame(columns=["college", "n_participants"]),
             "small_groups": pd.DataFrame(columns=["parent"])}
    if judgements.empty:
        return empty
    j = judgements.drop(columns=[c for c in ("reason",) if c in judgements.columns])
    now = j[j["round"] == round]
    if now.empty:
        return empty
    pw = participant_weights(now, fw)
    counts = now.groupby("college")["participant"].nunique().rename("n_participants").reset_index()
    sizes = group_sizes(pw)
    small = small_groups(sizes, min_group)
    shown = shown_by_group(sizes, min_group)
    by_college = []
    for college, g in pw.groupby("college", sort=True):
        parents = [p for p, colleges in shown.items() if str(college) in colleges]
        if parents:
            by_college.append(agreement_table(g[g["parent"].astype(str).isin(parents)]).assign(college=college))
    bc = pd.concat(by_college, ignore_index=True) if by_college else pd.DataFrame()
    if not bc.empty:
        bc = bc[["college", *[c for c in bc.columns if c != "college"]]]
    shown_pw = pw[~pw["parent"].astype(str).isin(small)]
    return {
        "overall": agreement_table(shown_pw) if len(shown_pw) else pd.DataFrame(),
        "by_college": bc,
        "contested": contested_nodes(shown_pw, lang=lang) if len(shown_pw) else pd.DataFrame(),
        "status": _status(_without_small_groups(j[j["round"] <= round], fw, min_group), fw, rule, lang),
        "counts": counts,
        "small_groups": pd.DataFrame({"parent": small}),
    }


def _without_small_groups(j: pd.DataFrame, fw, min_group: int) -> pd.DataFrame:  # noqa: ANN001
    """The judgements of the groups of sibling nodes weighted by ``min_group`` people or more in
    every round: the stopping rule's shares count nodes, and the consensus of a node weighted by
    three people is a statistic of three people (the share minus the nodes shown would give it)."""
    with_parent = j.assign(parent=j["node"].map({n: str(fw.parent(n)) for n in fw.node_ids}))
    small = {g for _, r in with_parent.groupby("round") for g in small_groups(group_sizes(r), min_group)}
    return j[~with_parent["parent"].isin(small)]


def _status(j: pd.DataFrame, fw, rule: StoppingRule, lang: str) -> pd.DataFrame:  # noqa: ANN001
    """:func:`delphi_status`; with a single round (where it currently fails on the empty
    stability table) the same rule is applied from :func:`consensus` alone."""
    if j.empty:
        return pd.DataFrame(columns=["round", "share_consensus", "share_changed", "stop", "reason"])
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
