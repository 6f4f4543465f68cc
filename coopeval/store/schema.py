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
``participants``    participants of a session, their college, the SHA-256 of their token and its expiry [v7]
``links``           every personal link issued: SHA-256, the token encrypted with the facilitator's key,
                    issue / expiry / revocation times (a re-issued link revokes the old one) [v7]
``submissions``     one judgement set of one participant in one round (unique)
``judgements``      ``session, round, participant, college, method, node, value`` (+ ``reason`` [v2])
``resources``       resources of the socio-economic model: ``unit, wave, source, category, amount,
                    unit_of_measure`` (market / non-market / non-monetary, in euros or hours…) [v3]
``externalities``    externality ledger: ``unit, wave, externality, beneficiary, beneficiary_type,
                    quantity, unit_of_measure, proxy, proxy_low, proxy_high, proxy_source, note`` [v5]
``conventions``     conventions signed with beneficiaries: ``unit, wave, beneficiary, convention,
                    covers, amount, period`` [v5]
``extracts``        qualitative evidence: ``extract, unit, wave, source, date, speaker`` (pseudonym), ``college,
                    consent`` (0/1), ``text`` — verbatims of interviews, focus groups, open answers [v6, issue 17]
``codebook``        codes the researcher defines: ``code, label_fr, label_en, node`` (criterion/indicator) [v6]
``codes``           codes given to extracts: ``extract, code, coder`` (several codes and coders per extract) [v6]
``actions``         actions decided after a restitution: ``action, unit, wave, decided_on, what, criteria, who,
                    due, status, updated_at`` [v6]
``results``         computed tables with the framework version, weights, parameters and inputs used
``audit_log``       append-only journal: ``at, role, action, target, detail`` (update/delete refused by triggers)
``proposals``       framework-round proposals (keep/remove/rename/reword/add/goalpost/target), anonymous [v8]
``proposal_votes``  votes on proposals: ``proposal, participant, college, vote`` (for/against/abstain) [v8]
``decisions``       register of decisions on what is measured (append-only like ``audit_log``): who decided,
                    why, the votes by college (small groups hidden), framework version before/after [v8]
