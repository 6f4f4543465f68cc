"""The :class:`Project`: one evaluation kept in one SQLite file or PostgreSQL database."""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.framework import Framework, load_framework
from coopeval.store import audit, checks, keys, settings
from coopeval.store import engine as E
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.decisions import DecisionsMixin
from coopeval.store.deliberation import DeliberationMixin
from coopeval.store.facilitation import FacilitationMixin
from coopeval.store.facilitator import FacilitatorMixin
from coopeval.store.feedback import FeedbackMixin
from coopeval.store.links import LinksMixin
from coopeval.store.qualitative import QualitativeMixin
from coopeval.store.results import ResultsMixin
from coopeval.store.rows import (
    Records,
    bulk_cache,
    ensure_keys,
    gc_paused,
    insert_rows,
    opt,
    records,
)
from coopeval.store.tokens import new_secret, pseudonym

#: Roles a project can be opened with, and what they may do.
ROLES = {
    "researcher": "everything: imports, individual data, results, audit log",
    "facilitator": "sessions, participants and tokens, open/close rounds, collective view, "
                   "agreement inputs under pseudonymous labels",
    "collective": "aggregated views only (groups under the minimum size suppressed)",
    "participant": "with a token: what it gives access to, submit own judgements, own feedback",
}
_CHUNK = 500
#: Frameworks already read, by hash (process-wide: a hash names one immutable content).
_FRAMEWORKS: dict[str, Framework] = {}
Progress = Callable[[int, int], None] | None


