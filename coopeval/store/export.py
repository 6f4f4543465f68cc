"""Export a whole project to a folder of CSV + YAML, and import it back.

Layout of an export folder (readable without coopeval)::

    project.yaml                  format, schema version, coopeval version, date,
                                  row count and SHA-256 of every file
    frameworks/<id>-<hash12>.yaml one file per framework version (the exact stored YAML)
    frameworks.csv                hash, framework_id, version, title_fr, created_at, file
    results/result_<id>.json      each stored result table, exact (the JSON kept in the store);
                                  results.csv holds its provenance and the file name (`table_file`)
    results/result_<id>_<kind>.csv  each stored result as a plain table (for reading)
    <table>.csv                   every other table (UTF-8, header, empty cell = missing;
                                  floats written with full precision, so values round-trip exactly)

Exports of an older schema (from version :data:`OLDEST_IMPORTABLE`) are imported too:
tables added since (``resources``, version 3; ``externalities`` and ``conventions``, version 5; qualitative tables, version 6; ``links``, version 7) start empty.
Since version 11 ``responses.csv`` names each respondent by ``respondent_id`` (the ``id`` column of
``respondents.csv``); an older export names it by its pseudonym, and its respondents are numbered
in the order of ``respondents.csv``.

The project's pseudonymisation key is never exported: it is not in the project
(see :mod:`coopeval.store.keys`); only its fingerprint is. To keep the same pseudonyms
in the imported copy, give the key file to :func:`import_project` (``key_file=``) or
set ``COOPEVAL_PSEUDONYM_KEY``; without either, the copy can be read but receives no
new identified responses. Tokens are only ever stored as hashes, which are exported so
that participants keep their access. Import checks the checksums, recreates the project in one
transaction (all or nothing) and appends an ``import_project`` entry to the
audit log, after the exported entries.
"""

from __future__ import annotations

import contextlib
import csv
import hashlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import sqlalchemy as sa
import yaml

from coopeval._version import __version__
from coopeval.errors import StoreError, bad_param
from coopeval.framework import Framework
from coopeval.store import audit, keys
from coopeval.store import engine as E
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.results import table_from_json
from coopeval.store.rows import Records, bulk_cache, gc_paused, insert_rows

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator, Mapping, Sequence

    from coopeval.store.project import Project

    #: Columns of the current schema computed from a column of an older export: name -> (the
    #: export's column, function of its cells).
    Derived = dict[str, tuple[str, Callable[[Sequence[str]], list]]]

FORMAT = "coopeval-project-export"
FORMAT_VERSION = 1
#: Oldest schema version whose exports can be imported (v1 named units' columns differently).
OLDEST_IMPORTABLE = 2
#: Tables added after that version: absent from older exports, imported empty.
_ADDED_IN = {"resources": 3, "externalities": 5, "conventions": 5, "extracts": 6, "codebook": 6, "codes": 6,
             "actions": 6, "links": 7}  # links: issue 23


#: Schema version from which responses refer to their respondent by ``respondents.id``.
_RESPONDENT_IDS = 11


def _numbered_respondents(data: dict, path: Path) -> Derived:
    """An export of schema 10 or older: its respondents (``data["respondents"]``) numbered in file
    order, and how its responses' ``respondent`` (the pseudonym in ``path``) becomes that number,
    ``respondent_id`` (schema 11), for :func:`_plain_rows`."""
    who = cast(Records, data["respondents"])
    data["respondents"] = Records(["id", *who.cols], [(i, *r) for i, r in enumerate(who.rows, start=1)])
    number = {r[who.cols.index("respondent")]: i for i, r in enumerate(who.rows, start=1)}

    def ids(pseudonyms: Sequence[str]) -> list:
        try:
            return [number[v] for v in pseudonyms]
        except KeyError as err:
            line = list(pseudonyms).index(err.args[0]) + 2
            raise StoreError(f"{path}, line {line}: respondent {err.args[0]!r} is not in respondents.csv; "
                             "nothing was imported") from None

    return {"respondent_id": ("respondent", ids)}


def _write_csv(path: Path, cols: list[str], rows: Any) -> str:
    """Write a header and rows; returns the file's SHA-256. The csv module writes None as an empty
    cell, floats with ``repr`` (exact round trip) and everything else with ``str``."""
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(cols)
        writer.writerows(rows)
    return _sha(path)


def _kind(column: sa.Column) -> Callable[[str], Any] | None:
    """``int`` or ``float`` for a number column, None for text."""
    return int if isinstance(column.type, sa.Integer) else float if isinstance(column.type, sa.Double | sa.Float) \
        else None


