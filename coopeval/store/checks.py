"""Contract checks of observations, responses and judgements before they are stored.

When :mod:`coopeval.data` provides ``validate_observations(obs, fw)`` /
``validate_responses(resp, fw)`` they are called first (their cleaned table is
used if they return one); the minimal checks below always run, so that nothing
off-contract reaches the database. Every problem is collected and raised at once.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import cast

import numpy as np
import pandas as pd

from coopeval.contracts import (
    JUDGEMENT_COLUMNS,
    OBSERVATION_COLUMNS,
    RESOURCE_COLUMNS,
    RESPONSE_COLUMNS,
)
from coopeval.errors import DataError, Issue, StoreError, WeightingError
from coopeval.framework import Framework

OBS_COLUMNS = OBSERVATION_COLUMNS
OBS_OPTIONAL = ["source", "note"]
RESP_COLUMNS = RESPONSE_COLUMNS
RES_COLUMNS = RESOURCE_COLUMNS
#: Accepted categories of resources (French or English), see :func:`coopeval.valuation.resources_profile`.
RES_CATEGORIES = ("marchand", "non_marchand", "non_monetaire", "market", "non_market", "non_monetary")


def _finance_lines() -> tuple[str, ...]:
    """Issue 18: the lines of the socio-economic model (pillars, costs, financing) are also
    accepted as categories, so that costs, loans and equity go through the same audited import."""
    from coopeval.valuation.finances import finance_lines

    return tuple(finance_lines()["line"])
_MAX_ISSUES = 50


def _external(name: str, table: pd.DataFrame, fw: Framework) -> pd.DataFrame:
    """The data layer's validator ``name`` (``validate_observations`` or ``validate_responses``)."""
    from coopeval import data

    out = getattr(data, name)(table, fw)
    return out if isinstance(out, pd.DataFrame) else table


def _validated_responses(resp: pd.DataFrame, fw: Framework) -> tuple[pd.DataFrame, dict]:
    """:func:`coopeval.data.validate_responses` (strict) and the factorisations of the key columns it
    made, kept for the columns whose dtype it left as they were (the same values and dtype: the
    same codes and distinct values as factorising its output again; issue 21)."""
    from coopeval.data.validate.responses import _validate_responses

    checked, codes = _validate_responses(resp, fw, strict=True)
    out = cast(pd.DataFrame, checked).reset_index(drop=True)  # strict: a frame, or DataError raised
    return out, {k: c for k, c in codes.items() if k in out.columns and out[k].dtype == resp[k].dtype}


def _where(source: str | None, i: int) -> str:
    # i is the 0-based data row; in a CSV file with a header it is on line i + 2
    return f"{source}, line {i + 2}" if source else f"row {i}"


def _require_columns(df: object, required: list[str], param: str, cls: type) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise cls(f"parameter `{param}`: expected a DataFrame with columns {', '.join(required)}, "
                  f"got {type(df).__name__}")
    missing = [c for c in required if c not in df.columns]
    if missing:
        raise cls(f"parameter `{param}`: expected columns {', '.join(required)}, "
                  f"missing {', '.join(missing)} (found {', '.join(map(str, df.columns))})")
    return df.reset_index(drop=True)


def _stripped(col: pd.Series) -> pd.Series:
    """``col.astype(str).str.strip()``, stripping each distinct value once (ids repeat a lot)."""
    codes, uniq = pd.factorize(col)
    text = np.array([str(u).strip() for u in uniq] + [str(np.nan)], dtype=object)
    return pd.Series(text[codes], index=col.index).astype(str)


def _ids(df: pd.DataFrame, cols: Iterable[str], source: str | None, issues: list[Issue]) -> None:
    for col in cols:
        bad = df[col].isna() | (_stripped(df[col]) == "")
        for i in df.index[bad]:
            issues.append(Issue(_where(source, i), col, "a non-empty identifier", "an empty cell"))


