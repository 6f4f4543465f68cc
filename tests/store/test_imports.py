"""Transactional imports: one bad row writes nothing; a process killed mid-import changes nothing."""

from __future__ import annotations

import multiprocessing as mp
import os
import signal
import sqlite3
import time

import pandas as pd
import pytest

import coopeval as ce


def observations(n_units: int, wave: str = "2024") -> pd.DataFrame:
    """Valid observations: ``n_units`` units x three quantitative indicators."""
    rows = [{"unit": f"u{u:05d}", "wave": wave, "indicator": ind, "value": float(u % 7)}
            for u in range(n_units) for ind in ("emplois_etp", "heures_benevolat", "participants_actifs")]
    return pd.DataFrame(rows)


def test_import_then_read_back(project):
    obs = observations(10).assign(note="saisie")
    assert project.import_observations(obs, source="saisie.csv") == 30
    back = project.observations()
    assert back[["unit", "wave", "indicator", "value"]].equals(obs[["unit", "wave", "indicator", "value"]])
    assert set(project.units()["unit"]) == set(obs["unit"])
    log = project.imports()
    assert log[["kind", "source", "n_rows"]].values.tolist() == [["observations", "saisie.csv", 30]]


def test_one_bad_row_writes_nothing(project):
    before = project.counts()
    obs = observations(50).astype({"value": object})
    obs.loc[77, "value"] = "douze"  # one bad row among 150
    with pytest.raises(ce.DataError) as err:
        project.import_observations(obs, source="bad.csv")
    assert "douze" in str(err.value)
    obs2 = observations(3)
    obs2.loc[4, "indicator"] = "indicateur_inconnu"
    with pytest.raises(ce.DataError, match="indicateur_inconnu"):
        project.import_observations(obs2)
    assert project.counts() == before


def test_conflict_with_stored_rows_writes_nothing(project):
    project.import_observations(observations(5))
    before = project.counts()
    again = pd.concat([observations(8, wave="2025"), observations(5)], ignore_index=True)
    with pytest.raises(ce.StoreError, match="nothing was written"):
        project.import_observations(again)
    assert project.counts() == before


def test_conflict_named_in_a_later_chunk(project):
    """The rows are inserted by chunks of 500 under one savepoint: a conflict in the third chunk
    still names the stored row (its line in the file) and writes nothing."""
    project.import_observations(observations(1, wave="2025"))  # u00000 / 2025, three indicators
    before = project.counts()
    again = pd.concat([observations(400), observations(1, wave="2025")], ignore_index=True)  # rows 1200-1202
    with pytest.raises(ce.StoreError, match=r"new\.csv, line 1202 \(unit='u00000', wave='2025'.*already stored"):
        project.import_observations(again, source="new.csv")
    assert project.counts() == before


def test_response_checks_on_stripped_ids(project, fw):
    """Ids are compared after stripping spaces (one factorisation per column): " r1" and "r1" on
    the same item are a duplicate; a blank or missing id is refused with its line; nothing is written."""
    items = fw.items["item"].tolist()[:2]
    resp = pd.DataFrame([{"respondent": r, "unit": "tera", "wave": "2024", "college": "habitants", "item": it,
                          "value": 3} for r in ("r1", "r2") for it in items])
    before = project.counts()
    dup = pd.concat([resp, resp.iloc[[0]].assign(respondent=" r1 ")], ignore_index=True)
    with pytest.raises(ce.DataError) as err:
        project.import_responses(dup, source="dup.csv")
    assert any("dup.csv, line 6" in i.where and "duplicate of dup.csv, line 2" in i.found for i in err.value.issues)
    blank = resp.astype({"respondent": object})
    blank.loc[1, "respondent"] = "  "
    blank.loc[2, "respondent"] = None
    with pytest.raises(ce.DataError) as err:
        project.import_responses(blank, source="blank.csv")
    where = {i.where for i in err.value.issues if i.key == "respondent"}
    assert len(where) == 2  # rows 1 and 2 (named by the data layer's validator, which runs first)
    assert project.counts() == before
    assert project.import_responses(resp) == 4


