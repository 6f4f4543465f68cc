"""The vectorised pre-check of responses accepts exactly what the row-by-row checks accept."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.data import _fast
from coopeval.data.validate import checks
from coopeval.data.validate import responses as validate_resp


def _mixed(fw):
    items = fw.items["item"].tolist()
    rng = np.random.default_rng(3)
    rows = [{"respondent": f"r{k}", "unit": "TERA", "wave": 2024, "college": "habitants", "item": it,
             "value": int(rng.integers(1, 6))} for k in range(30) for it in items[:6]]
    df = pd.DataFrame(rows)
    df["value"] = df["value"].astype(object)
    df.loc[3, "value"] = "Plutôt d'accord"
    df.loc[4, "value"] = np.nan
    df.loc[5, "value"] = "4,0"
    df.loc[7, "value"] = 2.5  # not whole
    df.loc[8, "value"] = 9  # out of range
    df.loc[9, "college"] = "  "
    df.loc[10, "item"] = "inconnu"
    df.loc[11, "value"] = True
    df.loc[12, "value"] = np.inf
    return df


@pytest.mark.parametrize("numeric", [False, True])
def test_same_result_and_messages_as_the_row_by_row_checks(fw, monkeypatch, numeric):
    df = _mixed(fw)
    if numeric:
        df = df.drop(index=[3, 5, 11]).reset_index(drop=True)
        df["value"] = df["value"].astype(float)
    fast = ce.data.validate_responses(df, fw, strict=False, colleges=["habitants", "elus"])
    plain, _ = _fast.plain_rows(df, checks._spec(fw), dict(zip(fw.items["item"], fw.items["indicator"], strict=True)),
                                ["habitants", "elus"])
    assert 0 < plain.sum() < len(df)
    monkeypatch.setattr(validate_resp, "plain_rows", lambda resp, *a: (np.zeros(len(resp), bool), np.full(len(resp), np.nan)))
    slow = ce.data.validate_responses(df, fw, strict=False, colleges=["habitants", "elus"])
    pd.testing.assert_frame_equal(fast.data, slow.data)
    pd.testing.assert_frame_equal(fast.errors, slow.errors)
    assert len(slow.errors) >= (5 if numeric else 8)
