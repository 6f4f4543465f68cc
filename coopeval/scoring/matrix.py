"""Long observations (``unit, wave, indicator, value``) to a units·waves × indicators array."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import CoopevalError, Issue, ScoringError
from coopeval.scoring._long import plain_ids
from coopeval.scoring.plan import Plan, keep_last

__all__ = ["DataMatrix", "prepare", "to_matrix"]


@dataclass(frozen=True)
class DataMatrix:
    """Raw values as an array.

    Attributes
    ----------
    rows : pandas.DataFrame
        One row per (unit, wave), columns ``unit, wave``, sorted by wave then unit.
    values : numpy.ndarray, shape (n_rows, n_indicators)
        Raw values in ``plan.indicators`` order, NaN where missing.
    wave_index : numpy.ndarray of int
        Position of each row's wave in :attr:`waves`.
    waves : list
        The waves, sorted.
    plan : Plan, optional
        The compiled framework the values were checked against (their columns).

    A DataMatrix made by :func:`prepare` can be given to :func:`coopeval.score` and
    :func:`coopeval.uncertainty` in place of the observations: the checks and the pivot are not
    repeated, and each normalisation is computed once (:meth:`index` and the normalised matrices
    are memoised; the arrays are read-only).
    """

    rows: pd.DataFrame
    values: np.ndarray
    wave_index: np.ndarray
    waves: list
    plan: Plan | None = field(default=None, repr=False, compare=False)
    #: Derived values (the row index, normalised matrices), computed once.
    _memo: dict = field(default_factory=dict, repr=False, compare=False)

    def index(self) -> pd.MultiIndex:
        """The rows as a ``(unit, wave)`` MultiIndex (memoised; pandas indexes are immutable)."""
        return self.memo("index", lambda: pd.MultiIndex.from_frame(self.rows))

    def memo(self, key: Any, build: Any) -> Any:
        """``build()`` once per ``key`` (e.g. a normalisation and its output range)."""
        if key not in self._memo:
            self._memo[key] = build()
        return self._memo[key]

    def last(self, slot: str, args: tuple, build: Any) -> Any:
        """:func:`~coopeval.scoring.plan.keep_last` on this matrix: one result kept per slot, so that a
        matrix scored with ever new arguments does not keep them all."""
        return keep_last(self._memo, slot, args, build)

    def wave_rows(self) -> list[np.ndarray]:
        """The rows of each wave of :attr:`waves`, in order (memoised, read-only)."""
        def build() -> list[np.ndarray]:
            out = [np.flatnonzero(self.wave_index == i) for i in range(len(self.waves))]
            for rows in out:
                rows.setflags(write=False)
            return out

        return self.memo("wave_rows", build)


def prepare(
    obs: pd.DataFrame,
    fw: Any,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
) -> DataMatrix:
    """Check and pivot observations once, for many scorings of the same data.

    :func:`coopeval.score` and :func:`coopeval.uncertainty` accept the result in place of the
    observations (with the same framework): the checks of :func:`to_matrix`, the pivot and each
    normalisation are then done once, not at every call, as a COINr "coin" holds its data
    between analyses. An :class:`coopeval.Evaluation` prepares its values this way.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = pd.DataFrame({"unit": ["a", "b"], "wave": 1, "indicator": "part_cdi", "value": [0.2, 0.8]})
    >>> dm = ce.prepare(obs, fw)
    >>> dm.values.shape[0], dm.rows["unit"].tolist()
    (2, ['a', 'b'])
    >>> ce.score(dm, fw, min_coverage=0).equals(ce.score(obs, fw, min_coverage=0))
    True
    """
    from coopeval.framework import Framework
    from coopeval.scoring.plan import compile_plan

    if not isinstance(fw, Framework):
        raise ScoringError(f"parameter `fw`: expected a Framework, got {type(fw).__name__}")
    return to_matrix(obs, compile_plan(fw), unit=unit, wave=wave, indicator=indicator, value=value)


def _prepared(dm: DataMatrix, plan: Plan, error: type[CoopevalError]) -> DataMatrix:
    """A prepared matrix given as observations: itself when its columns are the plan's."""
    if dm.plan is plan:
        return dm
    if (dm.plan is not None and dm.plan.framework_id == plan.framework_id and dm.plan.indicators == plan.indicators
            and dm.plan.relative is None and plan.relative is None):
        return dm  # same columns, raw values: the normalisations are memoised per framework's bounds
    given = "a DataMatrix of no framework" if dm.plan is None else f"one prepared for framework `{dm.plan.framework_id}`"
    raise error(f"parameter `obs`: expected observations, or a DataMatrix prepared for framework "
                f"`{plan.framework_id}` (coopeval.prepare(obs, fw)), got {given} with other indicators")


