"""Import of COINr's ASEM example and scoring at every level.

Data: ``ASEM_iData`` / ``ASEM_iMeta`` of the R package COINr (Becker, W. et al. 2022,
"COINr: An R package for developing composite indicators", JOSS 7(78), 4567), copied in
``tests/reference/scoring/coinr_asem/``. No published table of COINr results for raw
(un-denominated, untreated) ASEM data was found, so the reference is an independent
plain-pandas implementation of COINr's defaults, written below from COINr's documentation:
``n_minx`` min-max on ``x * Direction`` scaled to [l, u]; ``a_amean`` / ``a_gmean`` weighted
means with ``na.rm = TRUE`` (missing children ignored, weights of the others rescaled),
level by level up to the index. Tolerance 1e-9.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce


def _reference(idata, imeta, lo, hi, mean):
    meta = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])]
    ind = meta[meta["Level"] == 1]
    x = idata.set_index("uCode")[ind["iCode"].tolist()].astype(float)
    x = x * ind.set_index("iCode")["Direction"]
    x = lo + (x - x.min()) / (x.max() - x.min()) * (hi - lo)
    values = {c: x[c] for c in x.columns}
    for level in range(2, int(meta["Level"].max()) + 1):
        for _, row in meta[meta["Level"] == level].iterrows():
            kids = meta[meta["Parent"] == row["iCode"]]
            frame = pd.concat({k: values[k] for k in kids["iCode"]}, axis=1)
            w = kids.set_index("iCode")["Weight"].astype(float)
            wm = frame.notna() * w
            if mean == "arithmetic":
                agg = (frame.fillna(0) * w).sum(axis=1) / wm.sum(axis=1)
            else:
                agg = np.exp((np.log(frame).fillna(0) * w).sum(axis=1) / wm.sum(axis=1))
            values[row["iCode"]] = agg
    return values


@pytest.mark.parametrize(("rng", "mean"), [((0, 100), "arithmetic"), ((1, 100), "geometric")])
def test_asem_every_level_matches_pandas_reference(asem, rng, mean):
    idata, imeta = asem
    fw, obs = ce.from_coinr(idata, imeta)
    assert len(fw) == 49 and len(fw.dimension_ids) == 2
    assert int(idata[[c for c in imeta.query("Type == 'Indicator'")["iCode"]]].isna().sum().sum()) == 63
    sc = ce.score(obs, fw, normalisation="minmax", aggregation=mean, output_range=rng, min_coverage=0)
    assert sc.loc[sc["level"] != "indicator", "score"].notna().all()
    ref = _reference(idata, imeta, *rng, mean)
    codes = obs.attrs["coinr_codes"]
    got = sc.set_index(["node", "unit"])["score"]
    for node, code in {**{k: v for k, v in codes.items() if k in fw}, "overall": "Index"}.items():
        want = ref[code].dropna()
        np.testing.assert_allclose(got.loc[node].reindex(want.index), want, rtol=1e-9, err_msg=node)
    # levels: 2 pillars -> dimensions, 8 sub-pillars -> criteria
    assert sc.query("level == 'criterion'")["node"].nunique() == 8


def test_from_coinr_keeps_directions_weights_and_codes(asem):
    idata, imeta = asem
    imeta = imeta.copy()
    imeta.loc[imeta["iCode"] == "Conn", "Weight"] = 3
    fw, obs = ce.from_coinr(idata, imeta)
    ind = fw.indicators.set_index("indicator")
    assert ind.loc["pubdebt", "direction"] == "decrease" and ind.loc["lpi", "direction"] == "increase"
    assert fw.default_weights().loc["conn"] == pytest.approx(0.75)
    assert obs.attrs["coinr_codes"]["gdpgrow"] == "GDPGrow"
    assert set(obs.columns) == {"unit", "wave", "indicator", "value"} and set(obs["wave"]) == {2018}


def test_from_coinr_errors(asem):
    idata, imeta = asem
    with pytest.raises(ce.ScoringError, match="imeta"):
        ce.from_coinr(idata, imeta.drop(columns="Parent"))
    bad = imeta.copy()
    bad.loc[bad["iCode"] == "LPI", "Parent"] = "Nowhere"
    with pytest.raises(ce.ScoringError) as err:
        ce.from_coinr(idata, bad)
    assert err.value.issues[0].key == "LPI"
    with pytest.raises(ce.ScoringError, match="uCode"):
        ce.from_coinr(idata.drop(columns="uCode"), imeta)
    text = idata.astype({"LPI": object, "Goods": object})
    text.loc[3, "LPI"], text.loc[5, "Goods"], text.loc[0, "Goods"] = "n/a", "beaucoup", "12.5"
    with pytest.raises(ce.ScoringError) as err:
        ce.from_coinr(text, imeta)
    assert [(i.key, i.found) for i in err.value.issues] == [("LPI", "'n/a'"), ("Goods", "'beaucoup'")]


def test_from_coinr_long_table_is_the_melt_of_idata(asem):
    """Independent construction of the long table (pandas ``melt``, missing values dropped), with
    a wave column and a few missing cells: the table ``from_coinr`` builds with arrays equals it."""
    idata, imeta = asem
    idata = idata.assign(Time=[2018 + i % 2 for i in range(len(idata))])
    idata.loc[[1, 7], "LPI"] = np.nan
    fw, obs = ce.from_coinr(idata, imeta)
    codes = imeta.loc[imeta["Level"] == 1, "iCode"].tolist()
    ref = idata.melt(id_vars=["uCode", "Time"], value_vars=codes, var_name="indicator", value_name="value")
    ref = ref.dropna(subset=["value"]).rename(columns={"uCode": "unit", "Time": "wave"})
    ref["indicator"] = ref["indicator"].map({v: k for k, v in obs.attrs["coinr_codes"].items()})
    pd.testing.assert_frame_equal(obs, ref[["unit", "wave", "indicator", "value"]].reset_index(drop=True),
                                  check_dtype=False)
    assert len(obs) == int(idata[codes].notna().to_numpy().sum())


def test_round_trip_asem_from_to_from(asem):
    """from_coinr -> to_coinr -> from_coinr gives the same framework (same hash), observations and scores,
    and to_coinr gives back COINr's own iMeta rows and iData values."""
    idata, imeta = asem
    units = ce.scoring.coinr_units(idata, imeta)
    dens, by = ce.scoring.coinr_denominators(idata, imeta)
    fw1, obs1 = ce.from_coinr(idata, imeta)
    idata2, imeta2 = ce.to_coinr(fw1, obs1, units=units, denominators=dens, by=by)
    fw2, obs2 = ce.from_coinr(idata2, imeta2)
    assert fw2.hash == fw1.hash and fw2.to_dict() == fw1.to_dict()
    pd.testing.assert_frame_equal(obs2, obs1)
    assert obs2.attrs == obs1.attrs
    s1 = ce.score(obs1, fw1, normalisation="minmax", min_coverage=0)
    s2 = ce.score(obs2, fw2, normalisation="minmax", min_coverage=0)
    pd.testing.assert_frame_equal(s1, s2)
    # the exported tables are COINr's own (row order aside); numbers compared as floats
    cols = ["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Denominator", "Parent", "Type"]
    key = ["Type", "iCode"]
    a = imeta[cols].sort_values(key).reset_index(drop=True)
    b = imeta2[cols].sort_values(key).reset_index(drop=True)
    tree = a["Type"].isin(["Indicator", "Aggregate"])
    for c in ("iCode", "iName", "Parent", "Type", "Denominator"):
        pd.testing.assert_series_equal(a.loc[tree, c].fillna("-"), b.loc[tree, c].fillna("-"), check_dtype=False)
    ind = a["Type"] == "Indicator"  # the unit of aggregates ("Score") has no place in a framework
    pd.testing.assert_series_equal(a.loc[ind, "Unit"], b.loc[ind, "Unit"], check_dtype=False)
    for c in ("Level", "Direction", "Weight"):
        np.testing.assert_array_equal(a.loc[tree & (a["iCode"] != "Index"), c].astype(float),
                                      b.loc[tree & (b["iCode"] != "Index"), c].astype(float))
    assert sorted(b.loc[~tree, "iCode"]) == sorted(a.loc[~tree, "iCode"])
    pd.testing.assert_frame_equal(idata2[list(idata.columns)].sort_values("uCode").reset_index(drop=True),
                                  idata.sort_values("uCode").reset_index(drop=True), check_dtype=False)


def test_to_coinr_native_framework_and_errors(small_fw, small_obs):
    with pytest.raises(ce.ScoringError) as err:
        ce.to_coinr(small_fw, small_obs)  # d2 has indicators directly under it, f is a target
    keys = {i.key for i in err.value.issues}
    assert keys == {"d2", "f"}
    fw = small_fw.select(dimensions=["d1"])
    idata, imeta = ce.to_coinr(fw, small_obs, codes={"overall": "Idx"})
    assert list(imeta["iCode"]) == ["a", "b", "c", "c1", "c2", "d1", "Idx"]
    assert imeta.set_index("iCode").loc["c", "Direction"] == -1 and imeta.set_index("iCode").loc["b", "Weight"] == 3
    assert idata.shape == (12, 2 + 1 + 3) and set(idata["Time"]) == {2023, 2024}
    fw2, obs2 = ce.from_coinr(idata, imeta)
    s1 = ce.score(small_obs, fw, normalisation="minmax", min_coverage=0)
    s2 = ce.score(obs2, fw2, normalisation="minmax", min_coverage=0)
    np.testing.assert_allclose(s1.query("node == 'overall'")["score"], s2.query("node == 'overall'")["score"],
                               rtol=1e-12)
