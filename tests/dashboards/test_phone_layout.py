"""The restitution dashboard read on a phone (390 × 844), as a member of the collective would:
nothing wider than the screen, nothing cut at its right edge, in every tab."""

from __future__ import annotations

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}

#: Visible elements of the app, outside tables (which scroll in place), that reach beyond the
#: app's right edge (within the screen): what is there is cut by the app's frame and cannot be read.
_BEYOND = """() => { const vw = Math.min(document.documentElement.clientWidth,
                                       document.querySelector('.ce-app').getBoundingClientRect().right); const out = [];
  for (const e of document.querySelectorAll('.ce-app *')) {
    if (e.offsetParent === null || e.closest('table')) continue;
    const r = e.getBoundingClientRect();
    if (r.width > 0 && r.right > vw) out.push(`${e.tagName}.${String(e.className).slice(0, 60)} right=${Math.round(r.right)}`);
  }
  return out; }"""


@pytest.fixture(scope="module")
def phone(browser, voila_server):
    ctx = browser.new_context(**PHONE)
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    pg.goto(voila_server + "/voila/render/restitution.ipynb")
    pg.wait_for_selector(".ce-overall-score", timeout=240_000)
    yield pg
    ctx.close()


def test_no_tab_is_wider_than_a_phone(phone, screenshot_dir):
    """Every tab fits 390 px: the dropdowns (« Séance et tour de délibération » goes under its
    label) and the text of « Modèle socio-économique » wrap instead of being cut."""
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    tabs = phone.get_by_role("tab")
    for i in range(tabs.count()):
        tabs.nth(i).click()
        phone.wait_for_timeout(1500)
        if "socio" in tabs.nth(i).inner_text():
            phone.wait_for_selector(".ce-socio-economic #stress", state="visible")
            phone.locator(".ce-socio-economic").screenshot(path=str(screenshot_dir / "restitution_telephone_socio.png"))
        assert phone.evaluate(_BEYOND) == [], tabs.nth(i).inner_text()


def test_register_of_decisions_reads_as_cards_on_a_phone(phone, screenshot_dir):
    """The register « Ce que nous avons décidé de mesurer » had ``min-width: 960px``: read by
    scrolling sideways in a 310 px window (found by the user test). On a phone each decision is
    a card, every cell under its column's name, nothing wider than the screen."""
    phone.get_by_role("tab", name="Paroles et actions").click()
    phone.wait_for_selector(".ce-decisions-wrap tbody tr", state="visible")
    wrap = phone.locator(".ce-decisions-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    cell = phone.locator(".ce-decisions-wrap tbody tr").first.locator("td").first
    label = cell.get_attribute("data-label")
    assert label and cell.evaluate("td => getComputedStyle(td, '::before').content").strip('"').startswith(label)
    wrap.screenshot(path=str(screenshot_dir / "restitution_telephone_decisions.png"))


def test_resources_sentence_says_what_its_numbers_are(phone):
    """The share of the largest funder is that of the largest *non-market* funder, out of the
    monetary resources; the Herfindahl index is named as a concentration of funding."""
    phone.get_by_role("tab", name=re.compile("Modèle socio-économique")).click()
    text = phone.inner_text(".ce-resources-class")
    assert re.search(r"Premier financeur non marchand : .+ \(\d+,\d % des ressources monétaires\)", text)
    assert "Concentration des financements (indice de Herfindahl, de 0 à 1) : 0," in text


def test_facilitator_page_fits_a_phone(browser, voila_server, sample_secret, screenshot_dir):
    """The facilitator page on a phone: fields no wider than the screen, a college's name not
    cut in the middle of a word in the list of links (only the link itself may break). The sample
    is made as ``coopeval serve`` makes it (its secret set before its links are issued): its
    links are listed, none « illisible » (the user test saw them all so)."""
    ctx = browser.new_context(**PHONE)
    pg = ctx.new_page()
    pg.set_default_timeout(120_000)
    try:
        pg.goto(voila_server + "/voila/render/animation.ipynb")
        pg.wait_for_selector(".ce-secret input", timeout=240_000)
        pg.fill(".ce-secret input", sample_secret)
        pg.click(".ce-login")
        pg.wait_for_selector(".ce-issue", timeout=240_000)
        pg.select_option(".ce-session select", value="atelier_2025")
        pg.wait_for_selector(".ce-links tbody tr")
        sample_links = pg.inner_text(".ce-links")
        assert "illisible" not in sample_links and "http" in sample_links
        assert pg.locator(".ce-links tbody tr").count() == 25  # the sample's 25 participants
        pg.fill(".ce-new-session input", "atelier_telephone")
        pg.press(".ce-new-session input", "Tab")
        pg.click(".ce-create-session")
        pg.wait_for_function("() => [...document.querySelectorAll('.ce-anim-status')]"
                             ".some(e => e.innerText.includes('créée'))")
        pg.select_option(".ce-college select", label="Habitant·es")
        pg.fill(".ce-count input", "1")
        pg.press(".ce-count input", "Tab")
        pg.click(".ce-issue")
        pg.wait_for_selector(".ce-links tbody tr:has-text('hab-01')")
        assert pg.evaluate(_BEYOND.replace(".ce-app", ".ce-anim")) == []
        college = pg.locator(".ce-links tbody tr", has_text="hab-01").locator("td").nth(1)
        assert college.inner_text() == "Habitant·es"
        lines = college.evaluate("td => { const r = document.createRange(); r.selectNodeContents(td);"
                                 " return r.getClientRects().length; }")
        assert lines == 1  # « Habitant·es » on one line, not « Habitant / ·es »
        pg.screenshot(path=str(screenshot_dir / "animation_telephone.png"), full_page=True)
    finally:
        ctx.close()
