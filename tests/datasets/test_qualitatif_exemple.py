"""Content of ``qualitatif_exemple``: valid against the framework and its own contracts, the
documented design (small college, second coder, grids), byte-identical regeneration."""

from __future__ import annotations

import importlib.util

import pandas as pd
import pytest

import coopeval as ce
from coopeval.resources import datasets_dir

FOLDER = datasets_dir() / "qualitatif_exemple"
TABLES = ["codebook", "extracts", "codes", "actions", "grids"]


@pytest.fixture(scope="module")
def q():
    return ce.datasets.load("qualitatif_exemple")


def test_regeneration_is_byte_identical(tmp_path):
    spec = importlib.util.spec_from_file_location("qual_generate", FOLDER / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.generate(tmp_path)
    for name in TABLES:
        assert (tmp_path / f"{name}.csv").read_bytes() == (FOLDER / f"{name}.csv").read_bytes(), name


def test_valid_against_contracts_and_framework(q, fw):
    ev = ce.qualitative.Evidence(q["extracts"], q["codes"], q["codebook"], q["actions"])
    assert len(ev.extracts) == 540 and len(ev.codebook) == 10
    ce.qualitative.check_codebook(q["codebook"], fw)
    ce.qualitative.check_actions(q["actions"], fw)
    checked = ce.data.validate_observations(q["grids"], fw)
    clean = checked if isinstance(checked, pd.DataFrame) else checked.data
    assert len(clean) == 72 and set(q["grids"]["indicator"]) == {"grille_gouvernance", "grille_cooperation"}
    panel_units = set(ce.datasets.load("panel_synthetique", table="units")["unit"])
    assert set(q["grids"]["unit"]) == panel_units


def test_documented_design(q):
    ex = q["extracts"]
    per = ex.groupby(["unit", "wave"]).size()
    assert (per == 60).all() and len(per) == 9
    sizes = ex.groupby(["unit", "college"])["speaker"].nunique().groupby("college").max()
    assert sizes.to_dict() == {"benevoles": 5, "collectivites": 2, "habitants": 5, "salarie_es": 5}
    assert 0.75 < ex["consent"].mean() < 0.95
    c2 = q["codes"][q["codes"]["coder"] == "c2"]
    assert set(c2["extract"].str[:6]) == {"u01_v2", "u02_v2"}
    g = q["grids"][q["grids"]["unit"] == "u01"].groupby("indicator")["value"].apply(list).to_dict()
    assert g == {"grille_cooperation": [2.0, 2.0, 3.0], "grille_gouvernance": [2.0, 2.0, 3.0]}
