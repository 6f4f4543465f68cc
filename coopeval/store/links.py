"""Personal links of a deliberation session: issued, listed again at any time, re-issued.

* :func:`new_participants` — fresh pseudonymous participant ids for a college;
* :class:`LinksMixin` (mixed into :class:`coopeval.store.Project`) —
  :meth:`~LinksMixin.issued_links` lists every link issued (tokens decrypted with the
  facilitator's key, :mod:`coopeval.store.facilitator`), :meth:`~LinksMixin.reissue_link`
  gives a participant a new link and revokes the old one (audited).
"""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval.errors import CoopevalError, StoreError, bad_param
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.access import expiry_from
from coopeval.store.migrations import now as mig_now
from coopeval.store.protocol import ProjectBase
from coopeval.store.tokens import hash_token, new_token

if TYPE_CHECKING:

    from coopeval.store.facilitator import FacilitatorKey

__all__ = ["new_participants", "LinksMixin", "LINK_COLUMNS"]


def new_participants(college: str, n: int, existing: list[str] | None = None, *, prefix: str | None = None,
                     colleges: list[str] | None = None) -> pd.DataFrame:
    """``n`` fresh pseudonymous participant ids for ``college`` (``<prefix>-01``, ...).

    >>> new_participants("habitants", 2, ["hab-01"])["participant"].tolist()
    ['hab-02', 'hab-03']
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        bad_param("n", "a positive integer", n, CoopevalError)
    college = str(college).strip()
    if not college:
        bad_param("college", "a college name", college, CoopevalError)
    if colleges is not None and college not in colleges:
        bad_param("college", f"one of the project's colleges ({', '.join(colleges)})", college, CoopevalError)
    stem = prefix or college[:3].lower()
    taken = set(existing or [])
    ids: list[str] = []
    i = 1
    while len(ids) < n:
        pid = f"{stem}-{i:02d}"
        if pid not in taken:
            ids.append(pid)
        i += 1
    return pd.DataFrame({"participant": ids, "college": college})



#: Columns of :meth:`LinksMixin.issued_links`.
LINK_COLUMNS = ["participant", "college", "token", "issued_at", "expires_at", "status"]


class _Project(ProjectBase, Protocol):
    """What the participants' links use of their :class:`~coopeval.store.Project`."""

    def setting(self, key: str) -> str | None: ...


class LinksMixin:
    """Every personal link issued, listed again and re-issued (mixed into :class:`Project`)."""

    def issued_links(self: _Project, session: str, key: FacilitatorKey, *, now: datetime | None = None,
                     include_revoked: bool = False) -> pd.DataFrame:
        """Every link issued in a session, readable again with the facilitator's key.

        Parameters
        ----------
        session : str
        key : FacilitatorKey
            From :meth:`facilitator_login`.
        now : datetime, optional
            For the ``status`` (default now, UTC).
        include_revoked : bool, default False
            Also the links replaced by a re-issued one.

        Returns
        -------
        DataFrame
            ``participant, college, token, issued_at, expires_at, status`` in participant
            order; ``token`` is None for a link issued without the key (or before a change
            of secret that did not keep the links); ``status`` is ``active``, ``expired`` or
            ``revoked``.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
        ...                       framework="cooperation_territoriale")
        >>> key = p.facilitator_login(p.set_facilitator_secret("un secret bien long"))
        >>> _ = p.create_session("atelier")
        >>> tok = p.add_participants("atelier", new_participants("habitants", 2), key=key)
        >>> links = p.issued_links("atelier", key)
        >>> links["token"].tolist() == tok["token"].tolist(), links["status"].tolist()
        (True, ['active', 'active'])
        """
        self._require("researcher", "facilitator")
        lk, pt = S.links, S.participants
        q = (sa.select(lk.c.participant, pt.c.college, lk.c.token_enc, lk.c.issued_at, lk.c.expires_at,
                       lk.c.revoked_at)
             .join(pt, sa.and_(pt.c.session == lk.c.session, pt.c.participant == lk.c.participant))
             .where(lk.c.session == session).order_by(lk.c.participant, lk.c.id))
        if not include_revoked:
            q = q.where(lk.c.revoked_at.is_(None))
        df = self._frame(q)
        moment = (now or datetime.now(timezone.utc)).isoformat(timespec="microseconds")
        status = ["revoked" if isinstance(r, str) else "expired" if isinstance(e, str) and e < moment else "active"
                  for r, e in zip(df["revoked_at"], df["expires_at"], strict=True)]
        out = df.assign(token=[key.decrypt(b) for b in df["token_enc"]], status=status)
        return out[LINK_COLUMNS].reset_index(drop=True)

    def reissue_link(self: _Project, session: str, participant: str, key: FacilitatorKey | None = None) -> pd.DataFrame:
        """A new link for a registered participant; the old one stops working (revoked, audited).

        The participant keeps their id, college and answers; the new link's expiry is
        fixed now (setting ``token_ttl_hours``).

        Returns
        -------
        DataFrame
            ``participant, college, token, expires_at`` (one row), as :meth:`add_participants`.

        Raises
        ------
        StoreError
            Unknown participant or session.
        """
        self._require("researcher", "facilitator")
        token = new_token()
        digest = hash_token(token)

        def run(conn: sa.Connection) -> tuple[str, str | None]:
            pt, lk = S.participants, S.links
            row = conn.execute(sa.select(pt.c.college, pt.c.token_hash).where(
                pt.c.session == session, pt.c.participant == str(participant))).first()
            if row is None:
                bad_param("participant", f"a participant of session {session!r}", participant, StoreError)
            issued = mig_now()
            expires = expiry_from(conn, issued)
            conn.execute(lk.update().where(lk.c.session == session, lk.c.participant == str(participant),
                                           lk.c.revoked_at.is_(None)).values(revoked_at=issued))
            conn.execute(pt.update().where(pt.c.session == session, pt.c.participant == str(participant))
                         .values(token_hash=digest, expires_at=expires))
            conn.execute(lk.insert().values(session=session, participant=str(participant), token_hash=digest,
                                            token_enc=key.encrypt(token) if key is not None else None,
                                            issued_at=issued, expires_at=expires))
            audit.record(conn, self.role, "reissue_link", f"{session}/{participant}", revoked=True)
            return row.college, expires
        college, expires = self._write(run)
        return pd.DataFrame({"participant": [str(participant)], "college": [college], "token": [token],
                             "expires_at": [expires]})

    def colleges(self: _Project) -> list[str]:
        """The project's colleges: the setting ``colleges`` (ids separated by commas) when set,
        else the colleges coopeval knows (``college_*`` labels of ``coopeval/i18n/labels.yaml``).

        Links are issued for these colleges only, so that a typo (« Habitants␣ ») never creates
        a new college.

        >>> import tempfile, pathlib
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval")
        >>> "habitants" in p.colleges()
        True
        >>> p.set_setting("colleges", "habitants, salarie_es, usagers")
        >>> p.colleges()
        ['habitants', 'salarie_es', 'usagers']
        """
        from coopeval.i18n import labels

        raw = self.setting("colleges")
        if raw:
            return list(dict.fromkeys(c.strip() for c in str(raw).split(",") if c.strip()))
        return [k.removeprefix("college_") for k in labels() if k.startswith("college_") and k != "college_voice"]
