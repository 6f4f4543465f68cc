"""Named sources of uncertainty and the variance decomposition between them (issue 15).

The decomposition's estimators are checked equal to SALib's ``sobol.analyze`` on the same
outputs (Herman & Usher 2017, JOSS 2(9), 97) and against the analytic Ishigami shares
(Saltelli et al. 2008, *Global Sensitivity Analysis: The Primer*, Wiley); in the engine, a
source that cannot reach a node gets a share of 0 and the only source that can gets 1.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from SALib.analyze import sobol
from SALib.sample import sobol as sobol_sample
from SALib.test_functions import Ishigami

import coopeval as ce
from coopeval.uncertainty.decompose import pick_freeze, shares
from coopeval.uncertainty.sources import check_sources, measurement_error
from coopeval.weighting.weightset import Group, WeightSet


def test_pick_freeze_equals_salib_and_ishigami():
    problem = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    n = 2**13
    y = Ishigami.evaluate(sobol_sample.sample(problem, n, calc_second_order=False, seed=2)).reshape(n, 5)
    ref = sobol.analyze(problem, y.ravel(), calc_second_order=False, num_resamples=10, seed=1)
    s1, st, _ = shares(pick_freeze(y[:, [0]], y[:, [-1]], [y[:, [j]] for j in (1, 2, 3)]))
    np.testing.assert_allclose(s1[:, 0], ref["S1"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(st[:, 0], ref["ST"], rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(s1[:, 0], [0.3139, 0.4424, 0.0], atol=0.03)
    np.testing.assert_allclose(st[:, 0], [0.5576, 0.4424, 0.2437], atol=0.03)


def test_check_sources():
    assert check_sources("views") == ("views",)
    assert check_sources(["measurement", "methods", "views"]) == ("views", "methods", "measurement")
    with pytest.raises(ce.UncertaintyError, match="sources"):
        check_sources(["opinions"])
    with pytest.raises(ce.UncertaintyError, match="sources"):
        check_sources([])


def test_measurement_error_is_the_standard_error_of_the_mean():
    fw = ce.load_framework("cooperation_territoriale")
    resp = ce.datasets.load("panel_synthetique", table="responses")
    me = measurement_error(resp, fw)
    per = ce.data.score_scales(resp, fw)  # one score per respondent
    one = me.iloc[0]
    x = per[(per["unit"] == one["unit"]) & (per["wave"] == one["wave"]) & (per["indicator"] == one["indicator"])]
    x = x["score"].dropna()
    assert one["n"] == len(x)
    assert one["se"] == pytest.approx(x.std(ddof=1) / np.sqrt(len(x)), rel=1e-12)


@pytest.fixture
def views(small_fw):
    """Six participants in two colleges judged the dimension weights (d1, d2) only."""
    w = np.array([[0.2, 0.8], [0.4, 0.6], [0.3, 0.7], [0.7, 0.3], [0.6, 0.4], [0.9, 0.1]])
    group = Group("overall", ["d1", "d2"], w, np.array(list("aaabbb")), {"a": 0.5, "b": 0.5})
    local = small_fw.default_weights("local").copy()
    local[["d1", "d2"]] = group.point("mean")
    return WeightSet(small_fw, local, groups=[group])


def test_each_source_alone_and_together_recorded(panel, small_fw, views):
    me = pd.DataFrame({"unit": panel["unit"], "wave": panel["wave"], "indicator": panel["indicator"],
                       "se": np.where(panel["indicator"] == "e", 0.8, np.nan), "n": 8})
    kw = dict(n=400, seed=1, nodes=["overall", "d1", "d2"], sensitivity_n=400, measurement=me)
    widths = {}
    for src in ("views", "sampling", "methods", "measurement"):
        mc = ce.uncertainty(panel, small_fw, weights=views, sources=src, **kw)
        assert mc.settings["sources"] == [src] and mc.settings["sources_varied"] == [src]
        s = mc.summary[mc.summary["node"] == "overall"]
        widths[src] = float((s["score_high"] - s["score_low"]).mean())
        d = mc.decomposition
        assert set(d["source"]) == {src} and set(d["quantity"]) == {"score", "rank"}
    assert all(w > 0 for w in widths.values())
    assert widths["views"] > widths["sampling"]  # what was said is wider than the error on the means
    both = ce.uncertainty(panel, small_fw, weights=views, sources=["measurement", "views"], **kw)
    assert both.settings["sources_varied"] == ["views", "measurement"]
    d = both.decomposition.set_index(["node", "quantity", "source"]).sort_index()
    # d1 depends on neither source (its indicators have no error, its weights were not judged)
    assert d.loc[("d1", "score")]["variance"].eq(0).all()
    # d2's score depends on the measurement of e only: all of its variance, none to the views
    d2 = d.loc[("d2", "score")]
    assert d2.loc["measurement", "first_order"].mean() == pytest.approx(1, abs=0.1)
    assert d2.loc["views", "total"].abs().max() < 1e-9
    # the overall score depends on both: shares between 0 and 1, totals at least the first orders
    ov = d.loc[("overall", "score")]
    assert ov["first_order"].between(-0.1, 1.1).all() and (ov["total"] >= ov["first_order"] - 0.1).all()


def test_nothing_varies_is_said(panel, small_fw):
    """Fixed weights: the views are asked for but cannot vary; the result says so."""
    mc = ce.uncertainty(panel, small_fw, weights={"d1": 1, "d2": 1}, n=50, sources="views")
    assert mc.settings["sources_varied"] == []
    assert (mc.summary["score_high"] == mc.summary["score_low"]).all()
    assert mc.decomposition.empty
    with pytest.raises(ce.UncertaintyError, match="methods"):
        ce.uncertainty(panel, small_fw, n=10, sources="views", normalisations=["minmax", "rank"])
    with pytest.raises(ce.UncertaintyError, match="measurement"):
        ce.uncertainty(panel, small_fw, n=10, sources="measurement")


def test_without_sources_the_result_still_says_what_varied(panel, small_fw, views, dirichlet):
    """``sources=None`` keeps the WeightSet's own sampling method, and records it."""
    views.sample_method = "bootstrap"
    mc = ce.uncertainty(panel, small_fw, weights=views, n=50, sensitivity=False, normalisations=["goalposts", "rank"])
    assert mc.settings["sources"] is None and mc.settings["sources_varied"] == ["sampling", "methods"]
    mc = ce.uncertainty(panel, small_fw, weights=dirichlet(small_fw), n=50, sensitivity=False)
    assert mc.settings["sources_varied"] == ["weights:sample"]
