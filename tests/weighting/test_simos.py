"""Revised Simos procedure.

Reference: Figueira, J. & Roy, B. (2002). Determining the weights of criteria in the
ELECTRE type methods with a revised Simos' procedure. European Journal of Operational
Research 139(2), 317-326 — worked example of Table 1 (p. 319), values in
tests/reference/weighting/simos_figueira_roy_2002.yaml, read (audit 2026-11-26) in:
loicguilmard/ELECTRE_Tri @ 7f8f3a01 data/cards_subsets_2.csv (cards) and
docs/explanation/Simos_revised_explained.ipynb (unrounded weights, "Table 5 page 324");
paac80/Simos_Revised_Procedure README.md (w = 2 output); the PUT PROMETHEE modules'
pytest of calculate_srf_weights (w = 1).
"""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.errors import WeightingError
from coopeval.weighting.simos import simos_core


@pytest.mark.parametrize("decimals,key", [(2, "weights_w2"), (1, "weights_w1")])
def test_figueira_roy_2002_example(decimals, key, ref):
    ref = ref("simos_figueira_roy_2002.yaml")
    w = ce.weighting.simos(ref["subsets"], ref["blanks"], ref["z"], decimals=decimals)
    assert w.to_dict() == pytest.approx(ref[key], abs=1e-9)
    assert w.sum() == pytest.approx(100.0, abs=1e-9)


def test_unrounded_weights_of_table_5(ref):
    """Normalised weights before rounding, F&R (2002) Table 5 p. 324 as quoted to 9
    decimals in loicguilmard/ELECTRE_Tri @ 7f8f3a01,
    docs/explanation/Simos_revised_explained.ipynb ("Example 2"); tolerance 1e-8
    (half a unit of the 9th decimal plus float error)."""
    ref = ref("simos_figueira_roy_2002.yaml")
    w = ce.weighting.simos(ref["subsets"], ref["blanks"], ref["z"], decimals=None)
    for label, published in ref["weights_unrounded"].items():
        assert w[label] == pytest.approx(published, abs=1e-8)


def test_non_normalised_weights_of_the_example(ref):
    ref = ref("simos_figueira_roy_2002.yaml")
    # unrounded k* = 100 k / sum(k) with k rounded to two decimals (F&R sect. 4.2)
    sizes = [len(s) for s in ref["subsets"]]
    k = np.array(ref["k"])
    kstar = simos_core(sizes, ref["blanks"], ref["z"], decimals=None)
    assert kstar == pytest.approx(np.repeat(100 * k / np.dot(k, sizes), sizes), abs=1e-12)
    # ratio of the most to the least important is z
    assert kstar.max() / kstar.min() == pytest.approx(6.5, abs=1e-12)


def test_validation_collects_everything():
    with pytest.raises(WeightingError) as err:
        ce.weighting.simos([["a", "b"], "a"], blanks=[-1], z=0.5, decimals=9)
    keys = {i.key for i in err.value.issues}
    assert {"a", "blanks", "z", "decimals"} <= keys


@settings(max_examples=60, deadline=None)
@given(st.lists(st.integers(1, 4), min_size=2, max_size=8), st.data(),
       st.floats(1.5, 20), st.integers(0, 2))
def test_rounding_always_sums_to_100(sizes, data, z, decimals):
    blanks = data.draw(st.lists(st.integers(0, 3), min_size=len(sizes) - 1, max_size=len(sizes) - 1))
    w = simos_core(sizes, blanks, z, decimals)
    exact = simos_core(sizes, blanks, z, None)
    assert w.sum() == pytest.approx(100.0, abs=1e-9)
    assert np.all(np.abs(w - exact) < 10.0**-decimals + 1e-9)
