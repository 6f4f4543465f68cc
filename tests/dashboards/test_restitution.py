"""The restitution dashboard, served by Voilà and used in headless Chromium as a person would."""

from __future__ import annotations

import base64
import re

import pytest

from coopeval.evaluation import Evaluation
from coopeval.i18n import fmt

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _number(text: str) -> float:
    return float(text.replace("−", "-").replace(",", "."))


def _selected_unit(page, evaluation) -> str:
    """The id of the cooperation selected in the dropdown (which shows names)."""
    name = page.locator(".ce-unit select").evaluate("e => e.options[e.selectedIndex].text").replace("\xa0", " ")
    by_name = evaluation.units.set_index("name")["unit"]
    return by_name[name]


@pytest.fixture(scope="module")
def evaluation(sample_project):
    from coopeval.store import Project

    return Evaluation.from_project(Project.open(sample_project))


@pytest.fixture(scope="module")
def page(browser, voila_server):
    context = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    pg = context.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(voila_server + "/voila/render/restitution.ipynb")
    pg.wait_for_selector(".ce-overall-score", timeout=180_000)
    yield pg
    context.close()


def test_loads_in_french_with_scores_of_the_package(page, evaluation, screenshot_dir):
    assert "Restitution de l'évaluation" in page.inner_text(".ce-title")
    unit = _selected_unit(page, evaluation)
    wave = evaluation.waves[-1]
    expected = evaluation.overall(wave=wave).set_index("unit").loc[unit]
    assert page.inner_text(".ce-overall-score") == fmt(expected["score"], "fr")
    assert int(page.inner_text(".ce-overall-rank")) == int(expected["rank"])
    page.screenshot(path=str(screenshot_dir / "restitution_profil.png"), full_page=True)


def test_pick_cooperation_and_wave(page, evaluation):
    units = evaluation.units["unit"].tolist()
    target_unit, target_wave = units[3], evaluation.waves[1]
    page.select_option(".ce-unit select", label=evaluation.units.set_index("unit").loc[target_unit, "name"])
    page.select_option(".ce-wave select", label=str(target_wave))
    expected = evaluation.overall(wave=target_wave).set_index("unit").loc[target_unit]
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel) && document.querySelector(sel).innerText === want",
        arg=[".ce-overall-score", fmt(expected["score"], "fr")],
    )
    assert int(page.inner_text(".ce-overall-rank")) == int(expected["rank"])


def test_moving_a_weight_slider_rescoring(page, evaluation, screenshot_dir):
    unit = _selected_unit(page, evaluation)
    shown_wave = page.locator(".ce-wave select").evaluate("e => e.options[e.selectedIndex].text")
    wave = next(w for w in evaluation.waves if str(w) == shown_wave)
    page.get_by_role("tab", name=re.compile("Et si")).click()
    before = page.inner_text(".ce-whatif-value")
    slider = page.locator(".ce-slider-gouvernance .ui-slider-handle, .ce-slider-gouvernance .noUi-handle").first
    slider.focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    weights = {d: float(v) for d, v in evaluation.dimension_weights().mul(100).round(1).items()}
    weights["gouvernance"] += 10
    expected = evaluation.what_if(weights, wave=wave).set_index("unit").loc[unit]
    page.wait_for_function(
        "([sel, want]) => document.querySelector(sel).innerText === want",
        arg=[".ce-whatif-value", fmt(expected["score"], "fr")],
    )
    assert page.inner_text(".ce-whatif-value") != before
    assert int(page.inner_text(".ce-whatif-rank")) == int(expected["rank"])
    page.screenshot(path=str(screenshot_dir / "restitution_et_si.png"), full_page=True)


def test_switch_to_english(page):
    page.get_by_text("EN", exact=True).click()
    page.wait_for_function("() => document.querySelector('.ce-title').innerText.includes('Evaluation feedback')")
    page.get_by_text("FR", exact=True).click()
    page.wait_for_function("() => document.querySelector('.ce-title').innerText.includes('Restitution')")


def test_download_the_restitution_report(page):
    page.get_by_role("tab", name=re.compile("Rapport")).click()
    page.locator(".ce-report-button").click()
    link = page.wait_for_selector("a.ce-report-download", timeout=120_000)
    href = link.get_attribute("href")
    assert href.startswith("data:text/html;base64,")
    html = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    assert "<h1" in html and "Restitution" in html


