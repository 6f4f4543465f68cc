"""Normalisation of raw indicator values to comparable scores.

Every method first applies the framework's ``transform`` (log, log1p, sqrt) and
``direction`` (increase, decrease, target), then maps to a score where higher is
better. Bounded methods end in ``output_range`` (default 0–100); ``zscore`` and
``zscore_wave`` are standard scores (mean 0, standard deviation 1) and ignore it.

Methods
-------
goalposts
    ``s = (T(clip(x, lower, upper)) - T(lower)) / (T(upper) - T(lower))`` with the
    framework's bounds (values outside are capped), ``1 - s`` for ``decrease``;
    for ``target``: ``1 - |T(x) - T(t)| / (T(t) - T(lower))`` below the target and
    ``1 - |T(x) - T(t)| / (T(upper) - T(t))`` above it.
minmax, minmax_wave
    ``(d - min d) / (max d - min d)`` on the data, pooled across waves (so that waves
    stay comparable) or within each wave, where ``d`` is ``T(x)``, ``-T(x)`` or
    ``-|T(x) - T(t)|`` by direction.
zscore, zscore_wave
    ``(d - mean d) / sd d`` (``ddof=1``), pooled or per wave.
rank, rank_wave
    Percentile rank ``(r - 1) / (n - 1)`` of ``d`` (average ranks for ties), pooled or
    per wave.

These six data-driven methods are undefined for an indicator observed for a single unit, or
constant, in the group normalised (all waves, or one wave): its scores are then missing (NaN,
so the coverage of the aggregates reports it) and a :class:`ScoringWarning` names it, rather
than a constant mid-range score that would look like information. With one cooperation, use
``goalposts`` or ``distance_to_target``.
distance_to_target
    ``(T(x) - min) / (T(t) - min)`` capped to [0, 1] (increase), ``(max - T(x)) / (max - T(t))``
    (decrease), ``1 - |T(x) - T(t)| / max(T(t) - min, max - T(t))`` (target), with ``t`` the
    framework's target, else its upper (increase) or lower (decrease) bound, and min/max
    pooled over the data.

Ordinal indicators
------------------
Indicators of kind ``ordinal`` and ``grid`` (progress grids whose levels carry descriptors,
see :mod:`coopeval.framework.grids`) hold whole levels; ``goalposts`` maps a level to
``(level - lower) / (upper - lower)``, which treats the levels as equally spaced, and
aggregation then combines that score like any other. ``rank`` and ``rank_wave`` use only
the order of the levels, for a reading that makes no spacing assumption.

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators: Methodology and User
Guide*. Paris: OECD Publishing, section 5 (normalisation).
UNDP (2020). *Human Development Report 2020, Technical notes*, technical note 1 (goalposts,
capping and log of income).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError, bad_param
from coopeval.framework import Framework
from coopeval.scoring.matrix import DataMatrix, to_matrix
from coopeval.scoring.plan import Plan, cached, compile_plan

__all__ = ["NORMALISATIONS", "IndicatorMeta", "ScoringWarning", "goalpost_score", "indicator_meta", "normalise",
           "normalise_matrix", "normalised"]


class ScoringWarning(UserWarning):
    """A scoring result is incomplete or undefined (e.g. a degenerate normalisation)."""


NORMALISATIONS = (
    "goalposts", "minmax", "minmax_wave", "zscore", "zscore_wave", "rank", "rank_wave", "distance_to_target",
)
#: Normalisations whose result is not mapped to ``output_range``.
UNBOUNDED = ("zscore", "zscore_wave")
_DIRECTION = {"increase": 0, "decrease": 1, "target": 2}


@dataclass(frozen=True)
class IndicatorMeta:
    """Per-indicator arrays used by the normalisations (``plan.indicators`` order)."""

    ids: list[str]
    direction: np.ndarray  # 0 increase, 1 decrease, 2 target
    lower: np.ndarray
    upper: np.ndarray
    target: np.ndarray
    transform: list[str | None]


def indicator_meta(fw: Framework, plan: Plan) -> IndicatorMeta:
    """Read directions, bounds, targets and transforms of the indicators (memoised)."""
    return cached(fw, "meta", lambda: _meta(fw, plan))


def _meta(fw: Framework, plan: Plan) -> IndicatorMeta:
    ind = fw.indicators.set_index("indicator").reindex(plan.indicators)
    transform = [t if isinstance(t, str) else None for t in ind["transform"]]
    return IndicatorMeta(
        list(plan.indicators),
        ind["direction"].map(_DIRECTION).to_numpy(dtype=int),
        ind["lower"].to_numpy(dtype=float),
        ind["upper"].to_numpy(dtype=float),
        ind["target"].to_numpy(dtype=float),
        transform,
    )


def _apply_transform(x: np.ndarray, name: str | None) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"):
        if name == "log":
            return np.where(x > 0, np.log(np.where(x > 0, x, 1.0)), np.nan)
        if name == "log1p":
            return np.where(x > -1, np.log1p(np.where(x > -1, x, 0.0)), np.nan)
        if name == "sqrt":
            return np.where(x >= 0, np.sqrt(np.abs(x)), np.nan)
    return x


def _goalposts(x: np.ndarray, meta: IndicatorMeta) -> np.ndarray:
    missing = [meta.ids[j] for j in range(len(meta.ids)) if not (np.isfinite(meta.lower[j]) and np.isfinite(meta.upper[j]))]
    if missing:
        raise ScoringError(
            "normalisation 'goalposts' needs `lower` and `upper` bounds in the framework "
            "(or choose normalisation='minmax')",
            issues=[Issue("framework", m, "lower and upper bounds", "missing") for m in missing],
        )
    out = np.empty_like(x)
    for j in range(x.shape[1]):
        lo, hi, t = meta.lower[j], meta.upper[j], meta.target[j]
        tr = meta.transform[j]
        tx = _apply_transform(np.clip(x[:, j], lo, hi), tr)
        tlo, thi = _apply_transform(np.array([lo, hi]), tr)
        s = (tx - tlo) / (thi - tlo)
        if meta.direction[j] == 1:
            s = 1.0 - s
        elif meta.direction[j] == 2:
            tt = float(_apply_transform(np.array([t]), tr)[0])
            below = (tt - tx) / (tt - tlo) if tt > tlo else np.zeros_like(tx)
            above = (tx - tt) / (thi - tt) if thi > tt else np.zeros_like(tx)
            s = 1.0 - np.where(tx <= tt, below, above)
        out[:, j] = s
    return np.clip(out, 0.0, 1.0)


def goalpost_score(value: float, *, lower: float, upper: float, direction: str = "increase",
                   target: float | None = None, transform: str | None = None) -> float:
    """The score (0–100) the ``goalposts`` normalisation gives one value of one indicator — the
    same computation as :func:`coopeval.score`, for saying in words what a goalpost means.

    >>> round(goalpost_score(1.0, lower=0.5, upper=2, transform="log"), 6)  # unchanged ratio, log scale
    50.0
    >>> round(goalpost_score(3, lower=1, upper=10, direction="decrease"), 6)
    77.777778
    """
    meta = IndicatorMeta(["indicator"], np.array([_DIRECTION[direction]]), np.array([float(lower)]),
                         np.array([float(upper)]), np.array([np.nan if target is None else float(target)]),
                         [transform])
    return float(_goalposts(np.array([[float(value)]]), meta)[0, 0] * 100)


def _transformed(x: np.ndarray, meta: IndicatorMeta) -> np.ndarray:
    out = np.empty_like(x)
    issues = []
    for j in range(x.shape[1]):
        out[:, j] = _apply_transform(x[:, j], meta.transform[j])
        bad = np.isnan(out[:, j]) & ~np.isnan(x[:, j])
        if bad.any():
            issues.append(
                Issue("obs", meta.ids[j], f"values in the domain of transform {meta.transform[j]}",
                      f"{int(bad.sum())} value(s) such as {x[bad, j][0]!r}")
            )
    if issues:
        raise ScoringError("cannot apply the framework's transforms", issues=issues)
    return out


def _desirability(tx: np.ndarray, meta: IndicatorMeta) -> np.ndarray:
    tt = np.array([_apply_transform(np.array([meta.target[j]]), meta.transform[j])[0] for j in range(tx.shape[1])])
    d = tx.copy()
    d[:, meta.direction == 1] *= -1.0
    tgt = meta.direction == 2
    d[:, tgt] = -np.abs(tx[:, tgt] - tt[tgt])
    return d


def _groups(wave_index: np.ndarray, per_wave: bool) -> list[np.ndarray]:
    if not per_wave:
        return [np.arange(len(wave_index))]
    return [np.flatnonzero(wave_index == w) for w in np.unique(wave_index)]


def _minmax(d: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"), _quiet():
        lo, hi = np.nanmin(d, axis=0), np.nanmax(d, axis=0)
        span = hi - lo
        return np.where(span > 0, (d - lo) / np.where(span > 0, span, 1.0), np.nan)


def _zscore(d: np.ndarray) -> np.ndarray:
    with np.errstate(invalid="ignore", divide="ignore"), _quiet():
        mu = np.nanmean(d, axis=0)
        sd = np.nanstd(d, axis=0, ddof=1)
        ok = np.isfinite(sd) & (sd > 0)
        return np.where(ok, (d - mu) / np.where(ok, sd, 1.0), np.nan)


def _rank(d: np.ndarray) -> np.ndarray:
    out = np.full_like(d, np.nan)
    for j in range(d.shape[1]):
        ok = ~np.isnan(d[:, j])
        n = int(ok.sum())
        if n > 1:
            out[ok, j] = (average_ranks(d[ok, j]) - 1.0) / (n - 1.0)
    return out


def average_ranks(x: np.ndarray) -> np.ndarray:
    """Ranks 1..n of a 1-D array, ties given the average of their ranks (``scipy.stats.rankdata``'s
    default, without importing ``scipy.stats``, which takes seconds on a first use)."""
    order = np.argsort(x, kind="stable")
    xs = x[order]
    start = np.r_[True, xs[1:] != xs[:-1]]
    group = np.cumsum(start) - 1
    first = np.flatnonzero(start)
    last = np.r_[first[1:], len(x)]  # one past the last position of each tie group
    avg = (first + last + 1) / 2.0  # mean of positions first+1 .. last
    out = np.empty(len(x))
    out[order] = avg[group]
    return out


def _distance_to_target(tx: np.ndarray, meta: IndicatorMeta) -> np.ndarray:
    out = np.empty_like(tx)
    issues = []
    with _quiet():
        lo, hi = np.nanmin(tx, axis=0), np.nanmax(tx, axis=0)
    for j in range(tx.shape[1]):
        d = meta.direction[j]
        t = meta.target[j]
        if not np.isfinite(t):
            t = meta.upper[j] if d == 0 else meta.lower[j]
        if not np.isfinite(t):
            issues.append(Issue("framework", meta.ids[j], "a target (or a bound in its direction)", "none"))
            continue
        tt = float(_apply_transform(np.array([t]), meta.transform[j])[0])
        x = tx[:, j]
        with np.errstate(invalid="ignore", divide="ignore"):
            if d == 0:
                s = np.where(tt > lo[j], (x - lo[j]) / (tt - lo[j]), np.where(x >= tt, 1.0, 0.0))
            elif d == 1:
                s = np.where(hi[j] > tt, (hi[j] - x) / (hi[j] - tt), np.where(x <= tt, 1.0, 0.0))
            else:
                span = max(tt - lo[j], hi[j] - tt)
                s = 1.0 - np.abs(x - tt) / span if span > 0 else np.ones_like(x)
        out[:, j] = np.where(np.isnan(x), np.nan, np.clip(s, 0.0, 1.0))
    if issues:
        raise ScoringError("normalisation 'distance_to_target' needs a target", issues=issues)
    return out


def _degenerate(d: np.ndarray) -> np.ndarray:
    """Columns observed at least once but with a single value or no spread (bool per column)."""
    n = (~np.isnan(d)).sum(axis=0)
    with _quiet():
        spread = np.nanmax(d, axis=0) - np.nanmin(d, axis=0)
    return (n >= 1) & ((n == 1) | (spread == 0))


def _warn_degenerate(method: str, meta: IndicatorMeta, counts: np.ndarray, n_groups: int) -> None:
    import warnings

    names = [f"{meta.ids[j]}" + (f" ({counts[j]} of {n_groups} waves)" if n_groups > 1 else "")
             for j in np.flatnonzero(counts)]
    warnings.warn(
        f"normalisation '{method}' is undefined for indicator(s) {', '.join(names[:10])}"
        f"{' …' if len(names) > 10 else ''}: a single unit or a constant value; their scores are missing "
        "(use normalisation='goalposts', or more units)",
        ScoringWarning, stacklevel=4,
    )


class _quiet:
    """Silence numpy's 'All-NaN slice' / 'Mean of empty slice' warnings."""

    def __enter__(self):
        import warnings

        self._w = warnings.catch_warnings()
        self._w.__enter__()
        warnings.simplefilter("ignore", RuntimeWarning)

    def __exit__(self, *exc):
        self._w.__exit__(*exc)


