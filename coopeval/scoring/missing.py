"""The missing-data policy of aggregation: re-weight among available children, or give up.

For a node and a unit, the *coverage* is the share of the node's weight carried by
children that have a score::

    coverage = sum(w_c for available children c) / sum(w_c for all children c)

If ``coverage >= min_coverage`` (and is positive) the node is aggregated over the
available children with their weights rescaled to sum to one; otherwise its score is
missing (NaN). Coverage is reported with every score, so that missing data is never
silent. ``min_coverage=0`` reproduces COINr's default (``na.rm = TRUE``: aggregate
whatever is available).

References
----------
OECD & JRC (2008). *Handbook on Constructing Composite Indicators*, section 3 (imputation
of missing data: "case deletion" versus re-weighting).
"""

from __future__ import annotations

import numpy as np

from coopeval.errors import ScoringError, bad_param

__all__ = ["apply_policy", "check_min_coverage"]

#: Tolerance on the coverage threshold (weights are floats).
TOL = 1e-9


def check_min_coverage(min_coverage: float, error: type = ScoringError) -> float:
    """Validate the threshold (a number in [0, 1])."""
    try:
        value = float(min_coverage)
    except (TypeError, ValueError):
        bad_param("min_coverage", "a number between 0 and 1", min_coverage, error)
    if not 0.0 <= value <= 1.0:
        bad_param("min_coverage", "a number between 0 and 1", min_coverage, error)
    return value


def apply_policy(score: np.ndarray, coverage: np.ndarray, min_coverage: float) -> np.ndarray:
    """Set ``score`` to NaN where coverage is zero or below ``min_coverage`` (pure numpy)."""
    bad = ~(coverage > 0) | (coverage < min_coverage - TOL)
    return np.where(bad, np.nan, score)
