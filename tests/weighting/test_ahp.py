"""AHP priorities and consistency.

References
----------
Saaty, T. L. (1980). The Analytic Hierarchy Process. McGraw-Hill — "wealth of nations"
example (tests/reference/weighting/ahp_saaty_wealth.yaml): lambda_max = 7.61,
eigenvector to 3 decimals, CI = 0.10, CR = 0.08.
Aguarón, J. & Moreno-Jiménez, J. M. (2003). The geometric consistency index:
approximated thresholds. EJOR 147(1), 137-145.
Crawford, G. & Williams, C. (1985). J. Math. Psych. 29(4), 387-405 (the row geometric
mean is the least-squares solution in log space — checked with scipy below).
"""

from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from scipy import optimize

import coopeval as ce
from coopeval.errors import WeightingError
from coopeval.weighting.ahp import aggregate_matrices, geometric_weights


def _matrix(ref):
    return np.array([[float(Fraction(str(v))) for v in row] for row in ref["matrix"]])


def test_saaty_wealth_of_nations(ref):
    data = ref("ahp_saaty_wealth.yaml")
    res = ce.weighting.ahp(_matrix(data), data["labels"])
    assert res.weights.tolist() == pytest.approx(data["weights"], abs=5e-4)
    assert res.lambda_max == pytest.approx(data["lambda_max"], abs=5e-3)
    assert res.consistency_index == pytest.approx(data["ci"], abs=5e-3)
    assert res.consistency_ratio == pytest.approx(data["cr"], abs=5e-3)
    assert res.random_index == 1.32
    assert list(res.weights.index) == data["labels"]
    assert res.weights.sum() == pytest.approx(1.0)


def test_three_by_three_closed_forms():
    """For n = 3 (derived by hand): with rho = a12 a23 / a13,
    lambda_max = 1 + rho^(1/3) + rho^(-1/3) and GCI = ln(rho)^2 / 3 (each log-error is
    ±ln(rho)/3 and 2/((n-1)(n-2)) = 1)."""
    a12, a23, a13 = 3.0, 4.0, 5.0
    m = np.array([[1, a12, a13], [1 / a12, 1, a23], [1 / a13, 1 / a23, 1]])
    res = ce.weighting.ahp(m)
    rho = a12 * a23 / a13
    assert res.lambda_max == pytest.approx(1 + rho ** (1 / 3) + rho ** (-1 / 3), abs=1e-10)
    assert res.gci == pytest.approx(np.log(rho) ** 2 / 3, abs=1e-12)
    assert res.consistency_ratio == pytest.approx((res.lambda_max - 3) / 2 / 0.58, abs=1e-12)
    # for n = 3 eigenvector and geometric mean coincide
    assert res.weights_eigenvector.to_numpy() == pytest.approx(res.weights_geometric.to_numpy(), abs=1e-12)
    assert res.gci_threshold == 0.31


def test_consistent_matrix_has_zero_indices():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    m = w[:, None] / w[None, :]
    res = ce.weighting.ahp(m, ["a", "b", "c", "d"], method="geometric")
    assert res.weights.to_numpy() == pytest.approx(w, abs=1e-12)
    assert res.consistency_ratio == pytest.approx(0, abs=1e-10)
    assert res.gci == pytest.approx(0, abs=1e-20)


def test_geometric_mean_is_log_least_squares():
    m = _matrix({"matrix": [[1, 2, 7, 5], ["1/2", 1, 3, 9], ["1/7", "1/3", 1, 2], ["1/5", "1/9", "1/2", 1]]})
    la = np.log(m)

    def loss(v):
        return np.sum((la - (v[:, None] - v[None, :])) ** 2)

    v = optimize.minimize(loss, np.zeros(4), tol=1e-14).x
    w = np.exp(v) / np.exp(v).sum()
    assert geometric_weights(m) == pytest.approx(w, abs=1e-6)


def test_worst_judgement_is_the_injected_error():
    w = np.array([0.4, 0.3, 0.2, 0.1])
    m = w[:, None] / w[None, :]
    m[0, 3], m[3, 0] = 1 / 4, 4  # a judgement against all the others
    res = ce.weighting.ahp(m, ["a", "b", "c", "d"])
    assert (res.worst["row"], res.worst["col"], res.worst["value"]) == ("a", "d", 0.25)
    # the indirect judgements a->b->d and a->c->d both say 4
    assert res.worst["indirect"] == pytest.approx(4.0, abs=1e-12)
    assert res.worst["suggested"] == 4.0
    assert res.judgements.columns.tolist() == ["row", "col", "value", "implied", "error", "log_error"]


def test_aij_geometric_equals_aip_geometric():
    """Aggregating judgements by geometric mean then taking row geometric means equals
    the normalised geometric mean of the individual row-geometric priorities
    (both are exp of averages of log-rows; Forman & Peniwati 1998)."""
    rng = np.random.default_rng(3)
    mats = []
    for _ in range(5):
        m = np.ones((4, 4))
        iu = np.triu_indices(4, 1)
        m[iu] = np.exp(rng.normal(0, 1, len(iu[0])))
        m[(iu[1], iu[0])] = 1 / m[iu]
        mats.append(m)
    aij = geometric_weights(aggregate_matrices(mats))
    aip = np.exp(np.mean([np.log(geometric_weights(m)) for m in mats], axis=0))
    assert aij == pytest.approx(aip / aip.sum(), abs=1e-12)


def test_invalid_matrix_reports_every_problem():
    m = [[1, 3, 12], [1 / 3, 2, 2], [1 / 12, 1 / 5, 1]]
    with pytest.raises(WeightingError) as err:
        ce.weighting.ahp(m, ["a", "b", "c"])
    keys = [i.key for i in err.value.issues]
    assert "b|b" in keys  # diagonal
    assert "a|c" in keys  # 12 out of [1/9, 9]
    assert "b|c" in keys  # 2 vs 1/5 not reciprocal
    with pytest.raises(WeightingError, match="square"):
        ce.weighting.ahp([[1, 2, 3]])
    with pytest.raises(WeightingError, match="15"):
        ce.weighting.ahp(np.ones((16, 16)))


def test_dataframe_input_and_summary():
    df = pd.DataFrame([[1, 2], [0.5, 1]], index=["x", "y"], columns=["x", "y"])
    res = ce.weighting.ahp(df)
    assert res.weights.to_dict() == pytest.approx({"x": 2 / 3, "y": 1 / 3})
    assert res.summary().columns.tolist() == ["n", "lambda_max", "ci", "ri", "cr", "gci", "gci_threshold",
                                             "consistent"]
