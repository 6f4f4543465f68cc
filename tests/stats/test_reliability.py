"""Tests of coopeval.stats.reliability (alpha, omega, item statistics)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pingouin as pg
import pytest

from coopeval.errors import StatsError
from coopeval.stats import StatsWarning, omega_one_factor, scale_reliability


def _stat(rel, statistic, item=None, indicator=None):
    sub = rel[rel["statistic"] == statistic]
    if indicator is not None:
        sub = sub[sub["indicator"] == indicator]
    if item is not None:
        sub = sub[sub["item"] == item]
    return sub


@pytest.fixture(scope="module")
def pingouin_cronbach(build_fw):
    """pingouin's ``cronbach_alpha`` dataset (15 respondents × 10 items, source
    www.real-statistics.com) as Responses, with a 10-item framework scale."""
    d = pg.read_dataset("cronbach_alpha")
    d["Items"] = d["Items"].str.lower()
    items = list(d["Items"].unique())
    fw = build_fw({"d": [("q", [(i, False) for i in items], 0, 10)]})
    resp = d.rename(columns={"Subj": "respondent", "Items": "item", "Scores": "value"})
    return resp, fw, d.pivot(index="Subj", columns="Items", values="Scores")[items]


def test_alpha_matches_published_example(pingouin_cronbach):
    """Published value: ``(0.5917188485995826, array([0.195, 0.84 ]))``, read in the docstring
    example of ``pingouin.cronbach_alpha`` (pingouin 0.7.0, ``reliability.py``; also
    https://pingouin-stats.org/generated/pingouin.cronbach_alpha.html), questionnaire data
    from www.real-statistics.com. Independent implementation: R 4.2.2 with psych 2.2.9,
    ``psych::alpha(d, check.keys = FALSE)`` on the same 15 × 10 matrix → raw_alpha
    0.5917188486, Feldt 95 % bounds 0.1949213907 – 0.8398208146 (run for the reference audit).
    The interval is reported to 3 decimals, as pingouin rounds it."""
    resp, fw, _ = pingouin_cronbach
    rel = scale_reliability(resp, fw)
    a = _stat(rel, "cronbach_alpha").iloc[0]
    assert a["estimate"] == pytest.approx(0.5917188486, abs=5e-11)
    assert a["ci_low"] == pytest.approx(0.195, abs=5e-4)
    assert a["ci_high"] == pytest.approx(0.840, abs=5e-4)
    assert a["n"] == 15 and a["n_items"] == 10
    assert bool(a["flag"]) is True  # below 0.7


def test_item_statistics_match_direct_computation(pingouin_cronbach):
    """Item–rest r computed independently with pandas; alpha if deleted with pingouin."""
    resp, fw, wide = pingouin_cronbach
    rel = scale_reliability(resp, fw)
    alpha = pg.cronbach_alpha(wide)[0]
    for item in wide.columns:
        rest = wide.drop(columns=item).sum(axis=1)
        r = _stat(rel, "item_rest_r", item)["estimate"].iloc[0]
        assert r == pytest.approx(wide[item].corr(rest), abs=1e-12)
        aid = _stat(rel, "alpha_if_deleted", item)
        expected = pg.cronbach_alpha(wide.drop(columns=item))[0]
        assert aid["estimate"].iloc[0] == pytest.approx(expected, abs=1e-12)
        assert bool(aid["flag"].iloc[0]) == (expected > alpha)


def test_reverse_coding_uses_framework_bounds(build_fw, to_responses):
    """A reversed item on a 1–5 scale is coded 6 − x before alpha (checked with pingouin on
    the reverse-coded matrix built by hand)."""
    rng = np.random.default_rng(3)
    trait = rng.normal(size=80)
    wide = pd.DataFrame({k: np.clip(np.round(3 + trait + rng.normal(0, .6, 80)), 1, 5)
                         for k in ("a", "b", "c")})
    raw = wide.copy()
    raw["c"] = 6 - raw["c"]  # as answered: c is a reversed item
    fw = build_fw({"d": [("s", [("a", 0), ("b", 0), ("c", 1)], 1, 5)]})
    rel = scale_reliability(to_responses(raw), fw)
    assert _stat(rel, "cronbach_alpha")["estimate"].iloc[0] == pytest.approx(
        pg.cronbach_alpha(wide)[0], abs=1e-12)
    assert _stat(rel, "item_rest_r", "c")["estimate"].iloc[0] > 0.3


@pytest.fixture(scope="module")
def ability(reference):
    """R's ``datasets::ability.cov`` (Smith & Stanley, 1983, via Bartholomew, 1987): covariance
    of six ability tests, 112 individuals, as printed by R 4.2.2."""
    cov = pd.read_csv(reference / "ability_cov.csv", index_col="test")
    sd = np.sqrt(np.diag(cov.to_numpy()))
    return cov.to_numpy() / np.outer(sd, sd), list(cov.columns)


def test_omega_matches_published_one_factor_ml_example(ability):
    """Published one-factor maximum-likelihood example: R's documentation of ``ability.cov``,
    example ``factanal(factors = 1, covmat = ability.cov)`` (n.obs 112). Its printed output
    (R 4.2.2, run for the reference audit) reads

    Uniquenesses: general 0.535, picture 0.853, blocks 0.748, maze 0.910, reading 0.232,
    vocab 0.280; Loadings: 0.682, 0.384, 0.502, 0.300, 0.877, 0.849.

    Omega total of this one-factor model follows McDonald (1999, *Test theory*, eq. 6.20b):
    ω = (Σλ)² / ((Σλ)² + Σψ) = 3.594² / (3.594² + 3.558) = 0.78403 from the printed
    loadings and uniquenesses (0.7839853 from R's unrounded ``fa$loadings`` and
    ``fa$uniquenesses``: 0.6822025426, 0.3839544204, 0.5018114968, 0.2997860331, 0.8765184633,
    0.8486808522 and 0.5346021459, 0.8525805002, 0.7481695108, 0.9101502971, 0.2317149770,
    0.2797405827). Tolerances: printed loadings ±5e-4 (3 decimals); unrounded R values ±1e-5
    (two different ML optimisers, statsmodels vs R's ``optim``); omega ±1e-5 against the
    unrounded R values, ±1e-3 against the value from the 3-decimal print (6 loadings and 6
    uniquenesses each rounded by up to 5e-4)."""
    corr, _ = ability
    omega, lam, note = omega_one_factor(corr, 112)
    assert note == ""
    printed_lam = np.array([0.682, 0.384, 0.502, 0.300, 0.877, 0.849])
    printed_psi = np.array([0.535, 0.853, 0.748, 0.910, 0.232, 0.280])
    r_lam = np.array([0.6822025426, 0.3839544204, 0.5018114968, 0.2997860331, 0.8765184633, 0.8486808522])
    r_psi = np.array([0.5346021459, 0.8525805002, 0.7481695108, 0.9101502971, 0.2317149770, 0.2797405827])
    np.testing.assert_allclose(lam, printed_lam, atol=5e-4)
    np.testing.assert_allclose(lam, r_lam, atol=1e-5)
    # R reports the uniquenesses its optimiser converged to; they differ from its own
    # 1 − λ² by up to 2.2e-5 (maze), hence 5e-5 here.
    np.testing.assert_allclose(1 - lam**2, r_psi, atol=5e-5)
    assert omega == pytest.approx(r_lam.sum() ** 2 / (r_lam.sum() ** 2 + r_psi.sum()), abs=1e-5)
    assert omega == pytest.approx(0.7839853, abs=1e-5)
    assert omega == pytest.approx(printed_lam.sum() ** 2 / (printed_lam.sum() ** 2 + printed_psi.sum()),
                                  abs=1e-3)


def test_omega_on_ability_tests_through_scale_reliability(ability, exact_data, build_fw, to_responses):
    """The public wrapper gives the same omega and loadings: respondents whose sample
    correlation matrix is exactly ability.cov's (112 of them, as in the published example)."""
    corr, names = ability
    x = exact_data(corr, 112, seed=4)
    fw = build_fw({"d": [("s", [(n, 0) for n in names], -100, 100)]})
    rel = scale_reliability(to_responses(pd.DataFrame(x, columns=names)), fw)
    assert _stat(rel, "mcdonald_omega")["estimate"].iloc[0] == pytest.approx(0.7839853, abs=1e-5)
    got = _stat(rel, "loading").set_index("item")["estimate"].reindex(names).to_numpy()
    np.testing.assert_allclose(got, [0.682, 0.384, 0.502, 0.300, 0.877, 0.849], atol=5e-4)


def test_omega_closed_form_three_items():
    """With 3 items the one-factor model is just identified, so ML reproduces the
    correlations exactly: λ1² = r12 r13 / r23, etc. (computed by hand here). Holzinger &
    Swineford (1939) visual tests, correlations x1–x2 .297, x1–x3 .441, x2–x3 .340."""
    r12, r13, r23 = 0.297, 0.441, 0.340
    corr = np.array([[1, r12, r13], [r12, 1, r23], [r13, r23, 1]])
    lam = np.sqrt([r12 * r13 / r23, r12 * r23 / r13, r13 * r23 / r12])
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    omega, loadings, note = omega_one_factor(corr, 301)
    assert note == ""
    np.testing.assert_allclose(loadings, lam, atol=1e-4)
    assert omega == pytest.approx(expected, abs=1e-4)


def test_omega_recovers_one_factor_population(exact_data, build_fw, to_responses):
    """Data whose correlation matrix is exactly λλᵀ + Ψ (4 items): the ML fit must give back
    λ and ω = (Σλ)² / ((Σλ)² + Σ(1 − λ²)) (McDonald, 1999, eq. 6.20b)."""
    lam = np.array([0.8, 0.7, 0.6, 0.5])
    corr = np.outer(lam, lam)
    np.fill_diagonal(corr, 1.0)
    x = exact_data(corr, 200)
    fw = build_fw({"d": [("s", [(f"i{j}", 0) for j in range(4)], -10, 10)]})
    rel = scale_reliability(to_responses(pd.DataFrame(x, columns=[f"i{j}" for j in range(4)])), fw)
    expected = lam.sum() ** 2 / (lam.sum() ** 2 + (1 - lam**2).sum())
    assert _stat(rel, "mcdonald_omega")["estimate"].iloc[0] == pytest.approx(expected, abs=1e-4)
    got = _stat(rel, "loading").set_index("item")["estimate"].to_numpy()
    np.testing.assert_allclose(got, lam, atol=1e-3)


def test_omega_equals_standardised_alpha_when_tau_equivalent(exact_data):
    """Equal correlations r: ω = kr / (1 + (k − 1) r) = standardised alpha (Spearman–Brown),
    checked against pingouin's alpha on the z-scored items."""
    k, r = 5, 0.4
    corr = np.full((k, k), r)
    np.fill_diagonal(corr, 1.0)
    x = exact_data(corr, 150, seed=1)
    z = (x - x.mean(0)) / x.std(0, ddof=1)
    omega, _, _ = omega_one_factor(np.corrcoef(x, rowvar=False), 150)
    assert omega == pytest.approx(k * r / (1 + (k - 1) * r), abs=1e-4)
    assert omega == pytest.approx(pg.cronbach_alpha(pd.DataFrame(z))[0], abs=1e-4)


def test_two_item_scale_has_documented_nan_omega(fw):
    """Default framework: reconnaissance_territoire has 2 items -> omega NaN with a note."""
    rng = np.random.default_rng(0)
    t = rng.normal(size=50)
    resp = pd.DataFrame([{"respondent": i, "item": it, "value": float(np.clip(round(3 + t[i] + rng.normal(0, .5)), 1, 5))}
                         for i in range(50) for it in ("reconnaissance_utile", "reconnaissance_connu")])
    rel = scale_reliability(resp, fw)
    om = _stat(rel, "mcdonald_omega").iloc[0]
    assert np.isnan(om["estimate"]) and om["note"] == "omega_not_identified_2_items"
    assert np.isfinite(_stat(rel, "cronbach_alpha")["estimate"].iloc[0])


def test_by_wave_on_panel(panel):
    rel = scale_reliability(panel["responses"], panel["fw"], by="wave")
    alphas = _stat(rel, "cronbach_alpha")
    assert sorted(alphas["wave"].unique()) == [1, 2, 3]
    assert set(alphas["indicator"]) == {"gouv", "terr"}
    assert (alphas["estimate"] > 0.5).all()


def test_heywood_case_is_noted():
    corr = np.array([[1, .9, .9], [.9, 1, .5], [.9, .5, 1]])  # λ1² = .81/.5 > 1
    omega, _, note = omega_one_factor(corr, 100)
    assert "heywood_case" in note and np.isfinite(omega)


# ---------------------------------------------------------------- degenerate inputs
def test_constant_item_gives_nan_with_warning(build_fw, to_responses):
    fw = build_fw({"d": [("s", [("a", 0), ("b", 0), ("c", 0)], 1, 5)]})
    wide = pd.DataFrame({"a": [1, 2, 3, 4, 5, 2], "b": [2, 2, 3, 5, 4, 1], "c": [3] * 6})
    with pytest.warns(StatsWarning, match="constant_item"):
        rel = scale_reliability(to_responses(wide), fw)
    assert np.isnan(_stat(rel, "mcdonald_omega")["estimate"].iloc[0])
    assert np.isnan(_stat(rel, "item_rest_r", "c")["estimate"].iloc[0])
    assert np.isfinite(_stat(rel, "cronbach_alpha")["estimate"].iloc[0])


def test_all_items_constant_gives_nan_alpha(build_fw, to_responses):
    fw = build_fw({"d": [("s", [("a", 0), ("b", 0), ("c", 0)], 1, 5)]})
    wide = pd.DataFrame({"a": [3] * 5, "b": [3] * 5, "c": [3] * 5})
    with pytest.warns(StatsWarning):
        rel = scale_reliability(to_responses(wide), fw)
    assert rel["estimate"].isna().all()


def test_single_respondent_gives_nan_with_warning(build_fw, to_responses):
    fw = build_fw({"d": [("s", [("a", 0), ("b", 0), ("c", 0)], 1, 5)]})
    with pytest.warns(StatsWarning, match="too_few_respondents"):
        rel = scale_reliability(to_responses(pd.DataFrame({"a": [1], "b": [2], "c": [3]})), fw)
    assert rel["estimate"].isna().all() and (rel["n"] == 1).all()


def test_all_missing_raises(fw):
    resp = pd.DataFrame({"respondent": [1, 2], "item": ["agir_confiance"] * 2, "value": [np.nan] * 2})
    with pytest.raises(StatsError, match="all missing"):
        scale_reliability(resp, fw)


def test_bad_inputs_raise(fw):
    with pytest.raises(StatsError, match="missing column"):
        scale_reliability(pd.DataFrame({"item": ["x"]}), fw)
    with pytest.raises(StatsError, match="none of them"):
        scale_reliability(pd.DataFrame({"respondent": [1], "item": ["zz"], "value": [1]}), fw)
    with pytest.raises(StatsError, match="numeric"):
        scale_reliability(pd.DataFrame({"respondent": [1], "item": ["agir_confiance"],
                                        "value": ["beaucoup"]}), fw)
    dup = pd.DataFrame({"respondent": [1, 1], "item": ["agir_confiance"] * 2, "value": [1, 2]})
    with pytest.raises(StatsError, match="duplicates"):
        scale_reliability(dup, fw)
    with pytest.raises(StatsError, match="`ci`"):
        scale_reliability(dup, fw, ci=95)
