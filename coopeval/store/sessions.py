"""Deliberation sessions in the store: a session on one framework version, its colleges' voices
and its participants.

Mixed into :class:`coopeval.store.Project`. The facilitator (or researcher) role creates
sessions and adds participants; a participant's token is returned once and stored only as its
SHA-256 (with ``key``, also encrypted with the facilitator's key: :mod:`coopeval.store.links`).
Rounds are in :mod:`coopeval.store.rounds`, judgements in :mod:`coopeval.store.deliberation`.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import audit, checks
from coopeval.store import schema as S
from coopeval.store.access import expiry_from
from coopeval.store.migrations import now
from coopeval.store.protocol import ProjectBase
from coopeval.store.tokens import hash_token, new_token

if TYPE_CHECKING:

    from coopeval.framework import Framework
    from coopeval.store.facilitator import FacilitatorKey

__all__ = ["SessionsMixin"]


class _Project(ProjectBase, Protocol):
    """What the sessions use of their :class:`~coopeval.store.Project`."""

    def _framework_hash(self, framework: Framework | str | None) -> tuple[Framework, str]: ...

    def _session_framework(self, conn: sa.Connection, session: str) -> str: ...


class SessionsMixin:
    """Sessions and their participants (see the module docstring)."""

    def create_session(self: _Project, session: str, framework: Framework | str | None = None, *,
                       title: str | None = None, college_shares: dict[str, float] | None = None) -> str:
        """Create a deliberation session on one framework version (default: the latest stored).

        ``college_shares`` are the colleges' voices when their weights are combined (e.g. a
        SCIC's statutory voting shares); None for equal voices. Every door that reads the
        session's weights uses them (:class:`coopeval.Evaluation`).
        """
        self._require("researcher", "facilitator")
        fw, fw_hash = self._framework_hash(framework)
        shares = _shares_json(college_shares)

        def run(conn: sa.Connection) -> str:
            if conn.execute(sa.select(S.sessions.c.session).where(S.sessions.c.session == session)).first():
                bad_param("session", "a new session id", session, StoreError)
            conn.execute(S.sessions.insert().values(session=str(session), framework_hash=fw_hash, title=title,
                                                    created_at=now(), college_shares=shares))
            audit.record(conn, self.role, "create_session", str(session), framework=fw_hash)
            return str(session)
        return self._write(run)

    def sessions(self: _Project) -> pd.DataFrame:
        """Sessions: ``session, framework_hash, title, created_at, college_shares`` (dict or None)."""
        df = self._frame(sa.select(S.sessions).order_by(S.sessions.c.created_at))
        df["college_shares"] = [json.loads(v) if isinstance(v, str) else None for v in df["college_shares"]]
        return df

    def set_college_shares(self: _Project, session: str, college_shares: dict[str, float] | None) -> None:
        """Record the colleges' voices of a session (None: equal voices); audited."""
        self._require("researcher", "facilitator")
        shares = _shares_json(college_shares)

        def run(conn: sa.Connection) -> None:
            self._session_framework(conn, session)
            conn.execute(S.sessions.update().where(S.sessions.c.session == session).values(college_shares=shares))
            audit.record(conn, self.role, "set_college_shares", str(session), college_shares=shares)
        self._write(run)

    def _session_framework(self: _Project, conn: sa.Connection, session: str) -> str:
        digest = conn.execute(sa.select(S.sessions.c.framework_hash)
                              .where(S.sessions.c.session == session)).scalar()
        if digest is None:
            bad_param("session", "an existing session", session, StoreError)
        return digest

    def add_participants(self: _Project, session: str, participants: pd.DataFrame, *,
                         key: FacilitatorKey | None = None) -> pd.DataFrame:
        """Register participants (``participant, college``) and return their tokens.

        Parameters
        ----------
        session : str
        participants : DataFrame
            ``participant, college``.
        key : FacilitatorKey, optional
            From :meth:`facilitator_login`: the links are also kept encrypted, so that the
            facilitator can list and download them again (:meth:`issued_links`).

        Returns
        -------
        DataFrame
            ``participant, college, token, expires_at``. The store keeps the SHA-256 of each
            token (and, with ``key``, the token encrypted with the facilitator's key). Each
            link's expiry is fixed now, from the setting ``token_ttl_hours`` (``expires_at``
            None: never); changing the setting later does not change it.
        """
        self._require("researcher", "facilitator")
        df = checks._require_columns(participants, ["participant", "college"], "participants", StoreError)
        if df.empty:
            bad_param("participants", "at least one participant", "an empty table", StoreError)
        if df["participant"].duplicated().any():
            bad_param("participants", "unique participant ids",
                      sorted(df.loc[df["participant"].duplicated(), "participant"].astype(str)), StoreError)
        out = df[["participant", "college"]].astype(str).assign(token=[new_token() for _ in range(len(df))])

        def run(conn: sa.Connection) -> str | None:
            self._session_framework(conn, session)
            issued = now()
            expires = expiry_from(conn, issued)
            try:
                conn.execute(S.participants.insert(), [
                    {"session": str(session), "participant": r.participant, "college": r.college,
                     "token_hash": hash_token(r.token), "created_at": issued, "expires_at": expires}
                    for r in out.itertuples()])
            except sa.exc.IntegrityError:
                raise StoreError(f"participants: some ids are already registered in session {session!r}; "
                                 "nothing was written (re-issue a lost link with reissue_link)") from None
            conn.execute(S.links.insert(), [
                {"session": str(session), "participant": r.participant, "token_hash": hash_token(r.token),
                 "token_enc": key.encrypt(r.token) if key is not None else None, "issued_at": issued,
                 "expires_at": expires} for r in out.itertuples()])
            audit.record(conn, self.role, "add_participants", str(session), n=len(out),
                         colleges=out["college"].value_counts().to_dict(), kept=key is not None)
            return expires
        expires = self._write(run)
        return out.assign(expires_at=expires).reset_index(drop=True)

    def participants(self: _Project, session: str) -> pd.DataFrame:
        """Participants of a session: ``participant, college, created_at, expires_at`` (never tokens)."""
        self._require("researcher", "facilitator")
        t = S.participants
        return self._frame(sa.select(t.c.participant, t.c.college, t.c.created_at, t.c.expires_at)
                           .where(t.c.session == session).order_by(t.c.participant))


def _shares_json(college_shares: dict[str, float] | None) -> str | None:
    if college_shares is None:
        return None
    try:
        shares = {str(k): float(v) for k, v in dict(college_shares).items()}
    except (TypeError, ValueError):
        bad_param("college_shares", "a mapping {college: voice} of numbers", college_shares, StoreError)
    if not shares or any(not v >= 0 for v in shares.values()) or sum(shares.values()) <= 0:
        bad_param("college_shares", "non-negative voices, not all zero", college_shares, StoreError)
    return json.dumps(shares, sort_keys=True)
