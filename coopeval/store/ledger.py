"""Issue 18: the externality ledger and the conventions of a project (tables ``externalities``
and ``conventions``, schema version 4), imported together in one audited transaction.

Example
-------
>>> import tempfile, pathlib
>>> import coopeval as ce
>>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
...                       framework="cooperation_territoriale")
>>> b = ce.datasets.load("la_butinerie")
>>> p.import_ledger(b["externalites"], b["conventions"], wave="2023")
8
>>> led, conv = p.ledger(wave="2023")
>>> len(led), len(conv)
(5, 3)
"""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval.errors import DataError, Issue
from coopeval.store import audit
from coopeval.store import migrations as M
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase
from coopeval.store.rows import ensure_keys

if TYPE_CHECKING:

    from coopeval.framework import Framework


class _Project(ProjectBase, Protocol):
    """What the ledger uses of its :class:`~coopeval.store.Project`."""

    def _framework_hash(self, framework: Framework | str | None) -> tuple[Framework, str]: ...

LEDGER_COLUMNS = ["unit", "wave", "externality", "beneficiary", "beneficiary_type", "quantity", "unit_of_measure",
                  "proxy", "proxy_low", "proxy_high", "proxy_source", "note"]
CONVENTION_COLUMNS = ["unit", "wave", "beneficiary", "convention", "covers", "amount", "period"]
_NUMERIC = {"quantity", "proxy_low", "proxy_high", "amount"}


def _clean(df: pd.DataFrame, columns: list[str], required: list[str], name: str, wave: str | None,
           issues: list[Issue]) -> list[dict]:
    df = df.reset_index(drop=True).copy()
    if "wave" not in df.columns and wave is not None:
        df["wave"] = wave
    for col in required:
        if col not in df.columns:
            issues.append(Issue(name, col, "a column", "missing"))
    if issues:
        return []
    rows = []
    for i, r in df.iterrows():
        rec: dict[str, float | str | None] = {}
        for col in columns:
            v = r.get(col, None)
            if col in _NUMERIC:
                num = pd.to_numeric(pd.Series([v]), errors="coerce").iloc[0]
                if pd.notna(v) and (pd.isna(num) or (col != "amount" and num < 0) or (col == "amount" and num < 0)):
                    issues.append(Issue(f"{name} row {i}", col, "a non-negative number or empty", repr(v)))
                rec[col] = None if pd.isna(num) else float(num)
            else:
                rec[col] = None if v is None or (not isinstance(v, str) and pd.isna(v)) else str(v).strip()
        for col in required:
            if not rec.get(col):
                issues.append(Issue(f"{name} row {i}", col, "a value", "nothing"))
        rows.append(rec)
    return rows


def import_ledger(project: _Project, ledger: pd.DataFrame, conventions: pd.DataFrame | None = None, *,
                  wave: str | None = None, source: str | None = None) -> int:
    """Validate and store an externality ledger and its conventions (all or nothing)."""
    from coopeval.valuation.ledger import BENEFICIARY_TYPES

    issues: list[Issue] = []
    led = _clean(ledger, LEDGER_COLUMNS, ["unit", "wave", "externality", "beneficiary", "beneficiary_type"],
                 "ledger", wave, issues)
    conv = (_clean(conventions, CONVENTION_COLUMNS, ["unit", "wave", "beneficiary", "convention", "covers"],
                   "conventions", wave, issues) if conventions is not None else [])
    for i, r in enumerate(led):
        if r.get("beneficiary_type") not in BENEFICIARY_TYPES:
            issues.append(Issue(f"ledger row {i}", "beneficiary_type", f"one of {BENEFICIARY_TYPES}",
                                repr(r.get("beneficiary_type"))))
    if issues:
        raise DataError("ledger: invalid rows, nothing written", issues=issues)
    _fw, fw_hash = project._framework_hash(None)
    digest = hashlib.sha256(json.dumps([led, conv], sort_keys=True, default=str).encode()).hexdigest()

    def run(conn: sa.Connection) -> int:
        ensure_keys(conn, S.units, "unit", {r["unit"] for r in led + conv})
        ensure_keys(conn, S.waves, "wave", {r["wave"] for r in led + conv})
        import_id = conn.execute(S.imports.insert().values(
            kind="ledger", source=source, sha256=digest, framework_hash=fw_hash, n_rows=len(led) + len(conv),
            at=M.now(), role=project.role).returning(S.imports.c.id)).scalar_one()
        for table, rows in ((S.externalities, led), (S.conventions, conv)):
            if rows:
                try:
                    conn.execute(table.insert(), [dict(r, import_id=import_id) for r in rows])
                except sa.exc.IntegrityError as err:
                    raise DataError(f"ledger: {table.name} conflict with rows already stored; nothing was written "
                                    f"({err.orig})") from None
        audit.record(conn, project.role, "import_ledger", str(import_id), n=len(led) + len(conv), source=source)
        return len(led) + len(conv)

    return project._write(run)


def read_ledger(project: _Project, wave: str | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Stored ledger and conventions (import order), optionally of one wave."""
    out = []
    for table, cols in ((S.externalities, LEDGER_COLUMNS), (S.conventions, CONVENTION_COLUMNS)):
        q = sa.select(*[table.c[c] for c in cols]).order_by(table.c.id)
        if wave is not None:
            q = q.where(table.c.wave == str(wave))
        df = project._frame(q)
        for c in _NUMERIC & set(cols):
            df[c] = df[c].astype(float) if len(df) else pd.Series(dtype=float)
        out.append(df.replace({None: np.nan}))
    return out[0], out[1]
