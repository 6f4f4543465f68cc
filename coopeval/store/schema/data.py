"""Imported data: observations, pseudonymised respondents and their responses, resources of the
socio-economic model [v3]."""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.store.schema.core import ID, TS, metadata

observations = sa.Table(
    "observations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("source", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "indicator", name="uq_observation"),
)

respondents = sa.Table(  # v11: an integer id, which the responses refer to
    "respondents", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("respondent", sa.String(64), nullable=False),
    sa.Column("created_at", TS, nullable=False),
    sa.UniqueConstraint("respondent", name="uq_respondent"),
)

# v11 (issue 21): a response refers to its respondent by the integer id, not by the pseudonym
# (``r_`` + 16 hexadecimal digits) repeated in every row and in the unique key (SQLite alone inserting
# 340,000 responses: 2.03-2.29 s with the text, 1.75-1.85 s with the id). ``Project.responses()``
# joins the pseudonym back.
responses = sa.Table(
    "responses", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("respondent_id", sa.Integer, sa.ForeignKey("respondents.id"), nullable=False),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("item", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("respondent_id", "unit", "wave", "item", name="uq_response"),
)

resources = sa.Table(  # v3
    "resources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # who provides it (sales, a funder, volunteers…)
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("amount", sa.Double, nullable=False),
    sa.Column("unit_of_measure", sa.String(32), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "source", "category", "unit_of_measure", name="uq_resource"),
    sa.CheckConstraint("amount >= 0", name="ck_resource_amount"),
)

sa.Index("ix_observations_wave", observations.c.wave)
# No index on ``responses.wave`` (dropped at version 10, issue 21): SQLite spent 38 % of its insert
# of 340,000 responses keeping it, and one wave (68,000 rows) is read as fast by scanning the table
# (0.27-0.28 s without it, 0.22-0.29 s with it). The unique key (respondent first) serves the
# lookups by respondent.
sa.Index("ix_resources_wave", resources.c.wave)
