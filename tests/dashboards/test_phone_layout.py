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
        label = pg.locator(".ce-session select option", has_text="(atelier_2025)").first.inner_text()
        pg.select_option(".ce-session select", label=label)
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


#: Smallest figure text a participant is asked to read on the phone, in CSS pixels (the figures
#: drawn for a phone have no text under 9 pt, 12 px at their natural size; the page's column
#: may shrink them a little).
MIN_FIGURE_TEXT_PX = 10

#: Every visible figure: whether the phone's drawing is shown, its smallest text as shown (CSS px:
#: the drawing's smallest text at its natural size, ``data-phone-text-px`` or ``data-text-px``,
#: scaled by the width it is shown at), and how far it reaches right.
_FIGURES = """(root) => [...document.querySelectorAll(root + ' img')].filter(i => i.offsetParent !== null)
  .map(i => { const phone = i.currentSrc !== i.src;
    const px = Number(phone ? i.dataset.phoneTextPx : i.dataset.textPx) * i.clientWidth / i.naturalWidth;
    return {cls: i.className || i.alt.slice(0, 30), phone, text_px: Math.round(px * 10) / 10,
            right: Math.round(i.getBoundingClientRect().right)}; })"""


def test_figures_are_drawn_for_the_phone_and_readable(phone, screenshot_dir):
    """User test: the radar, the cycle, the themes, the stress test and the weights were A4 images
    squeezed to 320 px (text of 5–6 px). On a phone each is its phone drawing, its smallest text
    at least :data:`MIN_FIGURE_TEXT_PX` as shown, nothing beyond the screen's edge."""
    seen = {}
    for tab, root in (("Profil", ".ce-app"), ("Paroles et actions", ".ce-evidence"),
                      ("Poids et désaccords", ".ce-app"), (re.compile("Modèle socio-économique"), ".ce-app")):
        phone.get_by_role("tab", name=tab).click()
        phone.wait_for_timeout(1500)
        phone.wait_for_function("(r) => [...document.querySelectorAll(r + ' img')].some(i => i.offsetParent"
                                " !== null && i.complete && i.naturalWidth > 0)", arg=root)
        figures = phone.evaluate(_FIGURES, root)
        assert figures, tab
        for f in figures:
            seen[f["cls"]] = f["text_px"]
            assert f["phone"], f
            assert f["text_px"] >= MIN_FIGURE_TEXT_PX, f
            assert f["right"] <= 390, f
    assert {"ce-fig ce-fig-radar", "ce-fig ce-fig-weights"} <= set(seen)
    print("smallest figure text on a 390-px phone (CSS px):", seen)
    phone.get_by_role("tab", name="Profil").click()
    phone.locator("img.ce-fig-radar").screenshot(path=str(screenshot_dir / "restitution_telephone_radar.png"))


def test_cofinancing_and_stress_tables_read_as_cards_on_a_phone(phone, screenshot_dir):
    """« Qui pourrait co-financer quoi » (seven columns) scrolled sideways at 390 px (user test):
    each beneficiary is now a card, every cell under its column's name; so are the tables of the
    stress test. None is wider than its box or the screen."""
    phone.get_by_role("tab", name=re.compile("Modèle socio-économique")).click()
    phone.wait_for_selector(".ce-socio-economic #ledger ~ table tbody tr", state="visible")
    tables = phone.locator(".ce-socio-economic table")
    assert tables.count() >= 2
    for i in range(tables.count()):
        box = tables.nth(i)
        assert box.evaluate("e => e.scrollWidth <= e.clientWidth + 1 && e.getBoundingClientRect().right <= 390"), i
    cell = phone.locator(".ce-socio-economic #ledger ~ table tbody tr").first.locator("td").nth(3)
    label = cell.get_attribute("data-label")
    assert label.startswith("Valeur estimée")
    shown = cell.evaluate("td => getComputedStyle(td, '::before').content").strip('"')
    assert shown.startswith(label)
    assert phone.evaluate("() => document.documentElement.scrollWidth") <= 390
    phone.locator(".ce-socio-economic #ledger ~ table").screenshot(
        path=str(screenshot_dir / "restitution_telephone_cofinancer.png"))


@pytest.fixture(scope="module")
def report_file(sample_project, tmp_path_factory):
    """The restitution report of the sample's first cooperation, last wave (as downloaded)."""
    import coopeval as ce
    from coopeval.evaluation import Evaluation
    from coopeval.store import Project

    ev = Evaluation.from_project(Project.open(sample_project))
    path = tmp_path_factory.mktemp("rapport") / "rapport.html"
    ce.report.restitution(ev, "u01", ev.waves[-1], path=path)
    return path


@pytest.mark.parametrize("width", [390, 1280])
def test_report_reads_on_a_phone_and_a_desktop(browser, report_file, screenshot_dir, width):
    """The HTML report had no viewport: a phone laid it out 980 px wide and shrank it (text of
    about 6 px). At 390 px: nothing wider than the screen, tables as cards, figures drawn for a
    phone with text of at least :data:`MIN_FIGURE_TEXT_PX`; at 1280 px the A4 figures as before."""
    mobile = width < 600
    ctx = browser.new_context(viewport={"width": width, "height": 844 if mobile else 800}, is_mobile=mobile,
                              has_touch=mobile, locale="fr-FR")
    try:
        pg = ctx.new_page()
        pg.goto(report_file.as_uri())
        pg.wait_for_function("() => [...document.images].every(i => i.complete)")
        figures = pg.evaluate(_FIGURES, "body")
        assert len(figures) >= 10
        if mobile:
            assert pg.evaluate("() => document.documentElement.scrollWidth") <= 390
            wide = pg.evaluate("() => [...document.querySelectorAll('table, figure, pre')].filter(e => "
                               "e.getBoundingClientRect().right > 390 || e.scrollWidth > e.clientWidth + 1)"
                               ".map(e => e.tagName + ' ' + (e.previousElementSibling || {}).textContent)")
            assert wide == []
            phone_drawn = [f for f in figures if f["phone"]]
            assert len(phone_drawn) >= 5  # radar, cycle, themes, stress test, weights
            assert all(f["text_px"] >= MIN_FIGURE_TEXT_PX for f in phone_drawn), phone_drawn
            cofin = pg.locator("#ledger ~ table td").first
            assert cofin.evaluate("td => getComputedStyle(td).display") == "block"
            assert pg.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)") >= 16
            pg.locator("#ledger").scroll_into_view_if_needed()
        else:
            assert not any(f["phone"] for f in figures)
        pg.screenshot(path=str(screenshot_dir / f"rapport_{width}.png"), full_page=True)
    finally:
        ctx.close()
