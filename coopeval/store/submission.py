"""Writing one checked judgement set: the hot path of :meth:`coopeval.store.Project.submit`.

Issue 16 (1,000 submissions from 32 clients): each round trip to the database, each statement
SQLAlchemy compiles and each lock held while Python works costs every client in the queue. So:

* **PostgreSQL** — one write transaction of four round trips (``BEGIN``, one locking read,
  one write, ``COMMIT``; there were fourteen): the token's row is read and locked with the open
  round in one statement (:func:`coopeval.store.access.token_info_in`), the set is checked in
  Python while only that participant's row (and a share lock on the round, which only
  ``close_round`` waits for) is held, then the submission, its judgements and the audit entry
  are written by **one** statement (``INSERT … RETURNING`` feeding ``INSERT … SELECT FROM
  unnest(…)`` and the audit ``INSERT`` in data-modifying ``WITH`` clauses). The statement's text
  does not depend on the size of the set, so psycopg prepares it once per connection.
* **SQLite** — the checks run before the write lock is taken; inside it, one read and three
  inserts whose parameters (timestamps, audit detail) are prepared beforehand.

The guarantees do not change: the unique ``(session, round, participant)`` of ``submissions``
still refuses a second set (``"submitted:"``), the audit entry commits with the set or not at
all, serialisation failures and deadlocks are retried by :func:`coopeval.store.engine.write`.
"""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.access import TokenInfo
from coopeval.store.migrations import now

__all__ = ["store_set", "submitted_message"]

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
    target = f"{ctx.session}/{ctx.round}/{ctx.participant}"
    detail = audit.detail(n=len(rows), replaced=old is not None)
    try:
        if conn.dialect.name == "postgresql":
            conn.exec_driver_sql(_PG_WRITE, dict(
                key, at=at, n=len(rows), college=ctx.college, method=rows[0]["method"], target=target,
                detail=detail, nodes=[r["node"] for r in rows], values=[r["value"] for r in rows],
                reasons=[r["reason"] for r in rows])).scalar_one()
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
