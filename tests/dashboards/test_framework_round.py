"""Issue 22: a framework round run from the facilitator page and five phones, in headless Chromium.

On a sample project served by Voilà (loopback, free port), the facilitator logs in, creates a
session, issues links for two colleges and opens a framework round; five phones (390 x 844) open
their personal link on the light participant page and propose (remove, rename, change goalposts,
add, keep — and one proposal already on the table, not repeated); the facilitator opens the vote;
the phones vote; the facilitator reads the votes by college and records the outcome. The register
is then checked against what was done, the new framework version is used by a score and named in
the stored result and in the restitution report, and the restitution dashboard shows the
decisions. Screenshots (1280 wide, 390 x 844; the facilitator page at both) go to
``tests/_artifacts/``.
"""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SECRET = "code-referentiel-navigateur"
SESSION = "referentiel_navigateur"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}
DESKTOP = {"viewport": {"width": 1280, "height": 900}, "locale": "fr-FR"}
#: What each phone proposes (links 0-2: habitants, 3-4: salarié·es).
PROPOSALS = [("remove", "lieux_partages", {}), ("rename", "lien_social", {"text": "Les liens entre nous"}),
             ("goalpost", "participants_actifs", {"lower": "0,8", "upper": "1,5"}),  # × the first wave
             ("add", "lien_social", {"text": "Repas partagés", "measures": "Les repas pris ensemble au lieu",
                                     "why": "C'est à table que le lien se crée."}),
             ("keep", "participants_actifs", {"why": "C'est notre raison d'être."})]
#: Votes of the five phones on the five proposals (in the order above).
VOTES = [["against", "for", "for", "against", "for"], ["against", "for", "for", "against", "for"],
         ["against", "for", "for", "for", "for"], ["for", "for", "against", "abstain", "for"],
         ["for", "for", "abstain", "abstain", "for"]]
#: The outcome the votes give (more for than against), as the facilitator records it.
EXPECTED = {"remove": "rejected", "rename": "adopted", "goalpost": "adopted", "add": "rejected", "keep": "adopted"}


@pytest.fixture(scope="module")
def served(tmp_path_factory, voila_factory):
    from coopeval.store import Project, sample_project

    path = tmp_path_factory.mktemp("referentiel") / "referentiel.sqlite"
    sample_project(path).close()
    p = Project.open(path)
    p.set_facilitator_secret(SECRET)
    p.set_setting("min_group_size", 2)  # two small colleges: their votes are shown
    with voila_factory(path, "framework_round") as base:
        yield {"base": base, "project": p}


def _shot(page, path) -> None:
    height = page.evaluate("() => Math.max(...[document.body, document.documentElement,"
                           " ...document.querySelectorAll('.jp-Notebook, #rendered_cells, .voila-container')]"
                           ".map(e => e ? e.scrollHeight : 0))")
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": int(min(max(height, size["height"]), 7000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)


def _status(page, text: str) -> None:
    page.wait_for_function("([t]) => { const e = document.querySelector('.ce-fw-status');"
                           " return e && e.innerText.includes(t); }", arg=[text])


def _propose(mobile, op: str, node: str, fields: dict) -> None:
    if op == "add":
        mobile.select_option("#add-parent", value=node)
        mobile.fill("#add-name", fields["text"])
        mobile.fill("#add-measures", fields["measures"])
        mobile.fill("#add-why", fields["why"])
        mobile.click("button.ce-add-submit")
        return
    box = mobile.locator(f"details.ce-node-{node}")
    box.locator("summary").click()
    box.locator(f"input[name=op][value={op}]").check()
    for name, value in fields.items():
        box.locator(f"[name={name}]").fill(value)
    box.locator("button.ce-submit").click()


def _issue(page, college: str, n: int) -> None:
    page.select_option(".ce-college select", label=college)
    page.fill(".ce-count input", str(n))
    page.press(".ce-count input", "Tab")
    page.click(".ce-issue")
    page.wait_for_function("([n]) => document.querySelectorAll('.ce-links tbody tr').length === n",
                           arg=[n + (3 if n == 2 else 0)])


