"""Issue 22: framework rounds and the register of decisions on what is measured.

Mixed into :class:`coopeval.store.Project`.

* A **framework round** is a round of a deliberation session opened with
  :meth:`DecisionsMixin.open_framework_round`. With their token, participants
  :meth:`~DecisionsMixin.propose` changes (keep, remove, rename or reword a node, add one —
  saying what it measures and why —, set goalposts or a target); a proposal keeps no trace
  of who made it. Participants then :meth:`~DecisionsMixin.vote`; the tally by college hides
  colleges under the project's minimum group size (:func:`coopeval.weighting.framework_round.tally`).
  The facilitator records the outcome with :meth:`~DecisionsMixin.close_framework_round`: the
  adopted changes are applied to the session's framework (``drop``, ``extend``, ``override``),
  the new version is stored, and every proposal becomes a decision in the register.
* The **register** (table ``decisions``, append-only like the audit log: database triggers
  refuse UPDATE and DELETE) holds every change to the framework, from a round, a body (an
  assembly's vote), a facilitator or a researcher (:meth:`~DecisionsMixin.decide`), and the
  materiality decisions of a valuation: date, who decided (a body or a role, never a name),
  the reason, the votes by college (small groups hidden), the framework versions before and
  after.
* Framework versions are numbered per project (:meth:`~DecisionsMixin.framework_versions`);
  :meth:`coopeval.Project.results` names the version number of every stored result.

Example
-------
>>> import tempfile, pathlib
>>> import pandas as pd
>>> import coopeval as ce
>>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval", framework="cooperation_territoriale")
>>> ind = p.framework().indicator_ids[0]
>>> h = p.decide("rename", ind, text="Personnes accueillies", by="body", decider="assemblée générale",
...              reason="le mot « bénéficiaires » ne nous convient pas", wave="2025")
>>> p.decisions()[["op", "target", "decided_by", "version_before", "version_after"]].values.tolist()[0][2:]
['body', 1, 2]
>>> p.framework_versions()["number"].tolist()
[1, 2]
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import CoopevalError, StoreError, bad_param
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.access import token_info_in
from coopeval.store.migrations import now
from coopeval.store.protocol import ProjectBase
from coopeval.store.tokens import hash_token
from coopeval.weighting import framework_round as FR

if TYPE_CHECKING:
    from pathlib import Path

    from coopeval.framework.tree import Framework

#: Who may take a decision recorded in the register.
DECIDERS = ("round", "body", "facilitator", "researcher")
#: Outcome of a decision.
OUTCOMES = ("adopted", "rejected")
#: Method code of a round opened as a framework round.
FRAMEWORK_METHOD = "framework"
DECISION_COLUMNS = ["id", "at", "wave", "kind", "op", "target", "outcome", "decided_by", "decider", "reason",
                    "votes", "detail", "session", "proposal", "framework_before", "framework_after",
                    "version_before", "version_after"]
PROPOSAL_COLUMNS = ["id", "session", "round", "op", "target", "parent", "text", "measures", "why", "value",
                    "created_at"]


def _kind(op: str) -> str:
    if op in FR.MATERIALITY_OPS:
        return "materiality"
    return "goalpost" if op in ("goalpost", "target") else "framework"


def _counts_votes(votes: dict | None, min_group: int) -> dict | None:
    """Vote counts ``{college: {for, against, abstain}}`` with small colleges hidden."""
    if votes is None:
        return None
    if not isinstance(votes, dict):
        bad_param("votes", "{college: {'for': n, 'against': n, 'abstain': n}}", votes, StoreError)
    rows = []
    for college, counts in votes.items():
        for v, n in dict(counts).items():
            if v not in FR.VOTES or isinstance(n, bool) or not isinstance(n, int) or n < 0:
                bad_param(f"votes[{college!r}]", "counts for, against, abstain (integers >= 0)", counts, StoreError)
            rows += [{"proposal": 0, "college": str(college), "vote": v}] * n
    return FR.votes_by_college(FR.tally(pd.DataFrame(rows, columns=["proposal", "college", "vote"]),
                                        min_group=min_group), 0)


class _Project(ProjectBase, Protocol):
    """What the decision register uses of its :class:`~coopeval.store.Project`."""

    def min_group(self) -> int: ...

    def framework(self, ref: str | Framework | None = ...) -> Framework: ...

    def frameworks(self) -> pd.DataFrame: ...

    def _add_framework(self, framework: Framework | str | Path) -> str: ...

    def observations(self, wave: str | None = ...) -> pd.DataFrame: ...

    def _session_framework(self, conn: sa.Connection, session: str) -> str: ...

    def open_round(self, session: str, round: int, *,  # noqa: A002
                   methods: dict[str, str] | str | None = ...) -> None: ...

    def close_round(self, session: str, round: int) -> None: ...  # noqa: A002

    def rounds(self, session: str | None = ...) -> pd.DataFrame: ...

    def _framework_token(self, conn: sa.Connection, token: str) -> Any: ...

    def proposals(self, session: str | None = ...) -> pd.DataFrame: ...

    def framework_tally(self, session: str, *, min_group: int | None = ...) -> pd.DataFrame: ...

    def _record(self, conn: sa.Connection, *, wave: Any, votes: dict | None, detail: dict | None,
                **row: Any) -> int: ...

    def _version_numbers(self) -> dict[str, int]: ...

    def _lineage_parent(self, digest: str, stored: set[str]) -> str | None: ...


class DecisionsMixin:
    """Framework rounds, the register of decisions and numbered framework versions."""

    # ------------------------------------------------------------------ framework rounds
    def open_framework_round(self: _Project, session: str, round: int) -> None:  # noqa: A002
        """Open ``round`` of ``session`` as a framework round (proposals and votes on what is measured)."""
        self.open_round(session, round, methods=FRAMEWORK_METHOD)

    def _framework_token(self: _Project, conn: sa.Connection, token: str) -> Any:
        if not isinstance(token, str) or not token:
            bad_param("token", "a participant token", token, StoreError)
        info = token_info_in(conn, hash_token(token), lock=True)
        if info.status in ("unknown", "expired", "no_round"):
            raise StoreError(f"token: {info.status.replace('_', ' ')} (a framework round must be open and the "
                             "token valid)")
        if (info.methods or {}).get("*") != FRAMEWORK_METHOD:
            raise StoreError(f"round: round {info.round} of session {info.session!r} is not a framework round")
        return info

    def propose(self: _Project, token: str, op: str, target: str | None = None, *, text: str | None = None,
                parent: str | None = None, measures: str | None = None, why: str | None = None,
                value: dict | None = None) -> int:
        """Propose a change in the open framework round; returns the proposal id.

        The proposal keeps no participant id (proposals are anonymous); the token only proves
        that a participant of the session, in an open framework round, proposes it. ``op`` is one
        of ``keep, remove, rename, reword, add, goalpost, target``; ``add`` needs ``text`` (its
        name) and ``measures`` (what it measures), ``rename``/``reword`` the new ``text``,
        ``goalpost``/``target`` a ``value`` (``{"lower": .., "upper": ..}`` or ``{"target": ..}``).
        """
        if op not in FR.FRAMEWORK_OPS:
            bad_param("op", f"one of {', '.join(FR.FRAMEWORK_OPS)}", op, StoreError)
        needs = {"add": ("text", "measures"), "rename": ("text",), "reword": ("text",), "goalpost": ("value",),
                 "target": ("value",)}.get(op, ())
        given = {"text": text, "measures": measures, "value": value}
        for name in needs:
            if not given[name]:
                bad_param(name, f"a value for a {op!r} proposal", given[name], StoreError)
        if op in ("goalpost", "target"):
            keys = {"goalpost": {"lower", "upper", "goalpost_source"}, "target": {"target", "goalpost_source"}}[op]
            if not isinstance(value, dict) or set(value) - keys or not all(
                    isinstance(v, (int, float)) and not isinstance(v, bool) for k, v in value.items()
                    if k != "goalpost_source"):
                bad_param("value", f"a dict of numbers with keys among {', '.join(sorted(keys))}", value, StoreError)

        def run(conn: sa.Connection) -> int:
            info = self._framework_token(conn, token)
            fw = self.framework(info.framework_hash)
            where = parent if op == "add" else target
            if (op == "add" and where is not None or op != "add") and where not in fw:
                bad_param("parent" if op == "add" else "target", f"a node of the session's framework {fw.id}",
                          where, StoreError)
            pid = conn.execute(S.proposals.insert().values(
                session=info.session, round=info.round, op=op, target=target, parent=parent, text=text,
                measures=measures, why=why, value=None if value is None else json.dumps(value, sort_keys=True),
                created_at=now()).returning(S.proposals.c.id)).scalar_one()
            audit.record(conn, "participant", "propose", f"{info.session}/{info.round}", proposal=pid, op=op)
            return pid
        return self._write(run)

    def proposals(self: _Project, session: str | None = None) -> pd.DataFrame:
        """Proposals (anonymous): :data:`PROPOSAL_COLUMNS`, ``value`` a dict or None."""
        q = sa.select(S.proposals).order_by(S.proposals.c.id)
        if session is not None:
            q = q.where(S.proposals.c.session == str(session))
        df = self._frame(q)
        df["value"] = [json.loads(v) if isinstance(v, str) else None for v in df["value"]]
        for col in ("target", "parent", "text", "measures", "why"):
            df[col] = pd.Series([v if isinstance(v, str) else None for v in df[col]], index=df.index, dtype=object)
        return df[PROPOSAL_COLUMNS]

    def vote(self: _Project, token: str, votes: dict[int, str]) -> int:
        """Vote ``for``, ``against`` or ``abstain`` on proposals of the token's session, in an open
        framework round; a new vote on the same proposal replaces the earlier one. Returns the count."""
        if not isinstance(votes, dict) or not votes:
            bad_param("votes", "{proposal id: 'for' | 'against' | 'abstain'}", votes, StoreError)
        for pid, v in votes.items():
            if v not in FR.VOTES:
                bad_param(f"votes[{pid}]", f"one of {', '.join(FR.VOTES)}", v, StoreError)

        def run(conn: sa.Connection) -> int:
            info = self._framework_token(conn, token)
            t = S.proposal_votes
            known = set(conn.execute(sa.select(S.proposals.c.id).where(S.proposals.c.session == info.session))
                        .scalars())
            for pid, v in votes.items():
                if int(pid) not in known:
                    bad_param("votes", f"ids of proposals of session {info.session!r}", pid, StoreError)
                conn.execute(t.delete().where(t.c.proposal == int(pid), t.c.participant == info.participant))
                conn.execute(t.insert().values(proposal=int(pid), session=info.session, participant=info.participant,
                                               college=info.college, vote=v, at=now()))
            audit.record(conn, "participant", "vote", f"{info.session}/{info.round}", n=len(votes))
            return len(votes)
        return self._write(run)

    def framework_tally(self: _Project, session: str, *, min_group: int | None = None) -> pd.DataFrame:
        """Votes of a session's proposals by college (:func:`coopeval.weighting.framework_round.tally`),
        colleges under the project's minimum group size hidden; any role."""
        t = S.proposal_votes
        raw = self._frame(sa.select(t.c.proposal, t.c.college, t.c.vote).where(t.c.session == str(session)))
        return FR.tally(raw, min_group=self.min_group() if min_group is None else min_group)

    def close_framework_round(self: _Project, session: str, outcomes: dict[int, dict], *, wave: Any = None,
                              decider: str = "facilitation") -> str:
        """Record the outcome of a framework round and apply it; returns the new framework hash.

        Parameters
        ----------
        session : str
        outcomes : dict
            ``{proposal id: {"outcome": "adopted" | "rejected", "reason": ..., "node": {...}}}``
            for every proposal of the session (``node``: the complete new node of an adopted
            ``add``; ``value``/``text`` may amend the proposal's own).
        wave : optional
            The wave from which the decisions apply. The session's open round is closed.
        decider : str
            Who records the outcome (a role, never a name).
        """
        self._require("researcher", "facilitator")
        props = self.proposals(session)
        missing = sorted(set(props["id"]) - {int(k) for k in outcomes})
        if missing:
            bad_param("outcomes", "an outcome for every proposal of the session", f"none for {missing}", StoreError)
        tally = self.framework_tally(session)
        fw = self.framework(self._read(lambda c: self._session_framework(c, session)))
        rows, start = [], fw
        for p in props.itertuples():
            o = dict(outcomes[int(p.id)])
            if o.get("outcome") not in OUTCOMES:
                bad_param(f"outcomes[{p.id}].outcome", f"one of {', '.join(OUTCOMES)}", o.get("outcome"), StoreError)
            if o["outcome"] == "adopted":
                try:
                    fw = FR.apply_change(fw, p.op, p.target, text=o.get("text", p.text), parent=p.parent,
                                         node=o.get("node"), value=o.get("value", p.value))
                except CoopevalError as err:
                    raise StoreError(f"proposal {p.id}: {err}") from None
            detail = {k: v for k, v in {"text": o.get("text", p.text), "measures": p.measures, "why": p.why,
                                        "value": o.get("value", p.value), "node": o.get("node")}.items() if v}
            rows.append(dict(kind=_kind(p.op), op=p.op, target=p.target or (o.get("node") or {}).get("id") or p.text,
                             outcome=o["outcome"], decided_by="round", decider=decider, reason=o.get("reason"),
                             votes=FR.votes_by_college(tally, p.id), detail=detail, session=str(session),
                             proposal=int(p.id)))
        self._add_framework(fw)  # a facilitator records a round too
        open_rounds = self.rounds(session)
        for rnd in open_rounds.loc[open_rounds["status"] == "open", "round"]:
            self.close_round(session, int(rnd))
        for r in rows:  # the round's decisions together lead from one stored version to the next
            r.update(framework_before=start.hash, framework_after=fw.hash)
        self._write(lambda conn: [self._record(conn, wave=wave, **r) for r in rows])
        return fw.hash

    def goalpost_references(self: _Project, unit: str | None = None, framework: Any = None) -> pd.DataFrame:
        """References for setting goalposts in a framework round: the framework's goalposts and
        their stated source, and the values reached in the project's own waves
        (:func:`coopeval.weighting.framework_round.goalpost_references`)."""
        self._require("researcher", "facilitator", "collective")
        return FR.goalpost_references(self.framework(framework), self.observations(), unit=unit)

    # ------------------------------------------------------------------ the register
    def _record(self: _Project, conn: sa.Connection, *, wave: Any, votes: dict | None, detail: dict | None,
                **row: Any) -> int:
        did = conn.execute(S.decisions.insert().values(
            at=now(), wave=None if wave is None else str(wave), role=self.role,
            votes=None if votes is None else json.dumps(votes, sort_keys=True, ensure_ascii=False),
            detail=json.dumps(detail or {}, sort_keys=True, ensure_ascii=False, default=str), **row,
        ).returning(S.decisions.c.id)).scalar_one()
        audit.record(conn, self.role, "decide", str(did), op=row["op"], node=row["target"], outcome=row["outcome"])
        return did

    def decide(self: _Project, op: str, target: str | None = None, *, by: str, decider: str | None = None,
               reason: str | None = None, outcome: str = "adopted", votes: dict | None = None, wave: Any = None,
               text: str | None = None, parent: str | None = None, node: dict | None = None,
               value: dict | None = None, for_whom: list[str] | None = None,
               framework: Any = None) -> str:
        """Record one decision in the register (and apply it when adopted); returns the framework
        hash after it.

        Parameters
        ----------
        op : str
            A framework change (``keep, remove, rename, reword, add, goalpost, target``: see
            :func:`coopeval.weighting.framework_round.apply_change`) or a materiality decision
            (``material``, ``not_material``: ``target`` is the outcome, ``for_whom`` the
            stakeholders it matters to; the framework is unchanged).
        by : {"body", "facilitator", "researcher", "round"}
            Who decided: a body's vote (``decider`` names it: « assemblée générale »…), or a
            person by role.
        reason : str
            The reason given.
        votes : dict, optional
            Vote counts by college ``{college: {"for": n, "against": n, "abstain": n}}``; stored
            with colleges under the project's minimum group size hidden.
        framework : optional
            The framework changed (default: the latest stored).
        """
        self._require("researcher", "facilitator")
        if by not in DECIDERS:
            bad_param("by", f"one of {', '.join(DECIDERS)}", by, StoreError)
        if outcome not in OUTCOMES:
            bad_param("outcome", f"one of {', '.join(OUTCOMES)}", outcome, StoreError)
        if op in FR.MATERIALITY_OPS and not target:
            bad_param("target", "the outcome judged (not) material", target, StoreError)
        before = self.framework(framework)
        try:
            after = (FR.apply_change(before, op, target, text=text, parent=parent, node=node, value=value)
                     if outcome == "adopted" else before)
        except CoopevalError as err:
            raise StoreError(str(err)) from None
        if after.hash != before.hash:
            self._add_framework(after)
        detail = {k: v for k, v in {"text": text, "parent": parent, "node": node, "value": value,
                                    "for_whom": for_whom}.items() if v}
        counted = _counts_votes(votes, self.min_group())
        self._write(lambda conn: self._record(
            conn, wave=wave, votes=counted, detail=detail, kind=_kind(op), op=op,
            target=target or (node or {}).get("id"), outcome=outcome, decided_by=by, decider=decider or self.role,
            reason=reason, session=None, proposal=None, framework_before=before.hash, framework_after=after.hash))
        return after.hash

    def decisions(self: _Project) -> pd.DataFrame:
        """The register, oldest first: :data:`DECISION_COLUMNS` (``votes``/``detail`` dicts; framework
        versions as hashes and as the project's version numbers). Any role: votes are stored
        with small groups already hidden."""
        df = self._frame(sa.select(S.decisions).order_by(S.decisions.c.id))
        df["votes"] = [json.loads(v) if isinstance(v, str) else None for v in df["votes"]]
        df["detail"] = [json.loads(v) if isinstance(v, str) else {} for v in df["detail"]]
        numbers = self._version_numbers()
        df["version_before"] = [numbers.get(h) for h in df["framework_before"]]
        df["version_after"] = [numbers.get(h) for h in df["framework_after"]]
        return df[DECISION_COLUMNS]

    def _version_numbers(self: _Project) -> dict[str, int]:
        known = self.frameworks()
        return {h: i + 1 for i, h in enumerate(known["hash"])}

    def framework_versions(self: _Project) -> pd.DataFrame:
        """Framework versions numbered per project (1 = the first stored): ``number, hash,
        framework_id, version, parent, created_at``; ``parent`` is the hash of the version a
        recorded decision (or the framework's lineage) derived it from."""
        known = self.frameworks().reset_index(drop=True)
        d = self._frame(sa.select(S.decisions.c.framework_before, S.decisions.c.framework_after)
                        .order_by(S.decisions.c.id))
        parents: dict[str, str] = {}
        for b, a in zip(d["framework_before"], d["framework_after"], strict=True):
            if a != b and a is not None:
                parents.setdefault(a, b)
        stored = set(known["hash"])
        out = known.assign(number=range(1, len(known) + 1))
        out["parent"] = pd.Series([parents.get(h) or self._lineage_parent(h, stored) for h in out["hash"]],
                                  index=out.index, dtype=object)
        return out[["number", "hash", "framework_id", "version", "parent", "created_at"]]

    def _lineage_parent(self: _Project, digest: str, stored: set[str]) -> str | None:
        base = self.framework(digest).lineage.get("base_hash")
        return base if base in stored else None
