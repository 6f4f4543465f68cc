"""The Judgements contract: validation and conversion to each participant's local weights.

Judgements are long: one row per judgement, columns
``session, round, participant, college, method, node, value`` (an optional
``reason`` column keeps the argument a participant gave, for Delphi feedback).
Every method is usable at any node of the framework: a participant judges the
children of one parent node (a *sibling group*) with one method; the parent is
deduced from the nodes named.

Encoding of ``value`` per ``method``
------------------------------------
``direct``
    ``node`` = a child node; ``value`` = importance rating on the scale
    ``direct_scale`` (default 0–10). Weight ∝ rating.
``points``
    ``node`` = a child node; ``value`` = points given (>= 0); the points of one
    participant in one group add up to ``points_total`` (default 100; ``None`` for a
    free dot vote). Weight ∝ points.
``ranking``
    ``node`` = a child node; ``value`` = rank, **1 = most important**, an integer
    in 1..k (k children); equal ranks are ties. Weights: rank-order centroid by
    default (``rank_method``).
``simos``
    ``node`` = a child node; ``value`` = position of its card on the table, **1 =
    least important**; equal positions are cards placed together; a gap between
    positions is that many blank cards (positions 1, 2, 4 = one blank card between
    the 2nd and the 3rd subsets). Blank cards may also be written explicitly as
    rows with ``node = "__blanc__"`` (or ``"__blank__"``, or ``"<parent>:__blanc__"``
    when the participant sorts several groups) and ``value`` = the position the
    blank card occupies; they must sit at free positions between two cards (they
    add nothing to the gap convention, they document it). The ratio z is given by a
    row whose ``node`` is ``"<parent>:z"`` (e.g. ``"overall:z"``), else ``simos_z``
    (default 6.5, the value of Figueira & Roy's worked example). Weights by the
    revised Simos procedure (Figueira & Roy 2002), 2 decimals, divided by 100.
``ahp``
    ``node`` = ``"a|b"`` with a and b two children of the same parent; ``value`` =
    Saaty judgement of a over b in [1/9, 9]. Each unordered pair must be given at
    least once; if both ``a|b`` and ``b|a`` are given they must be reciprocal
    (``|v_ab * v_ba - 1| <= reciprocal_tol``). Weights: principal eigenvector.
``swing``
    ``node`` = a child node; ``value`` = swing points in [0, 100], the most valued
    swing at exactly 100 (swings from ``worst`` to ``best`` of
    :func:`coopeval.weighting.swing_table`). Weight ∝ points.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from coopeval.contracts import JUDGEMENT_COLUMNS
from coopeval.errors import Issue, WeightingError
from coopeval.weighting.ahp import SAATY_MAX, SAATY_MIN, eigenvector_weights, geometric_weights
from coopeval.weighting.ranking import weights_from_ranks
from coopeval.weighting.simos import simos_from_positions

#: Elicitation methods understood in the ``method`` column.
METHODS = ("direct", "points", "ranking", "simos", "ahp", "swing")
#: Columns of the per-participant weights table.
PARTICIPANT_WEIGHT_COLUMNS = ["session", "round", "participant", "college", "method", "parent", "node", "weight"]


#: Node names of a Simos blank card (optionally prefixed by ``"<parent>:"``).
BLANK_NODES = ("__blanc__", "__blank__")


def _is_blank(node: str) -> bool:
    return str(node).rsplit(":", 1)[-1] in BLANK_NODES


def _where(idx, row) -> str:
    return f"row {idx}, participant {row['participant']!s}"


def validate_judgements(
    judgements: pd.DataFrame,
    fw,
    *,
    participants: pd.DataFrame | None = None,
    colleges: Iterable[str] | None = None,
    points_total: float | None = 100.0,
    direct_scale: tuple[float, float] = (0.0, 10.0),
    simos_z: float | None = 6.5,
    reciprocal_tol: float = 0.01,
) -> pd.DataFrame:
    """Check judgements against the contract and the framework; report every problem.

    Parameters
    ----------
    judgements : DataFrame
        Long table ``session, round, participant, college, method, node, value``
        (see the module docstring for the encoding of each method).
    fw : Framework
        The framework whose nodes are judged.
    participants : DataFrame, optional
        Roster with columns ``participant, college``: unknown participants and
        participants in the wrong college are reported.
    colleges : list of str, optional
        Allowed colleges: any other college is reported.
    points_total, direct_scale, simos_z, reciprocal_tol
        See the module docstring.

    Returns
    -------
    DataFrame
        The judgements with a ``parent`` column (the node whose children are
        judged) and, for AHP rows, ``node_a``/``node_b``; ``value`` as float.

    Raises
    ------
    WeightingError
        Listing every problem, each naming the row, participant and node:
        missing columns, unknown method/node/participant/college, non-numeric or
        out-of-range values, duplicates, several methods for one group, incomplete
        groups, AHP judgements that are not reciprocal, missing Simos ratio z.
    """
    _check_table(judgements)
    j = judgements.copy()
    j["value"] = pd.to_numeric(j["value"], errors="coerce").astype(float)
    issues: list[Issue] = []
    known_colleges = None if colleges is None else {str(c) for c in colleges}
    roster = None
    if participants is not None:
        roster = dict(zip(participants["participant"].astype(str), participants["college"].astype(str),
                          strict=True))
    parents, node_a, node_b = [], [], []
    reported: set[tuple[str, str]] = set()  # (participant, college) already checked
    for idx, row in j.iterrows():
        where = _where(idx, row)
        for col in ("session", "round", "participant", "college", "method", "node"):
            if pd.isna(row[col]):
                issues.append(Issue(where, col, "a value", "nothing"))
        if not np.isfinite(row["value"]):
            issues.append(Issue(where, str(row["node"]), "a numeric value", repr(judgements.at[idx, "value"])))
        parent, a, b = _judged_parent(row, where, fw, issues)
        parents.append(parent)
        node_a.append(a)
        node_b.append(b)
        college = str(row["college"])
        if (str(row["participant"]), college) in reported:
            continue
        reported.add((str(row["participant"]), college))
        _check_member(row, where, college, known_colleges, roster, issues)
    j["parent"], j["node_a"], j["node_b"] = parents, node_a, node_b
    blank = (j["method"] == "simos") & j["node"].astype(str).map(_is_blank)
    _blank_card_parents(j, blank, issues)
    # a participant belongs to one college
    colls = j.groupby(j["participant"].astype(str))["college"].nunique()
    for p in colls[colls > 1].index:
        found = sorted({str(c) for c in j.loc[j["participant"].astype(str) == p, "college"]})  # None → "None"
        issues.append(Issue(f"participant {p}", "college", "one college per participant", ", ".join(found)))
    dup = j.duplicated(["session", "round", "participant", "method", "node"], keep="first") & ~blank
    for idx in j.index[dup]:
        issues.append(Issue(_where(idx, j.loc[idx]), str(j.at[idx, "node"]), "one judgement per node and round",
                            "a duplicate"))
    ok = j[j["parent"].notna() & np.isfinite(j["value"]) & ~dup]
    for key, grp in ok.groupby(["session", "round", "participant", "parent"], sort=False):
        issues += _check_group(key, grp, fw, points_total=points_total, direct_scale=direct_scale,
                               simos_z=simos_z, reciprocal_tol=reciprocal_tol)
    if issues:
        raise WeightingError("invalid judgements", issues=issues)
    return j


def _check_table(judgements: object) -> None:
    """A non-empty DataFrame with the columns of the judgements contract."""
    if not isinstance(judgements, pd.DataFrame):
        raise WeightingError(f"parameter `judgements`: expected a DataFrame with columns "
                             f"{', '.join(JUDGEMENT_COLUMNS)}, got {type(judgements).__name__}")
    missing = [c for c in JUDGEMENT_COLUMNS if c not in judgements.columns]
    if missing:
        raise WeightingError(f"parameter `judgements`: expected columns {', '.join(JUDGEMENT_COLUMNS)}, "
                             f"missing {', '.join(missing)}")
    if judgements.empty:
        raise WeightingError("parameter `judgements`: expected at least one judgement, got an empty table")


def _judged_parent(row, where: str, fw, issues: list[Issue]) -> tuple:
    """The node whose children a row judges (and, for AHP, the pair ``a``, ``b``); ``None``
    and an issue when the method or node is unknown (``None`` without an issue for a Simos
    blank card that names no parent: deduced later from the participant's cards)."""
    parent, a, b = None, None, None
    method, node = row["method"], str(row["node"])
    if method not in METHODS:
        issues.append(Issue(where, "method", f"one of {', '.join(METHODS)}", repr(method)))
    elif method == "ahp":
        parts = node.split("|")
        if len(parts) != 2:
            issues.append(Issue(where, node, "an AHP pair 'a|b' of sibling nodes", repr(node)))
        else:
            a, b = parts
            for x in (a, b):
                if x not in fw or x == "overall":
                    issues.append(Issue(where, x, "a node of the framework", "an unknown node"))
            if a in fw and b in fw and a != "overall" and b != "overall":
                if fw.parent(a) != fw.parent(b) or a == b:
                    issues.append(Issue(where, node, "two distinct siblings (same parent)",
                                        f"parents {fw.parent(a)} and {fw.parent(b)}"))
                else:
                    parent = fw.parent(a)
    elif method == "simos" and _is_blank(node):
        p = node.rsplit(":", 1)[0] if ":" in node else None
        if p is not None and (p not in fw or fw.level(p) == "indicator"):
            issues.append(Issue(where, node, "'<parent>:__blanc__' naming a node with children",
                                "an unknown node"))
        else:
            parent = p  # None: deduced below from the participant's Simos cards
    elif method == "simos" and node.endswith(":z"):
        p = node[:-2]
        if p not in fw or not fw.children(p) or fw.level(p) == "indicator":
            issues.append(Issue(where, node, "'<parent>:z' naming a node with children", "an unknown node"))
        else:
            parent = p
    elif node not in fw or node == "overall":
        issues.append(Issue(where, node, "a node of the framework", "an unknown node"))
    else:
        parent = fw.parent(node)
    return parent, a, b


def _check_member(row, where: str, college: str, known_colleges: set[str] | None,
                  roster: dict[str, str] | None, issues: list[Issue]) -> None:
    """The participant's college among the allowed ones and as in the roster."""
    if known_colleges is not None and college not in known_colleges:
        issues.append(Issue(where, "college", f"one of {', '.join(sorted(known_colleges))}", repr(college)))
    if roster is not None:
        p = str(row["participant"])
        if p not in roster:
            issues.append(Issue(where, "participant", "a participant of the roster", repr(p)))
        elif roster[p] != college:
            issues.append(Issue(where, "college", f"{roster[p]!r} (roster)", repr(college)))


def _blank_card_parents(j: pd.DataFrame, blank: pd.Series, issues: list[Issue]) -> None:
    """A Simos blank card naming no parent takes the one Simos group of its participant and round."""
    for idx in j.index[blank & j["parent"].isna()]:
        row = j.loc[idx]
        same = j[(j["session"] == row["session"]) & (j["round"] == row["round"])
                 & (j["participant"] == row["participant"]) & (j["method"] == "simos") & ~blank]
        found = same["parent"].dropna().unique()
        if len(found) == 1:
            j.at[idx, "parent"] = found[0]
        else:
            issues.append(Issue(_where(idx, row), str(row["node"]),
                                "a blank card of one Simos group (write '<parent>:__blanc__')",
                                f"{len(found)} Simos groups for this participant"))

def _check_group(key, grp, fw, *, points_total, direct_scale, simos_z, reciprocal_tol) -> list[Issue]:
    session, rnd, participant, parent = key
    where = f"session {session}, round {rnd}, participant {participant}, node {parent}"
    methods = grp["method"].unique()
    if len(methods) > 1:
        return [Issue(where, parent, "one method per group of sibling nodes", ", ".join(sorted(methods)))]
    method = methods[0]
    kids = fw.children(parent)
    issues = []
    if method == "ahp":
        given = {}
        for r in grp.itertuples():
            given[(r.node_a, r.node_b)] = r.value
            if not SAATY_MIN * (1 - 1e-6) <= r.value <= SAATY_MAX * (1 + 1e-6):
                issues.append(Issue(where, r.node, "a Saaty judgement in [1/9, 9]", f"{r.value:g}"))
        for i, a in enumerate(kids):
            for b in kids[i + 1:]:
                ab, ba = given.get((a, b)), given.get((b, a))
                if ab is None and ba is None:
                    issues.append(Issue(where, f"{a}|{b}", "a judgement for every pair", "none"))
                elif ab is not None and ba is not None and abs(ab * ba - 1) > reciprocal_tol:
                    issues.append(Issue(where, f"{a}|{b}", f"reciprocal judgements ({b}|{a} = 1/{ab:g})",
                                        f"{b}|{a} = {ba:g}"))
        return issues
    cards = grp[grp["node"].astype(str).isin(kids)]
    missing = [k for k in kids if k not in set(cards["node"].astype(str))]
    for k in missing:
        issues.append(Issue(where, k, f"a `{method}` judgement for every child of {parent}", "none"))
    v = cards["value"].to_numpy()
    nodes = cards["node"].astype(str).tolist()
    lo, hi = {"direct": direct_scale, "points": (0, np.inf), "swing": (0, 100),
              "ranking": (1, len(kids)), "simos": (1, np.inf)}[method]
    for node, x in zip(nodes, v, strict=True):
        if not lo <= x <= hi or (method in ("ranking", "simos") and not float(x).is_integer()):
            kind = "an integer " if method in ("ranking", "simos") else "a value "
            issues.append(Issue(where, node, f"{kind}in [{lo:g}, {hi:g}] ({method})", f"{x:g}"))
    if issues or missing:
        return issues
    if method in ("direct", "points", "swing") and not (v > 0).any():
        issues.append(Issue(where, parent, "at least one positive value", "all zero"))
    if method == "points" and points_total is not None and abs(v.sum() - points_total) > 1e-6:
        issues.append(Issue(where, parent, f"points adding up to {points_total:g}", f"{v.sum():g}"))
    if method == "swing" and not np.isclose(v.max(), 100.0):
        issues.append(Issue(where, parent, "the most valued swing at 100", f"a maximum of {v.max():g}"))
    if method == "simos":
        blanks = grp[grp["node"].astype(str).map(_is_blank)]
        for b in blanks["value"]:
            if not (v.min() < b < v.max()) or b in v or not float(b).is_integer():
                issues.append(Issue(where, "__blanc__", "a blank card at a free position between two cards",
                                    f"position {b:g}"))
        zrow = grp[grp["node"].astype(str) == f"{parent}:z"]
        z = zrow["value"].iloc[0] if len(zrow) else simos_z
        if z is None:
            issues.append(Issue(where, f"{parent}:z", "the Simos ratio z (row '<parent>:z' or simos_z)", "none"))
        elif not z >= 1 or (z == 1 and len(np.unique(v)) > 1):
            issues.append(Issue(where, f"{parent}:z", "a ratio z > 1", f"{z:g}"))
    return issues


def participant_weights(
    judgements: pd.DataFrame,
    fw,
    *,
    rank_method: str = "roc",
    ahp_method: str = "eigenvector",
    simos_z: float | None = 6.5,
    validate: bool = True,
    **validate_kwargs,
) -> pd.DataFrame:
    """Each participant's local weights, per round and group of sibling nodes.

    Parameters
    ----------
    judgements : DataFrame
        Judgements contract (see the module docstring).
    fw : Framework
    rank_method : {"roc", "rank_sum", "reciprocal"}, default "roc"
        Surrogate weights for ``ranking`` judgements.
    ahp_method : {"eigenvector", "geometric"}, default "eigenvector"
        AHP priorities: principal eigenvector or row geometric mean.
    simos_z : float or None, default 6.5
        Ratio z for Simos groups that carry no ``"<parent>:z"`` row (``None``: such a
        row is required).
    validate : bool, default True
        Run :func:`validate_judgements` first (keyword arguments are passed to it).

    Returns
    -------
    DataFrame
        ``session, round, participant, college, method, parent, node, weight``:
        one row per participant, round and child node judged; weights sum to 1
        within each (session, round, participant, parent).
    """
    j = validate_judgements(judgements, fw, simos_z=simos_z, **validate_kwargs) if validate else judgements
    rows = []
    for (session, rnd, participant, parent), grp in j.groupby(
            ["session", "round", "participant", "parent"], sort=False):
        method = grp["method"].iloc[0]
        kids = fw.children(parent)
        w = group_weights(grp, kids, method, rank_method=rank_method, ahp_method=ahp_method, simos_z=simos_z)
        college = grp["college"].iloc[0]
        rows += [{"session": session, "round": rnd, "participant": participant, "college": college,
                  "method": method, "parent": parent, "node": k, "weight": float(x)}
                 for k, x in zip(kids, w, strict=True)]
    return pd.DataFrame(rows, columns=PARTICIPANT_WEIGHT_COLUMNS)


def ahp_matrix(grp: pd.DataFrame, kids: list[str]) -> np.ndarray:
    """The full reciprocal matrix from the AHP rows of one group (upper triangle wins
    when both orientations are given, the lower one being its checked reciprocal)."""
    pos = {k: i for i, k in enumerate(kids)}
    a = np.ones((len(kids), len(kids)))
    for r in grp.itertuples():
        i, k = pos[r.node_a], pos[r.node_b]
        if i < k or a[k, i] == 1.0:
            a[i, k], a[k, i] = r.value, 1.0 / r.value
    return a


def group_weights(grp: pd.DataFrame, kids: list[str], method: str, *, rank_method: str = "roc",
                  ahp_method: str = "eigenvector", simos_z: float | None = None) -> np.ndarray:
    """Local weights of ``kids`` from the (validated) rows of one participant and group."""
    if method == "ahp":
        a = ahp_matrix(grp, kids)
        return geometric_weights(a) if ahp_method == "geometric" else eigenvector_weights(a)[0]
    grp = grp[~grp["node"].astype(str).map(_is_blank)]
    vals = grp.set_index(grp["node"].astype(str))["value"]
    v = vals.reindex(kids).to_numpy(dtype=float)
    if method == "ranking":
        return weights_from_ranks(v, rank_method)
    if method == "simos":
        parent = grp["parent"].iloc[0]
        z = vals.get(f"{parent}:z", simos_z)
        return simos_from_positions(v, float(z), decimals=2) / 100.0
    return v / v.sum()
