"""Issue 17 [v6]: qualitative evidence (extracts, codebook, codes) and the actions decided after a
restitution."""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.store.schema.core import ID, TS, metadata

extracts = sa.Table(  # v6
    "extracts", metadata,
    sa.Column("extract", ID, primary_key=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("source", sa.Text),
    sa.Column("date", sa.String(32)),
    sa.Column("speaker", sa.String(64), nullable=False),  # keyed pseudonym, never a name
    sa.Column("college", sa.String(64)),
    sa.Column("consent", sa.Integer, nullable=False),
    sa.Column("text", sa.Text, nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.CheckConstraint("consent IN (0, 1)", name="ck_extract_consent"),
)

codebook = sa.Table(  # v6
    "codebook", metadata,
    sa.Column("code", sa.String(64), primary_key=True),
    sa.Column("label_fr", sa.Text, nullable=False),
    sa.Column("label_en", sa.Text, nullable=False),
    sa.Column("node", sa.String(64)),
)

codes = sa.Table(  # v6
    "codes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("extract", ID, sa.ForeignKey("extracts.extract"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("coder", sa.String(64), nullable=False),
    sa.UniqueConstraint("extract", "code", "coder", name="uq_code"),
)

actions = sa.Table(  # v6
    "actions", metadata,
    sa.Column("action", sa.String(64), primary_key=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("decided_on", sa.String(32)),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("criteria", sa.Text, nullable=False),  # node ids separated by ";"
    sa.Column("who", sa.Text),
    sa.Column("due", sa.String(32)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("updated_at", TS, nullable=False),
    sa.CheckConstraint("status IN ('decided', 'in_progress', 'done', 'dropped')", name="ck_action_status"),
)
