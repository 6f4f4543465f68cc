"""The submission fast path never accepts a judgement set that the full validator refuses (issue 16)."""

from __future__ import annotations

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.errors import WeightingError
from coopeval.weighting.quickcheck import surely_valid

FW = ce.load_framework("cooperation_territoriale")
PARENTS = ["overall"] + [d for d in FW.dimension_ids if FW.children(d)][:2]
VALUES = st.one_of(st.sampled_from([0.0, 1.0, 2.0, 5.0, 10.0, 100.0, 100.0 / 7, -1.0, 11.0, 2.5]),
                   st.floats(-5, 120, allow_nan=False))


@st.composite
def judgement_sets(draw):
    method = draw(st.sampled_from(["points", "direct", "swing", "ranking", "simos", "ahp"]))
    parent = draw(st.sampled_from(PARENTS))
    kids = FW.children(parent)
    chosen = draw(st.lists(st.sampled_from(kids + ["overall", "inconnu"]), min_size=1, max_size=len(kids) + 2))
    if draw(st.booleans()):
        chosen = list(kids)
    if method == "points" and draw(st.booleans()):
        vals = [100.0 / len(chosen)] * len(chosen)
    elif method == "ranking" and draw(st.booleans()):
        vals = [float(i + 1) for i in range(len(chosen))]
    elif method == "swing" and draw(st.booleans()):
        vals = [100.0] + [50.0] * (len(chosen) - 1)
    else:
        vals = [draw(VALUES) for _ in chosen]
    return [{"session": "s", "round": 1, "participant": "p", "college": "c", "method": method,
             "node": n, "value": float(v), "reason": None} for n, v in zip(chosen, vals, strict=True)]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(judgement_sets())
def test_fast_path_accepts_only_what_the_validator_accepts(rows):
    fast = surely_valid(rows, FW)
    try:
        ce.weighting.validate_judgements(pd.DataFrame(rows), FW)
        full = True
    except WeightingError:
        full = False
    assert not fast or full, rows


def test_fast_path_takes_the_common_sets():
    """The sets of the bundled deliberation (points, direct, ranking…) mostly take the fast path."""
    j = ce.datasets.load("deliberation_exemple")
    taken = 0
    for _, one in j.groupby(["round", "participant"]):
        rows = one.to_dict("records")
        ok = surely_valid(rows, FW)
        taken += ok
        if ok:
            ce.weighting.validate_judgements(one, FW)  # and every one of them is valid
    assert taken >= 10
