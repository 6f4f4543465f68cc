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
