"""``coopeval.prepare``: observations checked and pivoted once, the same numbers as from the long table.

The reference here is coopeval's own path from the long observations (itself checked against
scipy's weighted means, COINr's ASEM example and the HDI in the other tests of this folder):
a prepared matrix must change the cost of a call, never its result.
"""

from __future__ import annotations

import importlib

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.scoring import tree as tree_mod
from coopeval.scoring.aggregate import resolve_methods
from coopeval.scoring.plan import compile_plan
from coopeval.scoring.tree import evaluate


@pytest.fixture(scope="module")
def panel():
    """Two waves, 40 units of the default framework, a tenth of the values missing."""
    fw = ce.load_framework("cooperation_territoriale")
    rng = np.random.default_rng(11)
    recs = [(f"u{u:02d}", w, i, rng.uniform(0, 1)) for u in range(40) for w in (2024, 2025)
            for i in fw.indicator_ids if rng.uniform() > 0.1]
    return fw, pd.DataFrame(recs, columns=["unit", "wave", "indicator", "value"])


@pytest.mark.parametrize(("normalisation", "aggregation"), [
    *[(n, a) for n in ("goalposts", "minmax", "rank_wave")
      for a in ("arithmetic", "geometric", "minimum", {"dimension": "harmonic"})],
    ("zscore", "arithmetic"), ("zscore", "minimum"),  # z-scores are negative: no geometric or harmonic mean
])
def test_score_of_a_prepared_matrix_equals_the_long_table(panel, normalisation, aggregation):
    fw, obs = panel
    dm = ce.prepare(obs, fw)
    kw = dict(normalisation=normalisation, aggregation=aggregation, output_range=(1, 100), min_coverage=0.3)
    expected = ce.score(obs, fw, **kw)
    for _ in range(2):  # the second call reads the memoised normalisation
        pd.testing.assert_frame_equal(ce.score(dm, fw, **kw), expected, check_exact=True)


def test_uncertainty_of_a_prepared_matrix_equals_the_long_table(panel):
    fw, obs = panel
    dm = ce.prepare(obs, fw)
    kw = dict(n=150, seed=3, normalisations=["minmax", "rank"], aggregations=["arithmetic", "geometric"],
              output_range=(1, 100), min_coverage=0.3, sensitivity=True, sensitivity_n=20, nodes="all")
    a, b = ce.uncertainty(obs, fw, **kw), ce.uncertainty(dm, fw, **kw)
    for name in ("summary", "top_k", "improvement", "sensitivity"):
        pd.testing.assert_frame_equal(getattr(b, name), getattr(a, name), check_exact=True)
    assert a.rank_counts.keys() == b.rank_counts.keys()
    for node in a.rank_counts:
        pd.testing.assert_frame_equal(b.rank_counts[node], a.rank_counts[node], check_exact=True)
    assert len(a.improvement) > 0  # two waves: the improvement table is not the empty one


def test_uncertainty_keeps_the_last_nominal_scores_of_a_prepared_matrix(panel, monkeypatch):
    """A prepared matrix analysed again with the same weights and methods is not given its nominal
    scores again (as a COINr coin keeps its aggregated scores): the same tables, bit for bit, one
    evaluation fewer; other weights, methods or nodes are scored anew, and only the last are kept."""
    from coopeval.uncertainty import engine

    fw, obs = panel
    dm = ce.prepare(obs, fw)
    calls = []
    real = engine.evaluate
    monkeypatch.setattr(engine, "evaluate", lambda *a, **k: calls.append(k["want"]) or real(*a, **k))
    kw = dict(n=60, seed=5, aggregations=["arithmetic", "geometric"], output_range=(1, 100), sensitivity=False)

    def run(**extra):
        calls.clear()
        out = ce.uncertainty(dm, fw, **kw, **extra).summary
        return out, len(calls)

    first, n_first = run()
    again, n_again = run()
    pd.testing.assert_frame_equal(again, first, check_exact=True)
    pd.testing.assert_frame_equal(ce.uncertainty(obs, fw, **kw).summary, first, check_exact=True)
    assert n_again == n_first - 1  # the nominal evaluation is the one left out
    heavier = {k: 2.0 if k == "economie" else 1.0 for k in fw.nodes["node"] if k != "overall"}
    for extra in ({"weights": heavier}, {"aggregation": "geometric"}, {"nodes": "all"}, {"min_coverage": 0.9}):
        other, n_other = run(**extra)
        assert n_other == n_first  # scored anew
        pd.testing.assert_frame_equal(other, ce.uncertainty(obs, fw, **kw, **extra).summary, check_exact=True)
    _, n_back = run()
    assert n_back == n_first  # only the last arguments are kept
    kept = dm._memo[("last", "nominal")][1]
    assert not any(a.flags.writeable for res in kept.values() for a in res if isinstance(a, np.ndarray))
    for nodes in (["overall"], "dimensions"):  # one node (its columns as they are) and several (concatenated)
        mine = ce.uncertainty(dm, fw, **kw, nodes=nodes).summary
        expected = mine["score"].copy()
        mine.loc[0, "score"] = -1.0  # a user's change to a table stays in that table
        pd.testing.assert_series_equal(ce.uncertainty(dm, fw, **kw, nodes=nodes).summary["score"], expected)


