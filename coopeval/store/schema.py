"""Tables of a coopeval project (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Schema version :data:`SCHEMA_VERSION`. The history of the schema is in
:mod:`coopeval.store.migrations`; this module always describes the *current* schema.

Tables (one concept each)
-------------------------
``schema_version``  versions applied to the file or database (``version, applied_at, description``)
``meta``            key/value facts about the project (``project_id``, ``created_at``, the pseudonymisation key)
``settings``        user settings (``min_group_size`` of the collective view, default 5)   [v2]
``frameworks``      framework versions: canonical YAML text and its SHA-256 (``fw.hash``)
``units``           cooperations and their structures: ``unit, name, type, parent, territory``
                    (``parent`` links a structure to its cooperation) [v2 names, as in the datasets]
``waves``           evaluation rounds over time
``imports``         one row per import (kind, file, checksum, role, number of rows)
``observations``    ``unit, wave, indicator, value`` (+ ``source, note``), the framework used to validate them
``respondents``     pseudonymised respondents (HMAC of the original identifier, never the identifier)
``responses``       ``respondent, unit, wave, college, item, value``
``sessions``        deliberation sessions, each on one framework version
``rounds``          rounds of a session: ``status`` (planned/open/closed), ``methods`` per college [v2]
``participants``    participants of a session, their college and the SHA-256 of their token
``submissions``     one judgement set of one participant in one round (unique)
``judgements``      ``session, round, participant, college, method, node, value`` (+ ``reason`` [v2])
``resources``       resources of the socio-economic model: ``unit, wave, source, category, amount,
                    unit_of_measure`` (market / non-market / non-monetary, in euros or hours…) [v3]
``results``         computed tables with the framework version, weights, parameters and inputs used
``audit_log``       append-only journal: ``at, role, action, target, detail`` (update/delete refused by triggers)
"""

from __future__ import annotations

import sqlalchemy as sa

#: Current version of the schema written by this version of coopeval.
SCHEMA_VERSION = 4

metadata = sa.MetaData()

_ID = sa.String(128)
_TS = sa.String(40)  # ISO 8601 UTC timestamps, portable and exact on both backends

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", _TS, nullable=False),
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
    sa.Column("created_at", _TS, nullable=False),
)

units = sa.Table(
    "units", metadata,
    sa.Column("unit", _ID, primary_key=True),
    sa.Column("name", sa.Text),  # v2 (v1: label)
    sa.Column("type", sa.String(64)),  # v2 (v1: kind)
    sa.Column("parent", _ID, sa.ForeignKey("units.unit")),
    sa.Column("territory", sa.Text),  # v2
)

waves = sa.Table(
    "waves", metadata,
    sa.Column("wave", _ID, primary_key=True),
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
    sa.Column("at", _TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
)

observations = sa.Table(
    "observations", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("indicator", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("source", sa.Text),
    sa.Column("note", sa.Text),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "indicator", name="uq_observation"),
)

respondents = sa.Table(
    "respondents", metadata,
    sa.Column("respondent", sa.String(64), primary_key=True),
    sa.Column("created_at", _TS, nullable=False),
)

responses = sa.Table(
    "responses", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("respondent", sa.String(64), sa.ForeignKey("respondents.respondent"), nullable=False),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("item", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("respondent", "unit", "wave", "item", name="uq_response"),
)

#: Categories of resources accepted on import (French or English spelling, stored as given).
RESOURCE_CATEGORIES = ("marchand", "non_marchand", "non_monetaire", "market", "non_market", "non_monetary")

resources = sa.Table(  # v3
    "resources", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("source", sa.Text, nullable=False),  # who provides it (sales, a funder, volunteers…)
    sa.Column("category", sa.String(32), nullable=False),
    sa.Column("amount", sa.Double, nullable=False),
    sa.Column("unit_of_measure", sa.String(32), nullable=False),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "source", "category", "unit_of_measure", name="uq_resource"),
    sa.CheckConstraint("amount >= 0", name="ck_resource_amount"),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("session", _ID, primary_key=True),
    sa.Column("framework_hash", sa.String(64), sa.ForeignKey("frameworks.hash"), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("created_at", _TS, nullable=False),
)

rounds = sa.Table(
    "rounds", metadata,
    sa.Column("session", _ID, sa.ForeignKey("sessions.session"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("opened_at", _TS),
    sa.Column("closed_at", _TS),
    sa.Column("methods", sa.Text, nullable=False, server_default="{}"),  # v2: JSON {college: method}
    sa.CheckConstraint("status IN ('planned', 'open', 'closed')", name="ck_round_status"),
)

participants = sa.Table(
    "participants", metadata,
    sa.Column("session", _ID, sa.ForeignKey("sessions.session"), primary_key=True),
    sa.Column("participant", _ID, primary_key=True),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", _TS, nullable=False),
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", _ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant", _ID, nullable=False),
    sa.Column("submitted_at", _TS, nullable=False),
    sa.Column("n_judgements", sa.Integer, nullable=False),
    sa.UniqueConstraint("session", "round", "participant", name="uq_submission"),
    sa.ForeignKeyConstraint(["session", "round"], ["rounds.session", "rounds.round"]),
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
)

judgements = sa.Table(
    "judgements", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("session", _ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant", _ID, nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("node", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("reason", sa.Text),  # v2: the argument given, for Delphi feedback
    # no unique (…, node) constraint since v2: Simos blank cards repeat the node "__blanc__";
    # a set is unique per participant and round through `submissions`
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
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
)

audit_log = sa.Table(
    "audit_log", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", _TS, nullable=False),
    sa.Column("role", sa.String(32), nullable=False),
    sa.Column("action", sa.String(64), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("detail", sa.Text),  # JSON
)

sa.Index("ix_judgements_round", judgements.c.session, judgements.c.round)
sa.Index("ix_observations_wave", observations.c.wave)
sa.Index("ix_responses_wave", responses.c.wave)
sa.Index("ix_resources_wave", resources.c.wave)

#: Tables in an order that respects foreign keys (parents first): used by export/import.
TABLE_ORDER = [
    "meta", "settings", "frameworks", "units", "waves", "imports", "observations", "respondents",
    "responses", "resources", "sessions", "rounds", "participants", "submissions", "judgements", "results",
    "audit_log",
]

#: Tables whose integer ``id`` is generated by the database.
SERIAL_TABLES = ("imports", "observations", "responses", "resources", "submissions", "judgements", "results", "audit_log")
