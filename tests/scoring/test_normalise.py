"""Normalisations against formulas computed independently (numpy / scipy / pandas).

References: OECD & JRC (2008), *Handbook on Constructing Composite Indicators*, section 5;
UNDP (2020), *HDR Technical notes*, technical note 1 (goalposts with capping and log).
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import coopeval as ce
from coopeval.scoring import normalise
from coopeval.scoring.normalise import ScoringWarning


def _wide(sc, col="score"):
    return sc.pivot_table(index=["wave", "unit"], columns="indicator", values=col, dropna=False)


def test_goalposts_capping_direction_target_log(small_fw):
    obs = pd.DataFrame({
        "unit": ["x"] * 5 + ["y"] * 5, "wave": 1,
        "indicator": ["a", "b", "c", "e", "f"] * 2,
        "value": [12.0, 2.5, 2.5, 10.0, 0.25, -1.0, 10.0, 10.0, 1000.0, 0.75],
    })
    out = _wide(normalise(obs, small_fw, "goalposts", (0, 100)))
    x, y = out.loc[(1, "x")], out.loc[(1, "y")]
    assert x["a"] == 100.0 and y["a"] == 0.0  # capped at the goalposts
    assert x["b"] == pytest.approx(25.0)
    assert x["c"] == pytest.approx(75.0) and y["c"] == pytest.approx(0.0)  # decrease
    assert x["e"] == pytest.approx(100 * np.log(10) / np.log(1000))  # log, lower 1
    assert y["e"] == pytest.approx(100.0)
    # target 0.5 in [0, 1]: 0.25 is half-way below, 0.75 half-way above
    assert x["f"] == pytest.approx(50.0) and y["f"] == pytest.approx(50.0)


def test_minmax_pooled_and_per_wave(small_fw, small_obs):
    pooled = _wide(normalise(small_obs, small_fw, "minmax", (0, 1)))
    per_wave = _wide(normalise(small_obs, small_fw, "minmax_wave", (0, 1)))
    raw = _wide(normalise(small_obs, small_fw, "minmax"), "value")
    a = raw["a"]
    np.testing.assert_allclose(pooled["a"], (a - a.min()) / (a.max() - a.min()), atol=1e-12)
    g = a.groupby(level="wave")
    np.testing.assert_allclose(per_wave["a"], (a - g.transform("min")) / (g.transform("max") - g.transform("min")),
                               atol=1e-12)
    c = raw["c"]  # decrease: reversed
    np.testing.assert_allclose(pooled["c"], (c.max() - c) / (c.max() - c.min()), atol=1e-12)
    e = np.log(raw["e"])  # transform log applied before min-max
    np.testing.assert_allclose(pooled["e"], (e - e.min()) / (e.max() - e.min()), atol=1e-12)
    f = -np.abs(raw["f"] - 0.5)  # target: distance to target, closer is better
    np.testing.assert_allclose(pooled["f"], (f - f.min()) / (f.max() - f.min()), atol=1e-12)


def test_zscore_matches_scipy(small_fw, small_obs):
    out = _wide(normalise(small_obs, small_fw, "zscore_wave"))
    raw = _wide(normalise(small_obs, small_fw, "zscore_wave"), "value")
    for wave in (2023, 2024):
        np.testing.assert_allclose(out.loc[wave, "b"], stats.zscore(raw.loc[wave, "b"], ddof=1), atol=1e-12)
        np.testing.assert_allclose(out.loc[wave, "c"], -stats.zscore(raw.loc[wave, "c"], ddof=1), atol=1e-12)


def test_rank_percentile_with_ties(small_fw):
    obs = pd.DataFrame({"unit": list("pqrs"), "wave": 1, "indicator": "a", "value": [1.0, 3.0, 3.0, 7.0]})
    out = normalise(obs, small_fw, "rank", (0, 100)).query("indicator == 'a'").set_index("unit")["score"]
    # pandas average ranks 1, 2.5, 2.5, 4 -> (r - 1) / 3
    want = (pd.Series([1.0, 3.0, 3.0, 7.0], index=list("pqrs")).rank() - 1) / 3 * 100
    pd.testing.assert_series_equal(out, want, check_names=False)


def test_distance_to_target(small_fw):
    obs = pd.DataFrame({"unit": list("pqr"), "wave": 1, "indicator": "a", "value": [2.0, 6.0, 12.0]})
    out = normalise(obs, small_fw, "distance_to_target", (0, 1)).query("indicator == 'a'")["score"].tolist()
    # no target: the upper goalpost 10 is the target; min over data = 2
    assert out == pytest.approx([0.0, 0.5, 1.0])


def test_output_range(small_fw):
    obs = pd.DataFrame({"unit": list("pq"), "wave": 1, "indicator": "a", "value": [4.0, 6.0]})
    out = normalise(obs, small_fw, "minmax", (1, 100)).query("indicator == 'a'")["score"]
    assert out.tolist() == [1.0, 100.0]


@pytest.mark.parametrize("method", ["minmax", "minmax_wave", "zscore", "zscore_wave", "rank", "rank_wave"])
def test_degenerate_normalisation_warns_and_gives_missing_scores(small_fw, method):
    # issue 19: a constant indicator, or a single unit, used to score a silent constant (50, or 0 for
    # z-scores); these methods are undefined there: the scores are missing and a warning names them
    const = pd.DataFrame({"unit": list("pq"), "wave": 1, "indicator": "a", "value": [4.0, 4.0]})
    with pytest.warns(ScoringWarning, match=rf"'{method}' is undefined for indicator\(s\) a"):
        out = normalise(const, small_fw, method, (1, 100)).query("indicator == 'a'")["score"]
    assert out.isna().all()
    single = pd.DataFrame({"unit": "p", "wave": [1, 2], "indicator": "b", "value": [4.0, 6.0]})
    if method.endswith("_wave"):
        with pytest.warns(ScoringWarning, match=r"b \(2 of 2 waves\)"):
            out = normalise(single, small_fw, method).query("indicator == 'b'")["score"]
        assert out.isna().all()
    else:  # pooled over waves the unit has two distinct values: defined, no warning
        with warnings.catch_warnings():
            warnings.simplefilter("error", ScoringWarning)
            out = normalise(single, small_fw, method).query("indicator == 'b'")["score"]
        assert out.notna().all()
    with pytest.warns(ScoringWarning):
        sc = ce.score(const, small_fw, normalisation=method, min_coverage=0)
    assert sc.query("node == 'a'")["score"].isna().all() and sc.query("node == 'c1'")["coverage"].eq(0).all()


def test_errors(small_fw, small_obs):
    with pytest.raises(ce.ScoringError, match="normalisation"):
        normalise(small_obs, small_fw, "nope")
    with pytest.raises(ce.ScoringError, match="output_range"):
        normalise(small_obs, small_fw, "minmax", (5, 1))
    bad = small_obs.copy()
    bad.loc[bad["indicator"] == "e", "value"] = -1.0
    with pytest.raises(ce.ScoringError, match="transform") as err:
        normalise(bad, small_fw, "minmax")
    assert err.value.issues[0].key == "e"
    dup = pd.concat([small_obs, small_obs.head(2)])
    with pytest.raises(ce.ScoringError, match="duplicate"):
        normalise(dup, small_fw)
    with pytest.raises(ce.ScoringError, match="column"):
        normalise(small_obs.drop(columns="value"), small_fw)


def test_average_ranks_equal_scipy_rankdata():
    """The scipy-free average ranks (scipy.stats is imported lazily: seconds on a first use)
    equal ``scipy.stats.rankdata(method="average")`` with many ties."""
    from scipy.stats import rankdata

    from coopeval.scoring.normalise import average_ranks

    rng = np.random.default_rng(4)
    for x in (rng.integers(0, 5, 200).astype(float), rng.normal(size=50), np.array([3.0]), np.array([-0.0, 0.0, 1.0])):
        np.testing.assert_array_equal(average_ranks(x), rankdata(x))
