"""Survey scale scoring (coopeval.data.score_scales).

Reference rule: the "half rule" of multi-item scales — a scale score is the mean
of the answered items when at least half of the items are answered (Ware J.E.,
Snow K.K., Kosinski M., Gandek B., 1993, *SF-36 Health Survey: Manual and
Interpretation Guide*, Boston, The Health Institute; scoring of missing items),
with reverse-coded items recoded as lower + upper − x before averaging.

Expected values are computed by hand in the docstrings, and a second,
independent implementation (a plain-Python loop over respondents, with
``statistics.mean``/``statistics.stdev``) is compared on the LimeSurvey fixture
with an absolute tolerance of 1e-12.
"""

from __future__ import annotations

import statistics

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


def resp_frame(rows):
    return pd.DataFrame(rows, columns=["respondent", "unit", "wave", "college", "item", "value"])


def test_hand_computed_respondent_scores(fw):
    """Hand computation (1–5 items; ``appartenance_isolement`` and
    ``influence_confisquee`` are reverse-coded, x' = 1 + 5 − x = 6 − x):

    * r1 appartenance: 4, 5, isolement 2 → 4 ; mean (4 + 5 + 4) / 3 = 13/3 = 4.3333…
    * r2 appartenance: membre "Plutôt d'accord" = 4, fierte missing, isolement 5 → 1;
      2 of 3 answered ≥ 0.5 → (4 + 1) / 2 = 2.5
    * r3 appartenance: only membre = 3 → 1/3 < 0.5 → missing
    * r3 influence: ecoute 2, information "Ne sais pas", confisquee 1 → 5;
      2 of 3 → (2 + 5) / 2 = 3.5
    """
    resp = resp_frame([
        ("r1", "TERA", 2024, "habitants", "appartenance_membre", 4),
        ("r1", "TERA", 2024, "habitants", "appartenance_fierte", 5),
        ("r1", "TERA", 2024, "habitants", "appartenance_isolement", 2),
        ("r2", "TERA", 2024, "salarié·es", "appartenance_membre", "Plutôt d'accord"),
        ("r2", "TERA", 2024, "salarié·es", "appartenance_isolement", "Tout à fait d'accord"),
        ("r3", "TERA", 2024, "habitants", "appartenance_membre", 3),
        ("r3", "TERA", 2024, "habitants", "influence_ecoute", 2),
        ("r3", "TERA", 2024, "habitants", "influence_information", "Ne sais pas"),
        ("r3", "TERA", 2024, "habitants", "influence_confisquee", 1),
    ])
    raw = ce.data.score_scales(resp, fw)
    per = raw.set_index(["respondent", "indicator"])
    assert list(raw.columns) == [
        "respondent", "unit", "wave", "college", "indicator", "score", "n_answered", "n_items"]
    assert per.loc[("r1", "sentiment_appartenance"), "score"] == pytest.approx(13 / 3, abs=1e-12)
    assert per.loc[("r2", "sentiment_appartenance"), "score"] == pytest.approx(2.5, abs=1e-12)
    assert np.isnan(per.loc[("r3", "sentiment_appartenance"), "score"])
    assert per.loc[("r3", "sentiment_appartenance"), "n_answered"] == 1
    assert per.loc[("r3", "influence_percue"), "score"] == pytest.approx(3.5, abs=1e-12)
    assert (per["n_items"] == 3).all()
    # min_answered=1: r2 (2 of 3) and r3 influence now missing; r1 kept
    strict = ce.data.score_scales(resp, fw, min_answered=1.0).set_index(
        ["respondent", "indicator"])["score"]
    assert np.isnan(strict[("r2", "sentiment_appartenance")])
    assert np.isnan(strict[("r3", "influence_percue")])
    assert strict[("r1", "sentiment_appartenance")] == pytest.approx(13 / 3, abs=1e-12)


