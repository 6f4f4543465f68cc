"""The :class:`Project`: one evaluation kept in one SQLite file or PostgreSQL database.

Here: creating, opening (and upgrading), roles, settings, the pseudonymisation key, the
audit log and the whole-project export. The rest is mixed in, one concept per module:
framework versions (:mod:`coopeval.store.frameworks`), units and waves
(:mod:`coopeval.store.units`), imported data (:mod:`coopeval.store.imports`),
deliberation (sessions :mod:`coopeval.store.sessions`, rounds :mod:`coopeval.store.rounds`,
judgements :mod:`coopeval.store.deliberation` and the modules it names), results
(:mod:`coopeval.store.results`), qualitative material (:mod:`coopeval.store.qualitative`)
and decisions (:mod:`coopeval.store.decisions`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.framework import Framework
from coopeval.store import audit, keys, settings
from coopeval.store import engine as E
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.decisions import DecisionsMixin
from coopeval.store.deliberation import DeliberationMixin
from coopeval.store.facilitation import FacilitationMixin
from coopeval.store.facilitator import FacilitatorMixin
from coopeval.store.feedback import FeedbackMixin
from coopeval.store.frameworks import _FRAMEWORKS, FrameworksMixin
from coopeval.store.imports import ImportsMixin, Progress
from coopeval.store.links import LinksMixin
from coopeval.store.qualitative import QualitativeMixin
from coopeval.store.results import ResultsMixin
from coopeval.store.rounds import RoundsMixin
from coopeval.store.rows import gc_paused
from coopeval.store.sessions import SessionsMixin
from coopeval.store.tokens import new_secret
from coopeval.store.units import UnitsMixin

_T = TypeVar("_T")

#: Roles a project can be opened with, and what they may do.
ROLES = {
    "researcher": "everything: imports, individual data, results, audit log",
    "facilitator": "sessions, participants and tokens, open/close rounds, collective view, "
                   "agreement inputs under pseudonymous labels",
    "collective": "aggregated views only (groups under the minimum size suppressed)",
    "participant": "with a token: what it gives access to, submit own judgements, own feedback",
}


class Project(FrameworksMixin, UnitsMixin, ImportsMixin, SessionsMixin, RoundsMixin, DeliberationMixin,
              FacilitationMixin, FacilitatorMixin, LinksMixin, FeedbackMixin, ResultsMixin, QualitativeMixin,
              DecisionsMixin):
    """An evaluation project: frameworks, data, deliberation rounds, results, audit log.

    Create one with :meth:`Project.create` and reopen it with :meth:`Project.open`.
    A plain path is a SQLite file (WAL mode, foreign keys on, busy timeout); a
    ``postgresql+psycopg://user@host:port/db`` URL uses a shared PostgreSQL
    database with exactly the same API.

    Parameters
    ----------
    engine : sqlalchemy.Engine
        Use :meth:`create` / :meth:`open` rather than the constructor.
    role : str
        ``"researcher"`` (default), ``"facilitator"``, ``"collective"`` or ``"participant"``:
        each method checks that the role may call it (see :data:`ROLES`).

    Notes
    -----
    Writes are transactions: an import, a judgement submission, an export import or
    a migration step is committed whole or not at all. Roles are enforced by this
    API, not by the database: whoever holds the SQLite file (or PostgreSQL
    credentials) can read everything, so collectives and participants should reach
    a project only through the served dashboards, never through the file. Tokens are
    stored as SHA-256 hashes and respondents as keyed pseudonyms whose key lives
    outside the project (environment variable or ``<file>.key``, see
    :mod:`coopeval.store.keys`), so the file itself holds neither a token nor a way
    back to a respondent.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import coopeval as ce
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval"
    >>> with ce.Project.create(path) as p:
    ...     h = p.add_framework(ce.load_framework("cooperation_territoriale"))
    ...     p.frameworks()["framework_id"].tolist()
    ['cooperation_territoriale']
    >>> ce.Project.open(path).schema_version == ce.store.SCHEMA_VERSION
    True
    """

    def __init__(self, engine: sa.Engine, *, role: str = "researcher", path: Path | None = None,
                 key_file: str | Path | None = None):
        if role not in ROLES:
            bad_param("role", f"one of {', '.join(ROLES)}", role, StoreError)
        self.engine = engine
        self.role = role
        self.path = path
        #: Key file given explicitly (else :func:`coopeval.store.keys.default_key_path`).
        self.key_file = None if key_file is None else Path(key_file)
        self._fw_cache = _FRAMEWORKS
        #: Check each submitted set with :func:`coopeval.weighting.validate_judgements` too.
        self.validate_judgements = True

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    def create(cls, path_or_url: str | Path, *, framework: Framework | str | None = None,
               role: str = "researcher", key_file: str | Path | None = None) -> Project:
        """Create a new, empty project (refuses to overwrite an existing one).

        Parameters
        ----------
        path_or_url : str or Path
            SQLite file path, or the URL of an *empty* PostgreSQL database.
        framework : Framework or str, optional
            A framework (or built-in id / YAML path) to register at once.
        role : str
            Role of the returned handle.
        key_file : str or Path, optional
            Where to write the new pseudonymisation key (mode 0600). Default: beside the
            SQLite file (``<file>.key``), or in the user's config folder for PostgreSQL;
            nothing is written when ``COOPEVAL_PSEUDONYM_KEY`` holds the key. The key is
            never stored in the project (see :mod:`coopeval.store.keys`).
        """
        url, path = E.resolve(path_or_url)
        if path is not None:
            if path.exists() and path.stat().st_size > 0:
                bad_param("path_or_url", "a path where no file exists yet", str(path), StoreError)
            path.parent.mkdir(parents=True, exist_ok=True)
        engine = E.make_engine(url)
        project_id = new_secret()[:16]
        key, key_path = keys.new_project_key(path, project_id, key_file)

        def init(conn: sa.Connection) -> None:
            if M.installed_version(conn) is not None:
                bad_param("path_or_url", "an empty database", url.render_as_string(hide_password=True), StoreError)
            M.create_schema(conn)
            conn.execute(S.meta.insert(), [
                {"key": "project_id", "value": project_id},
                {"key": "created_at", "value": M.now()},
                {"key": keys.FINGERPRINT_KEY, "value": keys.fingerprint(key)},
                {"key": "label_key", "value": new_secret()},
            ])
            audit.record(conn, role, "create", None, schema_version=S.SCHEMA_VERSION)

        try:
            E.write(engine, init)
        except Exception:
            if key_path is not None:
                key_path.unlink(missing_ok=True)
            raise
        project = cls(engine, role=role, path=path, key_file=key_file)
        if framework is not None:
            project.add_framework(framework)
        return project

    @classmethod
    def open(cls, path_or_url: str | Path, *, role: str = "researcher", upgrade: bool = True,
             key_file: str | Path | None = None) -> Project:
        """Open an existing project, upgrading its schema when it is older.

        Before upgrading a SQLite file, a copy is kept next to it
        (``<file>.v<old>.bak``); each migration step runs in one transaction. Upgrading a
        project that still holds its pseudonymisation key (schema < 9) moves the key out,
        to ``key_file`` or the default key file (see :mod:`coopeval.store.keys`), and
        erases it from the file and from the copy.

        Raises
        ------
        StoreError
            No project there, a project from a newer coopeval, or an old schema with
            ``upgrade=False``.
        """
        url, path = E.resolve(path_or_url)
        if path is not None and not path.is_file():
            bad_param("path_or_url", "an existing project file (create it with Project.create)", str(path), StoreError)
        if path is not None:
            E.check_sqlite_file(path)
        engine = E.make_engine(url)
        version = E.read(engine, M.installed_version)
        if version is None:
            bad_param("path_or_url", "a coopeval project", "an empty database", StoreError)
        todo = M.pending(version)
        if todo and not upgrade:
            raise StoreError(f"schema version: expected {S.SCHEMA_VERSION}, found {version} (open with upgrade=True)")
        if todo and path is not None:
            _backup(path, path.with_name(f"{path.name}.v{version}.bak"))
        for step in todo:
            def run(conn: sa.Connection, step: M.Migration = step) -> None:
                if conn.dialect.name == "postgresql":  # one upgrader at a time (SQLite: BEGIN IMMEDIATE)
                    conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7346235)")
                installed = M.installed_version(conn)
                if installed is not None and installed >= step.version:  # another process upgraded it
                    return
                conn.info["coopeval_key_file"] = key_file  # read by the step that moves the key out
                M.apply(conn, step)
                audit.record(conn, role, "migrate", None, to_version=step.version, description=step.description)
            E.write(engine, run)
        if todo and path is not None:
            keys.scrub_sqlite(path, path.with_name(f"{path.name}.v{version}.bak"))
        return cls(engine, role=role, path=path, key_file=key_file)

    def as_role(self, role: str) -> Project:
        """The same project seen with another role (shares the connection pool)."""
        other = type(self)(self.engine, role=role, path=self.path, key_file=self.key_file)
        other._fw_cache = self._fw_cache
        return other

    def close(self) -> None:
        """Release the connections."""
        self.engine.dispose()

    def __enter__(self) -> Project:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __repr__(self) -> str:
        where = self.path or self.engine.url.render_as_string(hide_password=True)
        return f"<coopeval Project {where} role={self.role}>"

    @property
    def url(self) -> str:
        """The database URL (password hidden)."""
        return self.engine.url.render_as_string(hide_password=True)

    @property
    def schema_version(self) -> int:
        """Schema version of the project."""
        version = E.read(self.engine, M.installed_version)
        if version is None:
            raise StoreError("schema version: expected a coopeval project, found an empty database")
        return version

    # ------------------------------------------------------------------ helpers
    def _require(self, *roles: str) -> None:
        if self.role not in roles:
            raise StoreError(f"role: this operation needs the role {' or '.join(roles)}, "
                             f"the project was opened as {self.role!r}")

    def _write(self, fn: Callable[[sa.Connection], _T], *, parents_checked: bool = False) -> _T:
        return E.write(self.engine, fn, parents_checked=parents_checked)

    def _read(self, fn: Callable[[sa.Connection], _T]) -> _T:
        return E.read(self.engine, fn)

    def _frame(self, query: sa.Select) -> pd.DataFrame:
        def run(conn: sa.Connection) -> pd.DataFrame:
            res = conn.execute(query)
            keys = list(res.keys())
            # the store has no column type that SQLAlchemy converts on SQLite: read the driver's
            # tuples (a DataFrame built from Row objects probes each row's attributes: slow)
            data = res.cursor.fetchall() if conn.dialect.name == "sqlite" else [tuple(r) for r in res.all()]
            return pd.DataFrame(data, columns=keys)
        with gc_paused():  # the rows are plain tuples: no cycle for the collector to find
            return self._read(run)

    def setting(self, key: str) -> str | None:
        """A project setting (e.g. ``"min_group_size"``)."""
        return self._read(lambda c: c.execute(sa.select(S.settings.c.value).where(S.settings.c.key == key)).scalar())

    def set_setting(self, key: str, value: object) -> None:
        """Change a project setting (researcher only; audited).

        The value is validated now (see :mod:`coopeval.store.settings` for the known keys):
        a bad value raises :class:`StoreError` and nothing is written.
        """
        self._require("researcher")
        text = settings.validate(key, value)

        def run(conn: sa.Connection) -> None:
            conn.execute(S.settings.delete().where(S.settings.c.key == key))
            conn.execute(S.settings.insert().values(key=key, value=text))
            audit.record(conn, self.role, "set_setting", key, value=text)
        self._write(run)

    # ------------------------------------------------------------------ pseudonymisation key
    def key_path(self) -> Path:
        """The key file this project reads its pseudonymisation key from (unless the environment
        variable ``COOPEVAL_PSEUDONYM_KEY`` is set); see :mod:`coopeval.store.keys`."""
        if self.key_file is not None:
            return self.key_file
        project_id = self._read(lambda c: c.execute(
            sa.select(S.meta.c.value).where(S.meta.c.key == "project_id")).scalar())
        return keys.default_key_path(self.path, str(project_id))

    def _pseudonym_key(self) -> str:
        """The project's secret pseudonymisation key (researcher only), read from outside the project.

        Raises
        ------
        StoreError
            No key available (the project can be read, but not receive identified data),
            or a key that is not this project's.
        """
        self._require("researcher")
        expected = self._read(lambda c: c.execute(
            sa.select(S.meta.c.value).where(S.meta.c.key == keys.FINGERPRINT_KEY)).scalar())
        where = self.key_path()
        key = keys.read_key(where, expected)
        if key is None:
            raise StoreError(f"pseudonymisation key: expected the environment variable {keys.ENV_VAR} or the key "
                             f"file {where}, found neither; the project can be read but cannot receive new "
                             "identified responses (import already pseudonymised ones with pseudonymise=False)")
        return key

    # ------------------------------------------------------------------ audit log and counts
    def audit(self) -> pd.DataFrame:
        """The audit log (researcher only): ``id, at, role, action, target, detail``."""
        self._require("researcher")
        return self._read(audit.frame)

    def counts(self) -> dict[str, int]:
        """Number of rows of every table (no content: any role)."""
        def run(conn: sa.Connection) -> dict[str, int]:
            return {name: conn.execute(sa.select(sa.func.count()).select_from(S.metadata.tables[name])).scalar_one()
                    for name in S.TABLE_ORDER}
        return self._read(run)

    # ------------------------------------------------------------------ export / import
    def export(self, folder: str | Path, *, include_secrets: bool = False) -> Path:
        """Export the whole project to a folder of CSV + YAML (see :mod:`coopeval.store.export`)."""
        from coopeval.store.export import export_project

        self._require("researcher")
        return export_project(self, folder, include_secrets=include_secrets)

    @classmethod
    def import_folder(cls, folder: str | Path, path_or_url: str | Path, *, progress: Progress = None,
                      key_file: str | Path | None = None) -> Project:
        """Create a new project from an exported folder (all or nothing); ``key_file``: the source
        project's key file, to keep the same pseudonyms (see :func:`coopeval.store.export.import_project`)."""
        from coopeval.store.export import import_project

        engine, path = import_project(folder, path_or_url, progress=progress, key_file=key_file)
        return cls(engine, role="researcher", path=path)

    @classmethod
    def create_sample(cls, path_or_url: str | Path, *, facilitator_secret: str | None = None) -> Project:
        """Create (or reopen) the sample project built from the bundled datasets.

        Idempotent: a second call opens the existing sample. ``facilitator_secret``: set before
        the sample's links are issued, so that they can be listed again. See
        :func:`coopeval.store.sample_project`.
        """
        from coopeval.store.sample import sample_project

        return sample_project(path_or_url, project_cls=cls, facilitator_secret=facilitator_secret)


def _backup(path: Path, target: Path) -> None:
    """Consistent copy of a live SQLite file (WAL included), with SQLite's backup API."""
    src = sqlite3.connect(path, timeout=E.BUSY_TIMEOUT_S)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
