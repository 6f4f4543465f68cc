"""Vectorised pre-check of survey responses: the rows that are plainly valid.

:func:`coopeval.data.validate_responses` checks every row with Python code that gives
precise messages; on a regional observatory (hundreds of thousands of answers) that loop
dominated an import. This pass finds, with array operations, the rows that the loop would
accept unchanged — every key present, a known item, a numeric code (or a blank) that is
whole and within the item's bounds (0 or 1 for a binary item), an allowed college — and
returns their values; only the other rows go through the detailed loop, so messages
and results are the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["plain_rows"]

_KEYS = ("respondent", "unit", "wave", "college", "item")


def _present(col: pd.Series) -> np.ndarray:
    """Not missing and not blank text (as ``_key_missing``), judged once per distinct value."""
    codes, uniq = pd.factorize(col, use_na_sentinel=True)
    ok_u = np.array([not (isinstance(u, str) and not u.strip()) for u in uniq], dtype=bool)
    return (codes >= 0) & np.append(ok_u, False)[codes]


def plain_rows(resp: pd.DataFrame, spec: dict, item_of: dict, allowed: list[str] | None) -> tuple[np.ndarray, np.ndarray]:
    """Mask of plainly valid rows and their float values (NaN for blanks and other rows)."""
    n = len(resp)
    ok = np.ones(n, dtype=bool)
    for key in _KEYS:
        ok &= _present(resp[key])
    if allowed is not None:
        ok &= resp["college"].astype(str).isin(allowed).to_numpy()
    ind = resp["item"].map(item_of)
    ok &= ind.notna().to_numpy()
    raw = resp["value"]
    if raw.dtype.kind in "iuf":
        numeric = np.ones(n, dtype=bool)
        values = raw.to_numpy(dtype=float)
    else:
        kinds = raw.map(type)
        numeric = kinds.isin([int, float, np.int64, np.float64, np.int32, np.float32]).to_numpy().copy()
        values = np.full(n, np.nan)
        values[numeric] = raw[numeric].to_numpy(dtype=float)
    ok &= numeric & ~np.isinf(values)
    meta = pd.DataFrame({k: v for k, v in zip(("kind", "lower", "upper"), zip(*spec.values(), strict=True),
                                              strict=True)}, index=list(spec))
    m = meta.reindex(ind.to_numpy())
    kind = m["kind"].to_numpy(dtype=object)
    lo, hi = m["lower"].to_numpy(dtype=float), m["upper"].to_numpy(dtype=float)
    blank = np.isnan(values)
    with np.errstate(invalid="ignore"):
        good = np.where(kind == "binary", (values == 0) | (values == 1),
                        (np.isnan(lo) | (values >= lo)) & (np.isnan(hi) | (values <= hi))
                        & (~np.isin(kind, ["ordinal", "likert"]) | (values == np.round(values))))
    ok &= blank | good
    return ok, np.where(ok, values, np.nan)
