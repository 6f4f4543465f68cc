"""The participants' judgements in the store: what a token gives access to, a submission, and who
reads the judgements.

Mixed into :class:`coopeval.store.Project`, with the sessions and their participants
(:mod:`coopeval.store.sessions`) and their rounds (:mod:`coopeval.store.rounds`). Rules enforced
here:

* a token submits only its own judgements (its session, participant and college), only
  while its round is open and the token has not expired (setting ``token_ttl_hours``); a
  submission is all-or-nothing, once per participant and round (``replace=True`` revises:
  the new set replaces the earlier one);
* individual judgements are read by the researcher role; the facilitator reads them
  without reasons and under pseudonymous labels (:mod:`coopeval.store.facilitation`),
  a participant only their own feedback (:mod:`coopeval.store.feedback`); the
  collective view gives per-college aggregates and suppresses groups under the
  minimum size (:mod:`coopeval.store.collective`).
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import checks
from coopeval.store import schema as S
from coopeval.store.access import TokenInfo, token_info_in
from coopeval.store.collective import collective_table
from coopeval.store.migrations import DEFAULT_MIN_GROUP
from coopeval.store.protocol import ProjectBase
from coopeval.store.rounds import round_number
from coopeval.store.settings import effective_min_group
from coopeval.store.submission import refuse_submission, store_set, submit_pg
from coopeval.store.tokens import hash_token

if TYPE_CHECKING:

    from coopeval.framework import Framework

__all__ = ["DeliberationMixin"]


class _Project(ProjectBase, Protocol):
    """What the judgements use of their :class:`~coopeval.store.Project`."""

    engine: sa.Engine
    validate_judgements: bool

    def setting(self, key: str) -> str | None: ...

    def framework(self, ref: str | Framework | None = ...) -> Framework: ...


class DeliberationMixin:
    """Submit and read judgements (see the module docstring)."""

    def token_info(self: _Project, token: str, *, now: datetime | None = None) -> TokenInfo:
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

    def submit(self: _Project, token: str, judgements: pd.DataFrame, *, replace: bool = False) -> int:
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

    def judgements(self: _Project, session: str | None = None, round: int | None = None) -> pd.DataFrame:  # noqa: A002
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
            q = q.where(j.c.round == round_number(round))
        df = self._frame(q)
        return df.astype({"round": int, "value": float})

    def collective_view(self: _Project, session: str, round: int | None = None, *,  # noqa: A002
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
            q = q.where(j.c.round == round_number(round))
        raw = self._frame(q)
        return collective_table(raw.astype({"value": float}), session, k)
