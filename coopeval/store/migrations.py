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
4. ``sessions.college_shares``: the college voices of a deliberation session (JSON; none for
   equal voices), used by every door that reads the session's weights.
5. Issue 18: ``externalities`` (the externality ledger: externality, beneficiary and its type,
   quantity, proxy with its interval and source) and ``conventions`` (conventions signed with
   beneficiaries, what they cover, amount), imported together, audited.
6. Qualitative evidence and the learning cycle (issue 17): ``extracts`` (verbatims with a
   pseudonymised speaker, college and consent), ``codebook``, ``codes`` (extract, code, coder)
   and ``actions`` decided after a restitution (what, linked criteria, who, by when, status).
7. (issue 23) ``participants.expires_at``: a link's expiry is fixed when it is issued (filled for
   existing links from ``token_ttl_hours`` at upgrade time); ``links`` table: every personal link
   issued, encrypted with the facilitator's key, with its revocation when re-issued.
8. Issue 22: ``proposals`` and ``proposal_votes`` (framework rounds: what to measure, proposed
   anonymously and voted on by college) and ``decisions`` (the register of decisions on what is
   measured, append-only like ``audit_log``, with the same triggers).
9. (issue 16) The pseudonymisation key leaves the project: written to the key file (mode 0600,
   see :mod:`coopeval.store.keys`) unless ``COOPEVAL_PSEUDONYM_KEY`` holds it, replaced in
   ``meta`` by its fingerprint ``pseudonym_key_check``, erased from the SQLite file
   (``secure_delete``; the WAL and the pre-upgrade copy are scrubbed by ``Project.open``);
   facilitator labels get their own key ``meta.label_key`` (labels of older sessions change).
10. (issue 21) No index on ``responses.wave`` any more: SQLite spent 38 % of a large insert of
    responses keeping it, and a wave is read as fast by scanning the table.
11. (issue 21) ``respondents.id``: responses refer to their respondent by this integer
    (``responses.respondent_id``) instead of the pseudonym repeated in every row and in their
    unique key (a large insert of responses faster, the file smaller).
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


