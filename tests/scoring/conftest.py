"""Fixtures of the scoring tests: small frameworks and panels."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

REF = Path(__file__).resolve().parents[1] / "reference" / "scoring"


def _ind(id_, lower=0, upper=10, direction="increase", **kw):
    return {"id": id_, "label_fr": id_, "label_en": id_, "unit": "u", "kind": "quantitative",
            "direction": direction, "lower": lower, "upper": upper, "source": "register", **kw}


@pytest.fixture(scope="session")
def small_fw():
    """Two dimensions: d1 > (c1: a, b ; c2: c), d2: e, f (indicators directly under)."""
    from coopeval.framework import Framework

    spec = {
        "id": "petit", "title_fr": "Petit", "title_en": "Small",
        "dimensions": [
            {"id": "d1", "label_fr": "d1", "label_en": "d1", "weight": 2, "criteria": [
                {"id": "c1", "label_fr": "c1", "label_en": "c1", "indicators": [_ind("a"), _ind("b", weight=3)]},
                {"id": "c2", "label_fr": "c2", "label_en": "c2", "indicators": [_ind("c", direction="decrease")]},
            ]},
            {"id": "d2", "label_fr": "d2", "label_en": "d2", "indicators": [
                _ind("e", lower=1, upper=1000, transform="log"),
                _ind("f", lower=0, upper=1, direction="target", target=0.5),
            ]},
        ],
    }
    return Framework.from_dict(spec)


@pytest.fixture(scope="session")
def small_obs():
    rng = np.random.default_rng(42)
    rows = []
    bounds = {"a": (0, 10), "b": (0, 10), "c": (0, 10), "e": (1, 1000), "f": (0, 1)}
    for wave in (2023, 2024):
        for u in ["u1", "u2", "u3", "u4", "u5", "u6"]:
            for ind, (lo, hi) in bounds.items():
                rows.append((u, wave, ind, float(rng.uniform(lo, hi))))
    return pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])


@pytest.fixture(scope="session")
def asem():
    idata = pd.read_csv(REF / "coinr_asem" / "asem_idata.csv")
    imeta = pd.read_csv(REF / "coinr_asem" / "asem_imeta.csv")
    return idata, imeta


@pytest.fixture(scope="session")
def coinr_doc():
    """Values printed in COINr's documentation (see the header of the YAML file)."""
    import yaml

    return yaml.safe_load((REF / "coinr_documented.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def asem_long(asem):
    """ASEM raw indicators as long observations keeping COINr's codes and row order (uCode, Time)."""
    idata, imeta = asem
    codes = imeta.loc[imeta["Type"] == "Indicator", "iCode"].tolist()
    long = idata[["uCode", "Time", *codes]].melt(id_vars=["uCode", "Time"], var_name="indicator", value_name="value")
    return long.rename(columns={"uCode": "unit", "Time": "wave"})


@pytest.fixture(scope="session")
def example(asem):
    """COINr's ``build_example_coin()`` rebuilt with coopeval (see tests/scoring/test_coinr_example.py)."""
    import coopeval as ce
    from coopeval.scoring import coinr_denominators, coinr_units, denominate, impute, screen, treat

    idata, imeta = asem
    fw, obs = ce.from_coinr(idata, imeta)
    values, by = coinr_denominators(idata, imeta)
    groups = coinr_units(idata, imeta).set_index("unit")["EurAsia_group"]
    d = denominate(obs, by, values)
    imp = impute(d.data, fw, "mean", groups=groups)
    scr = screen(imp.data.drop(columns="imputed"), fw, min_coverage=0.9)
    trt = treat(scr.data)
    sc = ce.score(trt.data, fw, normalisation="minmax", aggregation="arithmetic", min_coverage=0)
    codes = {**obs.attrs["coinr_codes"], "overall": "Index"}
    return fw, trt.data, sc, {v: k for k, v in codes.items()}, (imp, scr, trt)
