"""No public function gives a small college's mean weights (issue 16), whatever voices are tried.

The doors are :func:`coopeval.weighting.aggregate` (by college with any voices, by participant),
:meth:`WeightSet.with_college_shares` (what the « Et si… ? » sliders call), :class:`Evaluation`
(``dimension_weights``, ``what_if``, ``weights_by_college``; the CLI's ``score`` and ``report``
and the dashboards read the same evaluation) and the sliders' own :meth:`RestitutionApp.college_shares`.
An attacker collects every output the doors accept, and tries every linear combination of them
(least squares): a college under the minimum is never obtained, unless it is identical to another
college. Every door refuses exactly the same voices (one rule: ``check_college_shares``).

Participants do not always weight every group of sibling nodes: the panels drawn here let some
participants skip the dimensions (they weight the criteria of « Social » only), so a college
large in the round can be small in the group of the dimensions — the rule is decided per group
(``check_college_shares_by_group``), with the participants who weighted that group.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.data.disclosure import (
    check_college_shares,
    check_college_shares_by_group,
    college_blocks,
    group_sizes,
    shown_by_group,
    voice_blocks,
)
from coopeval.evaluation import Evaluation

FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids
SOCIAL = FW.children("social")
PANEL = ce.datasets.load("panel_synthetique")


def _judgements(sizes: dict[str, int], seed: int, dims: dict[str, int] | None = None) -> pd.DataFrame:
    """Points judgements: ``dims[c]`` (default all) of the ``sizes[c]`` members of college ``c``
    weight the dimensions; with ``dims`` given, every participant also weights the criteria of
    « Social » (so those who skip the dimensions are still participants of the round)."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, (college, n) in enumerate(sizes.items()):
        for i in range(n):
            groups = [DIMS] if dims is None else ([DIMS] if i < dims[college] else []) + [SOCIAL]
            for kids in groups:
                pts = rng.dirichlet(np.ones(len(kids)) * (1 + c)) * 100
                rows += [{"session": "s", "round": 1, "participant": f"{college}_{i}", "college": college,
                          "method": "points", "node": d, "value": float(v)} for d, v in zip(kids, pts, strict=True)]
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
    # how many of each college weighted the dimensions (the others weighted the criteria of « Social » only)
    dims = {c: draw(st.integers(1, n)) for c, n in sizes.items()} if draw(st.booleans()) else None
    seed = draw(st.integers(0, 10_000))
    voices = draw(st.lists(st.lists(st.floats(0.0, 1.0), min_size=len(sizes), max_size=len(sizes)),
                           min_size=1, max_size=4))
    return sizes, k, seed, voices, dims


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_no_door_gives_a_small_college(case):
    """The secret is a college's mean dimension weights, over those of its members who weighted the
    dimensions: when they are fewer than the minimum, no combination of the outputs gives it, even
    when the college counts the minimum or more in the round."""
    sizes, k, seed, drawn, dims = case
    j = _judgements(sizes, seed, dims)
    in_dims = sizes if dims is None else dims          # the count that matters for the dimensions' group
    shown, pooled = college_blocks(in_dims, k)
    with pytest.warns(ce.data.disclosure.SmallGroupDisclosureWarning):   # the researcher's raw view
        raw = ce.weighting.aggregate(j, FW, disclose_small_colleges=True, min_group=k).by_college
    mean = {c: g.set_index("node")["weight"][DIMS].to_numpy() for c, g in raw[raw["node"].isin(DIMS)].groupby(
        "college")}
    base = ce.weighting.aggregate(j, FW, min_group=k)
    per_group = group_sizes(base.by_participant)
    assert per_group["overall"] == in_dims
    ev = Evaluation(FW, PANEL["observations"], None, j, None, PANEL["units"], min_group=k)
    tiny = sum(in_dims.values()) < k   # fewer than k people weighted the dimensions: the evaluation shows none
    published = [base.local[DIMS].to_numpy()] + ([] if tiny else [ev.dimension_weights().to_numpy()])
    assert _refused(ev.dimension_weights) == tiny
    by_college = ev.weights_by_college()
    assert set(by_college["college"]) == set(shown)
    published += [g.set_index("node")["weight"][DIMS].to_numpy() for _, g in by_college.groupby("college")]
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
        expected = _refused(lambda s=s: check_college_shares_by_group(s, per_group, k))
        if _refused(lambda s=s: check_college_shares(s, in_dims, k)) and not tiny:
            assert expected        # refused by the dimensions' group whatever the other groups say
        # (a group of fewer than k people in all keeps the default weights: no voice changes it)
        doors = [lambda s=s: ce.weighting.aggregate(j, FW, college_shares=s, min_group=k),
                 lambda s=s: base.with_college_shares(s),
                 lambda s=s: ev.dimension_weights(college_shares=s)]
        # one rule, every door (and the evaluation shows no weights of fewer than k people)
        assert [_refused(d) for d in doors] == [expected, expected, expected or tiny], (sizes, dims, k, s)
        if not expected:
            published.append(ce.weighting.aggregate(j, FW, college_shares=s, min_group=k).local[DIMS].to_numpy())
            published += [] if tiny else [ev.dimension_weights(college_shares=s).to_numpy()]
    pooled_all = _refused(lambda: ce.weighting.aggregate(j, FW, by="participant", min_group=k))
    if len({in_dims[c] for c in pooled}) > 1 and not tiny:
        assert pooled_all
    if tiny:   # fewer than k people weighted the dimensions: their weights are not used, whatever the voices
        assert np.allclose(base.local[DIMS], FW.default_weights("local")[DIMS])
    if not pooled_all:
        published.append(ce.weighting.aggregate(j, FW, by="participant", min_group=k).local[DIMS].to_numpy())
    for college in (c for c in in_dims if in_dims[c] < k):
        distinct = not any(np.allclose(mean[college], mean[o], atol=1e-7) for o in sizes if o != college)
        if distinct and len(pooled) > 1:
            assert not _recoverable(mean[college], published), (sizes, dims, k, college)


