"""Issue 18 [v5]: the externality ledger and the conventions signed with beneficiaries."""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.store.schema.core import ID, metadata

externalities = sa.Table(  # v5
    "externalities", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("externality", sa.Text, nullable=False),
    sa.Column("beneficiary", sa.Text, nullable=False),
    sa.Column("beneficiary_type", sa.String(32), nullable=False),
    sa.Column("quantity", sa.Double, nullable=True),
    sa.Column("unit_of_measure", sa.String(32), nullable=True),
    sa.Column("proxy", sa.Text, nullable=True),  # catalogue name or number (as text)
    sa.Column("proxy_low", sa.Double, nullable=True),
    sa.Column("proxy_high", sa.Double, nullable=True),
    sa.Column("proxy_source", sa.Text, nullable=True),
    sa.Column("note", sa.Text, nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "externality", "beneficiary", name="uq_externality"),
)

conventions = sa.Table(  # v5
    "conventions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("beneficiary", sa.Text, nullable=False),
    sa.Column("convention", sa.Text, nullable=False),
    sa.Column("covers", sa.Text, nullable=False),  # externalities separated by ';' or '*'
    sa.Column("amount", sa.Double, nullable=True),
    sa.Column("period", sa.String(64), nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "beneficiary", "convention", name="uq_convention"),
)
