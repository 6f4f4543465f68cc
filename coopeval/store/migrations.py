"""Versioned schema migrations (a small, Alembic-like mechanism).

Each project records the versions applied to it in the ``schema_version`` table.
Opening a project written by an older coopeval applies the missing steps, in
order, each inside one transaction (SQLite and PostgreSQL both have transactional
DDL): a step either completes and is recorded, or leaves the project untouched.
:class:`coopeval.store.Project` also copies a SQLite file aside before upgrading it.

History
-------
1. Initial schema (frameworks, units, waves, imports, observations, respondents,
   responses, sessions, rounds, participants, submissions, judgements, results,
   audit_log, meta).
2. ``settings`` table (``min_group_size`` = 5 of the collective view); ``rounds.methods``
   (JSON mapping college → weighting method, filled for old rounds from the
   judgements they hold); ``judgements.reason`` (argument given, for Delphi feedback) and no
   unique constraint on (session, round, participant, method, node) any more (Simos blank
   cards repeat ``__blanc__``; a set stays unique per participant and round);
   ``units`` columns named as in the datasets (``label`` → ``name``, ``kind`` → ``type``,
   new ``territory``); triggers that make ``audit_log`` append-only.
3. ``resources`` table: the resources of the socio-economic model (``unit, wave, source,
   category, amount, unit_of_measure``), imported like observations (one import, audited).
4. (issue 16) The pseudonymisation key leaves the project: written to the key file (mode 0600,
   see :mod:`coopeval.store.keys`) unless ``COOPEVAL_PSEUDONYM_KEY`` holds it, replaced in
   ``meta`` by its fingerprint ``pseudonym_key_check``, erased from the SQLite file
   (``secure_delete``; the WAL and the pre-upgrade copy are scrubbed by ``Project.open``);
   facilitator labels get their own key ``meta.label_key`` (labels of older sessions change).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import schema as S

#: Default minimum group size below which the collective view suppresses a statistic.
DEFAULT_MIN_GROUP = 5


def now() -> str:
    """Current UTC time, ISO 8601 with microseconds."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True)
class Migration:
    """One step of the schema history: from ``version - 1`` to ``version``."""

    version: int
    description: str
    apply: Callable[[sa.Connection], None]


def _audit_triggers(conn: sa.Connection) -> None:
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS audit_log_no_{op.lower()} BEFORE {op} ON audit_log "
                "BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END"
            )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION coopeval_audit_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$"
        )
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS audit_log_append_only ON audit_log")
        conn.exec_driver_sql(
            "CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log "
            "FOR EACH ROW EXECUTE FUNCTION coopeval_audit_append_only()"
        )


def _v2_judgements(conn: sa.Connection) -> None:
    """Add ``judgements.reason`` and drop the v1 unique constraint on (…, node)."""
    if conn.dialect.name == "postgresql":
        conn.exec_driver_sql("ALTER TABLE judgements DROP CONSTRAINT uq_judgement")
        conn.exec_driver_sql("ALTER TABLE judgements ADD COLUMN reason TEXT")
        return
    # SQLite cannot drop a constraint: rebuild the table (https://www.sqlite.org/lang_altertable.html)
    ddl = str(sa.schema.CreateTable(S.judgements).compile(dialect=conn.dialect))
    conn.exec_driver_sql(ddl.replace("CREATE TABLE judgements", "CREATE TABLE judgements_v2", 1))
    cols = "id, submission_id, session, round, participant, college, method, node, value"
    conn.exec_driver_sql(f"INSERT INTO judgements_v2 ({cols}) SELECT {cols} FROM judgements")  # noqa: S608
    conn.exec_driver_sql("DROP TABLE judgements")
    conn.exec_driver_sql("ALTER TABLE judgements_v2 RENAME TO judgements")
    conn.exec_driver_sql("CREATE INDEX ix_judgements_round ON judgements (session, round)")