class Project(DeliberationMixin, FacilitationMixin, FacilitatorMixin, LinksMixin, FeedbackMixin, ResultsMixin,
              QualitativeMixin, DecisionsMixin):
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
                if M.installed_version(conn) >= step.version:  # another process upgraded it
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
        return E.read(self.engine, M.installed_version)

    # ------------------------------------------------------------------ helpers
    def _require(self, *roles: str) -> None:
        if self.role not in roles:
            raise StoreError(f"role: this operation needs the role {' or '.join(roles)}, "
                             f"the project was opened as {self.role!r}")

    def _write(self, fn: Callable[[sa.Connection], Any]) -> Any:
        return E.write(self.engine, fn)

    def _read(self, fn: Callable[[sa.Connection], Any]) -> Any:
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

    # ------------------------------------------------------------------ frameworks
    def add_framework(self, framework: Framework | str | Path) -> str:
        """Register a framework version (idempotent); returns its hash (``fw.hash``)."""
        self._require("researcher")
        return self._add_framework(framework)

    def _add_framework(self, framework: Framework | str | Path) -> str:
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

    def frameworks(self) -> pd.DataFrame:
        """Framework versions stored: ``hash, framework_id, version, title_fr, created_at``, oldest first."""
        t = S.frameworks
        return self._frame(sa.select(t.c.hash, t.c.framework_id, t.c.version, t.c.title_fr, t.c.created_at)
                           .order_by(t.c.created_at, t.c.hash))

    def framework(self, ref: str | Framework | None = None) -> Framework:
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

    def _framework_hash(self, framework: Framework | str | None) -> tuple[Framework, str]:
        if isinstance(framework, Framework):
            return framework, self.add_framework(framework)
        fw = self.framework(framework)
        return fw, fw.hash

    # ------------------------------------------------------------------ units and waves
    def add_units(self, units: pd.DataFrame) -> int:
        """Add or update units: columns ``unit`` (+ optional ``name, type, parent, territory``).

        Returns the number of units written. A ``parent`` must be a unit already stored
        or given in the same table.
        """
        self._require("researcher")
        df = checks._require_columns(units, ["unit"], "units", StoreError)
        rows = [{"unit": str(r["unit"]), **{c: opt(r.get(c)) for c in ("name", "type", "parent", "territory")}}
                for r in df.to_dict("records")]
        rows.sort(key=lambda r: r["parent"] is not None)  # parents first

        return self._write(lambda conn: self._upsert(conn, S.units, "unit", rows, "add_units"))

    def units(self) -> pd.DataFrame:
        """Units: ``unit, name, type, parent, territory``."""
        return self._frame(sa.select(S.units).order_by(S.units.c.unit))

    def add_waves(self, waves: pd.DataFrame) -> int:
        """Add or update waves: columns ``wave`` (+ optional ``label, date``). Returns the count."""
        self._require("researcher")
        df = checks._require_columns(waves, ["wave"], "waves", StoreError)
        rows = [{"wave": str(r["wave"]), "label": opt(r.get("label")), "date": opt(r.get("date"))}
                for r in df.to_dict("records")]

        return self._write(lambda conn: self._upsert(conn, S.waves, "wave", rows, "add_waves"))

    def _upsert(self, conn: sa.Connection, table: sa.Table, key: str, rows: list[dict], action: str) -> int:
        """Insert or update ``rows`` of ``table`` by ``key``, then audit ``action``."""
        E.upsert(conn, table, rows, key)
        audit.record(conn, self.role, action, None, n=len(rows))
        return len(rows)

    def waves(self) -> pd.DataFrame:
        """Waves: ``wave, label, date``."""
        return self._frame(sa.select(S.waves).order_by(S.waves.c.wave))

    # ------------------------------------------------------------------ imports
    def _import(self, kind: str, table: pd.DataFrame, rows: Records, fw_hash: str, source: str | None,
                progress: Progress, before: Callable[[sa.Connection, int], None] | None = None) -> int:
        digest = hashlib.sha256(pd.util.hash_pandas_object(table, index=False).values.tobytes()).hexdigest()
        target, key = _TARGETS[kind]

        def run(conn: sa.Connection) -> int:
            ensure_keys(conn, S.units, "unit", set(table["unit"].unique()))
            ensure_keys(conn, S.waves, "wave", set(table["wave"].unique()))
            import_id = conn.execute(S.imports.insert().values(
                kind=kind, source=source, sha256=digest, framework_hash=fw_hash, n_rows=len(rows),
                at=M.now(), role=self.role).returning(S.imports.c.id)).scalar_one()
            if before is not None:
                before(conn, import_id)
            start = 0
            try:  # one savepoint: after a conflict we can still look for its row (the rows before it
                # come from the same checked, duplicate-free table, so the conflict is with a stored row)
                with bulk_cache(conn), conn.begin_nested():
                    for start in range(0, len(rows), _CHUNK):
                        insert_rows(conn, target, rows[start:start + _CHUNK], import_id=import_id)
                        if progress is not None:
                            progress(min(start + _CHUNK, len(rows)), len(rows))
            except sa.exc.IntegrityError as err:
                raise StoreError(_conflict(conn, kind, target, key, rows, start, source, err)) from None
            audit.record(conn, self.role, f"import_{kind}", str(import_id), n=len(rows), source=source,
                         sha256=digest, framework=fw_hash)
            return len(rows)
        return self._write(run)

    def import_observations(self, obs: pd.DataFrame, framework: Framework | str | None = None, *,
                            source: str | None = None, progress: Progress = None) -> int:
        """Validate and store observations in one transaction (one bad row: nothing written).

        Parameters
        ----------
        obs : DataFrame
            ``unit, wave, indicator, value`` (+ optional ``source, note``).
        framework : Framework or str, optional
            Framework to validate against (default: the latest stored).
        source : str, optional
            File name, recorded in the import log and used in error messages.
        progress : callable, optional
            ``progress(done, total)`` called after each chunk of rows.

        Returns
        -------
        int
            Number of rows written.

        Raises
        ------
        DataError
            Every invalid row (line numbers when ``source`` is a file).
        StoreError
            Rows already stored for the same unit, wave and indicator.
        """
        self._require("researcher")
        fw, fw_hash = self._framework_hash(framework)
        clean = checks.observations(obs, fw, source=source)
        rows = records(clean)
        return self._import("observations", clean, rows, fw_hash, source, progress)

    def observations(self, wave: str | None = None) -> pd.DataFrame:
        """Stored observations: ``unit, wave, indicator, value, source, note``."""
        self._require("researcher", "facilitator", "collective")
        t = S.observations
        q = sa.select(t.c.unit, t.c.wave, t.c.indicator, t.c.value, t.c.source, t.c.note).order_by(t.c.id)
        if wave is not None:
            q = q.where(t.c.wave == str(wave))
        df = self._frame(q)
        df["value"] = df["value"].astype(float)
        return df

    def import_responses(self, responses: pd.DataFrame, framework: Framework | str | None = None, *,
                         source: str | None = None, pseudonymise: bool = True, progress: Progress = None) -> int:
        """Validate, pseudonymise and store survey responses in one transaction.

        ``respondent`` is replaced by ``r_`` + HMAC-SHA-256 with the project's key
        (the same person gets the same pseudonym in every wave); pass
        ``pseudonymise=False`` only for identifiers already pseudonymised.
        Returns the number of rows written; raises like :meth:`import_observations`.
        """
        self._require("researcher")
        fw, fw_hash = self._framework_hash(framework)
        clean = checks.responses(responses, fw, source=source)
        codes, people = pd.factorize(clean["respondent"])  # one HMAC per respondent, not per row
        if pseudonymise:
            key = self._pseudonym_key()
            people = np.array([pseudonym(r, key) for r in people], dtype=object)
            clean = clean.assign(respondent=pd.Series(people[codes], index=clean.index, dtype=str))
        rows = records(clean)

        def before(conn: sa.Connection, _import_id: int) -> None:
            ensure_keys(conn, S.respondents, "respondent", set(people), created_at=M.now())
        return self._import("responses", clean, rows, fw_hash, source, progress, before)

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

    def responses(self, wave: str | None = None) -> pd.DataFrame:
        """Stored (pseudonymised) responses: ``respondent, unit, wave, college, item, value`` (researcher only)."""
        self._require("researcher")
        t = S.responses
        q = sa.select(t.c.respondent, t.c.unit, t.c.wave, t.c.college, t.c.item, t.c.value).order_by(t.c.id)
        if wave is not None:
            q = q.where(t.c.wave == str(wave))
        df = self._frame(q)
        df["value"] = df["value"].astype(float)
        return df

    def import_resources(self, resources: pd.DataFrame, framework: Framework | str | None = None, *,
                         source: str | None = None, progress: Progress = None) -> int:
        """Validate and store the resources of the socio-economic model in one transaction.

        Resources are what a cooperation lives on: sales (*marchand*), subsidies, grants
        and donations (*non marchand*), volunteering and premises or goods lent
        (*non monétaire*) — the triptych of the report (Labo de l'ESS, 2024) read by
        :func:`coopeval.valuation.resources_profile`. One bad row: nothing written; the
        import is logged in ``imports`` and in the audit log like observations.

        Parameters
        ----------
        resources : DataFrame
            ``unit, wave, source, category, amount, unit_of_measure``, as
            ``ce.datasets.load("panel_synthetique")["resources"]``: ``source`` who provides
            the resource, ``category`` one of ``marchand, non_marchand, non_monetaire`` (or
            ``market, non_market, non_monetary``), ``amount`` >= 0 expressed in
            ``unit_of_measure`` (``euros``, ``h``…). Units and waves not yet stored are added.
        framework : Framework or str, optional
            Framework version recorded with the import (default: the latest stored).
        source : str, optional
            File name, recorded in the import log and used in error messages.
        progress : callable, optional
            ``progress(done, total)`` called after each chunk of rows.

        Returns
        -------
        int
            Number of rows written.

        Raises
        ------
        DataError
            Every invalid row (missing columns or ids, unknown category, negative or
            non-numeric amount, duplicated ``unit, wave, source, category, unit_of_measure``).
        StoreError
            Rows already stored with the same key.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
        ...                       framework="cooperation_territoriale")
        >>> p.import_resources(ce.datasets.load("panel_synthetique")["resources"])
        310
        >>> p.resources(wave=1).groupby("category")["amount"].size().to_dict()
        {'marchand': 12, 'non_marchand': 60, 'non_monetaire': 30}
        """
        self._require("researcher")
        _fw, fw_hash = self._framework_hash(framework)
        clean = checks.resources(resources, source=source)
        rows = records(clean)
        return self._import("resources", clean, rows, fw_hash, source, progress)

    def resources(self, wave: str | None = None) -> pd.DataFrame:
        """Stored resources: ``unit, wave, source, category, amount, unit_of_measure`` (import order).

        Readable by the researcher, facilitator and collective roles (resources are the
        cooperation's accounts, not personal data).
        """
        self._require("researcher", "facilitator", "collective")
        t = S.resources
        q = sa.select(t.c.unit, t.c.wave, t.c.source, t.c.category, t.c.amount, t.c.unit_of_measure).order_by(t.c.id)
        if wave is not None:
            q = q.where(t.c.wave == str(wave))
        df = self._frame(q)
        df["amount"] = df["amount"].astype(float)
        return df

    def import_ledger(self, ledger: pd.DataFrame, conventions: pd.DataFrame | None = None, *,
                      wave: str | None = None, source: str | None = None) -> int:
        """Issue 18: store an externality ledger and its conventions (see :mod:`coopeval.store.ledger`)."""
        from coopeval.store.ledger import import_ledger

        self._require("researcher")
        return import_ledger(self, ledger, conventions, wave=wave, source=source)

    def ledger(self, wave: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Issue 18: stored ledger and conventions, readable like the resources (accounts, not personal data)."""
        from coopeval.store.ledger import read_ledger

        self._require("researcher", "facilitator", "collective")
        return read_ledger(self, wave)

    def imports(self) -> pd.DataFrame:
        """Import log: ``id, kind, source, sha256, framework_hash, n_rows, at, role``."""
        return self._frame(sa.select(S.imports).order_by(S.imports.c.id))

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
    def create_sample(cls, path_or_url: str | Path) -> Project:
        """Create (or reopen) the sample project built from the bundled datasets.

        Idempotent: a second call opens the existing sample. See :func:`coopeval.store.sample_project`.
        """
        from coopeval.store.sample import sample_project

        return sample_project(path_or_url, project_cls=cls)


#: Table of each import kind, and the key that makes a row unique (for conflict messages).
_TARGETS = {
    "observations": (S.observations, "unit, wave, indicator"),
    "responses": (S.responses, "respondent, unit, wave, item"),
    "resources": (S.resources, "unit, wave, source, category, unit_of_measure"),
}


def _conflict(conn: sa.Connection, kind: str, target: sa.Table, key: str, rows: list[dict], start: int,
              source: str | None, err: Exception) -> str:
    """Message naming the first row of ``rows[start:start + _CHUNK]`` already stored, and its key."""
    cols = [c.strip() for c in key.split(",")]
    chunk = rows[start:start + _CHUNK]
    if hasattr(chunk, "cols"):  # Records (tuples with their column names): as dicts
        chunk = [dict(zip(chunk.cols, r, strict=True)) for r in chunk.rows]
    first = cols[0]
    stored = {tuple(r) for r in conn.execute(sa.select(*[target.c[c] for c in cols]).where(
        target.c[first].in_({r[first] for r in chunk})))}
    for i, row in enumerate(chunk, start=start):
        values = tuple(row[c] for c in cols)
        if values in stored:
            shown = ", ".join(f"{c}={v!r}" for c, v in zip(cols, values, strict=True))
            return (f"{kind}: {checks._where(source, i)} ({shown}) is already stored; nothing was written "
                    f"(import only new rows, or another wave)")
    return f"{kind}: rows {start}–{start + len(chunk) - 1}: a constraint refused them; nothing was written ({err})"


def _backup(path: Path, target: Path) -> None:
    """Consistent copy of a live SQLite file (WAL included), with SQLite's backup API."""
    src = sqlite3.connect(path, timeout=E.BUSY_TIMEOUT_S)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()
