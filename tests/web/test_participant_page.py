"""The light participant page (issue 23): the same checks and storage as the notebook page, as
plain HTML without a kernel — prefilled round 2 for every method, refusals in French (English
with lang=en), html lang, labels for every field."""

from __future__ import annotations

import html
import re

import pandas as pd
import pytest

from coopeval.web.participant_page import handle_submit, parse_form, render_form
from coopeval.weighting.elicitation import pairs

S = "atelier"


@pytest.fixture()
def store(tmp_path):
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.create_session(S)
    roster = pd.DataFrame({"participant": ["h1", "h2", "f1"], "college": ["habitants", "habitants", "financeurs"]})
    tok = p.add_participants(S, roster).set_index("participant")["token"]
    p.open_round(S, 1, methods={"habitants": "points", "financeurs": "ahp"})
    return p, tok, p.framework().children("overall")


def test_form_labels_and_language(store):
    p, tok, kids = store
    page = render_form(p, tok["h1"])
    assert "<html lang='fr'>" in page and "Ce qui compte pour vous — tour 1" in page
    for n in kids:  # every field has a label (for=) and an accessible name
        assert f"<label for='f-{n}'>" in page and f"class='ce-points-{n}'" in page
    assert "aria-label='" in page and "Envoyer ma réponse" in page
    en = render_form(p, tok["h1"], "en")
    assert "<html lang='en'>" in en and "What matters to you" in en and "Envoyer" not in en
    refused = html.unescape(render_form(p, "forged"))
    assert "ce-refused" in refused and "n'est pas reconnu" in refused
    assert "This link is not recognised" in render_form(p, "forged", "en")
    assert "incomplet" in html.unescape(render_form(p, None))


def test_submit_once_then_round_two_prefilled(store):
    p, tok, kids = store
    points = dict(zip(kids, ["30", "10", "15", "10", "20", "10", "5"], strict=True))
    bad = html.unescape(handle_submit(p, tok["h1"], dict(points, social="40")))  # 110 points: refused, nothing stored
    assert "ce-refused" in bad and "incomplète" in bad and p.rounds(S)["n_submissions"].iloc[0] == 0
    done = handle_submit(p, tok["h1"], dict(points, __reason="Le lien social d'abord"))
    assert "ce-stored" in done and "Merci" in done and "http-equiv='refresh'" in done
    assert re.search(r"ce-weight-social'><td>[^<]+</td><td class='ce-weight-value'>30\xa0%", done)
    again = html.unescape(handle_submit(p, tok["h1"], points))
    assert "déjà servi" in again  # a second post is refused
    assert "Merci" in html.unescape(render_form(p, tok["h1"]))  # the page reloaded: the answer is stored
    j = p.judgements(S, 1)
    assert j.set_index("node")["value"].reindex(kids).tolist() == [30, 10, 15, 10, 20, 10, 5]
    ahp = {k: (3.0 if i % 2 else 1 / 5) for i, k in enumerate(pairs(kids))}
    form = {k: repr(v) for k, v in ahp.items()}
    assert parse_form("ahp", kids, form) == pytest.approx(ahp)
    assert "ce-stored" in handle_submit(p, tok["f1"], form)
    p.close_round(S, 1)
    waiting = html.unescape(render_form(p, tok["h1"]))
    assert "Aucun tour" in waiting and "http-equiv='refresh'" in waiting  # the page refreshes itself
    p.open_round(S, 2, methods={"habitants": "points", "financeurs": "ahp"})
    r2 = html.unescape(render_form(p, tok["h1"]))
    assert "tour 2" in r2 and "Votre réponse précédente est reprise" in r2 and "ce-fb-social" in r2
    assert f"name='{kids[0]}' type='number' inputmode='numeric' min='0' max='100' step='1' value='30'" in r2
    a2 = render_form(p, tok["f1"])
    for k, v in ahp.items():  # every pair comes back
        a, b = k.split("|")
        sel = re.search(rf"name='{re.escape(k)}'.*?</select>", a2).group(0)
        assert f"value='{v!r}' selected" in sel, (a, b)
