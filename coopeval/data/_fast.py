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

__all__ = ["plain_rows", "key_codes", "str_codes", "combine_codes"]

_KEYS = ("respondent", "unit", "wave", "college", "item")


def key_codes(resp: pd.DataFrame) -> dict[str, tuple[np.ndarray, pd.Index]]:
    """``column → (codes, distinct values)`` of the key columns: one factorisation each, shared by
    every check and by scale scoring (issue 21: on text read back from a store each factorisation of
    340,000 rows costs ~0.1 s, and the checks used to repeat about thirty of them)."""
    return {k: pd.factorize(resp[k], use_na_sentinel=True) for k in _KEYS}


def str_codes(codes: np.ndarray, uniq) -> np.ndarray:
    """Codes equal exactly where ``str(value)`` is equal (as ``column.astype(str)``); -1 stays -1."""
    merged = pd.factorize(pd.Series(uniq, copy=False).astype(str).to_numpy(dtype=object))[0]
    return np.append(merged, -1)[codes]


def combine_codes(parts: list[np.ndarray]) -> np.ndarray:
    """One non-negative int64 code per distinct tuple of the non-negative ``parts``."""
    out = np.zeros(len(parts[0]), dtype=np.int64)
    for c in parts:
        size = int(c.max()) + 1 if len(c) else 1
        if len(out) and int(out.max()) + 1 > (2**62) // size:
            out = pd.factorize(out)[0].astype(np.int64)
        out = out * size + c
    return out


def _present(col: pd.Series, fact=None) -> np.ndarray:
    """Not missing and not blank text (as ``_key_missing``), judged once per distinct value."""
    codes, uniq = pd.factorize(col, use_na_sentinel=True) if fact is None else fact
    ok_u = np.array([not (isinstance(u, str) and not u.strip()) for u in np.asarray(uniq, dtype=object)], dtype=bool)
    return (codes >= 0) & np.append(ok_u, False)[codes]


def plain_rows(resp: pd.DataFrame, spec: dict, item_of: dict, allowed: list[str] | None,
               codes: dict | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Mask of plainly valid rows and their float values (NaN for blanks and other rows).

    ``codes`` (from :func:`key_codes`) saves the factorisations; every test is then made once
    per distinct value and spread to the rows by code."""
    n = len(resp)
    codes = key_codes(resp) if codes is None else codes
    ok = np.ones(n, dtype=bool)
    for key in _KEYS:
        ok &= _present(resp[key], codes[key])
    if allowed is not None:  # missing colleges are already refused above
        c, uniq = codes["college"]
        ok &= np.append(pd.Series(uniq, copy=False).astype(str).isin(allowed).to_numpy(), False)[c]
    c, uniq = codes["item"]
    ind_u = pd.Series(uniq, copy=False).map(item_of).to_numpy(dtype=object)
    ok &= np.append(pd.notna(ind_u), False)[c]
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
    m = meta.reindex(ind_u)  # one row per distinct item, spread to the rows by code (missing: NaN)
    kind = np.append(m["kind"].to_numpy(dtype=object), np.nan)[c]
    lo = np.append(m["lower"].to_numpy(dtype=float), np.nan)[c]
    hi = np.append(m["upper"].to_numpy(dtype=float), np.nan)[c]
    blank = np.isnan(values)
    with np.errstate(invalid="ignore"):
        good = np.where(kind == "binary", (values == 0) | (values == 1),
                        (np.isnan(lo) | (values >= lo)) & (np.isnan(hi) | (values <= hi))
                        & (~np.isin(kind, ["ordinal", "likert"]) | (values == np.round(values))))
    ok &= blank | good
    return ok, np.where(ok, values, np.nan)