def check_method(method: str) -> str:
    if method not in NORMALISATIONS:
        bad_param("normalisation", f"one of {', '.join(NORMALISATIONS)}", method, ScoringError)
    return method


def check_range(output_range: tuple[float, float]) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in output_range)
    except (TypeError, ValueError):
        bad_param("output_range", "a pair of numbers (low, high)", output_range, ScoringError)
    if not (np.isfinite(a) and np.isfinite(b) and a < b):
        bad_param("output_range", "two finite numbers low < high", output_range, ScoringError)
    return a, b


def normalise_matrix(
    x: np.ndarray,
    meta: IndicatorMeta,
    wave_index: np.ndarray,
    method: str,
    output_range: tuple[float, float] = (0.0, 100.0),
) -> np.ndarray:
    """Core normalisation (numpy in, numpy out): rows are units·waves, columns indicators."""
    if method == "goalposts":
        s = _goalposts(x, meta)
    else:
        tx = _transformed(x, meta)
        if method == "distance_to_target":
            s = _distance_to_target(tx, meta)
        else:
            d = _desirability(tx, meta)
            func = {"minmax": _minmax, "zscore": _zscore, "rank": _rank}[method.removesuffix("_wave")]
            s = np.full_like(d, np.nan)
            degenerate = np.zeros(d.shape[1], dtype=int)
            for rows in _groups(wave_index, method.endswith("_wave")):
                s[rows] = func(d[rows])
                bad = _degenerate(d[rows])
                s[np.ix_(rows, np.flatnonzero(bad))] = np.nan
                degenerate += bad
            if degenerate.any():
                _warn_degenerate(method, meta, degenerate, len(_groups(wave_index, method.endswith("_wave"))))
    if method in UNBOUNDED:
        return s
    a, b = output_range
    return a + s * (b - a)


