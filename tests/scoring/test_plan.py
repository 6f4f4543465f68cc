"""The compiled plan's sums of sibling groups are the sums of each group taken alone, to the last bit.

The weights of every sibling group are normalised by their sum (``Plan.normalise_weights``, the
validation of weight draws): a faster layout of the same sums must not move a weight, hence a score
or a rank tie, by one unit in the last place. Reference: numpy's own ``w[:, idx].sum(axis=1)``
per group (pairwise summation of a contiguous row).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.scoring.plan import compile_plan


@pytest.mark.parametrize("name", ["cooperation_territoriale", "asem"])
@pytest.mark.parametrize("samples", [1, 7, 1000])
def test_group_sums_equal_each_group_summed_alone(name, samples):
    if name == "asem":  # groups of 2 to 9 children: pairwise summation starts at 8
        ref = Path(__file__).resolve().parents[1] / "reference" / "scoring" / "coinr_asem"
        fw, _ = ce.from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))
    else:
        fw = ce.load_framework(name)
    plan = compile_plan(fw)
    w = np.random.default_rng(samples).gamma(0.7, size=(samples, len(plan.nodes))) * 10.0 ** np.random.default_rng(
        1).integers(-8, 8, size=len(plan.nodes))  # magnitudes far apart: any other order of the sums shows
    expected = np.column_stack([w[:, idx].sum(axis=1) for idx in plan.groups])
    got = plan.group_sums(w)
    assert got.tobytes() == expected.tobytes()
    assert max(len(g) for g in plan.groups) >= (8 if name == "asem" else 2)
    norm = plan.normalise_weights(w)
    for idx in plan.groups:
        np.testing.assert_array_equal(norm[:, idx], w[:, idx] / w[:, idx].sum(axis=1, keepdims=True))


def test_local_weights_of_the_last_series_are_kept_once_and_handed_out_as_copies(monkeypatch):
    """``local_weights`` of a numeric Series (a WeightSet's ``.local``, read at every Monte Carlo
    call) validates and normalises once per ids and values: the same Series again gives the same
    numbers without a second check, a copy the caller may change; other values are checked anew,
    and only the last are kept (``Plan.last``)."""
    from coopeval.scoring import weights as W

    fw = ce.load_framework("cooperation_territoriale")
    plan = compile_plan(fw)
    local = fw.default_weights("local").astype(float)
    checks = []
    real = W._checked
    monkeypatch.setattr(W, "_checked", lambda *a: checks.append(1) or real(*a))
    first = W.local_weights(fw, plan, local)
    first[:] = -1.0  # the caller's copy
    again = W.local_weights(fw, plan, local.copy())
    assert len(checks) == 1 and (again > 0).all()
    np.testing.assert_array_equal(again, plan.normalise_weights(local.reindex(plan.nodes).to_numpy()[None, :])[0])
    heavier = local.copy()
    heavier.iloc[0] *= 3
    other = W.local_weights(fw, plan, heavier)
    assert len(checks) == 2 and not np.array_equal(other, again)
    W.local_weights(fw, plan, local)
    assert len(checks) == 3  # one result kept: the first values were checked again
    with pytest.raises(ce.CoopevalError, match="invalid weights"):
        W.local_weights(fw, plan, local.where(local.index != local.index[0], -1.0))
    W.local_weights(fw, plan, local)
    assert len(checks) == 4  # a refused Series leaves the last valid one in its place