def _parser(column: sa.Column) -> Callable[[str], Any]:
    """The function reading one cell of ``column`` (chosen once per column, not per cell)."""
    kind = _kind(column)
    if column.nullable:
        if kind is None:
            return lambda v: None if v == "" else v
        return lambda v: None if v == "" else kind(v)
    return (lambda v: v) if kind is None else kind


def _parse_column(values: Sequence[str], column: sa.Column) -> list:
    """``list(map(_parser(column), values))``, without a Python call per cell where none is needed: a
    column without an empty cell takes its text as it is, or the built-in ``int`` / ``float``
    (issue 21: 340,000 responses)."""
    if column.nullable and "" in values:
        return list(map(_parser(column), values))
    kind = _kind(column)
    return list(values) if kind is None else list(map(kind, values))


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def export_project(project: Project, folder: str | Path, *, include_secrets: bool = False) -> Path:
    """Write ``project`` to ``folder`` (created; must be empty or absent). Returns the folder.

    ``include_secrets=True`` is refused: the pseudonymisation key is never exported (issue 16).
    """
    if include_secrets:
        raise StoreError("include_secrets: the pseudonymisation key is never exported; copy the key file "
                         f"({project.key_path().name}) by a separate, secure channel if the copy must keep the "
                         "same pseudonyms")
    out = Path(folder)
    if out.exists() and any(out.iterdir()):
        bad_param("folder", "an empty or new folder", str(out), StoreError)
    (out / "frameworks").mkdir(parents=True, exist_ok=True)

    def dump(conn: sa.Connection) -> dict[str, dict]:
        files: dict[str, dict] = {}
        for name in S.TABLE_ORDER:
            table = S.metadata.tables[name]
            result = conn.execute(sa.select(table).order_by(*table.primary_key.columns))
            cols = [c.name for c in table.columns]
            if name not in ("meta", "frameworks", "results"):  # plain tables: rows as they come
                rows = result.cursor.fetchall() if conn.dialect.name == "sqlite" else result.all()
                files[f"{name}.csv"] = {"rows": len(rows), "sha256": _write_csv(out / f"{name}.csv", cols, rows)}
                continue
            records: Sequence[Mapping[Any, Any]] = result.mappings().all()
            if name == "frameworks":
                cols = [c for c in cols if c != "yaml"] + ["file"]
                new_rows = []
                for r in records:
                    rel = f"frameworks/{r['framework_id']}-{r['hash'][:12]}.yaml"
                    (out / rel).write_text(r["yaml"], encoding="utf-8", newline="\n")
                    files[rel] = {"sha256": _sha(out / rel)}
                    new_rows.append({**{k: r[k] for k in r if k != "yaml"}, "file": rel})
                records = new_rows
            if name == "results":  # each exact table in its own file: no size limit on a CSV field
                (out / "results").mkdir(exist_ok=True)
                cols = [c if c != "table_json" else "table_file" for c in cols]
                new_rows = []
                for r in records:
                    rel = f"results/result_{r['id']}.json"
                    (out / rel).write_text(r["table_json"], encoding="utf-8", newline="\n")
                    files[rel] = {"sha256": _sha(out / rel)}
                    new_rows.append({**{k: r[k] for k in r if k != "table_json"}, "table_file": rel,
                                     "_table_json": r["table_json"]})
                records = new_rows
            sha = _write_csv(out / f"{name}.csv", cols, [[r[c] for c in cols] for r in records])
            files[f"{name}.csv"] = {"rows": len(records), "sha256": sha}
            if name == "results":
                (out / "results").mkdir(exist_ok=True)
                for r in records:  # readable copies; results/result_<id>.json hold the exact tables
                    rel = f"results/result_{r['id']}_{r['kind']}.csv"
                    table_from_json(r["_table_json"]).to_csv(out / rel, index=False)
                    files[rel] = {"sha256": _sha(out / rel)}
        return files

    with gc_paused():  # hundreds of thousands of rows fetched and written
        files = project._read(dump)
    manifest = {
        "format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": S.SCHEMA_VERSION,
        "coopeval_version": __version__, "exported_at": M.now(), "includes_secrets": include_secrets,
        "files": files,
    }
    (out / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False, allow_unicode=True),
                                      encoding="utf-8")

    def log(conn: sa.Connection) -> None:
        audit.record(conn, project.role, "export", str(out), n_files=len(files))
    project._write(log)
    return out


