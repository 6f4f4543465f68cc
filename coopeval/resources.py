"""Where the bundled files (built-in frameworks, catalogues, datasets) live.

In a source checkout or an editable install they are the top-level ``indicators/``
and ``datasets/`` folders; in an installed wheel they are copied inside the
package under ``coopeval/_bundled/``.
"""

from __future__ import annotations

from pathlib import Path

_PKG = Path(__file__).resolve().parent


def bundled_dir(name: str) -> Path:
    """Path of a bundled folder: ``"indicators"`` or ``"datasets"``."""
    inside = _PKG / "_bundled" / name
    if inside.is_dir():
        return inside
    checkout = _PKG.parent / name
    if checkout.is_dir():
        return checkout
    from coopeval.errors import CoopevalError

    raise CoopevalError(
        f"bundled folder `{name}`: expected it in {inside} or {checkout}, found neither "
        "(is coopeval installed correctly?)"
    )


def indicators_dir() -> Path:
    """The folder of built-in frameworks and catalogues (YAML)."""
    return bundled_dir("indicators")


def datasets_dir() -> Path:
    """The folder of bundled sample datasets."""
    return bundled_dir("datasets")
