"""Where a project's pseudonymisation key lives: never in the project itself.

Respondent identifiers are replaced on import by a keyed pseudonym
(:func:`coopeval.store.tokens.pseudonym`). Whoever holds both the pseudonymised
responses and the key can re-identify respondents from a list of candidate identifiers
(e-mails of the members…), so the key is kept **apart from the data**:

1. the environment variable ``COOPEVAL_PSEUDONYM_KEY`` (64 hexadecimal characters), when
   set, is the key (for a server or a CI job: put it in the service's secrets);
2. otherwise the key file, readable by its owner only (mode ``0600``): beside a SQLite
   project, ``<project file>.key`` (``eval.coopeval`` → ``eval.coopeval.key``); for a
   PostgreSQL project, ``$XDG_CONFIG_HOME/coopeval/keys/<project id>.key`` (default
   ``~/.config/coopeval/keys/``); or the file given as ``key_file=`` to
   :meth:`coopeval.store.Project.open`.

The project stores only a *fingerprint* of its key (an HMAC of a fixed text, which reveals
nothing of the key) so that a wrong key is refused instead of silently producing other
pseudonyms. A project opened without its key can be read, but cannot receive new
identified responses. Copying the project file alone (by e-mail, to a shared drive…)
therefore copies no way back to the respondents; keep the key file out of such copies
and back it up separately (losing it means the next wave's respondents can no longer be
linked to the earlier ones). The key is never exported (:meth:`Project.export`).

>>> from coopeval.store.keys import fingerprint
>>> len(fingerprint("00" * 32))
64
"""

from __future__ import annotations

import hashlib
import hmac
import os
import re
import stat
from pathlib import Path

from coopeval.errors import StoreError

__all__ = ["ENV_VAR", "FINGERPRINT_KEY", "default_key_path", "fingerprint", "read_key", "write_key_file"]

#: Environment variable holding the key (takes precedence over the key file).
ENV_VAR = "COOPEVAL_PSEUDONYM_KEY"
#: ``meta`` key of the key's fingerprint.
FINGERPRINT_KEY = "pseudonym_key_check"
_HEX64 = re.compile(r"[0-9a-f]{64}")


def default_key_path(path: Path | None, project_id: str) -> Path:
    """The key file of a project: ``<file>.key`` beside a SQLite file, else in the user's config folder."""
    if path is not None:
        return path.with_name(path.name + ".key")
    base = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    return base / "coopeval" / "keys" / f"{project_id}.key"


def fingerprint(key: str) -> str:
    """HMAC-SHA-256 of a fixed text under ``key``: tells a right key from a wrong one, reveals nothing."""
    return hmac.new(key.encode("utf-8"), b"coopeval pseudonymisation key check", hashlib.sha256).hexdigest()


def _check_text(key: str, source: str) -> str:
    key = key.strip().lower()
    if not _HEX64.fullmatch(key):
        raise StoreError(f"pseudonymisation key: expected 64 hexadecimal characters in {source}, "
                         f"found {len(key)} characters that are not")
    return key


def write_key_file(path: Path, key: str) -> None:
    """Write ``key`` to a new file readable by its owner only (0600); an identical file is kept.

    Raises
    ------
    StoreError
        A different key is already in that file (never overwritten).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        if path.read_text(encoding="utf-8").strip() == key:
            os.chmod(path, 0o600)
            return
        raise StoreError(f"pseudonymisation key: expected no key file at {path} (or the same key), found "
                         "another key; move it away first (it may belong to another project)")
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key + "\n")


def read_key(path: Path, expected: str | None) -> str | None:
    """The key from ``COOPEVAL_PSEUDONYM_KEY`` or the key file ``path``; None when neither exists.

    Raises
    ------
    StoreError
        A key file others may read (``chmod 600`` it), a malformed key, or a key whose
        fingerprint is not ``expected`` (the key of another project).
    """
    env = os.environ.get(ENV_VAR)
    if env:
        key, source = _check_text(env, f"the environment variable {ENV_VAR}"), f"the environment variable {ENV_VAR}"
    elif path.is_file():
        mode = stat.S_IMODE(path.stat().st_mode)
        if mode & 0o077:
            raise StoreError(f"pseudonymisation key: expected the key file {path} to be readable by its owner only "
                             f"(mode 600), found mode {mode:o} (run: chmod 600 '{path}')")
        source = f"the key file {path}"
        key = _check_text(path.read_text(encoding="utf-8"), source)
    else:
        return None
    if expected is not None and not hmac.compare_digest(fingerprint(key), expected):
        raise StoreError(f"pseudonymisation key: the key in {source} is not this project's key "
                         "(its fingerprint differs); nothing was written")
    return key


def new_project_key(path: Path | None, project_id: str, key_file: str | Path | None) -> tuple[str, Path | None]:
    """The key of a new project and the key file written for it (None when the key comes from
    ``COOPEVAL_PSEUDONYM_KEY``, which is then used as the project's key)."""
    from coopeval.store.tokens import new_secret

    env = os.environ.get(ENV_VAR)
    if env:
        return _check_text(env, f"the environment variable {ENV_VAR}"), None
    key = new_secret()
    target = Path(key_file) if key_file is not None else default_key_path(path, project_id)
    if target.exists():
        raise StoreError(f"pseudonymisation key: expected no key file at {target} for a new project, found one "
                         "(it may belong to another project: move it away first)")
    write_key_file(target, key)
    return key, target


def move_out(conn: object, key: str, project_id: str) -> None:
    """Write a key found inside a project (schema < 9) to its key file, unless the environment
    variable already holds it (used by the migration step and by the import of old exports)."""
    env = os.environ.get(ENV_VAR)
    if env and env.strip().lower() == key:
        return
    explicit = conn.info.get("coopeval_key_file")  # type: ignore[attr-defined]
    path = None
    if conn.dialect.name == "sqlite" and conn.engine.url.database:  # type: ignore[attr-defined]
        path = Path(conn.engine.url.database).expanduser().resolve()  # type: ignore[attr-defined]
    write_key_file(Path(explicit) if explicit else default_key_path(path, project_id), key)


def scrub_sqlite(path: Path, backup: Path) -> None:
    """After a key moved out of a SQLite project: no copy of it left in the WAL, nor in the
    pre-upgrade backup (its key row is deleted and the backup rebuilt with VACUUM)."""
    import sqlite3

    db = sqlite3.connect(path, isolation_level=None, timeout=60)
    try:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    if not backup.is_file():
        return
    db = sqlite3.connect(backup, isolation_level=None)
    try:
        rows = dict(db.execute("SELECT key, value FROM meta").fetchall())
        key = rows.get("pseudonym_key")
        if key is not None:
            db.execute("BEGIN")
            if FINGERPRINT_KEY not in rows:
                db.execute("INSERT INTO meta (key, value) VALUES (?, ?)", (FINGERPRINT_KEY, fingerprint(key)))
            db.execute("DELETE FROM meta WHERE key = 'pseudonym_key'")
            db.execute("COMMIT")
            db.execute("PRAGMA journal_mode=DELETE")
            db.execute("VACUUM")
    finally:
        db.close()
