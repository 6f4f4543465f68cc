"""Validation of tidy observations and survey responses against a framework.

Two long tables enter the pipeline (see ``ARCHITECTURE.md``):

* **observations** ``unit, wave, indicator, value`` (+ optional ``source, note``);
* **responses** ``respondent, unit, wave, college, item, value``.

Each row is checked against the framework: unknown indicator or item, value of the
wrong type, outside the bounds or not allowed by the kind of the indicator, missing
keys, duplicates and (optionally) missing or unexpected waves. Every problem is
collected, located (DataFrame row, or file line / Excel cell when the data come
from a file) and reported at once.

Rules by ``kind``: for observations, "within the bounds" means within the indicator's
plausibility limits (``limit_low, limit_high`` of ``fw.indicators``: a share between 0 and
1, a count not negative…), not within its goalposts ``lower, upper`` — a value beyond a
goalpost is valid and capped by scoring (:func:`coopeval.scoring.beyond_goalposts` lists
them); for survey answers, the scale ``lower, upper``:

============  =================================  ===================================
kind          observations                       responses (survey items)
============  =================================  ===================================
quantitative  a number within the bounds         a number within the bounds
likert        a number within the bounds         a whole number within the bounds,
              (usually a mean of answers)        or a five-point agreement label
ordinal       a whole number within the bounds   a whole number within the bounds
grid          a whole level within the bounds    a whole level within the bounds
binary        0 or 1 (``oui``/``non`` accepted)  0 or 1 (``oui``/``non`` accepted)
============  =================================  ===================================

A missing value (empty, NaN, ``"Ne sais pas"``) is kept as NaN: data are partly
missing by design and the missing-data policy belongs to scoring.

The checks live in :mod:`~coopeval.data.validate.observations`,
:mod:`~coopeval.data.validate.responses` and, shared by both,
:mod:`~coopeval.data.validate.checks`.
"""

from __future__ import annotations

from coopeval.contracts import OBSERVATION_COLUMNS, RESPONSE_COLUMNS
from coopeval.data.validate.checks import ERROR_COLUMNS as ERROR_COLUMNS
from coopeval.data.validate.checks import ValidationResult
from coopeval.data.validate.observations import OBSERVATION_OPTIONAL as OBSERVATION_OPTIONAL
from coopeval.data.validate.observations import validate_observations
from coopeval.data.validate.responses import validate_responses

__all__ = [
    "OBSERVATION_COLUMNS",
    "RESPONSE_COLUMNS",
    "ValidationResult",
    "validate_observations",
    "validate_responses",
]
