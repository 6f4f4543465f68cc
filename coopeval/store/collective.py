"""The collective view of a deliberation: per-college and all-colleges statistics of the judgements,
small groups suppressed (:meth:`coopeval.store.Project.collective_view`).

Primary suppression hides a group with fewer than ``min_group`` participants; secondary
suppression hides more colleges, smallest first, until what the all-colleges row minus the
colleges shown gives is a block of two colleges or more and ``min_group`` participants or
more (one shared implementation: :func:`coopeval.data.small_groups.secondary_suppression`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.data.small_groups import secondary_suppression
from coopeval.weighting.framework_round import ALL_COLLEGES

__all__ = ["COLLECTIVE_COLUMNS", "ALL_COLLEGES", "collective_table"]

#: Columns of :meth:`coopeval.store.Project.collective_view`.
COLLECTIVE_COLUMNS = ["session", "round", "college", "method", "node", "n", "mean", "median", "sd",
                      "min", "max", "suppressed"]


def collective_table(raw: pd.DataFrame, session: str, k: int) -> pd.DataFrame:
    """Per-college and all-colleges statistics of the judgements ``raw`` (``round, participant,
    college, method, node, value``), groups under ``k`` suppressed (then secondary suppression)."""
    if raw.empty:
        return pd.DataFrame(columns=COLLECTIVE_COLUMNS)
    keys = ["round", "method", "node"]
    both = pd.concat([raw, raw.assign(college=ALL_COLLEGES)], ignore_index=True)
    g = both.groupby(keys + ["college"], sort=True)["value"]
    out = g.agg(n="count", mean="mean", median="median", sd="std", min="min", max="max").reset_index()
    # small groups, then secondary suppression so that no college is recoverable from the
    # all-colleges row (one shared implementation: coopeval.data.small_groups)
    out["suppressed"] = secondary_suppression(
        out["n"].to_numpy(float), (out["n"] < k).to_numpy(), out.groupby(keys).ngroup().to_numpy(),
        (out["college"] == ALL_COLLEGES).to_numpy(), k)
    stats = ["n", "mean", "median", "sd", "min", "max"]
    out[stats] = out[stats].astype(float)
    out.loc[out["suppressed"], stats] = np.nan
    out.insert(0, "session", session)
    return out[COLLECTIVE_COLUMNS].reset_index(drop=True)
