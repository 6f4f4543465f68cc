"""What a participant's token gives access to now: :class:`TokenInfo` and token expiry.

A token (stored only as its SHA-256) names one participant of one session. Whether
it may submit depends on the session's rounds (exactly one open), on whether the
participant already submitted in the open round, and on its age: when the project
setting ``token_ttl_hours`` is set, a token expires that many hours after it was
issued; that expiry is fixed when the link is issued (``participants.expires_at``), so
lowering the setting later does not expire links already handed out. Both :meth:`coopeval.store.Project.token_info`
(read only, for the participant page) and :meth:`coopeval.store.Project.submit`
(inside its write transaction) use :func:`token_info_in`.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import schema as S

__all__ = ["TOKEN_TTL_SETTING", "TOKEN_STATUSES", "TokenInfo", "token_info_in", "expiry_from", "from_row"]

#: Project setting (hours) after which a token issued by ``add_participants`` expires.
TOKEN_TTL_SETTING = "token_ttl_hours"
#: Possible :attr:`TokenInfo.status` values.
TOKEN_STATUSES = ("ok", "unknown", "revoked", "expired", "no_round", "submitted")


@dataclass(frozen=True)
class TokenInfo:
    """What a token gives access to now (see :meth:`coopeval.store.Project.token_info`).

    Attributes
    ----------
    status : str
        ``"ok"`` (may submit in ``round``), ``"unknown"`` (no such token), ``"revoked"``
        (replaced by a new link issued to the same participant),
        ``"expired"`` (past the expiry fixed at issue), ``"no_round"`` (no round of
        the session is open) or ``"submitted"`` (already submitted in the open round).
    session, participant, college : str or None
        The token's participant (None when unknown).
    framework_hash : str or None
        Framework version of the session.
    round : int or None
        The open round, if any.
    methods : dict
        ``{college or "*": method}`` set for the open round (empty when none is open).
    method : str or None
        The method set for the participant's college in the open round (None: free).
    previous_round : int or None
        The last closed round before the open one (or the last closed round when none
        is open), for Delphi feedback.
    submitted : bool
        Whether the participant already submitted in the open round.
    issued_at, expires_at : datetime or None
        When the token was issued (UTC) and when it expires (None: never).
    """

    status: str
    session: str | None = None
    participant: str | None = None
    college: str | None = None
    framework_hash: str | None = None
    round: int | None = None
    methods: dict | None = None
    method: str | None = None
    previous_round: int | None = None
    submitted: bool = False
    issued_at: datetime | None = None
    expires_at: datetime | None = None

    @property
    def ok(self) -> bool:
        """True when the token may submit now."""
        return self.status == "ok"


def _utc(text: str) -> datetime:
    ts = datetime.fromisoformat(str(text))
    return ts if ts.tzinfo else ts.replace(tzinfo=timezone.utc)


def ttl_hours(conn: sa.Connection) -> float | None:
    """The ``token_ttl_hours`` setting as a number of hours (None when unset)."""
    return _hours(conn.execute(sa.select(S.settings.c.value).where(S.settings.c.key == TOKEN_TTL_SETTING)).scalar())


def _hours(raw: object) -> float | None:
    if raw is None:
        return None
    try:
        hours = float(raw)  # type: ignore[arg-type]
    except ValueError:
        hours = float("nan")
    if not hours > 0:
        bad_param(f"setting {TOKEN_TTL_SETTING}", "a positive number of hours", raw, StoreError)
    return hours


def expiry_from(conn: sa.Connection, issued: str) -> str | None:
    """Expiry (ISO UTC) of a link issued at ``issued`` under the current ``token_ttl_hours`` (None: never)."""
    hours = ttl_hours(conn)
    return None if hours is None else (_utc(issued) + timedelta(hours=hours)).isoformat(timespec="microseconds")


# One statement for everything a token gives access to (issue 16: the submission hot path ran
# six queries twice, most of its time spent building them). Built once, bound per call.
_COLUMNS = """SELECT p.session, p.participant, p.college, p.created_at, p.expires_at, s.framework_hash,
       o.round AS open_round, o.methods AS open_methods,
       (SELECT max(c.round) FROM rounds c WHERE c.session = p.session AND c.status = 'closed'
            AND (o.round IS NULL OR c.round < o.round)) AS previous_round,
       (SELECT count(*) FROM submissions x WHERE x.session = p.session AND x.round = o.round
            AND x.participant = p.participant) AS n_submitted,
       (SELECT l.issued_at FROM links l WHERE l.token_hash = p.token_hash) AS issued_at
