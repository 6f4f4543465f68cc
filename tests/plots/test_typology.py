"""Typology map: positions, codes of the report dataset, missing positions, quadrants."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.plots import typology_map


def test_positions_and_quadrants():
    cases = pd.DataFrame({"unit": ["a", "b", "c"], "systemic": [0.9, 0.1, 0.9], "modelled": [True, False, True]})
    ax = typology_map(cases, highlight="b")
    off = ax.collections[0].get_offsets()
    # c falls on a's point: spread vertically by 0.07
    assert np.allclose(off, [[0.9, 0.75], [0.1, 0.25], [0.9, 0.82]])
    quads = sorted(t.get_text() for t in ax.texts if t.get_gid() == "quadrant")
    assert quads == ["Modélisée, ciblée", "Modélisée, systémique", "Non modélisée, ciblée",
                     "Non modélisée, systémique"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["Ciblée", "Systémique"]


def test_report_codes_and_missing_positions():
    cases = ce.datasets.load("cas_rapport_2024", table="cases")
    df = cases.rename(columns={"case": "unit", "scope": "systemic"})
    ax = typology_map(df, lang="en")
    stated = ax.collections[0].get_offsets()
    hollow = ax.collections[1].get_offsets()
    # both positions are stated only for L'Après M in the report: non modélisée, ciblée
    n_stated = int((df["systemic"].notna() & df["modelled"].notna()).sum())
    assert len(stated) == n_stated == 1
    assert np.allclose(stated[0], [0.0, 0.25])
    assert len(hollow) == len(df) - 1
    assert ax.get_legend() is not None


def test_invalid_positions_all_listed():
    cases = pd.DataFrame({"unit": ["a", "b"], "systemic": [1.5, "x"], "modelled": ["peut-être", True]})
    with pytest.raises(ce.PlotError) as err:
        typology_map(cases)
    assert len(err.value.issues) == 3
    assert "row 0" in str(err.value) and "row 1" in str(err.value)
