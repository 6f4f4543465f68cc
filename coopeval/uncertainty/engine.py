"""``ce.uncertainty``: vectorised Monte Carlo over stakeholder weights and method choices."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, UncertaintyError, bad_param
from coopeval.framework import ROOT, Framework
from coopeval.scoring.aggregate import check_domain, declared_methods, resolve_methods
from coopeval.scoring.matrix import to_matrix
from coopeval.scoring.missing import check_min_coverage
from coopeval.scoring.normalise import (
    check_method,
    check_range,
    indicator_meta,
    normalise_matrix,
    normalised,
)
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.tree import evaluate, matrix_inputs
from coopeval.scoring.weights import local_weights
from coopeval.uncertainty.chunk import Setup, combine, run_chunk
from coopeval.uncertainty.parallel import ordered_map
from coopeval.uncertainty.result import UncertaintyResult
from coopeval.uncertainty.sensitivity import input_groups, run_sensitivity_chunk, sensitivity_frame
from coopeval.uncertainty.tables import consecutive_pairs, output_tables

__all__ = ["uncertainty"]

#: Target number of floats of one (samples x rows) score array in a chunk.
_CHUNK_FLOATS = 4_000_000
#: Rank counts are exact (one column per rank) while rows x ranks stays below this many cells.
_EXACT_RANK_CELLS = 1 << 24
#: Rank columns of a wave too large for exact counts.
_RANK_BINS = 500


def _int(name: str, value: Any, low: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
        bad_param(name, f"an integer >= {low}", value, UncertaintyError)
    return int(value)


def _options(single: Any, many: Any, name: str) -> list:
    if many is None:
        return [single]
    if isinstance(many, (str, dict, tuple)) or not isinstance(many, Sequence) or not many:
        bad_param(name, "a non-empty list of options", many, UncertaintyError)
    return list(many)


def uncertainty(
    obs: pd.DataFrame,
    fw: Framework,
    weights: Any = None,
    n: int = 10_000,
    seed: int = 0,
    *,
    normalisation: str | None = None,
    aggregation: Any = None,
    normalisations: Sequence[str] | None = None,
    aggregations: Sequence[Any] | None = None,
    output_range: tuple[float, float] = (0, 100),
    min_coverage: float = 0.5,
    nodes: str | Sequence[str] = "dimensions",
    level: float = 0.90,
    top: Sequence[int] = (1, 3, 5),
    sensitivity: bool = True,
    sensitivity_n: int | None = None,
    sensitivity_by: str = "level",
    tol: float = 0.05,
    min_samples: int = 500,
    bins: int = 400,
    rank_bins: int | None = None,
    chunk_size: int | None = None,
    executor: Executor | None = None,
    sources: str | Sequence[str] | None = None,
    measurement: pd.DataFrame | None = None,
    n_replicates: int = 100,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> UncertaintyResult:
    """Monte Carlo of scores and ranks over stakeholder weights and method choices.

    Each sample draws local weights from the WeightSet (``weights.sample(n, rng)``: the spread
    of the stakeholders' views) and, when lists are given, a normalisation and an aggregation
    uniformly among ``normalisations`` and ``aggregations``; every unit and wave is then scored
    with the same draw. Samples are scored in batches (chunks) with array operations; each
    chunk returns fixed-size accumulators, so memory does not grow with ``n``.

    Parameters
    ----------
    obs, fw
        Observations (``unit, wave, indicator, value``, or a :func:`coopeval.prepare`-d matrix) and
        framework, as for :func:`coopeval.score`.
    weights : WeightSet, mapping, Series or None
        An object with ``.sample(n, rng)`` (and ``.local`` for the nominal score) gives the weight
        spread; a mapping/Series/None gives fixed weights (only the method choices vary).
    n : int
        Number of Monte Carlo samples.
    seed : int
        Seed: chunk ``i`` uses ``numpy.random.SeedSequence(seed).spawn(...)[i]``, so a result does
        not depend on the executor.
    normalisation, aggregation
        The nominal methods (first options when lists are not given); None: the framework's
        declared methods, as for :func:`coopeval.score`.
    normalisations, aggregations : list, optional
        Options drawn at random per sample (e.g. ``["minmax", "rank"]``,
        ``["arithmetic", "geometric"]`` or mappings ``{node: method}``).
    output_range, min_coverage
        As for :func:`coopeval.score`.
    nodes : ``"dimensions"``, ``"all"`` or list of str
        Nodes to report: the root and the dimensions (default), every internal node, or a list.
    level : float
        Coverage of the score and rank intervals (0.90 -> 5th and 95th percentiles).
    top : sequence of int
        The ``k`` of the top-k probabilities.
    sensitivity : bool
        Estimate variance-based sensitivity shares (costs ``(k + 2) * sensitivity_n`` more scorings
        for ``k`` uncertain inputs).
    sensitivity_n : int, optional
        Base samples of the sensitivity design (default ``min(n, 2000)``).
    sensitivity_by : ``"level"`` or ``"parent"``
        Group weights by level of the tree or by sibling set.
    tol, min_samples
        Thresholds of the credibility flags of the sensitivity shares.
    bins : int
        Bins of the score histograms (quantile resolution ``(hi - lo) / bins``).
    rank_bins : int, optional
        Rank columns per row. By default ranks are counted exactly (one column per rank) while
        rows x (largest wave) stays below 2**24 cells (about 4,000 units per wave), and in 500 bins
        of ``ceil(units / 500)`` consecutive ranks beyond; an integer forces ``rank_bins`` bins
        (exact counts if it is at least the size of the largest wave).
    chunk_size : int, optional
        Samples per chunk (default: about four million floats per score array).
    executor : concurrent.futures.Executor, optional
        Where chunks run (e.g. ``dask.distributed.Client(...).get_executor()``); in-process if None.
        At most twice the executor's workers are submitted ahead of the chunk being folded, in
        chunk order (:mod:`coopeval.uncertainty.parallel`): the result is the in-process one.
    sources : str or list of str, optional
        The named sources of uncertainty to vary, alone or together (see
        :mod:`coopeval.uncertainty.sources`): ``"views"`` (diversity of views), ``"sampling"``
        (sampling error of the college means), ``"methods"`` (method choices), ``"measurement"``
        (measurement error of survey-based indicators). With sources, ``sensitivity=True``
        decomposes the variance of scores and ranks between them (``.decomposition``,
        :mod:`coopeval.uncertainty.decompose`). None: the WeightSet's own ``sample_method`` and
        the option lists given (the behaviour before named sources).
    measurement : DataFrame, optional
        ``unit, wave, indicator, se, n`` (:func:`coopeval.uncertainty.sources.measurement_error`);
        required with the ``measurement`` source.
    n_replicates : int
        Perturbed data sets drawn for the ``measurement`` source.

    Returns
    -------
    UncertaintyResult
        ``.summary`` (``unit, wave, level, node, score, rank, score_median, score_low, score_high,
        score_mean, score_sd, rank_median, rank_low, rank_high, n``), ``.top_k``,
        ``.improvement``, ``.sensitivity``, ``.rank_counts``, ``.settings``.

    Notes
    -----
    Ranks are computed within each wave (1 = best; units without a score are not ranked; scores
    equal to a relative 1e-9 or so are ranked in row order) by one integer sort of packed keys per
    sample and wave, and counted per row: the cost is linear in the number of units (times the
    log of a sort) and no units x units table is built beyond the exact threshold.
    Score quantiles come from histograms over the range of the normalised scores (exact to one
    bin width, exact for constant scores); rank quantiles are exact with exact counts and within
    one rank bin (``settings["rank_width"]`` ranks) with binned counts, exact for a constant
    rank; top-k probabilities are always exact. ``P(improvement)`` counts
    the samples where a unit's score is higher in the later of two consecutive waves.

    References
    ----------
    Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis
    techniques as tools for the quality assessment of composite indicators. *Journal of the
    Royal Statistical Society A*, 168(2), 307–323.

    Examples
    --------
    >>> import numpy as np, pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale").select(dimensions=["economie"])
    >>> rng = np.random.default_rng(1)
    >>> obs = pd.DataFrame([(u, 1, i, rng.uniform(0.1, 0.9)) for u in "abc"
    ...                     for i in ["autofinancement", "part_ressources_non_monetaires"]],
    ...                    columns=["unit", "wave", "indicator", "value"])
    >>> mc = ce.uncertainty(obs, fw, n=200, normalisations=["goalposts", "rank"], sensitivity=False)
    >>> list(mc.summary.columns[:5])
    ['unit', 'wave', 'level', 'node', 'score']
    """
    if not isinstance(fw, Framework):
        raise UncertaintyError(f"parameter `fw`: expected a Framework, got {type(fw).__name__}")
    n = _int("n", n, 1)
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)):
        bad_param("seed", "an integer", seed, UncertaintyError)
    if not 0 < float(level) < 1:
        bad_param("level", "a number strictly between 0 and 1", level, UncertaintyError)
    bins = _int("bins", bins, 2)
    if rank_bins is not None:
        rank_bins = _int("rank_bins", rank_bins, 1)
    top = tuple(_int("top", k, 1) for k in top)
    if sensitivity_by not in ("level", "parent"):
        bad_param("sensitivity_by", "'level' or 'parent'", sensitivity_by, UncertaintyError)
    if executor is not None and not isinstance(executor, Executor):
        bad_param("executor", "a concurrent.futures.Executor", executor, UncertaintyError)
    if not isinstance(fw, Framework):
        bad_param("fw", "a Framework", type(fw).__name__, UncertaintyError)
    normalisation, aggregation = declared_methods(fw, normalisation, aggregation)
    srcs = None
    if sources is not None:
        from coopeval.uncertainty import sources as src

        srcs = src.check_sources(sources)
        normalisations, aggregations = src.method_options(srcs, normalisation, aggregation, normalisations,
                                                          aggregations)
    norms = _options(normalisation, normalisations, "normalisations")
    aggs = _options(aggregation, aggregations, "aggregations")
    plan = compile_plan(fw)
    try:
        for m in norms:
            check_method(m)
        rng_out = check_range(output_range)
        min_cov = check_min_coverage(min_coverage)
        methods = [resolve_methods(plan, a) for a in aggs]
        point = local_weights(fw, plan, weights if hasattr(weights, "local") or not _samples(weights) else None)
        dm = to_matrix(obs, plan, unit=unit, wave=wave, indicator=indicator, value=value)
        raws = [dm.values]
        if srcs is not None and "measurement" in srcs:
            raws = src.replicate_matrices(dm.values, dm.rows, list(plan.indicators), measurement,
                                          _int("n_replicates", n_replicates, 1), seed)
        meta = indicator_meta(fw, plan)
        values = [normalised(dm, meta, m, rng_out) if len(raws) == 1
                  else normalise_matrix(x, meta, dm.wave_index, m, rng_out) for m in norms for x in raws]
        values0 = values[0] if len(raws) == 1 else normalised(dm, meta, norms[0], rng_out)
        for v in values:
            for meth in methods:
                check_domain(plan, v, meth)
    except ScoringError as err:
        raise UncertaintyError(str(err), issues=err.issues) from None
    if nodes == "dimensions":
        want = [ROOT, *fw.dimension_ids]
    elif nodes == "all":
        want = [ROOT, *[k for k in plan.internal if k != ROOT][::-1]]
    else:
        want = [nodes] if isinstance(nodes, str) else list(nodes)
        bad = [k for k in want if k not in plan.children]
        if bad:
            bad_param("nodes", "'dimensions', 'all' or internal node ids", bad, UncertaintyError)
    sampler = None
    if srcs is not None:
        sampler = src.SourceSampler(weights, srcs, len(norms), len(aggs), len(raws))
        source = sampler if sampler.weight_parts else None
    else:
        source = weights if _samples(weights) else None
    waves, pairs = dm.wave_rows(), dm.memo("consecutive_pairs", lambda: _read_only(consecutive_pairs(dm.rows, dm.waves)))
    ranges = [matrix_inputs(v).value_range() for v in values]  # found once per prepared matrix
    lo, hi = float(np.fmin.reduce([a for a, _ in ranges])), float(np.fmax.reduce([b for _, b in ranges]))
    r = len(dm.rows)
    n_ranks = max(len(rows) for rows in waves)
    if rank_bins is None:
        rank_bins = n_ranks if r * (n_ranks + 1) <= _EXACT_RANK_CELLS else _RANK_BINS
    rank_width = -(-n_ranks // min(rank_bins, n_ranks))
    setup = Setup(plan, fw, values, methods, point, source, want, waves, pairs, lo, hi, bins, min_cov,
                  rank_width, -(-n_ranks // rank_width) + 1, top, np.int32 if n < 2**31 - 1 else np.int64)
    explicit_chunk = chunk_size is not None
    if chunk_size is None:
        chunk_size = max(1, min(n, _CHUNK_FLOATS // max(1, r * len(want))))
    chunk_size = _int("chunk_size", chunk_size, 1)
    n_chunks = -(-n // chunk_size)
    tasks = ((setup, min(chunk_size, n - i * chunk_size), _child(seed, i)) for i in range(n_chunks))
    if executor is None:
        acc = None
        for task in tasks:
            acc = run_chunk(task, acc)
    else:
        acc = combine(ordered_map(executor, run_chunk, tasks))

    nominal = _nominal(dm, plan, values0, point, methods[0], min_cov, want)
    summary, tops, improvement, rank_counts = output_tables(dm, plan, setup, acc, nominal, level, top)
    sens: Any = pd.DataFrame  # built when read (UncertaintyResult), as the other tables not asked for yet
    decomposition: Any = pd.DataFrame
    groups = input_groups(setup, sensitivity_by) if sensitivity and sampler is None else []
    if sensitivity and sampler is not None and sampler.varied():
        from coopeval.uncertainty.decompose import run_source_decomposition

        ns = _int("sensitivity_n", sensitivity_n if sensitivity_n is not None else min(n, 2000), 2)
        decomposition = run_source_decomposition(setup, sampler, dm.rows, ns, chunk_size, _child(seed, n_chunks),
                                                  _mapper(executor))
    if sensitivity and groups:
        ns = _int("sensitivity_n", sensitivity_n if sensitivity_n is not None else min(n, 2000), 2)
        # a chunk of the design scores (k + 2) matrices: sized from its own sample count
        per = r * len(want) * (len(groups) + 2)
        cs = max(1, min(ns, (chunk_size * r * len(want) if explicit_chunk else _CHUNK_FLOATS) // per))
        stasks = ((setup, groups, min(cs, ns - j * cs), _child(seed, n_chunks, j)) for j in range(-(-ns // cs)))
        sacc = combine(ordered_map(executor, run_sensitivity_chunk, stasks))
        names = [g[0] for g in groups]
        sens = pd.concat(
            [sensitivity_frame(dm.rows, k, plan.level[k], names, sacc[k], tol=tol, min_samples=min_samples)
             for k in want],
            ignore_index=True,
        )
    settings = {"n": n, "seed": int(seed), "chunk_size": chunk_size, "n_chunks": n_chunks,
                "normalisations": norms, "aggregations": aggs, "level": float(level), "bins": bins,
                "lo": lo, "hi": hi, "weights_vary": source is not None, "rank_width": rank_width}
    if sampler is not None:
        settings.update(sources=list(srcs), sources_varied=list(sampler.varied()),
                        n_replicates=len(raws) if "measurement" in srcs else 0)
    else:
        vary = [] if source is None else [_legacy_source(weights)]
        settings.update(sources=None, sources_varied=vary + (["methods"] if len(values) > 1 else []))
    return UncertaintyResult(summary, tops, improvement, sens, rank_counts, settings, decomposition)


def _nominal(dm: Any, plan: Any, values: np.ndarray, point: np.ndarray, methods: dict, min_cov: float,
             want: list[str]) -> dict:
    """The nominal scores of the ``want`` nodes (the point weights, the first methods).

    A prepared matrix (:func:`coopeval.prepare`) keeps the last ones, as a COINr coin keeps its
    aggregated scores: analysed again with the same framework, normalised values, weights, methods
    and nodes, it is not scored again (the same read-only arrays; a new matrix from long
    observations is scored every time)."""
    def build() -> dict:
        out = evaluate(plan, values, point[None, :], methods, min_coverage=min_cov, want=want, coverage=False)
        for res in out.values():
            for a in res:
                if isinstance(a, np.ndarray):
                    a.setflags(write=False)
        return out

    return dm.last("nominal", (plan, values, point.tobytes(), methods, float(min_cov), list(want)), build)


def _read_only(a: np.ndarray) -> np.ndarray:
    """``a``, made read-only (a prepared matrix keeps it for every analysis)."""
    a.setflags(write=False)
    return a


def _samples(weights: Any) -> bool:
    """True for a weight sampler (``.sample(n, rng)``, e.g. a WeightSet); a pandas Series or DataFrame
    has a ``sample`` method of its own (rows drawn at random) but gives fixed weights."""
    return hasattr(weights, "sample") and not isinstance(weights, (pd.Series, pd.DataFrame))


def _legacy_source(weights: Any) -> str:
    """Source name of a WeightSet's own sampling method (``sources=None``)."""
    m = getattr(weights, "sample_method", "sample")
    return {"bootstrap": "sampling", "sampling": "sampling", "views": "views"}.get(m, f"weights:{m}")


def _mapper(executor: Executor | None) -> Any:
    """``map`` in-process; on the executor, in order, a bounded number of chunks in flight."""
    return lambda fn, items: ordered_map(executor, fn, items)


def _child(seed: int, *key: int) -> np.random.SeedSequence:
    """``SeedSequence(seed).spawn(...)[key[0]]`` (``.spawn(...)[key[1]]``...), made on demand."""
    return np.random.SeedSequence(int(seed), spawn_key=tuple(key))
