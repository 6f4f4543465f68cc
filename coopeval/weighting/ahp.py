"""Analytic Hierarchy Process: priorities and consistency of a pairwise comparison matrix."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from coopeval.errors import Issue, WeightingError, bad_param

#: Saaty's random consistency index RI(n), from Saaty (1980), *The Analytic Hierarchy
#: Process*, McGraw-Hill, Table 1.7 (average CI of random reciprocal matrices, n = 1..15).
RANDOM_INDEX_SAATY_1980 = {
    1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45,
    10: 1.49, 11: 1.51, 12: 1.48, 13: 1.56, 14: 1.57, 15: 1.59,
}
#: Thresholds of the geometric consistency index (Aguarón & Moreno-Jiménez 2003),
#: equivalent to CR = 0.10: 0.31 for n = 3, 0.35 for n = 4, 0.37 for n > 4.
GCI_THRESHOLDS = {3: 0.31, 4: 0.35}
GCI_THRESHOLD_LARGE = 0.37
#: Saaty's fundamental scale bounds.
SAATY_MIN, SAATY_MAX = 1.0 / 9.0, 9.0


@dataclass
class AHPResult:
    """Result of :func:`ahp`.

    Attributes
    ----------
    weights : Series
        Priorities of the chosen ``method`` (sum to 1), indexed by label.
    weights_eigenvector, weights_geometric : Series
        Principal right eigenvector and row geometric mean priorities.
    lambda_max : float
        Principal eigenvalue.
    consistency_index : float
        CI = (lambda_max - n) / (n - 1).
    random_index : float
        RI(n) of :data:`RANDOM_INDEX_SAATY_1980`.
    consistency_ratio : float
        CR = CI / RI (0 when n <= 2); acceptable below 0.10.
    gci, gci_threshold : float
        Geometric consistency index and its acceptability threshold.
    judgements : DataFrame
        One row per upper-triangle pair: ``row, col, value, implied, error, log_error``
        with ``implied = w_row / w_col`` (geometric weights) and
        ``error = value * w_col / w_row``; sorted by decreasing ``|log_error|``.
    worst : dict
        The judgement contributing most to inconsistency: ``row, col, value``,
        ``implied`` (w_row / w_col), ``indirect`` (geometric mean of the indirect
        judgements a_row,k * a_k,col over the other items) and ``suggested`` (the
        Saaty-scale value closest to ``indirect``), to put back to the participant.
    matrix : DataFrame
        The (validated) comparison matrix.
    """

    weights: pd.Series
    weights_eigenvector: pd.Series
    weights_geometric: pd.Series
    lambda_max: float
    consistency_index: float
    random_index: float
    consistency_ratio: float
    gci: float
    gci_threshold: float
    judgements: pd.DataFrame
    worst: dict = field(default_factory=dict)
    matrix: pd.DataFrame | None = None

    @property
    def is_consistent(self) -> bool:
        """CR < 0.10 (Saaty's rule)."""
        return bool(self.consistency_ratio < 0.10)

    def summary(self) -> pd.DataFrame:
        """One-row table: ``n, lambda_max, ci, ri, cr, gci, gci_threshold, consistent``."""
        return pd.DataFrame([{
            "n": len(self.weights), "lambda_max": self.lambda_max, "ci": self.consistency_index,
            "ri": self.random_index, "cr": self.consistency_ratio, "gci": self.gci,
            "gci_threshold": self.gci_threshold, "consistent": self.is_consistent,
        }])


def eigenvector_weights(a: np.ndarray) -> tuple[np.ndarray, float]:
    """Principal right eigenvector (normalised to sum 1) and eigenvalue of ``a``."""
    vals, vecs = np.linalg.eig(a)
    i = int(np.argmax(vals.real))
    v = np.abs(vecs[:, i].real)
    return v / v.sum(), float(vals[i].real)


def geometric_weights(a: np.ndarray) -> np.ndarray:
    """Row geometric means normalised to sum 1 (Crawford & Williams 1985)."""
    g = np.exp(np.log(a).mean(axis=1))
    return g / g.sum()


def gci(a: np.ndarray, w: np.ndarray | None = None) -> float:
    """Geometric consistency index :math:`\\frac{2}{(n-1)(n-2)}\\sum_{i<j}\\log^2(a_{ij}w_j/w_i)`."""
    n = a.shape[0]
    if n < 3:
        return 0.0
    w = geometric_weights(a) if w is None else w
    e = np.log(a * w[None, :] / w[:, None])
    iu = np.triu_indices(n, 1)
    return float(2.0 / ((n - 1) * (n - 2)) * np.sum(e[iu] ** 2))


def random_index(n: int) -> float:
    """RI(n) from Saaty (1980); raises for n > 15."""
    if n not in RANDOM_INDEX_SAATY_1980:
        bad_param("matrix", "at most 15 items (Saaty's random index table stops at 15)", n, WeightingError)
    return RANDOM_INDEX_SAATY_1980[n]


def nearest_saaty(x: float) -> float:
    """The value of Saaty's 1–9 scale (or its reciprocals) closest to ``x`` in log scale."""
    scale = np.array([1 / k for k in range(9, 1, -1)] + list(range(1, 10)), dtype=float)
    return float(scale[np.argmin(np.abs(np.log(scale) - np.log(x)))])


def check_matrix(matrix: np.ndarray, labels: Sequence[str], *, tol: float = 0.01) -> list[Issue]:
    """Problems of a comparison matrix: shape, range, diagonal, reciprocity."""
    issues = []
    n = matrix.shape[0]
    for i in range(n):
        if not np.isclose(matrix[i, i], 1.0):
            issues.append(Issue("diagonal", f"{labels[i]}|{labels[i]}", "1", f"{matrix[i, i]:g}"))
        for j in range(n):
            v = matrix[i, j]
            if not np.isfinite(v) or not SAATY_MIN * (1 - 1e-9) <= v <= SAATY_MAX * (1 + 1e-9):
                issues.append(Issue(f"row {i + 1}, column {j + 1}", f"{labels[i]}|{labels[j]}",
                                    "a judgement in [1/9, 9]", f"{v:g}"))
            elif j > i and abs(v * matrix[j, i] - 1.0) > tol:
                issues.append(Issue(f"row {i + 1}, column {j + 1}", f"{labels[i]}|{labels[j]}",
                                    f"a reciprocal judgement ({labels[j]}|{labels[i]} = 1/{v:g})",
                                    f"{labels[j]}|{labels[i]} = {matrix[j, i]:g}"))
    return issues


def ahp(
    matrix: np.ndarray | pd.DataFrame | Sequence[Sequence[float]],
    labels: Iterable[str] | None = None,
    *,
    method: str = "eigenvector",
    reciprocal_tol: float = 0.01,
) -> AHPResult:
    """Priorities and consistency of a pairwise comparison matrix (AHP).

    Parameters
    ----------
    matrix : square array, list of lists or DataFrame
        ``matrix[i][j]`` = how much more important item i is than item j on
        Saaty's scale (1 = equal … 9 = extreme; reciprocals below 1).
    labels : list of str, optional
        Item labels (default: the DataFrame index, else ``c1, c2…``).
    method : {"eigenvector", "geometric"}, default "eigenvector"
        Which priorities ``.weights`` holds (both are always computed).
    reciprocal_tol : float, default 0.01
        Tolerance on ``|a_ij * a_ji - 1|`` (judgements typed as 0.33 for 1/3 pass).

    Returns
    -------
    AHPResult
        ``.weights`` (Series summing to 1), ``.consistency_ratio``, ``.gci``,
        ``.worst`` (the judgement contributing most to inconsistency) …

    Notes
    -----
    Eigenvector method: :math:`A w = \\lambda_{max} w`; CI :math:`= (\\lambda_{max}-n)/(n-1)`;
    CR :math:`= CI/RI(n)` with RI from Saaty (1980) (:data:`RANDOM_INDEX_SAATY_1980`).
    Row geometric mean: :math:`w_i \\propto (\\prod_j a_{ij})^{1/n}`.
    GCI :math:`= \\frac{2}{(n-1)(n-2)}\\sum_{i<j}\\log^2 e_{ij}` with
    :math:`e_{ij} = a_{ij} w_j / w_i` (geometric weights). The judgement contributing
    most to inconsistency is the pair with the largest :math:`|\\log e_{ij}|` — to be
    discussed again with the participant, not discarded.

    References
    ----------
    Saaty, T. L. (1980). *The Analytic Hierarchy Process*. McGraw-Hill.
    Crawford, G. & Williams, C. (1985). A note on the analysis of subjective judgment
    matrices. *Journal of Mathematical Psychology* 29(4), 387–405.
    Aguarón, J. & Moreno-Jiménez, J. M. (2003). The geometric consistency index:
    approximated thresholds. *European Journal of Operational Research* 147(1), 137–145.

    Examples
    --------
    >>> import coopeval as ce
    >>> res = ce.weighting.ahp([[1, 3, 5], [1/3, 1, 2], [1/5, 1/2, 1]], ["social", "emploi", "economie"])
    >>> res.weights.round(3).tolist(), round(res.consistency_ratio, 4)
    ([0.648, 0.23, 0.122], 0.0032)
    """
    if method not in ("eigenvector", "geometric"):
        bad_param("method", "'eigenvector' or 'geometric'", method, WeightingError)
    a, labs = _as_matrix(matrix, labels)
    issues = check_matrix(a, labs, tol=reciprocal_tol)
    if issues:
        raise WeightingError("parameter `matrix`: not a valid pairwise comparison matrix", issues=issues)
    return _result(a, labs, method)


def _as_matrix(matrix, labels) -> tuple[np.ndarray, list[str]]:
    labs: list[str] | None
    if isinstance(matrix, pd.DataFrame):
        labs = [str(x) for x in matrix.index] if labels is None else list(labels)
        values = matrix.to_numpy()
    else:
        values = matrix
        labs = None if labels is None else list(labels)
    try:
        a = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        bad_param("matrix", "a square matrix of numbers", matrix, WeightingError)
    if a.ndim != 2 or a.shape[0] != a.shape[1] or a.shape[0] < 2:
        bad_param("matrix", "a square matrix of size >= 2", f"shape {a.shape}", WeightingError)
    n = a.shape[0]
    labs = [f"c{i + 1}" for i in range(n)] if labs is None else labs
    if len(labs) != n or len(set(labs)) != n:
        bad_param("labels", f"{n} distinct labels", labs, WeightingError)
    random_index(n)
    return a, labs


def _result(a: np.ndarray, labs: list[str], method: str) -> AHPResult:
    n = a.shape[0]
    w_eig, lam = eigenvector_weights(a)
    w_geo = geometric_weights(a)
    ci = (lam - n) / (n - 1) if n > 2 else 0.0
    ri = random_index(n)
    cr = ci / ri if ri > 0 else 0.0
    iu, ju = np.triu_indices(n, 1)
    err = a[iu, ju] * w_geo[ju] / w_geo[iu]
    table = pd.DataFrame({
        "row": [labs[i] for i in iu], "col": [labs[j] for j in ju], "value": a[iu, ju],
        "implied": w_geo[iu] / w_geo[ju], "error": err, "log_error": np.log(err),
    })
    table = table.iloc[np.argsort(-np.abs(table["log_error"].to_numpy()), kind="stable")].reset_index(drop=True)
    top = table.iloc[0]
    i, j = labs.index(top["row"]), labs.index(top["col"])
    others = [k for k in range(n) if k not in (i, j)]
    indirect = float(np.exp(np.mean([np.log(a[i, k] * a[k, j]) for k in others]))) if others else float(top["value"])
    worst = {"row": top["row"], "col": top["col"], "value": float(top["value"]),
             "implied": float(top["implied"]), "indirect": indirect,
             "suggested": nearest_saaty(min(max(indirect, SAATY_MIN), SAATY_MAX))}
    s_eig = pd.Series(w_eig, index=labs, name="weight")
    s_geo = pd.Series(w_geo, index=labs, name="weight")
    return AHPResult(
        weights=s_eig if method == "eigenvector" else s_geo,
        weights_eigenvector=s_eig, weights_geometric=s_geo, lambda_max=lam,
        consistency_index=float(ci), random_index=ri, consistency_ratio=float(cr),
        gci=gci(a, w_geo), gci_threshold=GCI_THRESHOLDS.get(n, GCI_THRESHOLD_LARGE),
        judgements=table, worst=worst, matrix=pd.DataFrame(a, index=labs, columns=labs),
    )


def aggregate_matrices(matrices: Sequence[np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
    """Aggregation of individual judgements (AIJ): element-wise weighted geometric mean.

    The result is again reciprocal (Aczél & Saaty 1983; Forman & Peniwati 1998).
    """
    stack = np.log(np.stack([np.asarray(m, dtype=float) for m in matrices]))
    w = np.full(len(matrices), 1.0 / len(matrices)) if weights is None else np.asarray(weights, float)
    w = w / w.sum()
    return np.exp(np.tensordot(w, stack, axes=1))
