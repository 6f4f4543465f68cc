"""Pure helpers of the deliberation dashboards, on a small store: elicitation
(coopeval.weighting.elicitation), token access (coopeval.store.participant_access), the
round summary (coopeval.weighting.round_summary) and the links sheet (coopeval.report.links).

Reference values are computed independently in the tests: the rank-order centroid
weights of Barron & Barrett (1996, "Decision quality using ranked attribute weights",
Management Science 42(11), 1515-1523, eq. 4: w_i = (1/k) sum_{j=i..k} 1/j), and the
points method's weights (points / 100).
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import numpy as np
import pandas as pd
import pytest

from coopeval.errors import CoopevalError, StoreError, WeightingError
from coopeval.i18n.deliberation import MESSAGES, college_name, msg
from coopeval.report.links import links_sheet, links_table, qr_svg
from coopeval.store.access import TOKEN_TTL_SETTING as TTL_SETTING
from coopeval.store.links import new_participants
from coopeval.store.participant_access import (
    FEEDBACK_COLUMNS,
    Access,
    check_access,
    own_feedback,
    submit_answers,
    token_from_query,
)
from coopeval.weighting import (
    StoppingRule,
    agreement_table,
    consensus,
    delphi_status,
    feedback,
    participant_weights,
)
from coopeval.weighting.elicitation import (
    is_complete,
    judgement_rows,
    pairs,
    pairwise_consistency,
    preview_weights,
    swing_levels,
)
from coopeval.weighting.round_summary import agreement_summary

S = "atelier"


@pytest.fixture()
def store(tmp_path):
    from coopeval.store import Project

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.create_session(S, title="Atelier")
    roster = pd.DataFrame({"participant": [f"h{i}" for i in range(6)] + [f"s{i}" for i in range(3)] + ["a0"],
                           "college": ["habitants"] * 6 + ["salarie_es"] * 3 + ["autres"]})
    tokens = p.add_participants(S, roster).set_index("participant")["token"]
    p.open_round(S, 1, methods={"habitants": "points", "salarie_es": "ranking", "autres": "swing"})
    fw = p.framework()
    return p, tokens, fw, fw.children("overall")


def _points(i: int, k: int) -> list[int]:
    base = [40, 20, 10, 10, 10, 5, 5][:k]
    return [int(x) for x in np.roll(base, i)]


def test_token_from_query():
    assert token_from_query("token=abc&lang=fr") == "abc"
    assert token_from_query("?lang=fr&token=x-_Y") == "x-_Y"
    assert token_from_query("token=") is None
    assert token_from_query("lang=fr") is None
    assert token_from_query(None) is None


def test_check_access_statuses(store):
    p, tokens, _, kids = store
    a = check_access(p, tokens["h0"])
    assert (a.status, a.participant, a.college, a.round, a.method, a.previous_round) == \
        ("ok", "h0", "habitants", 1, "points", None)
    assert a.ok and a.message() == ""
    assert check_access(p, None).status == "missing"
    assert check_access(p, "forged-token").status == "unknown"
    a0 = check_access(p, tokens["a0"])
    assert (a0.status, a0.method) == ("ok", "swing")  # the page fills swing in too
    assert "« vote »" in Access("unsupported", method="vote").message()  # a method without a page
    submit_answers(p, tokens["h0"], "points", dict(zip(kids, _points(0, len(kids)), strict=True)))
    assert check_access(p, tokens["h0"]).status == "submitted"
    p.close_round(S, 1)
    assert check_access(p, tokens["h1"]).status == "no_round"


def test_token_expiry_uses_the_project_setting(store):
    p, tokens, _, _ = store
    assert check_access(p, tokens["h1"]).ok  # no setting when issued: no expiry
    p.set_setting(TTL_SETTING, 48)
    assert check_access(p, tokens["h1"], now=datetime.now(timezone.utc) + timedelta(days=30)).ok  # fixed at issue
    late_tok = p.add_participants(S, pd.DataFrame({"participant": ["h9"], "college": ["habitants"]}))["token"].iloc[0]
    soon = datetime.now(timezone.utc) + timedelta(hours=47)
    late = datetime.now(timezone.utc) + timedelta(hours=49)
    assert check_access(p, late_tok, now=soon).ok
    a = check_access(p, late_tok, now=late)
    assert a.status == "expired" and "expiré" in a.message()
    assert "expired" in a.message("en")
    new = p.reissue_link(S, "h1")
    assert check_access(p, tokens["h1"]).status == "revoked" and "remplacé" in check_access(p, tokens["h1"]).message()
    assert check_access(p, new["token"].iloc[0]).ok
    with pytest.raises(StoreError, match="token_ttl_hours"):  # refused when set (issue 16)
        p.set_setting("token_ttl_hours", "deux jours")


def test_judgement_rows_and_completeness():
    rows = judgement_rows("points", {"social": 60, "emploi": 40}, reason="  parce que  ")
    assert rows.columns.tolist() == ["node", "value", "method", "reason"]
    assert rows["value"].tolist() == [60.0, 40.0]
    assert rows["reason"].iloc[0] == "parce que" and pd.isna(rows["reason"].iloc[1])
    assert "reason" not in judgement_rows("ranking", {"social": 1}).columns
    with pytest.raises(WeightingError, match="method"):
        judgement_rows("vote", {"social": 100})
    with pytest.raises(WeightingError, match="values"):
        judgement_rows("points", {"social": "beaucoup"})
    assert is_complete("points", {"a": 70, "b": 30})
    assert not is_complete("points", {"a": 70, "b": 20})
    assert not is_complete("points", {"a": 0, "b": 0})
    assert is_complete("ranking", {"a": 1, "b": 1})  # ties allowed
    assert not is_complete("ranking", {"a": 1, "b": None})
    assert not is_complete("simos", {})


def test_preview_points_are_points_over_100(fw):
    kids = fw.children("overall")
    pts = _points(0, len(kids))
    w = preview_weights(fw, "points", dict(zip(kids, pts, strict=True)))
    assert w["node"].tolist() == kids
    np.testing.assert_allclose(w["weight"], np.array(pts) / 100, atol=1e-12)
    assert w["label"].iloc[0] == "Social"


def test_preview_ranking_is_rank_order_centroid(fw):
    """ROC weights by hand (Barron & Barrett 1996, eq. 4): k = 7, rank r gets (1/7) sum_{j=r..7} 1/j."""
    kids = fw.children("overall")
    k = len(kids)
    ranks = [3, 1, 2, 7, 4, 6, 5]
    roc = {r: sum(1 / j for j in range(r, k + 1)) / k for r in range(1, k + 1)}
    w = preview_weights(fw, "ranking", dict(zip(kids, ranks, strict=True)))
    np.testing.assert_allclose(w["weight"], [roc[r] for r in ranks], atol=1e-12)
    assert roc[1] == pytest.approx(0.370408, abs=1e-6)  # 363/980


def test_preview_simos_orders_cards_and_sums_to_one(fw):
    kids = fw.children("overall")
    pos = [1, 2, 2, 4, 5, 6, 7]  # two cards together, one blank card before the 4th position
    w = preview_weights(fw, "simos", dict(zip(kids, pos, strict=True)))
    assert w["weight"].sum() == pytest.approx(1, abs=0.01)  # Simos weights are rounded to 2 decimals (%)
    assert w["weight"].iloc[1] == w["weight"].iloc[2]
    assert np.all(np.diff(w["weight"].to_numpy()[2:]) > 0)
    with pytest.raises(WeightingError):
        preview_weights(fw, "points", dict(zip(kids, [10] * len(kids), strict=True)))  # 70 points


def test_submit_once_and_refusals(store):
    p, tokens, _, kids = store
    pts = dict(zip(kids, _points(0, len(kids)), strict=True))
    ok, text = submit_answers(p, tokens["h0"], "points", pts, reason="Le lien social d'abord")
    assert ok and "Merci" in text and "tour 1" in text
    ok, text = submit_answers(p, tokens["h0"], "points", pts)
    assert not ok and "déjà servi" in text
    ok, text = submit_answers(p, "AAAA", "points", pts)
    assert not ok and "pas reconnu" in text
    ok, text = submit_answers(p, tokens["h1"], "points", dict(zip(kids, [10] * len(kids), strict=True)))
    assert not ok and "incomplète" in text
    ok, text = submit_answers(p, tokens["s0"], "points", pts)  # not the college's method
    assert not ok and "ranking" in text
    p.close_round(S, 1)
    ok, text = submit_answers(p, tokens["h2"], "points", pts)
    assert not ok and "Le tour est clos" in text
    j = p.judgements(S, 1)
    assert j["participant"].unique().tolist() == ["h0"] and len(j) == len(kids)
    assert j.set_index("node")["value"].to_dict() == pytest.approx({k: float(v) for k, v in pts.items()})
    assert p.rounds(S)["n_submissions"].tolist() == [1]


def _fill_round(p, tokens, kids, rnd: int) -> None:
    for i in range(6):
        assert submit_answers(p, tokens[f"h{i}"], "points", dict(zip(kids, _points(i + rnd, len(kids)),
                                                                         strict=True)),
                                reason=f"argument {i}" if i < 2 else None)[0]
    for i in range(3):
        ranks = [int(x) for x in np.roll(np.arange(1, len(kids) + 1), i)]
        assert submit_answers(p, tokens[f"s{i}"], "ranking", dict(zip(kids, ranks, strict=True)))[0]


def test_own_feedback_is_the_package_feedback_of_one_participant(store):
    p, tokens, fw, kids = store
    _fill_round(p, tokens, kids, 1)
    p.close_round(S, 1)
    p.open_round(S, 2, methods={"habitants": "points", "salarie_es": "ranking"})
    a = check_access(p, tokens["h0"])
    assert a.ok and a.round == 2 and a.previous_round == 1
    fb = own_feedback(p, a, fw, min_group=5)
    ref = feedback(p.judgements(S, 1), fw, round=1, min_group=5).query("participant == 'h0'").set_index("node")
    assert fb["node"].tolist() == kids
    np.testing.assert_allclose(fb["own_weight"], ref.loc[kids, "own_weight"], atol=1e-12)
    np.testing.assert_allclose(fb["group_median"], ref.loc[kids, "group_median"], atol=1e-12)
    np.testing.assert_allclose(fb["group_q1"], ref.loc[kids, "group_q1"], atol=1e-12)
    assert fb["n"].tolist() == [9] * len(kids)
    np.testing.assert_allclose(fb["own_value"], _points(1, len(kids)))  # pre-fills round 2
    assert set(fb.columns) == set(FEEDBACK_COLUMNS)  # nobody else's weight or id
    said = {t for cell in fb["reasons"] for t in cell.split(" | ") if t}
    assert said == {"argument 1"}  # the other's argument, not h0's own
    hidden = own_feedback(p, a, fw, min_group=10)  # 9 answers < 10: no group statistic
    assert hidden["group_median"].isna().all() and hidden["own_weight"].notna().all()


def test_agreement_summary_matches_the_package(store):
    p, tokens, fw, kids = store
    _fill_round(p, tokens, kids, 1)
    j = p.judgements(S)
    out = agreement_summary(j, fw, round=1, min_group=5)
    pw = participant_weights(j, fw)
    pd.testing.assert_frame_equal(out["overall"], agreement_table(pw))
    # 3 salarié·es < 5: pooled with the habitant·es, the only other college (shown alone, the habitant·es
    # would give the salarié·es back by difference from the overall row: coopeval.data.disclosure)
    assert out["by_college"].empty
    big = agreement_summary(j, fw, round=1, min_group=3)  # with a minimum of 3 both colleges are shown
    pd.testing.assert_frame_equal(
        big["by_college"].query("college == 'habitants'").drop(columns="college").reset_index(drop=True),
        agreement_table(pw[pw["college"] == "habitants"]).reset_index(drop=True))
    assert out["counts"].set_index("college")["n_participants"].to_dict() == {"habitants": 6, "salarie_es": 3}
    # one round: share of nodes in consensus by the rule (delphi_status needs two rounds today)
    rule = StoppingRule()
    share = consensus(j, fw, rule)["consensus"].mean()
    st = out["status"].iloc[0]
    assert st["round"] == 1 and st["share_consensus"] == pytest.approx(share)
    assert bool(st["stop"]) == (share >= rule.min_consensus_share)
    p.close_round(S, 1)
    p.open_round(S, 2, methods={"habitants": "points", "salarie_es": "ranking"})
    _fill_round(p, tokens, kids, 2)
    j2 = p.judgements(S)
    out2 = agreement_summary(j2, fw, round=2, min_group=5, rule=rule)
    pd.testing.assert_frame_equal(out2["status"], delphi_status(j2, fw, rule))
    assert agreement_summary(j2.iloc[0:0], fw, round=1)["overall"].empty


def test_links_and_new_participants():
    tokens = pd.DataFrame({"participant": ["hab-01", "hab-02"], "college": ["habitants"] * 2,
                           "token": ["a+b/c", "xyz"]})
    links = links_table(tokens, "https://atelier.example.org/")
    assert links.columns.tolist() == ["participant", "college", "link"]
    assert links["link"].tolist() == [
        "https://atelier.example.org/coopeval/participation?token=a%2Bb%2Fc",
        "https://atelier.example.org/coopeval/participation?token=xyz"]
    assert token_from_query(links["link"].iloc[0].split("?", 1)[1]) == "a+b/c"
    with pytest.raises(StoreError, match="tokens"):
        links_table(tokens.drop(columns="token"), "http://h")
    new = new_participants("salarie_es", 3, ["sal-02"])
    assert new["participant"].tolist() == ["sal-01", "sal-03", "sal-04"]
    assert set(new["college"]) == {"salarie_es"}
    with pytest.raises(CoopevalError, match="n"):
        new_participants("habitants", 0)
    with pytest.raises(CoopevalError, match="college"):
        new_participants("  ", 2)


def test_messages_exist_in_both_languages():
    for key, texts in MESSAGES.items():
        assert texts["fr"] and texts["en"], key
    with pytest.raises(CoopevalError, match="key"):
        msg("nope")


def test_direct_ratings_and_pairs(fw):
    kids = fw.children("overall")
    ratings = [10, 5, 5, 0, 3, 2, 1]
    assert is_complete("direct", dict(zip(kids, ratings, strict=True)))
    assert not is_complete("direct", dict(zip(kids, [0] * len(kids), strict=True)))
    assert not is_complete("direct", dict(zip(kids, [11] + ratings[1:], strict=True)))
    w = preview_weights(fw, "direct", dict(zip(kids, ratings, strict=True)))
    np.testing.assert_allclose(w["weight"], np.array(ratings) / sum(ratings), atol=1e-12)
    keys = pairs(kids)
    assert len(keys) == len(kids) * (len(kids) - 1) // 2 == 21
    assert is_complete("ahp", dict.fromkeys(keys, 1 / 9)) and not is_complete("ahp", dict.fromkeys(keys, 10))
    equal = preview_weights(fw, "ahp", dict.fromkeys(keys, 1.0))
    np.testing.assert_allclose(equal["weight"], 1 / len(kids), atol=1e-12)


def test_pairwise_consistency_by_hand():
    """A consistent and a cyclic set of comparisons.

    Consistent: a = 2 b = 4 c (a|b = 2, b|c = 2, a|c = 4): lambda_max = n = 3, CR = 0.
    Cyclic: a|b = 3, b|c = 3, c|a = 3, i.e. A = [[1, 3, 1/3], [1/3, 1, 3], [3, 1/3, 1]], a
    circulant matrix whose Perron eigenvalue is the row sum 1 + 3 + 1/3 = 13/3; CI =
    (13/3 - 3) / 2 = 2/3, RI(3) = 0.58 (Saaty 1980, Table 1.7), CR = (2/3) / 0.58 = 1.1494.
    """
    ok = pairwise_consistency(["a", "b", "c"], {"a|b": 2, "b|c": 2, "a|c": 4})
    assert ok["ratio"] == pytest.approx(0, abs=1e-9) and ok["ok"]
    cyc = pairwise_consistency(["a", "b", "c"], {"a|b": 3, "b|c": 3, "a|c": 1 / 3})
    assert cyc["ratio"] == pytest.approx((2 / 3) / 0.58, abs=1e-6)
    assert not cyc["ok"] and set(cyc["worst"]) <= {"a", "b", "c"}


def test_participant_page_in_french_and_english(store):
    """The page's widgets, without a browser: French by default, English on request."""
    import string

    from coopeval.i18n.participation_text import TEXT
    from coopeval.widgets.participation import ParticipationApp, participation_app

    for key, (fr, en) in TEXT.items():
        fields = lambda t: {f for _, f, _, _ in string.Formatter().parse(t) if f}  # noqa: E731
        assert fr and en and fields(fr) == fields(en), key
    p, tokens, _, kids = store
    fr = participation_app(p, tokens["h0"])
    assert "tour 1" in fr.root.children[1].value and fr.submit.description == "Envoyer ma réponse"
    assert fr.submit.disabled  # nothing given yet
    en = participation_app(p, tokens["s0"], lang="en")
    assert "round 1" in en.root.children[1].value and en.submit.description == "Send my answer"
    assert en.inputs[kids[0]].description == "Social: rank"
    for i, node in enumerate(kids, start=1):
        en.inputs[node].value = i
    assert not en.submit.disabled and "Your weights" in en.preview.value
    en._on_submit(None)
    assert "Thank you" in en.status.value
    assert "already been used" in participation_app(p, tokens["s0"], lang="en").root.children[1].value
    assert "pas reconnu" in participation_app(p, "forged").root.children[1].value
    assert "Aucun projet" in ParticipationApp(None, tokens["h1"]).root.children[1].value


