"""Named sources of uncertainty: what a Monte Carlo varies, each alone or together.

``ce.uncertainty(..., sources=[...])`` varies exactly the sources named, and the result
records which were asked for and which actually varied (``settings["sources"]``,
``settings["sources_varied"]``):

``views`` — the diversity of views (default for a restitution)
    In each draw one member of each college is picked at random and the college takes that
    member's own weights; colleges are combined with their voices. The interval is the
    spread of what was said (a prediction interval for the weights of a collective made of
    one voice per college); it does not shrink as participants are added.
``sampling`` — the sampling error of each college's mean weights
    Participants are resampled with replacement within each college and the college
    weights recomputed (nonparametric bootstrap, Efron & Tibshirani 1993). The interval
    covers the weights the whole college would give; it shrinks like :math:`1/\\sqrt{n}`.
``methods`` — the method choices
    A normalisation and an aggregation are drawn uniformly per sample among the admissible
    options (``normalisations``, ``aggregations``; default: the nominal normalisation,
    ``minmax`` and ``rank``; the nominal aggregation and a generalised mean with
    :math:`p = 0.5`, less compensatory), as in Saisana, Saltelli & Tarantola (2005).
``measurement`` — the measurement error of survey-based indicators
    A scale score :math:`\\bar x` that is the mean of :math:`n` respondents' scores with
    standard deviation :math:`s` is replaced by :math:`\\bar x + (s/\\sqrt n)\\,T_{n-1}`,
    :math:`T_{n-1}` a Student variate (the posterior of the mean of a normal sample under
    the reference prior; Gelman et al. 2013, sect. 3.2): a score resting on 6 respondents
    is less certain than one resting on 60. ``n_replicates`` perturbed data sets are drawn
    once and normalised; each sample takes one at random.

``views`` and ``sampling`` together draw, per college, a bootstrap draw of the college
weights plus one member's deviation from them (see :meth:`WeightSet.assemble`).

References
----------
Efron, B., Tibshirani, R. J. (1993). *An Introduction to the Bootstrap*. Chapman & Hall.
Gelman, A., Carlin, J. B., Stern, H. S., Dunson, D. B., Vehtari, A., Rubin, D. B. (2013).
*Bayesian Data Analysis* (3rd ed.). CRC Press.
Saisana, M., Saltelli, A., Tarantola, S. (2005). Uncertainty and sensitivity analysis
techniques as tools for the quality assessment of composite indicators. *Journal of the
Royal Statistical Society A*, 168(2), 307–323.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import UncertaintyError, bad_param

__all__ = ["DEFAULT_SOURCES", "SOURCES", "SourceSampler", "check_sources", "measurement_error",
           "measurement_replicates"]

#: The named sources, in the order they are reported.
SOURCES = ("views", "sampling", "methods", "measurement")
#: What a restitution varies by default: the diversity of the views expressed.
DEFAULT_SOURCES = ("views",)
#: Alternative normalisations drawn by the ``methods`` source when none are given.
DEFAULT_NORMALISATIONS = ("minmax", "rank")
#: Alternative aggregation drawn by the ``methods`` source when none is given.
DEFAULT_AGGREGATIONS = (("generalised", 0.5),)


def check_sources(sources: Any) -> tuple[str, ...]:
    """Validate ``sources`` (a name or a list of names) into a tuple in :data:`SOURCES` order.

    Examples
    --------
    >>> check_sources(["measurement", "views"])
    ('views', 'measurement')
    """
    names = [sources] if isinstance(sources, str) else sources
    if not isinstance(names, Sequence) or not names or any(not isinstance(s, str) for s in names):
        bad_param("sources", f"a non-empty list of names among {SOURCES}", sources, UncertaintyError)
    bad = [s for s in names if s not in SOURCES]
    if bad:
        bad_param("sources", f"names among {SOURCES}", bad, UncertaintyError)
    return tuple(s for s in SOURCES if s in names)


def measurement_error(responses: pd.DataFrame, fw, *, min_answered: float = 0.5) -> pd.DataFrame:
    """Standard errors of the survey-based indicators from the responses.

    Parameters
    ----------
    responses : DataFrame
        ``respondent, unit, wave, college, item, value``.
    fw : Framework
    min_answered : float
        As for :func:`coopeval.data.score_scales`.

    Returns
    -------
    DataFrame
        ``unit, wave, indicator, value, sd, n, se``: the scale score (mean of the respondents'
        scores), their standard deviation (ddof 1), the number of respondents and
        ``se = sd / sqrt(n)`` (NaN when ``n < 2``).

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> resp = ce.datasets.load("panel_synthetique", table="responses")
    >>> me = measurement_error(resp, fw)
    >>> list(me.columns)
    ['unit', 'wave', 'indicator', 'value', 'sd', 'n', 'se']
    >>> row = me.dropna().iloc[0]
    >>> bool(abs(row["se"] - row["sd"] / row["n"] ** 0.5) < 1e-12)
    True
    """
    from coopeval.data import score_scales

    sc = score_scales(responses, fw, min_answered=min_answered, by=("unit", "wave"))
    out = sc.rename(columns={"score": "value"})[["unit", "wave", "indicator", "value", "sd", "n"]].copy()
    n = out["n"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        out["se"] = np.where(n >= 2, out["sd"].to_numpy(dtype=float) / np.sqrt(n), np.nan)
    return out.reset_index(drop=True)


def measurement_replicates(values: np.ndarray, se: np.ndarray, n: np.ndarray, k: int,
                           rng: np.random.Generator) -> np.ndarray:
    """``k`` perturbed copies (k, rows, indicators) of a raw value matrix (pure numpy).

    Each cell with a finite ``se > 0`` and ``n >= 2`` becomes ``value + se * T`` with ``T``
    Student with ``n - 1`` degrees of freedom; other cells are unchanged.
    """
    ok = np.isfinite(se) & (se > 0) & (n >= 2) & np.isfinite(values)
    out = np.repeat(values[None, :, :], k, axis=0)
    if ok.any():
        df = n[ok] - 1
        out[:, ok] += se[ok][None, :] * rng.standard_t(np.broadcast_to(df, (k, len(df))))
    return out


@dataclass
class SourceSampler:
    """Weights and method choices drawn for the named sources (what ``ce.uncertainty`` samples).

    It has the WeightSet interface the engine uses (``.local``, ``.sample(n, rng)``) and, for
    the variance decomposition between sources, ``draw(n, rng)`` and ``assemble(raw)``.
    """

    weights: Any
    sources: tuple[str, ...]
    n_norm: int = 1
    n_agg: int = 1
    n_rep: int = 1
    weight_parts: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        spread = hasattr(self.weights, "draw_raw") and bool(getattr(self.weights, "_groups", None))
        self.weight_parts = tuple(p for p in ("views", "sampling") if p in self.sources) if spread else ()

    @property
    def local(self) -> pd.Series:
        return self.weights.local

    def varied(self) -> tuple[str, ...]:
        """The sources that actually vary (e.g. ``views`` does not without participants)."""
        out = list(self.weight_parts)
        if "methods" in self.sources and self.n_norm * self.n_agg > 1:
            out.append("methods")
        if "measurement" in self.sources and self.n_rep > 1:
            out.append("measurement")
        return tuple(s for s in SOURCES if s in out)

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        """Local-weight draws of the weight sources (point weights when none varies)."""
        if not self.weight_parts:
            return pd.DataFrame(np.tile(self.local.to_numpy(), (n, 1)), columns=self.local.index)
        return self.weights.assemble(self.weights.draw_raw(n, rng, self.weight_parts))

    def draw(self, n: int, rng: np.random.Generator) -> dict[str, Any]:
        """Random inputs of ``n`` draws, one entry per source (for pick-freeze designs)."""
        raw: dict[str, Any] = {"n": n}
        if self.weight_parts:
            w = self.weights.draw_raw(n, rng, self.weight_parts)
            for p in self.weight_parts:
                raw[p] = w[p]
        raw["methods"] = (rng.integers(self.n_norm, size=n), rng.integers(self.n_agg, size=n))
        raw["measurement"] = rng.integers(self.n_rep, size=n)
        return raw

    def assemble(self, raw: dict[str, Any]) -> tuple[pd.DataFrame, np.ndarray, np.ndarray]:
        """Local weights, value-matrix index (``norm * n_rep + replicate``) and aggregation index."""
        n = raw["n"]
        if self.weight_parts:
            w = self.weights.assemble({"n": n, **{p: raw[p] for p in self.weight_parts}})
        else:
            w = pd.DataFrame(np.tile(self.local.to_numpy(), (n, 1)), columns=self.local.index)
        k_norm, k_agg = raw["methods"]
        return w, k_norm * self.n_rep + raw["measurement"], k_agg

    @staticmethod
    def swap(a: dict[str, Any], b: dict[str, Any], source: str) -> dict[str, Any]:
        """``a`` with the inputs of ``source`` taken from ``b``."""
        return {**a, source: b[source]}


def method_options(sources: tuple[str, ...], normalisation: str, aggregation: Any,
                   normalisations: Sequence[str] | None, aggregations: Sequence[Any] | None
                   ) -> tuple[list | None, list | None]:
    """The normalisation and aggregation options drawn (``None``: the nominal one only)."""
    if "methods" not in sources:
        if normalisations is not None or aggregations is not None:
            bad_param("sources", "'methods' among the sources when normalisations or aggregations are given",
                      list(sources), UncertaintyError)
        return None, None
    norms = list(normalisations) if normalisations is not None else list(
        dict.fromkeys([normalisation, *DEFAULT_NORMALISATIONS]))
    aggs = list(aggregations) if aggregations is not None else [aggregation, *DEFAULT_AGGREGATIONS]
    return norms, aggs


def replicate_matrices(raw: np.ndarray, rows: pd.DataFrame, indicators: list[str], measurement: Any,
                       k: int, seed: int) -> list[np.ndarray]:
    """The raw value matrices of the ``measurement`` source (``k`` replicates, one seed)."""
    need = {"unit", "wave", "indicator", "se", "n"}
    if not isinstance(measurement, pd.DataFrame) or not need <= set(measurement.columns):
        bad_param("measurement", "a DataFrame unit, wave, indicator, se, n (ce.uncertainty.sources."
                  "measurement_error(responses, fw)) when 'measurement' is among the sources",
                  type(measurement).__name__, UncertaintyError)
    i = pd.MultiIndex.from_frame(rows[["unit", "wave"]]).get_indexer(
        pd.MultiIndex.from_arrays([measurement["unit"], measurement["wave"]]))
    j = pd.Index(indicators).get_indexer(measurement["indicator"])
    ok = (i >= 0) & (j >= 0)
    se = np.full(raw.shape, np.nan)
    n = np.zeros(raw.shape)
    se[i[ok], j[ok]] = pd.to_numeric(measurement["se"], errors="coerce").to_numpy(dtype=float)[ok]
    n[i[ok], j[ok]] = pd.to_numeric(measurement["n"], errors="coerce").to_numpy(dtype=float)[ok]
    rng = np.random.default_rng(np.random.SeedSequence([int(seed), 15]))
    return list(measurement_replicates(raw, se, n, k, rng))
