"""The facilitator page without a browser (issue 23): behind the facilitator secret, every link
listed and re-issued, colleges from the project's list, methods carried over to the next round,
the round shown following the open round, refusals in French, and the page refreshing itself."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from coopeval.widgets.animation import FacilitatorLogin, animation_app, server_address

SECRET = "code animation assez long"


@pytest.fixture()
def page(tmp_path):
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.set_facilitator_secret(SECRET)
    p.create_session("atelier", title="Atelier")
    gate = animation_app(p.as_role("facilitator"), base_url="http://192.0.2.10:8900", auto_refresh=None)
    assert isinstance(gate, FacilitatorLogin) and gate.app is None
    gate.secret.value = SECRET
    gate._on_enter(None)
    return p, gate.app


def test_links_listed_reissued_and_downloadable(page):
    p, app = page
    assert "habitants" in dict((v, k) for k, v in app.college.options)  # the project's list, readable names
    app.college.value, app.count.value = "habitants", 3
    app._on_issue(None)
    app.college.value, app.count.value = "salarie_es", 2
    app._on_issue(None)  # a second batch: the first one is still listed
    links = p.issued_links("atelier", p.facilitator_login(SECRET))
    assert len(links) == 5
    for t in links["token"]:
        assert f"/coopeval/participation?token={t}" in app.links.value
    assert app.links.value.count("href='http://192.0.2.10:8900/coopeval/participation") == 5
    assert "ce-sheet-download" in app.links.value and "ce-csv-download" in app.links.value
    assert "liste ci-dessous" in app.status["people"].value and not app.status["session"].value
    old = links.set_index("participant").at["hab-02", "token"]
    app.reissue_who.value = "hab-02"
    app._on_reissue(None)
    assert old not in app.links.value, app.links.value[app.links.value.find(old) - 300:app.links.value.find(old) + 20]
    assert "ancien ne fonctionne plus" in app.status["people"].value
    assert p.token_info(old).status == "revoked"


def test_methods_carried_over_and_round_shown_follows(page):
    p, app = page
    app.college.value, app.count.value = "habitants", 5
    app._on_issue(None)
    app.method_pickers["habitants"].value = "ahp"
    app._on_open(None)
    assert app.round.value == 1 and "Tour 1 ouvert" in app.status["rounds"].value
    app._on_close(None)
    fresh = animation_app(p.as_role("facilitator"), auto_refresh=None)
    fresh.secret.value = SECRET
    fresh._on_enter(None)
    assert fresh.app.method_pickers["habitants"].value == "ahp"  # last round's method, not « 100 points »
    fresh.app._on_open(None)
    assert fresh.app.round.value == 2 and p.rounds("atelier")["methods"].iloc[1] == {"habitants": "ahp"}
    fresh.app._on_open(None)  # a second open while one is open: refused in French
    assert "Un tour est déjà ouvert" in fresh.app.status["rounds"].value
    assert "round:" not in fresh.app.status["rounds"].value


def test_page_refreshes_itself_when_answers_arrive(tmp_path):
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.set_facilitator_secret(SECRET)
    p.create_session("atelier")
    tok = p.add_participants("atelier", pd.DataFrame({"participant": ["a"], "college": ["habitants"]}))
    p.open_round("atelier", 1, methods="direct")
    gate = animation_app(p.as_role("facilitator"), auto_refresh=0.2)
    gate.secret.value = SECRET
    gate._on_enter(None)
    app = gate.app
    try:
        assert "<td class='num'>0</td>" in app.rounds_html.value
        dims = p.framework().children("overall")
        p.submit(tok["token"].iloc[0], pd.DataFrame({"node": dims, "value": [9] + [5] * (len(dims) - 1)}))
        deadline = time.monotonic() + 10
        while "<td class='num'>1</td>" not in app.rounds_html.value and time.monotonic() < deadline:
            time.sleep(0.1)
        assert "<td class='num'>1</td>" in app.rounds_html.value
    finally:
        app.stop()


def test_server_address():
    assert server_address({"COOPEVAL_PUBLIC_URL": "http://10.0.0.5:8900/"}) == "http://10.0.0.5:8900"
    assert server_address({}) == "http://127.0.0.1:8866"


def test_college_agreement_not_estimable_when_each_member_used_another_method(tmp_path):
    """The sample project: in each college the 5 members used 5 different methods, so the
    within-college agreement cannot be told apart from the method effect. The page says so
    (French, then English) instead of the false « 100 % · 0,00 » it showed."""
    import coopeval as ce

    p = ce.Project.create_sample(tmp_path / "s.sqlite")
    j = p.agreement_inputs("atelier_2025")
    assert (j.groupby(["college", "method"])["participant"].nunique() == 1).all()
    p.set_facilitator_secret(SECRET)
    for lang, sentence, cell in (("fr", "chaque membre a utilisé une méthode différente", "non estimable"),
                                 ("en", "each member used a different method", "not estimable")):
        gate = animation_app(p.as_role("facilitator"), lang=lang, auto_refresh=None)
        gate.secret.value = SECRET
        gate._on_enter(None)
        app = gate.app
        app.session.value = "atelier_2025"
        page = app.follow.value
        college = page[page.find("ce-agreement-college"):]
        assert "ce-agreement-college" in page and sentence in college, college[:2000]
        assert college.count(cell) >= 5 * 7 and "100\u00a0%" not in college[:college.find("</table>")]
