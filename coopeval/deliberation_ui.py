"""Pure helpers behind the deliberation dashboards (no widget here).

The participant page (``dashboards/participation.ipynb``) and the facilitator page
(``dashboards/animation.ipynb``) only wire widgets to these functions, which read
and write through :class:`coopeval.store.Project` and compute with
:mod:`coopeval.weighting`:

* :func:`token_from_query` — the token of a personal link (``?token=...``);
* :func:`check_access` — what a token may do now (:class:`Access`, with a French
  message when it is refused: unknown, expired, already used, no open round);
* :func:`judgement_rows`, :func:`is_complete`, :func:`preview_weights` — a
  participant's answers as judgement rows and the weights they give;
* :func:`submit_answers` — submit once, refusals turned into clear messages;
* :func:`own_feedback` — the anonymised group feedback of the previous round
  for one participant (their own position, never another's answer);
* :func:`swing_levels` — the worst and best level of each indicator, in plain
  words, for the ``swing`` method;
* :func:`agreement_summary`, :func:`links_table`, :func:`new_participants` — the
  facilitator's figures and the personal links; :func:`links_sheet` — the
  printable A4 sheet of links with their QR codes; :func:`college_name` — a
  college's readable name.

Rules, enforced by the store (:meth:`Project.token_info`, :meth:`Project.submit`):
a token submits **once per round** (a reused token is refused, even from two tabs
at once; the participant revises in the next round), and it expires
``token_ttl_hours`` hours after it was issued when the project sets that setting.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError, StoreError, WeightingError, bad_param
from coopeval.i18n import fmt
from coopeval.i18n import labels as i18n_labels
from coopeval.store.access import TOKEN_TTL_SETTING
from coopeval.weighting import (
    StoppingRule,
    agreement_table,
    ahp,
    consensus,
    contested_nodes,
    delphi_status,
    participant_weights,
)

__all__ = [
    "UI_METHODS", "Access", "msg", "token_from_query", "lang_from_query", "check_access", "judgement_rows", "is_complete",
    "preview_weights", "submit_answers", "own_feedback", "agreement_summary", "links_table",
    "new_participants", "node_labels", "pairs", "pairwise_consistency", "swing_levels", "unit_is_scale", "college_name",
    "qr_svg", "links_sheet",
]

#: Methods the participant page can collect (the others are refused with a message).
UI_METHODS = ("points", "ranking", "simos", "direct", "ahp", "swing")
#: Scale of the ``direct`` method (importance rating of each node).
DIRECT_SCALE = (0, 10)
#: Saaty's scale as a participant reads it, for a pair (A, B): value of A over B.
SAATY_CHOICES = ((9.0, "Extrêmement plus : {a}"), (7.0, "Beaucoup plus : {a}"), (5.0, "Nettement plus : {a}"),
                 (3.0, "Un peu plus : {a}"), (1.0, "Autant l'une que l'autre"), (1 / 3, "Un peu plus : {b}"),
                 (1 / 5, "Nettement plus : {b}"), (1 / 7, "Beaucoup plus : {b}"), (1 / 9, "Extrêmement plus : {b}"))
#: The same in English.
SAATY_CHOICES_EN = ((9.0, "Extremely more: {a}"), (7.0, "Much more: {a}"), (5.0, "Clearly more: {a}"),
                    (3.0, "A little more: {a}"), (1.0, "As much as each other"), (1 / 3, "A little more: {b}"),
                    (1 / 5, "Clearly more: {b}"), (1 / 7, "Much more: {b}"), (1 / 9, "Extremely more: {b}"))
#: Consistency ratio above which the page asks to review a pairwise comparison (Saaty 1980).
MAX_CONSISTENCY_RATIO = 0.10
#: Points a participant distributes with the ``points`` method.
POINTS_TOTAL = 100
#: Points of the most valued swing with the ``swing`` method (the others get 0 to this).
SWING_TOP = 100
#: Setting (hours) after which a token issued by :meth:`Project.add_participants` expires.
TTL_SETTING = TOKEN_TTL_SETTING

MESSAGES: dict[str, dict[str, str]] = {
    "missing": {"fr": "Ce lien est incomplet : il manque votre code personnel. Ouvrez le lien reçu de "
                      "l'animateur·rice, en entier.",
                "en": "This link is incomplete: your personal code is missing. Open the whole link you received."},
    "unknown": {"fr": "Ce lien n'est pas reconnu. Vérifiez qu'il est complet ou demandez un nouveau lien "
                      "à l'animateur·rice.",
                "en": "This link is not recognised. Check that it is complete or ask the facilitator for a new one."},
    "expired": {"fr": "Ce lien a expiré. Demandez un nouveau lien à l'animateur·rice.",
                "en": "This link has expired. Ask the facilitator for a new one."},
    "no_round": {"fr": "Aucun tour de pondération n'est ouvert en ce moment : votre réponse ne peut pas être "
                       "enregistrée. Revenez quand l'animateur·rice ouvrira le prochain tour.",
                 "en": "No weighting round is open at the moment: your answer cannot be stored. Come back when "
                       "the facilitator opens the next round."},
    "closed": {"fr": "Le tour est clos : votre réponse n'a pas été enregistrée.",
               "en": "The round is closed: your answer was not stored."},
    "submitted": {"fr": "Ce lien a déjà servi pour ce tour : votre réponse est enregistrée et ne peut pas être "
                        "envoyée une seconde fois. Vous pourrez la réviser au tour suivant.",
                  "en": "This link has already been used in this round: your answer is stored and cannot be sent "
                        "twice. You may revise it in the next round."},
    "unsupported": {"fr": "La méthode « {method} » choisie pour votre collège ne se remplit pas sur cette page. "
                          "Voyez l'animateur·rice.",
                    "en": "The method '{method}' chosen for your college cannot be filled in on this page. "
                          "See the facilitator."},
    "invalid": {"fr": "Votre réponse est incomplète ou incohérente : {detail}",
                "en": "Your answer is incomplete or inconsistent: {detail}"},
    "thanks": {"fr": "Merci ! Votre réponse est enregistrée (tour {round}).",
               "en": "Thank you! Your answer is stored (round {round})."},
    "no_project": {"fr": "Aucun projet n'est ouvert sur ce serveur : prévenez l'animateur·rice.",
                   "en": "No project is open on this server: tell the facilitator."},
    "error": {"fr": "Votre réponse n'a pas pu être enregistrée ; réessayez dans un instant.",
              "en": "Your answer could not be stored; try again in a moment."},
}


def msg(key: str, lang: str = "fr", **values: object) -> str:
    """The message ``key`` in ``lang`` (``"fr"`` default, ``"en"``), placeholders filled."""
    if key not in MESSAGES:
        bad_param("key", f"one of {', '.join(MESSAGES)}", key)
    text = MESSAGES[key]["en" if lang == "en" else "fr"]
    return text.format(**values) if values else text


def lang_from_query(query: str | None) -> str:
    """``"en"`` when the URL query asks ``lang=en``, else ``"fr"`` (the default).

    >>> lang_from_query("token=x&lang=en"), lang_from_query("token=x"), lang_from_query(None)
    ('en', 'fr', 'fr')
    """
    values = parse_qs((query or "").lstrip("?")).get("lang", [])
    return "en" if values and values[0].strip().lower() == "en" else "fr"


def token_from_query(query: str | None) -> str | None:
    """The ``token`` parameter of a URL query string (``"token=abc&x=1"``), or None.

    >>> token_from_query("token=abc-_9&lang=fr"), token_from_query(""), token_from_query(None)
    ('abc-_9', None, None)
    """
    if not query:
        return None
    values = parse_qs(query.lstrip("?"), keep_blank_values=True).get("token", [])
    token = values[0].strip() if values else ""
    return token or None


@dataclass(frozen=True)
class Access:
    """What a token may do now.

    ``status`` is ``"ok"`` (may submit in ``round``), or the reason of a refusal:
    ``"missing"``, ``"unknown"``, ``"expired"``, ``"no_round"``, ``"submitted"``
    (already used in this round) or ``"unsupported"`` (method without a page).
    ``previous_round`` is the last closed round before ``round`` (for feedback).
    ``token`` is kept (never printed) so that :func:`own_feedback` reads the
    participant's feedback with it.
    """

    status: str
    session: str | None = None
    participant: str | None = None
    college: str | None = None
    round: int | None = None
    method: str | None = None
    previous_round: int | None = None
    framework_hash: str | None = None
    token: str | None = field(default=None, repr=False, compare=False)

    @property
    def ok(self) -> bool:
        return self.status == "ok"

    def message(self, lang: str = "fr") -> str:
        """French (default) or English explanation; empty when ``ok``."""
        if self.ok:
            return ""
        return msg(self.status, lang, method=self.method or "")


def check_access(project, token: str | None, *, now: datetime | None = None) -> Access:  # noqa: ANN001
    """Check a participant's token against the store, without writing anything.

    Parameters
    ----------
    project : Project
        Any role (:meth:`Project.token_info` reads only the token's own rows).
    token : str or None
    now : datetime, optional
        Current time (UTC), for expiry; default now.

    Returns
    -------
    Access
        See :class:`Access`. Expiry: when the project setting ``token_ttl_hours``
        is set, a token older than that (from its issue time) is expired. A round
        that sets no method for the college is filled in with ``points``.

    Raises
    ------
    StoreError
        The setting ``token_ttl_hours`` is not a positive number of hours.
    """
    if not token:
        return Access("missing")
    info = project.token_info(token, now=now)
    if info.status == "unknown":
        return Access("unknown")
    base = {"session": info.session, "participant": info.participant, "college": info.college, "token": token}
    if info.status == "expired":
        return Access("expired", **base)
    if info.status == "no_round":
        return Access("no_round", **base, framework_hash=info.framework_hash)
    method = info.method or "points"
    full = dict(base, round=info.round, method=method, framework_hash=info.framework_hash,
                previous_round=info.previous_round)
    if info.submitted:
        return Access("submitted", **full)
    if method not in UI_METHODS:
        return Access("unsupported", **full)
    return Access("ok", **full)


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
    v = list(values.values())
    if not v or any(x is None or (isinstance(x, float) and np.isnan(x)) for x in v):
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


def submit_answers(project, token: str | None, method: str, values: Mapping[str, float], *,  # noqa: ANN001
                   reason: str | None = None, lang: str = "fr") -> tuple[bool, str]:
    """Submit a participant's answers once; return ``(stored, message)``.

    The token is checked again just before writing (round still open, not yet used),
    then :meth:`Project.submit` writes the whole set or nothing. A round closed in
    between (the store refuses) gives the ``"closed"`` message.
    """
    access = check_access(project, token)
    if access.status == "no_round":
        return False, msg("closed", lang)
    if not access.ok:
        return False, access.message(lang)
    if method != access.method:
        return False, msg("invalid", lang, detail=f"méthode {method} au lieu de {access.method}")
    try:
        n = project.submit(token, judgement_rows(method, values, reason=reason))
    except StoreError as exc:
        text = str(exc)
        if text.startswith("round:"):
            return False, msg("closed", lang)
        if text.startswith("submitted:"):  # another tab of the same link was faster
            return False, msg("submitted", lang)
        if text.startswith("token: expired"):
            return False, msg("expired", lang)
        if text.startswith("token:"):
            return False, msg("unknown", lang)
        return False, msg("error", lang)
    except WeightingError as exc:
        detail = "; ".join(f"{i.where} : {i.expected}" for i in getattr(exc, "issues", [])[:3]) or str(exc)
        return False, msg("invalid", lang, detail=detail)
    return True, msg("thanks", lang, n=n, round=access.round)


# ---------------------------------------------------------------------- feedback (participant)
FEEDBACK_COLUMNS = ["node", "label", "own_weight", "group_median", "group_q1", "group_q3", "n", "position",
                    "own_value", "reasons"]


def own_feedback(project, access: Access, fw, *, parent: str = "overall", min_group: int | None = None,  # noqa: ANN001
                 lang: str = "fr") -> pd.DataFrame:
    """Anonymised feedback of the previous round for the participant of ``access``.

    Read with the participant's own token (:meth:`Project.token_feedback`, which
    computes :func:`coopeval.weighting.feedback` inside the store): only group
    statistics (median, quartiles, ``n``), the others' arguments and the
    participant's own weight and answer come out — group statistics only for groups
    of at least ``min_group`` (project setting ``min_group_size``, default 5).

    Returns
    -------
    DataFrame
        ``node, label, own_weight, group_median, group_q1, group_q3, n, position,
        own_value, reasons`` (``own_*`` NaN when the participant did not answer that round;
        ``reasons`` = the arguments the *others* gave, joined by " | ", without names,
        empty for a node judged by fewer than ``min_group``;
        ``own_value`` = the raw answer, to pre-fill the page when the method is the
        same). Empty when there is no previous round or nobody answered it.
    """
    if access.previous_round is None or access.session is None or not access.token:
        return pd.DataFrame(columns=FEEDBACK_COLUMNS)
    fb = project.token_feedback(access.token, min_group=min_group, lang=lang)
    fb = fb[fb["parent"] == parent].set_index("node")
    if fb.empty:
        return pd.DataFrame(columns=FEEDBACK_COLUMNS)
    labels = node_labels(fw, lang)
    kids = [n for n in fw.children(parent) if n in fb.index]
    fb = fb.loc[kids]
    own_value = fb["own_value"].where(fb["own_method"] == access.method)
    return pd.DataFrame({
        "node": kids, "label": [labels[n] for n in kids],
        "own_weight": fb["own_weight"].astype(float).to_numpy(),
        "group_median": fb["group_median"].astype(float).to_numpy(),
        "group_q1": fb["group_q1"].astype(float).to_numpy(),
        "group_q3": fb["group_q3"].astype(float).to_numpy(),
        "n": fb["n"].astype(int).to_numpy(),
        "position": fb["position"].astype(str).to_numpy(),
        "own_value": own_value.astype(float).to_numpy(),
        "reasons": fb["reasons"].astype(str).to_numpy(),
    }, columns=FEEDBACK_COLUMNS)


# ---------------------------------------------------------------------- facilitator
def agreement_summary(judgements: pd.DataFrame, fw, *, round: int, min_group: int = 5,  # noqa: A002, ANN001
                      rule: StoppingRule | None = None, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The facilitator's figures for one round of one session.

    Parameters
    ----------
    judgements : DataFrame
        Judgements of one session (every round so far, for the stopping rule).
    round : int
        Round shown.
    min_group : int
        A college with fewer participants in the round gets no row (its members'
        answers could be singled out).
    rule : StoppingRule, optional
        Default :class:`StoppingRule()`.

    Returns
    -------
    dict of DataFrame
        ``"overall"`` — :func:`coopeval.weighting.agreement_table` of the round's
        participant weights; ``"by_college"`` — the same per college (column
        ``college`` first; a college, or a node of a college, judged by fewer than
        ``min_group`` participants has no row); ``"contested"`` — :func:`contested_nodes`;
        ``"status"`` — :func:`delphi_status` under ``rule``; ``"counts"`` —
        ``college, n_participants`` who answered the round.
    """
    rule = rule or StoppingRule()
    empty = {"overall": pd.DataFrame(), "by_college": pd.DataFrame(), "contested": pd.DataFrame(),
             "status": pd.DataFrame(), "counts": pd.DataFrame(columns=["college", "n_participants"])}
    if judgements.empty:
        return empty
    j = judgements.drop(columns=[c for c in ("reason",) if c in judgements.columns])
    now = j[j["round"] == round]
    if now.empty:
        return empty
    pw = participant_weights(now, fw)
    counts = now.groupby("college")["participant"].nunique().rename("n_participants").reset_index()
    by_college = []
    for college, g in pw.groupby("college", sort=True):
        if g["participant"].nunique() >= min_group:
            t = agreement_table(g)
            by_college.append(t[t["n"] >= min_group].assign(college=college))
    bc = pd.concat(by_college, ignore_index=True) if by_college else pd.DataFrame()
    if not bc.empty:
        bc = bc[["college", *[c for c in bc.columns if c != "college"]]]
    return {
        "overall": agreement_table(pw),
        "by_college": bc,
        "contested": contested_nodes(pw, lang=lang),
        "status": _status(j[j["round"] <= round], fw, rule, lang),
        "counts": counts,
    }


