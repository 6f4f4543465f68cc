"""The facilitator's secret: what protects the facilitator and researcher pages, and the key
that keeps every personal link issued readable by the facilitator only.

Mixed into :class:`coopeval.store.Project`. The project stores no secret in clear:

* ``meta.facilitator_secret`` — the scrypt parameters, a random salt and the first 32
  bytes of ``scrypt(secret, salt)`` (RFC 7914; N = 2**14, r = 8, p = 1, 64 bytes);
* ``meta.links_key`` — a random key (Fernet, AES-128-CBC + HMAC-SHA-256) that encrypts
  the personal links, itself encrypted ("wrapped") with the last 32 bytes of the same
  scrypt output. Only someone who knows the secret can list the links again.

:meth:`FacilitatorMixin.facilitator_login` checks a secret and returns the
:class:`FacilitatorKey` that reads and writes links. Failed attempts are written to the
audit log; after :data:`MAX_FAILURES` failures within :data:`FAILURE_WINDOW_S` seconds,
every attempt is refused until the window has passed (rate limit shared by every page
and process, since it lives in the project).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from datetime import datetime, timedelta, timezone
from typing import Protocol

import sqlalchemy as sa

from coopeval.errors import StoreError, bad_param
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase

__all__ = ["FacilitatorKey", "FacilitatorMixin", "new_facilitator_secret", "MAX_FAILURES", "FAILURE_WINDOW_S"]

#: Failed attempts allowed within :data:`FAILURE_WINDOW_S` seconds before refusing every attempt.
MAX_FAILURES = 5
#: Length (seconds) of the window of the rate limit.
FAILURE_WINDOW_S = 300
_SCRYPT = {"n": 2 ** 14, "r": 8, "p": 1}
_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i: read aloud and typed without doubt


def new_facilitator_secret() -> str:
    """A fresh secret, four groups of four characters (about 79 bits), e.g. ``k7qm-x2pa-9fth-c4wn``."""
    return "-".join("".join(secrets.choice(_ALPHABET) for _ in range(4)) for _ in range(4))


def _derive(secret: str, salt: bytes, params: dict) -> tuple[bytes, bytes]:
    raw = hashlib.scrypt(str(secret).strip().encode("utf-8"), salt=salt, n=params["n"], r=params["r"],
                         p=params["p"], dklen=64, maxmem=64 * 1024 * 1024)
    return raw[:32], raw[32:]


class FacilitatorKey:
    """The key to the personal links, returned by :meth:`FacilitatorMixin.facilitator_login`
    (never printed)."""

    def __init__(self, links_key: bytes):
        from cryptography.fernet import Fernet

        self._key = links_key
        self._fernet = Fernet(links_key)

    def encrypt(self, token: str) -> str:
        return self._fernet.encrypt(token.encode("utf-8")).decode("ascii")

    def decrypt(self, blob: str | None) -> str | None:
        from cryptography.fernet import InvalidToken

        if not blob:
            return None
        try:
            return self._fernet.decrypt(blob.encode("ascii")).decode("utf-8")
        except InvalidToken:
            return None

    def __repr__(self) -> str:
        return "FacilitatorKey(…)"


class _Project(ProjectBase, Protocol):
    """What the facilitator's secret uses of its :class:`~coopeval.store.Project`."""

    def _meta_value(self, key: str) -> str | None: ...

    def facilitator_login(self, secret: str | None) -> FacilitatorKey: ...


