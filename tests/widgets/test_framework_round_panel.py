"""The framework-round panel of the facilitator page keeps a proposal's row across refreshes.

A refresh (the button, or the votes arriving) rebuilt every row of outcome and reason fields, so the
page replaced their views: a reason typed meanwhile could be dropped (seen once in the browser test
``tests/dashboards/test_framework_round.py``: the recorded reason was empty). The rows are now kept
while their fields are the same, and a new proposal gets a new row.
"""

from __future__ import annotations

import pandas as pd

import coopeval as ce


def test_rows_kept_across_refreshes_reason_recorded(tmp_path):
    from coopeval.widgets.animation import animation_app

    p = ce.Project.create(str(tmp_path / "p.coopeval"), framework="cooperation_territoriale")
    roster = pd.DataFrame([{"participant": f"h{i}", "college": "habitants"} for i in range(5)])
    p.create_session("ref", title="Ce qui compte")
    tok = p.add_participants("ref", roster)["token"].tolist()
    p.open_framework_round("ref", 1)
    p.propose(tok[0], "remove", "lieux_partages", why="sans rapport")
    p.set_facilitator_secret("code de test assez long")
    gate = animation_app(p.as_role("facilitator"), auto_refresh=None)
    gate.secret.value = "code de test assez long"
    gate._on_enter(None)
    panel = gate.app.framework_round
    gate.app.session.value = "ref"
    panel.refresh()
    (pid,) = panel.pickers
    row = panel.outcomes.children[0]
    panel.pickers[pid][1].value = "Les habitant·es tiennent au lieu ouvert."
    panel.refresh()
    assert panel.outcomes.children[0] is row                      # same row, same view in the page
    assert panel.pickers[pid][1].value == "Les habitant·es tiennent au lieu ouvert."
    p.propose(tok[1], "rename", "participants_actifs", text="Personnes qui s'impliquent")
    panel.refresh()
    assert len(panel.outcomes.children) == 2 and panel.outcomes.children[0] is row
