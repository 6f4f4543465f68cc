"""Connecting to a project: SQLite file (default) or PostgreSQL URL, and safe transactions.

SQLite files are opened in WAL mode (readers never block the writer), with foreign
keys enforced, ``synchronous=NORMAL`` (durable at each checkpoint, never corrupt)
and a busy timeout; every write transaction starts with ``BEGIN IMMEDIATE`` so that
concurrent writers queue on the busy timeout instead of failing on a lock upgrade.
On PostgreSQL transactions run at READ COMMITTED with row locks where needed
(see :meth:`coopeval.store.Project.submit`); serialisation failures and deadlocks
are retried.
"""

from __future__ import annotations

import contextlib
import os
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar, cast

import sqlalchemy as sa
from sqlalchemy import event

from coopeval.errors import StoreError, bad_param

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

T = TypeVar("T")

#: Seconds a SQLite writer waits for the lock before giving up.
BUSY_TIMEOUT_S = 60


def resolve(path_or_url: str | Path) -> tuple[sa.URL, Path | None]:
    """The SQLAlchemy URL of a project, and its file path for SQLite.

    A plain path (``"eval.coopeval"``, ``Path(...)``) is a SQLite file; a URL
    (``"postgresql+psycopg://user@host/db"``, ``"sqlite:///file.db"``) is used as is
    (``postgresql://`` is read as ``postgresql+psycopg://``).
    """
    if isinstance(path_or_url, sa.URL):
        path_or_url = path_or_url.render_as_string(hide_password=False)
    if isinstance(path_or_url, Path) or (isinstance(path_or_url, str) and "://" not in path_or_url):
        if not str(path_or_url).strip():
            bad_param("path_or_url", "a file path or a database URL", path_or_url, StoreError)
        path = Path(path_or_url).expanduser().resolve()
        return sa.URL.create("sqlite", database=str(path)), path
    if not isinstance(path_or_url, str):
        bad_param("path_or_url", "a file path or a database URL", path_or_url, StoreError)
    try:
        url = sa.make_url(path_or_url)
    except sa.exc.ArgumentError:
        bad_param("path_or_url", "a file path or a database URL", path_or_url, StoreError)
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() == "sqlite":
        if not url.database or url.database == ":memory:":
            bad_param("path_or_url", "a SQLite file (an in-memory database cannot be shared)",
                      path_or_url, StoreError)
        return url, Path(url.database).expanduser().resolve()
    if url.get_backend_name() != "postgresql":
        bad_param("path_or_url", "a SQLite path or a postgresql+psycopg:// URL", path_or_url, StoreError)
    return url, None


def check_sqlite_file(path: Path) -> None:
    """Refuse, with a clear :class:`StoreError`, a file that is not a SQLite database.

    The file is read through SQLite, never with :func:`open`: closing any descriptor of a
    database file drops every POSIX lock this process holds on it, those of a project already
    open in the same process included; another process then believed itself alone, reset the
    write-ahead log, and the open project read stale or "malformed" pages (SQLite, « How To
    Corrupt An SQLite Database File », section 2.2; found by ``tests/dashboards/test_doors.py``).
    SQLite shares one descriptor and its locks between the connections of a process.
    """
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_S)
    except sqlite3.Error as err:
        bad_param("path_or_url", "a readable project file", f"{path} ({err})", StoreError)
    try:
        conn.execute("PRAGMA schema_version").fetchone()
    except sqlite3.DatabaseError as err:
        if "not a database" in str(err):
            raise StoreError(f"parameter `path_or_url`: expected a coopeval project (a SQLite file), "
                             f"got {path}: not a SQLite database") from None
        bad_param("path_or_url", "a readable project file", f"{path} ({err})", StoreError)
    finally:
        conn.close()


def make_engine(url: sa.URL) -> sa.Engine:
    """An engine configured for coopeval (pragmas and transaction mode on SQLite)."""
    if url.get_backend_name() == "sqlite":
        engine = sa.create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_S})

        @event.listens_for(engine, "connect")
        def _connect(dbapi_conn, _record):  # noqa: ANN001
            dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_S * 1000}")
            cur.close()

        @event.listens_for(engine, "begin")
        def _begin(conn):  # noqa: ANN001
            read_only = conn.get_execution_options().get("coopeval_read", False)
            conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")

        return engine
    try:
        engine = sa.create_engine(url)
    except ModuleNotFoundError as err:
        raise StoreError(
            f"PostgreSQL driver: expected `psycopg` to be installed (pip install 'coopeval[postgres]'), "
            f"found {err}"
        ) from None
    _ping_when_idle(engine)
    return engine


#: A pooled PostgreSQL connection idle for longer than this is tested before it is used again.
PING_AFTER_IDLE_S = 10.0


def _ping_when_idle(engine: sa.Engine) -> None:
    """Test a pooled connection before use only when it sat idle in the pool (issue 16).

    ``pool_pre_ping`` tests every connection at every checkout: one more round trip for each
    transaction (two per submission). A connection used again within :data:`PING_AFTER_IDLE_S`
    seconds was alive a moment ago; one idle for longer (a server restarted meanwhile, a firewall
    that drops idle sockets) is tested, and replaced when the test fails, as with pre-ping.
    """

    @event.listens_for(engine, "checkin")
    def _checkin(_dbapi_conn, record) -> None:  # noqa: ANN001
        record.info["coopeval_idle_since"] = time.monotonic()

    @event.listens_for(engine, "checkout")
    def _checkout(dbapi_conn, record, _proxy) -> None:  # noqa: ANN001
        since = record.info.get("coopeval_idle_since")
        if since is None or time.monotonic() - since < PING_AFTER_IDLE_S:
            return
        try:
            alive = engine.dialect.do_ping(dbapi_conn)
        except engine.dialect.loaded_dbapi.Error:
            alive = False
        if not alive:
            raise sa.exc.DisconnectionError("coopeval: a pooled connection was closed by the server")