def _read_manifest(folder: Path) -> dict:
    path = folder / "project.yaml"
    if not path.is_file():
        bad_param("folder", "a coopeval export (a folder with project.yaml)", str(folder), StoreError)
    manifest = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if manifest.get("format") != FORMAT:
        raise StoreError(f"{path}: `format`: expected {FORMAT!r}, found {manifest.get('format')!r}")
    version = manifest.get("schema_version")
    if not isinstance(version, int) or not OLDEST_IMPORTABLE <= version <= S.SCHEMA_VERSION:
        raise StoreError(f"{path}: `schema_version`: expected {OLDEST_IMPORTABLE} to {S.SCHEMA_VERSION}, found "
                         f"{version} (import it with the coopeval that exported it)")
    for rel, info in manifest.get("files", {}).items():
        f = folder / rel
        if not f.is_file():
            raise StoreError(f"{folder}: file {rel} listed in project.yaml is missing")
        if _sha(f) != info["sha256"]:
            raise StoreError(f"{f}: checksum differs from project.yaml (file modified after export?)")
    return manifest


@contextlib.contextmanager
def _field_limit() -> Iterator[None]:
    """Lift the csv module's 131,072-character field limit (older exports kept result tables in
    results.csv; a large JSON field must still import)."""
    old = csv.field_size_limit(2**31 - 1)  # the largest a C long holds everywhere
    try:
        yield
    finally:
        csv.field_size_limit(old)


def _rows(folder: Path, name: str) -> list[dict] | Records:
    """The rows of one exported table: dicts for ``meta``, ``frameworks`` and ``results`` (a few
    rows, each with its own work), :class:`Records` (tuples, parsed column by column) otherwise."""
    if name not in ("meta", "frameworks", "results"):
        return _plain_rows(folder, name)
    table = S.metadata.tables[name]
    path = folder / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh, _field_limit():
        reader = csv.reader(fh)
        header = next(reader, [])
        pos = {col: i for i, col in enumerate(header)}
        parsers = [(c.name, pos[c.name], _parser(c)) for c in table.columns if c.name in pos]
        rows = []
        for line, rec in enumerate(reader, start=2):
            try:
                row = {col: parse(rec[i]) for col, i, parse in parsers}
            except (ValueError, IndexError) as err:
                raise StoreError(f"{path}, line {line}: unreadable value ({err})") from None
            if name == "results" and "table_file" in pos:  # exact table in its own file (any size)
                row["table_json"] = (folder / rec[pos["table_file"]]).read_text(encoding="utf-8")
            if name == "frameworks":
                file = rec[pos["file"]]
                text = (folder / file).read_text(encoding="utf-8")
                if hashlib.sha256(text.encode("utf-8")).hexdigest() != row["hash"]:
                    raise StoreError(f"{folder / file}: YAML does not match framework hash {row['hash'][:12]}")
                Framework.from_yaml(text)  # still a valid framework
                row["yaml"] = text
            rows.append(row)
    return rows


def _plain_rows(folder: Path, name: str, derived: Derived | None = None) -> Records:
    """Rows of a plain table as tuples, each column parsed with one ``map`` (the same parser and
    the same messages as a row-by-row read: the first unreadable cell is named by its line), and the
    ``derived`` columns."""
    table = S.metadata.tables[name]
    path = folder / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as fh, _field_limit(), gc_paused():
        reader = csv.reader(fh)
        header = next(reader, [])
        records = list(reader)
    with gc_paused():
        return _parsed(path, table, header, records, derived or {})


def _parsed(path: Path, table: sa.Table, header: list[str], records: list[list[str]], derived: Derived) -> Records:
    pos = {col: i for i, col in enumerate(header)}
    absent = [src for src, _ in derived.values() if src not in pos]
    if absent:
        raise StoreError(f"{path}: expected a `{absent[0]}` column (an export of an older schema), found "
                         f"{', '.join(header)}")
    parsers = [(c.name, pos[c.name], _parser(c)) for c in table.columns if c.name in pos]
    need = max([i for _, i, _ in parsers] + [pos[src] for src, _ in derived.values()], default=-1) + 1
    short = next((k for k, rec in enumerate(records) if len(rec) < need), None)
    if short is not None:
        raise StoreError(f"{path}, line {short + 2}: unreadable value (list index out of range)")
    columns = list(zip(*records, strict=False)) if records else [() for _ in range(need)]
    parsed = []
    for name, i, parse in parsers:
        try:
            parsed.append(_parse_column(columns[i], table.c[name]))
        except ValueError:
            for line, value in enumerate(columns[i], start=2):
                try:
                    parse(value)
                except ValueError as err:
                    raise StoreError(f"{path}, line {line}: unreadable value ({err})") from None
    parsed += [make(columns[pos[src]]) for src, make in derived.values()]
    return Records([col for col, _, _ in parsers] + list(derived), list(zip(*parsed, strict=True)) if records else [])


