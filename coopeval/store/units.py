"""Units (the cooperations evaluated) and waves in the store.

Mixed into :class:`coopeval.store.Project`. Imports add the units and waves they name; these
methods add or update their descriptions (name, type, parent, territory; label, date).
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import audit, checks
from coopeval.store import engine as E
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase
from coopeval.store.rows import opt


class _Project(ProjectBase, Protocol):
    """What the units and waves use of their :class:`~coopeval.store.Project`."""

    def _upsert(self: _Project, conn: sa.Connection, table: sa.Table, key: str, rows: list[dict[str, Any]],
                action: str) -> int: ...


class UnitsMixin:
    """Add, update and list units and waves (see the module docstring)."""

    def add_units(self: _Project, units: pd.DataFrame) -> int:
        """Add or update units: columns ``unit`` (+ optional ``name, type, parent, territory``).

        Returns the number of units written. A ``parent`` must be a unit already stored
        or given in the same table.
        """
        self._require("researcher")
        df = checks._require_columns(units, ["unit"], "units", StoreError)
        rows = [{"unit": str(r["unit"]), **{c: opt(r.get(c)) for c in ("name", "type", "parent", "territory")}}
                for r in df.to_dict("records")]
        rows.sort(key=lambda r: r["parent"] is not None)  # parents first

        return self._write(lambda conn: self._upsert(conn, S.units, "unit", rows, "add_units"))

    def units(self: _Project) -> pd.DataFrame:
        """Units: ``unit, name, type, parent, territory``."""
        return self._frame(sa.select(S.units).order_by(S.units.c.unit))

    def add_waves(self: _Project, waves: pd.DataFrame) -> int:
        """Add or update waves: columns ``wave`` (+ optional ``label, date``). Returns the count."""
        self._require("researcher")
        df = checks._require_columns(waves, ["wave"], "waves", StoreError)
        rows = [{"wave": str(r["wave"]), "label": opt(r.get("label")), "date": opt(r.get("date"))}
                for r in df.to_dict("records")]

        return self._write(lambda conn: self._upsert(conn, S.waves, "wave", rows, "add_waves"))

    def _upsert(self: _Project, conn: sa.Connection, table: sa.Table, key: str, rows: list[dict[str, Any]], action: str) -> int:
        """Insert or update ``rows`` of ``table`` by ``key``, then audit ``action``."""
        E.upsert(conn, table, rows, key)
        audit.record(conn, self.role, action, None, n=len(rows))
        return len(rows)

    def waves(self: _Project) -> pd.DataFrame:
        """Waves: ``wave, label, date``."""
        return self._frame(sa.select(S.waves).order_by(S.waves.c.wave))
