"""Calibration of the named sources of uncertainty (issue 15).

Simulations in which the truth is known: the nominal 90 % intervals must cover it 88–92 %
of the time, for each source; the sampling-error interval must shrink as participants are
added, the diversity-of-views interval must not. The coverage of each source is estimated
over 2,000 simulated deliberations or surveys (Monte Carlo standard error 0.7 point).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.uncertainty.sources import measurement_replicates
from coopeval.weighting.weightset import Group, WeightSet

LEVEL = 0.90
REPS = 2000
#: Truth: in each college the weight of d1 (against d2) follows a Beta law; 3 colleges, equal voices.
BETAS = {"a": (3.0, 7.0), "b": (5.0, 5.0), "c": (7.0, 3.0)}
X = np.array([80.0, 20.0])  # scores of d1 and d2 of the unit: overall = 80 w + 20 (1 - w)


def _group(rng, n_per_college: int) -> Group:
    w = np.concatenate([rng.beta(*BETAS[c], size=n_per_college) for c in BETAS])
    return Group("overall", ["d1", "d2"], np.column_stack([w, 1 - w]), np.repeat(list(BETAS), n_per_college),
                 {c: 1 / 3 for c in BETAS})


def _draws(group: Group, method: str, rng, m: int) -> np.ndarray:
    """The draws of WeightSet.assemble for one sibling group (checked equal in the test below)."""
    if method == "views":
        per = group.college_views(rng.random((m, len(group.shares))))
    else:
        per = group.college_means(m, rng, "mean")
    return group.combined(per, "mean")


def _coverage(method, truth, n_per_college, seed, reps=REPS, m=400):
    rng = np.random.default_rng(seed)
    hits, widths = [], []
    for _ in range(reps):
        d = _draws(_group(rng, n_per_college), method, rng, m) @ X
        lo, hi = np.quantile(d, [(1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2])
        t = truth(rng)
        hits.append(lo <= t <= hi)
        widths.append(hi - lo)
    return float(np.mean(hits)), float(np.mean(widths))


def test_weightset_sample_uses_these_draws(small_fw):
    """WeightSet.sample("views" / "sampling") gives the draws the calibration below studies."""
    group = _group(np.random.default_rng(0), 20)
    ws = WeightSet(small_fw, small_fw.default_weights("local"), groups=[group])
    for method in ("views", "sampling"):
        got = ws.sample(50, np.random.default_rng(1), method)[["d1", "d2"]].to_numpy()
        want = _draws(group, method, np.random.default_rng(1), 50)
        np.testing.assert_allclose(got, want, atol=1e-12)


def _fresh_collective(rng) -> float:
    """A new member of each college speaks: the weight the collective would then give."""
    w = np.mean([rng.beta(*BETAS[c]) for c in BETAS])
    return float(X @ [w, 1 - w])


def _population_mean(rng) -> float:
    w = np.mean([a / (a + b) for a, b in BETAS.values()])
    return float(X @ [w, 1 - w])


def test_views_cover_a_new_voice_and_do_not_shrink():
    cov, width = _coverage("views", _fresh_collective, 150, seed=1)
    assert 0.88 <= cov <= 0.92, cov
    print(f"coverage {cov:.3f}, width {width:.2f}")
    _, width_small = _coverage("views", _fresh_collective, 15, seed=2, reps=300)
    # the spread of what is said does not shrink with more participants (within 15 %)
    assert width == pytest.approx(width_small, rel=0.15)


def test_sampling_error_covers_the_college_means_and_shrinks():
    cov, width = _coverage("sampling", _population_mean, 100, seed=3, m=300)
    assert 0.88 <= cov <= 0.92, cov
    print(f"coverage {cov:.3f}, width {width:.2f}")
    _, width_small = _coverage("sampling", _population_mean, 10, seed=4, reps=300, m=300)
    # ten times the participants: the interval is about sqrt(10) = 3.2 times narrower
    assert width_small / width == pytest.approx(np.sqrt(10), rel=0.15)


def test_measurement_error_covers_the_true_scale_score_and_shrinks():
    """Scale scores of n respondents (normal, sd 0.9 on a 1-5 scale); the truth is the mean of the
    whole population. Vectorised: each row is one simulated survey."""
    rng = np.random.default_rng(5)
    mu = rng.uniform(2, 4, size=REPS)
    widths = {}
    for n in (6, 60):
        resp = mu[:, None] + 0.9 * rng.standard_normal((REPS, n))
        value, se = resp.mean(1), resp.std(1, ddof=1) / np.sqrt(n)
        reps = measurement_replicates(value[:, None], se[:, None], np.full((REPS, 1), n), 1000, rng)[:, :, 0]
        lo, hi = np.quantile(reps, [0.05, 0.95], axis=0)
        cov = np.mean((lo <= mu) & (mu <= hi))
        assert 0.88 <= cov <= 0.92, (n, cov)
        print(f"measurement n={n}: coverage {cov:.3f}")
        widths[n] = np.mean(hi - lo)
    # a score resting on 6 respondents is less certain than one resting on 60
    assert widths[6] / widths[60] > np.sqrt(10)


def test_method_choices_interval_holds_90_percent_of_the_admissible_methods(small_fw):
    """The truth is the score under a method chosen among the admissible ones (here 101 generalised
    means, p from -1 to 1): the engine's interval must hold 88-92 % of them, exactly computed."""
    aggs = [("generalised", float(p)) for p in np.linspace(-1, 1, 101)]
    rng = np.random.default_rng(6)
    obs = pd.DataFrame([(f"u{u}", 1, i, float(rng.uniform(0.5, 9.5))) for u in range(150) for i in "abcef"],
                       columns=["unit", "wave", "indicator", "value"])
    mc = ce.uncertainty(obs, small_fw, n=4000, seed=0, sources="methods", aggregations=aggs, normalisations=["goalposts"],
                        nodes=["overall"],
                        output_range=(1, 100), sensitivity=False, bins=20000)
    assert mc.settings["sources_varied"] == ["methods"]
    s = mc.summary.set_index("unit")
    exact = np.column_stack([
        ce.score(obs, small_fw, aggregation=a, output_range=(1, 100)).query("level == 'overall'")
        .set_index("unit").loc[s.index, "score"].to_numpy() for a in aggs])
    inside = (exact >= s[["score_low"]].to_numpy() - 1e-9) & (exact <= s[["score_high"]].to_numpy() + 1e-9)
    assert 0.88 <= inside.mean() <= 0.92, inside.mean()
    print(f"methods: {inside.mean():.3f}")