def test_voices_and_actions_tab(page, evaluation, screenshot_dir):
    """Issue 17: the tab « Paroles et actions » shows last waves' actions with the change of their
    criteria, the progress grids and the extracts — no small college named."""
    from coopeval.report.learning import follow_up_texts

    page.select_option(".ce-unit select", label=evaluation.units.set_index("unit").loc["u01", "name"])
    page.select_option(".ce-wave select", label=str(evaluation.waves[-1]))
    page.get_by_role("tab", name=re.compile("Paroles et actions")).click()
    texts = follow_up_texts(evaluation.actions("u01", evaluation.waves[-1]), evaluation.fw)["text"]
    last = texts.iloc[-1]  # the action decided at the previous wave: shown only at the last wave
    page.wait_for_function("(want) => document.querySelector('.ce-evidence') && "
                           "document.querySelector('.ce-evidence').innerText.includes(want)", arg=last[:70])
    text = page.inner_text(".ce-evidence").replace("\xa0", "\u202f")
    for sentence in texts:  # every sentence as the package writes it
        assert sentence in text, sentence
    assert "Grilles de progrès" in text and "Ce qu'en disent les personnes" in text
    assert "Collectivités" not in text
    page.screenshot(path=str(screenshot_dir / "restitution_paroles_actions.png"), full_page=True)


def _show_socio_economic(pg, evaluation, wave) -> str:
    """Pick u01 and ``wave``, open the tab « Modèle socio-économique », return its text."""
    pg.select_option(".ce-unit select", label=evaluation.units.set_index("unit").loc["u01", "name"])
    pg.select_option(".ce-wave select", label=str(wave))
    pg.get_by_role("tab", name=re.compile("Modèle socio-économique")).click()
    pg.wait_for_selector(".ce-socio-economic #ledger", state="visible")
    pg.wait_for_function(  # the section of this wave, not the one drawn for the previous choice
        "(want) => document.querySelector('.ce-socio-economic').innerText.includes(want)",
        arg=f"saisis pour la vague {wave}.")
    return pg.inner_text(".ce-socio-economic")


def _spaces(text: str) -> str:
    return re.sub(r"[\u00a0\u202f ]+", " ", text)


def test_socio_economic_tab_shows_the_stress_test_and_the_ledger(page, browser, voila_server, evaluation,
                                                                 screenshot_dir):
    """Issue 18: the tab « Modèle socio-économique » shows the report's sections read from the same
    evaluation — the cash balance under stress (the sample has resources but no costs: said so)
    and « Qui pourrait co-financer quoi » with the numbers of Evaluation.ledger_of (the sample's
    ledger, coopeval/store/sample_ledger.py). Screenshots at 1280 wide and on a 390 x 844 phone."""
    from coopeval.report.cofinancing import cofinancing_table

    wave = evaluation.waves[-1]
    text = _show_socio_economic(page, evaluation, wave).replace("\xa0", "\u202f")
    stress = evaluation.stress_of("u01", wave)
    base = stress.query("indicator == 'cash_balance'")["baseline"].iloc[0]
    assert f"{fmt(base, 'fr', 0)} €" in text
    assert "aucune charge n'est saisie pour cette vague" in text
    assert "Qui pourrait co-financer quoi" in text and "Aucun effet utile n'est inscrit" not in text
    table = cofinancing_table(evaluation.ledger_of("u01", wave))
    assert len(table) == 2
    for cell in table.to_numpy().ravel():  # every cell of the package's table, numbers included
        assert _spaces(str(cell)) in _spaces(text), cell
    page.locator(".ce-socio-economic").screenshot(path=str(screenshot_dir / "restitution_modele_socio_economique.png"))
    page.locator(".ce-socio-economic #ledger ~ table tr").last.scroll_into_view_if_needed()
    page.screenshot(path=str(screenshot_dir / "restitution_cofinancer_1280.png"))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                locale="fr-FR")
    try:
        pg = phone.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(voila_server + "/voila/render/restitution.ipynb")
        pg.wait_for_selector(".ce-overall-score", timeout=180_000)
        assert "Qui pourrait co-financer quoi" in _show_socio_economic(pg, evaluation, wave)
        pg.locator(".ce-socio-economic #ledger ~ table tr").last.scroll_into_view_if_needed()
        pg.screenshot(path=str(screenshot_dir / "restitution_cofinancer_390x844.png"))
    finally:
        phone.close()
