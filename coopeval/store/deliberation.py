"""Deliberation sessions in the store: rounds, participants, tokens, judgements.

Mixed into :class:`coopeval.store.Project`. Rules enforced here:

* the facilitator (or researcher) role creates sessions, adds participants and
  opens / closes rounds; at most one round of a session is open at a time and a
  closed round never reopens;
* a participant's token is returned once and stored only as its SHA-256; a token
  submits only its own judgements (its session, participant and college), only
  while its round is open and the token has not expired (setting
  ``token_ttl_hours``); a submission is all-or-nothing, once per participant and
  round (``replace=True`` revises: the new set replaces the earlier one);
* individual judgements are read by the researcher role; the facilitator reads them
  without reasons and under pseudonymous labels (:mod:`coopeval.store.facilitation`),
  a participant only their own feedback (:mod:`coopeval.store.feedback`); the
  collective view gives per-college aggregates and suppresses groups under the
  minimum size (:mod:`coopeval.store.collective`).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import audit, checks
from coopeval.store import schema as S
from coopeval.store.access import TokenInfo, expiry_from, token_info_in
from coopeval.store.collective import ALL_COLLEGES, COLLECTIVE_COLUMNS, collective_table
from coopeval.store.migrations import DEFAULT_MIN_GROUP, now
from coopeval.store.settings import effective_min_group
from coopeval.store.submission import refuse_submission, store_set, submit_pg
from coopeval.store.tokens import hash_token, new_token

if TYPE_CHECKING:
    from coopeval.framework import Framework
    from coopeval.store.facilitator import FacilitatorKey

__all__ = ["DeliberationMixin", "COLLECTIVE_COLUMNS", "ALL_COLLEGES"]


class DeliberationMixin:
    """Sessions, rounds, participants and judgements (see the module docstring)."""

    # ------------------------------------------------------------------ sessions
    def create_session(self, session: str, framework: Framework | str | None = None, *,
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

    def sessions(self) -> pd.DataFrame:
        """Sessions: ``session, framework_hash, title, created_at, college_shares`` (dict or None)."""
        df = self._frame(sa.select(S.sessions).order_by(S.sessions.c.created_at))
        df["college_shares"] = [json.loads(v) if isinstance(v, str) else None for v in df["college_shares"]]
        return df

    def set_college_shares(self, session: str, college_shares: dict[str, float] | None) -> None:
        """Record the colleges' voices of a session (None: equal voices); audited."""
        self._require("researcher", "facilitator")
        shares = _shares_json(college_shares)

        def run(conn: sa.Connection) -> None:
            self._session_framework(conn, session)
            conn.execute(S.sessions.update().where(S.sessions.c.session == session).values(college_shares=shares))
            audit.record(conn, self.role, "set_college_shares", str(session), college_shares=shares)
        self._write(run)

    def _session_framework(self, conn: sa.Connection, session: str) -> str:
        digest = conn.execute(sa.select(S.sessions.c.framework_hash)
                              .where(S.sessions.c.session == session)).scalar()
        if digest is None:
            bad_param("session", "an existing session", session, StoreError)
        return digest

    def add_participants(self, session: str, participants: pd.DataFrame, *,
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

    def participants(self, session: str) -> pd.DataFrame:
        """Participants of a session: ``participant, college, created_at, expires_at`` (never tokens)."""
        self._require("researcher", "facilitator")
        t = S.participants
        return self._frame(sa.select(t.c.participant, t.c.college, t.c.created_at, t.c.expires_at)
                           .where(t.c.session == session).order_by(t.c.participant))

    # ------------------------------------------------------------------ rounds
    def open_round(self, session: str, round: int, *, methods: dict[str, str] | str | None = None) -> None:  # noqa: A002
        """Open round ``round`` of a session (creating it), with the method per college.

        Parameters
        ----------
        methods : dict or str, optional
            ``{college: method}`` (``"*"`` for every college), or one method for all.
        """
        self._require("researcher", "facilitator")
        rnd = _round_number(round)
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

    def close_round(self, session: str, round: int) -> None:  # noqa: A002
        """Close an open round: from now on its submissions are refused."""
        self._require("researcher", "facilitator")
        rnd = _round_number(round)

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

    def rounds(self, session: str | None = None) -> pd.DataFrame:
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

    # ------------------------------------------------------------------ submissions
    def token_info(self, token: str, *, now: datetime | None = None) -> TokenInfo:
        """What a participant's token gives access to now (any role; nothing is written).

        Parameters
        ----------
        token : str
            The participant's token (as handed by :meth:`add_participants`).
        now : datetime, optional
            Current time (UTC) for expiry; default now.

        Returns
        -------
        TokenInfo
            ``status`` (``"ok"``, ``"unknown"``, ``"expired"``, ``"no_round"``,
            ``"submitted"``), the participant, college and session, the session's
            framework hash, the open round and its method for the college, the previous
            closed round, whether the participant already submitted in the open round,
            and ``issued_at`` / ``expires_at`` (expiry: project setting
            ``token_ttl_hours``, none when unset).

        Raises
        ------
        StoreError
            The setting ``token_ttl_hours`` is not a positive number.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pandas as pd
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
        ...                       framework="cooperation_territoriale")
        >>> _ = p.create_session("atelier")
        >>> tok = p.add_participants("atelier", pd.DataFrame({"participant": ["p1"], "college": ["habitants"]}))
        >>> p.token_info(tok["token"].iloc[0]).status
        'no_round'
        >>> p.open_round("atelier", 1, methods="points")
        >>> info = p.token_info(tok["token"].iloc[0])
        >>> info.status, info.participant, info.round, info.method, info.submitted
        ('ok', 'p1', 1, 'points', False)
        >>> p.token_info("forged").status
        'unknown'
        """
        if not isinstance(token, str) or not token:
            return TokenInfo("unknown")
        digest = hash_token(token)
        return self._read(lambda c: token_info_in(c, digest, now=now))

    def submit(self, token: str, judgements: pd.DataFrame, *, replace: bool = False) -> int:
        """Submit one participant's judgement set for the open round of their session.

        The token identifies the participant; ``judgements`` holds ``node, value``
        (+ ``method`` when the round sets none for the college; ``session, round,
        participant, college`` may be given and must then match the token; ``reason``
        optional). Simos blank cards (``__blanc__``, ``<parent>:__blanc__``) and ratio
        rows (``<parent>:z``) are accepted as by
        :func:`coopeval.weighting.validate_judgements`. The whole set is written in one
        transaction, or nothing is written.

        Parameters
        ----------
        token : str
        judgements : DataFrame
        replace : bool, default False
            False: a participant submits **once per round** — a second submission in
            the same round is refused, atomically (the check and the write are one
            transaction, so two tabs submitting at once give exactly one stored set and
            one refusal). True: a new set replaces the participant's earlier set in
            this round (a revision, audited with ``replaced=True``).

        Returns
        -------
        int
            Number of judgements stored.

        Raises
        ------
        StoreError
            Unknown or expired token (message starting ``"token:"``), no open round
            (``"round:"``; closed rounds refuse submissions), already submitted in this
            round with ``replace=False`` (``"submitted:"``), or columns that are not the
            token's own.
        WeightingError
            Unknown nodes, non-numeric or duplicated values, wrong method.
        """
        if not isinstance(token, str) or not token:
            bad_param("token", "a participant token", token, StoreError)
        digest = hash_token(token)

        def checked(ctx: TokenInfo) -> list[dict]:
            refuse_submission(ctx, replace)
            fw = self.framework(ctx.framework_hash)
            fixed = {"session": ctx.session, "round": ctx.round, "participant": ctx.participant,
                     "college": ctx.college}
            return checks.judgements(judgements, fw, fixed=fixed, method=ctx.method,
                                     validate=self.validate_judgements)

        if self.engine.dialect.name == "postgresql":
            # one transaction (see coopeval.store.submission): locked read, checks, one write statement.
            # The checks run while the participant's row is locked, which only another tab of the same
            # link (and close_round, through the round's share lock) waits for; a second transaction
            # to check first would cost five more round trips to every submission.
            return self._write(lambda conn: submit_pg(conn, digest, checked, replace=replace))

        # SQLite: one writer at a time for the whole file, so the checks run before the write lock
        # (a round closed while they run is detected in the transaction)
        ctx = self._read(lambda c: token_info_in(c, digest))
        rows = checked(ctx)

        def run(conn: sa.Connection) -> int:
            now_ctx = token_info_in(conn, digest, lock=True)
            if now_ctx.status == "no_round" or now_ctx.round != ctx.round or now_ctx.methods != ctx.methods:
                raise StoreError(f"round: round {ctx.round} of session {ctx.session!r} closed while the "
                                 "judgements were being checked; submission refused")
            refuse_submission(now_ctx, replace)
            return store_set(conn, ctx, rows, replace=replace, was_submitted=now_ctx.submitted)
        return self._write(run)

    def judgements(self, session: str | None = None, round: int | None = None) -> pd.DataFrame:  # noqa: A002
        """Individual judgements (researcher only).

        Returns
        -------
        DataFrame
            ``session, round, participant, college, method, node, value, reason`` in order of
            submission (``reason``: the argument given, or None).
        """
        self._require("researcher")
        j = S.judgements
        q = sa.select(*[j.c[c] for c in checks.JUDGEMENT_COLUMNS], j.c.reason).order_by(j.c.id)
        if session is not None:
            q = q.where(j.c.session == session)
        if round is not None:
            q = q.where(j.c.round == _round_number(round))
        df = self._frame(q)
        return df.astype({"round": int, "value": float})

    def collective_view(self, session: str, round: int | None = None, *,  # noqa: A002
                        min_group: int | None = None) -> pd.DataFrame:
        """Aggregated judgements a collective may see, small groups suppressed.

        Parameters
        ----------
        session : str
        round : int, optional
            One round (default: every round).
        min_group : int, optional
            Minimum number of participants behind a statistic (default: the project
            setting ``min_group_size``, 5). Smaller groups are suppressed. Only the
            researcher may ask for less than the project setting.

        Returns
        -------
        DataFrame
            ``session, round, college, method, node, n, mean, median, sd, min, max,
            suppressed``, one row per college and one ``college="ensemble"`` row (all
            colleges). In a suppressed row every statistic is NaN (``n`` too).

        Notes
        -----
        Primary suppression: a group with ``n < min_group``. Secondary suppression:
        when exactly one college of a (round, method, node) is suppressed while the
        all-colleges row is shown, the smallest other college is suppressed too, so
        that the hidden group cannot be recovered by difference (Hundepool et al.,
        2012, *Statistical Disclosure Control*, Wiley, ch. 4.2).
        """
        self._require("researcher", "facilitator", "collective")
        k = effective_min_group(self.role, min_group, self.setting("min_group_size"), DEFAULT_MIN_GROUP)
        j = S.judgements
        q = sa.select(j.c.round, j.c.participant, j.c.college, j.c.method, j.c.node, j.c.value).where(
            j.c.session == session)
        if round is not None:
            q = q.where(j.c.round == _round_number(round))
        raw = self._frame(q)
        return collective_table(raw.astype({"value": float}), session, k)


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


def _round_number(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        bad_param("round", "a round number (integer >= 1)", value, StoreError)
    return int(value)
