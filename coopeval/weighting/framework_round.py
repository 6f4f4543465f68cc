"""A framework round: deliberating *what* is measured, not only how much it weighs.

Participants propose to keep, remove, rename or reword a criterion or an indicator, to add
a new one (saying what it measures and why it matters to them), or to set a goalpost or a
target; proposals are gathered anonymously and voted on by college. This module holds the
logic, as plain functions on tables (the store keeps proposals, votes and decisions:
:mod:`coopeval.store.decisions`):

* :func:`tally` counts the votes by college, hiding colleges under ``min_group`` (and a
  complementary cell when one hidden college could be recovered from the total);
* :func:`apply_change` applies one adopted change to a :class:`coopeval.Framework` with its
  own adaptation methods (``drop``, ``extend``, ``override``);
* :func:`goalpost_references` shows, for each indicator, its goalposts, their stated source
  and the values the cooperations reached in earlier waves;
* :func:`unsourced_goalposts` lists the goalposts that state no source;
* :func:`material_outcomes` reads the materiality decisions of a register (which outcomes
  an SROI or an externality account values, for whom).

Example
-------
>>> import pandas as pd
>>> votes = pd.DataFrame({"proposal": [1] * 8, "college": ["habitants"] * 6 + ["elus"] * 2,
...                       "vote": ["for"] * 5 + ["against"] * 3})
>>> tally(votes, min_group=5)[["proposal", "college", "n", "n_for", "suppressed"]].to_dict("records")[0]
{'proposal': 1, 'college': 'elus', 'n': nan, 'n_for': nan, 'suppressed': True}
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.data.small_groups import secondary_suppression
from coopeval.errors import CoopevalError, bad_param
from coopeval.framework import Framework

__all__ = ["OPS", "FRAMEWORK_OPS", "MATERIALITY_OPS", "VOTES", "TALLY_COLUMNS", "ALL_COLLEGES", "tally",
           "votes_by_college", "apply_change", "goalpost_references", "unsourced_goalposts", "material_outcomes",
           "keep_material"]

#: Changes a framework round may propose (``goalpost``: lower/upper; ``target``: the target value).
FRAMEWORK_OPS = ("keep", "remove", "rename", "reword", "add", "goalpost", "target")
#: Materiality decisions: an outcome is material (valued) or not.
MATERIALITY_OPS = ("material", "not_material")
OPS = FRAMEWORK_OPS + MATERIALITY_OPS
VOTES = ("for", "against", "abstain")
#: Columns of :func:`tally`.
TALLY_COLUMNS = ["proposal", "college", "n", "n_for", "n_against", "n_abstain", "suppressed"]
#: Label of the all-colleges row of a tally and of the collective view of a deliberation
#: (:mod:`coopeval.store.collective` imports it from here).
ALL_COLLEGES = "ensemble"


def tally(votes: pd.DataFrame, *, min_group: int = 5) -> pd.DataFrame:
    """Votes counted by proposal and college, small groups hidden.

    Parameters
    ----------
    votes : DataFrame
        One row per vote: ``proposal, college, vote`` (``for``, ``against`` or ``abstain``).
    min_group : int, default 5
        A college with fewer voters on a proposal is not shown separately (its counts are
        NaN and ``suppressed`` is True; its votes still count in the ``ensemble`` row). When
        a cell of a proposal is hidden, the smallest shown colleges are hidden too until the
        hidden ones are two or more and hold ``min_group`` voters together (or the total
        is hidden), so that no group under the minimum can be recovered by subtraction
        (:func:`coopeval.data.small_groups.secondary_suppression`).

    Returns
    -------
    DataFrame
        :data:`TALLY_COLUMNS`, one row per proposal and college (colleges in alphabetical
        order) and one ``ensemble`` row per proposal.

    Examples
    --------
    >>> import pandas as pd
    >>> v = pd.DataFrame({"proposal": [1] * 12, "college": ["a"] * 6 + ["b"] * 6,
    ...                   "vote": ["for"] * 10 + ["against"] * 2})
    >>> tally(v)[["college", "n", "n_for", "n_against"]].values.tolist()
    [['a', 6.0, 6.0, 0.0], ['b', 6.0, 4.0, 2.0], ['ensemble', 12.0, 10.0, 2.0]]
    """
    if isinstance(min_group, bool) or not isinstance(min_group, int) or min_group < 1:
        bad_param("min_group", "a positive integer", min_group)
    missing = [c for c in ("proposal", "college", "vote") if c not in getattr(votes, "columns", [])]
    if missing:
        bad_param("votes", "a DataFrame with columns proposal, college, vote", f"missing {', '.join(missing)}")
    bad = sorted(set(votes["vote"]) - set(VOTES))
    if bad:
        bad_param("votes.vote", f"one of {', '.join(VOTES)}", bad)
    if votes.empty:
        return pd.DataFrame(columns=TALLY_COLUMNS)
    rows = []
    for proposal, pv in votes.groupby("proposal", sort=True):
        for college, cv in [*sorted(pv.groupby("college")), (ALL_COLLEGES, pv)]:
            counts = cv["vote"].value_counts()
            rows.append({"proposal": proposal, "college": college, "n": float(len(cv)),
                         **{f"n_{v}": float(counts.get(v, 0)) for v in VOTES}})
    out = pd.DataFrame(rows)
    hidden = (out["n"] < min_group).to_numpy()
    codes = pd.factorize(out["proposal"])[0]
    hidden = secondary_suppression(out["n"].to_numpy(), hidden, codes, (out["college"] == ALL_COLLEGES).to_numpy(),
                                   min_group)
    out.loc[hidden, ["n", "n_for", "n_against", "n_abstain"]] = np.nan
    out["suppressed"] = hidden
    return out[TALLY_COLUMNS].reset_index(drop=True)


def votes_by_college(table: pd.DataFrame, proposal: Any) -> dict:
    """The tally of one proposal as stored in the register: ``{college: {n, for, against,
    abstain}}``, a hidden college as ``{"hidden": True}``.

    >>> import pandas as pd
    >>> v = pd.DataFrame({"proposal": [1] * 6, "college": ["a"] * 6, "vote": ["for"] * 6})
    >>> votes_by_college(tally(v), 1)["a"]
    {'n': 6, 'for': 6, 'against': 0, 'abstain': 0}
    """
    out: dict[str, dict] = {}
    for r in table[table["proposal"] == proposal].itertuples():
        out[str(r.college)] = ({"hidden": True} if r.suppressed else
                               {"n": int(r.n), "for": int(r.n_for), "against": int(r.n_against),
                                "abstain": int(r.n_abstain)})
    return out


def apply_change(fw: Framework, op: str, target: str | None = None, *, text: str | None = None,
                 parent: str | None = None, node: dict | None = None, value: dict | None = None) -> Framework:
    """The framework after one adopted change (``keep`` and the materiality ops change nothing).

    Parameters
    ----------
    fw : Framework
    op : str
        ``keep``, ``remove`` (:meth:`Framework.drop`), ``rename`` (new ``label_fr``), ``reword``
        (new ``description_fr``), ``add`` (:meth:`Framework.extend` of ``node`` under
        ``parent``), ``goalpost`` (``value``: ``lower``, ``upper`` and ``goalpost_source``) or
        ``target`` (``value``: ``target`` and ``goalpost_source``), all recorded in the
        framework's lineage.
    target : str
        The node concerned (not for ``add``).
    text : str
        The new label or wording.
    parent, node
        Where the new node goes and its complete description (id, labels, unit, kind,
        direction, source, goalposts…), written by the facilitator from the proposal.
    value : dict
        New goalposts or target.

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> ind = fw.indicator_ids[0]
    >>> new = apply_change(fw, "rename", ind, text="Un nom choisi ensemble")
    >>> new.label(ind), new.lineage["changes"][-1]["op"]
    ('Un nom choisi ensemble', 'override')
    """
    if op not in OPS:
        bad_param("op", f"one of {', '.join(OPS)}", op)
    if op in ("keep", *MATERIALITY_OPS):
        return fw
    if op == "add":
        if not isinstance(node, dict) or not node.get("id"):
            bad_param("node", "the complete description of the new node (id, label_fr, label_en, …)", node)
        return fw.extend(parent or "overall", node)
    if target is None or target not in fw:
        bad_param("target", f"a node of framework {fw.id}", target)
    if op == "remove":
        return fw.drop(target)
    if op in ("rename", "reword"):
        if not isinstance(text, str) or not text.strip():
            bad_param("text", "the new label or wording", text)
        return fw.override(target, **{"label_fr" if op == "rename" else "description_fr": text.strip()})
    keys = ("lower", "upper", "goalpost_source") if op == "goalpost" else ("target", "goalpost_source")
    fields = {k: v for k, v in (value or {}).items() if k in keys}
    if set(value or {}) - set(keys) or not fields:
        bad_param("value", f"a dict with keys among {', '.join(keys)}", value)
    return fw.override(target, **fields)


def goalpost_references(fw: Framework, observations: pd.DataFrame, unit: str | None = None) -> pd.DataFrame:
    """What a collective can look at before setting a goalpost: the framework's goalposts, their
    stated source, and the values reached in the project's earlier waves.

    Parameters
    ----------
    fw : Framework
    observations : DataFrame
        ``unit, wave, indicator, value`` (e.g. ``project.observations()``).
    unit : str, optional
        The cooperation: its own value in each wave is given as ``own``.

    Returns
    -------
    DataFrame
        ``indicator, lower, upper, target, goalpost_source, wave, n_units, min, median, max``
        (+ ``own`` when ``unit`` is given); one row per observed indicator and wave. For an
        indicator with relative goalposts the values are the relative ones (per member, or
        ratio to each cooperation's baseline: :mod:`coopeval.scoring.relative`), which its
        goalposts bound.

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = ce.datasets.load("panel_synthetique", table="observations")
    >>> ref = goalpost_references(fw, obs, unit="u01")
    >>> {"goalpost_source", "median", "own"} <= set(ref.columns)
    True
    """
    from coopeval.scoring.relative import relativise

    ind = fw.indicators.set_index("indicator")
    # relative goalposts (issue 22) bound the value per member or against the baseline: show those values
    observations = relativise(observations, fw).data
    obs = observations[observations["indicator"].isin(ind.index)]
    stats = (obs.groupby(["indicator", "wave"])["value"]
             .agg(n_units="count", min="min", median="median", max="max").reset_index())
    if unit is not None:
        own = obs[obs["unit"].astype(str) == str(unit)].groupby(["indicator", "wave"])["value"].first()
        stats["own"] = [own.get((i, w), np.nan) for i, w in zip(stats["indicator"], stats["wave"], strict=True)]
    sources = {i: fw.node(i).get("goalpost_source") for i in ind.index}
    head = pd.DataFrame({"indicator": ind.index, "lower": ind["lower"].to_numpy(), "upper": ind["upper"].to_numpy(),
                         "target": ind["target"].to_numpy(), "goalpost_source": [sources[i] for i in ind.index]})
    return head.merge(stats, on="indicator", how="inner").reset_index(drop=True)


def unsourced_goalposts(fw: Framework) -> pd.DataFrame:
    """Indicators whose goalposts (``lower``/``upper``) or target state no ``goalpost_source``.

    Returns
    -------
    DataFrame
        ``framework, indicator, unit, lower, upper, target, bound_kind, per, relative_to, change``:
        ``bound_kind`` is ``"scale"`` when the goalposts are the measurement scale's own ends (a
        Likert, ordinal, grid or yes/no indicator, or a share between 0 and 1 or 0 and 100 %, with
        no target other than parity for a share of women),
        ``"relative"`` when they bound a relative value — per a reference variable and/or
        against the cooperation's own baseline, the same rule for a village tiers-lieu and a
        regional PTCE (``per, relative_to, change`` say which, see
        :mod:`coopeval.scoring.relative`) — and ``"convention"`` otherwise (an absolute number
        chosen by the framework's authors: to be sourced or decided).

    >>> import coopeval as ce
    >>> u = unsourced_goalposts(ce.load_framework("tiers_lieu"))
    >>> row = u.set_index("indicator").loc["usagers_reguliers"]
    >>> float(row["lower"]), float(row["upper"]), row["bound_kind"], row["relative_to"]
    (0.5, 2.0, 'relative', 'baseline')
    """
    from coopeval.framework.limits import _SHARE_UNITS

    ind = fw.indicators
    rel = fw.relative_goalposts.set_index("indicator")
    rows = []
    for r in ind.itertuples():
        node = fw.node(r.indicator)
        if not (pd.notna(r.lower) or pd.notna(r.upper) or pd.notna(r.target)) or node.get("goalpost_source"):
            continue
        unit = str(r.unit).lower()
        share = ((unit.startswith(_SHARE_UNITS) and r.lower == 0 and r.upper == 1)
                 or (unit.startswith(("pourcentage", "percent")) and r.lower == 0 and r.upper == 100))
        scale = node["kind"] in ("likert", "ordinal", "binary", "grid") or share
        if pd.notna(r.target):  # a target is a choice, save parity (half by definition) on a share of women
            scale = scale and r.target == 0.5 and any(w in r.indicator for w in ("parite", "femmes"))
        kind = "relative" if r.indicator in rel.index else "scale" if scale else "convention"
        spec = rel.loc[r.indicator] if kind == "relative" else None
        rows.append({"framework": fw.id, "indicator": r.indicator, "unit": r.unit, "lower": r.lower,
                     "upper": r.upper, "target": r.target, "bound_kind": kind,
                     "per": None if spec is None else spec["per"],
                     "relative_to": None if spec is None else spec["relative_to"],
                     "change": None if spec is None else spec["change"]})
    return pd.DataFrame(rows, columns=["framework", "indicator", "unit", "lower", "upper", "target", "bound_kind",
                                       "per", "relative_to", "change"])


def material_outcomes(decisions: pd.DataFrame) -> pd.DataFrame:
    """The outcomes judged material (valued in an SROI or an externality account), from a
    register of decisions: the latest adopted materiality decision of each outcome wins.

    Returns
    -------
    DataFrame
        ``outcome, material, for_whom, reason, decided_at``.

    >>> import pandas as pd
    >>> reg = pd.DataFrame({"at": ["1", "2"], "kind": ["materiality"] * 2, "op": ["material", "not_material"],
    ...                     "target": ["emploi", "co2"], "outcome": ["adopted"] * 2, "reason": ["", ""],
    ...                     "detail": [{"for_whom": ["habitants"]}, {}]})
    >>> material_outcomes(reg)[["outcome", "material"]].values.tolist()
    [['co2', False], ['emploi', True]]
    """
    cols = ["outcome", "material", "for_whom", "reason", "decided_at"]
    if decisions is None or decisions.empty:
        return pd.DataFrame(columns=cols)
    d = decisions[(decisions["kind"] == "materiality") & (decisions["outcome"] == "adopted")]
    d = d.sort_values("at").groupby("target", sort=True).tail(1).sort_values("target")
    if d.empty:
        return pd.DataFrame(columns=cols)
    try:
        return pd.DataFrame({"outcome": d["target"].to_numpy(), "material": (d["op"] == "material").to_numpy(),
                             "for_whom": [(x or {}).get("for_whom", []) for x in d["detail"]],
                             "reason": d["reason"].to_numpy(), "decided_at": d["at"].to_numpy()})
    except (AttributeError, KeyError) as err:  # pragma: no cover - malformed register
        raise CoopevalError(f"decisions: expected the register of Project.decisions(), got {err}") from None


def keep_material(table: pd.DataFrame, decisions: pd.DataFrame, *, column: str = "outcome",
                  undecided: str = "raise") -> pd.DataFrame:
    """The rows of an SROI outcome table (or an externality ledger: ``column="externality"``)
    whose outcome the stakeholders judged material, as recorded in the register.

    Parameters
    ----------
    table : DataFrame
        e.g. the ``outcomes`` table of :func:`coopeval.valuation.sroi`.
    decisions : DataFrame
        The register (:meth:`coopeval.Project.decisions`).
    column : str
        The column naming the outcome (the ``target`` of a materiality decision).
    undecided : {"raise", "keep", "drop"}
        What to do with an outcome on which no materiality decision was recorded.

    Examples
    --------
    >>> import pandas as pd
    >>> reg = pd.DataFrame({"at": ["1", "2"], "kind": ["materiality"] * 2, "op": ["material", "not_material"],
    ...                     "target": ["emploi", "co2"], "outcome": ["adopted"] * 2, "reason": ["", ""],
    ...                     "detail": [{}, {}]})
    >>> out = pd.DataFrame({"outcome": ["emploi", "co2"], "quantity": [6, 40]})
    >>> keep_material(out, reg)["outcome"].tolist()
    ['emploi']
    """
    if undecided not in ("raise", "keep", "drop"):
        bad_param("undecided", "'raise', 'keep' or 'drop'", undecided)
    if column not in getattr(table, "columns", []):
        bad_param("column", "a column of the table naming the outcomes", column)
    judged = material_outcomes(decisions).set_index("outcome")["material"]
    missing = sorted(set(table[column].astype(str)) - set(judged.index))
    if missing and undecided == "raise":
        raise CoopevalError(f"materiality: expected a recorded decision (Project.decide('material' | "
                            f"'not_material', outcome)) for every outcome, got none for {', '.join(missing)}")
    keep = [judged.get(o, undecided == "keep") for o in table[column].astype(str)]
    return table[keep].reset_index(drop=True)
