"""The append-only audit log: what changed, when, by which role.

Rows are only ever inserted (database triggers refuse UPDATE and DELETE on
``audit_log``, see :mod:`coopeval.store.migrations`). Entries never hold
personal data or tokens: targets are ids (session, round, pseudonymised
participant ids, result ids) and counts.
"""

from __future__ import annotations

import json
from typing import Any

import pandas as pd
import sqlalchemy as sa

from coopeval.store import schema as S
from coopeval.store.migrations import now

AUDIT_COLUMNS = ["id", "at", "role", "action", "target", "detail"]


_INSERT = S.audit_log.insert()  # built once (issue 16: the submission hot path)


def detail(**values: Any) -> str:
    """The ``detail`` column of an entry: ``values`` as JSON (keys sorted)."""
    return json.dumps(values, sort_keys=True, default=str, ensure_ascii=False)


def record(conn: sa.Connection, role: str, action: str, target: str | None = None, *, at: str | None = None,
           detail_json: str | None = None, **values: Any) -> None:
    """Append one entry inside the caller's transaction (so it commits with the change).

    ``at`` (default now) and ``detail_json`` (default :func:`detail` of ``values``) may be prepared
    by the caller before its transaction opens (issue 16: the submission hot path).
    """
    conn.execute(_INSERT, {"at": at or now(), "role": role, "action": action, "target": target,
                           "detail": detail(**values) if detail_json is None else detail_json})


def frame(conn: sa.Connection) -> pd.DataFrame:
    """The whole log, oldest first: columns ``id, at, role, action, target, detail`` (detail a dict)."""
    rows = conn.execute(sa.select(S.audit_log).order_by(S.audit_log.c.id)).mappings().all()
    df = pd.DataFrame([dict(r) for r in rows], columns=AUDIT_COLUMNS)
    df["detail"] = [json.loads(d) if d else {} for d in df["detail"]]
    return df