def _import_key(meta: list[dict], key_file: str | Path | None) -> str | None:
    """The key of an imported project (removed from ``meta``, fingerprint added), or None."""
    from coopeval.store.tokens import new_secret

    rows = {r["key"]: r["value"] for r in meta}
    key = rows.get("pseudonym_key")  # an old export written with include_secrets=True
    meta[:] = [r for r in meta if r["key"] != "pseudonym_key"]
    expected = rows.get(keys.FINGERPRINT_KEY)
    if key is None and key_file is not None:
        key = keys.read_key(Path(key_file), expected)
        if key is None:
            bad_param("key_file", "the source project's key file", str(key_file), StoreError)
    if key is None and expected is None:  # an old export without its key: a new key
        key = new_secret()
    if key is not None and expected is None:
        meta.append({"key": keys.FINGERPRINT_KEY, "value": keys.fingerprint(key)})
    return key


def _check_parents(conn: sa.Connection, src: Path) -> None:
    """Refuse rows whose foreign key has no parent among the imported rows. On SQLite the write runs
    without row-by-row enforcement (``parents_checked``: every table is inserted, parents first, then
    checked at once by ``PRAGMA foreign_key_check``, issue 21); PostgreSQL enforces the keys itself."""
    if conn.dialect.name != "sqlite":
        return
    bad = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
    if bad:
        table, rowid, parent, _ = bad[0]
        raise StoreError(f"{src / (table + '.csv')}: {len(bad)} row(s) refer to a missing row of {parent} "
                         f"(first: row id {rowid}); nothing was imported")


def import_project(folder: str | Path, path_or_url: str | Path, *,
                   progress: Callable[[int, int], None] | None = None,
                   key_file: str | Path | None = None) -> tuple[sa.Engine, Path | None]:
    """Create a new project database at ``path_or_url`` from an export folder, in one transaction;
    returns its engine and file path (:meth:`coopeval.Project.import_folder` opens it).

    Creation of the schema and insertion of every row happen in the same transaction:
    on any error nothing is left behind (a new SQLite file is removed). ``key_file``: the
    source project's key file, copied to the new project's key file (same pseudonyms);
    without it (and without ``COOPEVAL_PSEUDONYM_KEY``) the copy can be read but cannot
    receive new identified responses.
    """
    src = Path(folder)
    manifest = _read_manifest(src)
    version = manifest["schema_version"]
    data: dict = {}
    for name in S.TABLE_ORDER:  # respondents before responses
        if _ADDED_IN.get(name, 0) > version:
            data[name] = []
        elif name == "responses" and version < _RESPONDENT_IDS:
            data[name] = _plain_rows(src, name, _numbered_respondents(data, src / "responses.csv"))
        else:
            data[name] = _rows(src, name)
    meta = cast(list[dict], data["meta"])  # `_rows` reads `meta` (in every export) as dicts
    key = _import_key(meta, key_file)
    url, path = E.resolve(path_or_url)
    if path is not None:
        if path.exists() and path.stat().st_size > 0:
            bad_param("path_or_url", "a path where no file exists yet", str(path), StoreError)
        path.parent.mkdir(parents=True, exist_ok=True)
    project_id = next((r["value"] for r in meta if r["key"] == "project_id"), "imported")
    key_path = None
    if key is not None and os.environ.get(keys.ENV_VAR, "").strip().lower() != key:
        key_path = keys.default_key_path(path, str(project_id))
        existed = key_path.exists()
        keys.write_key_file(key_path, key)
        key_path = None if existed else key_path
    total = sum(len(v) for v in data.values())
    engine = E.make_engine(url)

    def run(conn: sa.Connection) -> None:
        if M.installed_version(conn) is not None:
            bad_param("path_or_url", "an empty database", url.render_as_string(hide_password=True), StoreError)
        M.create_schema(conn)
        conn.execute(S.settings.delete())  # replaced by the exported settings
        done = 0
        with bulk_cache(conn):
            for name in S.TABLE_ORDER:
                if len(data[name]):
                    insert_rows(conn, S.metadata.tables[name], data[name])
                done += len(data[name])
                if progress is not None:
                    progress(done, total)
        _check_parents(conn, src)
        if conn.dialect.name == "postgresql":
            for name in S.SERIAL_TABLES:
                conn.exec_driver_sql(
                    f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "  # noqa: S608 (fixed names)
                    f"COALESCE(MAX(id), 1), MAX(id) IS NOT NULL) FROM {name}")
        audit.record(conn, "researcher", "import_project", str(src), rows=total, from_schema_version=version,
                     exported_at=manifest.get("exported_at"), secrets=bool(manifest.get("includes_secrets")))

    try:
        E.write(engine, run, parents_checked=True)
    except Exception:
        engine.dispose()
        if path is not None:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
        if key_path is not None:
            key_path.unlink(missing_ok=True)
        raise
    return engine, path