def _decisions_triggers(conn: sa.Connection) -> None:
    """Issue 22: ``decisions`` is append-only (same triggers as ``audit_log``)."""
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.exec_driver_sql(
                f"CREATE TRIGGER IF NOT EXISTS decisions_no_{op.lower()} BEFORE {op} ON decisions "
                "BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END"
            )
    elif conn.dialect.name == "postgresql":
        conn.exec_driver_sql(
            "CREATE OR REPLACE FUNCTION coopeval_decisions_append_only() RETURNS trigger "
            "LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'decisions is append-only'; END $$"
        )
        conn.exec_driver_sql("DROP TRIGGER IF EXISTS decisions_append_only ON decisions")
        conn.exec_driver_sql(
            "CREATE TRIGGER decisions_append_only BEFORE UPDATE OR DELETE ON decisions "
            "FOR EACH ROW EXECUTE FUNCTION coopeval_decisions_append_only()"
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


def _v4(conn: sa.Connection) -> None:
    """Add ``sessions.college_shares``."""
    conn.exec_driver_sql("ALTER TABLE sessions ADD COLUMN college_shares TEXT")


def _v5(conn: sa.Connection) -> None:
    """Issue 18: add the ``externalities`` and ``conventions`` tables."""
    S.externalities.create(conn)
    S.conventions.create(conn)


def _v6(conn: sa.Connection) -> None:
    """Add the tables of qualitative evidence and actions (issue 17)."""
    for table in (S.extracts, S.codebook, S.codes, S.actions):
        table.create(conn)



def _v7(conn: sa.Connection) -> None:
    """(issue 23) ``participants.expires_at`` and the ``links`` table."""
    from datetime import timedelta

    conn.exec_driver_sql("ALTER TABLE participants ADD COLUMN expires_at VARCHAR(40)")
    S.links.create(conn)
    raw = conn.execute(sa.select(S.settings.c.value).where(S.settings.c.key == "token_ttl_hours")).scalar()
    try:
        hours = float(raw) if raw is not None else None
    except ValueError:
        hours = None
    rows = conn.execute(sa.select(S.participants.c.session, S.participants.c.participant,
                                  S.participants.c.token_hash, S.participants.c.created_at)).all()
    for r in rows:
        issued = datetime.fromisoformat(r.created_at)
        issued = issued if issued.tzinfo else issued.replace(tzinfo=timezone.utc)
        expires = (issued + timedelta(hours=hours)).isoformat(timespec="microseconds") if hours and hours > 0 else None
        conn.execute(S.participants.update().where(S.participants.c.session == r.session,
                                                   S.participants.c.participant == r.participant)
                     .values(expires_at=expires))
        conn.execute(S.links.insert().values(session=r.session, participant=r.participant, token_hash=r.token_hash,
                                             token_enc=None, issued_at=r.created_at, expires_at=expires))


def _v8(conn: sa.Connection) -> None:
    """Issue 22: add ``proposals``, ``proposal_votes`` and the append-only ``decisions``."""
    S.proposals.create(conn)
    S.proposal_votes.create(conn)
    S.decisions.create(conn)
    _decisions_triggers(conn)


def _v10(conn: sa.Connection) -> None:
    """Issue 21: drop the index on ``responses.wave`` (see :mod:`coopeval.store.schema.data`)."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_responses_wave")


def _v11(conn: sa.Connection) -> None:
    """Issue 21: respondents get an integer ``id``, responses refer to it (``respondent_id``) instead of
    the pseudonym (see :mod:`coopeval.store.schema.data`). Every response keeps its ``id`` and its
    respondent; respondents are numbered in the order of their pseudonyms."""
    n = conn.exec_driver_sql("SELECT count(*) FROM responses").scalar()
    if conn.dialect.name == "sqlite":  # SQLite cannot change a primary key: the two tables are rebuilt
        conn.exec_driver_sql("PRAGMA defer_foreign_keys=ON")  # checked at commit, once both are rebuilt
        conn.exec_driver_sql("ALTER TABLE responses RENAME TO responses_v10")
        conn.exec_driver_sql("ALTER TABLE respondents RENAME TO respondents_v10")
        S.respondents.create(conn)
        S.responses.create(conn)
        conn.exec_driver_sql("INSERT INTO respondents (respondent, created_at) "
                             "SELECT respondent, created_at FROM respondents_v10 ORDER BY respondent")
        conn.exec_driver_sql("INSERT INTO responses (id, respondent_id, unit, wave, college, item, value, import_id) "
                             "SELECT o.id, n.id, o.unit, o.wave, o.college, o.item, o.value, o.import_id "
                             "FROM responses_v10 o JOIN respondents n ON n.respondent = o.respondent ORDER BY o.id")
        conn.exec_driver_sql("DROP TABLE responses_v10")
        conn.exec_driver_sql("DROP TABLE respondents_v10")
    else:  # PostgreSQL changes the tables in place
        for sql in (
            "CREATE SEQUENCE respondents_id_seq",
            "ALTER TABLE respondents ADD COLUMN id INTEGER",
            "UPDATE respondents SET id = o.k FROM (SELECT respondent, row_number() OVER (ORDER BY respondent) AS k "
            "FROM respondents) o WHERE o.respondent = respondents.respondent",
            "SELECT setval('respondents_id_seq', COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM respondents",
            "ALTER TABLE respondents ALTER COLUMN id SET DEFAULT nextval('respondents_id_seq')",
            "ALTER SEQUENCE respondents_id_seq OWNED BY respondents.id",
            "ALTER TABLE responses ADD COLUMN respondent_id INTEGER",
            "UPDATE responses SET respondent_id = n.id FROM respondents n WHERE n.respondent = responses.respondent",
            "ALTER TABLE responses DROP COLUMN respondent",  # with its unique key and foreign key
            "ALTER TABLE respondents DROP CONSTRAINT respondents_pkey",
            "ALTER TABLE respondents ADD PRIMARY KEY (id)",
            "ALTER TABLE respondents ADD CONSTRAINT uq_respondent UNIQUE (respondent)",
            "ALTER TABLE responses ALTER COLUMN respondent_id SET NOT NULL",
            "ALTER TABLE responses ADD CONSTRAINT uq_response UNIQUE (respondent_id, unit, wave, item)",
            "ALTER TABLE responses ADD CONSTRAINT responses_respondent_id_fkey FOREIGN KEY (respondent_id) "
            "REFERENCES respondents (id)",
        ):
            conn.exec_driver_sql(sql)
    kept = conn.exec_driver_sql("SELECT count(*) FROM responses").scalar()
    if kept != n:  # pragma: no cover - every response had its respondent (foreign key)
        raise StoreError(f"migration 11: expected {n} responses after the change, found {kept}")


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
    Migration(4, "sessions.college_shares (college voices of a deliberation session)", _v4),
    Migration(5, "externalities and conventions tables (externality ledger, issue 18)", _v5),
    Migration(6, "qualitative evidence (extracts, codebook, codes) and actions decided after a restitution",
              _v6),
    Migration(7, "participants.expires_at fixed at issue; links table (every link issued, encrypted)", _v7),
    Migration(8, "proposals, proposal_votes and the append-only decisions register (issue 22)", _v8),
    Migration(9, "pseudonymisation key moved out of the project (key file or environment variable)", _v4_key_out),
    Migration(10, "no index on responses.wave (a large import of responses faster)", _v10),
    Migration(11, "responses refer to their respondent by respondents.id (an integer), not the pseudonym", _v11),
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
    _decisions_triggers(conn)
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