def test_facilitator_page_in_french_and_english(store, monkeypatch):
    """The facilitator's widgets, without a browser: texts in both languages, package figures."""
    import string

    from coopeval.i18n import fmt
    from coopeval.i18n.animation_text import TEXT
    from coopeval.widgets.animation import animation_app

    for key, (fr, en) in TEXT.items():
        fields = lambda t: {f for _, f, _, _ in string.Formatter().parse(t) if f}  # noqa: E731
        assert fr and en and fields(fr) == fields(en), key
    p, tokens, fw, kids = store
    _fill_round(p, tokens, kids, 1)
    p.set_facilitator_secret("code de test assez long")
    fac = p.as_role("facilitator")
    gate = animation_app(fac, auto_refresh=None)
    gate.secret.value = "mauvais code"
    gate._on_enter(None)
    assert gate.app is None and "Code incorrect" in gate.status.value
    gate.secret.value = "code de test assez long"
    gate._on_enter(None)
    fr = gate.app
    assert "Réponses reçues au tour 1" in fr.follow.value and "Accord du groupe" in fr.follow.value
    en_gate = animation_app(fac, lang="en", auto_refresh=None)
    en_gate.secret.value = "code de test assez long"
    en_gate._on_enter(None)
    en = en_gate.app
    assert "Answers received in round 1" in en.follow.value and "Group agreement" in en.follow.value
    assert "Accord" not in en.follow.value
    table = agreement_table(participant_weights(p.judgements(S, 1), fw)).set_index("node")
    assert f"<td class='num'>{fmt(table.at['social', 'cv'], 'en', digits=2)}</td>" in en.follow.value
    assert f"<td class='num'>{fmt(table.at['social', 'cv'], 'fr', digits=2)}</td>" in fr.follow.value
    # 3 salarié·es (< 5) pooled with the habitant·es, the only other college: no college shown alone
    # (the overall row minus the habitant·es would give the salarié·es), and the page says why
    assert "ce-agreement-college" not in fr.follow.value and "Aucun collège ne peut encore être affiché seul" \
        in fr.follow.value
    en._on_close(None)
    assert "Round 1 closed" in en.status["rounds"].value and p.rounds(S)["status"].tolist() == ["closed"]
    monkeypatch.delenv("COOPEVAL_PROJECT", raising=False)
    assert "No project is open" in animation_app(None, lang="en").value


