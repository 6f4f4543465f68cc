"""The weights shown back after a submission (issue 23): computed without a second validation for
the proportional methods, and equal to what :func:`coopeval.weighting.participant_weights`
computes from the same answers (the package's own, independent path), for every method."""

from __future__ import annotations

import numpy as np
import pytest

from coopeval.framework import load_framework
from coopeval.web.shown_weights import shown_weights
from coopeval.weighting import participant_weights
from coopeval.weighting.elicitation import judgement_rows, pairs

FW = load_framework("cooperation_territoriale")
KIDS = FW.children("overall")


def _reference(method: str, values: dict) -> dict[str, float]:
    rows = judgement_rows(method, values).assign(session="s", round=1, participant="p", college="c")
    pw = participant_weights(rows[["session", "round", "participant", "college", "method", "node", "value"]], FW)
    return pw[pw["parent"] == "overall"].set_index("node")["weight"].to_dict()


def _answers(method: str, rng: np.random.Generator) -> dict:
    if method == "points":
        cut = np.sort(rng.integers(0, 101, len(KIDS) - 1))
        pts = np.diff(np.r_[0, cut, 100]).astype(float)
        if pts.sum() == 0 or (pts == 0).all():
            pts[0] = 100
        return dict(zip(KIDS, pts, strict=True))
    if method == "direct":
        v = rng.integers(0, 11, len(KIDS)).astype(float)
        v[rng.integers(len(KIDS))] = 10
        return dict(zip(KIDS, v, strict=True))
    if method == "swing":
        v = rng.integers(0, 101, len(KIDS)).astype(float)
        v[rng.integers(len(KIDS))] = 100
        return dict(zip(KIDS, v, strict=True))
    if method == "ranking":
        return dict(zip(KIDS, rng.permutation(len(KIDS)) + 1.0, strict=True))
    return {k: float(rng.choice([1 / 5, 1 / 3, 1.0, 3.0, 5.0])) for k in pairs(KIDS)}  # ahp


@pytest.mark.parametrize("method", ["points", "direct", "swing", "ranking", "ahp"])
def test_shown_weights_are_the_package_weights(method):
    rng = np.random.default_rng(23)
    for _ in range(15):
        values = _answers(method, rng)
        got = shown_weights(FW, FW.hash, method, values, lang="fr")
        assert [n for n, _, _ in got] == KIDS
        ref = _reference(method, values)
        np.testing.assert_allclose([w for _, _, w in got], [ref[k] for k in KIDS], rtol=0, atol=1e-12)
        assert abs(sum(w for _, _, w in got) - 1) < 1e-12


def test_labels_in_the_page_language():
    pts = dict(zip(KIDS, [30, 10, 15, 10, 20, 10, 5], strict=True))
    fr = shown_weights(FW, FW.hash, "points", pts, lang="fr")
    en = shown_weights(FW, FW.hash, "points", pts, lang="en")
    nodes = FW.nodes.set_index("node")
    assert [lab for _, lab, _ in fr] == nodes.loc[KIDS, "label_fr"].tolist()
    assert [lab for _, lab, _ in en] == nodes.loc[KIDS, "label_en"].tolist()


def test_no_weights_without_a_positive_total():
    assert shown_weights(FW, FW.hash, "points", dict.fromkeys(KIDS, 0.0)) == []
    assert shown_weights(FW, FW.hash, "points", dict(dict.fromkeys(KIDS, 10.0), social=None)) == []


def test_access_of_another_token_is_not_trusted(tmp_path):
    """submit_answers reuses the caller's fresh check only for the same token; the store checks again."""
    import pandas as pd

    from coopeval.store import Project
    from coopeval.store.participant_access import check_access, submit_answers

    p = Project.create(tmp_path / "p.sqlite", framework="cooperation_territoriale")
    p.create_session("s")
    tok = p.add_participants("s", pd.DataFrame({"participant": ["a", "b"], "college": ["c", "c"]}))["token"]
    p.open_round("s", 1, methods="points")
    ok = check_access(p, tok[0])
    pts = dict(zip(KIDS, [30, 10, 15, 10, 20, 10, 5], strict=True))
    stored, text = submit_answers(p, "forged", "points", pts, access=ok)
    assert not stored and "reconnu" in text
    assert submit_answers(p, tok[0], "points", pts, access=ok)[0]
    stored, text = submit_answers(p, tok[0], "points", pts, access=ok)  # a stale "ok": the store refuses
    assert not stored and len(p.judgements("s", 1)) == len(KIDS)
