"""The facilitator page, served by a real Voilà and used in headless Chromium.

A project of its own replays the bundled deliberation ``deliberation_exemple`` (25
participants, 5 colleges, 2 rounds) through the store, with the participants' tokens.
The page must show the agreement figures that :mod:`coopeval.weighting` computes on
the same judgements; then a facilitator runs a new session from the page (links,
open, follow, close) while a participant answers from a phone.
"""

from __future__ import annotations

import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSION = "atelier_2025"
SECRET = "code-animation-navigateur"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}


@pytest.fixture(scope="module")
def replayed(tmp_path_factory):
    """The bundled deliberation replayed in a fresh project: every answer submitted with its token."""
    import coopeval as ce
    from coopeval.store import Project

    j = ce.datasets.load("deliberation_exemple")
    path = tmp_path_factory.mktemp("animation") / "animation.sqlite"
    p = Project.create(path, framework="cooperation_territoriale")
    p.set_facilitator_secret(SECRET)
    p.create_session(SESSION, title="Atelier exemple")
    roster = j[["participant", "college"]].drop_duplicates("participant")
    tokens = p.add_participants(SESSION, roster).set_index("participant")["token"]
    for rnd, rj in j.groupby("round"):
        p.open_round(SESSION, int(rnd))
        for who, pj in rj.groupby("participant"):
            p.submit(tokens[who], pj.drop(columns=["session", "round", "participant", "college"]))
        p.close_round(SESSION, int(rnd))
    return {"path": path, "project": p, "fw": p.framework()}


@pytest.fixture(scope="module")
def server(replayed, voila_factory):
    with voila_factory(replayed["path"], "animation") as base:
        yield base


@pytest.fixture(scope="module")
def page(browser, server):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000}, locale="fr-FR")
    pg = ctx.new_page()
    pg.set_default_timeout(180_000)
    pg.goto(server + "/voila/render/animation.ipynb")
    login(pg)
    pg.wait_for_selector(".ce-agreement", timeout=240_000)
    yield pg
    ctx.close()


def login(pg, secret: str = SECRET) -> None:
    """The facilitator page asks for the secret first: a wrong one is refused in French."""
    pg.wait_for_selector(".ce-secret input", timeout=240_000)
    assert pg.locator(".ce-agreement").count() == 0 and pg.locator(".ce-issue").count() == 0
    pg.fill(".ce-secret input", "pas le bon code")
    pg.click(".ce-login")
    pg.wait_for_selector(".ce-login-status .ce-msg-ko")
    assert "Code incorrect" in pg.inner_text(".ce-login-status")
    pg.fill(".ce-secret input", secret)
    pg.click(".ce-login")


def _status(page, text: str) -> None:
    page.wait_for_function("([t]) => [...document.querySelectorAll('.ce-anim-status')]"
                           ".some(e => e.innerText.includes(t))", arg=[text])


def _cells(page, selector: str) -> list[list[str]]:
    return page.eval_on_selector_all(f"{selector} tbody tr",
                                     "rows => rows.map(r => Array.from(r.cells).map(c => c.innerText.trim()))")


