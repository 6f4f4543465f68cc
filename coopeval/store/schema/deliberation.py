"""Deliberation: sessions, rounds, participants, submissions, judgements and, issue 23 [v7], every
personal link issued (kept encrypted with the facilitator's key)."""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.store.schema.core import ID, TS, metadata

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("session", ID, primary_key=True),
    sa.Column("framework_hash", sa.String(64), sa.ForeignKey("frameworks.hash"), nullable=False),
    sa.Column("title", sa.Text),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("college_shares", sa.Text),  # v4: JSON {college: voice} (None: equal voices)
)

rounds = sa.Table(
    "rounds", metadata,
    sa.Column("session", ID, sa.ForeignKey("sessions.session"), primary_key=True),
    sa.Column("round", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("opened_at", TS),
    sa.Column("closed_at", TS),
    sa.Column("methods", sa.Text, nullable=False, server_default="{}"),  # v2: JSON {college: method}
    sa.CheckConstraint("status IN ('planned', 'open', 'closed')", name="ck_round_status"),
)

participants = sa.Table(
    "participants", metadata,
    sa.Column("session", ID, sa.ForeignKey("sessions.session"), primary_key=True),
    sa.Column("participant", ID, primary_key=True),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("created_at", TS, nullable=False),
    sa.Column("expires_at", TS),  # v7 (issue 23): expiry fixed when the link is issued (None: never)
)

submissions = sa.Table(
    "submissions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant", ID, nullable=False),
    sa.Column("submitted_at", TS, nullable=False),
    sa.Column("n_judgements", sa.Integer, nullable=False),
    sa.UniqueConstraint("session", "round", "participant", name="uq_submission"),
    sa.ForeignKeyConstraint(["session", "round"], ["rounds.session", "rounds.round"]),
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
)

judgements = sa.Table(
    "judgements", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("submission_id", sa.Integer, sa.ForeignKey("submissions.id", ondelete="CASCADE"), nullable=False),
    sa.Column("session", ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("participant", ID, nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("method", sa.String(32), nullable=False),
    sa.Column("node", sa.String(64), nullable=False),
    sa.Column("value", sa.Double, nullable=False),
    sa.Column("reason", sa.Text),  # v2: the argument given, for Delphi feedback
    # no unique (…, node) constraint since v2: Simos blank cards repeat the node "__blanc__";
    # a set is unique per participant and round through `submissions`
)

links = sa.Table(
    "links", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", ID, nullable=False),
    sa.Column("participant", ID, nullable=False),
    sa.Column("token_hash", sa.String(64), nullable=False, unique=True),
    sa.Column("token_enc", sa.Text),  # Fernet token under the links key (None: issued without the key)
    sa.Column("issued_at", TS, nullable=False),
    sa.Column("expires_at", TS),
    sa.Column("revoked_at", TS),  # set when the link is replaced by a new one
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
)

sa.Index("ix_judgements_round", judgements.c.session, judgements.c.round)
