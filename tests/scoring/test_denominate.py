"""Denomination, as COINr's ``Denominate`` (tests/testthat/test-Denominate.R of COINr, Becker et al.
2022, JOSS 7(78) 4567): ``Goods / GDP`` and ``Flights / Population * 1000`` on ASEM, checked against
a plain pandas merge-and-divide (tolerance 1e-15 relative)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.scoring import coinr_denominators, denominate


def test_asem_like_coinr_testthat(asem, asem_long):
    idata, _ = asem
    by = pd.DataFrame({"indicator": ["Goods", "Flights"], "denominator": ["GDP", "Population"], "scale": [1, 1000]})
    dens = idata[["uCode", "Time", "GDP", "Population"]].melt(id_vars=["uCode", "Time"], var_name="indicator")
    dens = dens.rename(columns={"uCode": "unit", "Time": "wave"})
    sub = asem_long[asem_long["indicator"].isin(["Goods", "Flights", "LPI"])]
    d = denominate(sub, by, dens)
    got = d.data.pivot(index="unit", columns="indicator", values="value")
    manual = idata.set_index("uCode")
    np.testing.assert_allclose(got["Goods"], (manual["Goods"] / manual["GDP"]).loc[got.index], rtol=1e-15)
    np.testing.assert_allclose(got["Flights"], (manual["Flights"] / manual["Population"] * 1000).loc[got.index],
                               rtol=1e-15)
    np.testing.assert_array_equal(got["LPI"], manual["LPI"].loc[got.index])
    rep = d.report.set_index("indicator")
    assert rep.loc["Flights", "scale"] == 1000 and rep.loc["Goods", "n_denominated"] == 51


def test_denominators_from_imeta(asem):
    idata, imeta = asem
    fw, obs = ce.from_coinr(idata, imeta)
    values, by = coinr_denominators(idata, imeta)
    assert set(values["indicator"]) == {"Area", "Energy", "GDP", "Population"}
    assert dict(zip(by["indicator"], by["denominator"], strict=True))["bord"] == "Area" and len(by) == imeta["Denominator"].notna().sum() == 17
    d = denominate(obs, by, values)
    bord = d.data.query("indicator == 'bord'").set_index("unit")["value"]
    want = (idata.set_index("uCode")["Bord"] / idata.set_index("uCode")["Area"]).loc[bord.index]
    np.testing.assert_allclose(bord, want, rtol=1e-15)


def test_missing_zero_and_unwaved_denominators():
    obs = pd.DataFrame({"unit": ["a", "b", "c", "a", "b", "c"], "wave": [1, 1, 1, 2, 2, 2], "indicator": "x",
                        "value": [10.0, 20.0, 30.0, 1.0, 2.0, 3.0]})
    pop = pd.DataFrame({"unit": ["a", "b"], "indicator": "pop", "value": [2.0, 0.0]})  # no wave: all waves
    d = denominate(obs, {"x": "pop"}, pop)
    assert d.data["value"].tolist()[:1] == [5.0] and d.data["value"].tolist()[3] == 0.5
    assert d.data["value"].isna().sum() == 4
    rep = d.report.iloc[0]
    assert (rep["n"], rep["n_denominated"], rep["n_missing_denominator"], rep["n_zero_denominator"]) == (6, 2, 2, 2)


def test_errors():
    obs = pd.DataFrame({"unit": ["a"], "wave": 1, "indicator": "x", "value": [1.0]})
    with pytest.raises(ce.ScoringError) as err:
        denominate(obs, {"x": "pop", "y": "x"})
    assert {i.key for i in err.value.issues} == {"pop", "y"}
    with pytest.raises(ce.ScoringError, match="by"):
        denominate(obs, ["x"])
