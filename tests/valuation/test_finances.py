"""Socio-economic model as costs and resources (issue 18), against the report's figures.

Le Labo de l'ESS (2024). *Vers une société de la coopération*: T.E.T.R.I.S. (« autofinancement
à hauteur de 207 000 € (soit environ un tiers du coût de fonctionnement du lieu) », 600 000 € de
frais de fonctionnement, aides publiques « près de 400 000 € en 2022 ») and La Butinerie
(datasets/la_butinerie: 287 000 € of loans, 100 000 € of wages, 75 000 € of fixed costs and
taxes in 2023, budget 230 000 €). Tolerances: exact sums (rel 1e-12).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


def _tetris():
    return pd.DataFrame({"unit": "tetris", "wave": "2022",
                         "line": ["ventes", "subventions_publiques", "charges_non_ventilees"],
                         "source": ["activités marchandes", "aides publiques (ANCT, CAPG)", None],
                         "amount": [207_000.0, 400_000.0, 600_000.0]})


def test_tetris_self_financing_0345_and_hybrid():
    m = ce.valuation.socio_economic_model(_tetris())
    w = m.wide().iloc[0]
    assert w["self_financing"] == pytest.approx(207_000 / 600_000, rel=1e-12)
    assert w["self_financing"] == pytest.approx(0.345, abs=1e-12)
    assert m.classification["classification"].iloc[0] == "hybride"
    s = np.array([207, 400]) / 607
    assert w["hybridisation"] == pytest.approx(1 - (s**2).sum(), rel=1e-12)
    assert w["largest_funder_share"] == pytest.approx(400 / 607, rel=1e-12)
    assert m.catalogue_version == ce.valuation.catalogue_version()


def test_butinerie_model_from_the_report():
    fin = ce.datasets.load("la_butinerie", table="finances")
    m = ce.valuation.socio_economic_model(fin)
    w = m.wide().set_index(["unit", "wave"]).loc[("la_butinerie", "2023")]
    assert w["resources_monetary"] == 230_000
    assert w["outstanding_loans"] == 287_000
    assert w["loans_to_resources"] == pytest.approx(287_000 / 230_000, rel=1e-12)
    costs = m.lines.set_index("line")["value_eur"]
    assert (costs["charges_personnel"], costs["charges_fixes"]) == (100_000, 75_000)
    assert m.largest_funder["source"].iloc[0] == "Ville de Pantin"
    assert w["largest_funder_share"] == pytest.approx(40_000 / 230_000, rel=1e-12)
    assert w["own_resources_coverage"] == pytest.approx((100_000 + 25_000) / 230_000, rel=1e-12)
    assert w["self_financing"] == pytest.approx(100_000 / 230_000, rel=1e-12)
    # two non-monetary resources declared by the report, none quantified
    assert w["non_monetary_valued_share"] == 0
    # no repayment schedule in the report: the debt service is unknown, not zero
    assert np.isnan(w["debt_service"]) and np.isnan(w["debt_service_ratio"])
    assert m.classification["classification"].iloc[0] == "hybride"  # as the report classifies it
    assert w["unallocated_share"] == pytest.approx(65_000 / 230_000, rel=1e-12)


def test_hybridisation_bounds():
    one = pd.DataFrame({"line": ["ventes", "charges_personnel"], "amount": [10.0, 5.0]})
    assert ce.valuation.socio_economic_model(one).wide()["hybridisation"].iloc[0] == 0
    lines = ["ventes", "cotisations", "contributions_membres", "dons_particuliers", "subventions_publiques",
             "mecenat", "benevolat"]
    seven = pd.DataFrame({"line": lines + ["charges_personnel"], "amount": [1.0] * 8,
                          "source": [f"s{i}" for i in range(8)]})
    w = ce.valuation.socio_economic_model(seven).wide().iloc[0]
    assert w["hybridisation"] == pytest.approx(1 - 1 / 7, rel=1e-12)
    assert w["n_pillars"] == 7


def test_volunteering_valued_with_catalogue_proxy_and_debt_service():
    """470 h at the SMIC of 1 June 2023 (11,52 €, décret) = 5 414,40 €."""
    fin = pd.DataFrame({"line": ["ventes", "benevolat", "mise_a_disposition", "charges_personnel",
                                 "remboursement_emprunts", "charges_financieres", "emprunts"],
                        "amount": [100_000.0, 470.0, None, 90_000.0, 10_000.0, 2_000.0, 50_000.0],
                        "unit_of_measure": ["EUR", "h", "h", "EUR", "EUR", "EUR", "EUR"]})
    m = ce.valuation.socio_economic_model(fin, proxies={"h": "heure_benevole_smic_brut"}, date="2023-06-01")
    w = m.wide().iloc[0]
    assert w["resources_non_monetary_valued"] == pytest.approx(470 * 11.52, rel=1e-12)
    assert w["non_monetary_valued_share"] == 0.5
    assert w["debt_service"] == 12_000
    assert w["debt_service_ratio"] == pytest.approx(0.12, rel=1e-12)
    assert w["costs_cash"] == 92_000  # interest is a monetary cost; principal is not a cost


def test_validation_names_row_and_field():
    with pytest.raises(ValuationError, match="finance_lines"):
        ce.valuation.socio_economic_model(pd.DataFrame({"line": ["subvention"], "amount": [1.0]}))
    with pytest.raises(ValuationError, match="non-negative"):
        ce.valuation.socio_economic_model(pd.DataFrame({"line": ["ventes"], "amount": [-1.0]}))
    with pytest.raises(ValuationError, match="proxy in EUR per h"):
        ce.valuation.socio_economic_model(pd.DataFrame({"line": ["benevolat"], "amount": [3.0],
                                                        "unit_of_measure": ["h"]}))
    with pytest.raises(ValuationError, match="only a non-monetary line"):
        ce.valuation.socio_economic_model(pd.DataFrame({"line": ["ventes"], "amount": [None]}))


def test_from_accounts_longest_prefix_and_unmapped_kept():
    """ANC 2018-06 / PCG: 706 prestations (70), 7561 cotisations (756, not 75), 7541 dons
    manuels (754), 641 rémunérations (64), 6811 dotations (68), 661 intérêts (66), 1641
    emprunts (164), 864 personnel bénévole, 871 (87x: kind left to the treasurer), 512 banque
    (not a line of the model)."""
    acc = pd.DataFrame({"compte": ["706", "7561", "7541", "641", "6811", "661", "1641", "864", "871", "512"],
                        "montant": [1.0] * 10})
    mapped, unmapped = ce.valuation.from_accounts(acc)
    assert mapped["line"].tolist() == ["ventes", "cotisations", "dons_particuliers", "charges_personnel",
                                       "dotations_amortissements", "charges_financieres", "emprunts", "benevolat",
                                       "contributions_en_nature_a_preciser"]
    assert unmapped["compte"].tolist() == ["512"]
    lines = ce.valuation.finance_lines()
    assert set(lines.query("block == 'resource' and category == 'non_monetary'")["kind"]) >= {
        "benevolat", "dons_en_nature", "recuperation", "mise_a_disposition", "echanges"}
    assert sorted(lines["pillar"].dropna().unique().tolist()) == [1, 2, 3, 4, 5, 6, 7]


def test_stress_tests_on_la_butinerie():
    """Largest funder leaves: the Ville de Pantin's 40 000 € go; a loan is called: the 287 000 €
    fall due; volunteering −1/3: no volunteering is valued in the report, so no change."""
    fin = ce.datasets.load("la_butinerie", table="finances")
    st = ce.valuation.stress_test(fin).query("indicator == 'cash_balance'").set_index("scenario")
    assert st.loc["largest_funder_leaves", "change"] == -40_000
    assert st.loc["loan_called", "stressed"] == -287_000
    assert st.loc["volunteering_minus_third", "change"] == 0


def test_volunteering_minus_third_is_replaced_by_paid_work():
    """300 h at 11,52 € (SMIC, June 2023): losing a third = 100 h to pay, 1 152 €."""
    fin = pd.DataFrame({"line": ["ventes", "benevolat", "charges_personnel"], "amount": [5_000.0, 300.0, 4_000.0],
                        "unit_of_measure": ["EUR", "h", "EUR"]})
    st = ce.valuation.stress_test(fin, which=["volunteering_minus_third"], proxies={"h": "heure_benevole_smic_brut"},
                                  date="2023-06-01").set_index("indicator")
    assert st.loc["cash_balance", "change"] == pytest.approx(-100 * 11.52, rel=1e-9)
    assert st.loc["costs_cash", "stressed"] == pytest.approx(4_000 + 100 * 11.52, rel=1e-9)
    with pytest.raises(ValuationError, match="scenarios among"):
        ce.valuation.stress_test(fin, which=["pandemic"])


def test_stress_figure_draws_the_values():
    import matplotlib

    matplotlib.use("Agg")
    fin = ce.datasets.load("la_butinerie", table="finances")
    ax = ce.plots.stress_bars(ce.valuation.stress_test(fin), unit="la_butinerie", wave="2023")
    assert [float(p.get_width()) for p in ax.containers[0]] == [0.0, -40_000.0, 0.0, -287_000.0]
    labels = [tick.get_text() for tick in ax.get_yticklabels()]
    assert labels[0] == "Situation de référence" and "Un emprunt est exigé (remboursement immédiat)" in labels


def test_store_accepts_finance_lines_and_evaluation_reads_the_model(tmp_path):
    """The resources import of the store takes the model's line codes (costs, loans…); the
    Evaluation door gives the same indicators as the function on the same table."""
    fin = ce.datasets.load("la_butinerie", table="finances").dropna(subset=["amount"])
    res = fin.rename(columns={"line": "category"})[["unit", "wave", "source", "category", "amount",
                                                    "unit_of_measure"]]
    p = ce.store.Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.import_resources(res)
    stored = p.resources(wave="2023")
    assert set(stored["category"]) >= {"emprunts", "charges_personnel", "ventes"}
    direct = ce.valuation.socio_economic_model(ce.valuation.from_resources(stored)).wide()
    assert direct["outstanding_loans"].iloc[0] == 287_000
    via_eval = ce.evaluation.Evaluation.from_project(p).socio_economic_model()
    # the Evaluation writes waves in their one representation (whole numbers as integers)
    pd.testing.assert_frame_equal(via_eval.wide(), direct.assign(wave=direct["wave"].astype("int64")))
    # a plain resources table still gives the report's resources profile (costs and loans left out)
    prof = ce.valuation.resources_profile(res)
    assert prof.shares.set_index("category").loc["market", "value_eur"] == 100_000
    assert prof.table["value_eur"].sum() == 230_000


def test_every_indicator_and_scenario_has_french_and_english_labels():
    from coopeval.i18n import t

    for code in ce.valuation.finances.INDICATORS + ce.valuation.stress.STRESS_INDICATORS:
        assert t("sem_" + code) and t("sem_" + code, lang="en")
    for pillar in range(1, 8):
        assert t(f"pillar_{pillar}") != t(f"pillar_{pillar}", lang="en")
    for b in ce.valuation.BENEFICIARY_TYPES:
        assert t(f"beneficiary_{b}")


def test_stress_on_the_social_utility_profile_by_hand():
    """Economic dimension of `cooperation_territoriale` from La Butinerie's finances (min-max on
    each indicator's published bounds, unweighted means; mois_tresorerie unknown):
    baseline: autofinancement 100/230 → 43.48, résultat net 0 on [−0.3, 0.3] → 50,
    dépendance 40/230 (decrease) → 82.61, part non monétaire 0 → 0;
    économie = ((43.48 + 50)/2 + (82.61 + 0)/2)/2 = 44.02.
    The Ville de Pantin leaves: résultat −40/190 → 14.91; dépendance becomes Biocoop's 25/190
    → 86.84; économie = ((43.48 + 14.91)/2 + 86.84/2)/2 = 36.31. A called loan changes no
    indicator of the framework (no cash-months indicator can be computed): change 0."""
    fin = ce.datasets.load("la_butinerie", table="finances")
    prof = ce.valuation.stress_profile(fin, "cooperation_territoriale").query("node == 'economie'")
    p = prof.set_index("scenario")
    auto = 100 * 100 / 230
    base = ((auto + 50) / 2 + (100 * (1 - 40 / 230) + 0) / 2) / 2
    leaves = ((auto + 100 * (-40 / 190 + 0.3) / 0.6) / 2 + 100 * (1 - 25 / 190) / 2) / 2
    assert p.loc["largest_funder_leaves", "baseline"] == pytest.approx(base, rel=1e-9)
    assert p.loc["largest_funder_leaves", "stressed"] == pytest.approx(leaves, rel=1e-9)
    assert p.loc["loan_called", "change"] == 0
    obs = ce.valuation.socio_economic_model(fin).framework_observations().set_index("indicator")["value"]
    assert obs["autofinancement"] == pytest.approx(100 / 230) and "heures_benevolat" not in obs


def _butinerie_entered(values: dict) -> pd.DataFrame:
    return pd.DataFrame({"unit": "la_butinerie", "wave": 2023, "indicator": list(values), "value": list(values.values())})


def test_stress_profile_baseline_is_the_profile_of_the_entered_values():
    """One truth (issue 14; found by the user test of the restitution): the baseline of « Et
    l'utilité sociale ? » said 62,8 beside a headline of 62,3 because the accounts' economic
    indicators replaced the entered ones. An entered value is now the level, the accounts give
    the change: the baseline is ``score(observations)`` itself."""
    fin = ce.datasets.load("la_butinerie", table="finances")
    entered = _butinerie_entered({"autofinancement": 0.6, "dependance_principal_financeur": 0.5,
                                  "resultat_net": 0.02, "heures_benevolat": 1.0})
    prof = ce.valuation.stress_profile(fin, "cooperation_territoriale", observations=entered,
                                       which=["largest_funder_leaves"])
    sc = ce.score(entered, ce.load_framework("cooperation_territoriale"))
    ref = sc[sc["level"].isin(["dimension", "overall"])].set_index("node")["score"].dropna()
    got = prof.set_index("node")["baseline"].dropna()
    assert got.index.tolist() == ref.index.tolist()
    np.testing.assert_allclose(got.to_numpy(), ref.to_numpy(), rtol=0, atol=1e-12)


def test_stress_profile_of_values_equal_to_the_accounts_is_the_accounts_profile():
    """Entering exactly what the accounts give changes nothing: entered + (scenario - baseline)
    is the accounts' value under the scenario."""
    fin = ce.datasets.load("la_butinerie", table="finances")
    derived = ce.valuation.socio_economic_model(fin).framework_observations()
    same = derived[["unit", "wave", "indicator", "value"]]
    alone = ce.valuation.stress_profile(fin, "cooperation_territoriale")
    given = ce.valuation.stress_profile(fin, "cooperation_territoriale", observations=same)
    pd.testing.assert_frame_equal(given, alone, check_exact=False, rtol=0, atol=1e-12)
