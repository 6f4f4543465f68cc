"""The Evaluation facade, checked against direct calls of the functions it assembles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.evaluation import Evaluation


@pytest.fixture(scope="module")
def ev():
    return Evaluation.sample()


def test_values_are_observations_plus_survey_scales(ev):
    panel = ce.datasets.load("panel_synthetique")
    fw = ev.fw
    survey_ids = set(fw.indicators.loc[fw.indicators["source"] == "survey", "indicator"])
    obs_part = ev.values[~ev.values["indicator"].isin(survey_ids)].reset_index(drop=True)
    # the sample's observations are the panel's plus the progress grids of qualitatif_exemple (issue 17)
    grids = ce.datasets.load("qualitatif_exemple", table="grids")
    expected = pd.concat([panel["observations"], grids], ignore_index=True)[["unit", "wave", "indicator", "value"]]
    pd.testing.assert_frame_equal(obs_part, expected, check_dtype=False)
    # survey indicators: the mean of respondent scale scores, computed here by hand
    resp = panel["responses"].dropna(subset=["value"]).copy()
    items = fw.items.set_index("item")
    resp["indicator"] = resp["item"].map(items["indicator"])
    rev = resp["item"].map(items["reverse"]).astype(bool)
    resp.loc[rev, "value"] = 1 + 5 - resp.loc[rev, "value"]
    n_items = items.groupby("indicator").size()
    per_resp = resp.groupby(["unit", "wave", "respondent", "indicator"])["value"].agg(["mean", "count"]).reset_index()
    per_resp = per_resp[per_resp["count"] >= 0.5 * per_resp["indicator"].map(n_items)]
    by_unit = per_resp.groupby(["unit", "wave", "indicator"])["mean"].agg(["mean", "count"]).reset_index()
    got = ev.survey_values.merge(by_unit, on=["unit", "wave", "indicator"])
    assert len(got) == len(ev.survey_values) > 100
    shown = got[got["count"] >= 5]
    np.testing.assert_allclose(shown["value"], shown["mean"], rtol=1e-12)
    assert got.loc[got["count"] < 5, "value"].isna().all()
    assert (got["n"] == got["count"]).all()


def test_scores_use_deliberated_weights(ev):
    ws = ev.weightset()
    direct = ce.score(ev.values, ev.fw, weights=ws)
    pd.testing.assert_frame_equal(ev.scores(), direct)


def test_what_if_equals_rescoring_with_changed_weights(ev):
    wave = ev.waves[-1]
    table = ev.what_if({"gouvernance": 40.0, "social": 5.0}, wave=wave)
    local = ev.weightset().local.copy()
    dims = (100 * local[ev.fw.dimension_ids]).to_dict()
    dims.update({"gouvernance": 40.0, "social": 5.0})
    total = sum(dims.values())
    for d, w in dims.items():
        local[d] = w / total
    sc = ce.score(ev.values, ev.fw, weights=local.to_dict())
    overall = sc[(sc["level"] == "overall") & (sc["wave"] == wave)].set_index("unit")["score"]
    got = table.set_index("unit")
    np.testing.assert_allclose(got["score"], overall[got.index], rtol=1e-12)
    expected_rank = overall.rank(ascending=False, method="min")
    assert (got["rank"] == expected_rank[got.index]).all()
    assert (got["n_units"] == len(overall)).all()
    # unchanged weights give the deliberated scores
    same = ev.what_if(None, wave=wave).set_index("unit")["score"]
    base = ev.overall(wave=wave).set_index("unit")["score"]
    np.testing.assert_allclose(same, base[same.index], rtol=1e-12)


def test_college_shares_change_the_weights(ev):
    funders = {c: (0.5 if c == "financeurs" else 0.5 / (len(ev.colleges) - 1)) for c in ev.colleges}
    # issue 16, per group: three people per college weighted the criteria of « Social » in the sample,
    # so with the default minimum of five no college may get a voice of its own there
    with pytest.raises(ce.WeightingError, match="dans le groupe « social »"):
        ev.dimension_weights(funders)
    three = Evaluation.sample(min_group=3)   # a minimum the sample's groups all reach
    equal = three.dimension_weights()
    louder = three.dimension_weights(funders)
    # the funders weigh the economic dimension most (documented in deliberation_exemple)
    assert louder["economie"] > equal["economie"]


def test_profile_and_change(ev):
    prof = ev.profile("u07", 3)
    sc = ev.scores()
    want = sc[(sc["unit"] == "u07") & (sc["wave"] == 3) & (sc["level"] == "dimension")]["score"].to_numpy()
    np.testing.assert_allclose(prof["score"], want)
    ch = ev.change("u07", 3)
    assert list(ch["node"]) == ev.fw.dimension_ids + ["overall"]
    np.testing.assert_allclose(ch["change"], ch["current"] - ch["previous"])
    assert ev.change("u07", ev.waves[0]).empty


def test_change_table_labels_the_overall_row_overall_score(ev):
    """User test: the « Évolution » tab labelled its overall row with the framework's title; it is
    the overall score, labelled as in the other tables (i18n ``overall_score``), in the page's language."""
    from types import SimpleNamespace

    from coopeval.widgets.restitution.change import ChangeTab

    assert ev.change("u07", 3)["label"].iloc[-1] == "Score d'ensemble"
    en = ev.change("u07", 3, "en")
    assert en["label"].tolist() == [ev.fw.label(d, "en") for d in ev.fw.dimension_ids] + ["Overall score"]
    host = SimpleNamespace(ev=ev, lang="en", change_html=SimpleNamespace(value=""))
    ChangeTab._draw_change(host, "u07", 3)
    assert "Overall score" in host.change_html.value and ev.fw.title("en") not in host.change_html.value