def test_prepare_reads_other_column_names_and_a_single_wave(panel):
    fw, obs = panel
    one = obs[obs["wave"] == 2024].drop(columns="wave").rename(columns={"unit": "coop", "value": "x"})
    dm = ce.prepare(one, fw, unit="coop", wave=None, value="x")
    pd.testing.assert_frame_equal(ce.score(dm, fw), ce.score(one, fw, unit="coop", wave=None, value="x"),
                                  check_exact=True)


def test_a_prepared_matrix_is_read_only_and_normalised_once(panel, monkeypatch):
    fw, obs = panel
    dm = ce.prepare(obs, fw)
    with pytest.raises(ValueError):
        dm.values[0, 0] = 1.0
    norm_mod = importlib.import_module("coopeval.scoring.normalise")  # the module, not the function of that name
    calls = []
    real = norm_mod.normalise_matrix
    monkeypatch.setattr(norm_mod, "normalise_matrix", lambda *a, **k: calls.append(a[3]) or real(*a, **k))
    for w in ({"economie": 1.0}, {"economie": 3.0}, None):
        ce.score(dm, fw, weights=w, normalisation="minmax")
    assert calls == ["minmax"]
    ce.score(dm, fw, normalisation="rank")
    assert calls == ["minmax", "rank"]


def test_a_matrix_prepared_for_another_framework_is_refused(panel, small_fw):
    fw, obs = panel
    dm = ce.prepare(obs, fw)
    with pytest.raises(ce.ScoringError, match=r"parameter `obs`.*prepared for framework `petit`.*got one prepared "
                                              r"for framework `cooperation_territoriale`"):
        ce.score(dm, small_fw)
    with pytest.raises(ce.ScoringError, match=r"parameter `fw`: expected a Framework, got dict"):
        ce.prepare(obs, {"id": "x"})
    with pytest.raises(ce.ScoringError, match="no such column"):
        ce.prepare(obs.drop(columns="value"), fw)


def test_a_copy_of_the_framework_reuses_the_matrix(panel):
    """Same indicators, a framework object of its own (e.g. loaded twice): the raw values serve, the
    normalisation follows the bounds of the framework given."""
    fw, obs = panel
    fw2 = ce.load_framework("cooperation_territoriale")
    dm = ce.prepare(obs, fw)
    pd.testing.assert_frame_equal(ce.score(dm, fw2), ce.score(obs, fw2), check_exact=True)


def test_the_cache_of_a_matrix_never_serves_a_changed_one(panel):
    """The indicator cache of the aggregation holds read-only matrices only: a writable matrix changed in
    place between two evaluations is evaluated anew."""
    fw, obs = panel
    plan = compile_plan(fw)
    methods = resolve_methods(plan, "geometric")
    v = np.random.default_rng(2).uniform(1, 100, (5, len(plan.indicators)))
    w = plan.normalise_weights(np.ones((1, len(plan.nodes))))
    first = evaluate(plan, v, w, methods, want=["overall"])["overall"][0].copy()
    v[:, :] = 50.0
    second = evaluate(plan, v, w, methods, want=["overall"])["overall"][0]
    np.testing.assert_allclose(second, 50.0)
    assert not np.allclose(first, second)
    frozen = v.copy()
    frozen.flags.writeable = False
    evaluate(plan, frozen, w, methods, want=["overall"])
    assert id(frozen) in tree_mod._CACHE
    key = id(frozen)
    del frozen
    assert key not in tree_mod._CACHE  # the entry dies with the matrix


def test_an_evaluation_scores_its_prepared_values():
    ev = ce.Evaluation.sample(min_group=3)
    assert ev.prepared is ev.prepared
    expected = ce.score(ev.values, ev.fw, weights=ev.weightset(), **ev.score_options())
    pd.testing.assert_frame_equal(ev.scores(), expected, check_exact=True)
    variant = {d: 1.0 + k for k, d in enumerate(ev.fw.dimension_ids)}
    local = ev.weightset().local.copy()
    local[ev.fw.dimension_ids] = np.array(list(variant.values())) / sum(variant.values())
    direct = ce.score(ev.values, ev.fw, weights=local.to_dict(), **ev.score_options())
    pd.testing.assert_frame_equal(ev.scores(weights=local.to_dict()), direct, check_exact=True)
