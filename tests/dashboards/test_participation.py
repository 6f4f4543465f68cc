"""The participant page, served by a real Voilà and used from phones (headless Chromium).

A project of its own (not the shared sample): one session, an open round where the
habitants weigh with 100 points and the salarié·es rank; 8 participants submit at
once from mobile pages; the store must hold each answer exactly once. Then a reused, a
forged and an expired token and a submission after the round closes are refused with a
French message, and round 2 shows the anonymised group feedback of round 1.
"""

from __future__ import annotations

import json
import re
import time

import numpy as np
import pandas as pd
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SESSION = "atelier_test"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "locale": "fr-FR"}
N_EACH = 14  # participants per college
#: Notebook pages (one kernel each) opened at once per college; 25 phones at once are driven on
#: the light page by test_workshop.py, so that this test keeps the CI run short.
N_PHONES = 4
POINTS = [30, 10, 15, 10, 20, 10, 5]  # points given, in the order of fw.children("overall")
REASONS = ["MON ARGUMENT À MOI", "Le lien social fait tenir le projet.", "Sans emplois, rien ne dure."]


@pytest.fixture(scope="module")
def deliberation(tmp_path_factory):
    """Project with session ``atelier_test``, round 1 open, and every participant's token."""
    from coopeval.store import Project

    path = tmp_path_factory.mktemp("deliberation") / "atelier.sqlite"
    p = Project.create(path, framework="cooperation_territoriale")
    p.create_session(SESSION, title="Atelier de test")
    roster = pd.DataFrame({
        "participant": [f"hab-{i:02d}" for i in range(N_EACH)] + [f"sal-{i:02d}" for i in range(N_EACH)]
        + ["ben-01", "fin-01", "col-01"],
        "college": ["habitants"] * N_EACH + ["salarie_es"] * N_EACH + ["benevoles", "financeurs", "collectivites"],
    })
    tokens = p.add_participants(SESSION, roster)
    p.open_round(SESSION, 1, methods={"habitants": "points", "salarie_es": "ranking", "benevoles": "simos",
                                      "financeurs": "ahp", "collectivites": "swing"})
    return {"path": path, "project": p, "tokens": tokens, "fw": p.framework()}


@pytest.fixture(scope="module")
def server(deliberation, voila_factory):
    with voila_factory(deliberation["path"], "participation") as base:
        yield base


def _url(server: str, token: str | None) -> str:
    return server + "/voila/render/participation.ipynb" + (f"?token={token}" if token else "")


def _open(browser, server, token, *, wait: bool = True):
    ctx = browser.new_context(**PHONE)
    page = ctx.new_page()
    page.set_default_timeout(240_000)
    page.goto(_url(server, token))
    if wait:
        page.wait_for_selector(".ce-submit, .ce-refused", timeout=240_000)
    return ctx, page


def _shot(page, path) -> None:
    """Screenshot of the whole page as a phone shows it when scrolled (Voilà scrolls inside the page)."""
    height = page.evaluate("() => Math.max(...[document.body, document.documentElement,"
                           " ...document.querySelectorAll('.jp-Notebook, #rendered_cells, .voila-container')]"
                           ".map(e => e ? e.scrollHeight : 0))")
    page.set_viewport_size({"width": 390, "height": int(min(max(height, 844), 6000))})
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(PHONE["viewport"])


def _fill_points(page, kids, points) -> None:
    for node, v in zip(kids, points, strict=True):
        box = page.locator(f".ce-points-{node} input")
        box.fill(str(v))
        box.press("Tab")


def _fill_ranking(page, kids, ranks) -> None:
    for node, r in zip(kids, ranks, strict=True):
        page.locator(f".ce-rank-{node} select").select_option(
            label=f"{r}" + (" (la plus importante)" if r == 1 else ""))


def _ranks(i: int, k: int) -> list[int]:
    """A different complete ranking for each participant ``i`` (a rotation of 1..k)."""
    return [int(x) for x in np.roll(np.arange(1, k + 1), i)]


def _wait_enabled(page) -> None:
    page.wait_for_function("() => { const b = document.querySelector('button.ce-submit');"
                           " return b && !b.disabled; }", timeout=120_000)


