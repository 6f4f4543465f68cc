"""Data: tidy observations and survey responses, validation, imports, templates.

Observations (``unit, wave, indicator, value``) and survey responses
(``respondent, unit, wave, college, item, value``) are validated against a
framework, read from CSV, Excel templates and LimeSurvey exports, pseudonymised,
and survey items are scored into indicator scales.

=============================  ===============================================
function                       purpose
=============================  ===============================================
``validate_observations``      check observations (strict, or clean part + errors)
``validate_responses``         check survey responses (labels → codes)
``read_csv``                   observations or responses from a CSV file
``excel_template``             Excel data-entry template (French or English)
``read_excel``                 observations from a filled template / sheet (raises on a bad cell)
``check_excel``                the valid observations and every problem, located
``read_limesurvey``            responses from a LimeSurvey export (+ report)
``pseudonymise``               keyed-hash respondent ids, drop identifiers
``score_scales``               items → indicator scores per respondent / group
``suppress_small_groups``      hide aggregates over fewer than 5 respondents
                               (``secondary=True``: and any recoverable by
                               difference from a total)
=============================  ===============================================
"""

from __future__ import annotations

from coopeval.data.io_csv import read_csv
from coopeval.data.likert import LIKERT_LABELS_FR
from coopeval.data.limesurvey import LimeSurveyImport, read_limesurvey
from coopeval.data.pseudonym import direct_identifier_columns, keyed_hash, pseudonymise
from coopeval.data.scales import score_scales
from coopeval.data.small_groups import DEFAULT_MIN_N, suppress_small_groups
from coopeval.data.validate import (
    OBSERVATION_COLUMNS,
    RESPONSE_COLUMNS,
    ValidationResult,
    validate_observations,
    validate_responses,
)

__all__ = [
    "DEFAULT_MIN_N",
    "LIKERT_LABELS_FR",
    "OBSERVATION_COLUMNS",
    "RESPONSE_COLUMNS",
    "LimeSurveyImport",
    "ValidationResult",
    "direct_identifier_columns",
    "excel_template",
    "keyed_hash",
    "pseudonymise",
    "read_csv",
    "read_excel",
    "check_excel",
    "read_limesurvey",
    "score_scales",
    "suppress_small_groups",
    "validate_observations",
    "validate_responses",
]


def __getattr__(name: str):
    """``check_excel``, ``excel_template`` and ``read_excel`` are imported on first use (openpyxl takes ~1 s to import)."""
    if name in ("check_excel", "excel_template", "read_excel"):
        from coopeval.data import excel

        return getattr(excel, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