def test_responses_pseudonymised(project, fw):
    items = fw.items["item"].tolist()[:3]
    resp = pd.DataFrame([{"respondent": name, "unit": "tera", "wave": "2024", "college": "habitants",
                          "item": it, "value": 4} for name in ("Marie Curie", "Jean Jaurès") for it in items])
    assert project.import_responses(resp) == 6
    stored = project.responses()
    assert not set(stored["respondent"]) & {"Marie Curie", "Jean Jaurès"}
    assert stored["respondent"].str.fullmatch(r"r_[0-9a-f]{16}").all()
    # same person, same pseudonym in the next wave
    project.import_responses(resp.assign(wave="2025"))
    again = project.responses()
    codes = again.groupby("wave")["respondent"].apply(lambda s: sorted(set(s)))
    assert codes["2024"] == codes["2025"]
    with pytest.raises(ce.StoreError, match="researcher"):
        project.as_role("collective").responses()


def test_one_college_per_respondent_unit_and_wave_across_imports(project, fw):
    """Validation refuses a table that puts a respondent in two colleges for the same unit and wave;
    the store holds the rule across imports too (a second import used to add Marie's other answers
    under another college). The refused import names its line and the pseudonym, and writes
    nothing; the same college, another wave or another unit is accepted."""
    items = fw.items["item"].tolist()[:4]
    first = pd.DataFrame([{"respondent": name, "unit": "tera", "wave": "2024", "college": "habitants",
                           "item": it, "value": 4} for name in ("Marie", "Jean") for it in items[:2]])
    project.import_responses(first)
    marie = project.responses()["respondent"].iloc[0]
    later = pd.DataFrame([{"respondent": "Paul", "unit": "tera", "wave": "2024", "college": "salarie·es",
                           "item": items[0], "value": 2},
                          {"respondent": "Jean", "unit": "tera", "wave": "2024", "college": "habitants",
                           "item": items[2], "value": 3},
                          {"respondent": "Marie", "unit": "tera", "wave": "2024", "college": "salarie·es",
                           "item": items[2], "value": 5}])
    before = project.counts()
    with pytest.raises(ce.StoreError, match=(rf"autres\.csv, line 4 \(respondent='{marie}', unit='tera', "
                                             r"wave='2024'\): expected college 'habitants'.*got 'salarie·es'; "
                                             "nothing was written")):
        project.import_responses(later, source="autres.csv")
    assert project.counts() == before
    assert project.import_responses(later.iloc[:2]) == 2  # the same college: accepted
    assert project.import_responses(later.iloc[[2]].assign(wave="2025")) == 1  # another wave
    assert project.import_responses(later.iloc[[2]].assign(unit="butinerie")) == 1  # another unit
    stored = project.responses().groupby(["respondent", "unit", "wave"])["college"].nunique()
    assert (stored == 1).all() and len(stored) == 5


def _killed_import(location: str, started: str) -> None:
    """Child: import 6,000 rows; after the first chunk is inserted, signal and wait to be killed."""
    p = ce.Project.open(location)

    def progress(done: int, total: int) -> None:
        if not os.path.exists(started):
            with open(started, "w") as fh:
                fh.write(f"{done}/{total}")
        time.sleep(0.2)

    p.import_observations(observations(2_000), progress=progress)


def test_killed_mid_import_leaves_project_unchanged(project, location, tmp_path):
    project.import_observations(observations(20, wave="2023"))
    before = project.counts()
    obs_before = project.observations()
    project.close()
    started = str(tmp_path / "started")
    child = mp.get_context("fork").Process(target=_killed_import, args=(location, started))
    child.start()
    deadline = time.monotonic() + 60
    while not os.path.exists(started) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert os.path.exists(started), "the import never started"
    time.sleep(0.5)  # several chunks inserted, transaction still open
    os.kill(child.pid, signal.SIGKILL)
    child.join()
    assert child.exitcode == -signal.SIGKILL
    assert open(started).read().startswith("500/6000")

    p = ce.Project.open(location)
    assert p.counts() == before
    pd.testing.assert_frame_equal(p.observations(), obs_before)
    if "://" not in location:
        with sqlite3.connect(location) as con:
            assert con.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # nothing is left locked: the same import now succeeds
    assert p.import_observations(observations(100)) == 300
    p.close()
