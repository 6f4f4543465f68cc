"""File helpers shared by the readers and writers: checks and atomic writes."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from coopeval.errors import DataError, bad_param


def input_file(path: object, suffixes: tuple[str, ...], what: str) -> Path:
    """Check that ``path`` names an existing file with one of ``suffixes``."""
    if not isinstance(path, (str, os.PathLike)):
        bad_param("path", f"a path to {what}", path, DataError)
    p = Path(path)
    if p.suffix.lower() not in suffixes:
        raise DataError(f"file '{p.name}': expected {what} ({' or '.join(suffixes)}), "
                        f"found a '{p.suffix or 'no'}' extension")
    if not p.is_file():
        raise DataError(f"file '{p}': expected an existing file, found "
                        f"{'a folder' if p.exists() else 'nothing at this path'}")
    return p


def write_atomically(path: object, suffix: str, overwrite: bool,
                     write: Callable[[Path], None]) -> Path:
    """Write through ``write(tmp_path)`` then move into place; never leave a partial file.

    Refuses an existing ``path`` unless ``overwrite`` is True, and a missing
    parent folder.
    """
    if not isinstance(path, (str, os.PathLike)):
        bad_param("path", f"a path ending in {suffix}", path, DataError)
    p = Path(path)
    if p.suffix.lower() != suffix:
        raise DataError(f"parameter `path`: expected a file name ending in {suffix}, "
                        f"got {p.name!r}")
    if not isinstance(overwrite, bool):
        bad_param("overwrite", "True or False", overwrite, DataError)
    if p.exists() and (not overwrite or p.is_dir()):
        raise DataError(f"parameter `path`: expected a new file (or overwrite=True), "
                        f"got '{p}' which already exists")
    if not p.parent.is_dir():
        raise DataError(f"parameter `path`: expected an existing folder, "
                        f"got '{p.parent}' which does not exist")
    fd, tmp = tempfile.mkstemp(prefix=f".{p.stem}.", suffix=suffix + ".part", dir=p.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, p)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return p


def as_int_if_whole(value: object) -> object:
    """2024.0 → 2024 (Excel and CSV give waves as floats or text); else unchanged."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str):
        s = value.strip()
        if s.isdigit() and (len(s) == 1 or not s.startswith("0")):
            return int(s)
        return s
    return value
