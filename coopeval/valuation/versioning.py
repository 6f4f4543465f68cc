"""Version of the reference-value catalogue, recorded with every valuation result.

``<declared version>+<hash>``: the declared version of ``indicators/catalogue_version.yaml``
and the first 12 hex digits of the SHA-256 of the catalogue and price-index files, so a
value computed with an edited catalogue never passes for one computed with the released
one; ``+user<n>`` when user entries are loaded.
"""

from __future__ import annotations

import hashlib

import yaml

from coopeval.resources import indicators_dir

__all__ = ["catalogue_version"]


def catalogue_version() -> str:
    """Version of the catalogue: ``<declared version>+<hash>`` (``+user<n>`` with user entries).

    The hash is the first 12 hex digits of the SHA-256 of the built-in catalogue and price
    index files, so an edited catalogue never passes for the released one.

    Examples
    --------
    >>> import coopeval as ce
    >>> ce.valuation.catalogue_version().split("+")[0]
    '2026.1'
    """
    global _VERSION
    if _VERSION is None:
        _VERSION = _builtin_version()
    return f"{_VERSION}+user{len(USER_PROXIES)}" if USER_PROXIES else _VERSION


_VERSION: str | None = None
#: Proxies added by the user in this session (:func:`coopeval.valuation.add_proxy`); their number
#: is part of the catalogue version. Owned here, filled by :mod:`coopeval.valuation.catalogue_entries`.
USER_PROXIES: dict[str, dict] = {}


def _builtin_version() -> str:
    root = indicators_dir()
    files = sorted((root / "catalogues").glob("*.yaml")) + sorted((root / "indices").glob("*.yaml"))
    digest = hashlib.sha256()
    for path in files:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    declared = yaml.safe_load((root / "catalogue_version.yaml").read_text(encoding="utf-8"))["version"]
    return f"{declared}+{digest.hexdigest()[:12]}"
