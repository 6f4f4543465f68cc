"""Issue 22 [v8]: framework rounds (proposals and their votes) and the register of decisions."""

from __future__ import annotations

import sqlalchemy as sa

from coopeval.store.schema.core import ID, TS, metadata

proposals = sa.Table(
    "proposals", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("session", ID, nullable=False),
    sa.Column("round", sa.Integer, nullable=False),
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("target", sa.String(64)),  # the node concerned (none for a new one)
    sa.Column("parent", sa.String(64)),  # where a new node would go
    sa.Column("text", sa.Text),  # new label, new wording, or the name of the new node
    sa.Column("measures", sa.Text),  # what a new node measures
    sa.Column("why", sa.Text),  # why it matters to the proposer
    sa.Column("value", sa.Text),  # JSON: proposed goalposts or target
    sa.Column("created_at", TS, nullable=False),
    sa.ForeignKeyConstraint(["session", "round"], ["rounds.session", "rounds.round"]),
)

proposal_votes = sa.Table(
    "proposal_votes", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("proposal", sa.Integer, sa.ForeignKey("proposals.id"), nullable=False),
    sa.Column("session", ID, nullable=False),
    sa.Column("participant", ID, nullable=False),
    sa.Column("college", sa.String(64), nullable=False),
    sa.Column("vote", sa.String(8), nullable=False),
    sa.Column("at", TS, nullable=False),
    sa.UniqueConstraint("proposal", "participant", name="uq_proposal_vote"),
    sa.ForeignKeyConstraint(["session", "participant"], ["participants.session", "participants.participant"]),
    sa.CheckConstraint("vote IN ('for', 'against', 'abstain')", name="ck_proposal_vote"),
)

decisions = sa.Table(
    "decisions", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("at", TS, nullable=False),
    sa.Column("wave", ID),  # the wave from which the decision applies
    sa.Column("kind", sa.String(16), nullable=False),  # framework, goalpost, materiality
    sa.Column("op", sa.String(16), nullable=False),
    sa.Column("target", sa.Text),
    sa.Column("outcome", sa.String(16), nullable=False),  # adopted, rejected
    sa.Column("decided_by", sa.String(16), nullable=False),  # round, body, facilitator, researcher
    sa.Column("decider", sa.Text),  # the body or the person's role (never a name)
    sa.Column("reason", sa.Text),
    sa.Column("votes", sa.Text),  # JSON {college: {n, for, against, abstain}}, small groups hidden
    sa.Column("detail", sa.Text),  # JSON: the change (new label, node, goalposts, stakeholders…)
    sa.Column("session", ID),
    sa.Column("proposal", sa.Integer),
    sa.Column("framework_before", sa.String(64)),
    sa.Column("framework_after", sa.String(64)),
    sa.Column("role", sa.String(32), nullable=False),
)
