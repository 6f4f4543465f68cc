"""Agreement statistics.

Kendall's W: R output of DescTools::KendallW copied in
tests/reference/weighting/kendall_w_desctools.yaml — the "anxiety" data (with ties,
tie-corrected W = 0.5396569, chi2 = 30.76, df = 19, p = 0.04288) and the example of
Siegel & Castellan (1988), Nonparametric Statistics for the Behavioral Sciences, 2nd ed.,
sect. 9.4 (W = 0.6560847, chi2 = 13.778, df = 7, p = 0.05528), read in DescTools'
rendered kendallW documentation (see the YAML header); two full-precision cases from
jasp-stats/jaspReliability tests/testthat/test-raterAgreement.R (irr::kendall
references); the exact rational W of the anxiety data computed by hand; also checked
against scipy.stats.friedmanchisquare (tie-corrected chi2 = m(n-1)W).
ICC: pingouin.intraclass_corr (pingouin 0.5+), tolerance 1e-10 (its CI95, rounded by
pingouin to 2 decimals, within 0.005; unrounded within 1e-10); formulas of Shrout & Fleiss
(1979) and McGraw & Wong (1996); the published Table 4 of Shrout & Fleiss is checked through
ce.stats.rater_agreement in tests/stats/test_agreement.py.
Krippendorff's alpha (sums over the pairable values, no coincidence matrix): the published
example of Krippendorff (2011), four levels; exact rationals worked by hand from the
coincidence-matrix definition; the `krippendorff` package (Castro 2017, fast-krippendorff
0.9.0, which builds the coincidence matrix) as an independent implementation on random cases
with missing values, 1e-12.
"""

from fractions import Fraction
from pathlib import Path

import numpy as np
import pandas as pd
import pingouin as pg
import pytest
from scipy import stats

import coopeval as ce
from coopeval.errors import WeightingError


@pytest.mark.parametrize("case", ["anxiety", "siegel_castellan_1988"])
def test_kendall_w_descTools(ref, case):
    data = ref("kendall_w_desctools.yaml")[case]
    wide = pd.DataFrame(data["ratings"]).T
    out = ce.weighting.kendall_w(wide)
    assert out.columns.tolist() == ["w", "chi2", "dof", "p_value", "n_raters", "n_items"]
    row = out.iloc[0]
    assert row["w"] == pytest.approx(data["w"], abs=5e-8)
    assert row["chi2"] == pytest.approx(data["chi2"], abs=5e-3)
    assert row["dof"] == data["dof"]
    assert row["p_value"] == pytest.approx(data["p_value"], abs=5e-6)


@pytest.mark.parametrize("case", ["jasp_ordered", "jasp_raters_in_rows"])
def test_kendall_w_jasp_irr_full_precision(ref, case):
    """Full-precision values of the JASP rater-agreement tests (irr::kendall
    references, 15 significant digits printed): tolerance 1e-12."""
    data = ref("kendall_w_desctools.yaml")[case]
    row = ce.weighting.kendall_w(pd.DataFrame(data["ratings"]).T).iloc[0]
    assert row["w"] == pytest.approx(data["w"], abs=1e-12)
    assert row["chi2"] == pytest.approx(data["chi2"], abs=1e-12)
    assert row["dof"] == data["dof"]
    assert row["p_value"] == pytest.approx(data["p_value"], abs=1e-12)


def test_kendall_w_anxiety_exact_rational(ref):
    """By hand, Siegel & Castellan (1988) eq. 9.16 with ties: mid-ranks within each
    rater give rank sums R_j with S = sum (R_j - m(n+1)/2)^2 = 3004; tie groups give
    sum T = sum (t^3 - t) = 1674 over the 3 raters (m = 3, n = 20), so
    W = 12 S / (m^2 (n^3 - n) - m sum T) = 36048 / 66798 = 6008/11133."""
    data = ref("kendall_w_desctools.yaml")["anxiety"]
    row = ce.weighting.kendall_w(pd.DataFrame(data["ratings"]).T).iloc[0]
    assert row["w"] == pytest.approx(6008 / 11133, abs=1e-15)
    assert row["chi2"] == pytest.approx(3 * 19 * 6008 / 11133, abs=1e-12)


def test_kendall_w_matches_scipy_friedman_with_ties():
    rng = np.random.default_rng(0)
    x = rng.integers(1, 5, size=(7, 6)).astype(float)  # many ties
    out = ce.weighting.kendall_w(pd.DataFrame(x)).iloc[0]
    fr = stats.friedmanchisquare(*x.T)
    assert out["chi2"] == pytest.approx(fr.statistic, abs=1e-10)
    assert out["p_value"] == pytest.approx(fr.pvalue, abs=1e-12)


