"""Writing one checked judgement set: the hot path of :meth:`coopeval.store.Project.submit`.

Issue 16 (1,000 submissions from 32 clients): each round trip to the database, each statement
SQLAlchemy compiles and each lock held while Python works costs every client in the queue. So:

* **PostgreSQL** — one write transaction, two statements, two round trips (there were two
  transactions, eight statements and a ping per transaction: fourteen round trips), see
  :func:`submit_pg`: the token's row is read and locked with the open round in one statement
  (:data:`coopeval.store.access.INFO_LOCKED_PG`), the set is checked in Python while only that
  participant's row (and a share lock on the round, which only ``close_round`` waits for) is
  held, then the submission, its judgements and the audit entry are written by **one**
  statement (``INSERT … RETURNING`` feeding ``INSERT … SELECT FROM unnest(…)`` and the audit
  ``INSERT`` in data-modifying ``WITH`` clauses). The statement's text does not depend on the
  size of the set, so psycopg prepares it once per connection; in psycopg's pipeline mode
  ``BEGIN`` travels with the read and ``COMMIT`` with the write.
* **SQLite** — the checks run before the write lock is taken; inside it, one read and three
  inserts of statements built once.

The guarantees do not change: the unique ``(session, round, participant)`` of ``submissions``
still refuses a second set (``"submitted:"``), the audit entry commits with the set or not at
all, serialisation failures and deadlocks are retried by :func:`coopeval.store.engine.write`.
"""

from __future__ import annotations

from collections.abc import Callable

import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.access import INFO_LOCKED_PG, REVOKED_PG, TokenInfo, from_row, token_info_in
from coopeval.store.migrations import now

__all__ = ["refuse_submission", "store_set", "submit_pg", "submitted_message"]

_OLD = sa.select(S.submissions.c.id).where(
    S.submissions.c.session == sa.bindparam("session"), S.submissions.c.round == sa.bindparam("round"),
    S.submissions.c.participant == sa.bindparam("participant"))
_NEW_SUBMISSION = S.submissions.insert().returning(S.submissions.c.id)
_NEW_JUDGEMENTS = S.judgements.insert()

# PostgreSQL: the submission, its judgements (in the order sent: WITH ORDINALITY) and the audit
# entry in one statement. Driver-level SQL (psycopg's named placeholders), bound per call.
_PG_WRITE = """WITH s AS (
    INSERT INTO submissions (session, round, participant, submitted_at, n_judgements)
    VALUES (%(session)s, %(round)s, %(participant)s, %(at)s, %(n)s) RETURNING id
), j AS (
    INSERT INTO judgements (submission_id, session, round, participant, college, method, node, value, reason)
    SELECT s.id, %(session)s, %(round)s, %(participant)s, %(college)s, %(method)s, v.node, v.value, v.reason
    FROM s, unnest(%(nodes)s::text[], %(values)s::float8[], %(reasons)s::text[]) WITH ORDINALITY
         AS v(node, value, reason, k)
    ORDER BY v.k
), a AS (
    INSERT INTO audit_log (at, role, action, target, detail)
    VALUES (%(at)s, 'participant', 'submit', %(target)s, %(detail)s)
)
SELECT id FROM s"""


def submitted_message(info: TokenInfo) -> str:
    """The refusal of a second set in the same round (``"submitted:"``)."""
    return (f"submitted: participant {info.participant!r} already submitted in round {info.round} of session "
            f"{info.session!r}; submission refused (a revision needs replace=True, or the next round)")


def refuse_submission(info: TokenInfo, replace: bool) -> None:
    """Raise the StoreError that explains why ``info`` may not submit (nothing when it may)."""
    if info.status == "unknown":
        raise StoreError("token: unknown token (check it, or ask the facilitator for a new one)")
    if info.status == "revoked":
        raise StoreError("token: revoked token (a new link was issued to this participant; use the new one)")
    if info.status == "expired":
        raise StoreError(f"token: expired token (issued {info.issued_at:%Y-%m-%d %H:%M} UTC, valid "
                         f"until {info.expires_at:%Y-%m-%d %H:%M} UTC); ask the facilitator for a new one")
    if info.status == "no_round":
        raise StoreError(f"round: no round of session {info.session!r} is open; submission refused")
    if info.status == "submitted" and not replace:
        raise StoreError(submitted_message(info))


