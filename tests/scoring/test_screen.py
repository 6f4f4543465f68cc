"""Screening against COINr's documented results (vignettes "Unit screening" and "Imputation" of
COINr, Becker et al. 2022, JOSS 7(78) 4567; values in ``tests/reference/scoring/coinr_documented.yaml``,
printed to 7 significant digits: tolerance 5e-7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.scoring import screen


def test_data_availability_matches_get_data_avail(asem, coinr_doc):
    idata, imeta = asem
    fw, obs = ce.from_coinr(idata, imeta)
    s = screen(obs, fw)
    units = s.units.set_index("unit")
    for code, vals in coinr_doc["data_avail"].items():
        if code.endswith("frc_avail"):
            continue
        n_miss, n_zero, avail, nonzero = vals
        row = units.loc[code]
        assert (row["n_missing"], row["n_zero"]) == (n_miss, n_zero), code
        np.testing.assert_allclose([row["coverage"], row["nonzero"]], [avail, nonzero], rtol=5e-7)
    assert s.indicators.set_index("indicator").loc["conspeed", "coverage"] == pytest.approx(
        coinr_doc["data_avail"]["ConSpeed_frc_avail"], abs=5e-4)
    assert units["included"].all() and set(units["reason"]) == {"ok"}


def test_screen_units_like_coinr(asem, asem_long, coinr_doc):
    idata, imeta = asem
    ref = coinr_doc["screen"]
    first, last = ref["df_rows"]
    keep = idata["uCode"].iloc[first - 1: last]
    sub = asem_long[asem_long["unit"].isin(keep) & asem_long["indicator"].isin(["Research", "Pat", "CultServ",
                                                                                 "CultGood"])]
    s = screen(sub, min_coverage=0.75)
    assert sorted(s.units.loc[~s.units["included"], "unit"]) == ref["df_removed_075"]
    assert set(s.units.loc[~s.units["included"], "reason"]) == {"low_coverage"}
    assert s.data["unit"].nunique() == 9
    fw, obs = ce.from_coinr(idata, imeta)
    s = screen(obs, fw, min_coverage=0.85)
    assert sorted(s.units.loc[~s.units["included"], "unit"]) == ref["coin_removed_085"]
    assert s.data["unit"].nunique() == ref["coin_units_085"]


def test_nonzero_force_and_indicator_coverage():
    # COINr tests/testthat/test-Screen.R, rebuilt: unit p 50 % available, q 90 %, r 50 % zeros, s 90 % non-zero
    rng = np.random.default_rng(0)
    x = pd.DataFrame(rng.uniform(0.1, 1, size=(10, 10)), index=list("pqrstuvwxy"), columns=[f"i{k}" for k in range(10)])
    x.iloc[0, :5] = np.nan
    x.iloc[1, 0] = np.nan
    x.iloc[2, :5] = 0
    x.iloc[3, 0] = 0
    obs = x.rename_axis("unit").reset_index().melt(id_vars="unit", var_name="indicator").assign(wave=1)
    s = screen(obs, min_coverage=0.75)
    assert s.units.loc[~s.units["included"], "unit"].tolist() == ["p"]
    s = screen(obs, min_coverage=1)
    assert s.units.loc[~s.units["included"], "unit"].tolist() == ["p", "q"]
    s = screen(obs, min_nonzero=0.75)
    assert s.units.loc[~s.units["included"], "unit"].tolist() == ["r"]
    s = screen(obs, min_coverage=1, force_exclude=["u"], force_include=["q"])
    reasons = s.units.set_index("unit")["reason"]
    assert reasons["q"] == "forced_in" and reasons["u"] == "forced_out" and reasons["p"] == "low_coverage"
    # indicator i0 has 8/10 values: dropped at 0.9, units then judged on the 9 others
    s = screen(obs, min_indicator_coverage=0.9, min_coverage=1)
    assert s.indicators.loc[~s.indicators["included"], "indicator"].tolist() == ["i0"]
    assert "i0" not in set(s.data["indicator"])
    assert s.units.loc[~s.units["included"], "unit"].tolist() == ["p"]


def test_errors(small_obs):
    with pytest.raises(ce.ScoringError, match="min_coverage"):
        screen(small_obs, min_coverage=1.5)
    with pytest.raises(ce.ScoringError, match="force_include"):
        screen(small_obs, force_include=["u1"], force_exclude=["u1"])