def test_kendall_w_rejects_missing():
    with pytest.raises(WeightingError, match="complete"):
        ce.weighting.kendall_w(pd.DataFrame([[1, 2], [np.nan, 1]]))


def _long(x):
    n, k = x.shape
    return pd.DataFrame({"node": np.repeat(np.arange(n), k), "participant": np.tile(np.arange(k), n),
                         "weight": x.ravel()})


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_icc_matches_pingouin(seed, monkeypatch):
    rng = np.random.default_rng(seed)
    x = rng.normal(0, 1, (8, 1)) + rng.normal(0, 0.7, (8, 4)) + rng.normal(0, 0.3, (1, 4))
    data = _long(x)
    ours = ce.weighting.icc(data)
    theirs = pg.intraclass_corr(data, targets="node", raters="participant", ratings="weight")
    np.testing.assert_allclose(ours["icc"], theirs["ICC"], atol=1e-10)
    np.testing.assert_allclose(ours["f"], theirs["F"], atol=1e-10)
    np.testing.assert_allclose(ours["p_value"], theirs["pval"], atol=1e-10)
    ci_col = "CI95" if "CI95" in theirs.columns else "CI95%"  # renamed in pingouin 0.7
    ci = np.stack(theirs[ci_col].to_numpy())  # pingouin rounds its CI to 2 decimals
    np.testing.assert_allclose(ours[["ci_low", "ci_high"]].to_numpy(), ci, atol=5e-3 + 1e-12)
    np.testing.assert_allclose(ours[["df1", "df2"]].to_numpy(), theirs[["df1", "df2"]].to_numpy())
    monkeypatch.setitem(pg.options, "round.column.CI95", None)  # pingouin's CI95 unrounded
    full = pg.intraclass_corr(data, targets="node", raters="participant", ratings="weight")
    np.testing.assert_allclose(ours[["ci_low", "ci_high"]].to_numpy(), np.stack(full[ci_col].to_numpy()),
                               atol=1e-10)


def test_icc_needs_balanced_design():
    data = _long(np.arange(12.0).reshape(4, 3)).iloc[1:]
    with pytest.raises(WeightingError, match="balanced"):
        ce.weighting.icc(data)


KRIPPENDORFF_2011 = Path(__file__).resolve().parents[1] / "reference" / "stats" / "krippendorff_2011.csv"


@pytest.mark.parametrize("level, published", [("nominal", 0.743), ("ordinal", 0.815),
                                              ("interval", 0.849), ("ratio", 0.797)])
def test_krippendorff_alpha_published_example(level, published):
    """Krippendorff (2011), *Computing Krippendorff's alpha-reliability*, section C: 4 observers,
    12 units with missing values; published alphas to 3 decimals (±0.0005). Sources of each
    value (the interval one confirmed by krippendorff 0.9.0 and irr::kripp.alpha) in
    tests/reference/stats/README.md. Rows = raters: the DataFrame as given."""
    wide = pd.read_csv(KRIPPENDORFF_2011).set_index("observer")
    assert ce.weighting.krippendorff_alpha(wide, level) == pytest.approx(published, abs=5e-4)


@pytest.mark.parametrize("level, exact", [("nominal", Fraction(8, 13)), ("ordinal", Fraction(94, 99)),
                                          ("interval", Fraction(36, 41)), ("ratio", Fraction(2771, 2921))])