class FacilitatorMixin:
    """The facilitator's secret (see the module docstring)."""

    def has_facilitator_secret(self: _Project) -> bool:
        """True when the project has a facilitator secret (any role may ask)."""
        return self._meta_value("facilitator_secret") is not None

    def _meta_value(self: _Project, key: str) -> str | None:
        return self._read(lambda c: c.execute(sa.select(S.meta.c.value).where(S.meta.c.key == key)).scalar())

    def set_facilitator_secret(self: _Project, secret: str | None = None, *, current: str | None = None) -> str:
        """Set (or change) the facilitator secret; return it.

        Parameters
        ----------
        secret : str, optional
            At least 12 characters; default a new one (:func:`new_facilitator_secret`).
        current : str, optional
            The current secret: lets a facilitator change it, and keeps the links issued
            so far readable. Without it (researcher role only), links issued before can no
            longer be listed (they still work for their participants).

        Raises
        ------
        StoreError
            A secret shorter than 12 characters; a facilitator without the right ``current``
            secret.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval")
        >>> s = p.set_facilitator_secret("un secret bien long")
        >>> p.facilitator_login("un secret bien long")
        FacilitatorKey(…)
        """
        from cryptography.fernet import Fernet

        secret = new_facilitator_secret() if secret is None else str(secret).strip()
        if len(secret) < 12:
            bad_param("secret", "at least 12 characters", f"{len(secret)} characters", StoreError)
        old_key = self.facilitator_login(current) if current is not None else None
        if old_key is None:
            self._require("researcher")
        salt = secrets.token_bytes(16)
        verifier, wrap = _derive(secret, salt, _SCRYPT)
        links_key = old_key._key if old_key is not None else Fernet.generate_key()
        wrapped = Fernet(base64.urlsafe_b64encode(wrap)).encrypt(links_key).decode("ascii")
        record = json.dumps({"kdf": "scrypt", **_SCRYPT, "salt": salt.hex(), "verifier": verifier.hex()})
        key_record = json.dumps({"wrapped": wrapped})

        def run(conn: sa.Connection) -> None:
            for key, value in (("facilitator_secret", record), ("links_key", key_record)):
                if conn.execute(sa.update(S.meta).where(S.meta.c.key == key).values(value=value)).rowcount == 0:
                    conn.execute(S.meta.insert().values(key=key, value=value))
            audit.record(conn, self.role, "set_facilitator_secret", None, links_kept=old_key is not None)
        self._write(run)
        return secret

    def facilitator_login(self: _Project, secret: str | None) -> FacilitatorKey:
        """Check the facilitator secret; return the key to the links.

        Raises
        ------
        StoreError
            ``"secret: none set ..."`` (the project has none: ``coopeval serve`` or
            :meth:`set_facilitator_secret` creates one), ``"secret: wrong ..."`` (the
            attempt is audited) or ``"secret: too many attempts ..."`` (rate limit: at
            most :data:`MAX_FAILURES` failures in :data:`FAILURE_WINDOW_S` seconds).
        """
        from cryptography.fernet import Fernet

        raw = self._meta_value("facilitator_secret")
        if raw is None:
            raise StoreError("secret: none set for this project (run `coopeval serve` or `coopeval secret`)")
        since = (datetime.now(timezone.utc) - timedelta(seconds=FAILURE_WINDOW_S)).isoformat(timespec="microseconds")
        a = S.audit_log
        failures = self._read(lambda c: c.execute(sa.select(sa.func.count()).select_from(a).where(
            a.c.action == "facilitator_login_failed", a.c.at >= since)).scalar_one())
        if failures >= MAX_FAILURES:
            raise StoreError(f"secret: too many attempts ({failures} failures in the last "
                             f"{FAILURE_WINDOW_S // 60} minutes); wait before trying again")
        rec = json.loads(raw)
        verifier, wrap = _derive(secret or "", bytes.fromhex(rec["salt"]), rec)
        if not hmac.compare_digest(verifier.hex(), rec["verifier"]):
            self._write(lambda c: audit.record(c, self.role, "facilitator_login_failed", None))
            raise StoreError("secret: wrong facilitator secret")
        wrapped = json.loads(self._meta_value("links_key") or "{}").get("wrapped", "")
        return FacilitatorKey(Fernet(base64.urlsafe_b64encode(wrap)).decrypt(wrapped.encode("ascii")))