def _status(j: pd.DataFrame, fw, rule: StoppingRule, lang: str) -> pd.DataFrame:  # noqa: ANN001
    """:func:`delphi_status`; with a single round (where it currently fails on the empty
    stability table) the same rule is applied from :func:`consensus` alone."""
    if j["round"].nunique() > 1:
        return delphi_status(j, fw, rule, lang=lang)
    rnd = int(j["round"].iloc[0])
    share = float(consensus(j, fw, rule)["consensus"].mean())
    reasons = []
    if share >= rule.min_consensus_share:
        reasons.append("consensus atteint" if lang != "en" else "consensus reached")
    if rule.max_rounds <= 1:
        reasons.append("nombre maximal de tours" if lang != "en" else "maximum number of rounds")
    return pd.DataFrame([{"round": rnd, "share_consensus": share, "share_changed": np.nan,
                          "stop": bool(reasons), "reason": ", ".join(reasons)}])


def links_table(tokens: pd.DataFrame, base_url: str, *,
                page: str = "voila/render/participation.ipynb") -> pd.DataFrame:
    """Personal links from :meth:`Project.add_participants` tokens.

    Returns
    -------
    DataFrame
        ``participant, college, link`` with ``link = <base_url>/<page>?token=<token>``.

    >>> t = pd.DataFrame({"participant": ["p1"], "college": ["habitants"], "token": ["abc"]})
    >>> links_table(t, "http://h:8866/")["link"].iloc[0]
    'http://h:8866/voila/render/participation.ipynb?token=abc'
    """
    missing = [c for c in ("participant", "college", "token") if c not in tokens.columns]
    if missing:
        bad_param("tokens", "columns participant, college, token", ", ".join(map(str, tokens.columns)), StoreError)
    base = str(base_url).rstrip("/")
    links = [f"{base}/{page.lstrip('/')}?{urlencode({'token': t})}" for t in tokens["token"]]
    return pd.DataFrame({"participant": tokens["participant"].astype(str), "college": tokens["college"].astype(str),
                         "link": links})


