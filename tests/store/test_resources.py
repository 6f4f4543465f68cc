"""Resources of the socio-economic model kept in the store: validated, transactional, audited."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce

COLUMNS = ["unit", "wave", "source", "category", "amount", "unit_of_measure"]


@pytest.fixture(scope="module")
def panel_resources() -> pd.DataFrame:
    return ce.datasets.load("panel_synthetique")["resources"]


def test_panel_resources_stored_and_read_back(project, panel_resources):
    res = panel_resources
    assert project.import_resources(res, source="resources.csv") == len(res) == 310
    back = project.resources()
    assert list(back.columns) == COLUMNS
    # the same table, waves as text like every other wave id of the store
    want = res.astype({"wave": str}).reset_index(drop=True)
    pd.testing.assert_frame_equal(back, want, check_dtype=False, check_exact=True)
    assert back["amount"].dtype == "float64"
    # one wave; totals by category recomputed independently from the dataset with pandas
    w1 = project.resources(wave=1)
    assert set(w1["wave"]) == {"1"} and len(w1) == int((res["wave"] == 1).sum())
    by_cat = w1.groupby(["category", "unit_of_measure"])["amount"].sum()
    want_cat = res[res["wave"] == 1].groupby(["category", "unit_of_measure"])["amount"].sum()
    pd.testing.assert_series_equal(by_cat, want_cat, check_exact=True)
    # units and waves added, the import logged and audited
    assert set(res["unit"]) <= set(project.units()["unit"])
    assert set(project.waves()["wave"]) == set(res["wave"].astype(str))
    log = project.imports()
    assert log[["kind", "source", "n_rows"]].values.tolist() == [["resources", "resources.csv", 310]]
    entry = project.audit().iloc[-1]
    assert entry["action"] == "import_resources" and entry["detail"]["n"] == 310
    assert entry["detail"]["sha256"] == log["sha256"].iloc[0]


def test_roles(project, panel_resources):
    project.import_resources(panel_resources.head(3))
    assert len(project.as_role("collective").resources()) == 3  # the cooperation's accounts, not personal data
    with pytest.raises(ce.StoreError, match="role"):
        project.as_role("participant").resources()
    with pytest.raises(ce.StoreError, match="role"):
        project.as_role("facilitator").import_resources(panel_resources.head(3))


def test_english_categories_and_spelling(project):
    res = pd.DataFrame({"unit": ["tera"] * 3, "wave": [2025] * 3,
                        "source": ["sales", "Région", "volunteers"],
                        "category": [" Market", "NON_MARKET", "non_monetary "],
                        "amount": [10, "2500.5", 12], "unit_of_measure": ["euros", "euros", "h"]})
    assert project.import_resources(res) == 3
    back = project.resources()
    assert back["category"].tolist() == ["market", "non_market", "non_monetary"]
    assert back["amount"].tolist() == [10.0, 2500.5, 12.0]


def test_every_bad_row_reported_and_nothing_written(project, panel_resources):
    before = project.counts()
    bad = panel_resources.head(6).copy().astype({"amount": object})
    bad.loc[1, "category"] = "subvention"          # not a category
    bad.loc[2, "amount"] = -5.0                    # negative
    bad.loc[3, "amount"] = "beaucoup"              # not a number
    bad.loc[4, "unit_of_measure"] = None           # missing unit of measure
    bad.loc[5] = bad.loc[0]                        # duplicate of the first row
    with pytest.raises(ce.DataError, match="resources: nothing was written") as err:
        project.import_resources(bad, source="ressources.csv")
    issues = {(i.where, i.key) for i in err.value.issues}
    assert issues == {("ressources.csv, line 3", "category"), ("ressources.csv, line 4", "amount"),
                      ("ressources.csv, line 5", "amount"), ("ressources.csv, line 6", "unit_of_measure"),
                      ("ressources.csv, line 7", "unit/wave/source/category/unit_of_measure")}
    assert "'beaucoup'" in str(err.value) and "'subvention'" in str(err.value)
    with pytest.raises(ce.DataError, match="missing amount"):
        project.import_resources(panel_resources.drop(columns="amount"))
    assert project.counts() == before


def test_conflict_with_stored_rows_writes_nothing(project, panel_resources):
    project.import_resources(panel_resources.head(5))
    before = project.counts()
    again = panel_resources.head(9)  # 4 new rows after 5 already stored
    with pytest.raises(ce.StoreError, match=r"row 0 \(unit=.u01.*unit_of_measure=.euros.\) is already stored"):
        project.import_resources(again)
    assert project.counts() == before