def to_matrix(
    obs: pd.DataFrame,
    plan: Plan,
    *,
    unit: str = "unit",
    wave: str | None = "wave",
    indicator: str = "indicator",
    value: str = "value",
    error: type[CoopevalError] = ScoringError,
) -> DataMatrix:
    """Check long observations and pivot them to a :class:`DataMatrix`.

    Indicators absent from the framework are ignored; framework indicators with no
    observation are all-missing columns (the coverage of scores reports them). Indicators
    with relative goalposts hold their relative values (:mod:`coopeval.scoring.relative`).
    A :class:`DataMatrix` already prepared for the plan's framework (:func:`prepare`) is
    returned as it is.

    Raises
    ------
    ScoringError
        Missing columns, non-numeric values, duplicated (unit, wave, indicator) rows, or
        no indicator of the framework at all — every problem listed.
    """
    if isinstance(obs, DataMatrix):
        return _prepared(obs, plan, error)
    if not isinstance(obs, pd.DataFrame):
        raise error(f"parameter `obs`: expected a pandas DataFrame, got {type(obs).__name__}")
    needed = [c for c in (unit, wave, indicator, value) if c is not None]
    missing = [c for c in needed if c not in obs.columns]
    if missing:
        raise error(
            "parameter `obs`", issues=[Issue("obs", c, "a column of the observations", "no such column") for c in missing]
        )
    if plan.relative is not None and "baseline" in obs.columns:  # baselines given (scoring.relative, point 2)
        needed.append("baseline")
    # a new frame without ``attrs`` (no copy of the data: it is never modified in place); pandas deep-copies
    # ``attrs`` into every frame and series derived from one (from_coinr's code map: ~5 ms a call)
    df = pd.DataFrame(obs, copy=False)[needed]
    if wave is None:
        wave = "wave"
        df = df.assign(wave=1)
    if plan.relative is not None:  # issue 22: goalposts per member / against the own baseline
        from coopeval.scoring.relative import relative_data

        df = relative_data(df, plan.relative, unit=unit, wave=wave, indicator=indicator, value=value)
    # indicator positions looked up once per distinct id (a Series.map over millions of rows is slow)
    i_codes, i_uniq = pd.factorize(plain_ids(df[indicator]))
    pos_u = np.array([plan.ind_pos.get(i, -1) for i in i_uniq] + [-1], dtype=int)
    col_all = pos_u[i_codes]  # code -1 (missing id) reads the trailing -1
    known = col_all >= 0
    if not known.all():
        df = df[known]
    col_pos = col_all[known]
    if df.empty:
        raise error(
            f"parameter `obs`: expected observations of indicators of framework `{plan.framework_id}` "
            f"(e.g. {', '.join(plan.indicators[:3])}), found none"
        )
    issues = []
    num = pd.to_numeric(df[value], errors="coerce")
    x = num.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(df[value]):  # a numeric column has no cell that is not a number
        bad = num.isna() & df[value].notna()
        for i in df.index[bad][:20]:
            issues.append(Issue(f"obs row {i}", value, "a number", repr(df.at[i, value])))
    inf = np.isinf(x)
    if inf.any():
        for i in df.index[inf][:20]:
            issues.append(Issue(f"obs row {i}", value, "a finite number", repr(df.at[i, value])))
    ids = {}
    for col in (unit, wave):  # issue 16: an empty id made the factorisation fail with an IndexError
        try:
            ids[col] = _factorize(df[col])
            empty = ids[col][0] < 0  # the code of an empty cell (NaN, None, NaT…): as isna
        except TypeError:  # ids that cannot be hashed: pandas' error below, unless a cell is empty
            empty = df[col].isna().to_numpy()
        for i in df.index[empty][:20]:
            issues.append(Issue(f"obs row {i}", col, "an identifier", "an empty cell"))
    if issues:
        raise error("invalid observations", issues=issues)
    u_codes, u_uniq = ids[unit] if unit in ids else _factorize(df[unit])
    w_codes, w_uniq = ids[wave] if wave in ids else _factorize(df[wave])
    n_u = len(u_uniq)
    n_ind = len(plan.indicators)
    row_pos, keys = pd.factorize(w_codes * n_u + u_codes, sort=True)  # as np.unique(…, return_inverse=True)
    cell = row_pos * n_ind + col_pos
    seen = np.zeros(len(keys) * n_ind, dtype=bool)
    seen[cell] = True
    if np.count_nonzero(seen) < len(cell):  # some cell given twice
        _, counts = np.unique(cell, return_counts=True)
        dup = np.isin(cell, np.unique(cell)[counts > 1])
        for i in df.index[dup][:20]:
            key = (df.at[i, unit], df.at[i, wave], df.at[i, indicator])
            issues.append(Issue(f"obs row {i}", "unit, wave, indicator", "one value per unit, wave and indicator",
                                f"a duplicate of {key}"))
        raise error("invalid observations", issues=issues)
    rows = pd.DataFrame({"unit": np.asarray(u_uniq, dtype=object)[keys % n_u],
                         "wave": np.asarray(w_uniq)[keys // n_u]})
    values = np.full((len(rows), n_ind), np.nan)
    values[row_pos, col_pos] = x
    values.flags.writeable = False  # shared by every scoring of a prepared matrix
    waves = list(w_uniq)
    wave_index = (keys // n_u).astype(int)
    return DataMatrix(rows, values, wave_index, waves, plan)


def _factorize(col: pd.Series) -> tuple[np.ndarray, Any]:
    """Codes and sorted distinct values of an id column (``pd.factorize(sort=True)``; in order of
    appearance when the ids do not sort). A long table usually holds a unit's rows together: text
    ids are then hashed once per run of equal ids, and the codes repeated along each run."""
    values = plain_ids(col)
    runs = None
    if isinstance(values, np.ndarray) and len(values) > 1:
        try:
            runs = np.flatnonzero(np.r_[True, values[1:] != values[:-1]])
        except TypeError:  # pd.NA cells do not compare
            pass
        if runs is not None and 2 * len(runs) > len(values):
            runs = None  # hardly any run: hash every row
    heads = values if runs is None else values[runs]
    try:
        codes, uniq = pd.factorize(heads, sort=True)
    except TypeError:  # mixed types that do not sort
        codes, uniq = pd.factorize(heads)
    if runs is not None:
        codes = np.repeat(codes, np.diff(np.r_[runs, len(values)]))
    return codes, uniq
