"""The :class:`WeightSet`: point weights of every node plus draws expressing the spread of views."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.data.disclosure import check_college_shares_by_group, group_sizes, small_groups
from coopeval.errors import Issue, WeightingError, bad_param
from coopeval.weighting.shares import validate_college_shares

#: How participant weights are pooled into a college (or a group) weight.
AGGREGATIONS = ("mean", "median", "geometric")
#: How :meth:`WeightSet.sample` draws weights. ``views``: the diversity of views (one
#: participant's own weights per college, college voices kept); ``sampling`` (alias
#: ``bootstrap``): the sampling error of each college's mean weights; ``views+sampling``: both.
SAMPLE_METHODS = ("bootstrap", "dirichlet", "point", "views", "sampling", "views+sampling")


def pool(p: np.ndarray, how: str) -> np.ndarray:
    """Pool weight vectors along axis -2 (participants) and renormalise along -1."""
    if how == "mean":
        out = p.mean(axis=-2)
    elif how == "median":
        out = np.median(p, axis=-2)
    else:
        with np.errstate(divide="ignore"):
            out = np.exp(np.log(p).mean(axis=-2))
    return out / out.sum(axis=-1, keepdims=True)


def combine(per_college: np.ndarray, shares: np.ndarray, how: str) -> np.ndarray:
    """Combine college weights (axis -2) with voice ``shares``: weighted arithmetic mean
    (``mean``/``median``) or weighted geometric mean (``geometric``), renormalised."""
    keep = shares > 0
    s = shares[keep] / shares[keep].sum()
    per = per_college[..., keep, :]
    if how == "geometric":
        with np.errstate(divide="ignore"):
            out = np.exp(np.einsum("...ck,c->...k", np.log(per), s))
    else:
        out = np.einsum("...ck,c->...k", per, s)
    return out / out.sum(axis=-1, keepdims=True)


@dataclass
class Group:
    """Participant weights of one sibling group (rows = participants, columns = kids)."""

    parent: str
    kids: list[str]
    weights: np.ndarray
    colleges: np.ndarray
    shares: dict[str, float]

    def point(self, how: str) -> np.ndarray:
        names = list(self.shares)
        per = np.stack([self.pooled(c, how) for c in names])
        return combine(per, np.array([self.shares[c] for c in names]), how)

    def pooled(self, college: str, how: str) -> np.ndarray:
        """Pooled weights of one college's members (computed once, then cached)."""
        cache = self.__dict__.setdefault("_pooled", {})
        if (college, how) not in cache:
            cache[(college, how)] = pool(self.weights[self.colleges == college], how)
        return cache[(college, how)]

    def bootstrap(self, n: int, rng: np.random.Generator, how: str) -> np.ndarray:
        return self.combined(self.college_means(n, rng, how), how)

    def members(self, college: str) -> np.ndarray:
        """Weights of the members of ``college`` (rows in participant order), memoised."""
        cache = self.__dict__.setdefault("_members", {})
        if college not in cache:
            cache[college] = self.weights[self.colleges == college]
        return cache[college]

    def college_means(self, n: int, rng: np.random.Generator, how: str) -> np.ndarray:
        """Bootstrap draws of each college's pooled weights, shape (n, colleges, kids)."""
        per = []
        for c in self.shares:
            members = self.members(c)
            m = len(members)
            idx = rng.integers(0, m, size=(n, m))
            if how == "mean":  # resampling counts times the members: one matrix product
                counts = np.bincount((idx + m * np.arange(n)[:, None]).ravel(), minlength=n * m)
                mean = counts.reshape(n, m) @ members / m
                per.append(mean / mean.sum(axis=-1, keepdims=True))
            else:
                per.append(pool(members[idx], how))
        return np.stack(per, axis=-2)

    def college_points(self, how: str) -> np.ndarray:
        """Pooled weights of each college, shape (colleges, kids), memoised."""
        cache = self.__dict__.setdefault("_points", {})
        if how not in cache:
            cache[how] = np.stack([pool(self.members(c), how) for c in self.shares])
        return cache[how]

    def college_views(self, u: np.ndarray) -> np.ndarray:
        """One member's own weights per college, shape (n, colleges, kids).

        ``u`` (n, colleges) in [0, 1) picks member ``floor(u * size)`` of each college (members
        in participant order), so the same ``u`` picks the same person in every sibling group
        that person judged.
        """
        per = []
        for j, c in enumerate(self.shares):
            members = self.members(c)
            per.append(members[np.minimum((u[:, j] * len(members)).astype(int), len(members) - 1)])
        return np.stack(per, axis=-2)

    def combined(self, per_college: np.ndarray, how: str) -> np.ndarray:
        """Combine (n, colleges, kids) college weights with the college voices."""
        return combine(per_college, np.array([self.shares[c] for c in self.shares]), how)

    def dirichlet(self, n: int, rng: np.random.Generator, mean: np.ndarray) -> np.ndarray:
        out = np.tile(mean, (n, 1))
        pos = mean > 0
        prec = dirichlet_precision(self.weights[:, pos], mean[pos] / mean[pos].sum())
        if np.isfinite(prec) and pos.sum() > 1:
            out[:, pos] = rng.dirichlet(mean[pos] / mean[pos].sum() * prec, size=n)
        return out


