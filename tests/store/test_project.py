"""Project creation and opening on both backends, SQLite settings, frameworks, roles, audit."""

from __future__ import annotations

import sqlite3

import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.store.schema import SCHEMA_VERSION


def test_create_open_same_api(location, fw):
    p = ce.Project.create(location, framework=fw)
    assert p.schema_version == SCHEMA_VERSION
    p.close()
    q = ce.Project.open(location)
    assert q.frameworks()["hash"].tolist() == [fw.hash]
    assert q.audit()["action"].tolist()[:2] == ["create", "add_framework"]
    q.close()


def test_create_refuses_existing_project(location, fw):
    ce.Project.create(location, framework=fw).close()
    with pytest.raises(ce.StoreError, match="path_or_url"):
        ce.Project.create(location)


def test_open_missing_file_is_clear(tmp_path):
    with pytest.raises(ce.StoreError, match="existing project file"):
        ce.Project.open(tmp_path / "absent.coopeval")


def test_open_foreign_database_refused(tmp_path):
    path = tmp_path / "autre.sqlite"
    with sqlite3.connect(path) as con:
        con.execute("CREATE TABLE clients (id INTEGER)")
    with pytest.raises(ce.StoreError, match="schema_version"):
        ce.Project.open(path)


def test_sqlite_settings(tmp_path, fw):
    p = ce.Project.create(tmp_path / "p.coopeval", framework=fw)
    with p.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 60_000
    p.close()


def test_foreign_keys_enforced(location, fw):
    p = ce.Project.create(location, framework=fw)
    from coopeval.store import schema as S

    with pytest.raises(sa.exc.IntegrityError):
        with p.engine.begin() as conn:
            conn.execute(S.sessions.insert().values(session="s", framework_hash="0" * 64, created_at="x"))
    p.close()


def test_framework_versions_yaml_and_hash(project, fw):
    small = fw.select(dimensions=["social", "gouvernance"])
    h = project.add_framework(small)
    assert project.add_framework(small) == h  # idempotent
    stored = project.frameworks()
    assert stored["hash"].tolist() == [fw.hash, small.hash]
    again = project.framework(h)
    assert again.hash == small.hash and again.to_yaml() == small.to_yaml()
    assert ce.Framework.from_yaml(again.to_yaml()) == small
    assert project.framework().hash == small.hash  # latest
    assert project.framework("cooperation_territoriale").hash == small.hash  # latest of that id
    with pytest.raises(ce.StoreError, match="stored framework"):
        project.framework("inconnu")


def test_tampered_framework_yaml_detected(project, fw):
    from coopeval.store import schema as S

    with project.engine.begin() as conn:
        conn.execute(S.frameworks.update().values(yaml=fw.to_yaml().replace("Social", "Sociale", 1)))
    fresh = project.as_role("researcher")
    fresh._fw_cache = {}
    with pytest.raises(ce.StoreError, match="does not match its hash"):
        fresh.framework(fw.hash)


def test_roles_enforced(project):
    obs = pd.DataFrame({"unit": ["A"], "wave": ["2024"], "indicator": ["emplois_etp"], "value": [2.0]})
    for role in ("facilitator", "collective", "participant"):
        with pytest.raises(ce.StoreError, match="role"):
            project.as_role(role).import_observations(obs)
        with pytest.raises(ce.StoreError, match="role"):
            project.as_role(role).judgements()
        with pytest.raises(ce.StoreError, match="role"):
            project.as_role(role).audit()
    with pytest.raises(ce.StoreError, match="role"):
        project.as_role("collective").create_session("s")
    with pytest.raises(ce.StoreError, match="role"):
        ce.Project.open(project.path or project.engine.url, role="chef")


def test_audit_log_is_append_only(project):
    """Database triggers refuse UPDATE and DELETE on audit_log, on both backends."""
    from coopeval.store import schema as S

    n = len(project.audit())
    for stmt in (S.audit_log.update().values(role="x"), S.audit_log.delete()):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            with project.engine.begin() as conn:
                conn.execute(stmt)
    assert len(project.audit()) == n


def test_units_and_waves(project):
    project.add_units(pd.DataFrame({"unit": ["ptce", "ptce_a"], "name": ["PTCE", "Structure A"],
                                    "type": ["ptce", "structure"], "parent": [None, "ptce"],
                                    "territory": ["Loire", "Loire"]}))
    project.add_waves(pd.DataFrame({"wave": ["2024"], "label": ["Vague 1"], "date": ["2024-06-01"]}))
    units = project.units().set_index("unit")
    assert units.loc["ptce_a", "parent"] == "ptce"
    assert project.waves()["label"].tolist() == ["Vague 1"]
    with pytest.raises(ce.StoreError):  # unknown parent unit: foreign key refused, nothing written
        project.add_units(pd.DataFrame({"unit": ["x"], "parent": ["absent"]}))
    assert "x" not in set(project.units()["unit"])


def test_min_group_setting(project):
    assert project.setting("min_group_size") == "5"
    project.set_setting("min_group_size", 7)
    assert project.setting("min_group_size") == "7"
    with pytest.raises(ce.StoreError, match="min_group_size"):
        project.set_setting("min_group_size", 1)


@pytest.mark.postgres
def test_unreachable_database_is_a_store_error(pg_url):
    bad = sa.make_url(pg_url).set(database="coopeval_absente").render_as_string(hide_password=False)
    with pytest.raises(ce.StoreError, match="coopeval_absente"):
        ce.Project.open(bad)
