"""Rows on their way into the store: plain Python values, and a fast insert on SQLite (issue 21)."""

from __future__ import annotations

import contextlib
import gc
import itertools
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

__all__ = ["Records", "bulk_cache", "ensure_keys", "gc_paused", "insert_rows", "missing_keys", "opt", "records"]

#: Page cache (KiB) of a connection during a bulk insert (SQLite's default is 2,000 KiB).
BULK_CACHE_KIB = 262144

_PLAIN = {str, int, float, bool, type(None)}


@dataclass(frozen=True)
class Records:
    """Rows to insert as tuples of plain Python values, with their column names."""

    cols: list[str]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)

    def __getitem__(self, sl: slice) -> Records:
        return Records(self.cols, self.rows[sl])

    @classmethod
    def of(cls, cols: list[str], columns: list[list]) -> Records:
        """Rows made of ``columns`` (lists of plain values, one per name in ``cols``)."""
        with gc_paused():
            return cls(cols, list(zip(*columns, strict=True)))

    def column(self, name: str) -> list:
        i = self.cols.index(name)
        return [r[i] for r in self.rows]


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while hundreds of thousands of rows are built.

    Every tuple or list created counts towards a collection, and the full collections that
    follow traverse every row already built: reading a 340,000-row CSV took 2.5x longer with
    the collector running. Rows of plain values hold no reference cycles, so nothing is left
    for the collector to find; it is re-enabled (if it was) on the way out.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def records(df: pd.DataFrame) -> Records:
    """Rows of plain Python values, None for missing (as :func:`opt` per cell, column by column)."""
    return Records.of([str(c) for c in df.columns], plain_columns(df))


def plain_columns(df: pd.DataFrame) -> list[list]:
    """The columns of ``df`` as lists of plain Python values (as :func:`records`' rows)."""
    with gc_paused():
        return [_plain(df[c]) for c in df.columns]


def _plain(s: pd.Series) -> list:
    """The values of ``s`` as plain Python values, None for missing (as :func:`opt` per cell).

    NumPy numbers and booleans become Python ones in ``tolist``; a column whose values are all
    ``str`` has no missing value (a missing text is a float NaN, None or NA): both are taken as they
    are, without looking for missing values first (issue 21: 0.3 → 0.2 s for 340,000 rows).
    """
    if isinstance(s.dtype, np.dtype) and s.dtype.kind in "biuf":
        return s.astype(object).where(s.notna(), None).tolist() if s.hasnans else s.tolist()
    values = s.tolist()
    if set(map(type, values)) == {str}:
        return values
    values = s.astype(object).where(s.notna(), None).tolist() if s.hasnans else values
    return values if set(map(type, values)) <= _PLAIN else [opt(v) for v in values]


def insert_rows(conn: sa.Connection, table: sa.Table, rows: Records | list[dict], **extra: Any) -> None:
    """Insert rows (:class:`Records`, or dicts with the same keys) plus ``extra`` columns. On SQLite
    the statement goes straight to the driver (SQLAlchemy's per-row parameter processing dominated
    imports of hundreds of thousands of rows), many rows to a statement (:func:`sqlite_many`);
    elsewhere through Core."""
    if not len(rows):
        return
    if not isinstance(rows, Records):
        rows = Records(list(rows[0]), [tuple(r.values()) for r in rows])
    if conn.dialect.name != "sqlite":
        conn.execute(table.insert(), [dict(zip(rows.cols, r, strict=True), **extra) for r in rows.rows])
        return
    # integer extras (the import's id) are written into the statement: the rows go as they are,
    # without a copy of every tuple to append the same values
    literal = all(isinstance(v, int) and not isinstance(v, bool) for v in extra.values())
    marks = ["?"] * len(rows.cols) + [str(int(v)) if literal else "?" for v in extra.values()]
    tail = () if literal else tuple(extra.values())
    with gc_paused():
        sqlite_many(conn, table, [*rows.cols, *extra], marks, [(*r, *tail) for r in rows.rows] if tail else rows.rows)


