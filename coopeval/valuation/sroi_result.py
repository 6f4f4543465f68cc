"""The result of :func:`coopeval.valuation.sroi`: headline figures, tables by year, outcome and
stakeholder, and what the stated ranges do to the ratio (sensitivity, Monte Carlo).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopeval.errors import ValuationError
from coopeval.valuation.sroi_formula import PARAMETERS, RATE_COLUMNS, _core, _ratio
from coopeval.valuation.versioning import catalogue_version


@dataclass
class SROIResult:
    """Result of :func:`sroi`.

    Attributes
    ----------
    ratio : float
        SROI ratio, present value of outcomes over present value of inputs.
    net_ratio : float
        ``(present_value - inputs) / inputs``.
    present_value : float
        Present value of all outcomes.
    net_present_value : float
        ``present_value - inputs``.
    inputs : float
        Present value of the inputs (investment).
    payback_months : float
        Inputs over the monthly impact of the first year (guide formula).
    discount_rate : float
        Rate used; ``discount_rate_source`` says where it comes from.
    by_year : DataFrame
        ``outcome, stakeholder, year, value, discount_factor, present_value``.
    by_outcome : DataFrame
        ``outcome, stakeholder, quantity, proxy_value, proxy_source, deadweight,
        displacement, attribution, drop_off, duration, start, impact, total_value,
        present_value, share``.
    by_stakeholder : DataFrame
        ``stakeholder, total_value, present_value, share``.
    catalogue_version : str
        Version of the reference-value catalogue used (:func:`coopeval.valuation.catalogue_version`).
    """

    ratio: float
    net_ratio: float
    present_value: float
    net_present_value: float
    inputs: float
    payback_months: float
    discount_rate: float
    discount_rate_source: str
    by_year: pd.DataFrame
    by_outcome: pd.DataFrame
    by_stakeholder: pd.DataFrame
    _params: dict = field(repr=False, default_factory=dict)
    catalogue_version: str = field(default_factory=catalogue_version)
    _ranges: dict = field(repr=False, default_factory=dict)
    _rate_range: tuple | None = field(repr=False, default=None)
    _inputs_years: tuple = field(repr=False, default=())

    # ------------------------------------------------------------------ helpers
    def _evaluate(self, params: dict, rate) -> tuple[np.ndarray, np.ndarray]:
        horizon = int(np.max(params["start"] + params["duration"] - 1))
        values, discount = _core(
            params["quantity"], params["proxy"], params["deadweight"], params["displacement"],
            params["attribution"], params["drop_off"], params["duration"], params["start"],
            rate, horizon,
        )
        in_values, in_years = self._inputs_years
        rate_arr = np.asarray(rate, dtype=float)
        inputs_pv = (in_values * np.power(1 + rate_arr[..., None], -in_years)).sum(axis=-1)
        return _ratio(values, discount, inputs_pv)

    def sensitivity(self, *, relative: float | None = None, discount_range: tuple | None = None) -> pd.DataFrame:
        """One-way sensitivity of the SROI ratio (tornado data).

        Each parameter of each outcome is set in turn to the low and to the high end
        of its stated range (columns ``<param>_low``/``<param>_high`` of the
        outcomes), the others staying at their base value; the discount rate moves
        over ``discount_range`` (default: the catalogue range of the default rate).

        Parameters
        ----------
        relative : float, optional
            For parameters without a stated range, move them by ± this fraction of
            their base value (rates clipped to [0, 1], durations rounded). Without it,
            only stated ranges are used.
        discount_range : (low, high), optional
            Range of the discount rate.

        Returns
        -------
        DataFrame
            One row per (outcome, parameter): ``outcome, parameter, base, low, high,
            ratio_low, ratio_high, ratio_base, swing`` (``swing = |ratio_high -
            ratio_low|``), sorted by decreasing swing; the discount rate has
            ``outcome == "*"``.

        Raises
        ------
        ValuationError
            If no range is stated anywhere and ``relative`` is not given.
        """
        rows = []
        base_ratio = self.ratio
        names = list(self.by_outcome["outcome"])
        for param in PARAMETERS:
            for i, name in enumerate(names):
                base = float(self._params[param][i])
                rng = self._ranges.get(param, {}).get(i)
                if rng is None and relative is not None:
                    lo, hi = base * (1 - relative), base * (1 + relative)
                    if param in RATE_COLUMNS:
                        lo, hi = max(lo, 0.0), min(hi, 1.0)
                    if param == "duration":
                        lo, hi = max(round(lo), 1), max(round(hi), 1)
                    rng = (lo, hi)
                if rng is None:
                    continue
                ratios = []
                for val in rng:
                    params = {k: v.copy() for k, v in self._params.items()}
                    params[param][i] = val
                    ratios.append(float(self._evaluate(params, self.discount_rate)[0]))
                rows.append((name, param, base, rng[0], rng[1], ratios[0], ratios[1]))
        rate_rng = discount_range or self._rate_range
        if rate_rng is not None:
            ratios = [float(self._evaluate(self._params, r)[0]) for r in rate_rng]
            rows.append(("*", "discount_rate", self.discount_rate, rate_rng[0], rate_rng[1], *ratios))
        if not rows:
            raise ValuationError(
                "sensitivity: expected stated ranges (columns such as `proxy_low`/`proxy_high` "
                "in the outcomes, or `discount_range`) or the parameter `relative`, found none"
            )
        out = pd.DataFrame(rows, columns=["outcome", "parameter", "base", "low", "high", "ratio_low", "ratio_high"])
        out["ratio_base"] = base_ratio
        out["swing"] = (out["ratio_high"] - out["ratio_low"]).abs()
        return out.sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)

    def monte_carlo(self, n: int, *, seed: int | None = None, distribution: str = "uniform",
                    discount_range: tuple | None = None) -> pd.DataFrame:
        """Monte Carlo over the stated ranges of every parameter.

        Parameters
        ----------
        n : int
            Number of draws.
        seed : int, optional
            Seed of ``numpy.random.default_rng``.
        distribution : {"uniform", "triangular"}
            Uniform on [low, high], or triangular with mode the base value.
        discount_range : (low, high), optional
            Range of the discount rate (default: catalogue range of the default rate).

        Returns
        -------
        DataFrame
            One row per draw: ``draw, ratio, net_ratio, present_value``.
        """
        if not isinstance(n, (int, np.integer)) or n < 1:
            raise ValuationError(f"parameter `n`: expected a positive integer, got {n!r}")
        if distribution not in ("uniform", "triangular"):
            raise ValuationError(
                f"parameter `distribution`: expected 'uniform' or 'triangular', got {distribution!r}"
            )
        rng = np.random.default_rng(seed)
        params = {k: np.broadcast_to(v, (n, v.size)).astype(float).copy() for k, v in self._params.items()}

        def draw(lo, hi, mode):
            if hi == lo:
                return np.full(n, lo)
            if distribution == "uniform":
                return rng.uniform(lo, hi, n)
            return rng.triangular(lo, min(max(mode, lo), hi), hi, n)

        for param, by_outcome in self._ranges.items():
            for i, (lo, hi) in by_outcome.items():
                sample = draw(lo, hi, self._params[param][i])
                params[param][:, i] = np.rint(sample) if param == "duration" else sample
        rate_rng = discount_range or self._rate_range
        rate = draw(rate_rng[0], rate_rng[1], self.discount_rate) if rate_rng else np.full(n, self.discount_rate)
        ratio, pv = self._evaluate(params, rate)
        inputs = pv / ratio
        return pd.DataFrame(
            {"draw": np.arange(n), "ratio": ratio, "net_ratio": (pv - inputs) / inputs, "present_value": pv}
        )

    def summary(self, lang: str = "fr") -> pd.DataFrame:
        """Headline figures as a two-column table (``indicator, value``)."""
        labels = {
            "fr": ["Valeur actuelle des impacts", "Valeur actuelle des apports", "Valeur actuelle nette",
                   "Ratio SROI", "Ratio SROI net", "Délai de retour (mois)", "Taux d'actualisation"],
            "en": ["Present value of outcomes", "Present value of inputs", "Net present value",
                   "SROI ratio", "Net SROI ratio", "Payback period (months)", "Discount rate"],
        }[lang]
        values = [self.present_value, self.inputs, self.net_present_value, self.ratio,
                  self.net_ratio, self.payback_months, self.discount_rate]
        return pd.DataFrame({"indicator": labels, "value": values})
