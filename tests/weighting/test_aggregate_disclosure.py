"""No public function gives a small college's mean weights (issue 16), whatever voices are tried.

The doors are :func:`coopeval.weighting.aggregate` (by college with any voices, by participant),
:meth:`WeightSet.with_college_shares` (what the « Et si… ? » sliders call), :class:`Evaluation`
(``dimension_weights``, ``what_if``, ``weights_by_college``; the CLI's ``score`` and ``report``
and the dashboards read the same evaluation) and the sliders' own :meth:`RestitutionApp.college_shares`.
An attacker collects every output the doors accept, and tries every linear combination of them
(least squares): a college under the minimum is never obtained, unless it is identical to another
college. Every door refuses exactly the same voices (one rule: ``check_college_shares``).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.data.disclosure import check_college_shares, college_blocks
from coopeval.evaluation import Evaluation

FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids
PANEL = ce.datasets.load("panel_synthetique")


def _judgements(sizes: dict[str, int], seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    rows = []
    for c, (college, n) in enumerate(sizes.items()):
        for i in range(n):
            pts = rng.dirichlet(np.ones(len(DIMS)) * (1 + c)) * 100
            rows += [{"session": "s", "round": 1, "participant": f"{college}_{i}", "college": college,
                      "method": "points", "node": d, "value": float(v)} for d, v in zip(DIMS, pts, strict=True)]
    return pd.DataFrame(rows)


def _refused(fn) -> bool:  # noqa: ANN001
    try:
        fn()
    except ce.WeightingError:
        return True
    return False


def _recoverable(target: np.ndarray, published: list[np.ndarray]) -> bool:
    a = np.column_stack(published)
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.allclose(a @ coef, target, atol=1e-7))


@st.composite
def cases(draw):
    k = draw(st.integers(3, 6))
    sizes = {f"c{i}": draw(st.integers(1, 9)) for i in range(draw(st.integers(2, 4)))}
    seed = draw(st.integers(0, 10_000))
    voices = draw(st.lists(st.lists(st.floats(0.0, 1.0), min_size=len(sizes), max_size=len(sizes)),
                           min_size=1, max_size=4))
    return sizes, k, seed, voices


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_door_gives_a_small_college(case):
    sizes, k, seed, drawn = case
    j = _judgements(sizes, seed)
    shown, pooled = college_blocks(sizes, k)
    with pytest.warns(ce.data.disclosure.SmallGroupDisclosureWarning):   # the researcher's raw view
        raw = ce.weighting.aggregate(j, FW, disclose_small_colleges=True, min_group=k).by_college
    mean = {c: g.set_index("node")["weight"][DIMS].to_numpy() for c, g in raw[raw["node"].isin(DIMS)].groupby(
        "college")}
    base = ce.weighting.aggregate(j, FW, min_group=k)
    ev = Evaluation(FW, PANEL["observations"], None, j, None, PANEL["units"], min_group=k)
    published = [base.local[DIMS].to_numpy(), ev.dimension_weights().to_numpy()]
    published += [g.set_index("node")["weight"][DIMS].to_numpy()
                  for _, g in ev.weights_by_college().groupby("college")]
    # voices: each college alone, the drawn ones, and the drawn ones made equal inside the block
    candidates = [{c: float(c == t) for c in sizes} for t in sizes]
    for v in drawn:
        if sum(v) <= 0:
            continue
        s = dict(zip(sizes, (x / sum(v) for x in v), strict=True))
        candidates.append(s)
        if pooled:
            block = sum(s[c] for c in pooled) / len(pooled)
            candidates.append({c: (block if c in pooled else s[c]) for c in sizes})
    for s in candidates:
        total = sum(s.values())
        if total <= 0:
            continue
        s = {c: v / total for c, v in s.items()}
        expected = _refused(lambda s=s: check_college_shares(s, sizes, k))
        doors = [lambda s=s: ce.weighting.aggregate(j, FW, college_shares=s, min_group=k),
                 lambda s=s: base.with_college_shares(s),
                 lambda s=s: ev.dimension_weights(college_shares=s)]
        assert [_refused(d) for d in doors] == [expected] * 3, (sizes, k, s)   # one rule, every door
        if not expected:
            published.append(ce.weighting.aggregate(j, FW, college_shares=s, min_group=k).local[DIMS].to_numpy())
            published.append(ev.dimension_weights(college_shares=s).to_numpy())
    pooled_all = _refused(lambda: ce.weighting.aggregate(j, FW, by="participant", min_group=k))
    assert pooled_all == (len({sizes[c] for c in pooled}) > 1)
    if not pooled_all:
        published.append(ce.weighting.aggregate(j, FW, by="participant", min_group=k).local[DIMS].to_numpy())
    for college in (c for c in sizes if sizes[c] < k):
        distinct = not any(np.allclose(mean[college], mean[o], atol=1e-7) for o in sizes if o != college)
        if distinct and len(pooled) > 1:
            assert not _recoverable(mean[college], published), (sizes, k, college)


_APPS: dict = {}


def _app():
    """One « Et si… ? » dashboard on a panel with a small college (built once: a few seconds)."""
    if not _APPS:
        from coopeval.widgets.restitution import RestitutionApp

        sizes = {"habitants": 8, "salaries": 6, "elus": 3, "financeurs": 5}
        ev = Evaluation(FW, PANEL["observations"], None, _judgements(sizes, 1), None, PANEL["units"])
        _APPS["app"], _APPS["sizes"], _APPS["ev"] = RestitutionApp(ev), sizes, ev
    return _APPS["app"], _APPS["sizes"], _APPS["ev"]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_every_slider_position_is_accepted_and_moves_the_block_as_one(data):
    app, sizes, ev = _app()
    for slider in app.college_sliders.values():
        slider.value = data.draw(st.integers(int(slider.min), int(slider.max)))
    shares = app.college_shares()
    _, pooled = college_blocks(sizes, ev.min_group)
    assert pooled and not set(pooled) & (set(app.college_sliders) - {"__pooled__"})  # no slider of its own
    if shares is None:
        return
    assert len({round(shares[c], 12) for c in pooled}) == 1
    check_college_shares(shares, sizes, ev.min_group)
    ev.dimension_weights(college_shares=shares)      # accepted by the evaluation's own door