# ---------------------------------------------------------------------- swing
SWINGS = [100, 40, 70, 25, 55, 10, 0]  # the participant's swing points, in the order of fw.children("overall")


def test_swing_rows_give_the_weights_of_the_package_swing(store):
    """The page's rows for a swing answer, submitted through the store, weigh what
    ``coopeval.weighting.swing`` gives on the same points (w_i = s_i / sum s_j,
    von Winterfeldt & Edwards 1986, ch. 8); checked by hand too: sum = 300, so
    100 -> 1/3, 40 -> 2/15, 0 -> 0."""
    from coopeval.weighting import swing

    p, tokens, fw, kids = store
    answers = dict(zip(kids, SWINGS, strict=True))
    rows = judgement_rows("swing", answers, reason="L'emploi d'abord")
    assert rows["method"].unique().tolist() == ["swing"]
    assert rows.set_index("node")["value"].to_dict() == {k: float(v) for k, v in answers.items()}
    ref = swing(answers)
    np.testing.assert_allclose(ref.loc[kids].to_numpy(), np.array(SWINGS) / 300, atol=1e-15)
    assert ref[kids[0]] == pytest.approx(1 / 3, abs=1e-12) and ref[kids[1]] == pytest.approx(2 / 15, abs=1e-12)
    preview = preview_weights(fw, "swing", answers).set_index("node")["weight"]
    np.testing.assert_allclose(preview.loc[kids].to_numpy(), ref.loc[kids].to_numpy(), atol=1e-12)
    ok, text = submit_answers(p, tokens["a0"], "swing", answers)
    assert ok, text
    stored = p.judgements(S, 1).query("participant == 'a0'")
    assert (stored["method"] == "swing").all()
    pw = participant_weights(stored, fw).set_index("node")["weight"]
    np.testing.assert_allclose(pw.loc[kids].to_numpy(), ref.loc[kids].to_numpy(), atol=1e-12)


