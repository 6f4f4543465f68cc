"""Disclosure control of weights, voices and names (issue 16): small colleges cannot be recovered.

Each attack reported by hand is reproduced first; then a property-based test generates panels
with small colleges and tries every public door (combined weights, weights by college, what-if
voices, the figure, differences between two outputs) to recover a small college's mean weights.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.data.disclosure import check_college_shares, college_blocks, display_names
from coopeval.evaluation import Evaluation

FW = ce.load_framework("cooperation_territoriale")
DIMS = FW.dimension_ids


def _panel(sizes: dict[str, int], seed: int = 0) -> pd.DataFrame:
    """Points judgements (one round) of colleges of the given sizes, distinct views per college."""
    rng = np.random.default_rng(seed)
    rows = []
    for c, (college, n) in enumerate(sizes.items()):
        for i in range(n):
            raw = rng.dirichlet(np.ones(len(DIMS)) * (1 + c)) * 100
            pts = np.round(raw, 6)
            pts[-1] = 100 - pts[:-1].sum()
            rows += [{"session": "s", "round": 1, "participant": f"{college}_{i}", "college": college,
                      "method": "points", "node": d, "value": float(v)} for d, v in zip(DIMS, pts, strict=True)]
    return pd.DataFrame(rows)


def _ev(sizes: dict[str, int], seed: int = 0, min_group: int = 5) -> Evaluation:
    panel = ce.datasets.load("panel_synthetique")
    return Evaluation(FW, panel["observations"], None, _panel(sizes, seed), None, panel.get("units"),
                      min_group=min_group)


def _college_mean(ev: Evaluation, college: str) -> pd.Series:
    """What an attacker wants: the college's own weights (the researcher's view)."""
    ws = ev.weightset()
    bc = ws.by_college
    return bc[(bc["college"] == college) & bc["node"].isin(DIMS)].set_index("node")["weight"][DIMS]


SIZES = {"habitants": 8, "salaries": 6, "elus": 3}


def test_subtraction_no_longer_gives_the_hidden_college():
    """Defect 3a: ``len(colleges) * combined - sum(shown colleges)`` equalled the hidden college's weights."""
    ev = _ev(SIZES)
    shown = ev.weights_by_college()
    assert "elus" not in set(shown["college"])
    assert set(shown["college"]) == {"habitants"}  # salariés pooled with the élus (smallest other college)
    secret = _college_mean(ev, "elus")
    wide = shown.pivot(index="node", columns="college", values="weight").reindex(DIMS)
    guess = len(ev.colleges) * ev.dimension_weights() - wide.sum(axis=1)
    assert not np.allclose(guess.to_numpy(), secret.to_numpy(), atol=1e-6)
    # only the pooled block's mean (3 + 6 = 9 people) comes out
    block = (_college_mean(ev, "elus") + _college_mean(ev, "salaries")).to_numpy()
    assert np.allclose(guess.to_numpy(), block, atol=1e-9)


@pytest.mark.parametrize("shares", [{"elus": 1.0, "habitants": 0.0, "salaries": 0.0},
                                    {"elus": 0.5, "habitants": 0.25, "salaries": 0.25},
                                    {"elus": 0.0, "habitants": 0.5, "salaries": 0.5}])
def test_extreme_voices_are_refused(shares):
    """Defect 3b: ``dimension_weights(college_shares={small: 1, others: 0})`` returned the small college."""
    ev = _ev(SIZES)
    with pytest.raises(ce.WeightingError, match=r"college_shares.*pooled to protect small groups \(elus, salaries\)"):
        ev.dimension_weights(college_shares=shares)
    with pytest.raises(ce.WeightingError, match="college_shares"):
        ev.what_if(college_shares=shares)
    ok = ev.what_if(college_shares={"elus": 0.2, "salaries": 0.2, "habitants": 0.6})  # the block moves as one
    assert len(ok) > 0


