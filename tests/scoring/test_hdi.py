"""The framework expresses the UNDP Human Development Index and reproduces it.

Source: UNDP (2020). *Human Development Report 2020*, Table 1 (HDI 2019 and components) and
Technical notes, technical note 1 (goalposts LE 20–85, EYS 0–18, MYS 0–15, GNI per capita
100–75,000 with natural log; education = arithmetic mean; HDI = geometric mean of the three
dimension indices). Inputs are published rounded (one decimal, whole dollars) while the HDI
is computed from unrounded inputs, so the tolerance is one unit of the published third
decimal (1e-3).
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

import coopeval as ce
from coopeval.framework import Framework

REF = pd.read_csv(__import__("pathlib").Path(__file__).resolve().parents[1] / "reference" / "scoring"
                  / "hdr2020_table1.csv")


def _ind(id_, lower, upper, **kw):
    return {"id": id_, "label_fr": id_, "label_en": id_, "unit": "u", "kind": "quantitative",
            "direction": "increase", "lower": lower, "upper": upper, "source": "register", **kw}


@pytest.fixture(scope="module")
def hdi_fw():
    return Framework.from_dict({
        "id": "hdi", "title_fr": "IDH", "title_en": "HDI",
        "dimensions": [
            {"id": "sante", "label_fr": "Santé", "label_en": "Health",
             "indicators": [_ind("esperance_vie", 20, 85)]},
            {"id": "education", "label_fr": "Éducation", "label_en": "Education",
             "indicators": [_ind("duree_attendue", 0, 18), _ind("duree_moyenne", 0, 15)]},
            {"id": "revenu", "label_fr": "Revenu", "label_en": "Income",
             "indicators": [_ind("rnb_habitant", 100, 75000, transform="log")]},
        ],
    })


def _obs(df):
    cols = {"life_expectancy": "esperance_vie", "expected_years_schooling": "duree_attendue",
            "mean_years_schooling": "duree_moyenne", "gni_per_capita": "rnb_habitant"}
    long = df.melt(id_vars="country", value_vars=list(cols), var_name="indicator", value_name="value")
    return long.assign(indicator=long["indicator"].map(cols), wave=2019).rename(columns={"country": "unit"})


def test_hdi_2019_table1(hdi_fw):
    sc = ce.score(_obs(REF), hdi_fw, normalisation="goalposts", aggregation={"overall": "geometric"},
                  output_range=(0, 1))
    got = sc[sc["node"] == "overall"].set_index("unit")["score"]
    want = REF.set_index("country")["hdi"]
    assert (got.reindex(want.index) - want).abs().max() <= 1e-3 + 1e-12
    # Norway: EYS 18.1 is capped at 18 (index 1), as the technical notes prescribe.
    nor = sc[(sc["unit"] == "NOR") & (sc["node"] == "duree_attendue")]["score"].item()
    assert nor == 1.0


def test_hdi_technical_note_income_index(hdi_fw):
    """Technical note 1 worked example: GNI per capita 3,829 -> income index 0.5506 (4 decimals)."""
    obs = pd.DataFrame({"unit": "x", "wave": 2019, "indicator": "rnb_habitant", "value": [3829.0]})
    sc = ce.score(obs, hdi_fw, output_range=(0, 1), min_coverage=0)
    got = sc[sc["node"] == "revenu"]["score"].item()
    assert round(got, 4) == 0.5506


def test_hdi_technical_note_geometric_step():
    """Technical note 1 worked example: (0.6971 * 0.3447 * 0.5506) ** (1/3) = 0.510."""
    import numpy as np

    from coopeval.scoring.aggregate import evaluate, resolve_methods
    from coopeval.scoring.plan import compile_plan

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
