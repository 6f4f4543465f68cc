"""Qualitative evidence and actions in the project store (issue 17): pseudonyms, roles, audit, atomicity."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError, StoreError
from coopeval.store.tokens import pseudonym


@pytest.fixture(scope="module")
def q():
    return ce.datasets.load("qualitatif_exemple")


@pytest.fixture
def project(tmp_path):
    return ce.Project.create(tmp_path / "eval.coopeval", framework="cooperation_territoriale")


def test_import_pseudonymises_and_keeps_codes(project, q):
    assert project.set_codebook(q["codebook"]) == 10
    assert project.import_extracts(q["extracts"], q["codes"], source="extraits.csv") == 540
    ex = project.extracts()
    key = project._pseudonym_key()
    expected = [pseudonym(s, key) for s in q["extracts"]["speaker"]]
    assert ex["speaker"].tolist() == expected and not set(ex["speaker"]) & set(q["extracts"]["speaker"])
    assert ex["text"].tolist() == q["extracts"]["text"].tolist()
    assert ex["consent"].tolist() == q["extracts"]["consent"].tolist()
    assert ex["wave"].tolist() == q["extracts"]["wave"].astype(str).tolist()  # text, as observations
    pd.testing.assert_frame_equal(project.codes(), q["codes"], check_dtype=False)
    assert project.imports()["kind"].tolist() == ["extracts"]
    assert project.audit()["action"].tolist()[-1] == "import_extracts"
    # the agreement read back from the store is the one of the dataset
    pd.testing.assert_frame_equal(ce.qualitative.intercoder_agreement(project.codes()),
                                  ce.qualitative.intercoder_agreement(q["codes"]))


def test_import_is_all_or_nothing(project, q):
    project.set_codebook(q["codebook"])
    project.import_extracts(q["extracts"].iloc[:10], q["codes"][q["codes"]["extract"].isin(q["extracts"]["extract"][:10])])
    with pytest.raises(StoreError, match="already stored"):
        project.import_extracts(q["extracts"].iloc[5:20])
    assert len(project.extracts()) == 10
    bad = pd.DataFrame({"extract": ["u01_v1_01"], "code": ["pas_dans_le_codebook"], "coder": ["c3"]})
    with pytest.raises(DataError, match="codebook"):
        project.add_codes(bad)
    second = pd.DataFrame({"extract": ["u01_v1_01"], "code": ["entraide"], "coder": ["c3"]})
    assert project.add_codes(second) == 1
    with pytest.raises(StoreError, match="already stored"):
        project.add_codes(second)


def test_roles(project, q):
    project.set_codebook(q["codebook"])
    project.import_extracts(q["extracts"].iloc[:3])
    project.add_actions(q["actions"])
    collective = project.as_role("collective")
    with pytest.raises(StoreError, match="role"):
        collective.extracts()
    with pytest.raises(StoreError, match="role"):
        collective.codes()
    assert len(collective.actions()) == 8 and len(collective.codebook()) == 10
    with pytest.raises(StoreError, match="role"):
        collective.update_action("a01", "done")
    project.as_role("facilitator").update_action("a02", "done")


def test_actions_upsert_and_update(project, q):
    assert project.add_actions(q["actions"]) == 8
    acts = project.actions()
    order = q["actions"].sort_values(["wave", "action"])  # decision order
    assert acts["action"].tolist() == order["action"].tolist()
    assert acts["status"].tolist() == order["status"].tolist()
    project.update_action("a06", "done")
    assert project.actions(unit="u02").set_index("action").loc["a06", "status"] == "done"
    with pytest.raises(StoreError, match="status"):
        project.update_action("a06", "fini")
    with pytest.raises(StoreError, match="action"):
        project.update_action("a99", "done")
    changed = q["actions"].iloc[:1].assign(what="Relancer l'AG autrement")
    assert project.add_actions(changed) == 1
    assert project.actions().set_index("action").loc["a01", "what"] == "Relancer l'AG autrement"
    with pytest.raises(DataError, match="criteria"):
        project.add_actions(q["actions"].assign(criteria="inconnu"))
    assert project.audit()["action"].tolist().count("update_action") == 1


def test_export_round_trip(project, q, tmp_path):
    project.set_codebook(q["codebook"])
    project.import_extracts(q["extracts"], q["codes"])
    project.add_actions(q["actions"])
    copy = ce.Project.import_folder(project.export(tmp_path / "export"), tmp_path / "copie.coopeval")
    for name in ("extracts", "codes", "codebook", "actions"):
        pd.testing.assert_frame_equal(getattr(copy, name)(), getattr(project, name)())