def test_sliders_have_no_door_to_a_small_college():
    """Defect 3c: the « Et si… ? » sliders offered one slider per college, the small one included."""
    from coopeval.widgets.restitution import POOLED, RestitutionApp

    ev = _ev(SIZES)
    app = RestitutionApp(ev)
    assert set(app.college_sliders) == {"habitants", POOLED}
    assert "Petits collèges regroupés" in app.college_sliders[POOLED].description
    app.college_sliders[POOLED].value = 90
    app.college_sliders["habitants"].value = 10
    shares = app.college_shares()
    assert shares["elus"] == shares["salaries"] == pytest.approx(0.45)
    ev.what_if(college_shares=shares)  # accepted: no small college alone


def test_names_consistent_across_dashboard_and_report(monkeypatch):
    """Defect 4a: the dashboard's « Et si… ? » named every cooperation while the report anonymised them."""
    from coopeval import plots
    from coopeval.report import restitution
    from coopeval.widgets.restitution import RestitutionApp

    drawn: dict = {}
    real = plots.caterpillar

    def spy(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202 - the names the report's rank figure draws
        drawn.update(kwargs.get("names") or {})
        return real(*args, **kwargs)
    monkeypatch.setattr(plots, "caterpillar", spy)
    ev = Evaluation.sample()
    names = ev.units.set_index("unit")["name"].to_dict()
    for naming in ("anonymised", "named"):
        ev.naming = naming
        app = RestitutionApp(ev)
        unit = app.unit.value
        cells = re.findall(r"<td[^>]*>([^<]+)</td>", app.whatif_table.value)
        table = {c for c in cells if c in names.values() or c.startswith("Coopération")}
        drawn.clear()
        restitution(ev, unit, app.wave.value)
        assert set(drawn.values()) == table, naming  # the very same labels in both
        assert names[unit] in table
        if naming == "anonymised":
            assert table - {names[unit]} == {f"Coopération {chr(65 + i)}" for i in range(len(names) - 1)}
        else:
            assert table == set(names.values())


def test_project_setting_decides_the_names(tmp_path):
    p = ce.Project.create_sample(tmp_path / "exemple.coopeval")
    assert Evaluation.from_project(p).naming == "anonymised"
    p.set_setting("cooperation_names", "named")
    assert Evaluation.from_project(p).naming == "named"


def test_individual_answers_not_drawn_by_college():
    """Defect 4b: individual weights were plotted as dots coloured by college (colleges of five)."""
    ev = Evaluation.sample()
    ax = ce.plots.weights_by_college(ev.weightset(), parent="overall", min_group=5)
    individual = [c for c in ax.collections if c.get_gid() == "participants"]
    assert len(individual) == 1 and len(ax.collections) == 2  # one grey cloud + the college means
    # every individual point sits on its node's row, not shifted by a college offset
    assert np.allclose(individual[0].get_offsets()[:, 1] % 1, 0)


def test_display_names_rules():
    out = display_names([f"u{i:02d}" for i in range(30)], "u05", {"u05": "La Butinerie"})
    assert out["u05"] == "La Butinerie" and out["u00"] == "Coopération A" and out["u29"] == "Coopération AC"
    assert display_names(["a", "b"], "a", {"a": "A", "b": "B"}, "named", "en") == {"a": "A", "b": "B"}
    with pytest.raises(ce.CoopevalError, match="naming"):
        display_names(["a"], "a", {}, "oui")


# ---------------------------------------------------------------------- property-based attack
@st.composite
def panels(draw):
    k = draw(st.integers(2, 4))
    sizes = {f"c{i}": draw(st.integers(1, 9)) for i in range(k)}
    return sizes, draw(st.integers(0, 10_000)), draw(st.integers(3, 6))


def _figure_vectors(ax) -> list[np.ndarray]:
    """The weight vectors a reader takes from the figure: each college's means (one row offset per
    college, dimensions top to bottom) and the combined line."""
    out = [np.array([ln.get_xdata()[0] for ln in ax.lines if ln.get_gid() == "combined"])]
    for c in ax.collections:
        if c.get_gid() == "college_means":
            xy = np.asarray(c.get_offsets())
            offset = np.round(xy[:, 1] - np.round(xy[:, 1]), 9)
            for o in np.unique(offset):
                rows = xy[offset == o]
                out.append(rows[np.argsort(-rows[:, 1]), 0])
    return [v for v in out if len(v) == len(DIMS)]


def _recoverable(target: np.ndarray, published: list[np.ndarray]) -> bool:
    """Is ``target`` a linear combination of the published vectors (exactly, least squares)?"""
    if not published:  # nothing published at all
        return False
    a = np.column_stack(published)
    coef, *_ = np.linalg.lstsq(a, target, rcond=None)
    return bool(np.allclose(a @ coef, target, atol=1e-7))


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(panels())
def test_no_public_output_recovers_a_small_college(panel):
    """Every door an attacker has: the combined weights, each college shown, the figure's means,
    line, individual answers and labels (drawn with its defaults), and what-if weights for voices of their choosing (the extremes and random ones, so also
    every difference between two outputs). None of their linear combinations gives a college under
    the minimum, unless it is pooled with others into a group of at least the minimum."""
    sizes, seed, k = panel
    ev = _ev(sizes, seed, min_group=k)
    shown, pooled = college_blocks(sizes, k)
    small = [c for c in sizes if sizes[c] < k]
    tiny = sum(sizes.values()) < k  # fewer than k people in all: their combined weights are not shown either

    def door(shares: dict | None = None) -> list[np.ndarray]:
        if tiny:
            with pytest.raises(ce.WeightingError, match=f"moins de {k} participant"):
                ev.dimension_weights(college_shares=shares)
            return []
        return [ev.dimension_weights(college_shares=shares).to_numpy()]

    published = door()
    by_college = ev.weights_by_college()
    assert set(by_college["college"]) == set(shown)
    published += [g.set_index("node")["weight"][DIMS].to_numpy() for _, g in by_college.groupby("college")]
    rng = np.random.default_rng(seed)
    candidates = [{c: float(c == target) for c in sizes} for target in sizes]
    candidates += [dict(zip(sizes, rng.dirichlet(np.ones(len(sizes))), strict=True)) for _ in range(4)]
    for shares in candidates:
        try:
            check_college_shares(shares, sizes, k)
        except ce.WeightingError:
            with pytest.raises(ce.WeightingError):
                ev.dimension_weights(college_shares=shares)
            continue
        published += door(shares)
    # the figure, with its defaults (the evaluation's min_group), adds what it draws: the college means
    # and the combined line join the published vectors; its individual answers are the shown colleges' only
    ax = ce.plots.weights_by_college(ev.weightset(), parent="overall")
    means = [c for c in ax.collections if c.get_gid() == "college_means"]
    assert len(means) == (1 if shown else 0) and (not means or len(means[0].get_offsets()) == len(shown) * len(DIMS))
    published += _figure_vectors(ax)
    cloud = [c for c in ax.collections if c.get_gid() == "participants"]
    pw = ev.weightset().by_participant
    pw = pw[(pw["parent"] == "overall") & pw["college"].isin(shown)]
    drawn = np.concatenate([c.get_offsets()[:, 0] for c in cloud]) if cloud else np.empty(0)
    assert sorted(np.round(drawn, 12)) == sorted(pw["weight"].round(12))
    labels = " ".join([t.get_text() for t in ax.texts] + [t.get_text() for t in ax.get_legend().get_texts()])
    assert not any(ce.plots._common.college_label(c, "fr") in labels for c in pooled)
    for college in small:
        secret = _college_mean(ev, college).to_numpy()
        distinct = not any(np.allclose(secret, _college_mean(ev, o).to_numpy(), atol=1e-7)
                           for o in sizes if o != college)
        if distinct and len(pooled) > 1:
            assert not _recoverable(secret, published), (sizes, k, college)
    # what can come out about the pooled block is a group of at least k people
    if pooled:
        assert sum(sizes[c] for c in pooled) >= k or not shown
