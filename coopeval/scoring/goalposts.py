"""Values beyond the goalposts: valid data that the ``goalposts`` normalisation caps.

Goalposts (``lower, upper`` of an indicator) are the normalisation range chosen for a
framework; they are not what a value can be. A cooperation with 15 months of cash when the
upper goalpost is 12 is not an error: its indicator scores 100, and the restitution says
that the value was capped. With relative goalposts (:mod:`coopeval.scoring.relative`) the value
compared with the goalposts is the relative one (per member, or ratio to the baseline). Values outside the plausibility limits (a share above 1) are
refused on import instead (:func:`coopeval.data.validate_observations`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import ScoringError, bad_param
from coopeval.framework import Framework

__all__ = ["BEYOND_COLUMNS", "beyond_goalposts"]

#: Columns of :func:`beyond_goalposts`.
BEYOND_COLUMNS = ["unit", "wave", "indicator", "value", "side", "goalpost"]


def beyond_goalposts(obs: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """Observations beyond their indicator's goalposts (capped by the ``goalposts`` normalisation).

    Parameters
    ----------
    obs : pandas.DataFrame
        ``unit, wave, indicator, value``.
    fw : Framework

    Returns
    -------
    pandas.DataFrame
        ``unit, wave, indicator, value, side, goalpost``: ``value`` is the value the goalposts
        bound (the relative value for relative goalposts, :mod:`coopeval.scoring.relative`); ``side`` is ``"above"`` (the value is
        above ``upper``) or ``"below"`` (below ``lower``); ``goalpost`` is the value it is capped to.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = pd.DataFrame({"unit": "a", "wave": 1, "indicator": ["mois_tresorerie", "part_cdi"],
    ...                     "value": [15.0, 0.5]})
    >>> beyond_goalposts(obs, fw)[["indicator", "side", "goalpost"]].to_numpy().tolist()
    [['mois_tresorerie', 'above', 12.0]]
    """
    if not isinstance(fw, Framework):
        bad_param("fw", "a Framework", type(fw).__name__, ScoringError)
    missing = [c for c in ("unit", "wave", "indicator", "value") if c not in getattr(obs, "columns", [])]
    if missing:
        bad_param("obs", "the columns unit, wave, indicator, value", f"no {', '.join(missing)}", ScoringError)
    from coopeval.scoring.relative import relativise

    obs = relativise(obs, fw).data  # relative goalposts bound the relative value (issue 22)
    bounds = fw.indicators.set_index("indicator")[["lower", "upper"]]
    m = obs[["unit", "wave", "indicator", "value"]].merge(bounds, left_on="indicator", right_index=True)
    value = pd.to_numeric(m["value"], errors="coerce")
    above = value > m["upper"]
    below = value < m["lower"]
    out = m[above | below].copy()
    out["side"] = np.where(above[above | below], "above", "below")
    out["goalpost"] = np.where(above[above | below], out["upper"], out["lower"]).astype(float)
    return out[BEYOND_COLUMNS].reset_index(drop=True)
