"""Validation of tidy observations ``unit, wave, indicator, value`` against a framework
(rules by kind: :mod:`coopeval.data.validate`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from coopeval.contracts import OBSERVATION_COLUMNS
from coopeval.data.validate.checks import (
    ValidationResult,
    _check_frame,
    _coerce_value,
    _duplicates,
    _finish,
    _key_missing,
    _locator,
    _show,
    _spec,
    _suggest,
    _wave_issues,
)
from coopeval.errors import Issue

#: Optional columns of observations.
OBSERVATION_OPTIONAL = ["source", "note"]


def validate_observations(
    obs: pd.DataFrame,
    fw,
    strict: bool = True,
    *,
    waves: Iterable | None = None,
    where: Sequence[str] | Callable[[int, str], str] | None = None,
) -> pd.DataFrame | ValidationResult:
    """Check tidy observations against a framework.

    Parameters
    ----------
    obs : pandas.DataFrame
        Columns ``unit, wave, indicator, value`` (+ optional ``source, note``; other
        columns are kept unchanged).
    fw : Framework
        The framework giving the indicators, their ``kind`` and bounds.
    strict : bool, default True
        If True, raise :class:`~coopeval.errors.DataError` listing every problem.
        If False, return a :class:`ValidationResult` ``(data, errors)``: the rows
        without problem and the table of problems (nothing is dropped silently).
    waves : iterable, optional
        Expected waves. When given, a wave outside the list is an error and so is
        a unit without any observation in one of them ("missing wave").
    where : sequence of str or callable, optional
        Location of each row used in messages, or a function ``(position,
        column) -> str`` (the file readers pass ``"file 'x.csv', line 4"`` or
        ``"sheet 'Saisie', cell K7"``). Default ``"row <index label>"``.

    Returns
    -------
    pandas.DataFrame or ValidationResult
        With ``strict=True``: the observations with ``value`` coerced to float
        (French decimal commas and ``oui``/``non`` for binary indicators are
        accepted, non-answers become NaN), columns ``unit, wave, indicator,
        value`` first. With ``strict=False``: ``ValidationResult(data, errors)``.

    Raises
    ------
    DataError
        Missing columns (always), or any row problem when ``strict=True``.

    Notes
    -----
    Checks: ``unit``, ``wave``, ``indicator`` present; ``indicator`` known to the
    framework; ``value`` a number (see the table of :mod:`coopeval.data.validate` for each
    ``kind``); no two rows for the same ``unit, wave, indicator`` (both rows are
    reported); optional wave completeness.

    Examples
    --------
    >>> import coopeval as ce, pandas as pd
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> obs = pd.DataFrame({"unit": ["TERA", "TERA"], "wave": [2024, 2024],
    ...                     "indicator": ["emplois_etp", "part_cdi"], "value": ["12,5", 2]})
    >>> clean, errors = ce.data.validate_observations(obs, fw, strict=False)
    >>> clean["value"].tolist(), errors["where"].tolist()
    ([12.5], ['row 1'])
    """
    obs = _check_frame(obs, OBSERVATION_COLUMNS, "obs")
    loc = _locator(obs, where)
    spec = _spec(fw, limits=True)
    # plain dict look-ups: a per-row DataFrame.loc dominated the time of large imports
    known = list(spec)
    problems: list[tuple[int | None, Issue]] = []
    values: list[float] = []
    for pos, (unit, wave, ind, raw) in enumerate(
        obs[OBSERVATION_COLUMNS].itertuples(index=False, name=None)
    ):
        for key, v in (("unit", unit), ("wave", wave), ("indicator", ind)):
            if _key_missing(v):
                problems.append((pos, Issue(loc(pos, key), key, f"a {key}", "an empty cell")))
        if _key_missing(ind):
            values.append(np.nan)
            continue
        if ind not in spec:
            problems.append((pos, Issue(loc(pos, "indicator"), "indicator",
                                        f"an indicator of framework {fw.id!r}{_suggest(ind, known)}",
                                        _show(ind))))
            values.append(np.nan)
            continue
        kind, lo, hi = spec[ind]
        value, prob = _coerce_value(raw, kind, lo, hi, survey=False)
        if prob is not None:
            problems.append((pos, Issue(loc(pos, "value"), "value", f"{prob[0]} for {ind!r}", prob[1])))
        values.append(value)
    _duplicates(obs, ["unit", "wave", "indicator"], loc, problems, "indicator")
    _wave_issues(obs, waves, loc, problems)
    return _finish(obs, values, problems, strict=strict, what="observations",
                   order=OBSERVATION_COLUMNS)