FROM participants p
JOIN sessions s ON s.session = p.session
"""
_INFO = sa.text(_COLUMNS + """LEFT JOIN rounds o ON o.session = p.session AND o.status = 'open'
WHERE p.token_hash = :digest
""")
# PostgreSQL, inside a write: the same read, locking the participant FOR UPDATE (two tabs of one link
# queue) and the open round FOR SHARE (close_round waits for the submissions in flight; a submission
# that waited for close_round re-checks the round's row, finds it closed and sees no open round) -
# one statement and one round trip where there were three (issue 16).
_INFO_LOCKED_SQL = ("""WITH o AS (SELECT r.session, r.round, r.methods FROM rounds r
    WHERE r.status = 'open' AND r.session = (SELECT q.session FROM participants q WHERE q.token_hash = :digest)
    FOR SHARE)
""" + _COLUMNS + """LEFT JOIN o ON o.session = p.session
WHERE p.token_hash = :digest
FOR UPDATE OF p
""")
_INFO_LOCKED = sa.text(_INFO_LOCKED_SQL)
_REVOKED_SQL = "SELECT revoked_at FROM links WHERE token_hash = :digest"
_REVOKED = sa.text(_REVOKED_SQL)
#: The locked read and the revoked-link read in the driver's placeholders (psycopg), for the
#: pipelined submission of :mod:`coopeval.store.submission`.
INFO_LOCKED_PG = _INFO_LOCKED_SQL.replace(":digest", "%(digest)s")
REVOKED_PG = _REVOKED_SQL.replace(":digest", "%(digest)s")


def token_info_in(conn: sa.Connection, digest: str, *, now: datetime | None = None,
                  lock: bool = False) -> TokenInfo:
    """:class:`TokenInfo` of a token hash, read on ``conn`` (inside the caller's transaction).

    With ``lock`` on PostgreSQL, the participant's row is locked ``FOR UPDATE`` (two
    submissions of the same participant queue, so the second sees the first) and the
    open round ``FOR SHARE`` (``close_round`` waits for the submissions in flight).
    SQLite write transactions are already serialised (``BEGIN IMMEDIATE``).
    """
    pg = lock and conn.dialect.name == "postgresql"
    p = conn.execute(_INFO_LOCKED if pg else _INFO, {"digest": digest}).first()
    if p is None:
        old = conn.execute(_REVOKED, {"digest": digest}).first()
        return TokenInfo("revoked" if old is not None and old.revoked_at else "unknown")
    return from_row(p, now=now)


def from_row(p: sa.Row, *, now: datetime | None = None) -> TokenInfo:
    """:class:`TokenInfo` from a row of the token statement (the participant was found)."""
    issued = _utc(p.issued_at if p.issued_at is not None else p.created_at)
    expires = _utc(p.expires_at) if p.expires_at else None  # fixed when the link was issued (issue 23)
    base = {"session": p.session, "participant": p.participant, "college": p.college,
            "framework_hash": p.framework_hash, "issued_at": issued, "expires_at": expires, "methods": {},
            "previous_round": None if p.previous_round is None else int(p.previous_round)}
    if expires is not None and (now or datetime.now(timezone.utc)) > expires:
        return TokenInfo("expired", **base)
    if p.open_round is None:
        return TokenInfo("no_round", **base)
    methods = json.loads(p.open_methods or "{}")
    base.update(round=int(p.open_round), methods=methods, method=methods.get(p.college, methods.get("*")))
    done = int(p.n_submitted) > 0
    return TokenInfo("submitted" if done else "ok", **base, submitted=done)
