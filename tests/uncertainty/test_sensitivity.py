"""Sensitivity shares: estimators equal SALib's, analytic Ishigami values, and behaviour in the engine.

References
----------
Herman, J., Usher, W. (2017). SALib, JOSS 2(9), 97 — ``SALib.analyze.sobol.analyze``
(estimators of Saltelli et al. 2010 and Jansen 1999).
Ishigami, T., Homma, T. (1990). An importance quantification technique in uncertainty analysis
for computer models. Proc. ISUMA '90, 398–403. Analytic indices for a = 7, b = 0.1 (as given by
Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, Wiley, and SALib's test suite):
S1 = 0.3139, 0.4424, 0; ST = 0.5576, 0.4424, 0.2437.
"""

from __future__ import annotations

import numpy as np
import pytest
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

import coopeval as ce
from coopeval.uncertainty.sensitivity import estimates, flags


def _acc_from_salib_layout(y, d, n):
    y = y.reshape(n, d + 2)
    a, b, ab = y[:, 0], y[:, -1], y[:, 1:-1]
    return {"n": np.array([n]), "sa": np.array([a.sum()]), "sb": np.array([b.sum()]),
            "sa2": np.array([(a**2).sum()]), "sb2": np.array([(b**2).sum()]),
            "s1": (b[:, None] * (ab - a[:, None])).sum(0)[:, None],
            "st": ((a[:, None] - ab) ** 2).sum(0)[:, None], "sd": (ab - a[:, None]).sum(0)[:, None]}


def test_estimators_equal_salib_and_ishigami_values():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol_sample.sample(problem, 2**13, calc_second_order=False, seed=1)
    y = Ishigami.evaluate(x)
    ref = sobol.analyze(problem, y, calc_second_order=False, num_resamples=10, seed=1)
    s1, st, var = estimates(_acc_from_salib_layout(y, 3, 2**13))
    np.testing.assert_allclose(s1[:, 0], ref["S1"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(st[:, 0], ref["ST"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(s1[:, 0], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(st[:, 0], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_flags():
    s1 = np.array([[0.5, -0.2, 0.9], [0.7, 0.1, 0.2]])
    st = np.array([[0.4, 0.1, 0.95], [0.7, 0.1, 0.3]])
    f = flags(s1, st, np.array([1000, 1000, 10]), np.array([1.0, 1.0, 0.0]), tol=0.05, min_samples=500)
    assert f[0] == ["first_order_above_total", "sum_above_one"]
    assert f[1] == ["negative"]
    assert f[2] == ["few_samples", "no_variance"]
    assert f[3] == ["sum_above_one"] and f[4] == [] and f[5] == ["few_samples", "no_variance"]


def test_only_dimension_weights_vary(panel, small_fw, dirichlet):
    ws = dirichlet(small_fw, only=["overall"])
    mc = ce.uncertainty(panel, small_fw, weights=ws, n=200, sensitivity_n=600, nodes=["overall", "d1"])
    sens = mc.sensitivity
    other = sens[(sens["input"] != "weights:dimension") & (sens["node"] == "overall")]
    assert (other["first_order"].abs() < 1e-12).all() and (other["total"].abs() < 1e-12).all()
    # d1 does not depend on the dimension weights at all: no variance, flagged
    assert sens.loc[sens["node"] == "d1", "flag"].str.contains("no_variance").all()
    ov = sens[(sens["node"] == "overall") & (sens["input"] == "weights:dimension")]
    assert ov["total"].between(0.85, 1.15).all() and ov["first_order"].between(0.85, 1.15).all()
    assert set(mc.sensitivity_summary()["input"]) == {"weights:dimension", "weights:criterion", "weights:indicator"}


def test_normalisation_and_aggregation_inputs(panel, small_fw):
    mc = ce.uncertainty(panel, small_fw, n=100, sensitivity_n=800, normalisations=["goalposts", "rank"],
                        aggregations=["arithmetic", "minimum"], nodes=["overall"])
    assert set(mc.sensitivity["input"]) == {"normalisation", "aggregation"}
    summ = mc.sensitivity_summary().set_index("input")
    assert 0 <= summ.loc["normalisation", "first_order"] <= 1
    assert summ["total"].sum() >= summ["first_order"].sum() - 0.05
    assert mc.sensitivity["credible"].dtype == bool
    assert pytest.approx(800) == mc.sensitivity["n"].max()


def test_inert_inputs_are_not_rescored_and_chunks_follow_sensitivity_n(panel, small_fw, dirichlet, monkeypatch):
    """Weights that never vary (criterion and indicator weights here) cost no scoring; the design is
    chunked from ``sensitivity_n``, not from ``n`` (issue 21: n=100, sensitivity_n=10,000 made
    600 tiny chunks)."""
    from coopeval.uncertainty import sensitivity as sens_mod

    calls, sizes = [], []
    real = sens_mod.score_batch

    def counting(setup, w, kn, ka):
        calls.append(len(w))
        return real(setup, w, kn, ka)

    real_chunk = sens_mod._run_sensitivity_chunk

    def chunk(task):
        sizes.append(task[2])
        return real_chunk(task)

    monkeypatch.setattr(sens_mod, "score_batch", counting)
    monkeypatch.setattr(sens_mod, "_run_sensitivity_chunk", chunk)
    ws = dirichlet(small_fw, only=["overall"])
    mc = ce.uncertainty(panel, small_fw, weights=ws, n=10, sensitivity_n=3000, nodes=["overall"])
    assert sizes == [3000]  # 16 rows x 1 node x 5 matrices: one chunk
    assert sum(calls) == 3 * 3000  # A, B and AB_dimension; criterion and indicator weights are inert
    other = mc.sensitivity[mc.sensitivity["input"] != "weights:dimension"]
    assert (other["total"] == 0).all() and (other["first_order"] == 0).all()
