"""The Evidence bundle and the Evaluation doors onto it, with and without qualitative data."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError
from coopeval.evaluation import Evaluation
from coopeval.qualitative import Evidence


def test_evidence_checks_its_tables():
    q = ce.datasets.load("qualitatif_exemple")
    ev = Evidence(q["extracts"], q["codes"], q["codebook"], q["actions"])
    assert not ev.empty and Evidence().empty
    with pytest.raises(DataError, match="codebook"):
        Evidence(q["extracts"], q["codes"].assign(code="hors_grille"), q["codebook"])


def test_evaluation_without_qualitative_data():
    fw = ce.load_framework("cooperation_territoriale")
    obs = ce.datasets.load("panel_synthetique", table="observations")
    ev = Evaluation(fw, obs)
    assert ev.evidence is None
    assert ev.extracts("participation_decisions", "u01", 2).empty
    assert ev.themes("u01").empty and ev.actions("u01", 3).empty
    doc = ce.report.restitution(ev, "u01", 3)
    ids = re.findall(r'<h2 id="(\w+)"', doc)
    assert "evidence" not in ids and "actions" not in ids and "grids" not in ids


def test_sample_evaluation_min_group_governs_what_is_shown():
    ev = Evaluation.sample()
    shown = ev.extracts("participation_decisions", "u01", 2)
    ev = Evaluation.sample(min_group=6)  # stricter rule: more colleges hidden, never fewer
    stricter = ev.extracts("participation_decisions", "u01", 2)
    assert stricter["college_hidden"].sum() >= shown["college_hidden"].sum()
    themes = ev.themes("u01")
    assert (themes["n_speakers"].dropna() >= 6).all()
    assert isinstance(themes, pd.DataFrame)