def test_small_colleges_are_not_shown(ev):
    shown = ev.weights_by_college()
    assert (shown["n_participants"] >= ev.min_group).all()
    strict = Evaluation(ev.fw, ev.observations, ev.responses, ev.judgements, min_group=6)
    assert strict.weights_by_college().empty  # every college has 5 participants


def test_resources_and_externalities(ev):
    prof = ev.resources_profile("u07", 3)
    assert prof.shares["share"].sum() == pytest.approx(1.0)
    euros = ev.resources_in_euros("u07")
    assert set(euros["wave"]) == set(ev.waves)
    ext = ev.indicators_of("u07", 3, "externalites")
    assert ext["indicator"].tolist() == ev.fw.leaves("externalites")


def test_bad_inputs(ev):
    with pytest.raises(ce.CoopevalError, match="parameter `unit`"):
        ev.profile("u99", 3)
    with pytest.raises(ce.CoopevalError, match="parameter `wave`"):
        ev.profile("u01", 9)
    with pytest.raises(ce.CoopevalError, match="dimension_weights"):
        ev.what_if({"sociale": 1.0})
    with pytest.raises(ce.CoopevalError, match="not all zero"):
        ev.what_if({d: 0.0 for d in ev.fw.dimension_ids})
    with pytest.raises(ce.CoopevalError, match="min_group"):
        Evaluation(ev.fw, ev.observations, min_group=0)


def test_an_open_round_of_a_new_session_is_not_the_default(tmp_path):
    """A facilitator opens a round in a new session and one person answers: the evaluation (the
    dashboards, `coopeval score`, the report) keeps the latest *closed* round, not that single
    person's weights (the round is still open and under the minimum group size)."""
    from coopeval.store import Project

    p = Project.create_sample(tmp_path / "p.sqlite")
    before = p.evaluation().spec.weights
    j = ce.datasets.load("deliberation_exemple")
    one = j[(j["participant"] == "p01") & (j["round"] == 2)]
    p.create_session("nouvelle", title="Nouvelle séance")
    token = p.add_participants("nouvelle", pd.DataFrame({"participant": ["x1"], "college": ["habitants"]}))["token"][0]
    p.open_round("nouvelle", 1)
    p.submit(token, one.drop(columns=["session", "round", "participant", "college"]))
    after = p.evaluation().spec.weights
    assert (after.session, after.round) == (before.session, before.round) != ("nouvelle", 1)
    p.close_round("nouvelle", 1)  # once closed, the new session is the latest deliberation
    assert (p.evaluation().spec.weights.session, p.evaluation().spec.weights.round) == ("nouvelle", 1)
