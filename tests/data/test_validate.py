"""Validation of observations and responses (coopeval.data.validate).

Expected outcomes are written by hand from the bounds and kinds of the default
framework (``indicators/frameworks/cooperation_territoriale.yaml``): e.g.
``part_cdi`` is a proportion in [0, 1], ``niveau_demarche_environnementale`` an
ordinal level 0–4, ``comptes_publies`` binary, ``appartenance_*`` items belong to a
1–5 Likert indicator.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


def obs_frame(rows):
    return pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])


def resp_frame(rows):
    return pd.DataFrame(rows, columns=["respondent", "unit", "wave", "college", "item", "value"])


def test_valid_observations_are_coerced(fw):
    obs = obs_frame([
        ("TERA", 2024, "emplois_etp", "12,5"),
        ("TERA", 2024, "comptes_publies", "oui"),
        ("TERA", 2024, "niveau_demarche_environnementale", 3),
        ("TERA", 2024, "sentiment_appartenance", 3.75),  # a mean of survey answers
        ("TERA", 2024, "resultat_net", "-0,05"),
        ("TERA", 2024, "part_cdi", None),  # explicit missing value is kept
    ])
    out = ce.data.validate_observations(obs, fw)
    assert out["value"].dtype == float
    np.testing.assert_array_equal(out["value"].to_numpy(),
                                  [12.5, 1.0, 3.0, 3.75, -0.05, np.nan])
    assert list(out.columns[:4]) == ["unit", "wave", "indicator", "value"]


def test_all_problems_reported_together_with_rows(fw):
    obs = obs_frame([
        ("TERA", 2024, "part_cdi", 1.2),                         # row 0: out of bounds
        ("TERA", 2024, "niveau_demarche_environnementale", 2.5),  # row 1: not whole
        ("TERA", 2024, "comptes_publies", 2),                    # row 2: not binary
        ("TERA", 2024, "emploi_etp", 3),                         # row 3: unknown
        (None, 2024, "emplois_etp", 3),                          # row 4: no unit
        ("TERA", 2024, "emplois_etp", "beaucoup"),               # row 5: text
    ])
    with pytest.raises(DataError) as info:
        ce.data.validate_observations(obs, fw)
    issues = info.value.issues
    assert [i.where for i in issues] == ["row 0", "row 1", "row 2", "row 3", "row 4", "row 5"]
    assert "between 0 and 1" in issues[0].expected and issues[0].found == "1.2"
    assert "whole number" in issues[1].expected
    assert "0 or 1" in issues[2].expected
    assert "did you mean 'emplois_etp'" in issues[3].expected
    assert issues[4].key == "unit"
    assert issues[5].found == "'beaucoup'"
    assert "6 problems" in str(info.value)


def test_non_strict_returns_clean_part_and_error_table(fw):
    obs = obs_frame([
        ("TERA", 2024, "emplois_etp", 10),
        ("TERA", 2024, "part_cdi", 7),
        ("TERA", 2025, "emplois_etp", 11),
    ])
    obs.index = ["a", "b", "c"]
    clean, errors = ce.data.validate_observations(obs, fw, strict=False)
    assert list(clean.index) == ["a", "c"]
    assert list(errors.columns) == ["where", "row", "key", "expected", "found"]
    assert errors["row"].tolist() == ["b"] and errors["where"].tolist() == ["row b"]
    # never silently drops: every row is either clean or in the error table
    assert set(clean.index) | set(errors["row"]) == set(obs.index)


def test_duplicates_report_both_rows(fw):
    obs = obs_frame([
        ("TERA", 2024, "emplois_etp", 10),
        ("TERA", 2023, "emplois_etp", 9),
        ("TERA", 2024, "emplois_etp", 12),
    ])
    res = ce.data.validate_observations(obs, fw, strict=False)
    assert sorted(res.errors["row"]) == [0, 2]
    assert list(res.data.index) == [1]
    assert res.errors["found"].str.contains("duplicate").any()


def test_missing_and_unexpected_waves(fw):
    obs = obs_frame([
        ("TERA", 2023, "emplois_etp", 10),
        ("TERA", 2024, "emplois_etp", 12),
        ("Butinerie", 2024, "emplois_etp", 3),
        ("Butinerie", 2026, "emplois_etp", 4),
    ])
    res = ce.data.validate_observations(obs, fw, strict=False, waves=[2023, 2024])
    wh = res.errors.set_index("where")
    assert "no row for wave(s) [2023]" in wh.loc["unit 'Butinerie'", "found"]
    assert wh.loc["row 3", "key"] == "wave"
    assert len(res.data) == 3  # the table-wide problem does not remove rows


def test_extra_columns_kept(fw):
    obs = obs_frame([("TERA", 2024, "emplois_etp", 10)]).assign(source="bilan 2024", note="")
    out = ce.data.validate_observations(obs, fw)
    assert out.loc[0, "source"] == "bilan 2024"


def test_valid_responses_labels_to_codes(fw):
    resp = resp_frame([
        ("r1", "TERA", 2024, "habitants", "appartenance_membre", "Tout à fait d'accord"),
        ("r1", "TERA", 2024, "habitants", "appartenance_fierte", "plutot pas d'accord"),
        ("r1", "TERA", 2024, "habitants", "appartenance_isolement", "Ne sais pas"),
        ("r2", "TERA", 2024, "salarié·es", "qvt_sens", "4"),
        ("r2", "TERA", 2024, "salarié·es", "qvt_charge", 1),
    ])
    out = ce.data.validate_responses(resp, fw)
    np.testing.assert_array_equal(out["value"].to_numpy(), [5.0, 2.0, np.nan, 4.0, 1.0])


def test_response_problems(fw):
    resp = resp_frame([
        ("r1", "TERA", 2024, "habitants", "appartenance_membr", 4),   # unknown item
        ("r1", "TERA", 2024, "habitants", "appartenance_fierte", 6),  # out of 1-5
        ("r1", "TERA", 2024, "habitants", "qvt_sens", 3.5),           # not whole
        ("r1", "TERA", 2024, "habitants", "qvt_charge", "Bof"),       # unknown label
        ("r2", "TERA", 2024, "habitants", "qvt_sens", 3),
        ("r2", "TERA", 2024, "bénévoles", "qvt_charge", 3),           # 2 colleges for r2
        ("", "TERA", 2024, "habitants", "qvt_sens", 3),               # no respondent
    ])
    res = ce.data.validate_responses(resp, fw, strict=False)
    by_row = res.errors.groupby("row")["key"].apply(list).to_dict()
    assert by_row == {0: ["item"], 1: ["value"], 2: ["value"], 3: ["value"],
                      4: ["college"], 5: ["college"], 6: ["respondent"]}
    assert res.data.empty
    assert "did you mean 'appartenance_membre'" in res.errors.loc[0, "expected"]


def test_allowed_colleges_and_duplicates(fw):
    resp = resp_frame([
        ("r1", "TERA", 2024, "habitants", "qvt_sens", 3),
        ("r1", "TERA", 2024, "habitants", "qvt_sens", 4),
        ("r2", "TERA", 2024, "voisins", "qvt_sens", 4),
    ])
    with pytest.raises(DataError) as info:
        ce.data.validate_responses(resp, fw, colleges=["habitants", "salarié·es"])
    keys = [(i.where, i.key) for i in info.value.issues]
    assert ("row 2", "college") in keys and ("row 0", "item") in keys and ("row 1", "item") in keys


def test_labels_need_five_point_scale():
    spec = {"id": "t", "title_fr": "t", "title_en": "t", "version": "1", "dimensions": [{
        "id": "d", "label_fr": "d", "label_en": "d", "criteria": [{
            "id": "c", "label_fr": "c", "label_en": "c", "indicators": [{
                "id": "i7", "label_fr": "i", "label_en": "i", "unit": "score 1-7",
                "kind": "likert", "direction": "increase", "lower": 1, "upper": 7,
                "source": "survey",
                "items": [{"id": "q1", "label_fr": "q", "label_en": "q"}]}]}]}]}
    fw7 = ce.Framework.from_dict(spec)
    resp = resp_frame([("r1", "u", 1, "c", "q1", "Plutôt d'accord"), ("r1", "u", 1, "c", "q1", 6)])
    res = ce.data.validate_responses(resp.iloc[:1], fw7, strict=False)
    assert "5-point scale" in res.errors.loc[0, "expected"]
    assert ce.data.validate_responses(resp.iloc[1:], fw7)["value"].tolist() == [6.0]


def test_100k_responses_validate_quickly(fw):
    """Scale check (issue 3 follow-up): 100,000 responses built by replicating the
    ``panel_synthetique`` responses with new respondent ids, a tenth given as French
    agreement labels and another tenth as decimal-comma text. Measured 0.4-0.6 s on the
    2-core development machine; the bound (10 s) only catches a quadratic regression."""
    import time

    r = ce.datasets.load("panel_synthetique")["responses"]
    k = -(-100_000 // len(r))
    big = pd.concat([r.assign(respondent=r["respondent"] + f"_{i}") for i in range(k)],
                    ignore_index=True).iloc[:100_000].copy()
    labels = dict(enumerate(ce.data.LIKERT_LABELS_FR, start=1))
    codes = big["value"].to_numpy()
    text = big["value"].astype(object)
    sel = np.arange(len(big)) % 10 == 0
    text[sel] = [labels.get(int(v), v) if v == v else v for v in codes[sel]]
    sel2 = np.arange(len(big)) % 10 == 1
    text[sel2] = [str(v).replace(".", ",") if v == v else v for v in codes[sel2]]
    big["value"] = text
    start = time.perf_counter()
    out = ce.data.validate_responses(big, fw)
    elapsed = time.perf_counter() - start
    assert len(out) == 100_000
    np.testing.assert_array_equal(out["value"].to_numpy(), codes)  # labels → the same codes
    assert elapsed < 10, f"validate_responses took {elapsed:.1f} s on 100,000 rows"