def normalised(dm: DataMatrix, meta: IndicatorMeta, method: str, output_range: tuple[float, float]) -> np.ndarray:
    """:func:`normalise_matrix` of a :class:`DataMatrix`'s values, once per framework, method and range
    (a prepared matrix is scored many times); the array is read-only, shared by the callers."""
    def build() -> tuple[IndicatorMeta, np.ndarray]:
        out = normalise_matrix(dm.values, meta, dm.wave_index, method, output_range)
        out.flags.writeable = False
        return meta, out

    # keyed on the bounds' identity (memoised per framework); the entry keeps them alive, so the id stays theirs
    return dm.memo(("normalised", id(meta), method, *output_range), build)[1]


def normalise(
    obs: pd.DataFrame,
    fw: Framework,
    method: str = "goalposts",
    output_range: tuple[float, float] = (0, 100),
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> pd.DataFrame:
    """Normalise long observations indicator by indicator.

    Parameters
    ----------
    obs : pandas.DataFrame
        Long observations with columns ``unit, wave, indicator, value`` (names configurable).
    fw : Framework
        Gives each indicator's bounds, target, direction and transform.
    method : str
        One of ``goalposts, minmax, minmax_wave, zscore, zscore_wave, rank, rank_wave,
        distance_to_target`` (see the module documentation for the formulas).
    output_range : tuple of float
        Range of bounded scores (ignored by the z-scores).

    Returns
    -------
    pandas.DataFrame
        Columns ``unit, wave, indicator, value`` (raw) and ``score`` (normalised; higher is
        better), one row per unit, wave and framework indicator (NaN where missing).

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> from coopeval.scoring import normalise
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = pd.DataFrame({"unit": ["a", "b"], "wave": 1, "indicator": "part_cdi", "value": [0.25, 0.9]})
    >>> normalise(obs, fw).dropna()[["unit", "score"]].to_numpy().tolist()
    [['a', 25.0], ['b', 90.0]]
    """
    plan = compile_plan(fw)
    check_method(method)
    rng = check_range(output_range)
    dm = to_matrix(obs, plan, unit=unit, wave=wave, indicator=indicator, value=value)
    s = normalise_matrix(dm.values, indicator_meta(fw, plan), dm.wave_index, method, rng)
    n_rows, n_ind = s.shape
    out = pd.DataFrame(
        {
            "unit": np.repeat(dm.rows["unit"].to_numpy(), n_ind),
            "wave": np.repeat(dm.rows["wave"].to_numpy(), n_ind),
            "indicator": np.tile(plan.indicators, n_rows),
            "value": dm.values.ravel(),
            "score": s.ravel(),
        }
    )
    return out
