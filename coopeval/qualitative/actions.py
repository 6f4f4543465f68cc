"""Actions decided after a restitution, and what became of them at the next wave.

The procedural cycle of the evaluation (Labo de l'ESS, 2024: « intégration des
enseignements de l'évaluation dans la pratique de la coopération ») ends each wave with
actions a collective decides. The **actions** contract (one row per action):

``action``      id (text)
``unit``        the cooperation
``wave``        the wave whose restitution led to the decision
``decided_on``  date of the decision (ISO text, optional)
``what``        what was decided (text)
``criteria``    linked criteria or indicators: node ids separated by ``;``
``who``         who carries it (a role or group, not a person's name)
``due``         by when (ISO date, optional)
``status``      one of :data:`STATUSES` (French spellings accepted on input)

:func:`follow_up` puts each action decided before a wave next to the change of its linked
nodes between the wave of the decision and that wave: raw values for an indicator
(as observed), scores (0–100) for a criterion or a dimension. It returns codes and
numbers; :func:`coopeval.report.learning.follow_up_texts` turns them into sentences.

Example
-------
>>> import coopeval as ce
>>> q = ce.datasets.load("qualitatif_exemple")
>>> acts = ce.qualitative.check_actions(q["actions"])
>>> sorted(acts["status"].unique())
['done', 'dropped', 'in_progress']
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.data.likert import normalise_text
from coopeval.errors import DataError, Issue, bad_param

__all__ = ["ACTION_COLUMNS", "STATUSES", "check_actions", "action_links", "follow_up", "FOLLOW_UP_COLUMNS",
           "wave_key"]

#: Columns of the actions contract.
ACTION_COLUMNS = ["action", "unit", "wave", "decided_on", "what", "criteria", "who", "due", "status"]
#: Status codes of an action, in the order of its life.
STATUSES = ("decided", "in_progress", "done", "dropped")
_ALIASES = {"decidee": "decided", "decided": "decided", "prevue": "decided", "planned": "decided",
            "en cours": "in_progress", "en_cours": "in_progress", "in progress": "in_progress",
            "in_progress": "in_progress", "realisee": "done", "faite": "done", "done": "done",
            "abandonnee": "dropped", "dropped": "dropped", "abandoned": "dropped"}
#: Columns of :func:`follow_up`.
FOLLOW_UP_COLUMNS = ["action", "what", "wave", "decided_on", "status", "who", "due", "node", "level",
                     "measure", "before", "after", "change"]


def wave_key(wave: Any) -> tuple:
    """Sort key of a wave: numbers in numeric order (``2 < 10``, ``"2" < "10"``), then other labels as text.

    The store keeps waves as text; the datasets as integers: both order the same way.

    >>> sorted(["10", 2, "1"], key=wave_key)
    ['1', 2, '10']
    """
    try:
        return (0, float(wave), "")
    except (TypeError, ValueError):
        return (1, 0.0, str(wave))


def _blank(v: object) -> bool:
    return v is None or (isinstance(v, float) and pd.isna(v)) or str(v).strip() == ""


def check_actions(actions: pd.DataFrame, fw=None, *, where: str | None = None) -> pd.DataFrame:  # noqa: ANN001
    """Validate an actions table; return it in :data:`ACTION_COLUMNS` order with status codes.

    Raises
    ------
    DataError
        Every problem at once: a missing id, unit, wave or text, an unknown status, a
        duplicated id, no linked criterion, or (with ``fw``) a linked node unknown to it.
    """
    if not isinstance(actions, pd.DataFrame):
        bad_param("actions", "a DataFrame with columns " + ", ".join(ACTION_COLUMNS), type(actions).__name__,
                  DataError)
    need = ["action", "unit", "wave", "what", "criteria"]
    missing = [c for c in need if c not in actions.columns]
    if missing:
        bad_param("actions", f"columns {', '.join(need)}", f"missing {', '.join(missing)}", DataError)
    df = actions.reset_index(drop=True).copy()
    for col in ACTION_COLUMNS:
        if col not in df.columns:
            df[col] = "decided" if col == "status" else None
    nodes = None if fw is None else set(fw.nodes["node"])
    issues, status = [], []
    for i, r in enumerate(df.to_dict("records")):
        loc = f"{where}, line {i + 2}" if where else f"row {i}"
        for col in need:
            if _blank(r[col]):
                issues.append(Issue(loc, col, f"a non-empty `{col}`", "nothing"))
        code = _ALIASES.get(normalise_text(str(r["status"])).replace("é", "e")) if not _blank(r["status"]) \
            else "decided"
        if code is None:
            issues.append(Issue(loc, "status", f"one of {', '.join(STATUSES)} (or décidée, en cours, réalisée, "
                                "abandonnée)", repr(r["status"])))
        status.append(code)
        links = [c.strip() for c in str(r["criteria"] or "").split(";") if c.strip()]
        if nodes is not None and any(c not in nodes for c in links):
            issues.append(Issue(loc, "criteria", f"node ids of framework {fw.id}",
                                repr([c for c in links if c not in nodes])))
    dup = df["action"].astype(str).duplicated(keep=False)
    issues += [Issue(f"row {i}", "action", "each action id once", repr(df.at[i, "action"])) for i in df.index[dup]]
    if issues:
        raise DataError("invalid actions", issues=issues)
    out = df[ACTION_COLUMNS].copy()
    out["status"] = status
    out["criteria"] = [";".join(c.strip() for c in str(v).split(";") if c.strip()) for v in out["criteria"]]
    for col in ("action", "unit", "what"):
        out[col] = out[col].astype(str)
    return out


def action_links(actions: pd.DataFrame) -> pd.DataFrame:
    """Long table ``action, node`` of the criteria linked to each action."""
    rows = [{"action": a, "node": n.strip()} for a, c in zip(actions["action"], actions["criteria"], strict=True)
            for n in str(c).split(";") if n.strip()]
    return pd.DataFrame(rows, columns=["action", "node"])


def follow_up(actions: pd.DataFrame, scores: pd.DataFrame, fw, *, unit: str, wave: object,  # noqa: ANN001
              values: pd.DataFrame | None = None) -> pd.DataFrame:
    """Each action decided before ``wave`` for ``unit``, next to the change of its linked nodes.

    Parameters
    ----------
    actions : DataFrame
        Actions contract (checked by :func:`check_actions`).
    scores : DataFrame
        Scores contract ``unit, wave, level, node, score`` (``ce.score``).
    fw : Framework
    unit, wave
        The cooperation, and the wave whose restitution shows the follow-up.
    values : DataFrame, optional
        Indicator values ``unit, wave, indicator, value``: an indicator linked to an action
        is then followed in its own unit (a share, a count…) rather than as a score.

    Returns
    -------
    DataFrame
        One row per action and linked node, actions in decision order: ``action, what,
        wave`` (of the decision), ``decided_on, status, who, due, node, level``
        (indicator, criterion, dimension), ``measure`` (``value`` or ``score``),
        ``before`` (at the decision wave), ``after`` (at ``wave``), ``change``.
    """
    acts = check_actions(actions, fw)
    acts = acts[(acts["unit"] == str(unit)) & acts["wave"].apply(lambda w: wave_key(w) < wave_key(wave))]
    level = fw.nodes.set_index("node")["level"]
    sc = scores[scores["unit"].astype(str) == str(unit)].set_index(["wave", "node"])["score"]
    val = None
    if values is not None:
        v = values[values["unit"].astype(str) == str(unit)]
        val = v.groupby(["wave", "indicator"])["value"].first()
    rows = []
    for r in sorted(acts.to_dict("records"), key=lambda r: (wave_key(r["wave"]), r["action"])):
        for node in (n for n in r["criteria"].split(";") if n):
            lev = level.get(node, "unknown")
            measure = "value" if lev == "indicator" and val is not None else "score"
            src = val if measure == "value" and val is not None else sc
            before = float(src.get((r["wave"], node), np.nan))
            after = float(src.get((wave, node), np.nan))
            rows.append({**{k: r[k] for k in ("action", "what", "wave", "decided_on", "status", "who", "due")},
                         "node": node, "level": lev, "measure": measure, "before": before, "after": after,
                         "change": after - before})
    return pd.DataFrame(rows, columns=FOLLOW_UP_COLUMNS)