def test_swing_completeness_needs_the_top_swing_at_100():
    assert is_complete("swing", {"a": 100, "b": 0})
    assert not is_complete("swing", {"a": 99, "b": 40})  # nobody at 100 yet
    assert not is_complete("swing", {"a": 100, "b": 120})
    assert not is_complete("swing", {"a": 100, "b": None})
    with pytest.raises(WeightingError):
        preview_weights(__import__("coopeval").load_framework("cooperation_territoriale"), "swing",
                          {"social": 80})  # not every dimension, not at 100


def test_swing_levels_are_the_swing_table(fw):
    """Every indicator under each dimension, with the worst/best of ``swing_table`` (framework bounds)."""
    from coopeval.weighting import swing_table

    lv = swing_levels(fw)
    assert list(dict.fromkeys(lv["node"])) == fw.children("overall")
    for node in fw.children("overall"):
        ref = swing_table(fw, node)
        got = lv[lv["node"] == node]
        assert got["indicator"].tolist() == ref["indicator"].tolist()
        np.testing.assert_array_equal(got["worst"].to_numpy(), ref["worst"].to_numpy(dtype=float))
        np.testing.assert_array_equal(got["best"].to_numpy(), ref["best"].to_numpy(dtype=float))
    row = lambda ind: lv.set_index("indicator").loc[ind]  # noqa: E731
    # plain words: a proportion in %, a count with its unit, a decreasing indicator from high to low
    decreasing = fw.indicators.query("direction == 'decrease'")["indicator"]
    for ind in decreasing:
        assert row(ind)["worst"] > row(ind)["best"]
    props = fw.indicators[fw.indicators["unit"] == "proportion"]
    first = props.iloc[0]
    assert row(first["indicator"])["worst_text"].endswith("\u00a0%")
    units = fw.indicators.set_index("indicator")["unit"]
    counted = [i for i in lv["indicator"] if units[i] == "personnes"]
    assert counted and row(counted[0])["best_text"].endswith("\u00a0personnes")


