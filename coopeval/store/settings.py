"""Project settings: every known key, validated when it is set (not when it is used).

A setting is a text value in the ``settings`` table. :func:`validate` turns a value given
to :meth:`coopeval.store.Project.set_setting` into its stored text, or raises a
:class:`coopeval.StoreError` naming the key, what was expected and what was given — so a
bad value (a negative token lifetime that would lock every participant out, a minimum
group size of 1) never reaches the table.

=====================  ==========================================================
``min_group_size``     integer >= 2 (default 5): smallest group behind any statistic shown
``token_ttl_hours``    positive number of hours: lifetime of a participant's token
``cooperation_names``  ``"named"`` or ``"anonymised"`` (default): whether dashboards and
                       reports show the cooperations' names or neutral labels
=====================  ==========================================================

>>> from coopeval.store.settings import validate
>>> validate("token_ttl_hours", 48)
'48.0'
>>> validate("token_ttl_hours", -1)
Traceback (most recent call last):
...
coopeval.errors.StoreError: parameter `value`: expected a positive, finite number of hours for setting token_ttl_hours, got -1
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np

from coopeval.data.disclosure import NAMING  # values of ``cooperation_names`` (default first)
from coopeval.errors import StoreError, bad_param

__all__ = ["SETTINGS", "NAMING", "validate", "effective_min_group"]


def _min_group(value: object) -> str | None:
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 2:
        return None
    return str(int(value))


def _hours(value: object) -> str | None:
    if isinstance(value, bool):
        return None
    try:
        hours = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return str(hours) if math.isfinite(hours) and hours > 0 else None


def _naming(value: object) -> str | None:
    return value if isinstance(value, str) and value in NAMING else None


def _colleges(value: object) -> str | None:
    """College ids separated by commas (issue 23: links are issued for these colleges only)."""
    if isinstance(value, (list, tuple)):
        value = ", ".join(str(v) for v in value)
    if not isinstance(value, str):
        return None
    ids = [v.strip() for v in value.split(",")]
    return ", ".join(ids) if ids and all(ids) else None


#: Known settings: key → (validator returning the stored text or None, what is expected).
SETTINGS: dict[str, tuple[Callable[[object], str | None], str]] = {
    "min_group_size": (_min_group, "an integer >= 2"),
    "token_ttl_hours": (_hours, "a positive, finite number of hours"),
    "cooperation_names": (_naming, f"one of {', '.join(NAMING)}"),
    "colleges": (_colleges, "college ids separated by commas (no empty one)"),
}


def validate(key: str, value: object) -> str:
    """The text stored for setting ``key`` = ``value``; :class:`StoreError` if either is not valid."""
    if key not in SETTINGS:
        bad_param("key", f"a known setting ({', '.join(SETTINGS)})", key, StoreError)
    check, expected = SETTINGS[key]
    text = check(value)
    if text is None:
        bad_param("value", f"{expected} for setting {key}", value, StoreError)
    return text


def effective_min_group(role: str, requested: int | None, stored: str | None, default: int) -> int:
    """Minimum group size to apply for a view asked by ``role``.

    The project setting (``stored``, else ``default``) applies unless ``requested``; only the
    researcher may ask for a smaller threshold — any other role asking for less is refused,
    so the small-group rule cannot be switched off by whoever it protects others from.
    """
    floor = int(stored) if stored is not None else default
    if requested is None:
        return floor
    if isinstance(requested, bool) or not isinstance(requested, (int, np.integer)) or requested < 2:
        bad_param("min_group", "an integer >= 2", requested, StoreError)
    if role != "researcher" and requested < floor:
        bad_param("min_group", f"at least the project's min_group_size ({floor}) for the role {role}",
                  requested, StoreError)
    return int(requested)