def new_participants(college: str, n: int, existing: list[str] | None = None, *, prefix: str | None = None
                     ) -> pd.DataFrame:
    """``n`` fresh pseudonymous participant ids for ``college`` (``<prefix>-01``, ...).

    >>> new_participants("habitants", 2, ["hab-01"])["participant"].tolist()
    ['hab-02', 'hab-03']
    """
    if not isinstance(n, (int, np.integer)) or isinstance(n, bool) or n < 1:
        bad_param("n", "a positive integer", n, CoopevalError)
    college = str(college).strip()
    if not college:
        bad_param("college", "a college name", college, CoopevalError)
    stem = prefix or college[:3].lower()
    taken = set(existing or [])
    ids, i = [], 1
    while len(ids) < n:
        pid = f"{stem}-{i:02d}"
        if pid not in taken:
            ids.append(pid)
        i += 1
    return pd.DataFrame({"participant": ids, "college": college})


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
    from coopeval.weighting import swing_table

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


# ---------------------------------------------------------------------- printable sheet (facilitator)
def college_name(college: str, lang: str = "fr") -> str:
    """A college's readable name (label ``college_<id>`` of ``coopeval/i18n/labels.yaml``), else its id.

    >>> college_name("salarie_es"), college_name("salarie_es", "en"), college_name("voisins")
    ('Salarié·es', 'Employees', 'voisins')
    """
    entry = i18n_labels().get(f"college_{college}")
    if not entry:
        return str(college)
    return str(entry.get("en" if lang == "en" else "fr") or entry.get("fr") or college)


