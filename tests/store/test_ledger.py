"""Issue 18: the externality ledger and conventions in the store (schema v4)."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError


@pytest.fixture
def project(tmp_path):
    return ce.Project.create(tmp_path / "p.coopeval", framework="cooperation_territoriale")


def test_round_trip_gives_the_same_cofinancing(project):
    b = ce.datasets.load("la_butinerie")
    assert project.import_ledger(b["externalites"], b["conventions"], wave="2023", source="la_butinerie") == 8
    led, conv = project.as_role("collective").ledger(wave="2023")
    stored = ce.valuation.externality_ledger(led, conv, year=2023).cofinancing
    direct = ce.valuation.externality_ledger(b["externalites"], b["conventions"], year=2023).cofinancing
    pd.testing.assert_frame_equal(stored, direct)
    assert project.imports()["kind"].tolist() == ["ledger"]
    assert project.audit()["action"].iloc[-1] == "import_ledger"


def test_one_bad_row_writes_nothing(project):
    b = ce.datasets.load("la_butinerie")
    bad = b["externalites"].copy()
    bad.loc[1, "beneficiary_type"] = "mairie"
    with pytest.raises(DataError, match="beneficiary_type"):
        project.import_ledger(bad, b["conventions"], wave="2023")
    led, conv = project.ledger()
    assert led.empty and conv.empty and project.counts()["conventions"] == 0
    project.import_ledger(b["externalites"], b["conventions"], wave="2023")
    with pytest.raises(DataError, match="conflict"):
        project.import_ledger(b["externalites"], None, wave="2023")
    assert project.counts()["externalities"] == 5
