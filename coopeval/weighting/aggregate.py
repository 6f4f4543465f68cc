"""Aggregation of participants' judgements into a :class:`WeightSet`, by college or pooled."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coopeval.data.disclosure import (
    check_college_shares_by_group,
    check_min_group,
    check_pooling_by_group,
    group_sizes,
    small_groups,
    voice_blocks,
    warn_disclosure,
)
from coopeval.data.small_groups import DEFAULT_MIN_N
from coopeval.errors import WeightingError, bad_param
from coopeval.weighting.judgements import participant_weights
from coopeval.weighting.shares import validate_college_shares  # noqa: F401 - re-exported
from coopeval.weighting.weightset import AGGREGATIONS, Group, WeightSet, pool

_POOLED = "__tous__"


def select_round(judgements: pd.DataFrame, session=None, round=None) -> pd.DataFrame:  # noqa: A002
    """Rows of one session (required when several) and one round (default: the last)."""
    sessions = judgements["session"].unique()
    if session is None:
        if len(sessions) > 1:
            bad_param("session", f"one of {sorted(map(str, sessions))} (the judgements hold several sessions)",
                      None, WeightingError)
        session = sessions[0]
    j = judgements[judgements["session"] == session]
    if j.empty:
        bad_param("session", f"one of {sorted(map(str, sessions))}", session, WeightingError)
    rounds = sorted(j["round"].unique())
    rnd = rounds[-1] if round is None else round
    j = j[j["round"] == rnd]
    if j.empty:
        bad_param("round", f"one of {rounds}", round, WeightingError)
    return j


def aggregate(
    judgements: pd.DataFrame,
    fw,
    by: str | None = "college",
    college_shares: Mapping[str, float] | pd.Series | None = None,
    *,
    method: str = "mean",
    share_bounds: tuple[float, float] | None = None,
    session=None,
    round=None,  # noqa: A002
    participants: pd.DataFrame | None = None,
    colleges: Iterable[str] | None = None,
    rank_method: str = "roc",
    ahp_method: str = "eigenvector",
    simos_z: float | None = 6.5,
    points_total: float | None = 100.0,
    direct_scale: tuple[float, float] = (0.0, 10.0),
    sample_method: str = "bootstrap",
    min_group: int = DEFAULT_MIN_N,
    disclose_small_colleges: bool = False,
) -> WeightSet:
    """Aggregate the judgements of a deliberative session into a :class:`WeightSet`.

    Parameters
    ----------
    judgements : DataFrame
        Judgements contract ``session, round, participant, college, method, node, value``
        (encoding per method: :mod:`coopeval.weighting.judgements`). Any method may be
        used for any group of sibling nodes; participants may use different methods.
    fw : Framework
    by : {"college", "participant"} or None, default "college"
        ``college``: each college's weights first (pooling its members), then the
        colleges combined with their voices. ``participant``/``None``: every
        participant pooled with an equal voice.
    college_shares : dict, optional
        Voice of each college (sum 1); default equal voices. For a group that some
        college did not judge, the shares of the others are renormalised.
    method : {"mean", "median", "geometric"}, default "mean"
        Pooling of participants within a college (arithmetic mean, median,
        geometric mean then renormalised); colleges are combined by a weighted
        arithmetic mean (``mean``, ``median``) or weighted geometric mean
        (``geometric``). With ``ahp_method="geometric"``, ``method="geometric"`` equals
        the aggregation of individual judgements (geometric mean of the matrices).
    share_bounds : (low, high), optional
        Statutory bounds of each college share, e.g. ``(0.10, 0.50)`` in a SCIC.
    session, round
        Which session (required if several) and round (default the last one).
    participants, colleges
        Roster (``participant, college``) and allowed colleges, for validation.
    rank_method, ahp_method, simos_z, points_total, direct_scale
        Method options (see :func:`~coopeval.weighting.judgements.participant_weights`).
    sample_method : {"bootstrap", "dirichlet", "point"}, default "bootstrap"
        Default of :meth:`WeightSet.sample`.
    min_group : int, default 5
        Disclosure control (issue 16), decided in **each group of sibling nodes** with the
        number of each college's participants who weighted that group
        (:func:`coopeval.data.disclosure.group_sizes`): the colleges with fewer participants,
        and as many of the smallest others as needed
        (:func:`coopeval.data.disclosure.college_blocks`), form one pooled block whose
        colleges must get **the same share** — the group's combined weights then depend on
        them only through the block's mean, a statistic of at least ``min_group`` people,
        whatever voices are tried and however many outputs are compared. ``by="participant"``
        is refused when the pooled colleges of a group differ in size (it weights them by
        their sizes). The same rule guards
        :meth:`WeightSet.with_college_shares` of the result, :class:`coopeval.Evaluation`
        and the « Et si… ? » sliders.
    disclose_small_colleges : bool, default False
        Explicit opt-out for a researcher who holds the raw judgements (and could compute
        anything from them anyway), e.g. to reproduce a published example with a few
        participants: no share is refused, a
        :class:`~coopeval.data.disclosure.SmallGroupDisclosureWarning` is emitted and logged
        (logger ``coopeval.disclosure``), and the result carries ``min_group = None`` so
        that it is recognisable as not publishable.

    Returns
    -------
    WeightSet
        Groups nobody judged keep the framework's default weights, and so do the groups
        weighted by fewer than ``min_group`` participants in all (:meth:`WeightSet.small_groups`:
        their mean would be recoverable from the scores; not with
        ``disclose_small_colleges=True``). Its ``local`` weights are the publishable output
        (:meth:`WeightSet.shown_local` hides those of the small groups, which are not
        deliberated weights); ``by_participant`` and ``by_college`` are the researcher's
        raw views (every college, whatever its size): publish colleges' weights through
        :meth:`coopeval.Evaluation.weights_by_college` or
        :func:`coopeval.plots.weights_by_college` with ``min_group``, which pool small colleges.

    Raises
    ------
    WeightingError
        Besides invalid inputs: shares that differ among the pooled colleges of a group, or
        ``by="participant"`` with pooled colleges of different sizes in a group (unless
        ``disclose_small_colleges=True``).

    Notes
    -----
    For a group with children :math:`1..K`, college :math:`c` with members
    :math:`P_c` and share :math:`s_c`: :math:`w_c = \\mathrm{pool}_{p \\in P_c}(w_p)`
    and :math:`w = \\sum_c s_c w_c / \\sum_c s_c` (or
    :math:`\\prod_c w_c^{s_c}` renormalised for ``geometric``).

    References
    ----------
    Forman, E. & Peniwati, K. (1998). Aggregating individual judgments and priorities
    with the Analytic Hierarchy Process. *European Journal of Operational Research*
    108(1), 165–169.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> j = pd.DataFrame({"session": "s1", "round": 1, "participant": ["p1", "p1", "p2", "p2"],
    ...                   "college": ["habitants", "habitants", "salariés", "salariés"],
    ...                   "method": "points", "node": ["creation_emplois", "qualite_emploi"] * 2,
    ...                   "value": [70, 30, 40, 60]})
    >>> ws = ce.weighting.aggregate(j, fw, min_group=2)   # two people: a group of 2 allowed
    >>> ws.local[["creation_emplois", "qualite_emploi"]].round(2).tolist()
    [0.55, 0.45]

    With the default minimum of 5, the weights of two people are not used (the scores would give
    them back): the group keeps the framework's default weights.

    >>> ce.weighting.aggregate(j, fw).small_groups()
    ['emploi']
    """
    if by not in ("college", "participant", None):
        bad_param("by", "'college', 'participant' or None", by, WeightingError)
    if method not in AGGREGATIONS:
        bad_param("method", f"one of {AGGREGATIONS}", method, WeightingError)
    if ahp_method not in ("eigenvector", "geometric"):
        bad_param("ahp_method", "'eigenvector' or 'geometric'", ahp_method, WeightingError)
    pw_all = participant_weights(judgements, fw, rank_method=rank_method, ahp_method=ahp_method,
                                 simos_z=simos_z, participants=participants, colleges=colleges,
                                 points_total=points_total, direct_scale=direct_scale)
    min_group = check_min_group(min_group)
    pw = select_round(pw_all, session, round)
    present = sorted(pw["college"].astype(str).unique())
    if by == "college":
        shares = validate_college_shares(college_shares, present, bounds=share_bounds)
    else:
        if college_shares is not None:
            bad_param("college_shares", "None when by is not 'college'", college_shares, WeightingError)
        shares = pd.Series(dtype=float, name="share")
    sizes = group_sizes(pw)  # per group of sibling nodes: who weighted it
    small = small_groups(sizes, min_group)
    if disclose_small_colleges:
        in_small = {c for g in small for c in sizes[g]}
        warn_disclosure("coopeval.weighting.aggregate", sorted(set(voice_blocks(sizes, min_group)[1]) | in_small),
                        min_group)
    elif by == "college":
        check_college_shares_by_group(shares.to_dict(), sizes, min_group)
    else:
        check_pooling_by_group(sizes, min_group)
    local = fw.default_weights("local").reindex(fw.node_ids).astype(float)
    # a group weighted by fewer than min_group people in all keeps the default weights: its few
    # judgements would be recoverable from the scores (and the Monte Carlo draws) they shape
    unused = set() if disclose_small_colleges else set(small)
    groups, by_college = [], []
    for parent in [p for p in ["overall", *fw.node_ids] if p in set(pw["parent"])]:
        kids = fw.children(parent)
        g = pw[pw["parent"] == parent]
        wide = g.pivot(index="participant", columns="node", values="weight")[kids]
        coll = g.groupby("participant")["college"].first().reindex(wide.index).astype(str).to_numpy()
        if by == "college":
            sh = {c: float(shares[c]) for c in present if c in set(coll)}
        else:
            sh, coll = {_POOLED: 1.0}, np.full(len(wide), _POOLED)
        grp = Group(parent, kids, wide.to_numpy(dtype=float), coll, sh)
        if parent not in unused:    # a small group stays in the researcher's raw views only
            groups.append(grp)
            local[kids] = grp.point(method)
        if by == "college":
            for c in sh:
                w = pool(grp.weights[coll == c], method)
                by_college += [{"college": c, "parent": parent, "node": k, "weight": float(x)}
                               for k, x in zip(kids, w, strict=True)]
    by_participant = pw[["participant", "college", "parent", "node", "weight", "method"]].reset_index(drop=True)
    return WeightSet(fw, local, groups=groups, by_participant=by_participant,
                     by_college=pd.DataFrame(by_college, columns=["college", "parent", "node", "weight"]),
                     college_shares=shares, aggregation=method, sample_method=sample_method,
                     min_group=None if disclose_small_colleges else min_group)
