"""Small-group suppression (coopeval.data.suppress_small_groups).

Rule (ARCHITECTURE.md, convention 10): no table shown to a collective reveals a
group of fewer than the configured minimum (default 5) respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


def table():
    return pd.DataFrame({
        "wave": [2024, 2024, 2024, 2024],
        "college": ["habitants", "salarié·es", "bénévoles", "financeurs"],
        "score": [3.8, 2.0, 4.1, 3.0],
        "sd": [0.9, 0.1, 0.7, np.nan],
        "n": [12, 4, 5, 1],
    })


def test_default_minimum_is_five():
    out = ce.data.suppress_small_groups(table())
    assert out["suppressed"].tolist() == [False, True, False, True]
    assert out["score"].isna().tolist() == [False, True, False, True]
    assert out["sd"].isna().tolist() == [False, True, False, True]
    assert out["n"].isna().tolist() == [False, True, False, True]
    assert out["wave"].tolist() == [2024] * 4  # integer keys untouched
    assert out["college"].tolist() == table()["college"].tolist()


def test_configurable_minimum_and_columns():
    out = ce.data.suppress_small_groups(table(), min_n=10, columns=["score"], keep_count=True)
    assert out["suppressed"].tolist() == [False, True, True, True]
    assert out["n"].tolist() == [12, 4, 5, 1]
    assert out["sd"].notna().sum() == 3  # sd not listed: kept


def test_with_score_scales(fw, ref_dir, ls_mapping, ls_options):
    resp = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping,
                                   **ls_options)
    agg = ce.data.score_scales(resp, fw, by=("college",))
    out = ce.data.suppress_small_groups(agg, min_n=3)
    shown = out[~out["suppressed"]]
    assert (shown["n"] >= 3).all()
    assert out.loc[out["suppressed"], "score"].isna().all()
    assert set(out.loc[out["suppressed"], "college"]) == {"benevoles"}  # 2 respondents


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"min_n": 0}, "min_n"), ({"min_n": 2.5}, "min_n"), ({"count_col": "effectif"}, "count_col"),
    ({"columns": ["moyenne"]}, "columns"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(DataError, match=match):
        ce.data.suppress_small_groups(table(), **kwargs)
