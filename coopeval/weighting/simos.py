"""Revised Simos card method (Figueira & Roy 2002), with blank cards and ratio z."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param


def simos_core(sizes: Sequence[int], blanks: Sequence[int], z: float, decimals: int | None = 2) -> np.ndarray:
    """Weights (in percent, summing to 100) of each *card*, subsets in order.

    ``sizes[r]`` is the number of cards in subset r (least important first),
    ``blanks[r]`` the number of blank cards between subsets r and r + 1.
    With ``decimals=None`` the unrounded normalised weights are returned.
    """
    n_cards = np.asarray(sizes, dtype=int)
    e_prime = np.asarray(blanks, dtype=float) + 1.0
    if len(n_cards) == 1:
        k = np.ones(1)
    else:
        u = (z - 1.0) / e_prime.sum()
        k = 1.0 + u * np.concatenate([[0.0], np.cumsum(e_prime)])
        k = np.round(k, 2)  # F&R 2002, sect. 4.2: non-normalised weights with two decimals
    k_cards = np.repeat(k, n_cards)
    k_star = 100.0 * k_cards / k_cards.sum()
    if decimals is None:
        return k_star
    return _round_to_100(k_star, decimals)


def _round_to_100(k_star: np.ndarray, w: int) -> np.ndarray:
    """Figueira & Roy (2002) sect. 4.3: round to ``w`` decimals keeping the total at 100."""
    n = len(k_star)
    step = 10.0**-w
    k_trunc = np.floor(k_star * 10**w + 1e-9) / 10**w
    nu = int(round((100.0 - k_trunc.sum()) * 10**w))
    d_up = (step - (k_star - k_trunc)) / k_star  # relative error if rounded upward
    d_down = (k_star - k_trunc) / k_star  # relative error if rounded downward
    exact = np.isclose(k_star - k_trunc, 0.0, atol=1e-9)
    m_set = np.flatnonzero((d_up > d_down) | exact)  # M: better rounded downward
    others = np.setdiff1d(np.arange(n), m_set)
    down = np.zeros(n, dtype=bool)
    if nu + len(m_set) <= n:
        # M goes down; of the others, those with the smallest downward error go down too.
        down[m_set] = True
        extra = n - nu - len(m_set)
        if extra > 0:
            down[others[np.argsort(d_down[others], kind="stable")[:extra]]] = True
    else:
        # Too few criteria prefer upward: the n - nu criteria of M with the largest
        # upward error go down, all the others up.
        down[m_set[np.argsort(-d_up[m_set], kind="stable")[: n - nu]]] = True
    out = np.where(down, k_trunc, k_trunc + step)
    return np.round(out, w)


def simos(
    subsets: Sequence[Iterable[str] | str],
    blanks: Sequence[int] | None = None,
    z: float = 6.5,
    decimals: int | None = 2,
) -> pd.Series:
    """Weights of the revised Simos card method, in percent summing to 100.

    Parameters
    ----------
    subsets : list
        Groups of tied labels (cards placed together) from the **least** to the
        **most** important; a bare string is a group of one.
    blanks : list of int, optional
        ``blanks[i]`` = number of blank (white) cards between subset ``i`` and ``i + 1``
        (default: none).
    z : float, default 6.5
        Ratio between the weight of the most and of the least important subset
        (z >= 1; 1 only when there is a single subset).
    decimals : int or None, default 2
        Number of decimals ``w`` of the result; the exact rounding procedure of
        Figueira & Roy keeps the total at exactly 100. ``None``: unrounded.

    Returns
    -------
    pandas.Series
        ``weight`` in percent indexed by label (least important first), summing to 100.

    Notes
    -----
    With :math:`e'_r = e_r + 1` (:math:`e_r` blank cards after subset r) and
    :math:`e = \\sum_r e'_r`, :math:`u = (z-1)/e`; the non-normalised weight of subset
    r is :math:`k(r) = 1 + u (e'_0 + \\dots + e'_{r-1})` (:math:`e'_0 = 0`), rounded to
    two decimals; :math:`k^*_i = 100\\, k_i / \\sum_j k_j`. Rounding to ``w`` decimals:
    truncate to :math:`k'_i`, let :math:`\\nu = 10^w (100 - \\sum k'_i)` be the number of
    weights to round upward, :math:`d_i = (10^{-w} - (k^*_i - k'_i))/k^*_i` and
    :math:`\\bar d_i = (k^*_i - k'_i)/k^*_i` the relative errors of rounding up and
    down, :math:`M = \\{i : d_i > \\bar d_i\\}`. If :math:`|M| + \\nu \\le n`, the
    criteria of M and the :math:`n - \\nu - |M|` others with the smallest
    :math:`\\bar d_i` are rounded down, the rest up; otherwise the :math:`n - \\nu`
    criteria of M with the largest :math:`d_i` are rounded down, the rest up.

    References
    ----------
    Figueira, J. & Roy, B. (2002). Determining the weights of criteria in the ELECTRE
    type methods with a revised Simos' procedure. *European Journal of Operational
    Research* 139(2), 317–326. https://doi.org/10.1016/S0377-2217(01)00370-8
    Simos, J. (1990). *Évaluer l'impact sur l'environnement*. Presses polytechniques
    et universitaires romandes.

    Examples
    --------
    >>> import coopeval as ce
    >>> w = ce.weighting.simos([["c", "g", "l"], "d", ["b", "f", "i", "j"], "e", ["a", "h"], "k"],
    ...                        blanks=[0, 1, 0, 0, 0], z=6.5, decimals=1)
    >>> w[["c", "d", "b", "e", "a", "k"]].tolist(), round(float(w.sum()), 6)
    ([2.4, 4.5, 8.9, 11.0, 13.2, 15.3], 100.0)
    """
    groups = [[s] if isinstance(s, str) else list(s) for s in subsets] if not isinstance(subsets, str) else None
    if not groups or any(not g for g in groups):
        bad_param("subsets", "a non-empty list of non-empty groups of labels", subsets, WeightingError)
    labels = [lab for g in groups for lab in g]
    issues = [Issue("", str(lab), "each label in one subset only", "a repeated label")
              for lab in sorted({x for x in labels if labels.count(x) > 1})]
    blanks = [0] * (len(groups) - 1) if blanks is None else list(blanks)
    if len(blanks) != len(groups) - 1:
        issues.append(Issue("", "blanks", f"{len(groups) - 1} numbers (one per gap between subsets)",
                            f"{len(blanks)}"))
    elif any(not float(b).is_integer() or b < 0 for b in blanks):
        issues.append(Issue("", "blanks", "non-negative integers", repr(blanks)))
    try:
        zf = float(z)
    except (TypeError, ValueError):
        zf = math.nan
    if not np.isfinite(zf) or zf < 1 or (zf == 1 and len(groups) > 1):
        issues.append(Issue("", "z", "a ratio z > 1 (z = 1 only for a single subset)", repr(z)))
    if decimals is not None and (not isinstance(decimals, int) or not 0 <= decimals <= 6):
        issues.append(Issue("", "decimals", "an integer in 0..6 or None", repr(decimals)))
    if issues:
        raise WeightingError("revised Simos: invalid input", issues=issues)
    w = simos_core([len(g) for g in groups], [int(b) for b in blanks], zf, decimals)
    return pd.Series(w, index=labels, name="weight")


def simos_from_positions(positions: Sequence[float], z: float, decimals: int | None = 2) -> np.ndarray:
    """Simos weights (percent) from card positions: 1 = least important; equal
    positions are tied; a gap in positions is a run of blank cards."""
    pos = np.asarray(positions, dtype=float)
    levels = np.unique(pos)
    sizes = [int((pos == lv).sum()) for lv in levels]
    blanks = (np.diff(levels) - 1).astype(int).tolist()
    per_card = simos_core(sizes, blanks, z, decimals)
    order = np.argsort(pos, kind="stable")
    out = np.empty(len(pos))
    out[order] = per_card
    return out