#: Rows to one SQLite statement at most (``VALUES (…), (…), …``), fewer if the parameters would
#: exceed the connection's limit.
ROWS_PER_STATEMENT = 500


def sqlite_many(conn: sa.Connection, table: sa.Table, cols: list[str], marks: list[str], rows: list[tuple],
                tail: str = "") -> None:
    """``INSERT INTO table (cols) VALUES (marks), (marks), … tail`` for every row of ``rows``, through
    SQLite's driver, :data:`ROWS_PER_STATEMENT` rows to a statement (issue 21).

    The driver's ``executemany`` of a one-row statement binds and steps the statement once per row;
    with 500 rows to a statement, SQLite alone inserted the benchmark's 340,000 responses in
    0.46-0.50 s against 0.82-1.28 s (in memory, four interleaved runs). The rows are inserted in
    their order (their generated ids follow it), in the caller's transaction.
    """
    group, head = f"({', '.join(marks)})", _sqlite_head(conn, table, cols)
    params = marks.count("?")
    if not params:  # every value is written into the statement
        conn.exec_driver_sql(head + group + tail, [()] * len(rows))
        return
    # the connection's limit (Python 3.11+), or SQLite's smallest default (999) before
    getlimit = getattr(conn.connection.dbapi_connection, "getlimit", None)
    which = getattr(sqlite3, "SQLITE_LIMIT_VARIABLE_NUMBER", None)
    limit = getlimit(which) if getlimit is not None and which is not None else 999
    per = max(1, min(ROWS_PER_STATEMENT, limit // params))
    whole = len(rows) - len(rows) % per
    if whole:
        flat, step = tuple(itertools.chain.from_iterable(rows[:whole])), per * params  # slices: tuples
        conn.exec_driver_sql(head + ", ".join([group] * per) + tail,
                             [flat[i:i + step] for i in range(0, len(flat), step)])
    if whole < len(rows):
        rest = rows[whole:]
        conn.exec_driver_sql(head + ", ".join([group] * len(rest)) + tail,
                             [tuple(itertools.chain.from_iterable(rest))])


def _sqlite_head(conn: sa.Connection, table: sa.Table, cols: list[str]) -> str:
    """``INSERT INTO table (cols) VALUES `` for SQLite's driver, names quoted."""
    quote = conn.dialect.identifier_preparer.quote
    return f"INSERT INTO {quote(table.name)} ({', '.join(quote(table.c[c].name) for c in cols)}) VALUES "  # noqa: S608


def opt(value: Any) -> Any:
    """None for missing values; plain Python scalars otherwise."""
    if value is None:
        return None
    try:
        if pd.isna(value):
            return None
    except (TypeError, ValueError):
        return value
    return value.item() if hasattr(value, "item") else value


def ensure_keys(conn: sa.Connection, table: sa.Table, key: str, values: set, **extra: Any) -> None:
    """Insert the missing ids of a parent table (units, waves, respondents); the stored ones are
    left as they are (``ON CONFLICT DO NOTHING``: a concurrent import of the same id is no conflict)."""
    if not values:
        return
    vals = sorted(values)
    if conn.dialect.name == "sqlite":  # through the driver; the stored ids are skipped by SQLite itself
        cols = [key, *extra]
        tail = tuple(extra.values())
        # numpy scalars as plain Python values (text is taken as it is)
        sqlite_many(conn, table, cols, ["?"] * len(cols), [(v if type(v) is str else opt(v), *tail) for v in vals],
                    f" ON CONFLICT ({conn.dialect.identifier_preparer.quote(table.c[key].name)}) DO NOTHING")
        return
    existing: set = set()
    for start in range(0, len(vals), 500):
        chunk = vals[start:start + 500]
        existing |= set(conn.execute(sa.select(table.c[key]).where(table.c[key].in_(chunk))).scalars())
    # ON CONFLICT DO NOTHING: a concurrent import adding the same unit or wave is not a conflict (issue 16)
    from coopeval.store.engine import insert_missing

    insert_missing(conn, table, [{key: v, **extra} for v in vals if v not in existing], key)


def key_rows(conn: sa.Connection, table: sa.Table, key: str, values: list, *cols: str, distinct: bool = False,
             within: dict[str, list] | None = None) -> list[tuple]:
    """``(key, *cols)`` of the rows of ``table`` whose ``key`` is one of ``values``, looked up by chunks
    of 500 (SQLite's limit may be 999); on SQLite through the driver (SQLAlchemy's expanding ``IN``
    took ten times longer for 20,000 respondents). ``distinct``: each tuple once per chunk. ``within``:
    only the rows whose column is one of the values given for it, when there are few enough to go
    with each chunk (not more than 400 in all; otherwise all the rows of the keys)."""
    out: list[tuple] = []
    quote = conn.dialect.identifier_preparer.quote
    names = [key, *cols]
    also = {c: list(v) for c, v in (within or {}).items()}
    if sum(map(len, also.values())) > 400:
        also = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        if conn.dialect.name == "sqlite":
            where = [f"{quote(table.c[c].name)} IN ({', '.join('?' * len(v))})"
                     for c, v in [(key, chunk), *also.items()]]
            sql = (f"SELECT {'DISTINCT ' if distinct else ''}{', '.join(quote(table.c[c].name) for c in names)} "  # noqa: S608
                   f"FROM {quote(table.name)} WHERE {' AND '.join(where)}")
            out += conn.exec_driver_sql(sql, (*chunk, *(x for v in also.values() for x in v))).fetchall()
        else:
            q = sa.select(*(table.c[c] for c in names)).where(table.c[key].in_(chunk),
                                                             *(table.c[c].in_(v) for c, v in also.items()))
            out += [tuple(r) for r in conn.execute(q.distinct() if distinct else q)]
    return out


def missing_keys(conn: sa.Connection, table: sa.Table, key: str, values: set) -> list:
    """The ``values`` absent from column ``key`` of ``table`` (sorted; looked up by chunks of 500).

    On SQLite a chunk is first counted through the driver (20,000 respondents: 0.02 s, where
    SQLAlchemy's expanding ``IN`` took 0.2 s); its values are listed only when some are missing.
    """
    col, vals, missing = table.c[key], sorted(values), []
    quote = conn.dialect.identifier_preparer.quote
    for start in range(0, len(vals), 500):
        chunk = vals[start:start + 500]
        if conn.dialect.name == "sqlite":
            sql = (f"SELECT count(*) FROM {quote(table.name)} WHERE {quote(col.name)} "  # noqa: S608
                   f"IN ({', '.join('?' * len(chunk))})")
            if conn.exec_driver_sql(sql, tuple(chunk)).scalar() == len(chunk):  # a key column: unique
                continue
        found = {r[0] for r in key_rows(conn, table, key, chunk)}
        missing += [v for v in chunk if v not in found]
    return missing


@contextlib.contextmanager
def bulk_cache(conn: sa.Connection, kib: int = BULK_CACHE_KIB) -> Iterator[None]:
    """A larger SQLite page cache for the duration of a bulk insert, restored afterwards.

    Inserting hundreds of thousands of rows updates unique indexes at random places; with
    SQLite's default 2 MB cache their pages are evicted and re-read over and over. The cache
    size changes memory use only, not what is written nor when it is committed. No-op
    elsewhere than on SQLite.
    """
    if conn.dialect.name != "sqlite":
        yield
        return
    old = conn.exec_driver_sql("PRAGMA cache_size").scalar() or -2000  # SQLite's default, 2 MB
    conn.exec_driver_sql(f"PRAGMA cache_size=-{int(kib)}")
    try:
        yield
    finally:
        conn.exec_driver_sql(f"PRAGMA cache_size={int(old)}")