def qr_svg(text: str, *, title: str | None = None, error: str = "m") -> str:
    """An inline SVG QR code encoding ``text`` (:mod:`segno`, never a Micro QR).

    The SVG has a ``viewBox`` and no fixed size (the page's CSS sizes it), the quiet
    zone of 4 modules required by ISO/IEC 18004, and error correction level ``error``
    (default M: about 15 % of the symbol may be damaged and still read).
    """
    import segno

    q = segno.make(str(text), error=error, micro=False, boost_error=False)
    return q.svg_inline(omitsize=True, border=4, title=title, svgclass="ce-qr-svg", lineclass=None)


SHEET_TEXT: dict[str, tuple[str, str]] = {
    "title": ("Liens personnels — {session}", "Personal links — {session}"),
    "howto": ("Découpez les cartes et remettez à chaque personne la sienne, et à elle seule : le lien (ou le QR "
              "code, à photographier avec un téléphone) ouvre sa page de pondération, sans compte. Chaque lien "
              "sert une fois par tour. Cette feuille ne sera plus produite : le projet ne garde qu'une empreinte "
              "des liens.",
              "Cut the cards out and hand each person their own, and to them only: the link (or the QR code, to "
              "scan with a phone) opens their weighting page, without an account. Each link works once per "
              "round. This sheet will not be produced again: the project keeps only a fingerprint of the links."),
    "college": ("Collège", "College"),
    "code": ("Code", "Code"),
    "scan": ("QR code du lien de {who}", "QR code of {who}'s link"),
}

