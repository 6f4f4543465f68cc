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
* :func:`agreement_summary`, :func:`links_table`, :func:`new_participants` — the
  facilitator's figures and the sheet of personal links.

Rules, enforced by the store (:meth:`Project.token_info`, :meth:`Project.submit`):
a token submits **once per round** (a reused token is refused, even from two tabs
at once; the participant revises in the next round), and it expires
``token_ttl_hours`` hours after it was issued when the project sets that setting.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs, urlencode

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError, StoreError, WeightingError, bad_param
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
    "new_participants", "node_labels", "pairs", "pairwise_consistency",
]

#: Methods the participant page can collect (the others are refused with a message).
UI_METHODS = ("points", "ranking", "simos", "direct", "ahp")
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
    method : {"points", "ranking", "simos", "direct", "ahp"}
    values : mapping node -> value
        Points (sum 100), rank (1 = most important), Simos position (1 = least
        important card) or rating (0-10) of each node of one sibling group; for
        ``ahp``, the Saaty judgement of ``a`` over ``b`` keyed ``"a|b"``.
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
    """True when the answers can be submitted: every node answered; points add up to 100.

    >>> is_complete("points", {"a": 60, "b": 40}), is_complete("points", {"a": 60, "b": 30})
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
