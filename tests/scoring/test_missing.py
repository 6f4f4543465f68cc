"""The coverage rule of the missing-data policy (hand-computed cases in the assertions)."""

from __future__ import annotations

import numpy as np
import pytest

import coopeval as ce
from coopeval.scoring.missing import apply_policy, check_min_coverage


def test_apply_policy():
    score = np.array([10.0, 20.0, 30.0, 40.0])
    cov = np.array([1.0, 0.5, 0.4999999, 0.0])
    np.testing.assert_array_equal(apply_policy(score, cov, 0.5)[:2], [10.0, 20.0])
    assert np.isnan(apply_policy(score, cov, 0.5)[2:]).all()
    out0 = apply_policy(score, cov, 0.0)
    assert out0[2] == 30.0 and np.isnan(out0[3])  # coverage 0 is always missing


@pytest.mark.parametrize("bad", [-0.1, 1.5, "half", None])
def test_check_min_coverage(bad):
    with pytest.raises(ce.ScoringError, match="min_coverage"):
        check_min_coverage(bad)
    assert check_min_coverage(1) == 1.0
