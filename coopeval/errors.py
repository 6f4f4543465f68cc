"""The exception hierarchy of coopeval.

Every error that coopeval raises on bad input is a :class:`CoopevalError` (a
``ValueError``), so that ``except ce.CoopevalError`` catches all of them. Errors
say *where* (file and line, Excel sheet and cell, row, participant…), *which*
parameter or key, what was *expected* and what was *found*. When a whole input is
checked, every problem is collected in :attr:`CoopevalError.issues` and reported
at once, not only the first.

Example
-------
>>> import coopeval as ce
>>> try:
...     ce.errors.bad_param("n", "a positive integer", -3)
... except ce.CoopevalError as err:
...     print(err)
parameter `n`: expected a positive integer, got -3
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import NoReturn

import pandas as pd

__all__ = [
    "CoopevalError",
    "FrameworkError",
    "DataError",
    "WeightingError",
    "ScoringError",
    "UncertaintyError",
    "ValuationError",
    "StatsError",
    "PlotError",
    "ReportError",
    "StoreError",
    "Issue",
    "bad_param",
    "issues_frame",
]


@dataclass(frozen=True)
class Issue:
    """One problem found in an input.

    Attributes
    ----------
    where : str
        Location: ``"file.yaml, line 12"``, ``"sheet 'Saisie', cell D7"``, ``"row 3"``…
    key : str
        The key, column, parameter or node at fault.
    expected : str
        What was expected.
    found : str
        What was found.
    """

    where: str
    key: str
    expected: str
    found: str

    def __str__(self) -> str:
        loc = f"{self.where}: " if self.where else ""
        key = f"`{self.key}`: " if self.key else ""
        return f"{loc}{key}expected {self.expected}, found {self.found}"


class CoopevalError(ValueError):
    """Root of every error coopeval raises on bad input.

    Parameters
    ----------
    message : str
        Human-readable message (names the parameter, the expected and the given value).
    issues : iterable of Issue, optional
        All problems found, when an input was checked as a whole.
    """

    def __init__(self, message: str, *, issues: Iterable[Issue] | None = None):
        self.issues: list[Issue] = list(issues or [])
        if self.issues:
            lines = "\n".join(f"  - {i}" for i in self.issues)
            n = len(self.issues)
            message = f"{message} ({n} problem{'s' if n > 1 else ''}):\n{lines}"
        super().__init__(message)

    def to_frame(self) -> pd.DataFrame:
        """The issues as a tidy DataFrame (columns ``where, key, expected, found``)."""
        return issues_frame(self.issues)


class FrameworkError(CoopevalError):
    """A framework (YAML tree) is malformed or an operation on it is invalid."""


class DataError(CoopevalError):
    """Observations, responses or an imported file are invalid."""


class WeightingError(CoopevalError):
    """Judgements or weighting parameters are invalid."""


class ScoringError(CoopevalError):
    """Scoring options or inputs are invalid."""


class UncertaintyError(CoopevalError):
    """Monte Carlo options or inputs are invalid."""


class ValuationError(CoopevalError):
    """Valuation inputs (outcomes, proxies, resources) are invalid."""


class StatsError(CoopevalError):
    """A statistic cannot be computed on the given data."""


class PlotError(CoopevalError):
    """A figure cannot be drawn from the given data."""


class ReportError(CoopevalError):
    """A report cannot be produced."""


class StoreError(CoopevalError):
    """The project store refused an operation (closed round, bad token, schema…)."""


def _show(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def bad_param(
    name: str, expected: str, given: object, cls: type[CoopevalError] = CoopevalError
) -> NoReturn:
    """Raise a ``cls`` error for parameter ``name`` (expected vs given).

    Raises
    ------
    CoopevalError
        Always; the function never returns.
    """
    raise cls(f"parameter `{name}`: expected {expected}, got {_show(given)}")


def issues_frame(issues: Iterable[Issue]) -> pd.DataFrame:
    """Tidy table of issues with columns ``where, key, expected, found``."""
    rows = [asdict(i) for i in issues]
    return pd.DataFrame(rows, columns=["where", "key", "expected", "found"])
