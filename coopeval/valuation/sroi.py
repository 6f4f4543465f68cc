"""Social Return on Investment (SROI), following the SROI Network guide.

Impact of an outcome :math:`i` in its first year

.. math:: I_i = q_i \\, p_i \\, (1 - dw_i)(1 - dp_i)(1 - at_i)

(quantity × financial proxy, less deadweight, displacement and attribution); in
year :math:`t` of its duration :math:`D_i` (starting in year :math:`s_i`) the value is
:math:`V_{i,t} = I_i (1 - do_i)^{t - s_i}` (drop-off applied from the second year).
Present value :math:`PV = \\sum_i \\sum_t V_{i,t} / (1 + r)^t`; the inputs are
discounted the same way (year 0 is not discounted). SROI ratio
:math:`PV / PV_{inputs}`; net SROI ratio :math:`(PV - PV_{inputs}) / PV_{inputs}`;
payback period in months :math:`PV_{inputs} / (\\sum_i I_i / 12)`.

References
----------
Nicholls J., Lawlor E., Neitzert E., Goodspeed T. (2012). *A guide to Social Return
on Investment*. The SROI Network (1st ed. Cabinet Office, Office of the Third Sector,
2009), stages 4 and 5.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError
from coopeval.valuation.catalogue import reference_value, resolve_value
from coopeval.valuation.versioning import catalogue_version

__all__ = ["sroi", "SROIResult", "RATE_COLUMNS", "PARAMETERS"]

#: Rates, proportions in [0, 1].
RATE_COLUMNS = ("deadweight", "displacement", "attribution", "drop_off")
#: Every parameter of an outcome that can carry a stated range (``<param>_low``/``_high``).
PARAMETERS = ("quantity", "proxy", *RATE_COLUMNS, "duration")
_DEFAULT_RATE = "taux_actualisation_france_strategie"
_MONTHS = 12


def _core(q, p, dw, dp, at, do, dur, start, rate, horizon):
    """Pure numpy SROI core (vectorised over leading axes).

    Arrays ``q, p, dw, dp, at, do, dur, start`` have shape ``(..., n_outcomes)``;
    ``rate`` has shape ``(...)``. Returns ``(values, discount)`` where ``values`` has
    shape ``(..., n_outcomes, horizon)`` (undiscounted value of each outcome in
    years 1..horizon) and ``discount`` shape ``(..., horizon)``.
    """
    years = np.arange(1, horizon + 1)
    impact = q * p * (1 - dw) * (1 - dp) * (1 - at)
    elapsed = years - start[..., None]
    active = (elapsed >= 0) & (elapsed < dur[..., None])
    decay = np.power((1 - do)[..., None], np.clip(elapsed, 0, None))
    values = np.where(active, impact[..., None] * decay, 0.0)
    discount = np.power(1 + np.asarray(rate, dtype=float)[..., None], -years)
    return values, discount


def _ratio(values, discount, inputs_pv):
    pv = (values * discount[..., None, :]).sum(axis=(-1, -2))
    return pv / inputs_pv, pv


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


def _where(row: Any, outcome: Any) -> str:
    return f"outcomes row {row} (outcome {outcome!r})"


def _validate_outcomes(outcomes: pd.DataFrame, date: Any) -> tuple[dict, dict, list, list]:
    if not isinstance(outcomes, pd.DataFrame) or outcomes.empty:
        raise ValuationError(f"parameter `outcomes`: expected a non-empty DataFrame, got {type(outcomes).__name__}")
    missing = [c for c in ("outcome", "quantity", "proxy", "duration") if c not in outcomes.columns]
    if missing:
        raise ValuationError(
            f"parameter `outcomes`: expected columns outcome, quantity, proxy, duration "
            f"(+ deadweight, displacement, attribution, drop_off), missing {missing}"
        )
    issues: list[Issue] = []
    n = len(outcomes)
    params = {k: np.zeros(n) for k in (*PARAMETERS, "start")}
    ranges: dict[str, dict[int, tuple]] = {}
    sources = []
    df = outcomes.reset_index(drop=True)
    dup = df["outcome"][df["outcome"].duplicated()].tolist()
    if dup:
        issues.append(Issue("outcomes", "outcome", "unique outcome names", f"duplicates {dup}"))
    for i, row in df.iterrows():
        name = row["outcome"]
        where = _where(i, name)
        # quantity
        q = pd.to_numeric(pd.Series([row["quantity"]]), errors="coerce").iloc[0]
        if pd.isna(q) or q < 0:
            issues.append(Issue(where, "quantity", "a non-negative number", repr(row["quantity"])))
        else:
            params["quantity"][i] = q
        # proxy
        proxy = row["proxy"]
        if proxy is None or (not isinstance(proxy, str) and pd.isna(proxy)):
            issues.append(Issue(where, "proxy", "a financial proxy (a number or a catalogue name)", "nothing"))
            sources.append("")
        else:
            try:
                value, source = resolve_value(proxy, date)
                params["proxy"][i] = value
                sources.append(source)
            except (ValuationError, ValueError, TypeError) as err:
                issues.append(Issue(where, "proxy", "a number or a catalogue name", f"{proxy!r} ({err})"))
                sources.append("")
        # rates
        for col in RATE_COLUMNS:
            raw = row[col] if col in df.columns else 0.0
            val = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
            if pd.isna(val):
                issues.append(Issue(where, col, "a proportion in [0, 1]", repr(raw)))
            elif val < 0 or val > 1:
                issues.append(Issue(where, col, "a proportion in [0, 1] (not negative, not above 100 %)", repr(raw)))
            else:
                params[col][i] = val
        # duration and start
        dur = pd.to_numeric(pd.Series([row["duration"]]), errors="coerce").iloc[0]
        if pd.isna(dur) or dur < 1 or dur != int(dur):
            issues.append(Issue(where, "duration", "a whole number of years >= 1", repr(row["duration"])))
        else:
            params["duration"][i] = int(dur)
        start = row["start"] if "start" in df.columns else 1
        st = pd.to_numeric(pd.Series([start]), errors="coerce").iloc[0]
        if pd.isna(st) or st < 1 or st != int(st):
            issues.append(Issue(where, "start", "a whole year >= 1 (year 1 = first year)", repr(start)))
        else:
            params["start"][i] = int(st)
        # stated ranges
        for param in PARAMETERS:
            lo_col, hi_col = f"{param}_low", f"{param}_high"
            if lo_col not in df.columns and hi_col not in df.columns:
                continue
            lo, hi = row.get(lo_col), row.get(hi_col)
            if (lo is None or pd.isna(lo)) and (hi is None or pd.isna(hi)):
                continue
            try:
                lo_v = resolve_value(lo, date)[0] if param == "proxy" else float(lo)
                hi_v = resolve_value(hi, date)[0] if param == "proxy" else float(hi)
            except (ValuationError, ValueError, TypeError):
                issues.append(Issue(where, f"{lo_col}/{hi_col}", "two numbers", f"{lo!r}, {hi!r}"))
                continue
            base = params[param][i]
            if not lo_v <= hi_v:
                issues.append(Issue(where, f"{lo_col}/{hi_col}", "low <= high", f"[{lo_v}, {hi_v}]"))
            elif param in RATE_COLUMNS and (lo_v < 0 or hi_v > 1):
                issues.append(Issue(where, f"{lo_col}/{hi_col}", "a range within [0, 1]", f"[{lo_v}, {hi_v}]"))
            elif param == "duration" and (lo_v < 1 or lo_v != int(lo_v) or hi_v != int(hi_v)):
                issues.append(Issue(where, f"{lo_col}/{hi_col}", "whole years >= 1", f"[{lo_v}, {hi_v}]"))
            elif not lo_v <= base <= hi_v:
                issues.append(Issue(where, f"{lo_col}/{hi_col}", f"a range containing the base value {base:g}",
                                    f"[{lo_v}, {hi_v}]"))
            else:
                ranges.setdefault(param, {})[i] = (lo_v, hi_v)
    stakeholders = df["stakeholder"].astype(str).tolist() if "stakeholder" in df.columns else [""] * n
    if issues:
        raise ValuationError("parameter `outcomes`: invalid SROI outcomes", issues=issues)
    return params, ranges, sources, stakeholders


def _validate_inputs(inputs: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(inputs, (int, float, np.integer, np.floating)) and not isinstance(inputs, bool):
        if not np.isfinite(inputs) or inputs <= 0:
            raise ValuationError(f"parameter `inputs`: expected a positive amount, got {inputs!r}")
        return np.array([float(inputs)]), np.array([0.0])
    if not isinstance(inputs, pd.DataFrame) or "value" not in inputs.columns or inputs.empty:
        raise ValuationError(
            "parameter `inputs`: expected a positive amount or a DataFrame with a `value` "
            f"column (and optional `year`, 0 = not discounted), got {type(inputs).__name__}"
        )
    issues = []
    values = pd.to_numeric(inputs["value"], errors="coerce")
    years = pd.to_numeric(inputs["year"], errors="coerce") if "year" in inputs.columns else pd.Series(0, index=inputs.index)
    for idx in inputs.index:
        label = inputs.loc[idx, "input"] if "input" in inputs.columns else idx
        if pd.isna(values[idx]) or values[idx] < 0:
            issues.append(Issue(f"inputs row {idx} ({label!r})", "value", "a non-negative amount", repr(inputs.loc[idx, "value"])))
        if pd.isna(years[idx]) or years[idx] < 0 or years[idx] != int(years[idx]):
            issues.append(Issue(f"inputs row {idx} ({label!r})", "year", "a whole year >= 0", repr(years[idx])))
    if not issues and values.sum() <= 0:
        issues.append(Issue("inputs", "value", "a positive total", repr(values.sum())))
    if issues:
        raise ValuationError("parameter `inputs`: invalid inputs", issues=issues)
    return values.to_numpy(float), years.to_numpy(float)


def sroi(
    outcomes: pd.DataFrame,
    inputs: float | pd.DataFrame,
    discount_rate: float | str | None = None,
    *,
    date: Any = None,
    discount_range: tuple[float, float] | None = None,
) -> SROIResult:
    """Social Return on Investment of a set of outcomes.

    Parameters
    ----------
    outcomes : DataFrame
        One row per outcome with columns ``outcome`` (unique name), ``quantity``
        (number of people or units experiencing it), ``proxy`` (financial proxy per
        unit and year: a number or a catalogue name, see
        :func:`coopeval.valuation.catalogue`), ``duration`` (years, whole number >= 1),
        and optionally ``stakeholder``, ``deadweight``, ``displacement``,
        ``attribution``, ``drop_off`` (proportions in [0, 1], default 0), ``start``
        (first year, default 1) and stated ranges ``<param>_low``/``<param>_high``
        for any of quantity, proxy, the four rates and duration.
    inputs : float or DataFrame
        Investment: a total (year 0, not discounted) or a table with ``value`` and
        optional ``year`` (0 = now) and ``input`` (label).
    discount_rate : float or str, optional
        Annual rate, or a catalogue name. Default: the France Stratégie public
        discount rate of the catalogue (``taux_actualisation_france_strategie``).
    date : optional
        Date at which catalogue proxies are looked up (default today).
    discount_range : (low, high), optional
        Range of the discount rate for sensitivity and Monte Carlo; default the
        catalogue range when the rate comes from the catalogue.

    Returns
    -------
    SROIResult
        ``ratio, net_ratio, present_value, net_present_value, inputs, payback_months,
        by_year, by_outcome, by_stakeholder`` and the methods ``sensitivity()``,
        ``monte_carlo()``, ``summary()``.

    Raises
    ------
    ValuationError
        Naming the outcome and the parameter: a negative rate or a rate of 100 % or more (a rate is a fraction: 0.025),
        a missing or unknown proxy, a duration that is not a whole number of years
        >= 1, a start before year 1, a stated range that does not contain the base
        value, duplicate outcome names; all problems are reported together.

    Notes
    -----
    See the module docstring for the formulas (SROI Network guide, stages 4–5).

    References
    ----------
    Nicholls J., Lawlor E., Neitzert E., Goodspeed T. (2012). *A guide to Social
    Return on Investment*. The SROI Network.

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> out = pd.DataFrame({"outcome": ["repas partagés"], "quantity": [100],
    ...                     "proxy": [50.0], "deadweight": [0.2], "duration": [1]})
    >>> res = ce.valuation.sroi(out, inputs=2000.0, discount_rate=0.0)
    >>> round(res.ratio, 2)
    2.0
    """
    params, ranges, sources, stakeholders = _validate_outcomes(outcomes, date)
    in_values, in_years = _validate_inputs(inputs)
    if discount_range is not None:
        try:
            lo, hi = (float(v) for v in discount_range)
        except (TypeError, ValueError):
            lo = hi = np.nan
        if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo <= hi < 1):
            raise ValuationError(
                f"parameter `discount_range`: expected (low, high) with 0 <= low <= high < 1 (rates as "
                f"fractions: 0.025 for 2.5 %), got {discount_range!r}"
            )
        discount_range = (lo, hi)
    rate_range = discount_range
    if discount_rate is None or isinstance(discount_rate, str):
        ref = reference_value(discount_rate or _DEFAULT_RATE, date)
        rate, rate_source = ref.value, f"{ref.name}: {ref.source}"
        if rate_range is None and ref.low is not None and ref.high is not None:
            rate_range = (float(ref.low), float(ref.high))
    else:
        rate = float(discount_rate)
        rate_source = "taux déclaré par l'utilisateur"
        if not (np.isfinite(rate) and 0 <= rate < 1):  # issue 16: 2.5 (250 %) was meant as 2.5 %
            hint = f" (did you mean {rate / 100:g} for {rate:g} %?)" if 1 <= rate <= 100 else ""
            raise ValuationError(f"parameter `discount_rate`: expected an annual rate as a fraction, "
                                 f"0 <= rate < 1 (0.025 for 2.5 %), got {discount_rate!r}{hint}")
    result = SROIResult(
        ratio=np.nan, net_ratio=np.nan, present_value=np.nan, net_present_value=np.nan, inputs=np.nan,
        payback_months=np.nan, discount_rate=rate, discount_rate_source=rate_source,
        by_year=pd.DataFrame(), by_outcome=pd.DataFrame(), by_stakeholder=pd.DataFrame(),
        _params=params, _ranges=ranges, _rate_range=rate_range, _inputs_years=(in_values, in_years),
    )
    horizon = int(np.max(params["start"] + params["duration"] - 1))
    values, discount = _core(
        params["quantity"], params["proxy"], params["deadweight"], params["displacement"],
        params["attribution"], params["drop_off"], params["duration"], params["start"], rate, horizon,
    )
    inputs_pv = float((in_values * np.power(1 + rate, -in_years)).sum())
    pv_matrix = values * discount[None, :]
    pv = float(pv_matrix.sum())
    names = outcomes["outcome"].tolist()
    years = np.arange(1, horizon + 1)
    by_year = pd.DataFrame(
        {
            "outcome": np.repeat(names, horizon),
            "stakeholder": np.repeat(stakeholders, horizon),
            "year": np.tile(years, len(names)),
            "value": values.ravel(),
            "discount_factor": np.tile(discount, len(names)),
            "present_value": pv_matrix.ravel(),
        }
    )
    by_year = by_year[by_year["value"] != 0].reset_index(drop=True)
    impact = params["quantity"] * params["proxy"] * (1 - params["deadweight"]) * (
        1 - params["displacement"]) * (1 - params["attribution"])
    by_outcome = pd.DataFrame(
        {
            "outcome": names,
            "stakeholder": stakeholders,
            "quantity": params["quantity"],
            "proxy_value": params["proxy"],
            "proxy_source": sources,
            "deadweight": params["deadweight"],
            "displacement": params["displacement"],
            "attribution": params["attribution"],
            "drop_off": params["drop_off"],
            "duration": params["duration"].astype(int),
            "start": params["start"].astype(int),
            "impact": impact,
            "total_value": values.sum(axis=1),
            "present_value": pv_matrix.sum(axis=1),
        }
    )
    by_outcome["share"] = by_outcome["present_value"] / pv if pv else np.nan
    by_stakeholder = (
        by_outcome.groupby("stakeholder", sort=False)[["total_value", "present_value"]].sum().reset_index()
    )
    by_stakeholder["share"] = by_stakeholder["present_value"] / pv if pv else np.nan
    first_year = values[:, 0].sum()
    result.ratio = pv / inputs_pv
    result.net_ratio = (pv - inputs_pv) / inputs_pv
    result.present_value = pv
    result.net_present_value = pv - inputs_pv
    result.inputs = inputs_pv
    result.payback_months = inputs_pv / (first_year / _MONTHS) if first_year > 0 else np.inf
    result.by_year, result.by_outcome, result.by_stakeholder = by_year, by_outcome, by_stakeholder
    return result
