"""What every part of :class:`coopeval.store.Project` uses of the others (typing only).

The project is assembled from mixins, one module per concept (sessions, rounds, imports, results…);
each types ``self`` against a protocol of what it uses. The members they all share — the role, the
role check and the database access — are declared once here; a module's own ``_Project`` protocol
adds what else it calls.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

import pandas as pd
import sqlalchemy as sa

__all__ = ["ProjectBase"]

_T = TypeVar("_T")


class ProjectBase(Protocol):
    """The role of the open project, its role check, and reads and writes in one transaction."""

    role: str

    def _require(self, *roles: str) -> None: ...

    def _read(self, fn: Callable[[sa.Connection], _T]) -> _T: ...

    def _write(self, fn: Callable[[sa.Connection], _T], *, parents_checked: bool = ...) -> _T: ...

    def _frame(self, query: sa.Select) -> pd.DataFrame: ...
