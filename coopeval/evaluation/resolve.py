"""Resolve a weight source against the deliberation data: which session, which round, which voices.

The rule, used by every door (Python, store, command line, reports, dashboards):

- the **session**: the one named, else the latest session (by creation date when known,
  else the last one met in the judgements);
- the **round**: the one named, else the latest *closed* round of that session when round
  statuses are known, else its latest round with judgements;
- the **college voices**: the ones named, else those stored with the session (e.g. statutory
  SCIC voices), else equal voices.

Without any judgement, a deliberation source falls back to the framework's weights — unless a
session was named, which is then an error.
"""

from __future__ import annotations

import json

import pandas as pd

from coopeval.errors import CoopevalError
from coopeval.evaluation.spec import WeightSource

__all__ = ["resolve_weights"]


def _closed_with_data(judgements: pd.DataFrame, rounds: pd.DataFrame | None) -> set[str]:
    """Sessions holding a closed round with judgements (none known without a ``rounds`` table)."""
    if rounds is None or not len(rounds) or "status" not in rounds:
        return set()
    closed = rounds[rounds["status"] == "closed"]
    done = set(zip(closed["session"].astype(str), closed["round"].astype(int), strict=True))
    return {s for s, r in zip(judgements["session"].astype(str), judgements["round"].astype(int), strict=True)
            if (s, r) in done}


def _latest_session(judgements: pd.DataFrame, sessions: pd.DataFrame | None,
                    rounds: pd.DataFrame | None = None) -> str:
    """The latest session with a closed round (a round still open, or a session just started,
    holds the answers of a few people only: never the default), else the latest with judgements."""
    present = list(dict.fromkeys(judgements["session"].astype(str)))
    closed = _closed_with_data(judgements, rounds)
    if closed:
        present = [s for s in present if s in closed]
    if sessions is not None and len(sessions) and "created_at" in sessions:
        known = sessions[sessions["session"].astype(str).isin(present)]
        if len(known):
            return str(known.sort_values(["created_at", "session"])["session"].iloc[-1])
    return present[-1]


def _latest_round(judgements: pd.DataFrame, session: str, rounds: pd.DataFrame | None) -> int:
    own = judgements[judgements["session"].astype(str) == session]
    with_data = sorted({int(r) for r in own["round"]})
    if rounds is not None and len(rounds) and "status" in rounds:
        r = rounds[(rounds["session"].astype(str) == session) & (rounds["status"] == "closed")]
        closed = sorted(int(x) for x in r["round"] if int(x) in with_data)
        if closed:
            return closed[-1]
    return with_data[-1]


def _stored_shares(sessions: pd.DataFrame | None, session: str) -> dict | None:
    if sessions is None or "college_shares" not in getattr(sessions, "columns", []):
        return None
    row = sessions[sessions["session"].astype(str) == session]
    if not len(row):
        return None
    value = row["college_shares"].iloc[0]
    if value is None or (isinstance(value, float) and value != value):
        return None
    return json.loads(value) if isinstance(value, str) else dict(value)


def resolve_weights(source: WeightSource, judgements: pd.DataFrame | None,
                    sessions: pd.DataFrame | None = None, rounds: pd.DataFrame | None = None) -> WeightSource:
    """The weight source with its session, round and college voices made explicit.

    Parameters
    ----------
    source : WeightSource
    judgements : DataFrame or None
        Judgements contract (all sessions and rounds available).
    sessions : DataFrame, optional
        ``session, created_at`` (and ``college_shares``) of a project.
    rounds : DataFrame, optional
        ``session, round, status`` of a project.

    Returns
    -------
    WeightSource
        ``kind="framework"`` when there is nothing to deliberate from.

    Raises
    ------
    CoopevalError
        A named session or round without judgements.

    Examples
    --------
    >>> import coopeval as ce
    >>> from coopeval.evaluation import WeightSource
    >>> from coopeval.evaluation.resolve import resolve_weights
    >>> j = ce.datasets.load("deliberation_exemple")
    >>> resolve_weights(WeightSource(), j)
    WeightSource(kind='deliberation', session='atelier_2025', round=2, college_shares=None, values=None)
    """
    if source.kind != "deliberation":
        return source
    if judgements is None or not len(judgements):
        if source.session is not None:
            raise CoopevalError(f"parameter `session`: expected a deliberation session with judgements, "
                                f"got {source.session!r} (no judgements)")
        return WeightSource("framework")
    sessions_present = set(judgements["session"].astype(str))
    session = source.session if source.session is not None else _latest_session(judgements, sessions, rounds)
    if str(session) not in sessions_present:
        raise CoopevalError(f"parameter `session`: expected one of {', '.join(sorted(sessions_present))}, "
                            f"got {session!r}")
    session = str(session)
    rounds_present = sorted({int(r) for r in judgements.loc[judgements["session"].astype(str) == session, "round"]})
    rnd = source.round if source.round is not None else _latest_round(judgements, session, rounds)
    if int(rnd) not in rounds_present:
        raise CoopevalError(f"parameter `round`: expected a round of session {session!r} with judgements "
                            f"({', '.join(map(str, rounds_present))}), got {rnd!r}")
    shares = source.college_shares if source.college_shares is not None else _stored_shares(sessions, session)
    return WeightSource("deliberation", session=session, round=int(rnd), college_shares=shares)
