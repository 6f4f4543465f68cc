"""A whole workshop (issue 23), as a facilitator and 25 phones would run it.

The server is bound to every interface (``--host 0.0.0.0``, as ``coopeval serve`` starts it) and
reached at 127.0.0.1 only. The facilitator logs in with the project's secret, issues links for
three colleges, 25 phones (390 x 844) answer round 1 on the light participant page, the
facilitator's page follows the answers by itself, closes round 1 and opens round 2; the phones'
waiting pages reload themselves, show the group's feedback and the previous answers, and the
phones answer again; the restitution is then read on a phone. Screenshots at 1280 x 800 and
390 x 844 go to ``tests/_artifacts/``; pages are checked for accessibility
(:mod:`tests.support.a11y`); the server's memory (Voilà and its kernels) stays under 4 GiB.
"""

from __future__ import annotations

import re

import pandas as pd
import psutil
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "code-atelier-complet"
SESSION = "atelier_complet"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}
DESKTOP = {"viewport": {"width": 1280, "height": 800}, "locale": "fr-FR"}
COLLEGES = {"habitants": ("Habitant·es", 9, "points"), "salarie_es": ("Salarié·es", 8, "ranking"),
            "benevoles": ("Bénévoles", 8, "direct")}
POINTS = [30, 10, 15, 10, 20, 10, 5]
METHOD_LABEL = {"points": "100 points à répartir", "ranking": "classement", "direct": "note de 0 à 10"}


@pytest.fixture(scope="module")
def workshop(tmp_path_factory, voila_factory):
    from coopeval.store import Project, sample_project

    path = tmp_path_factory.mktemp("atelier") / "atelier.sqlite"
    sample_project(path).close()
    p = Project.open(path)
    p.set_facilitator_secret(SECRET)
    with voila_factory(path, "workshop", host="0.0.0.0") as base:  # noqa: S104 - bound to all, reached on loopback
        assert base.startswith("http://127.0.0.1:")
        yield {"base": base, "project": p, "fw": p.framework()}


def _server_rss(base: str) -> tuple[float, int]:
    """RSS (GiB) of the process listening on ``base``'s port and of its children (kernels)."""
    port = int(base.rsplit(":", 1)[1])
    pid = next(c.pid for c in psutil.net_connections("tcp") if c.laddr and c.laddr.port == port
               and c.status == psutil.CONN_LISTEN)
    proc = psutil.Process(pid)
    kids = proc.children(recursive=True)
    return sum(x.memory_info().rss for x in [proc, *kids]) / 1024 ** 3, len(kids)


def _shot(page, path) -> None:
    height = page.evaluate("() => Math.max(...[document.body, document.documentElement,"
                           " ...document.querySelectorAll('.jp-Notebook, #rendered_cells, .voila-container')]"
                           ".map(e => e ? e.scrollHeight : 0))")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height, size["height"]), 7000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def _answer(page, method: str, kids: list[str], i: int) -> dict[str, float]:
    if method == "points":
        vals = [POINTS[(j + i) % len(POINTS)] for j in range(len(kids))]
        for n, v in zip(kids, vals, strict=True):
            page.fill(f".ce-points-{n} input", str(v))
    elif method == "ranking":
        vals = [(j + i) % len(kids) + 1 for j in range(len(kids))]
        for n, v in zip(kids, vals, strict=True):
            page.select_option(f".ce-rank-{n} select", value=str(v))
    else:
        vals = [(j * 3 + i) % 10 + 1 for j in range(len(kids))]
        for n, v in zip(kids, vals, strict=True):
            page.fill(f".ce-direct-{n} input", str(v))
    page.wait_for_function("() => !document.querySelector('button.ce-submit').disabled")
    return dict(zip(kids, map(float, vals), strict=True))


