"""The data contracts: column names (part of the API) and the one representation of waves.

Every module that reads or writes a contract imports its column list from here, so that a
contract has one owner.

Waves
-----
A wave is an evaluation round: ``1``, ``2``, ``2025``, ``"2024-T1"``. Datasets, Excel
templates, the store and results may carry them as integers or as text; coopeval compares
them through :func:`wave_key`, so that wave ``"10"`` comes after wave ``"2"`` whatever the
type, and :func:`same_wave` says that ``2025`` and ``"2025"`` are the same wave.

Examples
--------
>>> from coopeval.contracts import sort_waves, same_wave
>>> sort_waves(["10", "2", "1"])
['1', '2', '10']
>>> sort_waves([2024, "2024-T2", 2023])
[2023, 2024, '2024-T2']
>>> same_wave(2025, "2025"), same_wave("3", 3.0), same_wave("3", "03b")
(True, True, False)
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "OBSERVATION_COLUMNS",
    "RESPONSE_COLUMNS",
    "JUDGEMENT_COLUMNS",
    "RESOURCE_COLUMNS",
    "SCORE_COLUMNS",
    "wave_key",
    "sort_waves",
    "same_wave",
    "match_wave",
]

#: Observations (long): one value per unit, wave and indicator.
OBSERVATION_COLUMNS = ["unit", "wave", "indicator", "value"]
#: Survey responses (long): one answer per respondent and item.
RESPONSE_COLUMNS = ["respondent", "unit", "wave", "college", "item", "value"]
#: Judgements (long): the raw input of a weighting method.
JUDGEMENT_COLUMNS = ["session", "round", "participant", "college", "method", "node", "value"]
#: Resources of the socio-economic model.
RESOURCE_COLUMNS = ["unit", "wave", "source", "category", "amount", "unit_of_measure"]
#: Scores (long) returned by :func:`coopeval.score`.
SCORE_COLUMNS = ["unit", "wave", "level", "node", "score", "coverage"]


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float, np.integer, np.floating)):
        x = float(value)
        return x if x == x else None
    if isinstance(value, str):
        try:
            x = float(value.strip())
        except ValueError:
            return None
        return x if x == x else None
    return None


def wave_key(value: Any) -> tuple:
    """Sort key of a wave: numbers (or numeric text) in numeric order, then other text.

    >>> sorted(["10", "9", "a"], key=wave_key)
    ['9', '10', 'a']
    """
    x = _number(value)
    if x is not None:
        return (0, x, "")
    return (1, 0.0, str(value))


def sort_waves(waves: Iterable[Any]) -> list:
    """Distinct waves in order (see :func:`wave_key`); NaN dropped."""
    seen: dict[tuple, Any] = {}
    for w in waves:
        if w is None or (isinstance(w, float) and w != w) or w is pd.NA:
            continue
        seen.setdefault(wave_key(w), w)
    return [seen[k] for k in sorted(seen)]


def same_wave(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` name the same wave (``2025`` and ``"2025"``)."""
    return wave_key(a) == wave_key(b)


def match_wave(value: Any, waves: Iterable[Any]) -> Any | None:
    """The element of ``waves`` that is the same wave as ``value``, or None."""
    key = wave_key(value)
    for w in waves:
        if wave_key(w) == key:
            return w
    return None
