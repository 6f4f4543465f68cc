"""Tests of the catalogue of monetary reference values.

SMIC values: décrets de revalorisation / Insee series (1 May 2022: 10.85 €,
1 August 2022: 11.07 €, 1 November 2024: 11.88 €). Carbon value: Quinet (2019),
250 € (2030), 500 € (2040), 775 € (2050), euros 2018, interpolated linearly:
2035 → (250 + 500) / 2 = 375; 2045 → (500 + 775) / 2 = 637.5.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import coopeval as ce
from coopeval.errors import ValuationError


@pytest.fixture(autouse=True)
def _clean_user_catalogue():
    ce.valuation.reset_user_catalogue()
    yield
    ce.valuation.reset_user_catalogue()


@pytest.mark.parametrize(
    ("date", "expected"),
    [("2013-06-30", 9.43), ("2021-09-30", 10.25), ("2021-10-01", 10.48), ("2022-04-30", 10.57),
     ("2022-05-01", 10.85), ("2022-08-01", 11.07), ("2023-12-31", 11.52), ("2024-10-31", 11.65),
     ("2024-11-01", 11.88), (dt.date(2025, 6, 1), 11.88), (2020, 10.15)],
)
def test_smic_step_lookup(date, expected):
    v = ce.valuation.reference_value("smic_horaire_brut", date=date)
    assert v.value == pytest.approx(expected, abs=1e-12)
    assert v.unit == "EUR/h"
    assert v.method == "step"
    assert "SMIC" in v.source or "salaire minimum" in v.source


def test_smic_before_catalogue_raises():
    with pytest.raises(ValuationError, match="2012-06-01"):
        ce.valuation.reference_value("smic_horaire_brut", date="2012-06-01")


@pytest.mark.parametrize(("year", "expected"), [(2030, 250.0), (2035, 375.0), (2040, 500.0), (2045, 637.5),
                                                (2050, 775.0), (2032.5, 312.5)])
def test_quinet_trajectory_linear(year, expected):
    v = ce.valuation.reference_value("valeur_action_climat_2019", date=year)
    assert v.value == pytest.approx(expected, abs=1e-9)
    assert v.unit == "EUR2018/tCO2e"
    assert "Quinet" in v.source


def test_quinet_date_mid_year():
    """1 July 2035 is year 2035 + 181/365 → 375 + 25 × 181/365."""
    v = ce.valuation.reference_value("valeur_action_climat_2019", date="2035-07-01")
    assert v.value == pytest.approx(375 + 25 * 181 / 365, rel=1e-12)


@pytest.mark.parametrize("year", [2017, 2051])
def test_trajectory_no_extrapolation(year):
    with pytest.raises(ValuationError, match="no extrapolation"):
        ce.valuation.reference_value("valeur_action_climat_2019", date=year)


def test_volunteer_hour_alias_equals_smic():
    h = ce.valuation.reference_value("heure_benevole_smic_brut", date="2023-06-01")
    assert h.value == ce.valuation.reference_value("smic_horaire_brut", date="2023-06-01").value == 11.52
    assert "ANC" in h.source and "SMIC" in h.source


def test_discount_rate_and_range():
    r = ce.valuation.reference_value("taux_actualisation_france_strategie")
    assert (r.value, r.low, r.high) == (0.045, 0.025, 0.045)


def test_avoided_cost_atd_2013_consistent_with_total():
    """ATD Quart Monde (2013): 32.97 Md€ / 2 163 060 persons = 15 242 € (to 1 €)."""
    v = ce.valuation.reference_value("cout_privation_emploi_atd_2013", date="2013-11-14")
    assert v.value == pytest.approx(32.97e9 / 2_163_060, abs=1.0)
    assert v.flags == ()
    assert v.basis == "person"


def test_every_entry_is_sourced():
    cat = ce.valuation.catalogue()
    assert len(cat) >= 10
    assert cat["source"].str.len().gt(20).all()
    assert cat["unit"].str.len().gt(0).all()
    for name in cat["name"]:
        entry = cat.set_index("name").loc[name]
        date = 2040 if entry["method"] == "linear" else None
        ref = ce.valuation.reference_value(name, date=date)
        assert ref.source and ref.unit


def test_unknown_name_suggests():
    with pytest.raises(ValuationError, match="smic_horaire_brut"):
        ce.valuation.reference_value("smic_horaire")


def test_add_proxy_requires_source_and_is_listed():
    with pytest.raises(ValuationError, match="source"):
        ce.valuation.add_proxy("loyer_m2_pantin", 20.0, "EUR/m2/mois", "")
    ce.valuation.add_proxy("loyer_m2_pantin", 20.0, "EUR/m2/mois", "Observatoire des loyers (hypothèse de test)")
    assert ce.valuation.reference_value("loyer_m2_pantin").value == 20.0
    cat = ce.valuation.catalogue()
    assert cat.set_index("name").loc["loyer_m2_pantin", "origin"] == "user"
    with pytest.raises(ValuationError, match="low <= value <= high"):
        ce.valuation.add_proxy("x", 5.0, "EUR", "src", low=6.0, high=7.0)


def test_load_user_catalogue(tmp_path):
    path = tmp_path / "mes_proxies.yaml"
    path.write_text(
        "repas_cantine:\n  unit: EUR/repas\n  method: constant\n  date: 2023-01-01\n  value: 9.5\n"
        "  source: Tarif affiché de la cantine (prix libre orienté)\n",
        encoding="utf-8",
    )
    assert ce.valuation.load_catalogue(path) == ["repas_cantine"]
    assert ce.valuation.reference_value("repas_cantine", date="2023-06-01").value == 9.5
    later = ce.valuation.reference_value("repas_cantine", date="2024-06-01")
    assert later.value == pytest.approx(9.5 * 1.020, rel=1e-12)  # Insee: +2,0 % en moyenne annuelle en 2024
    assert later.flags == ("outside_validity", "adjusted_cpi")


def test_load_invalid_catalogue_collects_issues(tmp_path):
    path = tmp_path / "bad.yaml"
    path.write_text("a:\n  method: step\n  unit: EUR\n  source: s\nb:\n  method: weird\n", encoding="utf-8")
    with pytest.raises(ValuationError) as err:
        ce.valuation.load_catalogue(path)
    assert len(err.value.issues) >= 3


# --- issue 18: the carbon value for every year, validity flags, catalogue version ---------------

@pytest.mark.parametrize(("year", "published"), [(2018, 54.0), (2020, 87.0), (2030, 250.0), (2040, 500.0),
                                                 (2050, 775.0)])
def test_quinet_2019_published_points(year, published):
    """Quinet (2019), France Stratégie, table of the recommended trajectory in €2018;
    independent copy: PyLUCCBA resources/externality/co2_prices_fr.csv, series SPC2019."""
    assert ce.valuation.reference_value("valeur_action_climat_2019", date=year).value == published


def test_quinet_2019_defined_every_year_and_rule_consistent_with_source():
    """Defined for every year 2018–2050 (no refusal in the current year any more). The
    report's 2020 point (87) is the straight line 2018 → 2030 (54 → 250) rounded to the euro:
    54 + 196 × 2/12 = 86.67, i.e. the linear rule reproduces the published point within 0.5 €."""
    values = [ce.valuation.reference_value("valeur_action_climat_2019", date=y).value for y in range(2018, 2051)]
    assert len(values) == 33 and all(np.diff(values) > 0)
    assert 54 + (250 - 54) * 2 / 12 == pytest.approx(87, abs=0.5)
    assert ce.valuation.reference_value("valeur_action_climat_2019", date=2026).value == pytest.approx(
        87 + (250 - 87) * 6 / 10, rel=1e-12)
    assert ce.valuation.reference_value("valeur_action_climat_2019", date=2026).price_year == 2018


def test_step_series_after_valid_until_is_flagged():
    """The SMIC of the catalogue is known complete up to 1 January 2025: in 2026 the value is
    the last one (11.88 €) but flagged, never silently."""
    v = ce.valuation.reference_value("smic_horaire_brut", date="2026-03-01")
    assert v.value == 11.88 and v.flags == ("outside_validity",)
    assert ce.valuation.reference_value("smic_horaire_brut", date="2024-12-01").flags == ()


def test_price_index_chain_matches_published_two_year_inflation():
    """france-inflation.com table « Inflation 2023 par poste »: +5.2 % (2022), +4.9 % (2023),
    +10.4 % over the two years (Insee annual averages)."""
    assert ce.valuation.price_factor(2021, 2023) == pytest.approx(1.104, abs=0.0005)
    idx = ce.valuation.price_index().set_index("year")
    assert idx.loc[2015, "index"] == 100.0
    assert idx.loc[2016, "index"] == pytest.approx(100.19, abs=1e-9)


def test_price_index_published_columns_agree():
    """Comité national routier (2024), INSEE CPI base 2015, metropolitan France: the published
    « Avg variation year » column equals the ratio of the published annual averages (to the
    0.015 point: both are printed rounded to 0.01): 2001 1.63 %, 2008 2.81 %, 2009 0.08 %, 2013 0.86 %, 2017 1.04 %."""
    idx = ce.valuation.price_index().set_index("year")
    for year, published in ((2001, 1.63), (2008, 2.81), (2009, 0.08), (2013, 0.86), (2017, 1.04)):
        assert 100 * idx.loc[year, "inflation"] == pytest.approx(published, abs=0.015)


def test_price_index_extension_close_to_published_monthly_2023():
    """The 2023 index extended with Insee's rounded annual rates (2018–2023) against the mean of
    the twelve monthly 2023 indices (base 2015) published by Insee and reproduced by
    france-inflation.com (114.60 … 118.39, mean 117.47): within 0.1 %."""
    monthly = [114.60, 115.78, 116.79, 117.50, 117.44, 117.65, 117.71, 118.89, 118.26, 118.43, 118.23, 118.39]
    idx = ce.valuation.price_index().set_index("year")
    assert idx.loc[2023, "index"] == pytest.approx(np.mean(monthly), rel=1e-3)
    assert not idx.loc[2023, "published_index"] and idx.loc[2017, "published_index"]
    with pytest.raises(ValuationError, match="from_year"):
        ce.valuation.price_factor(1990, 2020)


def test_adjustment_beyond_last_published_year_stops_and_flags():
    """2024 +2,0 % and 2025 +0,9 % (Insee annual averages): 100 € of 2023 in 2026 euros stop at
    2025, 100 × 1.020 × 1.009 = 102.918, flagged; a 2026 index is not published yet."""
    v, info = ce.valuation.adjust_for_inflation(100.0, 2023, 2026)
    assert v == pytest.approx(102.918, abs=1e-9) and info["to_year"] == 2025
    assert info["flags"] == ("adjusted_cpi", "index_not_published")
    v, info = ce.valuation.adjust_for_inflation(100.0, 2026, 2027)
    assert v == 100.0 and info["flags"] == ("index_not_published",)


def test_price_index_2025_from_insee_january_2026():
    """Insee, Informations rapides n° 8, 15 January 2026 (base 100 in 2015): « L'inflation en
    moyenne annuelle s'établit ainsi à +0,9 %, après +2,0 % en 2024 ». The 2025 index is the
    2024 index × 1.009, a 2024 value in 2025 euros is × 1.009, and the catalogue cites it."""
    idx = ce.valuation.price_index().set_index("year")
    assert idx.index.max() == 2025
    assert idx.loc[2025, "inflation"] == pytest.approx(0.009, abs=1e-12)
    assert idx.loc[2025, "index"] == pytest.approx(idx.loc[2024, "index"] * 1.009, rel=1e-12)
    assert ce.valuation.price_factor(2024, 2025) == pytest.approx(1.009, rel=1e-12)
    v, info = ce.valuation.adjust_for_inflation(100.0, 2024, 2025)
    assert v == pytest.approx(100.9) and info["flags"] == ("adjusted_cpi",)
    import yaml

    from coopeval.resources import indicators_dir

    spec = yaml.safe_load((indicators_dir() / "indices" / "ipc_insee.yaml").read_text(encoding="utf-8"))
    assert "+0,9 %, après +2,0 % en 2024" in spec["quotes"][2025]
    assert "https://www.insee.fr/fr/statistiques/8726461" in spec["quotes"][2025]


def test_catalogue_version_changes_with_user_entries():
    base = ce.valuation.catalogue_version()
    assert base.startswith("2026.1+") and len(base.split("+")[1]) == 12
    ce.valuation.add_proxy("p_version", 1.0, "EUR/u", "source de test")
    assert ce.valuation.catalogue_version() == base + "+user1"
    assert ce.valuation.reference_value("p_version").catalogue_version == base + "+user1"


def test_detention_day_cost_from_the_journal_officiel():
    """Réponse à la question écrite n° 5412 (JO 28/10/2008, p. 9328): 70,81 € per day of
    detention in 2007, all types; 65,82 € (maisons d'arrêt) to 163,24 € (maisons centrales).
    Used in 2023: × CPI 2023/2007 (published 2007 index 90.66), flagged."""
    v = ce.valuation.reference_value("cout_journee_detention_2007", date="2007-12-31")
    assert (v.value, v.low, v.high, v.flags) == (70.81, 65.82, 163.24, ())
    later = ce.valuation.reference_value("cout_journee_detention_2007", date=2023)
    assert later.value == pytest.approx(70.81 * ce.valuation.price_factor(2007, 2023), rel=1e-12)
    assert later.low == pytest.approx(65.82 * later.adjustment_factor, rel=1e-12)
    assert later.flags == ("outside_validity", "adjusted_cpi")


def _entry(name: str) -> dict:
    import yaml

    from coopeval.resources import indicators_dir

    text = (indicators_dir() / "catalogues" / "couts_evites.yaml").read_text(encoding="utf-8")
    return yaml.safe_load(text)[name]


def _quote(name: str) -> str:
    return " ".join(_entry(name)["quote"].split())


def test_emergency_visit_cost_from_the_cour_des_comptes():
    """Health. Sénat, rapport n° 685 (2016-2017), II.B.1.a: the Cour des comptes « évalue à 161,50
    euros le coût pour l'assurance maladie d'un passage aux urgences hospitalières »; the Cour's
    rule of three: « près de 2,5 milliards d'euros en 2011 » / « 15 480 000 passages » = 161,50 €
    (to the cent of the rounded total). Euros of 2011: flagged and adjusted later."""
    v = ce.valuation.reference_value("cout_passage_urgences_cour_des_comptes_2011", date="2011-12-31")
    assert (v.value, v.unit, v.price_year, v.flags) == (161.5, "EUR/passage", 2011, ())
    assert 2.5e9 / 15_480_000 == pytest.approx(v.value, abs=0.01)
    assert "évalue à 161,50 euros le coût pour l'assurance maladie d'un passage" in _quote(v.name)
    assert "15 480 000 passages" in _quote(v.name) and _entry(v.name)["url"].startswith("http://www.senat.fr/")
    later = ce.valuation.reference_value(v.name, date=2024)
    assert later.value == pytest.approx(161.5 * ce.valuation.price_factor(2011, 2024), rel=1e-12)
    assert later.flags == ("outside_validity", "adjusted_cpi")


def test_emergency_hotel_night_from_the_senate_report():
    """Housing. Sénat, rapport n° 193 (2016-2017), Ph. Dallier, as reported by ASH n° 2989: « une
    moyenne de 17,50 € sur l'Ile-de-France et d'un peu plus de 23 € à Paris » per night; kelnews
    (same report): « en moyenne 17 euros par nuit par personne en Ile-de-France »."""
    v = ce.valuation.reference_value("cout_nuitee_hoteliere_idf_2016", date="2016-12-31")
    assert (v.value, v.unit, v.price_year, v.flags) == (17.5, "EUR/nuitée", 2016, ())
    assert "une moyenne de 17,50 € sur l'Ile-de-France" in _quote(v.name)
    assert "Île-de-France" in v.label_fr and "Île-de-France" in v.notes  # its territorial validity
    later = ce.valuation.reference_value(v.name, date=2026)  # the index stops at 2025: flagged
    assert later.value == pytest.approx(17.5 * ce.valuation.price_factor(2016, 2025), rel=1e-12)
    assert later.flags == ("outside_validity", "adjusted_cpi", "index_not_published")


def test_residual_waste_tonne_from_the_ademe_cost_reference():
    """Waste. ADEME, référentiel national des coûts 2006 (synthèse 2009), as reported by the Journal
    de l'environnement: « la médiane du coût aidé hors taxe […] est de 152 euros par tonne
    collectée. De façon plus spécifique, elle est de 164 € pour les OMR »."""
    v = ce.valuation.reference_value("cout_aide_omr_ademe_2006", date="2006-12-31")
    assert (v.value, v.unit, v.price_year, v.flags) == (164.0, "EUR/t", 2006, ())
    assert "elle est de 164 € pour les OMR" in _quote(v.name)
    # used in 2023: × CPI 2023 / CPI 2006 (published 2006 annual average 89.34), flagged
    later = ce.valuation.reference_value(v.name, date=2023)
    idx = ce.valuation.price_index().set_index("year")["index"]
    assert idx[2006] == 89.34
    assert later.value == pytest.approx(164 * idx[2023] / 89.34, rel=1e-12)
    assert later.flags == ("outside_validity", "adjusted_cpi")


def test_food_insecurity_is_listed_as_missing_not_invented():
    """No avoided-cost value without a verifiable published French reference: the category is
    documented as missing (catalogue header and guide), and no entry pretends to cover it."""
    from coopeval.resources import indicators_dir

    header = (indicators_dir() / "catalogues" / "couts_evites.yaml").read_text(encoding="utf-8").split("\n\n")[0]
    assert "food insecurity: MISSING" in header
    cat = ce.valuation.catalogue()
    assert not cat["name"].str.contains("aliment|insecurite|precarite").any()
    for category, name in (("health", "cout_passage_urgences_cour_des_comptes_2011"),
                           ("housing", "cout_nuitee_hoteliere_idf_2016"), ("waste", "cout_aide_omr_ademe_2006"),
                           ("justice", "cout_journee_detention_2007")):
        assert f"# - {category}: {name}" in header and name in set(cat["name"])