def test_a_framework_round_from_five_phones(served, browser, screenshot_dir, a11y):  # noqa: PLR0915
    import coopeval as ce
    from coopeval import report

    base, p = served["base"], served["project"]
    desk_ctx = browser.new_context(**DESKTOP)
    desk = desk_ctx.new_page()
    desk.set_default_timeout(240_000)
    desk.goto(base + "/voila/render/animation.ipynb")
    desk.wait_for_selector(".ce-secret input", timeout=300_000)
    desk.fill(".ce-secret input", SECRET)
    desk.click(".ce-login")
    desk.wait_for_selector(".ce-fw-open")
    # ---- a session, links for two colleges, a framework round opened
    desk.fill(".ce-new-session input", SESSION)
    desk.press(".ce-new-session input", "Tab")
    desk.click(".ce-create-session")
    desk.wait_for_function("() => [...document.querySelectorAll('.ce-anim-status')]"
                           ".some(e => e.innerText.includes('créée'))")
    _issue(desk, "Habitant·es", 3)
    _issue(desk, "Salarié·es", 2)
    links = desk.eval_on_selector_all(".ce-links tbody a", "as => as.map(a => a.href)")
    assert len(links) == 5 and all(x.startswith(base + "/coopeval/participation?token=") for x in links)
    colleges = p.participants(SESSION).set_index("participant")["college"]
    assert sorted(colleges.value_counts().to_dict().items()) == [("habitants", 3), ("salarie_es", 2)]
    desk.click(".ce-fw-open")
    _status(desk, "Tour 1 ouvert sur le référentiel")
    assert p.rounds(SESSION)["methods"].tolist() == [{"*": "framework"}]
    # ---- five phones propose (the last one also repeats the first proposal)
    phones = [browser.new_context(**PHONE) for _ in links]
    pages = [c.new_page() for c in phones]
    for i, (mobile, link, (op, node, fields)) in enumerate(zip(pages, links, PROPOSALS, strict=True)):
        mobile.set_default_timeout(60_000)
        mobile.goto(link)
        mobile.wait_for_selector("details.ce-node-lien_social")
        assert mobile.evaluate("() => document.documentElement.lang") == "fr"
        if i == 0:
            assert "Ce que nous mesurons" in mobile.inner_text("h1")
            mobile.locator("details.ce-node-participants_actifs summary").click()
            text = mobile.inner_text("details.ce-node-participants_actifs")
            assert ("la valeur est comparée à celle de la première vague renseignée chez vous ; ×0,5 donne le "
                    "score 0, ×2 le score 100") in text
            assert "Borne haute, en multiple de la première vague" in mobile.locator(  # shown once chosen
                "label[for='upper-participants_actifs']").text_content()
            assert "Repères : les vagues précédentes" in text and "médiane" in text
            _shot(mobile, screenshot_dir / "referentiel_propositions_390.png")
            mobile.screenshot(path=str(screenshot_dir / "referentiel_propositions_390x844.png"))
            problems = a11y.check_page(mobile, "fr")
            assert not problems, problems
            mobile.goto(link)
        _propose(mobile, op, node, fields)
        mobile.wait_for_selector(".ce-stored")
        assert "votre proposition est enregistrée" in mobile.inner_text(".ce-stored")
    _propose(pages[4], *PROPOSALS[0])
    pages[4].wait_for_selector(".ce-stored")
    assert "déjà sur la table" in pages[4].inner_text(".ce-stored")
    assert "Retirer «\u00a0Surface de lieux mutualisés" in pages[4].inner_text(".ce-group-proposals")
    props = p.proposals(SESSION)
    assert props["op"].tolist() == [x[0] for x in PROPOSALS]  # anonymous, once each
    assert "participant" not in props.columns
    ids = props["id"].astype(int).tolist()
    # ---- the facilitator sees them and opens the vote
    desk.click(".ce-fw-refresh")
    desk.wait_for_function("() => document.querySelectorAll('.ce-fw-table tbody tr').length === 5")
    desk.click(".ce-fw-vote")
    _status(desk, "Vote ouvert (tour 2)")
    assert p.rounds(SESSION)["status"].tolist() == ["closed", "open"]
    for i, (mobile, link) in enumerate(zip(pages, links, strict=True)):
        mobile.goto(link)
        mobile.wait_for_selector("button.ce-send-votes")
        for pid, vote in zip(ids, VOTES[i], strict=True):
            mobile.locator(f".ce-vote-{pid} input[value={vote}]").check()
        if i == 0:
            _shot(mobile, screenshot_dir / "referentiel_vote_390.png")
            mobile.screenshot(path=str(screenshot_dir / "referentiel_vote_390x844.png"))
            problems = a11y.check_page(mobile, "fr")
            assert not problems, problems
        mobile.click("button.ce-send-votes")
        mobile.wait_for_selector(".ce-stored")
        assert "5 vote(s) enregistré(s)" in mobile.inner_text(".ce-stored")
    pages[0].goto(links[0] + "&lang=en")
    pages[0].wait_for_selector("button.ce-send-votes")
    assert pages[0].evaluate("() => document.documentElement.lang") == "en"
    assert "Vote on the proposals" in pages[0].inner_text("h1")
    # ---- votes by college on the facilitator page, then the outcome recorded
    desk.click(".ce-fw-refresh")
    desk.wait_for_function("([pid]) => { const r = document.querySelector('.ce-fw-p-' + pid);"
                           " return r && r.innerText.includes('Habitant·es : 0 / 3 / 0'); }", arg=[ids[0]])
    assert "Salarié·es : 2 / 0 / 0" in desk.inner_text(f".ce-fw-p-{ids[0]}")
    desk.fill(f".ce-fw-reason-{ids[0]} input", "Les habitant·es tiennent au lieu ouvert.")
    desk.fill(".ce-fw-wave input", "3")
    desk.press(".ce-fw-wave input", "Tab")
    _shot(desk, screenshot_dir / "referentiel_animation_1280.png")
    desk.set_viewport_size({"width": 390, "height": 844})  # the facilitator holding a phone
    _shot(desk, screenshot_dir / "referentiel_animation_390.png")
    assert desk.evaluate("() => document.documentElement.scrollWidth") <= 390
    links = desk.locator("table.ce-links")  # one card per person: nothing to scroll sideways
    assert links.evaluate("t => t.scrollWidth <= t.clientWidth + 1 && t.getBoundingClientRect().right <= 390")
    assert "Lien personnel : http" in links.locator("td").nth(2).evaluate(
        "td => getComputedStyle(td, '::before').content.replace(/\"/g, '') + td.innerText")
    counts = desk.evaluate("() => [...document.querySelectorAll('tr[class^=ce-fw-p-] span')]"
                           ".map(s => [s.innerText, s.getClientRects().length])")
    assert len(counts) == 3 * len(PROPOSALS) and all(n == 1 for _, n in counts), counts  # a college's counts, one line
    assert desk.evaluate("() => getComputedStyle(document.querySelector('.ce-fw-record')).display") != "none"
    desk.set_viewport_size(DESKTOP["viewport"])
    desk.click(".ce-fw-record")
    _status(desk, "5 décision(s) enregistrée(s)")
    for c in phones:
        c.close()
    desk_ctx.close()
    # ---- the register against what was done
    reg = p.decisions()
    mine = reg[reg["session"] == SESSION]
    assert mine["op"].tolist() == [x[0] for x in PROPOSALS]
    assert dict(zip(mine["op"], mine["outcome"], strict=True)) == EXPECTED
    assert set(mine["decided_by"]) == {"round"} and set(mine["wave"]) == {"3"}
    assert mine.set_index("op").at["remove", "reason"] == "Les habitant·es tiennent au lieu ouvert."
    for (_, r), votes in zip(mine.iterrows(), zip(*VOTES, strict=True), strict=True):
        for college, who in (("habitants", votes[:3]), ("salarie_es", votes[3:]), ("ensemble", votes)):
            assert r["votes"][college] == {"n": len(who), "for": who.count("for"), "against": who.count("against"),
                                           "abstain": who.count("abstain")}, (r["op"], college)
    assert mine["framework_after"].nunique() == 1 and mine["version_after"].nunique() == 1
    new_hash, number = mine["framework_after"].iloc[0], int(mine["version_after"].iloc[0])
    assert number == int(mine["version_before"].iloc[0]) + 1
    fw = p.framework()
    assert fw.hash == new_hash
    assert fw.label("lien_social") == "Les liens entre nous"
    assert fw.node("participants_actifs")["upper"] == 1.5 and "lieux_partages" in fw
    assert not any("repas" in n for n in fw.indicator_ids)
    # ---- a score uses the new version and names it; the restitution report shows the decisions
    ev = ce.Evaluation.from_project(p)
    assert ev.provenance()["framework_hash"] == new_hash
    scores = ev.scores()
    rid = p.save_result("score", scores, framework=new_hash)
    assert int(p.results().set_index("id").at[rid, "framework_number"]) == number
    unit = sorted(scores["unit"].astype(str).unique())[0]
    html = report.restitution(ev, unit, 3, lang="fr")
    assert "Ce que nous avons décidé de mesurer" in html and f"version n° {number} du référentiel" in html
    assert "Renommer" in html or "Les liens entre nous" in html
    # ---- the restitution dashboard shows the decisions, on a phone and on a desktop
    for size, args in (("390", PHONE), ("1280", DESKTOP)):
        ctx = browser.new_context(**args)
        pg = ctx.new_page()
        pg.set_default_timeout(240_000)
        pg.goto(base + "/voila/render/restitution.ipynb")
        pg.wait_for_selector(".ce-overall-score", timeout=300_000)
        pg.locator(".ce-app [role=tab]").filter(has_text="Paroles et actions").first.click()
        pg.wait_for_selector("#decisions")
        text = pg.inner_text(".decisions")
        assert "Les liens entre nous" in text and "Habitant·es : 0 pour, 3 contre" in text, text[:800]
        assert "Emplois durables" in text  # the sample project's own decisions (wave 2) too
        _shot(pg, screenshot_dir / f"referentiel_restitution_{size}.png")
        ctx.close()