def _shot(page, path) -> None:
    height = page.evaluate("() => Math.max(...[document.body, document.documentElement,"
                           " ...document.querySelectorAll('.jp-Notebook, #rendered_cells, .voila-container')]"
                           ".map(e => e ? e.scrollHeight : 0))")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height, size["height"]), 8000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def test_shows_the_agreement_the_package_computes(page, replayed, screenshot_dir):
    from coopeval.i18n import fmt
    from coopeval.i18n.deliberation import college_name
    from coopeval.weighting import (
        StoppingRule,
        agreement_table,
        contested_nodes,
        delphi_status,
        participant_weights,
    )

    p, fw = replayed["project"], replayed["fw"]
    j = p.judgements(SESSION)
    pw = participant_weights(j[j["round"] == 2], fw)
    expected = agreement_table(pw).set_index("node")
    labels = dict(zip(fw.nodes["node"], fw.nodes["label_fr"], strict=True))
    name = {n: labels[n] if fw.parent(n) == "overall" else f"{labels[fw.parent(n)]} › {labels[n]}"
            for n in expected.index}
    rows = _cells(page, ".ce-agreement")
    assert [r[0] for r in rows] == [name[n] for n in expected.index]
    assert set(fw.children("overall")) <= set(expected.index)
    pct = lambda x, d: f"{fmt(100 * x, 'fr', digits=d)}\u00a0%"  # noqa: E731
    for r, node in zip(rows, expected.index, strict=True):
        e = expected.loc[node]
        assert r[1] == str(int(e["n"]))
        assert r[2] == pct(e["median"], 1)
        assert r[3] == f"{pct(e['q1'], 1)} – {pct(e['q3'], 1)}"
        assert r[4] == fmt(e["cv"], "fr", digits=2)
        assert r[5] == pct(e["pct_agreement"], 0)
        assert r[6] == fmt(e["college_p_value"], "fr", digits=3)
        assert r[7] == ("oui" if e["contested"] else "non")
    # per college (5 members each = the minimum group size: every college is shown)
    header = page.eval_on_selector_all(".ce-agreement-college thead th", "hs => hs.map(h => h.innerText.trim())")
    got = {row[0]: dict(zip(header[1:], row[1:], strict=True)) for row in _cells(page, ".ce-agreement-college")}
    assert header[1:] == [college_name(c) for c in sorted(pw["college"].unique())]  # readable names
    assert all(name[n] in got for n in fw.children("overall"))  # 5 members per college judge every dimension
    not_estimable = False
    for college, g in pw.groupby("college"):
        exp = agreement_table(g).set_index("node")
        for node in exp.index:
            cell = got.get(name[node], {}).get(college_name(college), "–")  # no row: no college shows it
            if exp.at[node, "n"] < 5:  # a node judged by fewer than 5 members of the college is not shown
                assert cell == "–"
            elif exp.at[node, "not_estimable"]:  # each member used another method: no dispersion to read
                assert cell == "non estimable"
                not_estimable = True
            else:
                assert cell == f"{pct(exp.at[node, 'pct_agreement'], 0)} · {fmt(exp.at[node, 'cv'], 'fr', digits=2)}"
    notes = page.eval_on_selector_all("p.ce-not-estimable", "ps => ps.map(p => p.innerText)")
    assert any("chaque membre a utilisé une méthode différente" in t for t in notes) == not_estimable
    # contested dimensions: the package's list, most dispersed first
    contested = contested_nodes(pw)
    shown = page.eval_on_selector_all(".ce-contested-list li b", "bs => bs.map(b => b.innerText.trim())")
    assert shown == [name[n] for n in contested["node"]]
    # stopping rule: the package's decision after each round
    status = delphi_status(j, fw, StoppingRule())
    srows = _cells(page, ".ce-status-table")
    assert [r[0] for r in srows] == [str(r) for r in status["round"]]
    for r, e in zip(srows, status.itertuples(), strict=True):
        assert r[1] == pct(e.share_consensus, 0)
        assert r[3] == ("arrêter" if e.stop else "continuer")
    assert StoppingRule().fingerprint() in page.inner_text(".ce-rule-fingerprint")
    counts = {r[0] for r in _cells(page, ".ce-counts")}
    assert counts == {college_name(c) for c in pw["college"].unique()} and "Salarié·es" in counts
    _shot(page, screenshot_dir / "animation_accord.png")


def test_round_one_figures_when_chosen(page, replayed):
    from coopeval.i18n import fmt
    from coopeval.weighting import agreement_table, participant_weights

    p, fw = replayed["project"], replayed["fw"]
    j = p.judgements(SESSION, 1)
    expected = agreement_table(participant_weights(j, fw)).set_index("node")
    page.select_option(".ce-round select", label="Tour 1")
    first = fw.children("overall")[0]
    want = fmt(expected.at[first, "cv"], "fr", digits=2)
    page.wait_for_function("([w]) => { const r = document.querySelector('.ce-agreement tbody tr');"
                           " return r && r.cells[4].innerText.trim() === w; }", arg=[want])
    assert "Réponses reçues au tour 1" in page.inner_text(".ce-follow")


