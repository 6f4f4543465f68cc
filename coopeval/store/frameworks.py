"""Framework versions in the store: registered once by hash, read back (and cached) by hash or id.

Mixed into :class:`coopeval.store.Project`. A framework is stored as its YAML with its hash;
reading it back checks that the YAML still gives that hash.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.framework import Framework, load_framework
from coopeval.store import audit
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase

#: Frameworks already read, by hash (process-wide: a hash names one immutable content).
_FRAMEWORKS: dict[str, Framework] = {}


class _Project(ProjectBase, Protocol):
    """What the framework versions use of their :class:`~coopeval.store.Project`."""

    _fw_cache: dict[str, Framework]

    def add_framework(self: _Project, framework: Framework | str | Path) -> str: ...

    def _add_framework(self: _Project, framework: Framework | str | Path) -> str: ...

    def frameworks(self: _Project) -> pd.DataFrame: ...

    def framework(self: _Project, ref: str | Framework | None = ...) -> Framework: ...


class FrameworksMixin:
    """Register and read framework versions (see the module docstring)."""

    def add_framework(self: _Project, framework: Framework | str | Path) -> str:
        """Register a framework version (idempotent); returns its hash (``fw.hash``)."""
        self._require("researcher")
        return self._add_framework(framework)

    def _add_framework(self: _Project, framework: Framework | str | Path) -> str:
        """:meth:`add_framework` without the role check: also a version derived by a decision that a
        facilitator records (issue 22, :meth:`close_framework_round`, :meth:`decide`)."""
        fw = framework if isinstance(framework, Framework) else load_framework(framework)
        text, digest = fw.to_yaml(), fw.hash

        def run(conn: sa.Connection) -> None:
            exists = conn.execute(sa.select(S.frameworks.c.hash).where(S.frameworks.c.hash == digest)).first()
            if exists:
                return
            conn.execute(S.frameworks.insert().values(
                hash=digest, framework_id=fw.id, version=str(fw.version), title_fr=fw.title_fr,
                yaml=text, created_at=M.now()))
            audit.record(conn, self.role, "add_framework", digest, framework_id=fw.id, version=str(fw.version))
        self._write(run)
        self._fw_cache[digest] = fw
        return digest

    def frameworks(self: _Project) -> pd.DataFrame:
        """Framework versions stored: ``hash, framework_id, version, title_fr, created_at``, oldest first."""
        t = S.frameworks
        return self._frame(sa.select(t.c.hash, t.c.framework_id, t.c.version, t.c.title_fr, t.c.created_at)
                           .order_by(t.c.created_at, t.c.hash))

    def framework(self: _Project, ref: str | Framework | None = None) -> Framework:
        """A stored framework by hash (or hash prefix, or framework id → latest version of it).

        Without ``ref``, the latest framework added.
        """
        if isinstance(ref, Framework):
            return ref
        if ref is not None and not isinstance(ref, str):
            bad_param("ref", "a framework hash, hash prefix or id (text)", type(ref).__name__, StoreError)
        if ref is not None and ref in self._fw_cache:
            return self._fw_cache[ref]
        known = self.frameworks()
        if known.empty:
            raise StoreError("frameworks: the project holds none yet (add one with add_framework)")
        if ref is None:
            match = known.tail(1)
        else:
            match = known[known["hash"].str.startswith(str(ref)) | (known["framework_id"] == ref)].tail(1)
            if match.empty:
                bad_param("ref", f"a stored framework hash or id ({', '.join(known['framework_id'].unique())})",
                          ref, StoreError)
        digest = match["hash"].iloc[0]
        if digest not in self._fw_cache:
            text = self._read(lambda c: c.execute(
                sa.select(S.frameworks.c.yaml).where(S.frameworks.c.hash == digest)).scalar_one())
            fw = Framework.from_yaml(text)
            if fw.hash != digest:
                raise StoreError(f"framework {digest[:12]}: stored YAML does not match its hash (file altered?)")
            self._fw_cache[digest] = fw
        return self._fw_cache[digest]

    def _framework_hash(self: _Project, framework: Framework | str | None) -> tuple[Framework, str]:
        if isinstance(framework, Framework):
            return framework, self.add_framework(framework)
        fw = self.framework(framework)
        return fw, fw.hash