def store_set(conn: sa.Connection, ctx: TokenInfo, rows: list[dict], *, replace: bool, was_submitted: bool) -> int:
    """Write the checked ``rows`` of ``ctx``'s participant in ``conn``'s transaction; return their number.

    ``was_submitted``: the locked read found a set of this participant in the round (only reached
    with ``replace=True``: the caller refused the others). The earlier set is then deleted first.
    """
    key = {"session": ctx.session, "round": ctx.round, "participant": ctx.participant}
    # with replace, look again in a statement of its own: on PostgreSQL the locking read kept the
    # snapshot taken before it waited for another tab's transaction on this participant
    old = conn.execute(_OLD, key).scalar() if (was_submitted or replace) else None
    if old is not None:  # only with replace=True
        conn.execute(S.judgements.delete().where(S.judgements.c.submission_id == old))
        conn.execute(S.submissions.delete().where(S.submissions.c.id == old))
    at = now()
    target = _target(ctx)
    detail = audit.detail(n=len(rows), replaced=old is not None)
    try:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(_PG_WRITE, _pg_params(ctx, rows, replaced=old is not None)).scalar_one()
        else:
            sid = conn.execute(_NEW_SUBMISSION, dict(key, submitted_at=at, n_judgements=len(rows))).scalar_one()
            conn.execute(_NEW_JUDGEMENTS, [dict(row, submission_id=sid) for row in rows])
            audit.record(conn, "participant", "submit", target, at=at, detail_json=detail)
    except sa.exc.IntegrityError as err:  # the unique (session, round, participant): another tab was faster
        if _constraint(err) in ("uq_submission", None):
            raise StoreError(submitted_message(ctx)) from None
        raise
    return len(rows)


def _constraint(err: sa.exc.IntegrityError) -> str | None:
    """Name of the constraint a PostgreSQL error names (None on SQLite, which names none)."""
    diag = getattr(err.orig, "diag", None)
    return getattr(diag, "constraint_name", None)


def _target(ctx: TokenInfo) -> str:
    return f"{ctx.session}/{ctx.round}/{ctx.participant}"


def _pg_params(ctx: TokenInfo, rows: list[dict], *, replaced: bool) -> dict:
    return {"session": ctx.session, "round": ctx.round, "participant": ctx.participant, "at": now(),
            "n": len(rows), "college": ctx.college, "method": rows[0]["method"], "target": _target(ctx),
            "detail": audit.detail(n=len(rows), replaced=replaced), "nodes": [r["node"] for r in rows],
            "values": [r["value"] for r in rows], "reasons": [r["reason"] for r in rows]}


def submit_pg(conn: sa.Connection, digest: str, check: Callable[[TokenInfo], list[dict]], *,
              replace: bool) -> int:
    """A whole submission on PostgreSQL in two round trips, in ``conn``'s transaction.

    In psycopg's pipeline mode ``BEGIN`` travels with the locked token read (one round trip);
    ``check(ctx)`` refuses or returns the checked rows; the write statement travels with
    ``COMMIT`` (the second). The transaction is committed here: the caller's commit then finds
    nothing left to do. Errors come out as SQLAlchemy's (retries of :func:`engine.write` apply),
    a second set of the participant as the ``"submitted:"`` refusal. Revisions
    (``replace=True``) and drivers without pipeline support take the plain path.
    """
    raw = conn.connection.driver_connection
    if replace or raw is None or not _pipeline_supported():
        ctx = token_info_in(conn, digest, lock=True)
        return store_set(conn, ctx, check(ctx), replace=replace, was_submitted=ctx.submitted)
    import psycopg
    from psycopg.rows import namedtuple_row

    ctx = TokenInfo("unknown")
    try:
        with raw.pipeline():
            cur = raw.cursor(row_factory=namedtuple_row)
            cur.execute(INFO_LOCKED_PG, {"digest": digest})
            row = cur.fetchone()
            if row is None:
                cur.execute(REVOKED_PG, {"digest": digest})
                old = cur.fetchone()
                ctx = TokenInfo("revoked" if old is not None and old.revoked_at else "unknown")
            else:
                ctx = from_row(row)
            rows = check(ctx)  # raises the refusals (unknown, expired, no round, already submitted…)
            cur.execute(_PG_WRITE, _pg_params(ctx, rows, replaced=False))
            raw.commit()
    except psycopg.errors.UniqueViolation as err:
        if getattr(err.diag, "constraint_name", None) == "uq_submission":
            raise StoreError(submitted_message(ctx)) from None
        raise sa.exc.DBAPIError.instance(_PG_WRITE, None, err, psycopg.Error) from err
    except psycopg.Error as err:  # serialisation failures, deadlocks: retried by engine.write
        raise sa.exc.DBAPIError.instance(_PG_WRITE, None, err, psycopg.Error) from err
    return len(rows)


def _pipeline_supported() -> bool:
    try:
        import psycopg
    except ImportError:  # pragma: no cover - PostgreSQL needs psycopg
        return False
    return psycopg.Pipeline.is_supported()
