"""Round 2 continues round 1 on the participant page (issue 23): every method prefilled with the
participant's own answers (AHP pairs included), a changed method starting unanswered (never at
equal weights), and a waiting page rebuilding itself when the next round opens."""

from __future__ import annotations

import time

import pandas as pd
import pytest

from coopeval.weighting.elicitation import pairs
from coopeval.widgets.participation import ParticipationApp

S = "atelier"


@pytest.fixture()
def two_rounds(tmp_path):
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.create_session(S)
    tok = p.add_participants(S, pd.DataFrame({"participant": ["f1", "h1"], "college": ["financeurs", "habitants"]}))
    tok = tok.set_index("participant")["token"]
    kids = p.framework().children("overall")
    p.open_round(S, 1, methods={"financeurs": "ahp", "habitants": "points"})
    ahp = {k: (3.0 if i % 2 else 1 / 5) for i, k in enumerate(pairs(kids))}
    p.submit(tok["f1"], pd.DataFrame({"node": list(ahp), "value": list(ahp.values())}))
    p.submit(tok["h1"], pd.DataFrame({"node": kids, "value": [40, 10, 10, 10, 10, 10, 10]}))
    p.close_round(S, 1)
    p.open_round(S, 2, methods={"financeurs": "ahp", "habitants": "direct"})
    return p, tok, kids, ahp


def test_ahp_answers_come_back(two_rounds):
    p, tok, kids, ahp = two_rounds
    app = ParticipationApp(p.as_role("participant"), tok["f1"], watch=None)
    assert app.access.round == 2 and app.method == "ahp"
    got = {k: w.value for k, w in app.inputs.items()}
    assert got == pytest.approx(ahp)  # every pair as answered in round 1
    page = "".join(getattr(c, "value", "") for c in app.root.children)
    assert not app.submit.disabled and "Votre réponse précédente est reprise" in page


def test_changed_method_starts_unanswered(two_rounds):
    p, tok, kids, _ = two_rounds
    app = ParticipationApp(p.as_role("participant"), tok["h1"], watch=None)
    assert app.method == "direct"
    assert set(app.values().values()) == {0}  # not 5 everywhere
    assert app.submit.disabled and "Encore 7 dimension(s) à noter" in app.total.value
    page = "".join(getattr(c, "value", "") for c in app.root.children)
    assert "La méthode de votre collège a changé" in page
    for i, n in enumerate(kids):
        app.inputs[n].value = 3 + i % 4
    assert not app.submit.disabled and "Chaque dimension a une note" in app.total.value


def test_waiting_page_rebuilds_when_the_next_round_opens(two_rounds):
    p, tok, kids, ahp = two_rounds
    app = ParticipationApp(p.as_role("participant"), tok["f1"], watch=0.2)
    try:
        app._on_submit(None)
        assert "Merci" in app.status.value
        p.close_round(S, 2)
        p.open_round(S, 3, methods="ahp")
        deadline = time.monotonic() + 15
        text = lambda: "".join(getattr(c, "value", "") for c in app.root.children)  # noqa: E731
        while "Le tour 3 est ouvert" not in text() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert app.access.round == 3 and app.access.ok
        page = text()
        assert "Le tour 3 est ouvert" in page and "tour 3" in page
    finally:
        app.stop()