def test_swing_page_without_a_browser(store):
    """The swing page: one field per dimension, the swing in words, weights previewed, submit."""
    from coopeval.weighting import swing
    from coopeval.widgets.participation import participation_app

    p, tokens, fw, kids = store
    page = participation_app(p, tokens["a0"])
    assert page.method == "swing" and list(page.inputs) == kids
    html_all = "".join(getattr(w, "value", "") for w in page.root.children if hasattr(w, "value"))
    assert "pire niveau" in html_all
    assert page.submit.disabled
    for node, v in zip(kids, SWINGS, strict=True):
        page.inputs[node].value = v
    assert not page.submit.disabled
    ref = swing(dict(zip(kids, SWINGS, strict=True)))
    assert f"{round(100 * ref[kids[0]])}\u00a0%" in page.preview.value
    page._on_submit(None)
    assert "Merci" in page.status.value


# ---------------------------------------------------------------------- printable sheet with QR codes
def _svg_matrix(svg: str) -> np.ndarray:
    """Rebuild the module matrix from segno's SVG path, independently of segno: the path is
    a list of absolute ``M x y`` / relative ``m dx dy`` moves and ``h dx`` horizontal strokes
    of width 1 drawn at mid-height of each row (``y = row + 0.5``)."""
    import re

    width = int(re.search(r"viewBox=\"0 0 (\d+) (\d+)\"", svg).group(1))
    path = re.search(r' d="([^"]+)"', svg).group(1)
    m = np.zeros((width, width), dtype=np.uint8)
    x = y = 0.0
    for cmd, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s(-?[\d.]+))?", path):
        if cmd == "M":
            x, y = float(a), float(b)
        elif cmd == "m":
            x, y = x + float(a), y + float(b)
        else:
            dx = float(a)
            m[int(y - 0.5), int(x):int(x + dx)] = 1
            x += dx
    return m