def _v2(conn: sa.Connection) -> None:
    S.settings.create(conn)
    conn.execute(S.settings.insert().values(key="min_group_size", value=str(DEFAULT_MIN_GROUP)))
    conn.exec_driver_sql("ALTER TABLE rounds ADD COLUMN methods TEXT NOT NULL DEFAULT '{}'")
    _v2_judgements(conn)
    conn.exec_driver_sql("ALTER TABLE units RENAME COLUMN label TO name")
    conn.exec_driver_sql("ALTER TABLE units RENAME COLUMN kind TO type")
    conn.exec_driver_sql("ALTER TABLE units ADD COLUMN territory TEXT")
    used = conn.execute(
        sa.select(S.judgements.c.session, S.judgements.c.round, S.judgements.c.college, S.judgements.c.method)
        .distinct()
        .order_by(S.judgements.c.session, S.judgements.c.round, S.judgements.c.college)
    ).all()
    methods: dict[tuple[str, int], dict[str, str]] = {}
    for session, rnd, college, method in used:
        methods.setdefault((session, rnd), {})[college] = method
    for (session, rnd), by_college in methods.items():
        conn.execute(
            S.rounds.update()
            .where(S.rounds.c.session == session, S.rounds.c.round == rnd)
            .values(methods=json.dumps(by_college, sort_keys=True))
        )
    _audit_triggers(conn)


def _v3(conn: sa.Connection) -> None:
    """Add the ``resources`` table (and its index on ``wave``)."""
    S.resources.create(conn)


def _v4_key_out(conn: sa.Connection) -> None:
    """Issue 16: move the pseudonymisation key out of the project (one self-contained step)."""
    from coopeval.store import keys
    from coopeval.store.tokens import new_secret

    rows = dict(conn.execute(sa.select(S.meta.c.key, S.meta.c.value)).all())
    if "label_key" not in rows:  # facilitator labels no longer derive from the pseudonymisation key
        conn.execute(S.meta.insert().values(key="label_key", value=new_secret()))
    key = rows.get("pseudonym_key")
    if key is None:
        return
    if keys.FINGERPRINT_KEY not in rows:
        conn.execute(S.meta.insert().values(key=keys.FINGERPRINT_KEY, value=keys.fingerprint(key)))
    keys.move_out(conn, key, str(rows.get("project_id")))
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql("PRAGMA secure_delete=ON")  # the deleted row is overwritten, not left in free space
    conn.execute(S.meta.delete().where(S.meta.c.key == "pseudonym_key"))


MIGRATIONS: list[Migration] = [
    Migration(2, "settings table, rounds.methods per college, judgements.reason, units.name/type/territory, "
                 "append-only audit_log", _v2),
    Migration(3, "resources table (socio-economic model: market, non-market, non-monetary resources)", _v3),
    Migration(4, "pseudonymisation key moved out of the project (key file or environment variable)", _v4_key_out),
]


def installed_version(conn: sa.Connection) -> int | None:
    """Schema version of the database behind ``conn``; ``None`` when it holds no table.

    Raises
    ------
    StoreError
        The database has tables but is not a coopeval project.
    """
    names = set(sa.inspect(conn).get_table_names())
    if not names:
        return None
    if "schema_version" not in names:
        raise StoreError(
            f"database: expected a coopeval project (a `schema_version` table), found other tables "
            f"({', '.join(sorted(names)[:5])})"
        )
    version = conn.execute(sa.select(sa.func.max(S.schema_version.c.version))).scalar()
    if version is None:
        raise StoreError("database: `schema_version` is empty (an interrupted creation?)")
    return int(version)


def create_schema(conn: sa.Connection) -> None:
    """Create the current schema in an empty database (inside the caller's transaction)."""
    S.metadata.create_all(conn)
    _audit_triggers(conn)
    conn.execute(S.settings.insert().values(key="min_group_size", value=str(DEFAULT_MIN_GROUP)))
    conn.execute(
        S.schema_version.insert().values(
            version=S.SCHEMA_VERSION, applied_at=now(), description=f"created at version {S.SCHEMA_VERSION}"
        )
    )


def pending(version: int) -> list[Migration]:
    """Migrations to apply to a project at ``version``.

    Raises
    ------
    StoreError
        The project was written by a newer coopeval (a version above :data:`SCHEMA_VERSION`).
    """
    if version > S.SCHEMA_VERSION:
        raise StoreError(
            f"schema version: expected at most {S.SCHEMA_VERSION} (this coopeval), found {version}; "
            "upgrade coopeval to open this project"
        )
    return [m for m in MIGRATIONS if m.version > version]


def apply(conn: sa.Connection, migration: Migration) -> None:
    """Apply one migration and record it (inside the caller's transaction)."""
    migration.apply(conn)
    conn.execute(
        S.schema_version.insert().values(
            version=migration.version, applied_at=now(), description=migration.description
        )
    )
