"""Computed results in the store, with everything needed to recompute them.

Mixed into :class:`coopeval.store.Project`. A result row keeps the result table
exactly (floats written with ``repr``, which round-trips bit for bit), the
framework version (hash), the weights, the parameters, a description of the
inputs with their SHA-256, and the coopeval version. :meth:`ResultsMixin.recompute`
runs the same computation again from the stored data; :meth:`ResultsMixin.verify`
says whether it gives the identical table. Recomputable kinds: ``score``,
``collective_view`` and ``uncertainty`` (Monte Carlo: the same seed, data, weights and
options draw the same samples, so the summary is identical).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
import pandas as pd
import sqlalchemy as sa

from coopeval._version import __version__
from coopeval.errors import CoopevalError, StoreError, bad_param
from coopeval.framework import Framework
from coopeval.store import audit
from coopeval.store import schema as S
from coopeval.store.migrations import now
from coopeval.store.protocol import ProjectBase

if TYPE_CHECKING:

    from coopeval.evaluation import Evaluation
    from coopeval.uncertainty.result import UncertaintyResult

RESULT_LIST_COLUMNS = ["id", "kind", "framework_hash", "params", "inputs", "code_version", "created_at", "role"]


@dataclass
class StoredResult:
    """A stored result: its ``table`` and how it was produced."""

    id: int
    kind: str
    table: pd.DataFrame
    framework_hash: str
    weights: Any
    params: dict
    inputs: dict
    code_version: str
    created_at: str


# ---------------------------------------------------------------------- exact JSON of tables
def _py(value: Any) -> Any:
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA or value is pd.NaT:
        return None
    return value


_PLAIN = {str, float, int, bool, type(None)}


def table_to_json(df: pd.DataFrame) -> str:
    """Exact JSON of a DataFrame (columns, dtypes, rows; non-default index kept as columns)."""
    if not isinstance(df, pd.DataFrame):
        bad_param("table", "a DataFrame", df, StoreError)
    if not (isinstance(df.index, pd.RangeIndex) and df.index.start == 0 and df.index.step == 1):
        df = df.reset_index()
    # column by column (``tolist`` gives the Python scalars that row iteration gives, much
    # faster); only columns that can hold NA / NaT or numpy scalars go through ``_py``
    cols = []
    for k in range(df.shape[1]):
        col = df.iloc[:, k]
        values = col.tolist()
        if not (isinstance(col.dtype, np.dtype) and col.dtype.kind in "biuf") and not set(map(type, values)) <= _PLAIN:
            values = [_py(v) for v in values]
        cols.append(values)
    data = list(zip(*cols, strict=True)) if cols else [() for _ in range(len(df))]
    payload = {
        "columns": [str(c) for c in df.columns],
        "dtypes": [str(t) for t in df.dtypes],
        "data": data,  # rows (tuples are written as JSON arrays)
    }
    return json.dumps(payload, ensure_ascii=False, default=str)


def table_from_json(text: str) -> pd.DataFrame:
    """Inverse of :func:`table_to_json`."""
    payload = json.loads(text)
    df = pd.DataFrame(payload["data"], columns=payload["columns"])
    if df.empty:
        df = pd.DataFrame({c: pd.Series(dtype="object") for c in payload["columns"]})
    for col, dtype in zip(payload["columns"], payload["dtypes"], strict=True):
        try:
            df[col] = df[col].astype(dtype)
        except (TypeError, ValueError):
            pass
    return df


def weights_to_json(weights: Any) -> str:
    """JSON of weights: None, a dict, a Series (node → weight), a DataFrame, or an object with ``to_frame()``."""
    if weights is None:
        return json.dumps(None)
    if isinstance(weights, pd.Series):
        return json.dumps({"kind": "series", "name": _py(weights.name),
                           "index": [_py(i) for i in weights.index], "values": [_py(v) for v in weights]})
    if isinstance(weights, dict):
        return json.dumps({"kind": "dict", "values": {str(k): _py(v) for k, v in weights.items()}})
    if not isinstance(weights, pd.DataFrame) and hasattr(weights, "to_frame"):
        weights = weights.to_frame()
    if isinstance(weights, pd.DataFrame):
        return json.dumps({"kind": "frame", "table": table_to_json(weights)})
    bad_param("weights", "None, a dict, a Series or a DataFrame of weights", weights, StoreError)
    return ""  # pragma: no cover


def weights_from_json(text: str) -> Any:
    """Inverse of :func:`weights_to_json`."""
    data = json.loads(text)
    if data is None:
        return None
    if data["kind"] == "series":
        return pd.Series(data["values"], index=data["index"], name=data["name"], dtype=float)
    if data["kind"] == "dict":
        return data["values"]
    return table_from_json(data["table"])


def checksum(df: pd.DataFrame) -> str:
    """SHA-256 of a table's content (row order and dtypes included)."""
    return hashlib.sha256(table_to_json(df.reset_index(drop=True)).encode("utf-8")).hexdigest()