def dirichlet_precision(weights: np.ndarray, mean: np.ndarray) -> float:
    """Moment estimate of the Dirichlet precision :math:`\\alpha_0`.

    For each component with sample variance :math:`v_i > 0`,
    :math:`\\alpha_0^{(i)} = m_i(1-m_i)/v_i - 1`; the estimate is their geometric mean
    (Ronning 1989). Returns ``inf`` (no spread) with fewer than two participants or no
    variance.
    """
    if weights.shape[0] < 2:
        return np.inf
    v = weights.var(axis=0, ddof=1)
    ok = (v > 1e-12) & (mean * (1 - mean) / np.where(v > 0, v, 1) > 1)
    if not ok.any():
        return np.inf
    est = mean[ok] * (1 - mean[ok]) / v[ok] - 1
    return float(np.exp(np.log(est).mean()))


class WeightSet:
    """Local weights of every node of a framework, with the views they come from.

    Build one with :func:`coopeval.weighting.aggregate` (from judgements) or
    :meth:`WeightSet.from_local` (from given weights, no spread).

    Attributes
    ----------
    framework_id : str
    nodes : list of str
        Every non-root node, in ``fw.node_ids`` order.
    local : Series
        Point local weights indexed by node (sum to 1 among the children of each parent).
    by_participant : DataFrame
        ``participant, college, parent, node, weight, method`` (empty without judgements;
        ``method`` = the elicitation method the participant used for that sibling group).
    by_college : DataFrame
        ``college, parent, node, weight`` (empty without judgements).
    college_shares : Series
        Voice of each college (sums to 1), empty without judgements.
    aggregation : str
        How participants were pooled (``mean``, ``median``, ``geometric``).
    sample_method : str
        Default method of :meth:`sample`.
    min_group : int or None
        Disclosure control of :meth:`with_college_shares` (set by :func:`aggregate`;
        None: not protected, not publishable).
    """

    def __init__(self, fw, local: pd.Series, *, groups: list[Group] | None = None,
                 by_participant: pd.DataFrame | None = None, by_college: pd.DataFrame | None = None,
                 college_shares: pd.Series | None = None, aggregation: str = "mean",
                 sample_method: str = "bootstrap", min_group: int | None = None):
        if sample_method not in SAMPLE_METHODS:
            bad_param("sample_method", f"one of {SAMPLE_METHODS}", sample_method, WeightingError)
        self.framework_id = fw.id
        self.nodes = list(fw.node_ids)
        self._parent = {n: fw.parent(n) for n in self.nodes}
        self._leaves = list(fw.indicator_ids)
        self.local = local.reindex(self.nodes).astype(float).rename("weight")
        self._groups = groups or []
        self.by_participant = by_participant if by_participant is not None else pd.DataFrame(
            columns=["participant", "college", "parent", "node", "weight"])
        self.by_college = by_college if by_college is not None else pd.DataFrame(
            columns=["college", "parent", "node", "weight"])
        self.college_shares = college_shares if college_shares is not None else pd.Series(
            dtype=float, name="share")
        self.aggregation = aggregation
        self.sample_method = sample_method
        self.min_group = min_group

    # ------------------------------------------------------------------ building
    @classmethod
    def from_local(cls, fw, weights: Mapping[str, float] | pd.Series | None = None) -> WeightSet:
        """A WeightSet without spread from given local weights.

        Parameters
        ----------
        fw : Framework
        weights : dict or Series ``{node: weight}``, optional
            Relative weights; each sibling group given is normalised to sum 1. A group
            must be given completely or not at all; groups not given take the
            framework's default weights.

        Raises
        ------
        WeightingError
            Unknown nodes, negative or non-numeric weights, incomplete or all-zero groups.
        """
        local = fw.default_weights("local").reindex(fw.node_ids).astype(float)
        given = pd.Series({} if weights is None else dict(weights), dtype=object)
        num = pd.to_numeric(given, errors="coerce")
        issues = []
        for node, val in given.items():
            if node not in fw or node == "overall":
                issues.append(Issue("weights", str(node), "a node of the framework", "an unknown node"))
            elif not (np.isfinite(num[node]) and num[node] >= 0):
                issues.append(Issue("weights", str(node), "a non-negative number", repr(val)))
        if issues:
            raise WeightingError("parameter `weights`: invalid local weights", issues=issues)
        parents = {fw.parent(n) for n in given.index}
        for p in sorted(parents):
            kids = fw.children(p)
            miss = [k for k in kids if k not in given.index]
            if miss:
                issues += [Issue(f"weights, children of {p}", k, "a weight (give a whole sibling group)", "none")
                           for k in miss]
                continue
            tot = float(num[kids].sum())
            if tot <= 0:
                issues.append(Issue("weights", p, "children weights with a positive total", "all zero"))
                continue
            local[kids] = num[kids].to_numpy(dtype=float) / tot
        if issues:
            raise WeightingError("parameter `weights`: invalid local weights", issues=issues)
        return cls(fw, local, sample_method="point")

    def with_college_shares(self, college_shares: Mapping[str, float] | pd.Series | None,
                            share_bounds: tuple[float, float] | None = None) -> WeightSet:
        """The same judgements with other college voices, recombined without re-reading them.

        Equal to ``aggregate(judgements, fw, by="college", college_shares=college_shares)`` on the
        judgements this WeightSet came from: the pooled weights of every college (per sibling
        group) are kept, only their combination changes (a few microseconds per group, what
        a « Et si… ? » slider needs).

        Parameters
        ----------
        college_shares : dict or Series or None
            Voice of each college present (sum 1); None: equal voices.
        share_bounds : (low, high), optional
            Statutory bounds of each share.

        Returns
        -------
        WeightSet

        Raises
        ------
        WeightingError
            Voices that differ among the colleges pooled in some group of sibling nodes (the
            rule of :func:`aggregate`, counting in each group the participants who weighted it).

        Examples
        --------
        >>> import coopeval as ce
        >>> fw = ce.load_framework("cooperation_territoriale")
        >>> j = ce.datasets.load("deliberation_exemple")      # five colleges of five participants
        >>> shares = {"habitants": 0.4, "salarie_es": 0.15, "benevoles": 0.15, "collectivites": 0.15,
        ...           "financeurs": 0.15}
        >>> ce.weighting.aggregate(j, fw, round=2).with_college_shares(shares)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        coopeval.errors.WeightingError: paramètre `college_shares` : ... dans le groupe « social », reçu ...
        >>> # three people per college weighted the criteria of « Social »: unequal voices need min_group <= 3
        >>> ws = ce.weighting.aggregate(j, fw, round=2, min_group=3)
        >>> again = ce.weighting.aggregate(j, fw, round=2, college_shares=shares, min_group=3)
        >>> bool(abs(ws.with_college_shares(shares).local - again.local).max() < 1e-12)
        True
        """
        if len(self.college_shares) == 0:
            bad_param("college_shares", "a WeightSet aggregated by college (from judgements)",
                      "a WeightSet without colleges", WeightingError)
        shares = validate_college_shares(college_shares, list(self.college_shares.index), bounds=share_bounds)
        if self.min_group is not None:  # issue 16: the same rule as aggregate, per group of sibling nodes
            check_college_shares_by_group(shares.to_dict(), group_sizes(self.by_participant), self.min_group)
        local = self.local.copy()
        groups = []
        for g in self._groups:
            ng = Group(g.parent, g.kids, g.weights, g.colleges, {c: float(shares[c]) for c in g.shares})
            ng.__dict__["_pooled"] = g.__dict__.setdefault("_pooled", {})  # shared cache of pooled weights
            local[g.kids] = ng.point(self.aggregation)
            groups.append(ng)
        out = WeightSet.__new__(WeightSet)
        out.__dict__.update(self.__dict__)
        out.local, out._groups, out.college_shares = local, groups, shares
        return out

    # ------------------------------------------------------------------ weights
    def global_weights(self, local: pd.Series | pd.DataFrame | None = None) -> pd.Series | pd.DataFrame:
        """Global weights of the indicators (product of local weights down the tree), sum 1.

        With a DataFrame of local-weight draws (from :meth:`sample`), one row per draw.
        """
        loc = self.local if local is None else local
        frame = loc.to_frame().T if isinstance(loc, pd.Series) else loc
        missing = [n for n in self.nodes if n not in frame.columns]
        if missing:
            bad_param("local", f"local weights of every node ({len(self.nodes)} columns)",
                      f"missing {missing[:5]}{'…' if len(missing) > 5 else ''}", WeightingError)
        out = {}
        for leaf in self._leaves:
            w = frame[leaf].to_numpy(dtype=float).copy()
            p = self._parent[leaf]
            while p != "overall":
                w *= frame[p].to_numpy(dtype=float)
                p = self._parent[p]
            out[leaf] = w
        res = pd.DataFrame(out, index=frame.index)
        return res.iloc[0].rename("weight") if isinstance(loc, pd.Series) else res

    def sample(self, n: int, rng: np.random.Generator, method: str | None = None) -> pd.DataFrame:
        """Draws of local weights expressing the spread of the stakeholders' views.

        Parameters
        ----------
        n : int
            Number of draws.
        rng : numpy.random.Generator
            Random generator (the draws are a deterministic function of its state).
        method : {"views", "sampling", "views+sampling", "bootstrap", "dirichlet", "point"}, optional
            Default ``self.sample_method``.

            - ``views`` (diversity of views): in each draw one member of each college is
              picked at random and the college takes that member's own weights; colleges are
              combined with their voices (``college_shares``). The spread is the spread of
              what was said; it does not shrink as participants are added.
            - ``sampling`` (= ``bootstrap``, sampling error of the college means):
              participants are resampled with replacement within each college, college
              weights recomputed and combined with the college voices (Efron & Tibshirani
              1993). The spread shrinks like :math:`1/\\sqrt{n}` with the participants.
            - ``views+sampling``: a member's deviation from the college weights added to a
              bootstrap draw of the college weights (negative weights clipped at 0, groups
              renormalised).
            - ``dirichlet``: for each sibling group a Dirichlet with mean the point weights
              and precision fitted by moments to the participants' weights
              (:func:`dirichlet_precision`).
            - ``point``: the point weights repeated.

            Groups nobody judged keep their point weights.

        Returns
        -------
        DataFrame
            Shape ``(n, len(self.nodes))``, columns ``self.nodes``; sibling groups sum to 1.

        References
        ----------
        Efron, B., Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.

        Examples
        --------
        >>> import numpy as np, coopeval as ce
        >>> ev = ce.evaluation.Evaluation.sample()
        >>> ws = ev.weightset()
        >>> views = ws.sample(2000, np.random.default_rng(0), "views")
        >>> means = ws.sample(2000, np.random.default_rng(0), "sampling")
        >>> bool(views["social"].std() > means["social"].std())
        True
        """
        method = self.sample_method if method is None else method
        if method not in SAMPLE_METHODS:
            bad_param("method", f"one of {SAMPLE_METHODS}", method, WeightingError)
        if not isinstance(n, (int, np.integer)) or n < 1:
            bad_param("n", "a positive integer", n, WeightingError)
        if not isinstance(rng, np.random.Generator):
            bad_param("rng", "a numpy.random.Generator (np.random.default_rng(seed))", rng, WeightingError)
        if method in ("views", "sampling", "bootstrap", "views+sampling"):
            parts = {"views": ("views",), "views+sampling": ("views", "sampling")}.get(method, ("sampling",))
            return self.assemble(self.draw_raw(n, rng, parts))
        out = pd.DataFrame(np.tile(self.local.to_numpy(), (n, 1)), columns=self.nodes)
        if method == "point":
            return out
        for g in self._groups:
            out[g.kids] = g.dirichlet(n, rng, self.local[g.kids].to_numpy())
        return out

    @property
    def college_names(self) -> list[str]:
        """Every college (or pooled group) of the sibling groups judged, sorted."""
        return sorted(set().union(*[g.shares for g in self._groups])) if self._groups else []

    def draw_raw(self, n: int, rng: np.random.Generator, parts=("views",)) -> dict:
        """The random inputs of ``n`` draws, one entry per part (see :meth:`assemble`).

        ``views``: (n, colleges) uniforms picking one member per college; ``sampling``: for
        each sibling group, (n, colleges, kids) bootstrap draws of the college weights.
        Keeping them apart lets a variance decomposition swap one part between draws.
        """
        raw = {"n": int(n)}
        if "sampling" in parts:
            raw["sampling"] = [g.college_means(n, rng, self.aggregation) for g in self._groups]
        if "views" in parts:
            raw["views"] = rng.random((n, len(self.college_names)))
        return raw

    def assemble(self, raw: dict) -> pd.DataFrame:
        """Local weights (n, nodes) from the random inputs of :meth:`draw_raw`.

        Per college: ``base + (view - point)`` where ``base`` is the bootstrap draw of the
        college weights (``sampling``) or its point weights, and ``view`` the picked member's
        own weights (``views``) or the point weights; clipped at 0 and renormalised, then
        combined across colleges with their voices.
        """
        n = raw["n"]
        out = np.tile(self.local.to_numpy(), (n, 1))
        col = {k: i for i, k in enumerate(self.nodes)}
        pos = {c: i for i, c in enumerate(self.college_names)}
        for i, g in enumerate(self._groups):
            point = g.college_points(self.aggregation)[None, :, :]
            view = g.college_views(raw["views"][:, [pos[c] for c in g.shares]]) if "views" in raw else None
            if view is not None and "sampling" in raw:
                per = np.clip(raw["sampling"][i] + (view - point), 0.0, None)
                tot = per.sum(axis=-1, keepdims=True)
                per = np.where(tot > 0, per / np.where(tot > 0, tot, 1.0), point)
            elif view is not None:
                per = view  # = point + (view - point)
            elif "sampling" in raw:
                per = raw["sampling"][i]
            else:
                per = np.broadcast_to(point, (n, *point.shape[1:]))
            out[:, [col[k] for k in g.kids]] = g.combined(per, self.aggregation)
        return pd.DataFrame(out, columns=self.nodes)

    # ------------------------------------------------------------------ disclosure control
    def small_groups(self) -> list[str]:
        """Groups of sibling nodes weighted by fewer than ``min_group`` participants in all: their
        combined weights are not published (:func:`coopeval.data.disclosure.small_groups`); none
        when the WeightSet is not protected (``min_group`` None) or has no participants."""
        if self.min_group is None or not len(self.by_participant):
            return []
        return small_groups(group_sizes(self.by_participant), self.min_group)

    def shown_local(self) -> pd.Series:
        """:attr:`local` with the weights of the :meth:`small_groups` hidden (NaN): what may be shown."""
        hidden = set(self.small_groups())
        return self.local.where(pd.Series([self._parent[n] not in hidden for n in self.nodes], index=self.local.index))

    def to_frame(self, lang: str = "fr") -> pd.DataFrame:
        """Table ``node, parent, weight, global_weight`` (global for indicators only)."""
        glob = self.global_weights()
        return pd.DataFrame({"node": self.nodes, "parent": [self._parent[n] for n in self.nodes],
                             "weight": self.local.to_numpy(),
                             "global_weight": [glob.get(n, np.nan) for n in self.nodes]})

    def __repr__(self) -> str:
        return (f"WeightSet(framework={self.framework_id!r}, nodes={len(self.nodes)}, "
                f"participants={self.by_participant['participant'].nunique()}, "
                f"colleges={len(self.college_shares)}, aggregation={self.aggregation!r})")