def test_a_whole_workshop_on_the_local_network(workshop, browser, screenshot_dir, a11y):
    base, p, fw = workshop["base"], workshop["project"], workshop["fw"]
    kids = fw.children("overall")
    # ---- the facilitator logs in and issues links for three colleges
    desk = browser.new_context(**DESKTOP)
    fac = desk.new_page()
    fac.set_default_timeout(240_000)
    fac.goto(base + "/voila/render/animation.ipynb")
    fac.wait_for_selector(".ce-secret input", timeout=300_000)
    assert fac.evaluate("() => document.documentElement.lang") == "fr"
    assert fac.locator(".ce-issue").count() == 0  # nothing but the login before the secret
    fac.fill(".ce-secret input", SECRET)
    fac.click(".ce-login")
    fac.wait_for_selector(".ce-new-session input")
    fac.fill(".ce-new-session input", SESSION)
    fac.press(".ce-new-session input", "Tab")
    fac.click(".ce-create-session")
    fac.wait_for_function("() => document.querySelector('.ce-status-session').innerText.includes('créée')")
    for label, n, _ in COLLEGES.values():
        fac.select_option(".ce-college select", label=label)
        fac.fill(".ce-count input", str(n))
        fac.press(".ce-count input", "Tab")
        fac.click(".ce-issue")
        fac.wait_for_function("([c]) => document.querySelector('.ce-status-people').innerText.includes(c)",
                             arg=[label])
    fac.wait_for_function("() => document.querySelectorAll('.ce-links tbody tr').length === 25")
    links = fac.eval_on_selector_all(".ce-links tbody tr", "rs => rs.map(r => [r.cells[0].innerText.trim(),"
                                                         " r.cells[2].querySelector('a').href])")
    assert len(links) == 25 and all(u.startswith(base + "/coopeval/participation?token=") for _, u in links)
    assert fac.get_attribute(".ce-sheet-download", "href").startswith("data:text/html;base64,")
    college_of = p.participants(SESSION).set_index("participant")["college"]
    for college, (_, _, method) in COLLEGES.items():
        fac.select_option(f".ce-method-{college} select", label=METHOD_LABEL[method])
    fac.click(".ce-open-round")
    fac.wait_for_function("() => document.querySelector('.ce-status-rounds').innerText.includes('Tour 1 ouvert')")
    _shot(fac, screenshot_dir / "atelier_animation_1280.png")
    problems = a11y.check_page(fac, "fr", scope=".ce-anim")
    assert not problems, problems
    # ---- 25 phones answer round 1 (the light page: no kernel per phone)
    phones = []
    for i, (who, url) in enumerate(links):
        ctx = browser.new_context(**PHONE)
        pg = ctx.new_page()
        pg.set_default_timeout(120_000)
        pg.goto(url)
        pg.wait_for_selector("button.ce-submit")
        phones.append((who, ctx, pg, _answer(pg, COLLEGES[college_of[who]][2], kids, i)))
    first = phones[0][2]
    assert first.evaluate("() => document.documentElement.scrollWidth") <= 390
    problems = a11y.check_page(first, "fr")
    assert not problems, problems
    _shot(first, screenshot_dir / "atelier_telephone_tour1_390.png")
    for _, _, pg, _ in phones:
        pg.click("button.ce-submit", no_wait_after=True)
    for _, _, pg, _ in phones:
        pg.wait_for_selector(".ce-stored")
    assert first.locator(".ce-stored").bounding_box()["y"] < 844  # the confirmation where the person looks
    j1 = p.judgements(SESSION, 1)
    assert j1["participant"].nunique() == 25
    for who, _, _, vals in phones:
        got = j1[j1["participant"] == who].set_index("node")["value"].reindex(kids).tolist()
        assert got == [vals[n] for n in kids]
    # ---- the facilitator's page has followed by itself; round 1 closed, round 2 opened
    fac.wait_for_function("() => { const r = document.querySelector('.ce-rounds-table tbody tr');"
                          " return r && r.cells[2].innerText.trim() === '25'; }", timeout=120_000)
    fac.click(".ce-close-round")
    fac.wait_for_function("() => document.querySelector('.ce-status-rounds').innerText.includes('clos')")
    assert fac.eval_on_selector(".ce-method-salarie_es select", "e => e.value") == "classement"  # carried over
    fac.click(".ce-open-round")
    fac.wait_for_function("() => document.querySelector('.ce-status-rounds').innerText.includes('Tour 2 ouvert')")
    fac.wait_for_function("() => document.querySelector('.ce-round select').value === 'Tour 2'")  # follows
    # ---- the phones' pages reload themselves, show the feedback and the previous answers
    for _, _, pg, _ in phones:
        pg.wait_for_selector(".ce-feedback", timeout=120_000)
        assert "tour 2" in pg.inner_text(".ce-title")
        assert "Votre réponse précédente est reprise" in pg.inner_text("body")
    who0, _, pg0, vals0 = phones[0]
    method0 = COLLEGES[college_of[who0]][2]
    sel = {"points": ".ce-points-{} input", "ranking": ".ce-rank-{} select", "direct": ".ce-direct-{} input"}[method0]
    assert [float(pg0.input_value(sel.format(n))) for n in kids] == [vals0[n] for n in kids]
    _shot(pg0, screenshot_dir / "atelier_telephone_tour2_390.png")
    for _, _, pg, _ in phones:
        pg.wait_for_function("() => !document.querySelector('button.ce-submit').disabled")
        pg.click("button.ce-submit", no_wait_after=True)
    for _, ctx, pg, _ in phones:
        pg.wait_for_selector(".ce-stored")
        ctx.close()
    assert p.judgements(SESSION, 2)["participant"].nunique() == 25
    rss, kernels = _server_rss(base)
    assert rss < 4.0 and kernels <= 3, (rss, kernels)  # the facilitator's kernel (+ spares), none per phone
    desk.close()
    # ---- the restitution on a phone and on a desktop
    for size, ctx_args in (("390", PHONE), ("1280", DESKTOP)):
        ctx = browser.new_context(**ctx_args)
        pg = ctx.new_page()
        pg.set_default_timeout(240_000)
        pg.goto(base + "/voila/render/restitution.ipynb")
        pg.wait_for_selector(".ce-overall-score", timeout=300_000)
        pg.wait_for_selector("img.ce-fig-radar")
        width = ctx_args["viewport"]["width"]
        assert pg.evaluate("() => document.documentElement.lang") == "fr"
        for sel in (".ce-unit select", ".ce-wave select", ".ce-lang button"):  # controls reachable
            box = pg.locator(sel).first.bounding_box()
            assert box and box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (size, sel, box)
        tabs = pg.locator(".ce-app [role=tab]")
        assert tabs.count() == 7  # profile, change, voices and actions, weights, what if, model, report
        for k in range(7):  # every tab visible (they wrap on a phone)
            box = tabs.nth(k).bounding_box()
            assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (size, k, box)
        img = pg.locator("img.ce-fig-radar")
        scale = img.evaluate("e => e.getBoundingClientRect().width / e.naturalWidth")
        assert scale > 0.5, scale  # figure text at least half its drawn size (legible on a phone)
        assert re.search(r"Social \d", img.get_attribute("alt"))
        tabs.filter(has_text="Et si").first.click()  # « Et si… ? »
        pg.wait_for_selector(".ce-whatif-value")
        _shot(pg, screenshot_dir / f"atelier_restitution_{size}.png")
        problems = a11y.check_page(pg, "fr", scope=".ce-app")
        assert not problems, (size, problems)
        ctx.close()
    assert isinstance(p.rounds(SESSION), pd.DataFrame)