def _dialect_insert(conn: sa.Connection, table: sa.Table):  # noqa: ANN202
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)


def insert_missing(conn: sa.Connection, table: sa.Table, rows: list[dict], key: str) -> None:
    """Insert ``rows``, skipping those whose ``key`` is already stored — also when a concurrent
    transaction adds the same key at the same moment (``INSERT … ON CONFLICT DO NOTHING``,
    on SQLite and PostgreSQL), so that two imports adding the same new wave both succeed."""
    if rows:
        conn.execute(_dialect_insert(conn, table).on_conflict_do_nothing(index_elements=[key]), rows)


def upsert(conn: sa.Connection, table: sa.Table, rows: list[dict], key: str) -> None:
    """Insert ``rows`` or update those whose ``key`` exists (``ON CONFLICT DO UPDATE``: race-free)."""
    for row in rows:
        stmt = _dialect_insert(conn, table).values(**row)
        others = {c: stmt.excluded[c] for c in row if c != key}
        conn.execute(stmt.on_conflict_do_update(index_elements=[key], set_=others) if others
                     else stmt.on_conflict_do_nothing(index_elements=[key]))


def _retryable(err: sa.exc.DBAPIError) -> bool:
    code = getattr(err.orig, "sqlstate", None) or getattr(err.orig, "pgcode", None)
    if code in ("40001", "40P01"):
        return True
    text = str(err.orig).lower()
    return "database is locked" in text or "database is busy" in text


@contextlib.contextmanager
def _writer_turn(engine: sa.Engine) -> Iterator[None]:
    """On SQLite, wait for the writer's turn on a lock file beside the project (``<file>-writer.lock``).

    SQLite's busy handler polls the database lock with sleeps of up to 100 ms, so under many
    concurrent writers some wait for seconds while the lock is free most of the time (issue 16:
    p99 of 7–9 s for 1,000 submissions from 32 clients). Queuing coopeval's writers on an
    ``flock`` wakes the next one as soon as the lock is released; the busy timeout remains for
    writers outside coopeval. No-op on PostgreSQL and where ``fcntl`` is missing (Windows).
    """
    db = engine.url.database if engine.url.get_backend_name() == "sqlite" else None
    if not db or fcntl is None:
        yield
        return
    fd = os.open(f"{db}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


@contextlib.contextmanager
def _foreign_keys_off(conn: sa.Connection, off: bool) -> Iterator[None]:
    """With ``off``, SQLite's foreign-key enforcement off for the transaction opened inside, and back on
    after it (the pragma cannot change within a transaction). A connection on which it cannot be
    turned back on is discarded from the pool. No-op elsewhere than on SQLite and without ``off``."""
    if not off or conn.dialect.name != "sqlite":
        yield
        return
    # outside a transaction: the driver does not open one
    dbapi = cast(sqlite3.Connection, conn.connection.dbapi_connection)
    dbapi.execute("PRAGMA foreign_keys=OFF")
    try:
        yield
    finally:
        try:
            dbapi.execute("PRAGMA foreign_keys=ON")
            restored = dbapi.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        except sqlite3.Error:
            restored = False
        if not restored:
            conn.invalidate()


def write(engine: sa.Engine, fn: Callable[[sa.Connection], T], *, attempts: int = 8,
          parents_checked: bool = False) -> T:
    """Run ``fn(conn)`` in one write transaction, retrying on lock conflicts and serialisation failures.

    Everything ``fn`` does is committed together or not at all. ``parents_checked``: ``fn`` itself
    writes or checks, in its transaction, the parent of every foreign key of every row it writes
    (a bulk import, :meth:`coopeval.store.Project._import`), so SQLite's per-row enforcement
    is turned off for that transaction (:func:`_foreign_keys_off`; issue 21: a sixth of the time of
    340,000 responses). Every other transaction keeps it.
    """
    for attempt in range(attempts):
        try:
            # the connection is taken from the pool before the writer's turn: on SQLite only the
            # transaction itself runs while other writers wait (issue 16)
            with (engine.connect() as conn, _writer_turn(engine), _foreign_keys_off(conn, parents_checked),
                  conn.begin()):
                return fn(conn)
        except sa.exc.IntegrityError as err:
            raise StoreError(f"database: a constraint refused the write, nothing was written ({err.orig})") from err
        except sa.exc.OperationalError as err:
            if not _retryable(err) or attempt == attempts - 1:
                where = engine.url.render_as_string(hide_password=True)
                raise StoreError(f"database {where}: the write failed ({err.orig})") from err
            time.sleep(random.uniform(0.01, 0.05) * 2**attempt)  # noqa: S311 (jitter, not security)
        except sa.exc.StatementError as err:  # issue 16: e.g. a table given where an id was expected
            raise StoreError(f"database: expected text or numbers as identifiers and values, got a value the "
                             f"database cannot store ({type(err.orig).__name__}: {str(err.orig)[:120]}); "
                             "nothing was written") from None
    raise StoreError("database: the write failed")  # pragma: no cover


def read(engine: sa.Engine, fn: Callable[[sa.Connection], T]) -> T:
    """Run ``fn(conn)`` in one read transaction (a consistent snapshot on SQLite)."""
    try:
        with engine.connect().execution_options(coopeval_read=True) as conn:
            with conn.begin():
                return fn(conn)
    except sa.exc.StatementError as err:
        where = engine.url.render_as_string(hide_password=True)
        raise StoreError(f"database {where}: cannot read ({str(err.orig)[:200]})") from err