def test_krippendorff_alpha_by_hand(level, exact):
    """Worked by hand from Krippendorff's (2011) definition. Raters [1, 2, 3, 5] and
    [1, 2, 4, NaN]: unit 4 has one value (not pairable, left out); pairable values 1, 1, 2, 2,
    3, 4 (n = 6, n_1 = n_2 = 2, n_3 = n_4 = 1); the only disagreement is the pair (3, 4) of
    unit 3, so sum o_ck d2_ck = 2 d2_34 and alpha = 1 - (n - 1) 2 d2_34 / sum_{c != k} n_c n_k d2_ck.
    nominal: d2 = 1 off the diagonal, sum n_c n_k = 36 - 10 = 26 -> 1 - 10/26 = 8/13.
    interval: d2 = (c - k)^2, unordered sum 4 + 8 + 18 + 2 + 8 + 1 = 41 -> 1 - 10/82 = 36/41.
    ordinal: d2_ck = (sum_{g=c..k} n_g - (n_c + n_k)/2)^2 = 4, 12.25, 20.25, 2.25, 6.25, 1 for
    (1,2), (1,3), (1,4), (2,3), (2,4), (3,4); unordered sum 16 + 24.5 + 40.5 + 4.5 + 12.5 + 1 = 99
    -> 1 - 10/198 = 94/99.
    ratio: d2 = ((c - k)/(c + k))^2, unordered sum 4/9 + 1/2 + 18/25 + 2/25 + 2/9 + 1/49 =
    2921/1470, d2_34 = 1/49 -> 1 - 5 (2/49) / (2921/735) = 2771/2921."""
    x = np.array([[1, 2, 3, 5], [1, 2, 4, np.nan]])
    assert ce.weighting.krippendorff_alpha(x, level) == pytest.approx(float(exact), abs=1e-12)


def test_krippendorff_alpha_continuous_weights_pairwise_form(judgements, fw):
    """Interval alpha of continuous weights (every value distinct) against the pairwise form of
    the same definition (Krippendorff 2011), written without a coincidence matrix:
    D_o = sum_u sum_{i != j in u} (v_i - v_j)^2 / (m_u - 1) / n,
    D_e = sum_{i != j pairable} (v_i - v_j)^2 / (n (n - 1))."""
    ws = ce.weighting.aggregate(judgements, fw)
    wide = ws.by_participant[ws.by_participant["parent"] == "overall"].pivot(
        index="participant", columns="node", values="weight")
    x = wide.to_numpy(float)
    units = [c[~np.isnan(c)] for c in x.T]
    units = [u for u in units if len(u) >= 2]
    pooled = np.concatenate(units)
    n = len(pooled)
    d_o = sum(((u[:, None] - u[None, :]) ** 2).sum() / (len(u) - 1) for u in units) / n
    d_e = ((pooled[:, None] - pooled[None, :]) ** 2).sum() / (n * (n - 1))
    assert ce.weighting.krippendorff_alpha(wide, "interval") == pytest.approx(1 - d_o / d_e, abs=1e-12)
    # rows are raters: the transposed table is another question (units as raters)
    assert ce.weighting.krippendorff_alpha(wide.T, "interval") != pytest.approx(1 - d_o / d_e, abs=1e-6)


def _random_reliability_data(rng, case):
    """Raters x units with missing values: small integers (many ties), continuous values,
    integers around 0 (ratio: c + k = 0 pairs), rounded positive values, or a few categories."""
    r, u = int(rng.integers(2, 12)), int(rng.integers(2, 15))
    x = [lambda: rng.integers(1, 6, (r, u)).astype(float), lambda: rng.normal(size=(r, u)),
         lambda: rng.integers(-3, 4, (r, u)).astype(float), lambda: np.round(rng.gamma(2, size=(r, u)), 1),
         lambda: rng.choice([0.0, 2.5, 7.0], (r, u))][case % 5]()
    x[rng.random((r, u)) < rng.uniform(0, 0.6)] = np.nan
    return x


