"""The WeightSet interface shared with scoring/uncertainty."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import WeightingError
from coopeval.weighting.weightset import dirichlet_precision


def _sibling_sums(df, fw):
    parent = pd.Series({n: fw.parent(n) for n in fw.node_ids})
    return df.T.groupby(parent).sum().T


def test_from_local_defaults_and_validation(fw):
    ws = ce.weighting.WeightSet.from_local(fw, {"social": 2, "emploi": 1, "ecologie": 1, "territoire": 1,
                                                "gouvernance": 1, "economie": 1, "externalites": 1})
    assert ws.local["social"] == pytest.approx(0.25)
    assert ws.nodes == list(fw.node_ids)
    assert ws.local["lien_social"] == pytest.approx(fw.default_weights()["lien_social"])
    draws = ws.sample(3, np.random.default_rng(0))
    assert (draws.to_numpy() == ws.local.to_numpy()).all()
    with pytest.raises(WeightingError) as err:
        ce.weighting.WeightSet.from_local(fw, {"social": 1, "inconnu": 1, "lien_social": -1})
    keys = {i.key for i in err.value.issues}
    assert {"inconnu", "lien_social"} <= keys
    with pytest.raises(WeightingError, match="whole sibling group"):
        ce.weighting.WeightSet.from_local(fw, {"social": 1})


def test_global_weights_are_products(fw):
    ws = ce.weighting.WeightSet.from_local(fw)
    g = ws.global_weights()
    assert g.sum() == pytest.approx(1.0)
    assert g.to_numpy() == pytest.approx(fw.default_weights("global")[g.index].to_numpy())


@pytest.mark.parametrize("method", ["bootstrap", "dirichlet"])
def test_sample_contract(judgements, fw, method):
    ws = ce.weighting.aggregate(judgements, fw)
    a = ws.sample(400, np.random.default_rng(42), method=method)
    b = ws.sample(400, np.random.default_rng(42), method=method)
    pd.testing.assert_frame_equal(a, b)
    assert a.shape == (400, len(ws.nodes)) and list(a.columns) == ws.nodes
    assert np.allclose(_sibling_sums(a, fw), 1.0)
    assert (a.to_numpy() >= 0).all()
    # spread only where there were judgements
    assert a["social"].std() > 0 and a["lien_social"].nunique() == 1
    # centred on the point weights (bootstrap of a mean; Dirichlet mean by construction)
    assert a["social"].mean() == pytest.approx(ws.local["social"], abs=0.01)
    glob = ws.global_weights(a)
    assert glob.shape == (400, len(fw.indicator_ids)) and np.allclose(glob.sum(axis=1), 1.0)


def test_bootstrap_within_colleges_by_hand(fw):
    """With one college of 2 members giving (1, 0)-like weights, the bootstrap mean of
    each draw can only be 0.9, 0.5 or 0.1 (weights 0.9/0.1 resampled twice)."""
    rows = []
    for p, v in (("a", [90, 10]), ("b", [10, 90])):
        rows += [{"session": "s", "round": 1, "participant": p, "college": "c", "method": "points",
                  "node": n, "value": x} for n, x in zip(["creation_emplois", "qualite_emploi"], v, strict=True)]
    ws = ce.weighting.aggregate(pd.DataFrame(rows), fw, min_group=2)   # two people: a group of 2 allowed
    d = ws.sample(2000, np.random.default_rng(1))["creation_emplois"].round(10)
    assert set(d.unique()) == {0.9, 0.5, 0.1}
    assert (d == 0.5).mean() == pytest.approx(0.5, abs=0.04)


def test_dirichlet_precision_recovers_truth():
    rng = np.random.default_rng(0)
    alpha = np.array([4.0, 2.0, 6.0])
    x = rng.dirichlet(alpha, size=20000)
    est = dirichlet_precision(x, x.mean(axis=0))
    assert est == pytest.approx(alpha.sum(), rel=0.05)


def test_sample_rejects_bad_arguments(judgements, fw):
    ws = ce.weighting.aggregate(judgements, fw)
    with pytest.raises(WeightingError, match="Generator"):
        ws.sample(10, 3)
    with pytest.raises(WeightingError, match="positive"):
        ws.sample(0, np.random.default_rng(0))
    with pytest.raises(WeightingError, match="method"):
        ws.sample(2, np.random.default_rng(0), method="jackknife")


def test_from_local_accepts_a_series(fw):
    """Regression: a pandas Series of weights used to raise 'truth value is ambiguous'."""
    import pandas as pd

    from coopeval.weighting import WeightSet

    as_dict = WeightSet.from_local(fw, {"social": 2.0, "emploi": 1.0, "ecologie": 1.0, "territoire": 1.0,
                                        "gouvernance": 1.0, "economie": 1.0, "externalites": 1.0})
    as_series = WeightSet.from_local(fw, pd.Series(dict(as_dict.local[fw.dimension_ids])))
    pd.testing.assert_series_equal(as_dict.local, as_series.local)
    assert as_series.local["social"] == pytest.approx(0.25)
