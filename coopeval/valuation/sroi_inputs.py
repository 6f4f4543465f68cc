"""The inputs of :func:`coopeval.valuation.sroi`, checked: outcomes (quantities, proxies, rates,
durations, stated ranges), investment, discount rate. Every problem of the outcomes is reported
together, naming the outcome and the parameter.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError
from coopeval.valuation.catalogue import reference_value, resolve_value
from coopeval.valuation.sroi_formula import PARAMETERS, RATE_COLUMNS

_DEFAULT_RATE = "taux_actualisation_france_strategie"


def _where(row: Any, outcome: Any) -> str:
    return f"outcomes row {row} (outcome {outcome!r})"


def _validate_outcomes(outcomes: pd.DataFrame, date: Any) -> tuple[dict, dict, list, list]:
    if not isinstance(outcomes, pd.DataFrame) or outcomes.empty:
        raise ValuationError(f"parameter `outcomes`: expected a non-empty DataFrame, got {type(outcomes).__name__}")
    missing = [c for c in ("outcome", "quantity", "proxy", "duration") if c not in outcomes.columns]
    if missing:
        raise ValuationError(
            f"parameter `outcomes`: expected columns outcome, quantity, proxy, duration "
            f"(+ deadweight, displacement, attribution, drop_off), missing {missing}"
        )
    issues: list[Issue] = []
    n = len(outcomes)
    params = {k: np.zeros(n) for k in (*PARAMETERS, "start")}
    ranges: dict[str, dict[int, tuple]] = {}
    sources: list[str] = []
    df = outcomes.reset_index(drop=True)
    dup = df["outcome"][df["outcome"].duplicated()].tolist()
    if dup:
        issues.append(Issue("outcomes", "outcome", "unique outcome names", f"duplicates {dup}"))
    for i, row in df.iterrows():
        name = row["outcome"]
        where = _where(i, name)
        _check_row(row, i, where, df, date, params, sources, issues)
        _stated_ranges(row, i, where, df, date, params, ranges, issues)
    stakeholders = df["stakeholder"].astype(str).tolist() if "stakeholder" in df.columns else [""] * n
    if issues:
        raise ValuationError("parameter `outcomes`: invalid SROI outcomes", issues=issues)
    return params, ranges, sources, stakeholders


def _check_row(row: pd.Series, i: Any, where: str, df: pd.DataFrame, date: Any, params: dict,
               sources: list, issues: list[Issue]) -> None:
    """Quantity, proxy, rates, duration and start of one outcome, into ``params`` (problems into
    ``issues``)."""
    # quantity
    q = pd.to_numeric(pd.Series([row["quantity"]]), errors="coerce").iloc[0]
    if pd.isna(q) or q < 0:
        issues.append(Issue(where, "quantity", "a non-negative number", repr(row["quantity"])))
    else:
        params["quantity"][i] = q
    # proxy
    proxy = row["proxy"]
    if proxy is None or (not isinstance(proxy, str) and pd.isna(proxy)):
        issues.append(Issue(where, "proxy", "a financial proxy (a number or a catalogue name)", "nothing"))
        sources.append("")
    else:
        try:
            value, source = resolve_value(proxy, date)
            params["proxy"][i] = value
            sources.append(source)
        except (ValuationError, ValueError, TypeError) as err:
            issues.append(Issue(where, "proxy", "a number or a catalogue name", f"{proxy!r} ({err})"))
            sources.append("")
    # rates
    for col in RATE_COLUMNS:
        raw = row[col] if col in df.columns else 0.0
        val = pd.to_numeric(pd.Series([raw]), errors="coerce").iloc[0]
        if pd.isna(val):
            issues.append(Issue(where, col, "a proportion in [0, 1]", repr(raw)))
        elif val < 0 or val > 1:
            issues.append(Issue(where, col, "a proportion in [0, 1] (not negative, not above 100 %)", repr(raw)))
        else:
            params[col][i] = val
    # duration and start
    dur = pd.to_numeric(pd.Series([row["duration"]]), errors="coerce").iloc[0]
    if pd.isna(dur) or dur < 1 or dur != int(dur):
        issues.append(Issue(where, "duration", "a whole number of years >= 1", repr(row["duration"])))
    else:
        params["duration"][i] = int(dur)
    start = row["start"] if "start" in df.columns else 1
    st = pd.to_numeric(pd.Series([start]), errors="coerce").iloc[0]
    if pd.isna(st) or st < 1 or st != int(st):
        issues.append(Issue(where, "start", "a whole year >= 1 (year 1 = first year)", repr(start)))
    else:
        params["start"][i] = int(st)


def _stated_ranges(row: pd.Series, i: Any, where: str, df: pd.DataFrame, date: Any, params: dict,
                   ranges: dict[str, dict[int, tuple]], issues: list[Issue]) -> None:
    """The stated ranges ``<param>_low``/``<param>_high`` of one outcome, into ``ranges``: each
    must contain the base value (problems into ``issues``)."""
    for param in PARAMETERS:
        lo_col, hi_col = f"{param}_low", f"{param}_high"
        if lo_col not in df.columns and hi_col not in df.columns:
            continue
        lo, hi = row.get(lo_col), row.get(hi_col)
        if (lo is None or pd.isna(lo)) and (hi is None or pd.isna(hi)):
            continue
        try:
            lo_v = resolve_value(lo, date)[0] if param == "proxy" else float(lo)
            hi_v = resolve_value(hi, date)[0] if param == "proxy" else float(hi)
        except (ValuationError, ValueError, TypeError):
            issues.append(Issue(where, f"{lo_col}/{hi_col}", "two numbers", f"{lo!r}, {hi!r}"))
            continue
        base = params[param][i]
        if not lo_v <= hi_v:
            issues.append(Issue(where, f"{lo_col}/{hi_col}", "low <= high", f"[{lo_v}, {hi_v}]"))
        elif param in RATE_COLUMNS and (lo_v < 0 or hi_v > 1):
            issues.append(Issue(where, f"{lo_col}/{hi_col}", "a range within [0, 1]", f"[{lo_v}, {hi_v}]"))
        elif param == "duration" and (lo_v < 1 or lo_v != int(lo_v) or hi_v != int(hi_v)):
            issues.append(Issue(where, f"{lo_col}/{hi_col}", "whole years >= 1", f"[{lo_v}, {hi_v}]"))
        elif not lo_v <= base <= hi_v:
            issues.append(Issue(where, f"{lo_col}/{hi_col}", f"a range containing the base value {base:g}",
                                f"[{lo_v}, {hi_v}]"))
        else:
            ranges.setdefault(param, {})[i] = (lo_v, hi_v)


def _validate_inputs(inputs: Any) -> tuple[np.ndarray, np.ndarray]:
    if isinstance(inputs, (int, float, np.integer, np.floating)) and not isinstance(inputs, bool):
        if not np.isfinite(inputs) or inputs <= 0:
            raise ValuationError(f"parameter `inputs`: expected a positive amount, got {inputs!r}")
        return np.array([float(inputs)]), np.array([0.0])
    if not isinstance(inputs, pd.DataFrame) or "value" not in inputs.columns or inputs.empty:
        raise ValuationError(
            "parameter `inputs`: expected a positive amount or a DataFrame with a `value` "
            f"column (and optional `year`, 0 = not discounted), got {type(inputs).__name__}"
        )
    issues = []
    values = pd.to_numeric(inputs["value"], errors="coerce")
    years = pd.to_numeric(inputs["year"], errors="coerce") if "year" in inputs.columns else pd.Series(0, index=inputs.index)
    for idx in inputs.index:
        label = inputs.loc[idx, "input"] if "input" in inputs.columns else idx
        if pd.isna(values[idx]) or values[idx] < 0:
            issues.append(Issue(f"inputs row {idx} ({label!r})", "value", "a non-negative amount", repr(inputs.loc[idx, "value"])))
        if pd.isna(years[idx]) or years[idx] < 0 or years[idx] != int(years[idx]):
            issues.append(Issue(f"inputs row {idx} ({label!r})", "year", "a whole year >= 0", repr(years[idx])))
    if not issues and values.sum() <= 0:
        issues.append(Issue("inputs", "value", "a positive total", repr(values.sum())))
    if issues:
        raise ValuationError("parameter `inputs`: invalid inputs", issues=issues)
    return values.to_numpy(float), years.to_numpy(float)


def _discount_rate(discount_rate: float | str | None, discount_range: tuple[float, float] | None,
                   date: Any) -> tuple[float, str, tuple[float, float] | None]:
    """The discount rate, where it comes from, and its range (the catalogue's when the rate comes
    from the catalogue and no range is given)."""
    if discount_range is not None:
        try:
            lo, hi = (float(v) for v in discount_range)
        except (TypeError, ValueError):
            lo = hi = np.nan
        if not (np.isfinite(lo) and np.isfinite(hi) and 0 <= lo <= hi < 1):
            raise ValuationError(
                f"parameter `discount_range`: expected (low, high) with 0 <= low <= high < 1 (rates as "
                f"fractions: 0.025 for 2.5 %), got {discount_range!r}"
            )
        discount_range = (lo, hi)
    rate_range = discount_range
    if discount_rate is None or isinstance(discount_rate, str):
        ref = reference_value(discount_rate or _DEFAULT_RATE, date)
        rate, rate_source = ref.value, f"{ref.name}: {ref.source}"
        if rate_range is None and ref.low is not None and ref.high is not None:
            rate_range = (float(ref.low), float(ref.high))
    else:
        rate = float(discount_rate)
        rate_source = "taux déclaré par l'utilisateur"
        if not (np.isfinite(rate) and 0 <= rate < 1):  # issue 16: 2.5 (250 %) was meant as 2.5 %
            hint = f" (did you mean {rate / 100:g} for {rate:g} %?)" if 1 <= rate <= 100 else ""
            raise ValuationError(f"parameter `discount_rate`: expected an annual rate as a fraction, "
                                 f"0 <= rate < 1 (0.025 for 2.5 %), got {discount_rate!r}{hint}")
    return rate, rate_source, rate_range