def test_phones_submit_concurrently_each_stored_once(browser, server, deliberation, screenshot_dir):
    fw, tokens = deliberation["fw"], deliberation["tokens"]
    kids = fw.children("overall")
    chosen = pd.concat([tokens[tokens["college"] == "habitants"].head(N_PHONES),
                        tokens[tokens["college"] == "salarie_es"].head(N_PHONES)])
    started = time.monotonic()
    opened = [(row, *_open(browser, server, row.token, wait=False)) for row in chosen.itertuples()]
    for _, _, page in opened:
        page.wait_for_selector(".ce-submit", timeout=240_000)
    expected = {}
    for i, (row, _, page) in enumerate(opened):
        if row.college == "habitants":
            pts = list(np.roll(POINTS, i))
            _fill_points(page, kids, pts)
            if i < len(REASONS):
                page.locator(".ce-reason textarea").fill(REASONS[i])
                page.locator(".ce-reason textarea").press("Tab")
            expected[row.participant] = dict(zip(kids, map(float, pts), strict=True))
        else:
            ranks = _ranks(i, len(kids))
            _fill_ranking(page, kids, ranks)
            expected[row.participant] = dict(zip(kids, map(float, ranks), strict=True))
    # the page shows the weights before submitting: a points answer gives points / 100
    row0, _, page0 = opened[0]
    _wait_enabled(page0)
    shown = page0.inner_text(f".ce-weight-{kids[0]} .ce-weight-value")
    assert shown == f"{round(expected[row0.participant][kids[0]])}\u00a0%"
    assert "Total : 100 / 100" in page0.inner_text(".ce-total")
    # accessible names and a phone-width layout (no sideways scrolling)
    label = fw.node(kids[0])["label_fr"]
    assert page0.get_by_label(f"{label} (points)").input_value() == str(int(expected[row0.participant][kids[0]]))
    assert page0.get_by_role("button", name="Envoyer ma réponse").is_enabled()
    assert page0.evaluate("() => document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    _shot(page0, screenshot_dir / "participation_mobile_points.png")
    _, _, page_rank = opened[N_PHONES]
    _wait_enabled(page_rank)
    _shot(page_rank, screenshot_dir / "participation_mobile_classement.png")
    for _, _, page in opened:
        _wait_enabled(page)
    for _, _, page in opened:  # fire every submission, then wait for all
        page.click("button.ce-submit", no_wait_after=True)
    for _, _, page in opened:
        page.wait_for_selector(".ce-stored", timeout=180_000)
        assert "Merci" in page.inner_text(".ce-status")
    elapsed = time.monotonic() - started
    p = deliberation["project"]
    j = p.judgements(SESSION, 1)
    assert sorted(j["participant"].unique()) == sorted(expected)
    assert len(j) == 2 * N_PHONES * len(kids)  # exactly once: 7 judgements per participant, no duplicate
    assert not j.duplicated(["participant", "node"]).any()
    for who, vals in expected.items():
        got = j[j["participant"] == who].set_index("node")["value"].to_dict()
        assert got == pytest.approx(vals)
    assert p.rounds(SESSION).set_index("round").at[1, "n_submissions"] == 2 * N_PHONES
    audit = p.audit()
    submits = audit[audit["action"] == "submit"]
    assert len(submits) == 2 * N_PHONES and not any((d if isinstance(d, dict) else json.loads(d)).get("replaced") for d in submits["detail"])
    _shot(opened[0][2], screenshot_dir / "participation_mobile_merci.png")
    for _, ctx, _ in opened:
        ctx.close()
    print(f"{2 * N_PHONES} concurrent submissions in {elapsed:.0f} s")


def test_simos_cards_from_a_phone(browser, server, deliberation):
    from coopeval.weighting import participant_weights

    p, fw, tokens = deliberation["project"], deliberation["fw"], deliberation["tokens"]
    kids = fw.children("overall")
    me = tokens.set_index("participant").loc["ben-01"]
    ctx, page = _open(browser, server, me.token)
    positions = [1, 2, 2, 4, 5, 6, 7]  # two cards together, one blank card between positions 2 and 4
    for node, pos in zip(kids, positions, strict=True):
        page.get_by_label(f"{fw.node(node)['label_fr']} : position").select_option(
            label=f"{pos}" + (" (la moins importante)" if pos == 1 else ""))
    _wait_enabled(page)
    rows = pd.DataFrame({"session": "x", "round": 1, "participant": "x", "college": "x", "method": "simos",
                         "node": kids, "value": positions})
    ref = participant_weights(rows, fw).set_index("node")["weight"]
    for node in kids:
        assert page.inner_text(f".ce-weight-{node} .ce-weight-value") == f"{round(100 * ref[node])}\u00a0%"
    page.click("button.ce-submit")
    page.wait_for_selector(".ce-stored")
    ctx.close()
    got = p.judgements(SESSION, 1).query("participant == 'ben-01'").set_index("node")["value"]
    assert got.reindex(kids).tolist() == [float(x) for x in positions]


def test_pairwise_comparisons_from_a_phone(browser, server, deliberation, screenshot_dir):
    from coopeval.weighting.elicitation import pairs

    p, fw, tokens = deliberation["project"], deliberation["fw"], deliberation["tokens"]
    kids = fw.children("overall")
    me = tokens.set_index("participant").loc["fin-01"]
    ctx, page = _open(browser, server, me.token)
    # "the first of each pair a little more important" (3) everywhere is not transitive
    # (3 x 3 would ask for 9 two steps away): the page asks to review the worst pair
    for key in pairs(kids):
        a, b = key.split("|")
        page.locator(f".ce-pair-{a}-{b} select").select_option(
            label=f"Un peu plus : {fw.node(a)['label_fr']}")
    _wait_enabled(page)
    assert "Certaines comparaisons se contredisent" in page.inner_text(".ce-consistency")
    _shot(page, screenshot_dir / "participation_mobile_paires.png")
    page.click("button.ce-submit")
    page.wait_for_selector(".ce-stored")
    ctx.close()
    got = p.judgements(SESSION, 1).query("participant == 'fin-01'")
    assert sorted(got["node"]) == sorted(pairs(kids)) and (got["value"] == 3.0).all()
    assert (got["method"] == "ahp").all()


def test_swing_from_a_phone(browser, server, deliberation, screenshot_dir):
    """Swing: each dimension's swing in words, points 0-100 with the most important at 100,
    the weights previewed are those of ``coopeval.weighting.swing`` on the same points."""
    from coopeval.weighting import swing, swing_table

    p, fw, tokens = deliberation["project"], deliberation["fw"], deliberation["tokens"]
    kids = fw.children("overall")
    me = tokens.set_index("participant").loc["col-01"]
    ctx, page = _open(browser, server, me.token)
    assert "pire niveau" in page.inner_text(".ce-howto")
    # the swing of a dimension, in words, from the framework's bounds
    first = swing_table(fw, kids[0]).iloc[0]
    shown = page.inner_text(f".ce-swing-of-{kids[0]}")
    assert f"{first['label']} : de {first['worst']:g} à {first['best']:g}" in shown
    swings = [70, 100, 40, 25, 55, 10, 0]
    label = fw.node(kids[1])["label_fr"]
    # the most important swing last: the answer is complete only once every field is in
    for node, v in sorted(zip(kids, swings, strict=True), key=lambda nv: nv[1] == 100):
        box = page.locator(f".ce-swing-{node} input")
        box.fill(str(v))
        box.press("Tab")
    _wait_enabled(page)
    assert page.get_by_label(f"{label} (valeur du passage, sur 100)").input_value() == "100"
    ref = swing(dict(zip(kids, swings, strict=True)))
    want = [f"{round(100 * ref[node])}\u00a0%" for node in kids]
    page.wait_for_function("([sel, w]) => sel.every((s, i) => { const e = document.querySelector(s);"
                           " return e && e.innerText.trim() === w[i]; })",
                           arg=[[f".ce-weight-{n} .ce-weight-value" for n in kids], want], timeout=60_000)
    assert "a 100" in page.inner_text(".ce-total")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= PHONE["viewport"]["width"]
    _shot(page, screenshot_dir / "participation_mobile_swing.png")
    page.click("button.ce-submit")
    page.wait_for_selector(".ce-stored")
    ctx.close()
    got = p.judgements(SESSION, 1).query("participant == 'col-01'")
    assert (got["method"] == "swing").all()
    assert got.set_index("node")["value"].reindex(kids).tolist() == [float(x) for x in swings]


def test_reused_token_refused(browser, server, deliberation):
    used = deliberation["tokens"].iloc[0]  # submitted in the previous test
    ctx, page = _open(browser, server, used.token)
    text = page.inner_text(".ce-refused")
    assert "déjà servi" in text
    assert page.locator("button.ce-submit").count() == 0
    ctx.close()
    assert deliberation["project"].rounds(SESSION).set_index("round").at[1, "n_submissions"] == 2 * N_PHONES + 3


def test_forged_and_missing_token_refused(browser, server, deliberation, screenshot_dir):
    ctx, page = _open(browser, server, "AAAAforgedBBBBforgedCCCCforgedDDDDforged123")
    assert "n'est pas reconnu" in page.inner_text(".ce-refused")
    _shot(page, screenshot_dir / "participation_mobile_lien_refuse.png")
    ctx.close()
    ctx, page = _open(browser, server, None)
    assert "incomplet" in page.inner_text(".ce-refused")
    ctx.close()


def test_submission_after_round_closes_refused(browser, server, deliberation):
    p, tokens, kids = deliberation["project"], deliberation["tokens"], deliberation["fw"].children("overall")
    late = tokens[tokens["college"] == "habitants"].iloc[12]
    ctx, page = _open(browser, server, late.token)
    _fill_points(page, kids, POINTS)
    _wait_enabled(page)
    p.close_round(SESSION, 1)  # the facilitator closes while the page is open
    page.click("button.ce-submit")
    page.wait_for_selector(".ce-status .ce-refused")
    assert "Le tour est clos" in page.inner_text(".ce-status")
    ctx.close()
    assert late.participant not in set(p.judgements(SESSION, 1)["participant"])
    # a link opened while no round is open is refused too
    ctx, page = _open(browser, server, tokens[tokens["college"] == "salarie_es"].iloc[12].token)
    assert "Aucun tour" in page.inner_text(".ce-refused")
    ctx.close()


def test_round_two_shows_anonymised_feedback(browser, server, deliberation, screenshot_dir):
    from coopeval.i18n import fmt
    from coopeval.weighting import feedback

    p, tokens, fw = deliberation["project"], deliberation["tokens"], deliberation["fw"]
    kids = fw.children("overall")
    p.open_round(SESSION, 2, methods={"habitants": "points", "salarie_es": "ranking", "benevoles": "simos",
                                      "financeurs": "ahp", "collectivites": "swing"})
    me = tokens.iloc[0]
    ctx, page = _open(browser, server, me.token)
    page.wait_for_selector(".ce-feedback")
    assert "tour 2" in page.inner_text(".ce-title")
    fb = feedback(p.judgements(SESSION, 1), fw, round=1, min_group=5).query("participant == @me.participant")
    for r in fb.itertuples():
        text = page.inner_text(f".ce-fb-{r.node}")
        assert f"groupe : {fmt(100 * r.group_median, 'fr', digits=0)}\u00a0%" in text
        assert f"vous : {fmt(100 * r.own_weight, 'fr', digits=0)}\u00a0%" in text
        assert f"{r.n} réponses" in text
    # nothing of the others: no other participant id, no other individual weight on the page
    body = page.inner_text("body")
    others = set(tokens["participant"]) - {me.participant}
    assert not any(o in body for o in others)
    # the others' arguments, without names; not the participant's own
    said = page.inner_text(".ce-reasons")
    assert REASONS[1] in said and REASONS[2] in said and REASONS[0] not in said
    # the previous answer is pre-filled, so revising is a small change
    assert page.locator(f".ce-points-{kids[0]} input").input_value() == str(POINTS[0])
    _shot(page, screenshot_dir / "participation_mobile_tour2.png")
    ctx.close()


def test_expired_token_refused(browser, server, deliberation):
    p = deliberation["project"]
    p.set_setting("token_ttl_hours", 1e-6)  # a link issued now expires after 3.6 ms (fixed when issued)
    try:
        fresh = p.add_participants(SESSION, pd.DataFrame({"participant": ["sal-99"], "college": ["salarie_es"]}))
        fresh = fresh.iloc[0]
        ctx, page = _open(browser, server, fresh.token)
        assert re.search("a expiré", page.inner_text(".ce-refused"))
        ctx.close()
    finally:
        p.set_setting("token_ttl_hours", 1e6)
