"""The SROI formula, vectorised over draws: the value of every outcome in every year.

The formulas and their reference (SROI Network guide, stages 4–5) are in the docstring of
:mod:`coopeval.valuation.sroi`; :func:`coopeval.valuation.sroi` computes the result with them,
:class:`~coopeval.valuation.SROIResult` re-evaluates them for its sensitivity and Monte Carlo.
"""

from __future__ import annotations

import numpy as np

#: Rates, proportions in [0, 1].
RATE_COLUMNS = ("deadweight", "displacement", "attribution", "drop_off")
#: Every parameter of an outcome that can carry a stated range (``<param>_low``/``_high``).
PARAMETERS = ("quantity", "proxy", *RATE_COLUMNS, "duration")


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

