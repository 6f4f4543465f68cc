"""Validation of college voices (shares), shared by :func:`~coopeval.weighting.aggregate` and
:meth:`~coopeval.weighting.WeightSet.with_college_shares`."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param

__all__ = ["validate_college_shares"]


def validate_college_shares(
    college_shares: Mapping[str, float] | pd.Series | None,
    colleges: Iterable[str],
    *,
    bounds: tuple[float, float] | None = None,
) -> pd.Series:
    """Check statutory voices: one share per college, sum 1, each within ``bounds``.

    Parameters
    ----------
    college_shares : dict or Series or None
        ``{college: share}``; ``None`` gives every college an equal voice.
    colleges : list of str
        The colleges present in the judgements.
    bounds : (low, high), optional
        Bounds every share must respect, e.g. ``(0.10, 0.50)`` for a SCIC (each
        college holds between 10 % and 50 % of the votes, Code de commerce / loi du
        10 septembre 1947, art. 19 octies).

    Returns
    -------
    Series
        ``share`` indexed by college.

    Raises
    ------
    WeightingError
        Listing every problem (missing or unknown college, negative share, total not
        1 within 1e-9, share outside the bounds).
    """
    colleges = sorted({str(c) for c in colleges})
    if college_shares is None:
        shares = pd.Series(1.0 / len(colleges), index=colleges, name="share")
    else:
        given = pd.Series(dict(college_shares), dtype=object)
        num = pd.to_numeric(given, errors="coerce").astype(float)
        issues = [Issue("college_shares", c, "a share for every college of the judgements", "none")
                  for c in colleges if c not in given.index]
        issues += [Issue("college_shares", str(c), f"one of the colleges {', '.join(colleges)}", "an unknown college")
                   for c in given.index if str(c) not in colleges]
        issues += [Issue("college_shares", str(c), "a share in [0, 1]", repr(v))
                   for c, v in given.items() if not (np.isfinite(num[c]) and 0 <= num[c] <= 1)]
        if not issues and abs(num.sum() - 1.0) > 1e-9:
            issues.append(Issue("college_shares", "total", "shares summing to 1", f"{num.sum():.6g}"))
        if issues:
            raise WeightingError("parameter `college_shares`: invalid college voices", issues=issues)
        shares = num.reindex(colleges).rename("share")
    if bounds is not None:
        try:
            low, high = (float(b) for b in bounds)
        except (TypeError, ValueError):
            bad_param("share_bounds", "a pair (low, high)", bounds, WeightingError)
        if not 0 <= low <= high <= 1:
            bad_param("share_bounds", "0 <= low <= high <= 1", bounds, WeightingError)
        out = [Issue("college_shares", c, f"a share in [{low:g}, {high:g}]", f"{v:g}")
               for c, v in shares.items() if not low - 1e-12 <= v <= high + 1e-12]
        if out:
            raise WeightingError("parameter `college_shares`: shares outside the statutory bounds", issues=out)
    return shares
