"""Scale scoring with array code (issue 21) gives the very tables of the earlier code.

The reference below is the implementation ``score_scales`` had before issue 21 (one
``unstack`` per indicator into a respondents × items table, rows sorted with
``sort_values``), kept here as an independent implementation; the new code builds the
same dense arrays by position and must agree **exactly** (``check_exact=True``, same
dtypes), with integer codes and with mixed-type keys (the ``sort_values`` fallback).
The checks on integer codes (duplicates, one college per respondent) must give the
same errors as the row-by-row checks they shortcut.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.data.scales import item_means, reverse_code
from coopeval.data.validate import responses as validate_resp


def _reference_per(responses, fw, min_answered):
    resp = ce.data.validate_responses(responses, fw, strict=True)
    items = fw.items.set_index("item")
    ind = fw.indicators.set_index("indicator")
    info = items.loc[resp["item"], ["indicator", "reverse"]].reset_index(drop=True)
    lo = ind.loc[info["indicator"], "lower"].to_numpy(float)
    hi = ind.loc[info["indicator"], "upper"].to_numpy(float)
    x = resp["value"].to_numpy(float)
    x = np.where(info["reverse"].to_numpy(bool), reverse_code(x, lo, hi), x)
    keys = ["respondent", "unit", "wave", "college"]
    long = resp[keys].reset_index(drop=True).assign(indicator=info["indicator"].to_numpy(),
                                                   item=resp["item"].to_numpy(), x=x)
    rows = []
    for indicator, sub in long.groupby("indicator", sort=False):
        all_items = list(items.index[items["indicator"] == indicator])
        wide = sub.set_index(keys + ["item"])["x"].unstack("item").reindex(columns=all_items)
        score, answered = item_means(wide.to_numpy(float), min_answered)
        frame = wide.index.to_frame(index=False)
        frame["indicator"] = indicator
        frame["score"] = score
        frame["n_answered"] = answered.astype(int)
        frame["n_items"] = len(all_items)
        rows.append(frame)
    order = {k: i for i, k in enumerate(fw.indicators["indicator"])}
    per = pd.concat(rows, ignore_index=True)
    per["_order"] = per["indicator"].map(order)
    per = per.sort_values(["unit", "wave", "college", "respondent", "_order"], kind="stable")
    return per[keys + ["indicator", "score", "n_answered", "n_items"]].reset_index(drop=True)


def _random_responses(fw, n=300, seed=5):
    rng = np.random.default_rng(seed)
    items = fw.items["item"].to_numpy()[:17]
    rows = []
    for r in range(n):
        unit, wave = f"u{rng.integers(0, 7)}", int(2021 + rng.integers(0, 3))
        college = ["habitants", "benevoles", "salarie_es"][r % 3]
        rid = f"r{rng.integers(0, 10**6):06d}_{r}"
        for it in items:
            if rng.random() < 0.2:
                continue  # item not asked: the half rule decides
            value = rng.integers(1, 6) if rng.random() > 0.05 else np.nan
            rows.append((rid, unit, wave, college, it, value))
    return pd.DataFrame(rows, columns=["respondent", "unit", "wave", "college", "item", "value"])


@pytest.mark.parametrize("keys", ["text", "mixed"])
@pytest.mark.parametrize("min_answered", [0.5, 1.0])
def test_same_tables_as_the_unstack_implementation(fw, keys, min_answered):
    resp = _random_responses(fw)
    if keys == "mixed":  # object columns mixing numbers and text: the sort_values fallback
        resp["wave"] = resp["wave"].astype(object)
        even = resp["respondent"].str[-1].isin(list("02468"))  # a respondent's waves all of one type
        resp.loc[even, "wave"] = resp.loc[even, "wave"].astype(str)
        resp["unit"] = resp["unit"].astype(object)
    ref = _reference_per(resp, fw, min_answered)
    new = ce.data.score_scales(resp, fw, min_answered=min_answered)
    pd.testing.assert_frame_equal(new, ref, check_exact=True)
    assert ref["score"].isna().any() and ref["score"].notna().any()
    by = ce.data.score_scales(resp, fw, min_answered=min_answered, by=("unit", "wave"))
    again = ref.groupby(["unit", "wave", "indicator"], sort=True)["score"].mean()
    assert np.array_equal(by.set_index(["unit", "wave", "indicator"])["score"].reindex(again.index).to_numpy(),
                          again.to_numpy(), equal_nan=True)


def test_the_bundled_panel_scores_as_before(fw):
    resp = ce.datasets.load("panel_synthetique")["responses"]
    pd.testing.assert_frame_equal(ce.data.score_scales(resp, fw), _reference_per(resp, fw, 0.5), check_exact=True)


def test_checks_on_codes_give_the_row_by_row_errors(fw, monkeypatch):
    """Duplicates (``2024`` and ``"2024"`` are the same wave as text) and a respondent in two
    colleges: the same error table with the shortcut as with the row-by-row checks alone."""
    resp = pd.DataFrame({
        "respondent": ["a", "a", "b", "b", "c", "c"],
        "unit": "TERA",
        "wave": pd.Series([2024, "2024", 2024, 2024, 2025, 2025], dtype=object),
        "college": ["habitants", "habitants", "habitants", "benevoles", "habitants", "habitants"],
        "item": ["appartenance_membre", "appartenance_membre", "appartenance_membre", "appartenance_fierte",
                 "appartenance_membre", "appartenance_fierte"],
        "value": [3, 4, 2, 5, 1, 2],
    })
    fast = ce.data.validate_responses(resp, fw, strict=False)
    assert validate_resp._plain_keys(validate_resp.key_codes(resp)) == (False, False)
    assert validate_resp._plain_keys(validate_resp.key_codes(resp.iloc[4:])) == (True, True)
    monkeypatch.setattr(validate_resp, "_plain_keys", lambda codes: (False, False))
    slow = ce.data.validate_responses(resp, fw, strict=False)
    pd.testing.assert_frame_equal(fast.errors, slow.errors)
    pd.testing.assert_frame_equal(fast.data, slow.data)
    assert fast.errors["found"].str.contains("duplicate").any()
    assert fast.errors["found"].str.contains("another college").any()
