"""Tests of coopeval.stats.structure (correlations, redundancy, PCA per dimension)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from coopeval.errors import StatsError
from coopeval.stats import (
    StatsWarning,
    dimension_pca,
    framework_structure,
    indicator_correlations,
)


def _wide(obs):
    return obs.pivot(index=["unit", "wave"], columns="indicator", values="value")


@pytest.mark.parametrize("method", ["pearson", "spearman"])
def test_correlations_match_pingouin(panel, method):
    obs, fw = panel["observations"], panel["fw"]
    corr = indicator_correlations(obs, fw, method=method, orient=False)
    ref = pg.pairwise_corr(_wide(obs).reset_index(drop=True), method=method)
    assert len(corr) == len(ref) == 10
    for _, row in ref.iterrows():
        got = corr[(corr["indicator_a"] == row["X"]) & (corr["indicator_b"] == row["Y"])].iloc[0]
        assert got["r"] == pytest.approx(row["r"], abs=1e-12)
        assert got["p_value"] == pytest.approx(row["p_unc"], rel=1e-8)
        assert got["ci_low"] == pytest.approx(row["CI95"][0], abs=0.005)  # pingouin rounds to .01
        assert got["n"] == 24


def test_fisher_interval_by_hand(panel):
    """CI = tanh(atanh r ± 1.959964 / sqrt(n − 3)), computed here by hand."""
    corr = indicator_correlations(panel["observations"], panel["fw"], method="pearson")
    row = corr.iloc[0]
    z, se = np.arctanh(row["r"]), 1 / np.sqrt(row["n"] - 3)
    assert row["ci_low"] == pytest.approx(np.tanh(z - 1.959963985 * se), abs=1e-8)
    assert row["ci_high"] == pytest.approx(np.tanh(z + 1.959963985 * se), abs=1e-8)


def test_redundant_pair_flagged_and_orientation(panel):
    corr = indicator_correlations(panel["observations"], panel["fw"])
    red = corr[corr["redundant"]]
    assert list(zip(red["indicator_a"], red["indicator_b"], strict=True)) == [("x1", "x2")]
    assert bool(red["same_dimension"].iloc[0])
    # x3 has direction "decrease": oriented correlations are the raw ones with the sign flipped
    raw = indicator_correlations(panel["observations"], panel["fw"], orient=False)
    sel = (corr["indicator_b"] == "x3") & (corr["indicator_a"] == "x1")
    assert corr.loc[sel, "r"].iloc[0] == pytest.approx(-raw.loc[sel, "r"].iloc[0])
    assert set(corr["same_dimension"]) == {True, False}


def test_pca_matches_numpy_eigendecomposition(panel):
    """Independent reference: numpy.linalg.eigh of the correlation matrix of the complete
    cases; loadings = eigenvector × sqrt(eigenvalue), compared up to sign."""
    pca = dimension_pca(panel["observations"], panel["fw"], orient=False)
    eco = pca[pca["dimension"] == "eco"]
    x = _wide(panel["observations"])[["x1", "x2", "x3"]].dropna()
    vals, vecs = np.linalg.eigh(np.corrcoef(x.to_numpy(), rowvar=False))
    order = np.argsort(vals)[::-1]
    vals, vecs = vals[order], vecs[:, order]
    got_vals = eco.groupby("component")["eigenvalue"].first().to_numpy()
    np.testing.assert_allclose(got_vals, vals, atol=1e-10)
    np.testing.assert_allclose(eco.groupby("component")["variance_explained"].first(), vals / 3, atol=1e-10)
    for k in range(3):
        got = eco[eco["component"] == k + 1].set_index("indicator").loc[["x1", "x2", "x3"], "loading"]
        ref = vecs[:, k] * np.sqrt(vals[k])
        np.testing.assert_allclose(np.abs(got.to_numpy()), np.abs(ref), atol=1e-8)
        assert got.sum() >= 0
    assert eco["cumulative_variance"].max() == pytest.approx(1.0)
    assert eco.loc[eco["component"] == 1, "retained"].all()


def test_pca_two_indicators_closed_form(panel):
    """Two standardised indicators with correlation r: eigenvalues 1 ± r and first-component
    loadings sqrt((1 + r) / 2) (Jolliffe, 2002, section 2.3)."""
    obs = panel["observations"].query("indicator in ['y1', 'y2']")
    pca = dimension_pca(obs, panel["fw"])
    r = _wide(obs)[["y1", "y2"]].corr().iloc[0, 1]
    ev = pca.groupby("component")["eigenvalue"].first().to_numpy()
    np.testing.assert_allclose(sorted(ev, reverse=True), sorted([1 + r, 1 - r], reverse=True), atol=1e-10)
    first = pca[pca["component"] == 1]["loading"].abs().to_numpy()
    big = max(1 + r, 1 - r)
    np.testing.assert_allclose(first, np.sqrt(big / 2), atol=1e-10)


def test_framework_structure_bundles_both(panel):
    st = framework_structure(panel["observations"], panel["fw"])
    assert list(st.correlations.columns[:5]) == ["indicator_a", "indicator_b", "dimension_a",
                                                 "dimension_b", "same_dimension"]
    assert set(st.pca["dimension"]) == {"eco", "autre"}


def test_scores_contract_via_column_names(panel):
    sc = panel["observations"].rename(columns={"indicator": "node", "value": "score"})
    corr = indicator_correlations(sc, panel["fw"], variable="node", value="score")
    assert len(corr) == 10


# ---------------------------------------------------------------- degenerate inputs
def test_constant_indicator_nan_with_warning(panel):
    obs = panel["observations"].copy()
    obs.loc[obs["indicator"] == "x3", "value"] = 7.0
    with pytest.warns(StatsWarning, match="NaN"):
        corr = indicator_correlations(obs, panel["fw"])
    assert (corr.loc[corr["indicator_b"] == "x3", "note"] == "constant_indicator").all()
    with pytest.warns(StatsWarning, match="constant indicator"):
        pca = dimension_pca(obs, panel["fw"])
    assert "x3" not in set(pca["indicator"])


def test_single_case_skips_with_warning(panel):
    obs = panel["observations"].query("unit == 'u0' and wave == 1")
    with pytest.warns(StatsWarning):
        corr = indicator_correlations(obs, panel["fw"])
    assert corr["r"].isna().all()
    with pytest.warns(StatsWarning, match="PCA skipped"):
        assert dimension_pca(obs, panel["fw"]).empty


def test_bad_inputs_raise(panel):
    obs, fw = panel["observations"], panel["fw"]
    with pytest.raises(StatsError, match="all missing"):
        indicator_correlations(obs.assign(value=np.nan), fw)
    with pytest.raises(StatsError, match="none of them"):
        indicator_correlations(obs.assign(indicator=obs["indicator"] + "_zz"), fw)
    with pytest.raises(StatsError, match="`threshold`"):
        indicator_correlations(obs, fw, threshold=2)
    with pytest.raises(StatsError, match="`method`"):
        indicator_correlations(obs, fw, method="kendall")
    with pytest.raises(StatsError, match="duplicates"):
        dimension_pca(pd.concat([obs, obs.head(1)]), fw)
