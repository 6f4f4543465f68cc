"""Tables of a coopeval project (SQLAlchemy Core), identical on SQLite and PostgreSQL.

Schema version :data:`SCHEMA_VERSION`. The history of the schema is in
:mod:`coopeval.store.migrations`; this package always describes the *current* schema, one
module per concept (:mod:`~coopeval.store.schema.core`, :mod:`~coopeval.store.schema.data`,
:mod:`~coopeval.store.schema.ledger`, :mod:`~coopeval.store.schema.qualitative`,
:mod:`~coopeval.store.schema.deliberation`, :mod:`~coopeval.store.schema.framework_round`), and
names every table here: the store reads them as ``schema.<table>``.

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
``respondents``     pseudonymised respondents: ``id`` [v11], ``respondent`` (HMAC of the original identifier,
                    never the identifier), ``created_at``
``responses``       ``respondent_id`` (the respondent's ``id`` [v11]), ``unit, wave, college, item, value``
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

from coopeval.store.schema.core import (
    audit_log,
    frameworks,
    imports,
    meta,
    metadata,
    results,
    schema_version,
    settings,
    units,
    waves,
)
from coopeval.store.schema.data import observations, resources, respondents, responses
from coopeval.store.schema.deliberation import (
    judgements,
    links,
    participants,
    rounds,
    sessions,
    submissions,
)
from coopeval.store.schema.framework_round import decisions, proposal_votes, proposals
from coopeval.store.schema.ledger import conventions, externalities
from coopeval.store.schema.qualitative import actions, codebook, codes, extracts

#: Current version of the schema written by this version of coopeval.
SCHEMA_VERSION = 11

#: Tables in an order that respects foreign keys (parents first): used by export/import.
TABLE_ORDER = [
    "meta", "settings", "frameworks", "units", "waves", "imports", "observations", "respondents",
    "responses", "resources", "externalities", "conventions", "extracts", "codebook", "codes", "actions",
    "sessions", "rounds", "participants", "links", "submissions", "judgements", "results",
    "audit_log", "proposals", "proposal_votes", "decisions",
]

#: Tables whose integer ``id`` is generated by the database.
SERIAL_TABLES = ("imports", "observations", "respondents", "responses", "resources", "externalities", "conventions", "codes",
                 "submissions", "judgements", "results", "audit_log", "links", "proposals", "proposal_votes",
                 "decisions")

__all__ = [
    "SCHEMA_VERSION", "TABLE_ORDER", "SERIAL_TABLES", "metadata",
    "schema_version", "meta", "settings", "frameworks", "units", "waves", "imports", "results", "audit_log",
    "observations", "respondents", "responses", "resources", "externalities", "conventions",
    "extracts", "codebook", "codes", "actions",
    "sessions", "rounds", "participants", "submissions", "judgements", "links",
    "proposals", "proposal_votes", "decisions",
]