def _decode(matrix: np.ndarray) -> list[str]:
    """Decode a QR module matrix with ZXing (zxing-cpp), the reference open-source barcode reader."""
    zxingcpp = pytest.importorskip("zxingcpp")
    img = np.kron(np.where(matrix == 1, 0, 255).astype(np.uint8), np.ones((4, 4), dtype=np.uint8))
    return [r.text for r in zxingcpp.read_barcodes(img) if r.format == zxingcpp.BarcodeFormat.QRCode]


def test_qr_sheet_decodes_to_each_link():
    """Every card's QR code, read back from the sheet's SVG by an independent decoder (ZXing),
    gives exactly that card's link; segno's own matrix and version agree with what is drawn."""
    import re

    import segno

    tokens = pd.DataFrame({"participant": ["hab-01", "sal-01", "xyz-01"],
                           "college": ["habitants", "salarie_es", "voisins"],
                           "token": ["Qm9uam91ciBsZXMgY29vcMOpcmF0aW9ucyEhIQ-_", "a" * 43, "Zz9_-" * 8 + "abc"]})
    links = links_table(tokens, "https://atelier.example.org:8866/")
    sheet = links_sheet(links, session="atelier")
    cards = re.findall(r"<section class='ce-card' data-participant='([^']+)'>(.*?)</section>", sheet, re.S)
    assert [c[0] for c in cards] == links["participant"].tolist()
    assert sheet.count("<svg") == len(links) == 3
    for (who, body), link in zip(cards, links["link"], strict=True):
        svg = re.search(r"<svg.*?</svg>", body, re.S).group(0)
        drawn = _svg_matrix(svg)
        assert _decode(drawn) == [link], who
        q = segno.make(link, error="m", micro=False)
        assert not q.is_micro and q.error == "M" and q.mode == "byte"
        # version v has 17 + 4 v modules a side, plus the 4-module quiet zone on each side
        assert drawn.shape == (17 + 4 * q.version + 8,) * 2 == q.symbol_size(border=4)
        np.testing.assert_array_equal(drawn, np.array(list(q.matrix_iter(border=4)), dtype=np.uint8))
        assert f"href='{link}'" in body
    # readable college names, the raw id when no label exists; pseudonymous ids only
    assert "Habitant·es" in sheet and "Salarié·es" in sheet and "voisins" in sheet
    assert "@page { size: A4" in sheet
    assert college_name("salarie_es") == "Salarié·es" and college_name("salarie_es", "en") == "Employees"
    en = links_sheet(links, session="atelier", lang="en")
    assert "Personal links" in en and "Employees" in en and "<html lang='en'>" in en
    with pytest.raises(StoreError, match="links"):
        links_sheet(links.drop(columns="link"))
    with pytest.raises(StoreError, match="no link for hab-01"):
        links_sheet(links.assign(link=["", "x", "y"]))