def test_facilitator_runs_a_round_with_a_phone(page, browser, replayed, screenshot_dir):
    p = replayed["project"]
    page.fill(".ce-new-session input", "atelier_navigateur")
    page.press(".ce-new-session input", "Tab")
    page.click(".ce-create-session")
    _status(page, "créée")
    assert "atelier_navigateur" in set(p.sessions()["session"])
    page.select_option(".ce-college select", label="Habitant·es")
    page.fill(".ce-count input", "3")
    page.press(".ce-count input", "Tab")
    page.click(".ce-issue")
    page.wait_for_selector(".ce-links tbody tr")
    links = page.eval_on_selector_all(".ce-links tbody a", "as => as.map(a => a.href)")
    assert len(links) == 3 and all("/coopeval/participation?token=" in x for x in links)
    assert sorted(p.participants("atelier_navigateur")["participant"]) == ["hab-01", "hab-02", "hab-03"]
    assert {r[1] for r in _cells(page, ".ce-links")} == {"Habitant·es"}
    _shot(page, screenshot_dir / "animation_liens.png")
    _check_qr_sheet(page, browser, links, screenshot_dir)
    page.wait_for_selector(".ce-method-habitants select")
    page.select_option(".ce-method-habitants select", label="classement")
    page.click(".ce-open-round")
    _status(page, "Tour 1 ouvert")
    r = p.rounds("atelier_navigateur")
    assert r["status"].tolist() == ["open"] and r["methods"].iloc[0] == {"habitants": "ranking"}
    # a participant answers from a phone with the first link
    phone = browser.new_context(**PHONE)
    mobile = phone.new_page()
    mobile.set_default_timeout(180_000)
    mobile.goto(links[0])
    mobile.wait_for_selector("button.ce-submit")
    kids = replayed["fw"].children("overall")
    for i, node in enumerate(kids, start=1):
        mobile.locator(f".ce-rank-{node} select").select_option(label=f"{i}" + (" (la plus importante)" if i == 1 else ""))
    mobile.wait_for_function("() => !document.querySelector('button.ce-submit').disabled")
    mobile.click("button.ce-submit")
    mobile.wait_for_selector(".ce-stored")
    # the facilitator's page updates itself: one answer, then the round is closed
    page.wait_for_function("() => { const r = document.querySelector('.ce-rounds-table tbody tr');"
                           " return r && r.cells[2].innerText.trim() === '1'; }")
    page.click(".ce-close-round")
    _status(page, "clos")
    assert p.rounds("atelier_navigateur")["status"].tolist() == ["closed"]
    mobile.goto(links[1])
    mobile.wait_for_selector(".ce-refused")
    assert "Aucun tour" in mobile.inner_text(".ce-refused")
    phone.close()
    stored = p.judgements("atelier_navigateur")
    assert stored["participant"].unique().tolist() == ["hab-01"]
    assert stored.set_index("node")["value"].reindex(kids).tolist() == [float(i) for i in range(1, len(kids) + 1)]
    assert isinstance(stored, pd.DataFrame)


def _check_qr_sheet(page, browser, links, screenshot_dir) -> None:
    """The facilitator page offers the printable sheet; rendered by Chromium, it holds one
    card per participant whose QR code, read from the screen by ZXing, is that card's link."""
    import base64
    import io

    import matplotlib.image as mpimg
    import numpy as np

    href = page.get_attribute(".ce-sheet-download", "href")
    assert href.startswith("data:text/html;base64,")
    assert page.get_attribute(".ce-sheet-download", "download").endswith(".html")
    sheet = base64.b64decode(href.split(",", 1)[1]).decode("utf-8")
    ctx = browser.new_context(viewport={"width": 900, "height": 1200}, locale="fr-FR")
    pg = ctx.new_page()
    pg.set_content(sheet)
    cards = pg.locator("section.ce-card")
    assert cards.count() == len(links) == pg.locator("section.ce-card svg").count()
    assert pg.eval_on_selector_all("section.ce-card", "cs => cs.map(c => c.dataset.participant)") == \
        ["hab-01", "hab-02", "hab-03"]
    pg.screenshot(path=str(screenshot_dir / "animation_feuille_qr.png"), full_page=True)
    zxingcpp = pytest.importorskip("zxingcpp")
    for i, link in enumerate(links):
        card = cards.nth(i)
        assert link in card.inner_text()
        png = card.locator("svg").screenshot()
        rgb = mpimg.imread(io.BytesIO(png), format="png")
        gray = (255 * rgb[..., :3].mean(axis=2)).astype(np.uint8)
        # QR codes only: a 1D decoder once read a spurious '3259' out of the modules in CI.
        read = [r.text for r in zxingcpp.read_barcodes(gray, formats=zxingcpp.BarcodeFormat.QRCode)]
        assert read == [link]
    ctx.close()
