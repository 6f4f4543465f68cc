"""The restitution's socio-economic sections (issue 18): the model under stress and « Qui
pourrait co-financer quoi », read from one Evaluation of a project holding La Butinerie's case.

La Butinerie's figures come from the founding report (Le Labo de l'ESS, 2024, fiche « La
Butinerie », section « Un modèle économique hybride… », seed/vers-une-societe-de-la-cooperation-2024.md):
« prêts à rembourser (287 000 € d'emprunts) », « 100 000 € de charges salariales »,
« 75 000 € de charges fixes et impôts en 2023 », « 230 000 € de budget », « La Butinerie noue une
convention triennale avec la Ville de Pantin. Au-delà d'un soutien financier (40 000€) », « un
premier conventionnement auprès de l'ARS », « a conventionné avec un premier acteur mutualiste »
(Solimut). Each line of the bundled ``la_butinerie`` dataset carries its quote
(tests/datasets/test_la_butinerie.py checks them against the report).
"""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

import coopeval as ce

UNIT, WAVE, NAME = "la_butinerie", "2023", "La Butinerie"


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A project holding La Butinerie's 2023 finances, its ledger and conventions, and the
    economic indicators its finances give (the only observations the report gives)."""
    b = ce.datasets.load("la_butinerie")
    fin = b["finances"]
    p = ce.store.Project.create(tmp_path_factory.mktemp("but") / "butinerie.coopeval",
                                framework="cooperation_territoriale")
    p.add_units(pd.DataFrame({"unit": [UNIT], "name": [NAME]}))
    res = fin.dropna(subset=["amount"]).rename(columns={"line": "category"})
    p.import_resources(res[["unit", "wave", "source", "category", "amount", "unit_of_measure"]])
    obs = ce.valuation.socio_economic_model(fin).framework_observations()
    p.import_observations(obs[["unit", "wave", "indicator", "value"]])
    p.import_ledger(b["externalites"], b["conventions"], wave=WAVE)
    return p


@pytest.fixture(scope="module")
def ev(project):
    return ce.Evaluation.from_project(project, n=50)


@pytest.fixture(scope="module")
def report_fr(ev, tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "restitution.html"
    ce.report.restitution(ev, NAME, 2023, path=path)
    return path.read_text(encoding="utf-8")  # the rendered file, as a collective receives it


def _section(doc: str, key: str) -> str:
    return doc.split(f'<h2 id="{key}">')[1].split("<h2")[0]


def _rows(part: str) -> list[list[str]]:
    body = part.split("<tbody>")[1].split("</tbody>")[0]
    return [[html.unescape(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body)]


def test_the_evaluation_reads_the_stored_case(ev):
    """The door is the one Evaluation: its queries give what the valuation functions give on
    the dataset (the stored waves are written as whole numbers)."""
    b = ce.datasets.load("la_butinerie")
    direct = ce.valuation.stress_test(b["finances"].dropna(subset=["amount"]),
                                      proxies={"h": "heure_benevole_smic_brut"})
    via = ev.stress_of(UNIT, 2023)
    cols = ["scenario", "indicator", "baseline", "stressed", "change"]
    pd.testing.assert_frame_equal(via[cols].reset_index(drop=True), direct[cols].reset_index(drop=True))
    led = ev.ledger_of(UNIT, "2023")
    assert led.year == 2023
    assert led.cofinancing["beneficiary"].tolist() == ["Ville de Pantin", "ARS Île-de-France", "Solimut",
                                                        "habitant·es et usager·ères", "climat"]
    model = ev.socio_economic_model().wide().iloc[0]
    assert model["outstanding_loans"] == 287_000  # « 287 000 € d'emprunts »


def test_stress_section_shows_the_report_figures(report_fr):
    part = _section(report_fr, "stress")
    assert html.unescape(part).startswith("Le modèle socio-économique sous tension</h2>")
    assert part.count("<figure>") == 1 and '<div class="read"><strong>Comment lire cette figure ?' in part
    # budget 230 000 € balanced by the dataset's declared hypothesis: resources 100 000 + 40 000 + 25 000
    # + 65 000, costs 100 000 (wages) + 75 000 (fixed costs and taxes) + 55 000 (not broken down) → 0 €;
    # the City of Pantin (40 000 €, the largest non-market funder) leaves → −40 000 €; the 287 000 € of
    # loans called at once → −287 000 €; no volunteering is valued → no change.
    assert _rows(part) == [["Situation de référence", "0 €", "–"],
                           ["Le principal financeur se retire", "−40\u202f000 €", "−40\u202f000 €"],
                           ["Le bénévolat baisse d'un tiers", "0 €", "0 €"],
                           ["Un emprunt est exigé (remboursement immédiat)", "−287\u202f000 €", "−287\u202f000 €"]]


def test_ledger_section_shows_who_could_cofinance_what(report_fr):
    part = _section(report_fr, "ledger")
    assert html.unescape(part).startswith("Qui pourrait co-financer quoi</h2>")
    rows = {r[0]: r for r in _rows(part)}
    assert list(rows) == ["Ville de Pantin", "ARS Île-de-France", "Solimut", "habitant·es et usager·ères", "climat"]
    assert rows["Ville de Pantin"][1:] == [
        "Commune ou intercommunalité",
        "cuisine collective et repas partagés pour des habitant·es accueilli·es par les services sociaux",
        "à quantifier", "convention triennale", "40\u202f000\u00a0€", "–"]
    # the report gives no amount for the ARS and mutual-insurer conventions: said, never « 0 € »
    assert rows["ARS Île-de-France"][4:6] == ["premier conventionnement (parcours alimentation-santé)",
                                              "montant non renseigné"]
    assert rows["Solimut"][1] == "Assurance maladie ou mutuelle" and rows["Solimut"][5] == "montant non renseigné"
    assert rows["climat"][-1] == "invendus cuisinés plutôt que jetés (émissions évitées)"
    text = html.unescape(part)
    assert "5 effet(s) utile(s) sur 5 reste(nt) à quantifier" in text
    assert "Catalogue des valeurs : version " + ce.valuation.catalogue_version() in text


#: Words that are English and not French (a French page must not contain them).
ENGLISH = {"the", "and", "of", "with", "who", "could", "what", "which", "value", "cash", "balance", "baseline",
           "loan", "loans", "funder", "missing", "amount", "how", "this", "that", "from",
           "none", "yet", "read", "leaves", "called", "wave", "weights", "costs", "resources", "stress",
           "ledger", "quantify", "signed", "households", "climate", "municipality", "body",
           "health", "insurer", "beneficiary", "effects", "model", "hybrid", "scenario", "event"}
# (« convention », « figure », « table », « change » are French words too)


def _visible_words(doc: str) -> list[str]:
    body = doc.split("<body>")[1]
    # publications are cited in their own language: the list of references is left out
    body = re.sub(r"<h3>Références</h3><ul>.*?</ul>", "", body, flags=re.S)
    body = re.sub(r'src="[^"]*"', "", body)
    text = html.unescape(re.sub(r"<[^>]+>", " ", body))
    return re.findall(r"[a-zA-Z]+", text)


def test_no_english_word_on_the_french_page(report_fr):
    words = _visible_words(report_fr)
    assert len(words) > 500  # the scan reads the page
    assert sorted({w for w in words if w.lower() in ENGLISH}) == []
    assert sorted({w for w in _visible_words(ce.report.restitution(ce.Evaluation.from_project(
        _project_without_ledger(), n=20), "u01", 1)) if w.lower() in ENGLISH}) == []


def _project_without_ledger():
    import tempfile
    from pathlib import Path

    p = ce.store.Project.create(Path(tempfile.mkdtemp()) / "p.coopeval", framework="cooperation_territoriale")
    obs = ce.datasets.load("panel_synthetique", table="observations")
    p.import_observations(obs[obs["unit"].isin(["u01", "u02"]) & (obs["wave"] == 1)])
    return p


def test_the_english_page_is_english(ev):
    doc = ce.report.restitution(ev, NAME, 2023, lang="en")
    assert '<html lang="en">' in doc
    assert html.unescape(_section(doc, "stress")).startswith("The socio-economic model under stress</h2>")
    part = _section(doc, "ledger")
    assert html.unescape(part).startswith("Who could co-finance what</h2>")
    assert ["Situation de référence"] not in [r[:1] for r in _rows(_section(doc, "stress"))]
    assert _rows(_section(doc, "stress"))[0][0] == "Baseline"


def test_without_finances_or_ledger_a_sentence_says_so():
    p = _project_without_ledger()
    doc = ce.report.restitution(ce.Evaluation.from_project(p, n=20), "u01", 1)
    stress, ledger = html.unescape(_section(doc, "stress")), html.unescape(_section(doc, "ledger"))
    assert "Aucune ressource, charge ni emprunt n'est saisi pour u01 à la vague 1" in stress
    assert "<figure>" not in stress and "<table>" not in stress
    assert "Aucun effet utile n'est inscrit au registre des externalités de u01 pour la vague 1" in ledger
    assert "<table>" not in ledger


def test_resources_without_costs_are_not_passed_off_as_a_balance():
    """The bundled panel has resources but no cost: the stress section says that its « balance »
    is the resources alone (La Butinerie's, with its costs, carries no such warning)."""
    ev = ce.Evaluation.sample(n=50)
    part = html.unescape(_section(ce.report.restitution(ev, "u01", 3), "stress"))
    assert "aucune charge n'est saisie pour cette vague" in part


def test_no_costs_warning_absent_with_costs(report_fr):
    assert "aucune charge n'est saisie" not in html.unescape(_section(report_fr, "stress"))


def test_stress_section_shows_what_happens_to_the_profile(ev, report_fr):
    """The stress test's effect on the social-utility profile (issue 18, deliver 2): the report's
    table gives, per scenario, what `ce.valuation.stress_profile` gives on the dataset's finances
    scored with the evaluation's own options, and its baseline is the profile the rest of the
    report shows (`ev.scores()`)."""
    b = ce.datasets.load("la_butinerie")
    direct = ce.valuation.stress_profile(b["finances"].dropna(subset=["amount"]), "cooperation_territoriale",
                                         proxies={"h": "heure_benevole_smic_brut"})
    eco = direct.query("node == 'economie'").set_index("scenario")
    shown = ev.scores().query("node == 'economie'")["score"].iloc[0]
    assert eco["baseline"].round(9).unique().tolist() == [round(shown, 9)]
    part = _section(report_fr, "stress").split("<h3>")[1]
    assert html.unescape(part).startswith("Et l'utilité sociale ?")
    rows = {r[0]: r for r in _rows(part)}
    names = ce.valuation.scenarios("fr").set_index("scenario")["label"]
    leaves = rows[names["largest_funder_leaves"]]
    drop = eco.loc["largest_funder_leaves"]
    assert drop["change"] < -1  # the largest funder (Ville de Pantin, 40 000 €) leaving lowers « Économie »
    label = ce.load_framework("cooperation_territoriale").label("economie", "fr")
    want = (f"{label} : {ce.i18n.fmt(drop['baseline'], 'fr', 1)} → {ce.i18n.fmt(drop['stressed'], 'fr', 1)} "
            f"({ce.i18n.fmt(drop['change'], 'fr', 1, signed=True)})")
    assert leaves[2] == want and leaves[1] == "–"  # no overall score: only the economic indicators are known
    assert rows[names["volunteering_minus_third"]][2] == "aucune"  # no volunteering valued: nothing moves