class _Project(ProjectBase, Protocol):
    """What the results use of their :class:`~coopeval.store.Project`."""

    def setting(self, key: str) -> str | None: ...

    def _framework_hash(self, framework: Framework | str | None) -> tuple[Framework, str]: ...

    def _session_framework(self, conn: sa.Connection, session: str) -> str: ...

    def _version_numbers(self) -> dict[str, int]: ...

    def collective_view(self, session: str, round: int | None = ..., *,  # noqa: A002
                        min_group: int | None = ...) -> pd.DataFrame: ...

    def save_result(self: _Project, kind: str, table: pd.DataFrame, *, framework: Framework | str | None = ...,
                    weights: Any = ..., params: dict | None = ..., inputs: dict | None = ...) -> int: ...

    def result(self: _Project, result_id: int) -> StoredResult: ...

    def _judgements_checksum(self: _Project, session: str, round: int | None) -> str: ...  # noqa: A002

    def evaluation(self: _Project, spec: Any = ..., **options: Any) -> Evaluation: ...

    def _inputs(self: _Project, ev: Evaluation) -> dict[str, str]: ...

    def recompute(self: _Project, result_id: int) -> pd.DataFrame: ...

    def verification(self: _Project, result_id: int, rtol: float = 0.0) -> str: ...