"""

from __future__ import annotations

import sqlalchemy as sa

#: Current version of the schema written by this version of coopeval.
SCHEMA_VERSION = 9

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
#: Issue 18: the codes of ``ce.valuation.finance_lines()`` (pillars, costs, loans, equity,
#: investment) are accepted too (store/checks.py); no new table, no migration.
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

# --- issue 18: externality ledger and conventions [v5] -------------------------------------------
externalities = sa.Table(  # v5
    "externalities", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
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
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("beneficiary", sa.Text, nullable=False),
    sa.Column("convention", sa.Text, nullable=False),
    sa.Column("covers", sa.Text, nullable=False),  # externalities separated by ';' or '*'
    sa.Column("amount", sa.Double, nullable=True),
    sa.Column("period", sa.String(64), nullable=True),
    sa.Column("import_id", sa.Integer, sa.ForeignKey("imports.id"), nullable=False),
    sa.UniqueConstraint("unit", "wave", "beneficiary", "convention", name="uq_convention"),
)
# --- end of issue 18 ---------------------------------------------------------------------------

# ---- issue 17: qualitative evidence and the learning cycle (v6) -------------------------------
extracts = sa.Table(  # v6
    "extracts", metadata,
    sa.Column("extract", _ID, primary_key=True),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
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
    sa.Column("extract", _ID, sa.ForeignKey("extracts.extract"), nullable=False),
    sa.Column("code", sa.String(64), nullable=False),
    sa.Column("coder", sa.String(64), nullable=False),
    sa.UniqueConstraint("extract", "code", "coder", name="uq_code"),
)

#: Status codes of an action (see coopeval.qualitative.actions.STATUSES).
ACTION_STATUSES = ("decided", "in_progress", "done", "dropped")

actions = sa.Table(  # v6
    "actions", metadata,
    sa.Column("action", sa.String(64), primary_key=True),
    sa.Column("unit", _ID, sa.ForeignKey("units.unit"), nullable=False),
    sa.Column("wave", _ID, sa.ForeignKey("waves.wave"), nullable=False),
    sa.Column("decided_on", sa.String(32)),
    sa.Column("what", sa.Text, nullable=False),
    sa.Column("criteria", sa.Text, nullable=False),  # node ids separated by ";"
    sa.Column("who", sa.Text),
    sa.Column("due", sa.String(32)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("updated_at", _TS, nullable=False),
    sa.CheckConstraint("status IN ('decided', 'in_progress', 'done', 'dropped')", name="ck_action_status"),
)
# ---- end issue 17 ------------------------------------------------------------------------------

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("session", _ID, primary_key=True),
    sa.Column("framework_hash", sa.String(64), sa.ForeignKey("frameworks.hash"), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("created_at", _TS, nullable=False),
    sa.Column("college_shares", sa.Text),  # v4: JSON {college: voice} (None: equal voices)
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
    sa.Column("expires_at", _TS),  # v7 (issue 23): expiry fixed when the link is issued (None: never)
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

# ---- issue 23 (v7): every personal link issued, kept encrypted with the facilitator's key
links = sa.Table(
    "links", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", _ID, nullable=False),
    sa.Column("participant", _ID, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("token_enc", sa.Text),  # Fernet token under the links key (None: issued without the key)
    sa.Column("issued_at", _TS, nullable=False),
    sa.Column("expires_at", _TS),
    sa.Column("revoked_at", _TS),  # set when the link is replaced by a new one
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
)
# ---- end issue 23

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

# --- issue 22: framework rounds and the register of decisions [v8] ------------------------------
proposals = sa.Table(
    "proposals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", _ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("target", sa.String(64)),  # the node concerned (none for a new one)
    sa.Column("parent", sa.String(64)),  # where a new node would go
    sa.Column("text", sa.Text),  # new label, new wording, or the name of the new node
    sa.Column("measures", sa.Text),  # what a new node measures
    sa.Column("why", sa.Text),  # why it matters to the proposer
    sa.Column("value", sa.Text),  # JSON: proposed goalposts or target
    sa.Column("created_at", _TS, nullable=False),
    sa.ForeignKeyConstraint(["session", "round"], ["rounds.session", "rounds.round"]),
)

proposal_votes = sa.Table(
    "proposal_votes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
    sa.Column("session", _ID, nullable=False),
    sa.Column("participant", _ID, nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("vote", sa.String(8), nullable=False),
    sa.Column("at", _TS, nullable=False),
    sa.UniqueConstraint("proposal", "participant", name="uq_proposal_vote"),
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
    sa.CheckConstraint("vote IN ('for', 'against', 'abstain')", name="ck_proposal_vote"),
)

decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", _TS, nullable=False),
    sa.Column("wave", _ID),  # the wave from which the decision applies
    sa.Column("kind", sa.String(16), nullable=False),  # framework, goalpost, materiality
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("outcome", sa.String(16), nullable=False),  # adopted, rejected
    sa.Column("decided_by", sa.String(16), nullable=False),  # round, body, facilitator, researcher
    sa.Column("decider", sa.Text),  # the body or the person's role (never a name)
    sa.Column("reason", sa.Text),
    sa.Column("votes", sa.Text),  # JSON {college: {n, for, against, abstain}}, small groups hidden
    sa.Column("detail", sa.Text),  # JSON: the change (new label, node, goalposts, stakeholders…)
    sa.Column("session", _ID),
    sa.Column("proposal", sa.Integer),
    sa.Column("framework_before", sa.String(64)),
    sa.Column("framework_after", sa.String(64)),
    sa.Column("role", sa.String(32), nullable=False),
)
# --- end of issue 22 ---------------------------------------------------------------------------

sa.Index("ix_judgements_round", judgements.c.session, judgements.c.round)
sa.Index("ix_observations_wave", observations.c.wave)
sa.Index("ix_responses_wave", responses.c.wave)
sa.Index("ix_resources_wave", resources.c.wave)

#: Tables in an order that respects foreign keys (parents first): used by export/import.
TABLE_ORDER = [
    "meta", "settings", "frameworks", "units", "waves", "imports", "observations", "respondents",
    "responses", "resources", "externalities", "conventions", "extracts", "codebook", "codes", "actions", "sessions", "rounds", "participants", "links", "submissions", "judgements", "results",
    "audit_log", "proposals", "proposal_votes", "decisions",
]

#: Tables whose integer ``id`` is generated by the database.
SERIAL_TABLES = ("imports", "observations", "responses", "resources", "externalities", "conventions", "codes", "submissions", "judgements", "results", "audit_log", "links",
                 "proposals", "proposal_votes", "decisions")