def _stripped_ids(df: pd.DataFrame, cols: Iterable[str], source: str | None, issues: list[Issue],
                  known: dict[str, tuple[np.ndarray, pd.Index]] | None = None,
                  ) -> tuple[dict[str, pd.Series], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """:func:`_ids` and :func:`_stripped` of every column with one factorisation per column
    (a large import repeats a few thousand ids hundreds of thousands of times).

    ``known`` holds factorisations already made (``pd.factorize(df[col])``, as
    :func:`coopeval.data._fast.key_codes`), used instead of making them again. Returns the
    stripped columns and, per column, integer codes of the stripped text and its distinct values
    (``distinct[codes]`` is the stripped column; equal codes = equal text), for
    :func:`_duplicated_codes`.
    """
    text, codes = {}, {}
    for col in cols:
        raw, index = known[col] if known and col in known else pd.factorize(df[col])  # -1 = missing
        uniq = index.tolist()  # the same scalars as iterating the index, without boxing one by one
        strip = [str(u).strip() for u in uniq]
        empty = np.array([v == "" for v in strip] + [True], dtype=bool)  # last: a missing cell
        values = np.array(strip + [str(np.nan)], dtype=object)
        for i in df.index[empty[raw]]:
            issues.append(Issue(_where(source, i), col, "a non-empty identifier", "an empty cell"))
        clean = (df[col].dtype != object and pd.api.types.is_string_dtype(df[col].dtype) and (raw >= 0).all()
                 and all(isinstance(u, str) and u == v for u, v in zip(uniq, strip, strict=True)))
        # text already stripped: the column itself (the same values and dtype as a stripped copy)
        text[col] = df[col] if clean else pd.Series(values[raw], index=df.index).astype(str)
        same, distinct = pd.factorize(values)  # distinct raw ids may strip to the same text
        codes[col] = same[raw], distinct
    return text, codes


def _duplicated_codes(codes: list[np.ndarray]) -> bool:
    """Whether two rows share every code (the key columns as integer codes from :func:`_stripped_ids`)."""
    key = np.zeros(len(codes[0]), dtype=np.int64)
    for c in codes:  # re-coded after each column: stays below rows x distinct values
        key, uniq = pd.factorize(key * (int(c.max(initial=0)) + 1) + c)
    return len(uniq) < len(key) if len(codes[0]) else False


def _numbers(df: pd.DataFrame, source: str | None, issues: list[Issue], *, allow_missing: bool) -> pd.Series:
    values = pd.to_numeric(df["value"], errors="coerce").astype(float)
    raw_missing = df["value"].isna()
    bad = values.isna() & (~raw_missing | (not allow_missing))
    for i in df.index[bad]:
        issues.append(Issue(_where(source, i), "value", "a number", repr(df.at[i, "value"])))
    for i in df.index[values.notna() & ~np.isfinite(values.fillna(0.0))]:
        issues.append(Issue(_where(source, i), "value", "a finite number", repr(df.at[i, "value"])))
    return values


def _duplicates(df: pd.DataFrame, key: list[str], source: str | None, issues: list[Issue]) -> None:
    dup = df.duplicated(key, keep=False)
    if not dup.any():
        return
    first_of: dict[tuple, int] = {}
    for i in df.index[dup]:
        k = tuple(df.loc[i, key])
        if k in first_of:
            issues.append(Issue(_where(source, i), "/".join(key), "one row per " + ", ".join(key),
                                f"a duplicate of {_where(source, first_of[k])}"))
        else:
            first_of[k] = i


def _raise(issues: list[Issue], what: str, cls: type) -> None:
    if issues:
        extra = len(issues) - _MAX_ISSUES
        shown = issues[:_MAX_ISSUES]
        msg = f"{what}: nothing was written" + (f" (first {_MAX_ISSUES} of {len(issues)} problems shown)" if extra > 0 else "")
        raise cls(msg, issues=shown)


def observations(obs: pd.DataFrame, fw: Framework, *, source: str | None = None) -> pd.DataFrame:
    """Checked observations: columns ``unit, wave, indicator, value, source, note``.

    Raises
    ------
    DataError
        Missing columns, empty ids, unknown indicators, non-numeric or out-of-range
        values, binary values other than 0/1, duplicated ``unit, wave, indicator``.
    """
    obs = _require_columns(obs, OBS_COLUMNS, "obs", DataError)
    obs = _external("validate_observations", obs, fw).reset_index(drop=True)
    issues: list[Issue] = []
    _ids(obs, ["unit", "wave", "indicator"], source, issues)
    obs = obs.assign(unit=_stripped(obs["unit"]), wave=_stripped(obs["wave"]), indicator=_stripped(obs["indicator"]))
    values = _numbers(obs, source, issues, allow_missing=True)
    spec = fw.indicators.set_index("indicator")
    # reference variables (members, inhabitants…) of relative goalposts are observed too (issue 22)
    refs = fw.reference_variables["variable"]
    spec = pd.concat([spec, pd.DataFrame({"kind": "quantitative", "limit_low": 0.0, "limit_high": np.inf},
                                         index=pd.Index(refs, name="indicator"))]) if len(refs) else spec
    known = obs["indicator"].isin(spec.index)
    for i in obs.index[~known]:
        issues.append(Issue(_where(source, i), "indicator", f"an indicator of framework `{fw.id}`",
                            repr(obs.at[i, "indicator"])))
    kind = obs["indicator"].map(spec["kind"])
    # plausibility limits, not goalposts: a value beyond a goalpost is valid (scoring caps it), and
    # relative goalposts bound a relative value, not the raw one (issue 22)
    lo, hi = obs["indicator"].map(spec["limit_low"]), obs["indicator"].map(spec["limit_high"])
    binary_bad = known & (kind == "binary") & values.notna() & ~values.isin([0.0, 1.0])
    for i in obs.index[binary_bad]:
        issues.append(Issue(_where(source, i), "value", f"0 or 1 for binary indicator `{obs.at[i, 'indicator']}`",
                            repr(float(values.at[i]))))
    out_of_range = known & values.notna() & ((lo.notna() & (values < lo)) | (hi.notna() & (values > hi)))
    for i in obs.index[out_of_range]:
        issues.append(Issue(_where(source, i), "value",
                            f"a value in [{lo.at[i]}, {hi.at[i]}] for `{obs.at[i, 'indicator']}`", repr(float(values.at[i]))))
    _duplicates(obs, ["unit", "wave", "indicator"], source, issues)
    _raise(issues, "observations", DataError)
    out = obs[OBS_COLUMNS].assign(value=values)
    for col in OBS_OPTIONAL:
        out[col] = obs[col].where(obs[col].notna(), None) if col in obs.columns else None
    return out


def coded_responses(resp: pd.DataFrame, fw: Framework, *,
                    source: str | None = None) -> tuple[pd.DataFrame, dict[str, tuple[np.ndarray, np.ndarray]]]:
    """Checked responses (columns ``respondent, unit, wave, college, item, value``), and
    ``column -> (codes, distinct)`` of its id columns (``distinct[codes]`` is the checked column),
    for the import that needs them again (pseudonyms, checksum; issue 21).

    Raises
    ------
    DataError
        Missing columns, empty ids, items unknown to the framework, non-numeric values,
        duplicated ``respondent, unit, wave, item``.
    """
    resp, known = _validated_responses(_require_columns(resp, RESP_COLUMNS, "responses", DataError), fw)
    issues: list[Issue] = []
    text, codes = _stripped_ids(resp, ["respondent", "unit", "wave", "college", "item"], source, issues, known)
    resp = resp.assign(**{c: text[c] for c in RESP_COLUMNS[:-1]})
    values = _numbers(resp, source, issues, allow_missing=True)
    for i in resp.index[~resp["item"].isin(set(fw.items["item"]))]:
        issues.append(Issue(_where(source, i), "item", f"a survey item of framework `{fw.id}`",
                            repr(resp.at[i, "item"])))
    key = ["respondent", "unit", "wave", "item"]
    if _duplicated_codes([codes[c][0] for c in key]):  # rows named one by one only when there are some
        _duplicates(resp, key, source, issues)
    _raise(issues, "responses", DataError)
    return resp[RESP_COLUMNS].assign(value=values), codes


def resources(res: pd.DataFrame, *, source: str | None = None) -> pd.DataFrame:
    """Checked resources: columns ``unit, wave, source, category, amount, unit_of_measure``.

    ``category`` is one of ``marchand, non_marchand, non_monetaire`` (or ``market,
    non_market, non_monetary``) or a line of the socio-economic model
    (:func:`coopeval.valuation.finance_lines`: pillars, costs, loans, equity…), compared after stripping spaces and lower-casing and
    stored as given (lower case); ``amount`` is a finite number >= 0; ``unit_of_measure``
    (``euros``, ``h``…) is required, since hours and euros are not added together.

    Raises
    ------
    DataError
        Missing columns, empty ids, unknown categories, missing, negative or
        non-numeric amounts, duplicated ``unit, wave, source, category, unit_of_measure``.
    """
    res = _require_columns(res, RES_COLUMNS, "resources", DataError)
    issues: list[Issue] = []
    _ids(res, ["unit", "wave", "source", "category", "unit_of_measure"], source, issues)
    empty = res["category"].isna()
    res = res.assign(**{c: res[c].astype(str).str.strip() for c in ("unit", "wave", "source", "unit_of_measure")},
                     category=res["category"].astype(str).str.strip().str.lower())
    empty |= res["category"] == ""
    for i in res.index[~empty & ~res["category"].isin(RES_CATEGORIES + _finance_lines())]:
        issues.append(Issue(_where(source, i), "category",
                            f"one of {', '.join(RES_CATEGORIES[:3])} (or {', '.join(RES_CATEGORIES[3:])}) or a line "
                            "of ce.valuation.finance_lines() (ventes, subventions_publiques, charges_personnel, "
                            "emprunts…)", repr(res.at[i, "category"])))
    amounts = pd.to_numeric(res["amount"], errors="coerce").astype(float)
    for i in res.index[amounts.isna() | ~np.isfinite(amounts.fillna(0.0)) | (amounts < 0)]:
        issues.append(Issue(_where(source, i), "amount", "a finite number >= 0", repr(res.at[i, "amount"])))
    _duplicates(res, ["unit", "wave", "source", "category", "unit_of_measure"], source, issues)
    _raise(issues, "resources", DataError)
    return res[RES_COLUMNS].assign(amount=amounts)


def judgements(df: pd.DataFrame, fw: Framework, *, fixed: dict, method: str | None,
               validate: bool = True) -> list[dict]:
    """Checked judgement set of one participant (``node, value`` + contract columns).

    ``fixed`` holds the values imposed by the token (session, round, participant,
    college): a column that disagrees is refused — a token submits only its own
    judgements. ``method`` is the method set for the participant's college (None: free).
    With ``validate``, :func:`coopeval.weighting.validate_judgements` (when installed)
    also checks the method's rules (points total, scales, complete sibling groups…).

    Returns
    -------
    list of dict
        One record per judgement: ``session, round, participant, college, method, node,
        value, reason``.

    Raises
    ------
    StoreError
        A column contradicts the token.
    WeightingError
        Unknown nodes, non-numeric values, duplicated nodes, wrong method.
    """
    df = _require_columns(df, ["node", "value"], "judgements", WeightingError)
    if df.empty:
        raise WeightingError("parameter `judgements`: expected at least one judgement, got an empty table")
    cols = list(df.columns)  # plain lists: DataFrame.to_dict costs more than the rest on a small set
    records = [dict(zip(cols, vals, strict=True)) for vals in zip(*(df[c].tolist() for c in cols), strict=True)]
    for col, val in fixed.items():
        if col in df.columns:
            wrong = sorted({str(r[col]) for r in records} - {str(val)})
            if wrong:
                raise StoreError(f"judgements: column `{col}` must be {val!r} for this token, found "
                                 f"{', '.join(wrong)} (a token submits only its own judgements, in the open round)")
    issues: list[Issue] = []
    who = f"participant {fixed['participant']}"
    if "method" in df.columns:
        methods = {str(r["method"]) for r in records}
        if len(methods) != 1 or (method is not None and methods != {method}):
            issues.append(Issue(who, "method", repr(method) if method else "one method", ", ".join(sorted(methods))))
        use = next(iter(methods)) if len(methods) == 1 else ""
    elif method is None:
        raise WeightingError(f"judgements of {who}: expected a `method` column (no method is set for "
                             f"college {fixed['college']!r} in this round)")
    else:
        use = method
    out: list[dict] = []
    seen: dict[str, int] = {}
    for i, r in enumerate(records):
        node, raw = str(r["node"]), r["value"]
        try:
            value = float(raw)
        except (TypeError, ValueError):
            value = math.nan
        if not math.isfinite(value):
            issues.append(Issue(f"{who}, row {i}", "value", "a finite number", repr(raw)))
        if not _known_node(node, fw):
            issues.append(Issue(f"{who}, row {i}", "node",
                                f"a node of framework `{fw.id}` (or 'a|b' for AHP, '<parent>:z' for Simos)",
                                repr(node)))
        if node in seen and not _blank(node):
            issues.append(Issue(f"{who}, row {i}", "node", "one judgement per node", f"a duplicate of row {seen[node]}"))
        seen.setdefault(node, i)
        out.append({**fixed, "method": use, "node": node, "value": value, "reason": _text(r.get("reason"))})
    if issues:
        raise WeightingError(f"judgements of {who}: nothing was written", issues=issues)
    validator = _weighting_validator() if validate else None
    if validator is not None and not _surely_valid(out, fw):  # the common sets skip the pandas validator
        validator(pd.DataFrame(out, columns=JUDGEMENT_COLUMNS), fw)
    return out


def _surely_valid(out: list[dict], fw: Framework) -> bool:
    try:
        from coopeval.weighting.quickcheck import surely_valid
    except ImportError:  # pragma: no cover - weighting is part of the package
        return False
    return surely_valid(out, fw)


def _text(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and math.isnan(value)) else str(value)


def _blank(node: str) -> bool:
    """A Simos blank card: ``__blanc__``, ``__blank__`` or ``<parent>:__blanc__``."""
    return node.rsplit(":", 1)[-1] in ("__blanc__", "__blank__")


def _known_node(node: str, fw: Framework) -> bool:
    if _blank(node):
        return ":" not in node or node.rsplit(":", 1)[0] in fw
    if node.endswith(":z"):
        return node[:-2] in fw
    if "|" in node:
        a, _, b = node.partition("|")
        return a in fw and b in fw and a != "overall" and b != "overall"
    return node in fw and node != "overall"


def _weighting_validator():  # noqa: ANN202
    """``coopeval.weighting.validate_judgements``."""
    from coopeval.weighting.judgements import validate_judgements

    return validate_judgements
