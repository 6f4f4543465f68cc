"""``ce.score``: normalise once, aggregate every node of the tree, report coverage."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.contracts import SCORE_COLUMNS
from coopeval.errors import ScoringError
from coopeval.framework import Framework
from coopeval.scoring._long import take
from coopeval.scoring.aggregate import check_domain, declared_methods, resolve_methods
from coopeval.scoring.matrix import to_matrix
from coopeval.scoring.missing import check_min_coverage
from coopeval.scoring.normalise import check_method, check_range, indicator_meta, normalised
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.tree import evaluate
from coopeval.scoring.weights import local_weights

__all__ = ["SCORE_COLUMNS", "score"]



def score(
    obs: pd.DataFrame,
    fw: Framework,
    weights: Any = None,
    normalisation: str | None = None,
    aggregation: Any = None,
    output_range: tuple[float, float] = (0, 100),
    *,
    min_coverage: float = 0.5,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> pd.DataFrame:
    """Score every unit and wave at every level of a framework.

    Parameters
    ----------
    obs : pandas.DataFrame or DataMatrix
        Long observations: ``unit, wave, indicator, value`` (names configurable with the
        keyword-only parameters; ``wave=None`` if there is a single wave). Indicators not in
        the framework are ignored. Or the same observations checked and pivoted once by
        :func:`coopeval.prepare` (for many scorings of the same data).
    fw : Framework
        The indicator tree (bounds, targets, directions, transforms, default weights).
    weights : None, mapping, pandas.Series or WeightSet
        Local weights: ``None`` for the framework's defaults, ``{node: weight}`` (nodes not
        given keep the weight written in the framework, 1 by default; each sibling group is then
        rescaled to sum to one), or a
        :class:`coopeval.weighting.WeightSet` (its aggregated ``.local`` weights are used).
    normalisation : str, optional
        None (default): the framework's declared normalisation (``goalposts`` when it declares
        none, see :attr:`Framework.method`). ``goalposts`` (framework bounds, capped), ``minmax`` / ``minmax_wave`` (data, pooled
        across waves or per wave), ``zscore`` / ``zscore_wave``, ``rank`` / ``rank_wave``
        (percentile), ``distance_to_target``. See :mod:`coopeval.scoring.normalise`.
    aggregation : str, tuple or mapping, optional
        None (default): the methods the framework declares per node (arithmetic elsewhere); a
        mapping is laid over the declared methods. ``arithmetic``, ``geometric``, ``harmonic``, ``minimum`` or ``("generalised", p)``
        for every node, or a mapping ``{node_id or level: method}`` (e.g.
        ``{"overall": "geometric"}``); unnamed nodes are arithmetic.
    output_range : tuple of float
        Range of normalised scores (e.g. ``(1, 100)`` so that geometric means never meet
        zeros). Ignored by the z-score normalisations.
    min_coverage : float
        Missing-data policy: a node is aggregated over its available children (weights
        rescaled) when they carry at least this share of its weight, else its score is
        missing. ``0`` aggregates whatever is available (COINr's default).

    Returns
    -------
    pandas.DataFrame
        The Scores contract, one row per unit, wave and node (indicators included):

        - ``unit``, ``wave``: as in ``obs``;
        - ``level``: ``indicator``, ``criterion``, ``dimension`` or ``overall``;
        - ``node``: node id (``"overall"`` for the root);
        - ``score``: normalised score (indicators) or aggregate, NaN when missing;
        - ``coverage``: share of the node's weight carried by children with a score
          (1 or 0 for an indicator).

    Raises
    ------
    ScoringError
        Invalid observations, weights, normalisation, aggregation or bounds (all listed).

    Notes
    -----
    Observations are normalised once into an array of units·waves × indicators; each
    internal node is then aggregated with array operations (see
    :mod:`coopeval.scoring.aggregate` for the formulas and :mod:`coopeval.scoring.missing`
    for the coverage rule).

    References
    ----------
    OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
    Guide*. Paris: OECD Publishing.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale").select(criteria=["solidite_financiere"])
    >>> obs = pd.DataFrame({"unit": "scic_a", "wave": 2024,
    ...                     "indicator": ["autofinancement", "mois_tresorerie", "resultat_net"],
    ...                     "value": [0.6, 3.0, 0.0]})
    >>> sc = ce.score(obs, fw)
    >>> sc.loc[sc["node"] == "overall", "score"].round(2).tolist()
    [45.0]
    """
    if not isinstance(fw, Framework):
        raise ScoringError(f"parameter `fw`: expected a Framework, got {type(fw).__name__}")
    plan = compile_plan(fw)
    normalisation, aggregation = declared_methods(fw, normalisation, aggregation)
    check_method(normalisation)
    rng = check_range(output_range)
    min_cov = check_min_coverage(min_coverage)
    methods = resolve_methods(plan, aggregation)
    w = local_weights(fw, plan, weights)[None, :]
    dm = to_matrix(obs, plan, unit=unit, wave=wave, indicator=indicator, value=value)
    v = normalised(dm, indicator_meta(fw, plan), normalisation, rng)
    check_domain(plan, v, methods)
    result = evaluate(plan, v, w, methods, min_coverage=min_cov)
    return _tidy(plan, dm.rows, v, result)


def _tidy(plan, rows: pd.DataFrame, v: np.ndarray, result: dict) -> pd.DataFrame:
    """Long Scores table: levels bottom-up, then wave and unit (rows are sorted), then node.

    The text columns are taken from their few distinct values (a take of positions) rather
    than built element by element: pandas infers each column's dtype from those values, the
    same dtype it infers from the repeated column (e.g. ``str`` for text ids)."""
    n = len(rows)
    levels, nodes, scores, covers = [], [], [], []
    groups = [("indicator", plan.indicators)] + [
        (lv, [k for k in plan.internal if plan.level[k] == lv]) for lv in ("criterion", "dimension", "overall")
    ]
    for level, ids in groups:
        if not ids:
            continue
        if level == "indicator":
            s = v[:, [plan.ind_pos[k] for k in ids]]
            cov = (~np.isnan(s)).astype(float)
        else:
            ids = [k for k in plan.nodes if k in set(ids)] if level != "overall" else ids
            s = np.column_stack([result[k][0][0] for k in ids])
            cov = np.nan_to_num(np.column_stack([result[k][1][0] for k in ids]), nan=0.0)
        levels.append(level)
        nodes.append(ids)
        scores.append(s.ravel())
        covers.append(cov.ravel())
    sizes = [len(ids) for ids in nodes]
    row = np.concatenate([np.repeat(np.arange(n), m) for m in sizes])
    offsets = np.cumsum([0, *sizes[:-1]])
    node = np.concatenate([np.tile(np.arange(o, o + m), n) for o, m in zip(offsets, sizes, strict=True)])
    level = np.repeat(np.arange(len(levels)), [n * m for m in sizes])
    return pd.DataFrame({
        "unit": take(rows["unit"].to_numpy(), row),
        "wave": take(rows["wave"].to_numpy(), row),
        "level": take(np.array(levels, dtype=object), level),
        "node": take(np.array([k for ids in nodes for k in ids], dtype=object), node),
        "score": np.concatenate(scores),
        "coverage": np.concatenate(covers),
    }, copy=False)
