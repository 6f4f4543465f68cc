"""Per-node aggregation of normalised scores, batched over weight samples.

Each internal node of the tree aggregates its children with its own method:

- ``arithmetic``: ``sum(w x) / sum(w)``;
- ``geometric``: ``exp(sum(w log x) / sum(w))``;
- ``harmonic``: ``sum(w) / sum(w / x)``;
- ``("generalised", p)``: ``(sum(w x**p) / sum(w)) ** (1 / p)`` (``p = 0`` is geometric,
  ``p = 1`` arithmetic, ``p = -1`` harmonic);
- ``minimum``: the smallest child score among children of positive weight (no compensation).

The sums run over the children that have a score (see :mod:`coopeval.scoring.missing`).
This module parses and resolves the methods and checks their domain;
:func:`coopeval.scoring.tree.evaluate` computes them for a batch of ``S`` weight vectors
(``(S, n_rows)`` arrays: scoring uses ``S = 1``, Monte Carlo uses chunks of samples).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. Paris: OECD Publishing, section 6 (weighting and aggregation).
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E., Saisana, M. (2022).
COINr: An R package for developing composite indicators. *Journal of Open Source Software*,
7(78), 4567.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from coopeval.errors import Issue, ScoringError
from coopeval.scoring.plan import Plan
from coopeval.scoring.tree import MatrixInputs, matrix_inputs

__all__ = ["AGGREGATIONS", "check_domain", "declared_methods", "parse_method", "resolve_methods"]

AGGREGATIONS = ("arithmetic", "geometric", "harmonic", "generalised", "minimum")
_POWER = {"arithmetic": 1.0, "geometric": 0.0, "harmonic": -1.0}


def parse_method(spec: Any, where: str = "aggregation") -> tuple[str, float | None]:
    """Parse one aggregation method into ``("power", p)`` or ``("minimum", None)``.

    Accepted: ``"arithmetic"``, ``"geometric"``, ``"harmonic"``, ``"minimum"`` (or ``"min"``),
    ``("generalised", p)``, ``{"method": "generalised", "p": p}`` or ``"generalised:p"``.
    """
    name, p = spec, None
    if isinstance(spec, tuple) and len(spec) == 2:
        name, p = spec
    elif isinstance(spec, Mapping):
        name, p = spec.get("method"), spec.get("p")
    elif isinstance(spec, str) and ":" in spec:
        name, _, p = spec.partition(":")
    if name == "min":
        name = "minimum"
    if name in _POWER and p is None:
        return "power", _POWER[name]
    if name == "minimum" and p is None:
        return "minimum", None
    if name in ("generalised", "generalized", "power"):
        try:
            p = float(p) if p is not None else None
        except (TypeError, ValueError):
            p = None
        if p is not None and np.isfinite(p):
            return "power", p
    raise ScoringError(
        f"parameter `{where}`: expected one of arithmetic, geometric, harmonic, minimum or "
        f"('generalised', p) with a finite p, got {spec!r}"
    )


def declared_methods(fw: Any, normalisation: str | None, aggregation: Any) -> tuple[str, Any]:
    """The normalisation and aggregation to use: the explicit ones, else the framework's.

    ``normalisation=None`` takes the framework's declared default (``goalposts`` when it
    declares none). ``aggregation=None`` takes the methods the framework declares per node;
    a mapping given explicitly is laid over them (its nodes and levels win); a single method
    given explicitly applies to every node.
    """
    declared = fw.method
    norm = declared["normalisation"] if normalisation is None else normalisation
    if aggregation is None:
        return norm, dict(declared["aggregation"]) or "arithmetic"
    if isinstance(aggregation, Mapping) and not set(aggregation) <= {"method", "p"}:
        levels = {k: v for k, v in aggregation.items() if k in ("dimension", "criterion")}
        merged = {n: m for n, m in declared["aggregation"].items()
                  if n not in aggregation and fw.level(n) not in levels}
        merged.update(aggregation)
        return norm, merged
    return norm, aggregation


def resolve_methods(plan: Plan, aggregation: Any) -> dict[str, tuple[str, float | None]]:
    """Method of every internal node from a single method or a mapping.

    A mapping's keys are node ids or level names (``overall``, ``dimension``, ``criterion``);
    node ids take precedence; nodes not named are aggregated arithmetically.
    """
    if not isinstance(aggregation, Mapping) or set(aggregation) <= {"method", "p"}:
        method = parse_method(aggregation)
        return {n: method for n in plan.internal}
    issues = []
    for key in aggregation:
        if key not in plan.children and key not in ("dimension", "criterion"):
            found = "an indicator (a leaf)" if key in plan.ind_pos else "an unknown key"
            issues.append(Issue("aggregation", str(key), "an internal node id or a level name", found))
    if issues:
        raise ScoringError("parameter `aggregation`", issues=issues)
    out = {}
    for n in plan.internal:
        spec = aggregation.get(n, aggregation.get(plan.level[n], "arithmetic"))
        out[n] = parse_method(spec, f"aggregation[{n!r}]")
    return out


def check_domain(plan: Plan, v: np.ndarray, methods: dict) -> None:
    """Raise if a geometric/harmonic/generalised node would meet non-positive scores (found once per
    read-only matrix and methods, :func:`coopeval.scoring.tree.matrix_inputs`)."""
    ind = matrix_inputs(v)
    issues = ind.memo(plan, ("domain", tuple(methods.items())), lambda: _domain_issues(plan, ind, methods))
    if issues:
        raise ScoringError("aggregation cannot be computed", issues=issues)


def _domain_issues(plan: Plan, ind: MatrixInputs, methods: dict) -> list[Issue]:
    """The nodes of a geometric, harmonic or generalised mean whose indicators reach a score it cannot take."""
    issues = []
    col_min = None  # each indicator's smallest observed score, found once for every node
    for node, (kind, p) in methods.items():
        if kind != "power" or p == 1.0:
            continue
        if col_min is None:
            col_min = ind.col_min()
        sub = col_min[plan.leaf_cols(node)]
        worst = np.nanmin(sub) if np.isfinite(sub).any() else np.nan
        if (p > 0 and worst < 0) or (p <= 0 and worst <= 0):
            issues.append(
                Issue("aggregation", node, "positive scores under a geometric, harmonic or generalised mean "
                      "(use output_range=(1, 100) or another normalisation)", f"a minimum of {worst:g}")
            )
    return issues