@pytest.mark.parametrize("level", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_alpha_matches_package(level):
    """Independent implementation: the ``krippendorff`` package (fast-krippendorff 0.9.0, Castro
    2017: units x values x values coincidences) on 300 random raters x units tables with missing
    values, 1e-12; both NaN where alpha is undefined (D_e = 0)."""
    import krippendorff

    rng = np.random.default_rng(20261202)
    compared = 0
    for case in range(300):
        x = _random_reliability_data(rng, case)
        if np.unique(x[~np.isnan(x)]).size < 2 or not ((~np.isnan(x)).sum(axis=0) >= 2).any():
            continue  # refused / no pairable unit: the package raises, checked below
        with np.errstate(all="ignore"):
            expected = krippendorff.alpha(reliability_data=x, level_of_measurement=level)
        got = ce.weighting.krippendorff_alpha(x, level)
        assert (np.isnan(got) and np.isnan(expected)) or got == pytest.approx(expected, abs=1e-12), (case, x)
        compared += 1
    assert compared > 250


def test_krippendorff_alpha_ratio_blocks(monkeypatch):
    """The ratio sums in blocks: with a block of 7 elements (units of 3 values stacked by 2 / 1,
    larger units summed by rows, D_e by rows of 1) the value is the package's, 1e-12."""
    import krippendorff

    from coopeval.weighting import rater_agreement

    monkeypatch.setattr(rater_agreement, "_BLOCK", 7)
    rng = np.random.default_rng(7)
    for _ in range(20):
        x = rng.gamma(2, size=(6, 9))
        x[rng.random(x.shape) < 0.4] = np.nan
        expected = krippendorff.alpha(reliability_data=x, level_of_measurement="ratio")
        assert ce.weighting.krippendorff_alpha(x, "ratio") == pytest.approx(expected, abs=1e-12)


def test_krippendorff_alpha_memory_does_not_grow_with_values_squared():
    """200 raters x 10 units of continuous weights (2000 distinct values): a units x values x
    values array would be 10 x 2000^2 x 8 B = 320 MB (the package peaks near 1 GB); every
    level stays under 40 MB of Python allocations (tracemalloc)."""
    import tracemalloc

    x = np.random.default_rng(3).dirichlet(np.ones(10), size=200)
    for level in ("nominal", "ordinal", "interval", "ratio"):
        tracemalloc.start()
        ce.weighting.krippendorff_alpha(x, level)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        assert peak < 40e6, (level, peak)


def test_krippendorff_alpha_undefined_and_refused():
    """Alpha is undefined (NaN, as 1 - 0/0) when no unit has two values or when every pairable
    value is the same (D_e = 0); a table of one value, a bad level or a 1-D input are refused."""
    assert np.isnan(ce.weighting.krippendorff_alpha(np.array([[1, np.nan], [np.nan, 2]])))
    assert np.isnan(ce.weighting.krippendorff_alpha(np.array([[1, 1, 2], [1, 1, np.nan]])))
    with pytest.raises(WeightingError, match="reliability_data.*two distinct values"):
        ce.weighting.krippendorff_alpha(np.ones((2, 3)))
    with pytest.raises(WeightingError, match="level"):
        ce.weighting.krippendorff_alpha(np.eye(3), "likert")
    with pytest.raises(WeightingError, match="2-D"):
        ce.weighting.krippendorff_alpha(np.arange(3.0))


def test_agreement_tables(judgements, fw):
    ws = ce.weighting.aggregate(judgements, fw)
    # each college of the fixture used its own method for the dimensions: confounded
    with pytest.warns(UserWarning, match="confounded"):
        table = ce.weighting.agreement_table(ws)
    assert table.columns.tolist() == ["parent", "node", "n", "mean", "median", "q1", "q3", "iqr", "cv",
                                      "pct_agreement", "college_p_value", "contested", "method_p_value",
                                      "college_test", "not_estimable"]
    assert set(table["node"]) == set(fw.children("overall")) | set(fw.children("emploi"))
    t = table.set_index("node")
    # methods mixed under "overall": colleges compared on the order of importance, recomputed with scipy
    pw = ws.by_participant
    over = pw[pw["parent"] == "overall"].copy()
    over["order"] = (over.groupby("participant")["weight"].rank() - 1) / (len(fw.children("overall")) - 1)
    social = over[over["node"] == "social"]
    p = stats.kruskal(*[g["order"] for _, g in social.groupby("college")]).pvalue
    assert t.at["social", "college_test"] == "order"
    assert t.at["social", "college_p_value"] == pytest.approx(p, abs=1e-12)
    # one method (direct) under "emploi": raw weights, as before
    crit = fw.children("emploi")[0]
    sub = pw[pw["node"] == crit]
    p = stats.kruskal(*[g["weight"] for _, g in sub.groupby("college")]).pvalue
    assert t.at[crit, "college_test"] == "weights"
    assert t.at[crit, "college_p_value"] == pytest.approx(p, abs=1e-12)
    assert np.isnan(t.at[crit, "method_p_value"])
    with pytest.warns(UserWarning, match="confounded"):
        cont = ce.weighting.contested_nodes(ws)
    assert set(cont["node"]) == set(table.loc[table["contested"], "node"])
    assert cont["reason"].str.len().gt(0).all()
    groups = ce.weighting.group_agreement(ws).set_index("parent")
    wide = pw[pw["parent"] == "overall"].pivot(index="participant", columns="node", values="weight")
    assert groups.at["overall", "kendall_w"] == pytest.approx(ce.weighting.kendall_w(wide)["w"].item())
    dis = ce.weighting.college_disagreement(ws)
    assert dis.columns.tolist() == ["college", "n_participants", "distance", "max_distance", "within_iqr"]
    assert dis["distance"].is_monotonic_decreasing
    assert ((dis["distance"] >= 0) & (dis["distance"] <= 1)).all()
