"""Validation of the Judgements contract and conversion to participant weights."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import WeightingError


def _row(p, college, method, node, value, rnd=1):
    return {"session": "s", "round": rnd, "participant": p, "college": college, "method": method,
            "node": node, "value": value}


def test_every_problem_is_reported_at_once(fw):
    dims = fw.children("overall")
    rows = [_row("p1", "habitants", "points", d, 100 / 7 if i < 6 else 100 - 6 * (100 / 7))
            for i, d in enumerate(dims)]
    rows += [
        _row("p2", "habitants", "points", "social", 60),      # incomplete group
        _row("p3", "habitants", "direct", "nouveau_noeud", 5),  # unknown node
        _row("p4", "habitants", "ranking", "creation_emplois", 3),  # rank out of 1..2
        _row("p4", "habitants", "ranking", "qualite_emploi", 1),
        _row("p5", "habitants", "ahp", "creation_emplois|qualite_emploi", 3),
        _row("p5", "habitants", "ahp", "qualite_emploi|creation_emplois", 3),  # not reciprocal
        _row("p6", "inconnus", "direct", "creation_emplois", 4),  # unknown college
        _row("p6", "inconnus", "direct", "qualite_emploi", 4),
        _row("p7", "habitants", "vote", "social", 1),  # unknown method
    ]
    with pytest.raises(WeightingError) as err:
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw, colleges=["habitants", "salarie_es"])
    text = str(err.value)
    issues = err.value.issues
    assert len(issues) >= 6
    assert any(i.key == "emploi" and "participant p2" in i.where for i in issues)  # missing sibling
    assert any(i.key == "nouveau_noeud" and "participant p3" in i.where for i in issues)
    assert any(i.key == "creation_emplois" and "participant p4" in i.where for i in issues)
    assert any(i.key == "creation_emplois|qualite_emploi" and "reciprocal" in i.expected for i in issues)
    assert any(i.key == "college" and "participant p6" in i.where for i in issues)
    assert "method" in text and "vote" in text
    assert err.value.to_frame().shape[0] == len(issues)


def test_roster_and_college_consistency(fw):
    rows = [_row("p1", "habitants", "direct", "creation_emplois", 4),
            _row("p1", "habitants", "direct", "qualite_emploi", 5),
            _row("p1", "financeurs", "direct", "lien_social", 5),
            _row("p9", "habitants", "direct", "creation_emplois", 4),
            _row("p9", "habitants", "direct", "qualite_emploi", 4)]
    roster = pd.DataFrame({"participant": ["p1"], "college": ["habitants"]})
    with pytest.raises(WeightingError) as err:
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw, participants=roster)
    where = " ".join(i.where + i.key + i.expected for i in err.value.issues)
    assert "participant p9" in where  # not in roster
    assert "one college per participant" in where  # p1 in two colleges


def test_missing_columns_and_duplicates(fw):
    with pytest.raises(WeightingError, match="missing college"):
        ce.weighting.validate_judgements(pd.DataFrame({"session": [1], "round": [1], "participant": ["a"],
                                                       "method": ["direct"], "node": ["social"],
                                                       "value": [1]}), fw)
    rows = [_row("p1", "h", "direct", "creation_emplois", 4), _row("p1", "h", "direct", "creation_emplois", 5),
            _row("p1", "h", "direct", "qualite_emploi", 5)]
    with pytest.raises(WeightingError, match="duplicate"):
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw)


def test_simos_needs_z_and_methods_are_exclusive(fw):
    rows = [_row("p1", "h", "simos", "creation_emplois", 1), _row("p1", "h", "simos", "qualite_emploi", 2)]
    with pytest.raises(WeightingError, match="emploi:z"):
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw, simos_z=None)
    ok = ce.weighting.participant_weights(pd.DataFrame(rows), fw, simos_z=3.0)
    # two subsets, z = 3: k = 1, 3 -> 25 %, 75 %
    assert ok["weight"].tolist() == pytest.approx([0.25, 0.75], abs=1e-12)
    rows.append(_row("p1", "h", "direct", "creation_emplois", 1))
    with pytest.raises(WeightingError, match="one method per group"):
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw, simos_z=3.0)


def test_each_method_gives_its_reference_weights(fw):
    """Every encoding gives the weights of the matching stand-alone function."""
    kids = fw.children("qualite_emploi")
    rows = [_row("a", "h", "points", k, v) for k, v in zip(kids, [50, 30, 20], strict=True)]
    rows += [_row("b", "h", "ranking", k, v) for k, v in zip(kids, [2, 1, 3], strict=True)]
    rows += [_row("c", "h", "swing", k, v) for k, v in zip(kids, [100, 50, 50], strict=True)]
    rows += [_row("d", "h", "direct", k, v) for k, v in zip(kids, [8, 4, 4], strict=True)]
    rows += [_row("e", "h", "simos", k, v) for k, v in zip(kids, [1, 3, 4], strict=True)]
    rows += [_row("e", "h", "simos", "qualite_emploi:z", 4)]
    pairs = {(0, 1): 3, (0, 2): 5, (1, 2): 2}
    rows += [_row("f", "h", "ahp", f"{kids[i]}|{kids[j]}", v) for (i, j), v in pairs.items()]
    pw = ce.weighting.participant_weights(pd.DataFrame(rows), fw)
    w = pw.pivot(index="participant", columns="node", values="weight")[kids]
    assert w.loc["a"].tolist() == pytest.approx([0.5, 0.3, 0.2])
    assert w.loc["b"].tolist() == pytest.approx(ce.weighting.rank_weights([kids[1], kids[0], kids[2]])[kids].tolist())
    assert w.loc["c"].tolist() == pytest.approx([0.5, 0.25, 0.25])
    assert w.loc["d"].tolist() == pytest.approx([0.5, 0.25, 0.25])
    simos = ce.weighting.simos([kids[0], kids[1], kids[2]], blanks=[1, 0], z=4) / 100
    assert w.loc["e"].tolist() == pytest.approx(simos[kids].tolist(), abs=1e-12)
    m = np.array([[1, 3, 5], [1 / 3, 1, 2], [1 / 5, 1 / 2, 1]])
    assert w.loc["f"].tolist() == pytest.approx(ce.weighting.ahp(m).weights.tolist(), abs=1e-12)
    assert np.allclose(pw.groupby("participant")["weight"].sum(), 1.0)


def test_explicit_blank_cards_equal_the_gap_convention(fw):
    kids = fw.children("qualite_emploi")
    gap = [_row("a", "h", "simos", k, v) for k, v in zip(kids, [1, 3, 4], strict=True)]
    explicit = [_row("b", "h", "simos", k, v) for k, v in zip(kids, [1, 3, 4], strict=True)]
    explicit.append(_row("b", "h", "simos", "__blanc__", 2))
    pw = ce.weighting.participant_weights(pd.DataFrame(gap + explicit), fw, simos_z=5)
    w = pw.pivot(index="participant", columns="node", values="weight")
    assert w.loc["a"].tolist() == pytest.approx(w.loc["b"].tolist(), abs=1e-15)
    # a blank card on an occupied position, or outside the cards, is reported
    bad = explicit[:3] + [_row("b", "h", "simos", "__blanc__", 3), _row("b", "h", "simos", "__blank__", 9)]
    with pytest.raises(WeightingError) as err:
        ce.weighting.validate_judgements(pd.DataFrame(bad), fw)
    assert [i.found for i in err.value.issues] == ["position 3", "position 9"]


def test_blank_card_needs_one_simos_group(fw):
    rows = [_row("a", "h", "simos", k, v) for k, v in zip(fw.children("qualite_emploi"), [1, 3, 4], strict=True)]
    rows += [_row("a", "h", "simos", k, v) for k, v in zip(fw.children("emploi"), [1, 3], strict=True)]
    rows.append(_row("a", "h", "simos", "__blanc__", 2))
    with pytest.raises(WeightingError, match="one Simos group"):
        ce.weighting.validate_judgements(pd.DataFrame(rows), fw)
    rows[-1] = _row("a", "h", "simos", "emploi:__blanc__", 2)
    assert len(ce.weighting.participant_weights(pd.DataFrame(rows), fw)) == 5
