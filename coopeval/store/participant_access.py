"""Token access for the participant page: what a personal link may do now, submitting once,
and the participant's own feedback.

* :func:`token_from_query`, :func:`lang_from_query` — the token and language of a
  personal link (``?token=...&lang=en``);
* :func:`check_access` — what a token may do now (:class:`Access`, with a message
  code when it is refused: unknown, expired, already used, no open round);
* :func:`submit_answers` — submit once, refusals turned into clear messages;
* :func:`own_feedback` — the anonymised group feedback of the previous round
  for one participant (their own position, never another's answer).

Rules, enforced by the store (:meth:`Project.token_info`, :meth:`Project.submit`):
a token submits **once per round** (a reused token is refused, even from two tabs
at once; the participant revises in the next round), and it expires at the time
fixed when it was issued (``token_ttl_hours`` hours after, when the project set
that setting then).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs

import pandas as pd

from coopeval.errors import StoreError, WeightingError
from coopeval.i18n.deliberation import msg
from coopeval.weighting.elicitation import UI_METHODS, judgement_rows, node_labels

__all__ = ["Access", "token_from_query", "lang_from_query", "check_access", "submit_answers", "own_feedback",
           "previous_answers", "FEEDBACK_COLUMNS"]


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
    ``"missing"``, ``"unknown"``, ``"revoked"`` (replaced by a new link), ``"expired"``, ``"no_round"``, ``"submitted"``
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
        See :class:`Access`. Expiry: the time fixed when the link was issued (from the
        project setting ``token_ttl_hours`` then; none when it was unset). A round that
        sets no method for the college is filled in with ``points``.
    """
    if not token:
        return Access("missing")
    info = project.token_info(token, now=now)
    if info.status in ("unknown", "revoked"):
        return Access(info.status)
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


def submit_answers(project, token: str | None, method: str, values: Mapping[str, float], *,  # noqa: ANN001
                   reason: str | None = None, lang: str = "fr", access: Access | None = None) -> tuple[bool, str]:
    """Submit a participant's answers once; return ``(stored, message)``.

    The token is checked (round still open, not yet used) unless ``access``, the result of
    :func:`check_access` for this token that the caller has just obtained, is given (the
    participant page: one read less per submission, issue 23); then :meth:`Project.submit`
    checks the token again inside its own transaction and writes the whole set or nothing. A
    round closed in between (the store refuses) gives the ``"closed"`` message.
    """
    if access is None or access.token != token:
        access = check_access(project, token)
    if access.status == "no_round":
        return False, msg("closed", lang)
    if not access.ok:
        return False, access.message(lang)
    if method != access.method:
        return False, msg("invalid", lang, detail=msg("wrong_method", lang, method=access.method))
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
        if text.startswith("token: revoked"):
            return False, msg("revoked", lang)
        if text.startswith("token:"):
            return False, msg("unknown", lang)
        return False, msg("error", lang)
    except WeightingError:
        return False, msg("invalid", lang, detail=msg("check_all", lang))
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


def previous_answers(project, access: Access) -> dict[str, float]:  # noqa: ANN001
    """The participant's answers of the previous round, to pre-fill the page, **only when the
    method is the same** (a changed method starts unanswered): ``{node or "a|b": value}``.

    Every method is continued, AHP pairs included; empty when there is no previous round,
    nothing was answered, or the college's method changed.
    """
    if access.previous_round is None or not access.token:
        return {}
    prev = project.token_previous_answers(access.token)
    prev = prev[prev["method"] == access.method]
    return {str(n): float(v) for n, v in zip(prev["node"], prev["value"], strict=True)}