SHEET_CSS = """
@page { size: A4; margin: 10mm; }
* { box-sizing: border-box; }
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #111; }
h1 { font-size: 16pt; margin: 0 0 2mm; } .ce-howto { font-size: 9.5pt; margin: 0 0 4mm; }
.ce-sheet { display: grid; grid-template-columns: 1fr 1fr; gap: 4mm; }
.ce-card { border: 1px dashed #777; border-radius: 2mm; padding: 3mm; height: 62mm; display: flex; gap: 3mm;
  align-items: center; break-inside: avoid; page-break-inside: avoid; overflow: hidden; }
.ce-qr { flex: 0 0 40mm; } .ce-qr svg { width: 40mm; height: 40mm; display: block; }
.ce-card-text { flex: 1 1 auto; min-width: 0; font-size: 10pt; }
.ce-card-text p { margin: 0 0 1.5mm; } .ce-who { font-size: 13pt; font-weight: 700; }
.ce-link { font-family: ui-monospace, monospace; font-size: 7pt; word-break: break-all; }
@media screen { body { max-width: 210mm; margin: 8mm auto; } }
"""


def links_sheet(links: pd.DataFrame, *, session: str = "", lang: str = "fr") -> str:
    """A printable A4 HTML sheet: one card per participant with the link and its QR code.

    Parameters
    ----------
    links : DataFrame
        ``participant, college, link`` (:func:`links_table`).
    session : str
        Named in the title.
    lang : {"fr", "en"}

    Returns
    -------
    str
        A standalone HTML document (UTF-8, print CSS for A4, 2 x 4 cards a page).
        Each card (``<section class="ce-card">``, ``data-participant`` = the
        pseudonymous id) shows the college's readable name (:func:`college_name`),
        the pseudonymous participant id (e.g. ``hab-01``, never a name), the link and
        an inline SVG QR code (:func:`qr_svg`) encoding exactly the link.

    Raises
    ------
    StoreError
        ``links`` lacks a column, or a link is empty.

    Examples
    --------
    >>> t = pd.DataFrame({"participant": ["hab-01"], "college": ["habitants"],
    ...                   "link": ["http://h:8866/voila/render/participation.ipynb?token=abc"]})
    >>> sheet = links_sheet(t, session="atelier")
    >>> sheet.count("<svg"), "Habitant·es" in sheet
    (1, True)
    """
    missing = [c for c in ("participant", "college", "link") if c not in links.columns]
    if missing:
        bad_param("links", "columns participant, college, link", ", ".join(map(str, links.columns)), StoreError)
    empty = [str(p) for p, lk in zip(links["participant"], links["link"], strict=True) if not str(lk or "").strip()]
    if empty:
        bad_param("links", "a link for every participant", f"no link for {', '.join(empty)}", StoreError)
    k = 1 if lang == "en" else 0
    esc = html.escape
    cards = []
    for r in links.itertuples():
        who, link = str(r.participant), str(r.link).strip()
        svg = qr_svg(link, title=SHEET_TEXT["scan"][k].format(who=who))
        cards.append(
            f"<section class='ce-card' data-participant='{esc(who)}'>"
            f"<div class='ce-qr'>{svg}</div><div class='ce-card-text'>"
            f"<p class='ce-college-name'>{SHEET_TEXT['college'][k]} : <b>{esc(college_name(r.college, lang))}</b></p>"
            f"<p class='ce-who'>{SHEET_TEXT['code'][k]} : {esc(who)}</p>"
            f"<p class='ce-link'><a href='{esc(link)}'>{esc(link)}</a></p></div></section>")
    title = SHEET_TEXT["title"][k].format(session=session or "").rstrip(" —")
    return (f"<!DOCTYPE html><html lang='{'en' if lang == 'en' else 'fr'}'><head><meta charset='utf-8'>"
            f"<title>{esc(title)}</title><style>{SHEET_CSS}</style></head><body>"
            f"<h1>{esc(title)}</h1><p class='ce-howto'>{esc(SHEET_TEXT['howto'][k])}</p>"
            f"<div class='ce-sheet'>{''.join(cards)}</div></body></html>")
