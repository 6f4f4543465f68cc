"""Elicitation on a page: a participant's answers as judgement rows, their checks and the
weights they give, before anything is stored.

The participant page (``dashboards/participation.ipynb``) wires widgets to these
functions, which compute with :mod:`coopeval.weighting`:

* :func:`judgement_rows`, :func:`is_complete`, :func:`preview_weights` — a
  participant's answers as judgement rows and the weights they give;
* :func:`pairs`, :func:`pairwise_consistency` — AHP pairs and their consistency;
* :func:`swing_levels` — the worst and best level of each indicator, in plain
  words, for the ``swing`` method;
* :func:`node_labels` — node id → label.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from coopeval.errors import WeightingError, bad_param
from coopeval.i18n import fmt
from coopeval.weighting.ahp import ahp
from coopeval.weighting.judgements import participant_weights

__all__ = ["UI_METHODS", "DIRECT_SCALE", "POINTS_TOTAL", "SWING_TOP", "MAX_CONSISTENCY_RATIO", "judgement_rows",
           "is_complete", "pairs", "pairwise_consistency", "preview_weights", "node_labels", "swing_levels",
           "unit_is_scale"]

#: Methods the participant page can collect (the others are refused with a message).
UI_METHODS = ("points", "ranking", "simos", "direct", "ahp", "swing")
#: Scale of the ``direct`` method (importance rating of each node).
DIRECT_SCALE = (0, 10)
#: Consistency ratio above which the page asks to review a pairwise comparison (Saaty 1980).
MAX_CONSISTENCY_RATIO = 0.10
#: Points a participant distributes with the ``points`` method.
POINTS_TOTAL = 100
#: Points of the most valued swing with the ``swing`` method (the others get 0 to this).
SWING_TOP = 100

# ---------------------------------------------------------------------- answers
def judgement_rows(method: str, values: Mapping[str, float], *, reason: str | None = None) -> pd.DataFrame:
    """A participant's answers as the ``node, value, method`` rows :meth:`Project.submit` takes.

    Parameters
    ----------
    method : {"points", "ranking", "simos", "direct", "ahp", "swing"}
    values : mapping node -> value
        Points (sum 100), rank (1 = most important), Simos position (1 = least
        important card), rating (0-10) or swing points (0-100, the most valued
        swing at 100) of each node of one sibling group; for ``ahp``, the Saaty
        judgement of ``a`` over ``b`` keyed ``"a|b"``.
    reason : str, optional
        The argument given, stored on the first row (for Delphi feedback).

    Returns
    -------
    DataFrame
        ``node, value, method`` (+ ``reason`` when one is given), one row per node or pair.

    Raises
    ------
    WeightingError
        Unknown method or a non-numeric value (the full check is the store's).

    Examples
    --------
    >>> judgement_rows("ranking", {"social": 1, "emploi": 2}).to_dict("list")
    {'node': ['social', 'emploi'], 'value': [1.0, 2.0], 'method': ['ranking', 'ranking']}
    """
    if method not in UI_METHODS:
        bad_param("method", f"one of {', '.join(UI_METHODS)}", method, WeightingError)
    nodes = [str(k) for k in values]
    vals = pd.to_numeric(pd.Series(list(values.values()), dtype=object), errors="coerce").astype(float)
    if vals.isna().any():
        bad_param("values", "a number for every node", dict(values), WeightingError)
    out = pd.DataFrame({"node": nodes, "value": vals.to_numpy(), "method": method})
    if reason and reason.strip():
        out["reason"] = [reason.strip()] + [None] * (len(out) - 1)
    return out


def is_complete(method: str, values: Mapping[str, float | None]) -> bool:
    """True when the answers can be submitted: every node answered; points add up to 100;
    swings in 0-100 with the most valued at exactly 100.

    >>> is_complete("points", {"a": 60, "b": 40}), is_complete("points", {"a": 60, "b": 30})
    (True, False)
    >>> is_complete("swing", {"a": 100, "b": 40}), is_complete("swing", {"a": 90, "b": 40})
    (True, False)
    >>> is_complete("ranking", {"a": 1, "b": None})
    False
    """
    v = [x for x in values.values() if x is not None]
    if not v or len(v) < len(values) or any(isinstance(x, float) and np.isnan(x) for x in v):
        return False
    if method == "points":
        return abs(sum(v) - POINTS_TOTAL) < 1e-9 and all(x >= 0 for x in v) and sum(v) > 0
    if method == "direct":
        return all(DIRECT_SCALE[0] <= x <= DIRECT_SCALE[1] for x in v) and sum(v) > 0
    if method == "ahp":
        return all(1 / 9 - 1e-9 <= x <= 9 + 1e-9 for x in v)
    if method == "swing":
        return all(0 <= x <= SWING_TOP for x in v) and abs(max(v) - SWING_TOP) < 1e-9
    return all(float(x).is_integer() and x >= 1 for x in v)


def pairs(nodes: list[str]) -> list[str]:
    """Every unordered pair of ``nodes`` once, as AHP judgement keys ``"a|b"`` (a before b).

    >>> pairs(["a", "b", "c"])
    ['a|b', 'a|c', 'b|c']
    """
    return [f"{a}|{b}" for i, a in enumerate(nodes) for b in nodes[i + 1:]]


def pairwise_consistency(nodes: list[str], values: Mapping[str, float]) -> dict:
    """Consistency of a participant's pairwise comparisons (:func:`coopeval.weighting.ahp`).

    Returns
    -------
    dict
        ``ratio`` (Saaty's consistency ratio CR), ``ok`` (CR <= 0.10), ``worst``: the
        pair ``(a, b)`` contributing most to inconsistency, and ``suggested``: the Saaty
        value of ``a`` over ``b`` that the participant's other answers imply.
    """
    pos = {n: i for i, n in enumerate(nodes)}
    a = np.ones((len(nodes), len(nodes)))
    for key, v in values.items():
        x, y = key.split("|")
        a[pos[x], pos[y]], a[pos[y], pos[x]] = float(v), 1.0 / float(v)
    res = ahp(a, nodes)
    worst = res.worst or {}
    return {"ratio": float(res.consistency_ratio), "ok": bool(res.consistency_ratio <= MAX_CONSISTENCY_RATIO),
            "worst": (worst.get("row"), worst.get("col")), "suggested": worst.get("suggested")}


def preview_weights(fw, method: str, values: Mapping[str, float], *, parent: str = "overall",  # noqa: ANN001
                    lang: str = "fr") -> pd.DataFrame:
    """The weights a participant's answers give, as the package will compute them.

    Returns
    -------
    DataFrame
        ``node, label, weight`` (weights sum to 1) in the order of ``fw.children(parent)``,
        from :func:`coopeval.weighting.participant_weights`.

    Raises
    ------
    WeightingError
        Incomplete or invalid answers (every problem listed).
    """
    rows = judgement_rows(method, values).assign(session="apercu", round=1, participant="moi", college="moi")
    pw = participant_weights(rows[["session", "round", "participant", "college", "method", "node", "value"]], fw)
    pw = pw[pw["parent"] == parent].set_index("node").reindex(fw.children(parent))
    labels = node_labels(fw, lang)
    return pd.DataFrame({"node": pw.index, "label": [labels[n] for n in pw.index],
                         "weight": pw["weight"].to_numpy(dtype=float)})


def node_labels(fw, lang: str = "fr") -> dict[str, str]:  # noqa: ANN001
    """Node id -> label in ``lang``."""
    col = "label_en" if lang == "en" else "label_fr"
    return dict(zip(fw.nodes["node"], fw.nodes[col], strict=True))

# ---------------------------------------------------------------------- swing (participant)
SWING_LEVEL_COLUMNS = ["node", "indicator", "label", "unit", "worst", "best", "worst_text", "best_text"]


def _level_text(x: float, unit: str, lang: str) -> str:
    """A level as a person reads it: proportions in %, other units after the number."""
    if x is None or not np.isfinite(x):
        return "?"
    unit = str(unit or "").strip()
    if unit.lower() in ("oui/non", "yes/no") and x in (0, 1):
        return ("yes" if x else "no") if lang == "en" else ("oui" if x else "non")
    if unit.lower().startswith(("proportion", "part ")):
        return f"{fmt(100 * x, lang, digits=0)}\u00a0%"
    digits = 0 if float(x).is_integer() or abs(x) >= 100 else 1
    number = fmt(x, lang, digits=digits)
    if abs(x) >= 1_000:  # 5 000 000 rather than 5000000
        number = f"{abs(x):,.0f}".replace(",", "\u202f" if lang != "en" else ",")
        number = ("−" if x < 0 else "") + number
    return number + (f"\u00a0{unit}" if unit and not unit_is_scale(unit) else "")


def unit_is_scale(unit: str) -> bool:
    """True for a unit that names a scale (``score 1-5``, ``niveau 0-4``, ``familles (0-6)``, ``rapport``):
    written once after the range rather than after each number."""
    unit = str(unit or "").strip().lower()
    return unit.startswith(("score", "niveau", "level")) or "(" in unit or unit in ("rapport", "ratio")


def swing_levels(fw, *, parent: str = "overall", lang: str = "fr") -> pd.DataFrame:  # noqa: ANN001
    """What each swing of the ``swing`` method means: every indicator from its worst to its best level.

    For each child ``node`` of ``parent`` (a dimension), the indicators under it with
    the levels of :func:`coopeval.weighting.swing_table` (the framework's bounds
    ``lower``/``upper``, oriented by ``direction``), so that the swings a participant
    rates and the normalisation of the scores refer to the same range.

    Parameters
    ----------
    fw : Framework
    parent : str, default "overall"
        The node whose children are weighed.
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``node`` (child of ``parent``), ``indicator``, ``label`` (indicator label in
        ``lang``), ``unit``, ``worst``, ``best`` (numbers), ``worst_text``,
        ``best_text`` (the levels in plain words: a ``proportion`` in %, another unit
        written after the number, except a scale such as ``score 1-5`` — see
        :func:`unit_is_scale` — which the page writes once), in the order of ``fw.children(parent)`` then
        ``fw.leaves(node)``.

    Examples
    --------
    >>> import coopeval as ce
    >>> lv = swing_levels(ce.load_framework("cooperation_territoriale"))
    >>> lv.query("indicator == 'part_cdi'")[["worst_text", "best_text"]].iloc[0].tolist()
    ['0\\xa0%', '100\\xa0%']
    >>> lv.query("indicator == 'grille_gouvernance'")[["worst_text", "best_text"]].iloc[0].tolist()
    ['1 (émergent)', '4 (consolidé)']
    """
    from coopeval.framework.grids import describe_level
    from coopeval.weighting.swing import swing_table

    def text(ind: str, x: float, unit: str) -> str:
        if fw.node(ind).get("kind") == "grid":  # a progress grid: the level's label (issue 17)
            d = describe_level(fw, ind, x, lang)
            return f"{_level_text(x, unit, lang)} ({d['label']})" if d["level"] is not None else _level_text(x, unit, lang)
        return _level_text(x, unit, lang)

    parts = []
    for node in fw.children(parent):
        t = swing_table(fw, node, lang=lang)
        parts.append(pd.DataFrame({
            "node": node, "indicator": t["indicator"].astype(str), "label": t["label"].astype(str),
            "unit": t["unit"].astype(str), "worst": t["worst"].astype(float), "best": t["best"].astype(float),
            "worst_text": [text(i, x, u) for i, x, u in zip(t["indicator"], t["worst"], t["unit"], strict=True)],
            "best_text": [text(i, x, u) for i, x, u in zip(t["indicator"], t["best"], t["unit"], strict=True)],
        }, columns=SWING_LEVEL_COLUMNS))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=SWING_LEVEL_COLUMNS)
