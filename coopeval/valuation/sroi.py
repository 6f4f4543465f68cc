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

The inputs are checked in :mod:`coopeval.valuation.sroi_inputs`, the formula is vectorised in
:mod:`coopeval.valuation.sroi_formula`, and :class:`SROIResult`
(:mod:`coopeval.valuation.sroi_result`) carries the tables, the sensitivity and the Monte Carlo.

References
----------
Nicholls J., Lawlor E., Neitzert E., Goodspeed T. (2012). *A guide to Social Return
on Investment*. The SROI Network (1st ed. Cabinet Office, Office of the Third Sector,
2009), stages 4 and 5.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.valuation.sroi_formula import PARAMETERS, RATE_COLUMNS, _core
from coopeval.valuation.sroi_inputs import _discount_rate, _validate_inputs, _validate_outcomes
from coopeval.valuation.sroi_result import SROIResult

__all__ = ["sroi", "SROIResult", "RATE_COLUMNS", "PARAMETERS"]

_MONTHS = 12


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
    rate, rate_source, rate_range = _discount_rate(discount_rate, discount_range, date)
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
    by_year, by_outcome, by_stakeholder = _tables(names, stakeholders, sources, params, values, discount,
                                                  pv_matrix, pv, horizon)
    first_year = values[:, 0].sum()
    result.ratio = pv / inputs_pv
    result.net_ratio = (pv - inputs_pv) / inputs_pv
    result.present_value = pv
    result.net_present_value = pv - inputs_pv
    result.inputs = inputs_pv
    result.payback_months = inputs_pv / (first_year / _MONTHS) if first_year > 0 else np.inf
    result.by_year, result.by_outcome, result.by_stakeholder = by_year, by_outcome, by_stakeholder
    return result


def _tables(names: list, stakeholders: list, sources: list, params: dict, values: np.ndarray,
            discount: np.ndarray, pv_matrix: np.ndarray, pv: float, horizon: int) -> tuple[pd.DataFrame, ...]:
    """``by_year, by_outcome, by_stakeholder`` of :class:`SROIResult` (``pv``: present value of all outcomes)."""
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
    return by_year, by_outcome, by_stakeholder
