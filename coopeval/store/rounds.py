"""Rounds of a deliberation session: opened (with the method per college) and closed by the
facilitator.

Mixed into :class:`coopeval.store.Project`. The facilitator (or researcher) role opens and
closes rounds; at most one round of a session is open at a time and a closed round never
reopens (submissions to it are refused: :mod:`coopeval.store.deliberation`).
"""

from __future__ import annotations

import json
from typing import Protocol

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.migrations import now
from coopeval.store.protocol import ProjectBase

__all__ = ["RoundsMixin", "round_number"]


class _Project(ProjectBase, Protocol):
    """What the rounds use of their :class:`~coopeval.store.Project`."""

    def _session_framework(self, conn: sa.Connection, session: str) -> str: ...


class RoundsMixin:
    """Open, close and list the rounds of a session (see the module docstring)."""

    def open_round(self: _Project, session: str, round: int, *, methods: dict[str, str] | str | None = None) -> None:  # noqa: A002
        """Open round ``round`` of a session (creating it), with the method per college.

        Parameters
        ----------
        methods : dict or str, optional
            ``{college: method}`` (``"*"`` for every college), or one method for all.
        """
        self._require("researcher", "facilitator")
        rnd = round_number(round)
        by_college = {"*": methods} if isinstance(methods, str) else dict(methods or {})

        def run(conn: sa.Connection) -> None:
            self._session_framework(conn, session)
            r = S.rounds
            others = conn.execute(sa.select(r.c.round).where(r.c.session == session, r.c.status == "open",
                                                             r.c.round != rnd)).scalars().all()
            if others:
                raise StoreError(f"round: session {session!r} already has round {others[0]} open; close it first")
            row = conn.execute(sa.select(r.c.status).where(r.c.session == session, r.c.round == rnd)).first()
            if row is not None and row.status == "closed":
                raise StoreError(f"round: round {rnd} of session {session!r} is closed and cannot reopen "
                                 "(open a new round)")
            if row is not None and row.status == "open":
                return
            values = {"status": "open", "opened_at": now(), "methods": json.dumps(by_college, sort_keys=True)}
            if row is None:
                conn.execute(r.insert().values(session=session, round=rnd, **values))
            else:
                conn.execute(r.update().where(r.c.session == session, r.c.round == rnd).values(**values))
            audit.record(conn, self.role, "open_round", f"{session}/{rnd}", methods=by_college)
        self._write(run)

    def close_round(self: _Project, session: str, round: int) -> None:  # noqa: A002
        """Close an open round: from now on its submissions are refused."""
        self._require("researcher", "facilitator")
        rnd = round_number(round)

        def run(conn: sa.Connection) -> None:
            r = S.rounds
            done = conn.execute(r.update().where(r.c.session == session, r.c.round == rnd, r.c.status == "open")
                                .values(status="closed", closed_at=now())).rowcount
            if done != 1:
                raise StoreError(f"round: expected an open round {rnd} in session {session!r}, found none")
            n = conn.execute(sa.select(sa.func.count()).select_from(S.submissions).where(
                S.submissions.c.session == session, S.submissions.c.round == rnd)).scalar_one()
            audit.record(conn, self.role, "close_round", f"{session}/{rnd}", n_submissions=n)
        self._write(run)

    def rounds(self: _Project, session: str | None = None) -> pd.DataFrame:
        """Rounds: ``session, round, status, opened_at, closed_at, methods`` (dict), ``n_submissions``."""
        r, s = S.rounds, S.submissions
        n = (sa.select(sa.func.count()).select_from(s)
             .where(s.c.session == r.c.session, s.c.round == r.c.round).scalar_subquery())
        q = sa.select(r.c.session, r.c.round, r.c.status, r.c.opened_at, r.c.closed_at, r.c.methods,
                      n.label("n_submissions")).order_by(r.c.session, r.c.round)
        if session is not None:
            q = q.where(r.c.session == session)
        df = self._frame(q)
        df["methods"] = [json.loads(m) for m in df["methods"]]
        return df


def round_number(value: object) -> int:
    """``value`` as a round number (an integer >= 1), or :class:`StoreError` naming ``round``."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        bad_param("round", "a round number (integer >= 1)", value, StoreError)
    return int(value)
