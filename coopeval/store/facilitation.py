"""What the facilitator's page reads: a session's answers under pseudonymous labels.

Mixed into :class:`coopeval.store.Project`. The facilitator needs the individual
answers of a round to compute the group's agreement (dispersion per node, contested
nodes, the Delphi stopping rule: :func:`coopeval.weighting.round_summary.agreement_summary`),
but not who gave them nor the arguments written. These methods give exactly that to
the facilitator and researcher roles — never to the collective role, which only sees
:meth:`~coopeval.store.Project.collective_view` — with each participant replaced by a
label ``"p_" + HMAC-SHA-256(label key, session + participant)[:10]``: stable across
the rounds of a session (so that changes between rounds can be counted), different
from one session to the next, and not reversible through this API (the label key,
``meta.label_key``, is read by no role). It is not the respondents' pseudonymisation
key, which is never in the project (:mod:`coopeval.store.keys`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol

import pandas as pd
import sqlalchemy as sa

from coopeval.contracts import JUDGEMENT_COLUMNS
from coopeval.store import schema as S
from coopeval.store.protocol import ProjectBase
from coopeval.store.rounds import round_number
from coopeval.store.tokens import pseudonym

if TYPE_CHECKING:

    from coopeval.framework.tree import Framework

#: Columns of :meth:`FacilitationMixin.agreement_inputs` (the Judgements contract).
INPUT_COLUMNS = JUDGEMENT_COLUMNS
#: Length of the hexadecimal part of a participant label.
LABEL_LENGTH = 10
#: ``meta`` key of the secret behind the participants' labels.
LABEL_KEY = "label_key"


class _Project(ProjectBase, Protocol):
    """What the agreement inputs use of their :class:`~coopeval.store.Project`."""

    def _session_framework(self, conn: sa.Connection, session: str) -> str: ...

    def framework(self, ref: str | Framework | None = ...) -> Framework: ...

    def agreement_inputs(self, session: str, round: int | None = ...) -> pd.DataFrame: ...  # noqa: A002


class FacilitationMixin:
    """Agreement inputs for the facilitator (see the module docstring)."""

    def agreement_inputs(self: _Project, session: str, round: int | None = None) -> pd.DataFrame:  # noqa: A002
        """Judgements of a session with pseudonymous participant labels and no reasons.

        Parameters
        ----------
        session : str
        round : int, optional
            One round (default: every round, as the stopping rule needs).

        Returns
        -------
        DataFrame
            ``session, round, participant, college, method, node, value`` (the
            Judgements contract, ready for :func:`coopeval.weighting.participant_weights`
            and :func:`coopeval.weighting.round_summary.agreement_summary`) in order of
            submission, where ``participant`` is the label ``p_<10 hex>`` (see the
            module docstring), never the participant id.

        Raises
        ------
        StoreError
            A role other than facilitator or researcher, or an unknown session.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> import pandas as pd
        >>> import coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval",
        ...                       framework="cooperation_territoriale")
        >>> _ = p.create_session("atelier")
        >>> tok = p.add_participants("atelier", pd.DataFrame({"participant": ["ana"], "college": ["habitants"]}))
        >>> p.open_round("atelier", 1, methods="direct")
        >>> dims = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
        >>> p.submit(tok["token"].iloc[0], pd.DataFrame({"node": dims, "value": [9, 5, 5, 5, 5, 5, 5]}))
        7
        >>> j = p.as_role("facilitator").agreement_inputs("atelier")
        >>> bool(j["participant"].str.match(r"^p_[0-9a-f]{10}$").all()), "ana" in set(j["participant"])
        (True, False)
        """
        self._require("researcher", "facilitator")
        j = S.judgements
        q = sa.select(*[j.c[c] for c in INPUT_COLUMNS]).where(j.c.session == session).order_by(j.c.id)
        if round is not None:
            q = q.where(j.c.round == round_number(round))

        def run(conn: sa.Connection) -> tuple[pd.DataFrame, str]:
            self._session_framework(conn, session)  # an unknown session is an error, not an empty table
            res = conn.execute(q)
            df = pd.DataFrame(res.all(), columns=list(res.keys()))
            # the labels' own key (not the respondents' pseudonymisation key, which never is in the project)
            key = conn.execute(sa.select(S.meta.c.value).where(S.meta.c.key == LABEL_KEY)).scalar_one()
            return df, key
        df, key = self._read(run)
        labels = {p: participant_label(session, p, key) for p in df["participant"].unique()}
        df["participant"] = df["participant"].map(labels)
        return df.astype({"round": int, "value": float}).reset_index(drop=True)

    def round_weights(self: _Project, session: str, round: int | None = None,  # noqa: A002
                      **weight_options: Any) -> pd.DataFrame:
        """Each participant's local weights in a session, under pseudonymous labels.

        Parameters
        ----------
        session : str
        round : int, optional
            One round (default: every round).
        **weight_options
            Passed to :func:`coopeval.weighting.participant_weights` (``rank_method``,
            ``ahp_method``, ``simos_z``).

        Returns
        -------
        DataFrame
            ``session, round, participant, college, method, parent, node, weight``
            (:func:`coopeval.weighting.participant_weights` of :meth:`agreement_inputs`;
            weights of one participant, round and parent sum to 1), ``participant``
            being the pseudonymous label. Input of
            :func:`coopeval.weighting.agreement_table`.

        Raises
        ------
        StoreError
            A role other than facilitator or researcher, or an unknown session.
        """
        from coopeval.weighting import participant_weights

        inputs = self.agreement_inputs(session, round)
        if inputs.empty:
            return pd.DataFrame(columns=["session", "round", "participant", "college", "method", "parent",
                                         "node", "weight"])
        fw = self.framework(self._read(lambda c: self._session_framework(c, session)))
        return participant_weights(inputs, fw, **weight_options)


def participant_label(session: str, participant: str, key: str) -> str:
    """Pseudonymous label of a participant in a session: ``"p_" + HMAC-SHA-256[:10]``."""
    return "p_" + pseudonym(f"{session}\x1f{participant}", key, length=LABEL_LENGTH)[2:]