def test_a_college_large_in_the_round_small_in_one_group():
    """Six élu·es took part, only three weighted the criteria of « Social »: counted over the round
    (6 >= 5) their voice was free, and ``{elus: 1, others: 0}`` gave the three people's mean
    criteria weights. Counted in the group, they are pooled with the smallest other college there."""
    sizes = {"habitants": 8, "salaries": 6, "elus": 6}
    j = _judgements(sizes, 3, dims=sizes)   # everyone weights the dimensions and the criteria of « Social »
    j = j[~((j["participant"].isin(["elus_3", "elus_4", "elus_5"])) & j["node"].isin(SOCIAL))]
    base = ce.weighting.aggregate(j, FW)
    assert group_sizes(base.by_participant) == {"overall": sizes, "social": {"habitants": 8, "salaries": 6, "elus": 3}}
    alone = {"habitants": 0.0, "salaries": 0.0, "elus": 1.0}
    message = (r"^paramètre `college_shares` : attendu la même voix pour les collèges regroupés pour protéger les "
               r"petits groupes \(elus, salaries\) dans le groupe « social », reçu elus=1, salaries=0 / parameter "
               r"`college_shares`: expected the same share for the colleges pooled to protect small groups "
               r"\(elus, salaries\) in the group 'social', got elus=1, salaries=0$")
    ev = Evaluation(FW, PANEL["observations"], None, j, None, PANEL["units"])
    for door in (lambda: ce.weighting.aggregate(j, FW, college_shares=alone), lambda: base.with_college_shares(alone),
                 lambda: ev.dimension_weights(college_shares=alone), lambda: ev.what_if(college_shares=alone)):
        with pytest.raises(ce.WeightingError, match=message):
            door()
    with pytest.raises(ce.WeightingError, match=r"`by`.*dans le groupe « social ».*elus=3, salaries=6"):
        ce.weighting.aggregate(j, FW, by="participant")
    # the dimensions (everyone weighted them) keep every college; the criteria of « Social » hide the block
    assert set(ev.weights_by_college()["college"]) == set(sizes)
    crit = ev.weights_by_college(level="criterion")
    assert set(crit.loc[crit["parent"] == "social", "college"]) == {"habitants"}
    assert set(crit.loc[crit["parent"] != "social", "college"]) == set()   # nobody weighted other criteria
    assert crit["n_participants"].tolist() == [8] * len(SOCIAL)
    # what can come out of « Social »: the habitants, and the élu·es only through the block's mean
    with pytest.warns(ce.data.disclosure.SmallGroupDisclosureWarning):
        raw = ce.weighting.aggregate(j, FW, disclose_small_colleges=True).by_college
    secret = raw[(raw["college"] == "elus") & (raw["parent"] == "social")].set_index("node")["weight"][SOCIAL]
    published = [base.local[SOCIAL].to_numpy(), *[g.set_index("node")["weight"][SOCIAL].to_numpy()
                                                 for _, g in crit.groupby("college")]]
    for s in ({"habitants": 0.2, "salaries": 0.4, "elus": 0.4}, {"habitants": 0.9, "salaries": 0.05, "elus": 0.05}):
        published.append(base.with_college_shares(s).local[SOCIAL].to_numpy())
    assert not _recoverable(secret.to_numpy(), published)
    # the sliders: the élu·es and salarié·es share one (pooled in « Social »), the habitants have their own
    assert voice_blocks(group_sizes(base.by_participant), 5) == (["habitants"], ["elus", "salaries"])
    assert shown_by_group(group_sizes(base.by_participant), 5) == {"overall": ["elus", "habitants", "salaries"],
                                                                   "social": ["habitants"]}
    # the researcher's explicit opt-out works as before: nothing refused, warned — and its output is the
    # secret (what the counting over the round let through; also shows the check above can fail)
    with pytest.warns(ce.data.disclosure.SmallGroupDisclosureWarning, match="elus, salaries"):
        leak = ce.weighting.aggregate(j, FW, college_shares=alone, disclose_small_colleges=True).local[SOCIAL]
    assert _recoverable(secret.to_numpy(), [*published, leak.to_numpy()])


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
