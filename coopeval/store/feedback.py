"""A participant's Delphi feedback, read with their own token.

Mixed into :class:`coopeval.store.Project`. Between two rounds each participant sees
where they stood in the previous round: their own weight, the group's median and
quartiles, and the arguments the others gave — never another participant's answer
or identity. :meth:`FeedbackMixin.token_feedback` computes
:func:`coopeval.weighting.feedback` inside the store and returns only the rows of
the token's participant, so the participant page needs no researcher view.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.errors import StoreError
from coopeval.store import schema as S
from coopeval.store.access import token_info_in
from coopeval.store.migrations import DEFAULT_MIN_GROUP
from coopeval.store.protocol import ProjectBase
from coopeval.store.settings import effective_min_group
from coopeval.store.tokens import hash_token

if TYPE_CHECKING:

    from coopeval.framework.tree import Framework

#: Columns of :meth:`FeedbackMixin.token_feedback`.
FEEDBACK_COLUMNS = ["round", "parent", "node", "own_weight", "group_median", "group_q1", "group_q3", "n",
                    "position", "reasons", "own_method", "own_value"]
_RAW = ["session", "round", "participant", "college", "method", "node", "value", "reason"]


class _Project(ProjectBase, Protocol):
    """What the feedback uses of its :class:`~coopeval.store.Project`."""

    def setting(self, key: str) -> str | None: ...

    def framework(self, ref: str | Framework | None = ...) -> Framework: ...


class FeedbackMixin:
    """Feedback of the previous round for one token (see the module docstring)."""

    def token_feedback(self: _Project, token: str, *, min_group: int | None = None, lang: str = "fr",
                       **weight_options: Any) -> pd.DataFrame:
        """Anonymised feedback of the previous closed round for the token's participant.

        Parameters
        ----------
        token : str
            The participant's token (any role may call this with a valid token).
        min_group : int, optional
            Group statistics and reasons are withheld for a node judged by fewer
            participants (default: project setting ``min_group_size``, else 5).
        lang : {"fr", "en"}
            Language of ``position``.
        **weight_options
            Passed to :func:`coopeval.weighting.feedback` (``rank_method``, ``simos_z``…).

        Returns
        -------
        DataFrame
            One row per ``(parent, node)`` judged in the previous round:
            ``round, parent, node, own_weight, group_median, group_q1, group_q3, n,
            position, reasons`` (:func:`coopeval.weighting.feedback` for this
            participant: ``reasons`` are the *others'* arguments), and ``own_method,
            own_value`` — the participant's raw answer for that node (to pre-fill the
            page). ``own_*`` are NaN (``position`` empty) when the participant did not
            answer that node. Empty when there is no previous round or nobody answered.

        Raises
        ------
        StoreError
            Unknown or expired token.
        """
        if not isinstance(token, str) or not token:
            raise StoreError("token: unknown token (check it, or ask the facilitator for a new one)")
        digest = hash_token(token)
        k = effective_min_group(self.role, min_group, self.setting("min_group_size"), DEFAULT_MIN_GROUP)

        def run(conn: sa.Connection) -> tuple:
            info = token_info_in(conn, digest)
            if info.status in ("unknown", "revoked", "expired"):
                raise StoreError(f"token: {info.status} token; no feedback")
            if info.previous_round is None:
                return info, pd.DataFrame(columns=_RAW)
            j = S.judgements
            res = conn.execute(sa.select(*[j.c[c] for c in _RAW]).where(
                j.c.session == info.session, j.c.round == info.previous_round).order_by(j.c.id))
            return info, pd.DataFrame(res.all(), columns=list(res.keys()))
        info, raw = self._read(run)
        if raw.empty:
            return pd.DataFrame(columns=FEEDBACK_COLUMNS)
        from coopeval.weighting import feedback

        raw = raw.astype({"round": int, "value": float})
        fw = self.framework(info.framework_hash)
        fb = feedback(raw, fw, round=info.previous_round, session=info.session, min_group=k, lang=lang,
                      **weight_options)
        keys = ["parent", "node"]
        group = fb.drop_duplicates(keys)[keys + ["group_median", "group_q1", "group_q3", "n", "reasons"]]
        own = fb.loc[fb["participant"] == info.participant, keys + ["own_weight", "position", "reasons"]]
        out = group.merge(own, on=keys, how="left", suffixes=("_group", ""))
        out["reasons"] = out["reasons"].where(out["own_weight"].notna(), out["reasons_group"]).fillna("")
        out["position"] = out["position"].fillna("")
        mine = raw[raw["participant"] == info.participant].drop_duplicates("node").set_index("node")
        out["own_method"] = out["node"].map(mine["method"])
        out["own_value"] = out["node"].map(mine["value"]).astype(float)
        out["own_weight"] = out["own_weight"].astype(float)
        out.insert(0, "round", int(info.previous_round))
        return out[FEEDBACK_COLUMNS].reset_index(drop=True)

    def token_previous_answers(self: _Project, token: str) -> pd.DataFrame:
        """The participant's own answers of the previous closed round (to continue from them).

        Returns
        -------
        DataFrame
            ``node, method, value`` — every judgement the token's participant stored in the
            previous round (AHP pairs ``a|b`` included); empty when there is none.

        Raises
        ------
        StoreError
            Unknown, revoked or expired token.
        """
        if not isinstance(token, str) or not token:
            raise StoreError("token: unknown token (check it, or ask the facilitator for a new one)")
        digest = hash_token(token)

        def run(conn: sa.Connection) -> pd.DataFrame:
            info = token_info_in(conn, digest)
            if info.status in ("unknown", "revoked", "expired"):
                raise StoreError(f"token: {info.status} token; no previous answers")
            if info.previous_round is None:
                return pd.DataFrame(columns=["node", "method", "value"])
            j = S.judgements
            res = conn.execute(sa.select(j.c.node, j.c.method, j.c.value).where(
                j.c.session == info.session, j.c.round == info.previous_round,
                j.c.participant == info.participant).order_by(j.c.id))
            return pd.DataFrame(res.all(), columns=["node", "method", "value"])
        return self._read(run).astype({"value": float})
