"""The project's own tables: schema versions, facts, settings, framework versions, units, waves,
imports, stored results and the audit log; and the :data:`metadata` every table of the schema
belongs to (the table list is in :mod:`coopeval.store.schema`)."""

from __future__ import annotations

import sqlalchemy as sa

#: The tables of the current schema (every module of :mod:`coopeval.store.schema` adds to it).
metadata = sa.MetaData()

#: Column type of the ids of units, waves, sessions, participants…
ID = sa.String(128)
#: Column type of timestamps: ISO 8601 UTC text, portable and exact on both backends.
TS = sa.String(40)

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", TS, nullable=False),
    sa.Column("description", sa.Text, nullable=False),
)

meta = sa.Table(
    "meta", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

settings = sa.Table(
    "settings", metadata,
    sa.Column("key", sa.String(64), primary_key=True),
    sa.Column("value", sa.Text, nullable=False),
)

frameworks = sa.Table(
    "frameworks", metadata,
    sa.Column("hash", sa.String(64), primary_key=True),
    sa.Column("framework_id", sa.String(64), nullable=False),
    sa.Column("version", sa.String(32), nullable=False),
    sa.Column("title_fr", sa.Text, nullable=False),
    sa.Column("yaml", sa.Text, nullable=False),
    sa.Column("created_at", TS, nullable=False),
)

units = sa.Table(
    "units", metadata,
    sa.Column("unit", ID, primary_key=True),
    sa.Column("name", sa.Text),  # v2 (v1: label)
    sa.Column("type", sa.String(64)),  # v2 (v1: kind)
    sa.Column("parent", ID, sa.ForeignKey("units.unit")),
    sa.Column("territory", sa.Text),  # v2
)

waves = sa.Table(
    "waves", metadata,
    sa.Column("wave", ID, primary_key=True),
    sa.Column("label", sa.Text),
    sa.Column("date", sa.String(32)),
)

imports = sa.Table(
    "imports", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(32), nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("sha256", sa.String(64)),
    sa.Column("framework_hash", sa.String(64), sa.ForeignKey("frameworks.hash"), nullable=False),
    sa.Column("n_rows", sa.Integer, nullable=False),
    sa.Column("at", TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
)

results = sa.Table(
    "results", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("kind", sa.String(64), nullable=False),
    sa.Column("framework_hash", sa.String(64), sa.ForeignKey("frameworks.hash"), nullable=False),
    sa.Column("weights", sa.Text, nullable=False),  # JSON
    sa.Column("params", sa.Text, nullable=False),  # JSON
    sa.Column("inputs", sa.Text, nullable=False),  # JSON: what data went in, and its checksum
    sa.Column("table_json", sa.Text, nullable=False),  # the result table, exact (split orient)
    sa.Column("code_version", sa.String(32), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("detail", sa.Text),  # JSON
)