def test_decoder_is_not_fooled():
    """The decoding check can fail: a blank matrix reads nothing, another link reads as itself,
    and damage beyond what error correction level L recovers (~7 %) is not read as the link."""
    link = "https://atelier.example.org/?token=abc"
    m = _svg_matrix(qr_svg(link, error="l"))
    assert _decode(m) == [link]
    assert _decode(np.zeros_like(m)) == []
    assert _decode(_svg_matrix(qr_svg(link + "d", error="l"))) == [link + "d"]
    damaged = m.copy()
    damaged[12:20, 12:20] = 1 - damaged[12:20, 12:20]  # 64 data modules flipped in the middle
    assert _decode(damaged) != [link]


def test_facilitator_page_hides_a_round_of_fewer_than_min_group(store):
    """Four answers in all (< 5): the page shows who answered, no agreement figure, and why."""
    from coopeval.widgets.animation import animation_app

    p, tokens, fw, kids = store
    for i in range(4):
        assert submit_answers(p, tokens[f"h{i}"], "points", dict(zip(kids, _points(i, len(kids)), strict=True)))[0]
    p.set_facilitator_secret("code de test assez long")
    gate = animation_app(p.as_role("facilitator"), auto_refresh=None)
    gate.secret.value = "code de test assez long"
    gate._on_enter(None)
    page = gate.app.follow.value
    assert "ce-counts" in page and "ce-agreement" not in page
    assert ("<p class='ce-small-groups'>Poids combinés non montrés pour les dimensions : moins de 5 participant·es "
            "les ont donnés (règle des petits groupes) ; les scores y gardent les poids par défaut du "
            "référentiel.</p>") in page
