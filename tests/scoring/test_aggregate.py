"""Aggregation methods against scipy's weighted means, and the tree evaluation.

Independent implementation: ``scipy.stats.pmean`` / ``gmean`` / ``hmean`` with ``weights``
(SciPy >= 1.9). Formulas: OECD & JRC (2008), *Handbook on Constructing Composite Indicators*,
section 6.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coopeval as ce
from coopeval.scoring.aggregate import parse_method, resolve_methods
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.tree import evaluate


def _c1(sc):
    return sc[sc["node"] == "c1"].set_index(["wave", "unit"])["score"]


@pytest.mark.parametrize(
    ("method", "ref"),
    [
        ("arithmetic", lambda x, w: np.average(x, weights=w)),
        ("geometric", lambda x, w: stats.gmean(x, weights=w)),
        ("harmonic", lambda x, w: stats.hmean(x, weights=w)),
        (("generalised", 0.5), lambda x, w: stats.pmean(x, 0.5, weights=w)),
        (("generalised", 3), lambda x, w: stats.pmean(x, 3, weights=w)),
        ("minimum", lambda x, w: np.min(x)),
    ],
)
def test_methods_match_scipy(small_fw, small_obs, method, ref):
    sc = ce.score(small_obs, small_fw, normalisation="minmax", aggregation=method, output_range=(1, 100))
    ind = sc[sc["level"] == "indicator"].pivot_table(index=["wave", "unit"], columns="node", values="score")
    want = ind.apply(lambda r: ref(r[["a", "b"]].to_numpy(), np.array([1.0, 3.0])), axis=1)
    np.testing.assert_allclose(_c1(sc).reindex(want.index), want, rtol=1e-12)


def test_tree_by_hand(small_fw, small_obs):
    """Overall = 2/3 d1 + 1/3 d2 ; d1 = (c1 + c2)/2 ; c1 = (a + 3b)/4 ; d2 = (e + f)/2."""
    sc = ce.score(small_obs, small_fw, normalisation="goalposts")
    wide = sc.pivot_table(index=["wave", "unit"], columns="node", values="score")
    c1 = (wide["a"] + 3 * wide["b"]) / 4
    d1 = (c1 + wide["c"]) / 2
    d2 = (wide["e"] + wide["f"]) / 2
    np.testing.assert_allclose(wide["overall"], 2 / 3 * d1 + 1 / 3 * d2, rtol=1e-12)
    assert set(sc["level"]) == {"indicator", "criterion", "dimension", "overall"}
    assert list(sc.columns) == ["unit", "wave", "level", "node", "score", "coverage"]


def test_mixed_methods_per_node_and_level(small_fw, small_obs):
    sc = ce.score(small_obs, small_fw, normalisation="minmax", output_range=(1, 100),
                  aggregation={"overall": "geometric", "dimension": "minimum", "c1": "harmonic"})
    wide = sc.pivot_table(index=["wave", "unit"], columns="node", values="score")
    c1 = stats.hmean(wide[["a", "b"]], axis=1, weights=[1, 3])
    np.testing.assert_allclose(wide["c1"], c1, rtol=1e-12)
    np.testing.assert_allclose(wide["d1"], np.minimum(wide["c1"], wide["c2"]), rtol=1e-12)
    np.testing.assert_allclose(wide["overall"], stats.gmean(wide[["d1", "d2"]], axis=1, weights=[2, 1]), rtol=1e-12)


def test_linear_shortcut_equals_tree_walk(small_fw, small_obs):
    """The one-matrix-product path for complete arithmetic subtrees equals the node-by-node walk."""
    from coopeval.scoring.matrix import to_matrix
    from coopeval.scoring.normalise import indicator_meta, normalise_matrix

    plan = compile_plan(small_fw)
    dm = to_matrix(small_obs, plan)
    v = normalise_matrix(dm.values, indicator_meta(small_fw, plan), dm.wave_index, "goalposts")
    w = plan.normalise_weights(np.random.default_rng(1).uniform(0.1, 1, (7, len(plan.nodes))))
    methods = resolve_methods(plan, "arithmetic")
    fast = evaluate(plan, v, w, methods, want=["overall"])["overall"][0]
    v2 = v.copy()
    v2[0, 0] = np.nan  # forces the walk, then compare the rows not touched by the NaN
    slow = evaluate(plan, v2, w, methods, min_coverage=0.0)["overall"][0]
    np.testing.assert_allclose(fast[:, 1:], slow[:, 1:], rtol=1e-12)


def test_missing_policy_and_coverage(small_fw, small_obs):
    obs = small_obs[~((small_obs["unit"] == "u1") & small_obs["indicator"].isin(["b"]))]
    obs = obs[~((obs["unit"] == "u2") & obs["indicator"].isin(["a", "b"]))]
    sc = ce.score(obs, small_fw, min_coverage=0.5)
    get = sc.set_index(["wave", "unit", "node"])
    # u1 lost b (weight 3/4 of c1): coverage 0.25 < 0.5 -> c1 missing
    assert get.loc[(2023, "u1", "c1"), "coverage"] == pytest.approx(0.25)
    assert np.isnan(get.loc[(2023, "u1", "c1"), "score"])
    # d1 then has c2 only (half its weight): coverage 0.5 >= 0.5 -> d1 = c2
    assert get.loc[(2023, "u1", "d1"), "coverage"] == pytest.approx(0.5)
    assert get.loc[(2023, "u1", "d1"), "score"] == pytest.approx(get.loc[(2023, "u1", "c"), "score"])
    # with threshold 0.2, c1 = a alone (re-weighted)
    sc2 = ce.score(obs, small_fw, min_coverage=0.2).set_index(["wave", "unit", "node"])
    assert sc2.loc[(2023, "u1", "c1"), "score"] == pytest.approx(sc2.loc[(2023, "u1", "a"), "score"])
    # u2 lost all of c1: coverage 0 -> missing whatever the threshold
    sc0 = ce.score(obs, small_fw, min_coverage=0).set_index(["wave", "unit", "node"])
    assert sc0.loc[(2023, "u2", "c1"), "coverage"] == 0 and np.isnan(sc0.loc[(2023, "u2", "c1"), "score"])
    assert sc0.loc[(2023, "u2", "a"), "coverage"] == 0


def test_weights_argument(small_fw, small_obs):
    base = ce.score(small_obs, small_fw, weights={"d1": 1, "d2": 1, "b": 1})
    wide = base.pivot_table(index=["wave", "unit"], columns="node", values="score")
    np.testing.assert_allclose(wide["c1"], (wide["a"] + wide["b"]) / 2, rtol=1e-12)
    np.testing.assert_allclose(wide["overall"], (wide["d1"] + wide["d2"]) / 2, rtol=1e-12)

    class Duck:
        local = pd.Series({"d1": 1.0, "d2": 1.0, "b": 1.0})

    duck = ce.score(small_obs, small_fw, weights=Duck())
    pd.testing.assert_frame_equal(duck, base)
    with pytest.raises(ce.ScoringError) as err:
        ce.score(small_obs, small_fw, weights={"zz": 1, "a": -1})
    assert {i.key for i in err.value.issues} == {"zz", "a"}
    with pytest.raises(ce.ScoringError, match="positive sum"):
        ce.score(small_obs, small_fw, weights={"d1": 0, "d2": 0})
    # a numeric Series is read as it is (no one-row frame): same weights, same messages
    pd.testing.assert_frame_equal(ce.score(small_obs, small_fw, weights=pd.Series({"d1": 1, "d2": 1, "b": 1})), base)
    for given in ({"zz": 1.0, "a": -1.5, "b": np.inf}, pd.Series({"zz": 1.0, "a": -1.5, "b": np.inf})):
        with pytest.raises(ce.ScoringError) as err:
            ce.score(small_obs, small_fw, weights=given)
        assert [(i.key, i.found) for i in err.value.issues] == [
            ("zz", "an unknown id"), ("a", "np.float64(-1.5)"), ("b", "np.float64(inf)")]


def test_aggregation_errors(small_fw, small_obs):
    with pytest.raises(ce.ScoringError, match="aggregation"):
        ce.score(small_obs, small_fw, aggregation="median")
    with pytest.raises(ce.ScoringError, match="aggregation"):
        ce.score(small_obs, small_fw, aggregation={"a": "geometric"})
    with pytest.raises(ce.ScoringError, match="output_range=\\(1, 100\\)"):
        ce.score(small_obs, small_fw, normalisation="minmax", aggregation="geometric")
    assert parse_method("generalised:2") == ("power", 2.0)
    assert parse_method({"method": "generalised", "p": -1}) == ("power", -1.0)
    assert parse_method("min") == ("minimum", None)


def test_coverage_propagates_up_the_tree(small_fw, small_obs):
    """Hand computation: u1 lost ``a`` (weight 1/4 of c1); c1 is scored on ``b`` with coverage 3/4.
    d1 = (c1: 1/2 × 3/4) + (c2: 1/2 × 1) = 7/8 — not 1, although both criteria have a score;
    overall = d1 (2/3 × 7/8) + d2 (1/3 × 1) = 11/12."""
    obs = small_obs[~((small_obs["unit"] == "u1") & (small_obs["indicator"] == "a"))]
    get = ce.score(obs, small_fw).set_index(["wave", "unit", "node"])
    assert get.loc[(2023, "u1", "c1"), "coverage"] == pytest.approx(0.75)
    assert get.loc[(2023, "u1", "d1"), "coverage"] == pytest.approx(7 / 8)
    assert get.loc[(2023, "u1", "overall"), "coverage"] == pytest.approx(11 / 12)
    assert get.loc[(2023, "u2", "overall"), "coverage"] == 1.0


def test_framework_declares_its_aggregation(small_fw, small_obs):
    """A framework may declare a geometric mean at the root (as the UNDP HDI); an explicit
    argument overrides it."""
    spec = small_fw.to_dict()
    spec["aggregation"] = "geometric"
    spec["dimensions"][0]["aggregation"] = ["generalised", 2]
    fw = ce.Framework.from_dict(spec)
    assert fw.method == {"normalisation": "goalposts", "aggregation": {"overall": "geometric", "d1": ("generalised", 2)}}
    assert ce.Framework.from_yaml(fw.to_yaml()).method == fw.method
    declared = ce.score(small_obs, fw, output_range=(1, 100))
    explicit = ce.score(small_obs, small_fw, output_range=(1, 100),
                        aggregation={"overall": "geometric", "d1": ("generalised", 2)})
    pd.testing.assert_frame_equal(declared, explicit)
    arithmetic = ce.score(small_obs, fw, output_range=(1, 100), aggregation="arithmetic")
    pd.testing.assert_frame_equal(arithmetic, ce.score(small_obs, small_fw, output_range=(1, 100)))
    with pytest.raises(ce.FrameworkError, match="aggregation"):
        ce.Framework.from_dict({**spec, "aggregation": "median"})


def test_to_matrix_does_not_copy_the_observations_attrs(small_fw, small_obs):
    """pandas deep-copies ``attrs`` into every derived frame; ``from_coinr``'s code map (49
    entries on ASEM) then cost ~5 ms per scoring. An attrs value that refuses to be copied
    proves ``to_matrix`` (hence score and uncertainty) never copies them, and leaves them on the input."""
    from coopeval.scoring.matrix import to_matrix

    class NoCopy:
        def __deepcopy__(self, memo):
            raise RuntimeError("attrs deep-copied")

    obs = small_obs.copy()
    obs.attrs["coinr_codes"] = NoCopy()
    dm = to_matrix(obs, compile_plan(small_fw))
    assert dm.values.shape[1] == len(compile_plan(small_fw).indicators)
    assert isinstance(obs.attrs["coinr_codes"], NoCopy)
    ce.uncertainty(obs, small_fw, n=20, sensitivity=False, nodes=["overall"])


@pytest.mark.parametrize(("method", "mean"), [
    ("geometric", lambda x, w: stats.gmean(x, axis=1, weights=w)),
    ("harmonic", lambda x, w: stats.hmean(x, axis=1, weights=w)),
    (("generalised", 0.5), lambda x, w: stats.pmean(x, 0.5, axis=1, weights=w)),
])
def test_power_means_of_power_means_match_scipy_level_by_level(small_fw, small_obs, method, mean):
    """A node whose children have the same power mean adds their means of transformed scores (no
    ``log(exp(x))`` round trip): the tree still equals scipy's weighted means taken level by level,
    from the indicator scores up (c1 = M(a, b; 1, 3), d1 = M(c1, c2), d2 = M(e, f), overall =
    M(d1, d2; 2, 1))."""
    sc = ce.score(small_obs, small_fw, normalisation="minmax", aggregation=method, output_range=(1, 100))
    wide = sc.pivot_table(index=["wave", "unit"], columns="node", values="score")
    c1 = mean(wide[["a", "b"]], [1, 3])
    d1 = mean(np.column_stack([c1, wide["c"]]), [1, 1])
    d2 = mean(wide[["e", "f"]], [1, 1])
    for node, expected in (("c1", c1), ("d1", d1), ("d2", d2),
                           ("overall", mean(np.column_stack([d1, d2]), [2, 1]))):
        np.testing.assert_allclose(wide[node], expected, rtol=1e-13, err_msg=node)


def _framework_with_holes(name):
    """A framework and normalised values (1 to 100) with missing ones: COINr's ASEM example, or the
    built-in framework with 60 synthetic units and 15 % of the values left out (its 11 indicators
    relative to the first wave are constant in a single wave: wholly missing, said by a warning)."""
    from pathlib import Path

    from coopeval.scoring.normalise import indicator_meta, normalised

    if name == "asem":
        ref = Path(__file__).resolve().parents[1] / "reference" / "scoring" / "coinr_asem"
        fw, obs = ce.from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))
    else:
        fw = ce.load_framework(name)
        rng = np.random.default_rng(0)
        obs = pd.DataFrame([(u, 1, i, rng.uniform(0.05, 1)) for u in range(60) for i in fw.indicator_ids],
                           columns=["unit", "wave", "indicator", "value"]).sample(frac=0.85, random_state=1)
    plan = compile_plan(fw)
    if name == "asem":
        return plan, normalised(ce.prepare(obs, fw), indicator_meta(fw, plan), "minmax", (1, 100))
    with pytest.warns(ce.scoring.ScoringWarning, match="undefined for indicator"):
        return plan, normalised(ce.prepare(obs, fw), indicator_meta(fw, plan), "minmax", (1, 100))


@pytest.mark.parametrize("name", ["asem", "cooperation_territoriale"])
@pytest.mark.parametrize("aggregation", ["arithmetic", "geometric", "harmonic", ("generalised", 2.0), "minimum",
                                         {"criterion": "geometric"}, {"overall": "minimum", "criterion": "harmonic"}])
def test_leaf_batches_give_the_numbers_of_the_node_by_node_walk(monkeypatch, name, aggregation):
    """The nodes whose children are all indicators are scored in batches (one per power and number
    of children: ASEM's eight pillars have 3 to 9 indicators, the built-in framework's criteria 1 to
    4) with the products the node-by-node walk computes: scores and coverage equal it to the last
    bit, with missing values, the missing-data policy, one or many weight samples, every node or
    the index alone."""
    from coopeval.scoring import tree

    plan, v = _framework_with_holes(name)
    assert np.isnan(v).any()
    w = plan.normalise_weights(np.random.default_rng(3).uniform(0.1, 1, (37, len(plan.nodes))))
    methods = resolve_methods(plan, aggregation)
    needed = tree._needed
    runs = []  # the largest batch of each evaluation
    for samples, min_coverage, want, coverage in [(37, 0.0, None, True), (1, 0.5, None, True),
                                                  (37, 0.5, ["overall"], False), (1, 0.0, ["overall"], False)]:
        kw = dict(min_coverage=min_coverage, want=want, coverage=coverage)
        monkeypatch.setattr(tree, "_needed", needed)
        batched = evaluate(plan, v.copy(), w[:samples], methods, **kw)
        monkeypatch.setattr(tree, "_needed", lambda *a: (*needed(*a)[:2], [], needed(*a)[3]))
        walked = evaluate(plan, v.copy(), w[:samples], methods, **kw)
        for node, (score, cov) in walked.items():
            assert batched[node][0].tobytes() == score.tobytes(), node
            assert (cov is None) == (batched[node][1] is None)
            if cov is not None:
                assert batched[node][1].tobytes() == cov.tobytes(), node
        batches = needed(plan, tree.matrix_inputs(v), methods, want or list(plan.internal))[2]
        runs.append(max((len(nodes) for _, nodes in batches), default=0))
    if aggregation != "minimum":
        assert max(runs) >= 2  # nodes of the same size scored together (for arithmetic: those with missing values)
