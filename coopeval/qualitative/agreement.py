r"""Agreement between two coders on the codes of the same extracts.

For every code, each coder either applied it to an extract or not: two binary
ratings per extract. :func:`intercoder_agreement` gives, per code and pooled over
all codes (each extract × code pair a unit), the observed agreement, Cohen's kappa and
Krippendorff's alpha (nominal), on the extracts both coders coded (an extract a coder
gave no code at all is taken as not coded by that coder, and left out).

Notes
-----
Cohen's kappa (Cohen, 1960): :math:`\kappa = (p_o - p_e) / (1 - p_e)`, with :math:`p_o`
the proportion of agreement and :math:`p_e = \sum_k p_{k\cdot} p_{\cdot k}` the agreement
expected from each coder's own margins. Krippendorff's alpha (nominal) is
:math:`1 - D_o / D_e` computed from the coincidence matrix of the pairable values
(Krippendorff, 2011), here :func:`coopeval.weighting.krippendorff_alpha`; for two coders and no
missing value it differs from Scott's pi only by the small-sample factor
:math:`(2n-1)/2n` in :math:`D_e`. Both are undefined (NaN) when a code is given by
nobody or by both coders to every extract (no variation).

References
----------
Cohen, J. (1960). A coefficient of agreement for nominal scales. *Educational and
Psychological Measurement*, 20(1), 37–46.
Krippendorff, K. (2011). *Computing Krippendorff's alpha-reliability*. Annenberg School
for Communication, University of Pennsylvania.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import StatsError, bad_param
from coopeval.weighting.rater_agreement import krippendorff_alpha

__all__ = ["cohen_kappa", "intercoder_agreement", "AGREEMENT_COLUMNS"]

#: Columns of :func:`intercoder_agreement`.
AGREEMENT_COLUMNS = ["code", "n_extracts", "n_coder_a", "n_coder_b", "agreement", "kappa", "alpha"]
#: The ``code`` of the pooled row.
POOLED = "__pooled__"


def cohen_kappa(a: np.ndarray, b: np.ndarray) -> float:
    """Cohen's kappa of two equal-length label vectors (numpy core, no validation).

    >>> import numpy as np
    >>> round(cohen_kappa(np.array([1, 1, 0, 0]), np.array([1, 0, 0, 0])), 3)
    0.5
    """
    cats, inv = np.unique(np.concatenate([a, b]), return_inverse=True)
    k, n = len(cats), len(a)
    table = np.zeros((k, k))
    np.add.at(table, (inv[:n], inv[n:]), 1)
    table /= n
    po = np.trace(table)
    pe = float(table.sum(axis=1) @ table.sum(axis=0))
    return np.nan if np.isclose(pe, 1.0) else float((po - pe) / (1 - pe))


def _alpha(a: np.ndarray, b: np.ndarray) -> float:
    data = np.vstack([a, b]).astype(float)
    if np.unique(data).size < 2:
        return np.nan
    return krippendorff_alpha(data, "nominal")


def _row(code: str, a: np.ndarray, b: np.ndarray) -> dict:
    return {"code": code, "n_extracts": int(len(a)), "n_coder_a": int(a.sum()), "n_coder_b": int(b.sum()),
            "agreement": float((a == b).mean()) if len(a) else np.nan,
            "kappa": cohen_kappa(a, b) if len(a) else np.nan, "alpha": _alpha(a, b) if len(a) else np.nan}


def intercoder_agreement(codes: pd.DataFrame, *, coders: tuple[str, str] | None = None,
                         extract: str = "extract", code: str = "code", coder: str = "coder") -> pd.DataFrame:
    """Per-code and pooled agreement between two coders (Cohen's kappa, Krippendorff's alpha).

    Parameters
    ----------
    codes : DataFrame
        Codes table ``extract, code, coder`` (:data:`~coopeval.qualitative.CODE_COLUMNS`).
    coders : (str, str), optional
        The two coders compared (default: the two coders of the table, sorted).
    extract, code, coder : str
        Column names.

    Returns
    -------
    DataFrame
        One row per code (sorted) then the pooled row (``code == "__pooled__"``):
        ``code``, ``n_extracts`` (extracts coded by both coders), ``n_coder_a``,
        ``n_coder_b`` (extracts each gave the code), ``agreement`` (observed proportion of
        agreement), ``kappa`` (Cohen), ``alpha`` (Krippendorff, nominal).

    Raises
    ------
    StatsError
        Missing columns, not exactly two coders, or no extract coded by both.

    Examples
    --------
    >>> import coopeval as ce
    >>> q = ce.datasets.load("qualitatif_exemple")
    >>> ag = ce.qualitative.intercoder_agreement(q["codes"])
    >>> ag.columns.tolist()
    ['code', 'n_extracts', 'n_coder_a', 'n_coder_b', 'agreement', 'kappa', 'alpha']
    >>> round(float(ag["kappa"].iloc[-1]), 2)   # pooled over all codes
    0.94
    """
    if not isinstance(codes, pd.DataFrame):
        bad_param("codes", "a codes DataFrame (extract, code, coder)", type(codes).__name__, StatsError)
    missing = [c for c in (extract, code, coder) if c not in codes.columns]
    if missing:
        bad_param("codes", f"columns {extract}, {code}, {coder}", f"missing {', '.join(missing)}", StatsError)
    present = sorted(codes[coder].dropna().astype(str).unique())
    if coders is None:
        if len(present) != 2:
            bad_param("coders", "two coders in the codes table (or name them)", present, StatsError)
        coders = (present[0], present[1])
    if len(coders) != 2 or any(c not in present for c in coders):
        bad_param("coders", f"two coders among {present}", coders, StatsError)
    df = codes.assign(**{coder: codes[coder].astype(str)})
    sets = [set(df.loc[df[coder] == c, extract].astype(str)) for c in coders]
    both = sorted(sets[0] & sets[1])
    if not both:
        raise StatsError(f"parameter `codes`: expected extracts coded by both {coders[0]} and {coders[1]}, found none")
    df = df[df[extract].astype(str).isin(both)]
    all_codes = sorted(df[code].astype(str).unique())
    cube = []  # per code: (a, b) binary vectors over `both`
    for k in all_codes:
        sub = df[df[code].astype(str) == k]
        vec = [np.isin(both, sub.loc[sub[coder] == c, extract].astype(str).to_numpy()).astype(int) for c in coders]
        cube.append(vec)
    rows = [_row(k, a, b) for k, (a, b) in zip(all_codes, cube, strict=True)]
    rows.append(_row(POOLED, np.concatenate([a for a, _ in cube]), np.concatenate([b for _, b in cube])))
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)