def test_group_scores_with_n(fw):
    """Group (unit, wave, college) = mean of respondent scores.

    habitants, sentiment_appartenance: r1 = 13/3, r3 = missing → score 13/3, n 1,
    n_missing 1, sd NaN; salarié·es: r2 = 2.5 → n 1.
    By unit only: mean(13/3, 2.5) = 3.41666…, sd = |13/3 − 2.5| / √2 = 1.29636…
    """
    resp = resp_frame([
        ("r1", "TERA", 2024, "habitants", "appartenance_membre", 4),
        ("r1", "TERA", 2024, "habitants", "appartenance_fierte", 5),
        ("r1", "TERA", 2024, "habitants", "appartenance_isolement", 2),
        ("r2", "TERA", 2024, "salarié·es", "appartenance_membre", 4),
        ("r2", "TERA", 2024, "salarié·es", "appartenance_isolement", 5),
        ("r3", "TERA", 2024, "habitants", "appartenance_membre", 3),
    ])
    agg = ce.data.score_scales(resp, fw, by=("unit", "wave", "college"))
    assert list(agg.columns) == ["unit", "wave", "college", "indicator", "score", "sd", "n",
                                 "n_missing"]
    hab = agg.set_index("college").loc["habitants"]
    assert hab["score"] == pytest.approx(13 / 3) and hab["n"] == 1 and hab["n_missing"] == 1
    assert np.isnan(hab["sd"])
    unit = ce.data.score_scales(resp, fw, by="unit").iloc[0]
    assert unit["score"] == pytest.approx((13 / 3 + 2.5) / 2, abs=1e-12)
    assert unit["sd"] == pytest.approx(abs(13 / 3 - 2.5) / np.sqrt(2), abs=1e-12)
    assert unit["n"] == 2


def _independent_scores(resp: pd.DataFrame, fw, min_answered: float) -> dict:
    """Plain-Python re-implementation, used as an independent check."""
    items = fw.items.set_index("item")
    ind = fw.indicators.set_index("indicator")
    per: dict[tuple, dict] = {}
    for r in resp.itertuples():
        indicator = items.loc[r.item, "indicator"]
        lo, hi = ind.loc[indicator, ["lower", "upper"]]
        v = r.value
        if not pd.isna(v) and items.loc[r.item, "reverse"]:
            v = lo + hi - v
        per.setdefault((r.respondent, r.college, indicator), {})[r.item] = v
    out = {}
    for (rid, college, indicator), answers in per.items():
        k = int((items["indicator"] == indicator).sum())
        vals = [v for v in answers.values() if not pd.isna(v)]
        out[(rid, college, indicator)] = (
            statistics.mean(vals) if vals and len(vals) >= min_answered * k else np.nan)
    return out


def test_against_independent_implementation(fw, ref_dir, ls_mapping, ls_options):
    resp = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping, **ls_options)
    for share in (0.5, 2 / 3, 1.0):
        expected = _independent_scores(resp, fw, share)
        got = ce.data.score_scales(resp, fw, min_answered=share)
        assert len(got) == len(expected)
        for r in got.itertuples():
            e = expected[(r.respondent, r.college, r.indicator)]
            if np.isnan(e):
                assert np.isnan(r.score)
            else:
                assert r.score == pytest.approx(e, abs=1e-12)
        agg = ce.data.score_scales(resp, fw, min_answered=share, by=("college",))
        for g in agg.itertuples():
            vals = [v for (rid, c, i), v in expected.items()
                    if c == g.college and i == g.indicator and not np.isnan(v)]
            assert g.n == len(vals)
            assert g.score == pytest.approx(statistics.mean(vals), abs=1e-12)
            if len(vals) > 1:
                assert g.sd == pytest.approx(statistics.stdev(vals), abs=1e-12)


@pytest.mark.parametrize("bad", [0, -0.1, 1.5, "half", True])
def test_bad_min_answered(fw, bad):
    resp = resp_frame([("r1", "T", 1, "c", "qvt_sens", 3)])
    with pytest.raises(DataError, match="min_answered"):
        ce.data.score_scales(resp, fw, min_answered=bad)


def test_bad_by(fw):
    resp = resp_frame([("r1", "T", 1, "c", "qvt_sens", 3)])
    with pytest.raises(DataError, match="`by`"):
        ce.data.score_scales(resp, fw, by=("respondent",))
