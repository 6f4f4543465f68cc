"""The framework expresses the UNDP Human Development Index and reproduces it.

Sources (see ``tests/reference/scoring/README.md`` for the full provenance):

- UNDP (2020). *Human Development Report 2020*, statistical annex, Table 1 "Human
  Development Index and its components" (HDI 2019). Rows NOR, IRL, CHE, DEU, AUS, SDN, NER
  read in the transcription of Table 1 from hdr.undp.org ("downloaded 11 March 2021") in
  repository ``hughes3141/thinkeconomics``, ``exercises/3.3.1hdi_game.php``, commit
  ``623d3281dbc7eef739616db8c36eecf5f80f9b5c`` (array ``index``).
- UNDP (2020). *Technical notes*, technical note 1: goalposts LE 20–85, EYS 0–18, MYS
  0–15, GNI per capita 100–75,000 with natural log; education = arithmetic mean; HDI =
  geometric mean of the three dimension indices. Worked example "ln(3,829) − ln(100) /
  (ln(75,000) − ln(100)) = 0.5506" and "(0.6971 · 0.3447 · 0.5506)^1/3 = 0.510", read at
  https://pdf4pro.com/download/technical-notes-united-nations-development-programme-79ae81.html

Tolerances. Table 1 publishes rounded inputs (one decimal, whole dollars) while UNDP
computes the HDI from unrounded inputs and rounds it to three decimals. The engine is
therefore checked twice: (1) exactly (1e-12) against the technical-note formulas applied by
hand to the same rounded inputs — this tests the code; (2) against the published HDI with a
tolerance of one unit of the third decimal (1e-3) — this tests that the framework encodes
the HDI. Observed deviations with the published rows are at most 6e-4 (IRL). The
worst-case effect of the input rounding alone (half a unit on each input, propagated by
interval arithmetic) reaches 0.8e-3 to 1.8e-3, so 1e-3 is tight rather than generous; it
was not widened.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.framework import Framework

REF = pd.read_csv(Path(__file__).resolve().parents[1] / "reference" / "scoring" / "hdr2020_table1.csv")

#: Technical note 1 goalposts.
LE_MIN, LE_MAX, EYS_MAX, MYS_MAX, GNI_MIN, GNI_MAX = 20.0, 85.0, 18.0, 15.0, 100.0, 75000.0


def _ind(id_, lower, upper, **kw):
    return {"id": id_, "label_fr": id_, "label_en": id_, "unit": "u", "kind": "quantitative",
            "direction": "increase", "lower": lower, "upper": upper, "source": "register", **kw}


@pytest.fixture(scope="module")
def hdi_fw():
    return Framework.from_dict({
        "id": "hdi", "title_fr": "IDH", "title_en": "HDI",
        "dimensions": [
            {"id": "sante", "label_fr": "Santé", "label_en": "Health",
             "indicators": [_ind("esperance_vie", LE_MIN, LE_MAX)]},
            {"id": "education", "label_fr": "Éducation", "label_en": "Education",
             "indicators": [_ind("duree_attendue", 0, EYS_MAX), _ind("duree_moyenne", 0, MYS_MAX)]},
            {"id": "revenu", "label_fr": "Revenu", "label_en": "Income",
             "indicators": [_ind("rnb_habitant", GNI_MIN, GNI_MAX, transform="log")]},
        ],
    })


def _obs(df):
    cols = {"life_expectancy": "esperance_vie", "expected_years_schooling": "duree_attendue",
            "mean_years_schooling": "duree_moyenne", "gni_per_capita": "rnb_habitant"}
    long = df.melt(id_vars="country", value_vars=list(cols), var_name="indicator", value_name="value")
    return long.assign(indicator=long["indicator"].map(cols), wave=2019).rename(columns={"country": "unit"})


def _by_hand(row) -> dict[str, float]:
    """Technical note 1, written out independently of the engine."""
    health = (row.life_expectancy - LE_MIN) / (LE_MAX - LE_MIN)
    eys = min(row.expected_years_schooling, EYS_MAX) / EYS_MAX  # EYS is capped at 18 years
    mys = min(row.mean_years_schooling, MYS_MAX) / MYS_MAX
    education = (eys + mys) / 2
    income = (math.log(row.gni_per_capita) - math.log(GNI_MIN)) / (math.log(GNI_MAX) - math.log(GNI_MIN))
    return {"sante": health, "education": education, "revenu": income,
            "overall": (health * education * income) ** (1 / 3)}


@pytest.fixture(scope="module")
def scored(hdi_fw):
    sc = ce.score(_obs(REF), hdi_fw, normalisation="goalposts", aggregation={"overall": "geometric"},
                  output_range=(0, 1))
    return sc.set_index(["unit", "node"])["score"]


def test_engine_equals_technical_note_formulas_exactly(scored):
    """Dimension indices and HDI equal the hand formulas on the same inputs (1e-12)."""
    for row in REF.itertuples():
        for node, expected in _by_hand(row).items():
            assert scored[(row.country, node)] == pytest.approx(expected, abs=1e-12), (row.country, node)


def test_hdi_2019_matches_table1(scored):
    """Published HDI 2019 (Table 1, three decimals) reproduced within 1e-3 (see module doc)."""
    got = scored.xs("overall", level="node").reindex(REF["country"]).to_numpy()
    dev = np.abs(got - REF["hdi"].to_numpy())
    assert dev.max() <= 1e-3 + 1e-12, dict(zip(REF["country"], dev.round(5), strict=True))
    # the ranking of Table 1 is preserved (NOR first, NER last; IRL and CHE tied at 0.955)
    order = REF.assign(got=got).sort_values("got", ascending=False)["country"].tolist()
    assert order[0] == "NOR" and order[-1] == "NER"


def test_expected_years_capped_at_18(scored):
    """Technical note 1: expected years of schooling above 18 count as 18 (index 1):
    NOR 18.1 and AUS 22.0 both give an expected-years index of exactly 1."""
    assert scored[("NOR", "duree_attendue")] == 1.0
    assert scored[("AUS", "duree_attendue")] == 1.0
    assert scored[("DEU", "duree_attendue")] == pytest.approx(17.0 / 18.0, abs=1e-12)


def test_hdi_technical_note_income_index(hdi_fw):
    """Technical note 1 worked example: GNI per capita 3,829 -> income index 0.5506 (4 decimals)."""
    obs = pd.DataFrame({"unit": "x", "wave": 2019, "indicator": "rnb_habitant", "value": [3829.0]})
    sc = ce.score(obs, hdi_fw, output_range=(0, 1), min_coverage=0)
    got = sc[sc["node"] == "revenu"]["score"].item()
    assert round(got, 4) == 0.5506
    assert got == pytest.approx(math.log(3829 / 100) / math.log(75000 / 100), abs=1e-12)


def test_hdi_technical_note_geometric_step():
    """Technical note 1 worked example: (0.6971 · 0.3447 · 0.5506)^(1/3) = 0.510 (3 decimals)."""
    from coopeval.scoring.aggregate import resolve_methods
    from coopeval.scoring.plan import compile_plan
    from coopeval.scoring.tree import evaluate

    fw = Framework.from_dict({
        "id": "g", "title_fr": "g", "title_en": "g",
        "dimensions": [{"id": f"d{i}", "label_fr": "d", "label_en": "d", "indicators": [_ind(f"i{i}", 0, 1)]}
                       for i in range(3)],
    })
    plan = compile_plan(fw)
    v = np.array([[0.6971, 0.3447, 0.5506]])
    w = plan.normalise_weights(np.ones((1, len(plan.nodes))))
    out = evaluate(plan, v, w, resolve_methods(plan, {"overall": "geometric"}))["overall"][0]
    assert round(float(out[0, 0]), 3) == 0.510
    assert math.isclose(float(out[0, 0]), (0.6971 * 0.3447 * 0.5506) ** (1 / 3), rel_tol=1e-12)