class ResultsMixin:
    """Store, list, recompute and verify results (see the module docstring)."""

    def save_result(self: _Project, kind: str, table: pd.DataFrame, *, framework: Framework | str | None = None,
                    weights: Any = None, params: dict | None = None, inputs: dict | None = None) -> int:
        """Store a result table with what produced it; returns its id.

        Parameters
        ----------
        kind : str
            ``"score"``, ``"collective_view"``, ``"uncertainty"`` (recomputable by :meth:`recompute`) or any
            other label (stored and exported, but not recomputable).
        table : DataFrame
            The result, stored exactly.
        framework, weights, params, inputs
            The framework version (default: latest stored), the weights, the options
            and a description of the input data used.
        """
        self._require("researcher", "facilitator")
        if not isinstance(kind, str) or not kind:
            bad_param("kind", "a non-empty result kind", kind, StoreError)
        _fw, fw_hash = self._framework_hash(framework)
        row = {"kind": kind, "framework_hash": fw_hash, "weights": weights_to_json(weights),
               "params": json.dumps(params or {}, sort_keys=True, default=_py),
               "inputs": json.dumps(inputs or {}, sort_keys=True, default=_py),
               "table_json": table_to_json(table), "code_version": __version__,
               "created_at": now(), "role": self.role}

        def run(conn: sa.Connection) -> int:
            rid = conn.execute(S.results.insert().values(**row).returning(S.results.c.id)).scalar_one()
            audit.record(conn, self.role, "save_result", str(rid), kind=kind, framework=fw_hash)
            return rid
        return self._write(run)

    def results(self: _Project) -> pd.DataFrame:
        """Stored results (without their tables): ``id, kind, framework_hash, params, inputs,
        code_version, created_at, role, framework_number`` (the number of the framework version
        in the project, :meth:`framework_versions`; issue 22)."""
        t = S.results
        df = self._frame(sa.select(*[t.c[c] for c in RESULT_LIST_COLUMNS]).order_by(t.c.id))
        for col in ("params", "inputs"):
            df[col] = [json.loads(v) for v in df[col]]
        numbers = self._version_numbers()
        df["framework_number"] = [numbers.get(h) for h in df["framework_hash"]]
        return df

    def result(self: _Project, result_id: int) -> StoredResult:
        """One stored result, its table and provenance."""
        row = self._read(lambda c: c.execute(sa.select(S.results).where(S.results.c.id == int(result_id))).first())
        if row is None:
            bad_param("result_id", "the id of a stored result", result_id, StoreError)
        if row.kind != "collective_view":
            self._require("researcher", "facilitator", "collective")
        return StoredResult(row.id, row.kind, table_from_json(row.table_json), row.framework_hash,
                            weights_from_json(row.weights), json.loads(row.params), json.loads(row.inputs),
                            row.code_version, row.created_at)

    def save_collective_view(self: _Project, session: str, round: int | None = None, *,  # noqa: A002
                             min_group: int | None = None) -> int:
        """Compute :meth:`collective_view` and store it as a recomputable result; returns its id."""
        table = self.collective_view(session, round, min_group=min_group)
        fw_hash = self._read(lambda c: self._session_framework(c, session))
        params = {"session": session, "round": round, "min_group": min_group}
        inputs = {"judgements_sha256": self._judgements_checksum(session, round)}
        return self.save_result("collective_view", table, framework=fw_hash, params=params, inputs=inputs)

    def _judgements_checksum(self: _Project, session: str, round: int | None) -> str:  # noqa: A002
        j = S.judgements
        q = sa.select(j.c.round, j.c.participant, j.c.college, j.c.method, j.c.node, j.c.value).where(
            j.c.session == session).order_by(j.c.round, j.c.participant, j.c.method, j.c.node)
        if round is not None:
            q = q.where(j.c.round == int(round))
        return checksum(self._frame(q).astype({"value": float}))

    def evaluation(self: _Project, spec: Any = None, **options: Any) -> Evaluation:
        """The project's :class:`coopeval.Evaluation` (the one model every door reads).

        ``spec`` (an :class:`coopeval.evaluation.EvaluationSpec` or its dict) and ``options``
        (its fields: ``session``, ``round``, ``college_shares``, ``weights``, ``normalisation``,
        ``aggregation``, ``waves``, ``n``, ``seed``, ``min_group``…) choose what is evaluated;
        by default the latest closed round of the latest session, with the voices stored with it.
        """
        from coopeval.evaluation import Evaluation

        return Evaluation.from_project(self, spec, **options)  # it applies the project's min_group_size

    def min_group(self: _Project) -> int:
        """The project's minimum group size (setting ``min_group_size``)."""
        value = self.setting("min_group_size")
        return int(value) if value is not None else 5

    def _inputs(self: _Project, ev: Evaluation) -> dict[str, str]:
        inputs = {"values_sha256": checksum(ev.values)}
        src = ev.spec.weights
        if src.kind == "deliberation":
            if src.session is None:  # resolve_weights names the session of every deliberation source
                raise StoreError("weights: expected a deliberation source with its session, found none")
            inputs["judgements_sha256"] = self._judgements_checksum(src.session, src.round)
        return inputs

    def score(self: _Project, spec: Any = None, *, save: bool = True, **options: Any) -> tuple[pd.DataFrame, int | None]:
        """Scores of :meth:`evaluation` (:meth:`coopeval.Evaluation.scores`), stored with their
        specification.

        Parameters
        ----------
        spec, **options
            As for :meth:`evaluation` (e.g. ``session="atelier", round=1``,
            ``weights="framework"``, ``normalisation="minmax"``, ``waves=["2"]``).
        save : bool, default True
            Store the result (:meth:`recompute` rebuilds it from the stored specification).

        Returns
        -------
        (DataFrame, int or None)
            The Scores contract (``unit, wave, level, node, score, coverage``) and the result id.
            The weights stored with it are those that may be shown
            (:meth:`coopeval.weighting.WeightSet.shown_local`: NaN for a group weighted by fewer
            than ``min_group`` participants); :meth:`recompute` reads the specification, not them.
        """
        ev = self.evaluation(spec, **options)
        table = ev.scores()
        if not save:
            return table, None
        rid = self.save_result("score", table, framework=ev.fw, weights=ev.weightset().shown_local(),
                               params={"spec": ev.spec.to_dict()}, inputs=self._inputs(ev))
        return table, rid

    def uncertainty(self: _Project, spec: Any = None, *, save: bool = True,
                    **options: Any) -> tuple[UncertaintyResult, int | None]:
        """Monte Carlo of :meth:`evaluation` (:meth:`coopeval.Evaluation.uncertainty`), stored.

        Options that are not specification fields (``normalisations=[...]``, ``sensitivity``,
        ``output_range``…) go to :func:`coopeval.uncertainty` and are stored in the
        specification's ``uncertainty`` field. The summary is stored as an ``"uncertainty"``
        result with the specification (its ``n`` and ``seed``); :meth:`recompute` draws the same samples again and :meth:`verify` checks
        that the summary is identical.

        Returns
        -------
        (UncertaintyResult, int or None)
            The full result (``.summary``, ``.top_k``…) and the stored result id.
        """
        fields = {"session", "round", "college_shares", "weights", "normalisation", "aggregation", "min_coverage",
                  "min_answered", "min_group", "waves", "n", "seed", "uncertainty"}
        extra = {k: options.pop(k) for k in list(options) if k not in fields}
        if extra:
            options["uncertainty"] = {**(options.get("uncertainty") or {}), **extra}
        try:
            ev = self.evaluation(spec, **options)
        except CoopevalError as err:
            raise StoreError(str(err)) from None
        res = ev.uncertainty()
        if not save:
            return res, None
        rid = self.save_result("uncertainty", res.summary, framework=ev.fw, weights=ev.weightset().shown_local(),
                               params={"spec": ev.spec.to_dict()}, inputs=self._inputs(ev))
        return res, rid

    def recompute(self: _Project, result_id: int) -> pd.DataFrame:
        """Run the computation of a stored result again, from the stored data and specification.

        Raises
        ------
        StoreError
            The kind is not recomputable, or the result has no specification.
        """
        res = self.result(result_id)
        if res.kind == "collective_view":
            p = res.params
            return self.collective_view(p["session"], p["round"], min_group=p["min_group"])
        if res.kind in ("score", "uncertainty") and "spec" in res.params:
            ev = self.evaluation(res.params["spec"])
            return ev.scores() if res.kind == "score" else ev.uncertainty().summary
        raise StoreError(f"result {result_id}: kind {res.kind!r} is stored but cannot be recomputed "
                         "(recomputable kinds: score, collective_view, uncertainty, with their specification)")

    def verify(self: _Project, result_id: int, rtol: float = 0.0) -> bool:
        """True when :meth:`recompute` gives the stored table: the same identifiers, order, dtypes and
        missing values, and the same numbers — exactly with ``rtol=0`` (the default), or within
        ``rtol`` of the stored number (relative; absolute for a number near zero; at most 1e-6).

        On another machine, or with another build of the linear-algebra library, a recomputation
        may differ by floating-point rounding alone (sums added in another order, about 1e-16
        relative): ``rtol=1e-12`` accepts that, not the larger differences a change of data, weights
        or methods makes. In an uncertainty summary such rounding can also move a quantile by one
        histogram bin, which ``rtol`` does not cover. :meth:`verification` also tells rounding from a
        change, from the same single recomputation.

        Examples
        --------
        >>> import pathlib, tempfile, coopeval as ce
        >>> p = ce.Project.create(pathlib.Path(tempfile.mkdtemp()) / "eval.coopeval", framework="cooperation_territoriale")
        >>> _ = p.import_observations(ce.datasets.load("panel_synthetique")["observations"])
        >>> _, rid = p.score()
        >>> p.verify(rid), p.verify(rid, rtol=1e-12), p.verification(rid)
        (True, True, 'same')
        """
        return self.verification(result_id, rtol) == "same"

    def verification(self: _Project, result_id: int, rtol: float = 0.0) -> str:
        """:meth:`verify`'s answer, telling why a recomputation differs, from one recomputation:
        ``"same"`` (what :meth:`verify` accepts with ``rtol``), ``"rounding"`` (not accepted, but equal
        within 1e-12: floating-point rounding alone, another machine or numerical library?) or
        ``"changed"`` (data, framework or code changed since). Example: :meth:`verify`.
        """
        if isinstance(rtol, bool) or not isinstance(rtol, (int, float)) or not 0 <= rtol <= 1e-6:
            raise StoreError(f"parameter `rtol`: expected a number between 0 and 1e-6, got {rtol!r}")
        stored = self.result(result_id).table
        again = table_from_json(table_to_json(self.recompute(result_id)))
        if _equal(stored, again, rtol):
            return "same"
        return "rounding" if rtol < 1e-12 and _equal(stored, again, 1e-12) else "changed"


def _equal(stored: pd.DataFrame, again: pd.DataFrame, rtol: float) -> bool:
    """The two tables equal: exactly with ``rtol=0``, or within ``rtol`` (relative, and absolute near zero)."""
    try:
        if rtol:
            pd.testing.assert_frame_equal(stored, again, check_exact=False, rtol=rtol, atol=rtol)
        else:
            pd.testing.assert_frame_equal(stored, again, check_exact=True)
    except AssertionError:
        return False
    return True
