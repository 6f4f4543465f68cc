"""Qualitative evidence and actions in the project store (issue 17).

:class:`QualitativeMixin` gives :class:`coopeval.Project` the methods of the learning
cycle: import coded extracts (speakers pseudonymised with the project's key, exactly as
survey respondents), define the codebook, add a second coder's codes, record the actions
decided after a restitution and update their status. Contracts and checks are those of
:mod:`coopeval.qualitative`.

Reading rights: extracts and codes are personal data (what someone said, their pseudonym)
and are read by the researcher only; the codebook and the actions (decisions of the
collective) are read by the researcher, the facilitator and the collective.

Example
-------
>>> import tempfile, pathlib
>>> import coopeval as ce
>>> q = ce.datasets.load("qualitatif_exemple")
>>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval", framework="cooperation_territoriale")
>>> p.set_codebook(q["codebook"])
10
>>> p.import_extracts(q["extracts"], q["codes"])
540
>>> bool(p.extracts()["speaker"].str.startswith("r_").all())
True
>>> p.add_actions(q["actions"])
8
>>> p.update_action("a02", "done")
>>> p.actions().set_index("action").loc["a02", "status"]
'done'
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.qualitative.actions import ACTION_COLUMNS, STATUSES, check_actions
from coopeval.qualitative.contracts import (
    CODE_COLUMNS,
    CODEBOOK_COLUMNS,
    EXTRACT_COLUMNS,
    check_codebook,
    check_codes,
    check_extracts,
)
from coopeval.store import audit
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase
from coopeval.store.rows import ensure_keys
from coopeval.store.tokens import pseudonyms

if TYPE_CHECKING:

    from coopeval.framework.tree import Framework

__all__ = ["QualitativeMixin"]


def _none(v: Any) -> Any:
    return None if v is None or (isinstance(v, float) and pd.isna(v)) else v


class _Project(ProjectBase, Protocol):
    """What the qualitative material uses of its :class:`~coopeval.store.Project`."""

    def _upsert(self, conn: sa.Connection, table: sa.Table, key: str, rows: list[dict], action: str) -> int: ...

    def framework(self, ref: str | Framework | None = ...) -> Framework: ...

    def _framework_hash(self, framework: Framework | str | None) -> tuple[Framework, str]: ...

    def _pseudonym_key(self) -> str: ...

    def codebook(self) -> pd.DataFrame: ...

    def _insert_codes(self, conn: sa.Connection, codes: pd.DataFrame | None) -> int: ...


class QualitativeMixin:
    """Extracts, codebook, codes and actions of a :class:`coopeval.Project`."""

    # ------------------------------------------------------------------ codebook
    def set_codebook(self: _Project, codebook: pd.DataFrame, framework: Any = None) -> int:
        """Add or update codes of the codebook (``code, label_fr, label_en, node``); returns the count.

        A ``node`` must be a criterion or indicator of the framework (default: the latest stored).
        """
        self._require("researcher")
        fw = self.framework(framework)
        clean = check_codebook(codebook, fw)
        rows = [{k: _none(v) for k, v in r.items()} for r in clean.to_dict("records")]
        return self._write(lambda conn: self._upsert(conn, S.codebook, "code", rows, "set_codebook"))

    def codebook(self: _Project) -> pd.DataFrame:
        """The codebook: ``code, label_fr, label_en, node`` (any role but participant)."""
        self._require("researcher", "facilitator", "collective")
        return self._frame(sa.select(*[S.codebook.c[c] for c in CODEBOOK_COLUMNS]).order_by(S.codebook.c.code))

    # ------------------------------------------------------------------ extracts and codes
    def import_extracts(self: _Project, extracts: pd.DataFrame, codes: pd.DataFrame | None = None,
                        framework: Any = None, *, source: str | None = None, pseudonymise: bool = True) -> int:
        """Validate and store extracts (and their codes) in one transaction; returns the number of extracts.

        Parameters
        ----------
        extracts : DataFrame
            :data:`~coopeval.qualitative.EXTRACT_COLUMNS` (as read by
            :func:`~coopeval.qualitative.read_extracts` or :func:`~coopeval.qualitative.read_transcripts`).
        codes : DataFrame, optional
            ``extract, code, coder`` of these extracts; codes must be in the codebook when one is set.
        framework : Framework or str, optional
            Framework version recorded with the import (default: the latest stored).
        source : str, optional
            File or folder name, recorded in the import log.
        pseudonymise : bool, default True
            Replace ``speaker`` by the project's keyed pseudonym (as survey respondents; the same
            identifier gets the same pseudonym). ``False`` only for speakers already pseudonymised.

        Raises
        ------
        DataError
            Invalid extracts or codes (every problem, with its row).
        StoreError
            An extract id already stored (nothing written).
        """
        self._require("researcher")
        _fw, fw_hash = self._framework_hash(framework)
        clean = check_extracts(extracts, where=source)
        book = self.codebook()
        if codes is not None and len(codes):
            codes = check_codes(codes, clean, codebook=book if len(book) else None, where=source)
        if pseudonymise:
            key = self._pseudonym_key()
            clean = clean.assign(speaker=pseudonyms(clean["speaker"].tolist(), key))
        rows = [{**{k: _none(v) for k, v in r.items()}, "wave": str(r["wave"]), "consent": int(r["consent"])}
                for r in clean.to_dict("records")]

        def run(conn: sa.Connection) -> int:
            ensure_keys(conn, S.units, "unit", {r["unit"] for r in rows})
            ensure_keys(conn, S.waves, "wave", {r["wave"] for r in rows})
            known = set(conn.execute(sa.select(S.extracts.c.extract).where(
                S.extracts.c.extract.in_([r["extract"] for r in rows]))).scalars())
            if known:
                raise StoreError(f"extracts: ids already stored ({', '.join(sorted(known)[:5])}); nothing was written")
            import_id = conn.execute(S.imports.insert().values(
                kind="extracts", source=source, sha256=None, framework_hash=fw_hash, n_rows=len(rows), at=M.now(),
                role=self.role).returning(S.imports.c.id)).scalar_one()
            if rows:
                conn.execute(S.extracts.insert(), [dict(r, import_id=import_id) for r in rows])
            n_codes = self._insert_codes(conn, codes)
            audit.record(conn, self.role, "import_extracts", str(import_id), n=len(rows), codes=n_codes, source=source)
            return len(rows)
        return self._write(run)

    def _insert_codes(self: _Project, conn: sa.Connection, codes: pd.DataFrame | None) -> int:
        if codes is None or not len(codes):
            return 0
        rows = codes[CODE_COLUMNS].to_dict("records")
        try:
            conn.execute(S.codes.insert(), rows)
        except sa.exc.IntegrityError as err:
            raise StoreError(f"codes: a code already stored for the same extract and coder, or an unknown extract; "
                             f"nothing was written ({err.orig})") from None
        return len(rows)

    def add_codes(self: _Project, codes: pd.DataFrame) -> int:
        """Add codes (``extract, code, coder``) to stored extracts — a second coder's, say; returns the count."""
        self._require("researcher")
        stored = self._frame(sa.select(S.extracts.c.extract))
        book = self.codebook()
        clean = check_codes(codes, stored, codebook=book if len(book) else None)

        def run(conn: sa.Connection) -> int:
            n = self._insert_codes(conn, clean)
            audit.record(conn, self.role, "add_codes", None, n=n, coders=sorted(clean["coder"].unique()))
            return n
        return self._write(run)

    def extracts(self: _Project, wave: str | None = None) -> pd.DataFrame:
        """Stored extracts: :data:`~coopeval.qualitative.EXTRACT_COLUMNS` (researcher only).

        ``wave`` comes back as stored text (as in :meth:`observations`); ``consent`` as bool.
        """
        self._require("researcher")
        t = S.extracts
        q = sa.select(*[t.c[c] for c in EXTRACT_COLUMNS]).order_by(t.c.import_id, t.c.extract)
        if wave is not None:
            q = q.where(t.c.wave == str(wave))
        df = self._frame(q)
        df["consent"] = df["consent"].astype(bool)
        return df

    def codes(self: _Project) -> pd.DataFrame:
        """Stored codes: ``extract, code, coder`` (researcher only)."""
        self._require("researcher")
        t = S.codes
        return self._frame(sa.select(t.c.extract, t.c.code, t.c.coder).order_by(t.c.id))

    # ------------------------------------------------------------------ actions
    def add_actions(self: _Project, actions: pd.DataFrame, framework: Any = None) -> int:
        """Record actions decided after a restitution (:data:`~coopeval.qualitative.ACTION_COLUMNS`).

        Linked ``criteria`` must be nodes of the framework (default: the latest stored). An
        action id already stored is updated (what, criteria, who, due, status). Returns the count.
        """
        self._require("researcher", "facilitator")
        clean = check_actions(actions, self.framework(framework))
        at = M.now()
        rows = [{**{k: _none(v) for k, v in r.items()}, "wave": str(r["wave"]), "updated_at": at}
                for r in clean.to_dict("records")]

        def run(conn: sa.Connection) -> int:
            ensure_keys(conn, S.units, "unit", {r["unit"] for r in rows})
            ensure_keys(conn, S.waves, "wave", {r["wave"] for r in rows})
            return self._upsert(conn, S.actions, "action", rows, "add_actions")
        return self._write(run)

    def update_action(self: _Project, action: str, status: str) -> None:
        """Change the status of an action (one of ``decided, in_progress, done, dropped``; audited)."""
        self._require("researcher", "facilitator")
        if status not in STATUSES:
            bad_param("status", f"one of {', '.join(STATUSES)}", status, StoreError)

        def run(conn: sa.Connection) -> None:
            done = conn.execute(S.actions.update().where(S.actions.c.action == str(action))
                                .values(status=status, updated_at=M.now()))
            if done.rowcount != 1:
                bad_param("action", "the id of a stored action", action, StoreError)
            audit.record(conn, self.role, "update_action", str(action), status=status)
        self._write(run)

    def actions(self: _Project, unit: str | None = None) -> pd.DataFrame:
        """Stored actions: :data:`~coopeval.qualitative.ACTION_COLUMNS` + ``updated_at``, in decision order."""
        self._require("researcher", "facilitator", "collective")
        t = S.actions
        q = sa.select(*[t.c[c] for c in ACTION_COLUMNS], t.c.updated_at).order_by(t.c.wave, t.c.action)
        if unit is not None:
            q = q.where(t.c.unit == str(unit))
        return self._frame(q)
