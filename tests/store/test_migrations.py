"""Schema migrations: hand-written version-1 and version-2 projects are upgraded safely on opening."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.store import migrations as M
from coopeval.store import schema as S

FIXTURE = Path(__file__).parent / "fixtures" / "project_v1.sql"
FIXTURE_V2 = Path(__file__).parent / "fixtures" / "project_v2.sql"
V1_COUNTS = {"meta": 3, "frameworks": 1, "units": 2, "waves": 2, "imports": 2, "observations": 2,
             "respondents": 1, "responses": 2, "sessions": 1, "rounds": 2, "participants": 3,
             "submissions": 2, "judgements": 4, "results": 1, "audit_log": 2}


def make_v1(location: str, fw, fixture: Path = FIXTURE) -> None:  # noqa: ANN001
    """Create the version-1 fixture project at ``location`` (SQLite path or PostgreSQL URL)."""
    url = location if "://" in location else f"sqlite:///{location}"
    engine = sa.create_engine(url)
    serial = "SERIAL PRIMARY KEY" if engine.dialect.name == "postgresql" else "INTEGER PRIMARY KEY"
    text = "\n".join(line for line in fixture.read_text(encoding="utf-8").splitlines() if not line.startswith("--"))
    with engine.begin() as conn:
        for stmt in text.replace("{serial}", serial).split(";\n"):
            if stmt.strip():
                params = {k: v for k, v in (("fw_hash", fw.hash), ("fw_yaml", fw.to_yaml())) if f":{k}" in stmt}
                conn.execute(sa.text(stmt), params)
        if fixture == FIXTURE_V2:  # version 2 made audit_log append-only with triggers
            M._audit_triggers(conn)
    engine.dispose()


def make_v2(location: str, fw) -> None:  # noqa: ANN001
    """Create the version-2 fixture project (no ``resources`` table) at ``location``."""
    make_v1(location, fw, FIXTURE_V2)


def columns(engine: sa.Engine) -> dict[str, set[str]]:
    insp = sa.inspect(engine)
    return {t: {c["name"] for c in insp.get_columns(t)} for t in insp.get_table_names()}


def indexes(engine: sa.Engine) -> dict[str, set[tuple[str, tuple[str, ...]]]]:
    """Indexes created as such (PostgreSQL also lists those behind unique constraints: left out)."""
    insp = sa.inspect(engine)
    return {t: {(i["name"], tuple(i["column_names"])) for i in insp.get_indexes(t) if "duplicates_constraint" not in i}
            for t in insp.get_table_names()}


def test_v1_project_upgraded_on_open(location, fw, tmp_path):
    make_v1(location, fw)
    p = ce.Project.open(location)
    assert p.schema_version == S.SCHEMA_VERSION
    # the same tables, columns and indexes as a project created today
    fresh = ce.Project.create(tmp_path / "neuf.coopeval")
    assert columns(p.engine) == columns(fresh.engine)
    assert indexes(p.engine) == indexes(fresh.engine)
    # v10 (issue 21): no index on responses.wave, which v1 had
    assert ("ix_responses_wave", ("wave",)) not in indexes(p.engine)["responses"]
    # every row kept
    counts = p.counts()
    assert {k: counts[k] for k in V1_COUNTS} == {**V1_COUNTS, "audit_log": 2 + (S.SCHEMA_VERSION - 1), "meta": 4}  # + one entry per migration; meta: key → fingerprint, + label key
    assert counts["resources"] == 0
    assert counts["settings"] == 1 and p.setting("min_group_size") == "5"
    pd.testing.assert_frame_equal(
        p.observations(),
        pd.DataFrame({"unit": ["ptce_nord", "ressourcerie"], "wave": ["2024", "2024"],
                      "indicator": ["emplois_etp", "emplois_etp"], "value": [12.5, 4.25],
                      "source": [None, "bilan"], "note": [None, "estimé"]}))
    # units columns renamed as in the datasets, values kept
    units = p.units().set_index("unit")
    assert list(units.columns) == ["name", "type", "parent", "territory"]
    assert units.loc["ressourcerie", ["name", "type", "parent"]].tolist() == ["Ressourcerie", "structure", "ptce_nord"]
    # judgements rebuilt without the v1 unique (…, node) constraint, rows and ids kept
    j = p.judgements("atelier", 1)
    assert j[["participant", "node", "value"]].values.tolist() == [
        ["a", "social", 60.0], ["a", "emploi", 40.0], ["b", "social", 7.0], ["b", "emploi", 9.0]]
    # methods per college filled from the judgements of round 1; none known for round 2
    rounds = p.rounds("atelier").set_index("round")
    assert rounds.loc[1, "methods"] == {"elus": "direct", "habitants": "points"}
    assert rounds.loc[2, "methods"] == {}
    log = p.audit()
    assert log["action"].tolist() == ["create", "close_round"] + ["migrate"] * (S.SCHEMA_VERSION - 1)
    assert [d["to_version"] for d in log["detail"].iloc[2:]] == list(range(2, S.SCHEMA_VERSION + 1))
    # the audit log is now append-only
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):
        with p.engine.begin() as conn:
            conn.execute(S.audit_log.delete())
    # old tokens still work in the open round (method given, as round 2 sets none)
    dims = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
    j = pd.DataFrame({"node": dims, "value": [3, 8, 5, 5, 5, 5, 5], "method": "direct"})
    assert p.submit("jeton-c", j) == 7
    assert sorted(p.judgements("atelier", 2)["participant"].unique()) == ["c"]
    with pytest.raises(ce.StoreError, match="submission refused"):
        p.as_role("facilitator").close_round("atelier", 2) or p.submit("jeton-a", j)
    # a second opening does nothing more
    assert ce.Project.open(location).audit()["action"].tolist().count("migrate") == S.SCHEMA_VERSION - 1
    if "://" not in location:
        backup = Path(f"{location}.v1.bak")
        assert backup.is_file()
        old = sa.create_engine(f"sqlite:///{backup}")
        with old.connect() as conn:
            assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == 1
        old.dispose()


def test_upgrade_refused_without_permission(location, fw):
    make_v1(location, fw)
    with pytest.raises(ce.StoreError, match="upgrade=True"):
        ce.Project.open(location, upgrade=False)


def test_failed_migration_leaves_v1_intact(location, fw, monkeypatch):
    """A step that fails half-way (after some DDL) is rolled back entirely."""
    make_v1(location, fw)

    def broken(conn: sa.Connection) -> None:
        M._v2(conn)
        raise RuntimeError("panne au milieu de la migration")

    monkeypatch.setattr(M, "MIGRATIONS", [M.Migration(2, "broken", broken)])
    with pytest.raises(RuntimeError, match="panne"):
        ce.Project.open(location)
    url = location if "://" in location else f"sqlite:///{location}"
    engine = sa.create_engine(url)
    cols = columns(engine)
    assert "settings" not in cols and "methods" not in cols["rounds"] and "reason" not in cols["judgements"]
    assert "label" in cols["units"] and "name" not in cols["units"]
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == 1
    engine.dispose()
    monkeypatch.undo()
    assert ce.Project.open(location).schema_version == S.SCHEMA_VERSION  # and a later opening upgrades it


def test_newer_project_refused(location, fw):
    p = ce.Project.create(location, framework=fw)
    with p.engine.begin() as conn:
        conn.execute(S.schema_version.insert().values(version=99, applied_at=M.now(), description="futur"))
    p.close()
    with pytest.raises(ce.StoreError, match="found 99"):
        ce.Project.open(location)


def test_rounds_methods_json_valid_after_upgrade(location, fw):
    make_v1(location, fw)
    p = ce.Project.open(location)
    with p.engine.connect() as conn:
        raw = conn.execute(sa.select(S.rounds.c.methods)).scalars().all()
    assert all(isinstance(json.loads(m), dict) for m in raw)


V2_COUNTS = {**V1_COUNTS, "settings": 1}


def test_v11_responses_refer_to_respondent_ids(location, fw):
    """Version 11: respondents get an integer id (in the order of their pseudonyms) and responses
    refer to it; every response keeps its id, its respondent and its values."""
    make_v1(location, fw)
    url = location if "://" in location else f"sqlite:///{location}"
    engine = sa.create_engine(url)
    with engine.begin() as conn:  # a second respondent, whose pseudonym sorts first, answering after the first
        conn.exec_driver_sql("INSERT INTO respondents VALUES ('r_00aa', '2025-03-02T10:00:00.000000+00:00')")
        conn.exec_driver_sql("INSERT INTO responses (respondent, unit, wave, college, item, value, import_id) VALUES "
                             "('r_00aa', 'ptce_nord', '2024', 'habitants', 'appartenance_membre', 2, 2)")
        before = conn.exec_driver_sql("SELECT id, respondent, item, value FROM responses ORDER BY id").all()
    engine.dispose()
    p = ce.Project.open(location)
    with p.engine.connect() as conn:
        who = conn.execute(sa.select(S.respondents.c.id, S.respondents.c.respondent).order_by(S.respondents.c.id)).all()
        after = conn.execute(sa.select(S.responses.c.id, S.respondents.c.respondent, S.responses.c.item,
                                       S.responses.c.value).join_from(S.responses, S.respondents)
                             .order_by(S.responses.c.id)).all()
    assert [tuple(r) for r in who] == [(1, "r_00aa"), (2, "r_0123456789abcdef")]
    assert [tuple(r) for r in after] == [tuple(r) for r in before]
    assert p.responses()["respondent"].tolist() == ["r_0123456789abcdef"] * 2 + ["r_00aa"]
    # new respondents continue the numbering; a response already stored is named by its pseudonym
    again = p.responses().iloc[[2]].assign(value=3.0)
    with pytest.raises(ce.StoreError, match=r"respondent='r_00aa', unit='ptce_nord', wave='2024'.*already stored"):
        p.import_responses(again, pseudonymise=False)
    assert p.import_responses(again.assign(respondent="r_ffff"), pseudonymise=False) == 1
    with p.engine.connect() as conn:
        assert conn.execute(sa.select(S.respondents.c.id).where(S.respondents.c.respondent == "r_ffff")).scalar() == 3


def test_v2_project_upgraded_to_v3(location, fw, tmp_path):
    """Version 3 adds the ``resources`` table; everything of version 2 is kept as it was."""
    make_v2(location, fw)
    p = ce.Project.open(location)
    assert p.schema_version == S.SCHEMA_VERSION
    fresh = ce.Project.create(tmp_path / "neuf.coopeval")
    assert columns(p.engine) == columns(fresh.engine)
    assert set(sa.inspect(p.engine).get_indexes("resources")[0]["column_names"]) == {"wave"}
    counts = p.counts()
    assert {k: counts[k] for k in V2_COUNTS} == {**V2_COUNTS, "audit_log": 2 + (S.SCHEMA_VERSION - 2), "meta": 4} and counts["resources"] == 0
    assert p.setting("min_group_size") == "6"  # the v2 setting, not the default
    units = p.units().set_index("unit")
    assert units.loc["ptce_nord", ["name", "type", "territory"]].tolist() == ["PTCE du Nord", "ptce", "Hauts-de-France"]
    j = p.judgements("atelier", 1)
    assert j["reason"].iloc[0] == "le lien social d'abord" and j["reason"].iloc[1:].isna().all()
    assert p.rounds("atelier").set_index("round").loc[2, "methods"] == {"elus": "direct", "habitants": "direct"}
    log = p.audit()
    assert log["action"].tolist() == ["create", "close_round"] + ["migrate"] * (S.SCHEMA_VERSION - 2)
    assert log["detail"].iloc[-1]["to_version"] == S.SCHEMA_VERSION
    # v7 (issue 23): every link of v2 listed in `links` (not readable: issued before the key), no expiry
    assert counts["links"] == counts["participants"] and p.participants("atelier")["expires_at"].isna().all()
    # the new table works at once, inside the foreign keys of v2 units, waves and imports
    res = pd.DataFrame({"unit": ["ptce_nord", "ptce_nord"], "wave": ["2025", "2025"],
                        "source": ["ventes", "bénévolat"], "category": ["marchand", "non_monetaire"],
                        "amount": [1200.0, 35.5], "unit_of_measure": ["euros", "h"]})
    assert p.import_resources(res, source="ressources.csv") == 2
    pd.testing.assert_frame_equal(p.resources(), res)
    assert p.imports()["kind"].tolist() == ["observations", "responses", "resources"]
    with pytest.raises(sa.exc.DatabaseError, match="append-only"):  # still append-only
        with p.engine.begin() as conn:
            conn.execute(S.audit_log.update().values(role="x"))
    assert ce.Project.open(location).audit()["action"].tolist().count("migrate") == S.SCHEMA_VERSION - 2
    if "://" not in location:
        old = sa.create_engine(f"sqlite:///{location}.v2.bak")
        with old.connect() as conn:
            assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == 2
            assert "resources" not in sa.inspect(conn).get_table_names()
        old.dispose()


def test_failed_v3_migration_leaves_v2_intact(location, fw, monkeypatch):
    make_v2(location, fw)

    def broken(conn: sa.Connection) -> None:
        M._v3(conn)
        raise RuntimeError("panne après la création de la table")

    monkeypatch.setattr(M, "MIGRATIONS", [m for m in M.MIGRATIONS if m.version < 3] + [M.Migration(3, "broken", broken)])
    with pytest.raises(RuntimeError, match="panne"):
        ce.Project.open(location)
    url = location if "://" in location else f"sqlite:///{location}"
    engine = sa.create_engine(url)
    assert "resources" not in columns(engine)
    with engine.connect() as conn:
        assert conn.execute(sa.text("SELECT max(version) FROM schema_version")).scalar() == 2
    engine.dispose()
    monkeypatch.undo()
    assert ce.Project.open(location).schema_version == S.SCHEMA_VERSION
