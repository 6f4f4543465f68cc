"""Externality ledger: who benefits, how much, and who could co-finance what.

La Butinerie (founding report) builds conventions with the *beneficiaries* of the
positive externalities it generates (Ville de Pantin, ARS, a mutual insurer) and sees
« un réel potentiel … en valorisant les externalités positives ». The ledger holds
each externality with its beneficiary, its quantity and a sourced proxy with an
interval, and the conventions already signed with each beneficiary and what they
cover. Its output is the « qui pourrait co-financer quoi » table: per beneficiary,
the estimated value (interval), the conventions and their amounts, the externalities
no convention covers yet.

Value of an externality: :math:`v = q \\, p` with :math:`q` the quantity and :math:`p`
the proxy in euros of the ledger's year, interval :math:`[q p_{low}, q p_{high}]`. A
catalogue proxy is read at the ledger's year (adjusted and flagged when used outside
its validity, see :func:`coopeval.valuation.reference_value`); a proxy in constant
euros of another year (carbon value in €2018) is converted with the Insee price index
(flag ``converted_constant_euros``). A missing quantity leaves the value empty (status
``to_quantify``): nothing is invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError
from coopeval.valuation.catalogue import ReferenceValue, reference_value
from coopeval.valuation.price_index import adjust_for_inflation
from coopeval.valuation.versioning import catalogue_version

__all__ = ["externality_ledger", "ExternalityLedger", "BENEFICIARY_TYPES"]

#: Kinds of beneficiaries (labels in coopeval/i18n/labels.yaml, ``beneficiary_<code>``).
BENEFICIARY_TYPES = ("municipality", "public_body", "health_insurer", "households", "climate")
_CAN_SIGN = {"municipality": True, "public_body": True, "health_insurer": True, "households": False,
             "climate": False}


@dataclass
class ExternalityLedger:
    """Result of :func:`externality_ledger`.

    Attributes
    ----------
    entries : DataFrame
        ``externality, beneficiary, beneficiary_type, quantity, unit_of_measure,
        proxy_value, proxy_low, proxy_high, proxy_unit, proxy_source, value, value_low,
        value_high, status, flags, conventions`` (``status``: ``valued`` or
        ``to_quantify``; ``conventions``: names of the conventions that cover it).
    conventions : DataFrame
        The conventions as given (``beneficiary, convention, covers, amount``…).
    cofinancing : DataFrame
        « Qui pourrait co-financer quoi »: ``beneficiary, beneficiary_type,
        can_sign, externalities, n_externalities, n_to_quantify, value, value_low,
        value_high, conventions, convention_amount, n_amount_unknown, uncovered``
        (``convention_amount`` is NaN when no amount of the beneficiary's conventions is known).
    year : int
        Year of the euros of every value.
    catalogue_version : str
    """

    entries: pd.DataFrame
    conventions: pd.DataFrame
    cofinancing: pd.DataFrame
    year: int
    catalogue_version: str

    def beneficiary(self, name: str) -> dict:
        """Everything about one beneficiary (its row, entries and conventions), for a sheet."""
        if name not in set(self.cofinancing["beneficiary"]):
            raise ValuationError(f"parameter `name`: expected a beneficiary of the ledger "
                                 f"{sorted(self.cofinancing['beneficiary'])}, got {name!r}")
        return {"row": self.cofinancing.set_index("beneficiary").loc[name],
                "entries": self.entries[self.entries["beneficiary"] == name],
                "conventions": self.conventions[self.conventions["beneficiary"] == name],
                "year": self.year, "catalogue_version": self.catalogue_version}


def _number(value: Any) -> float | None:
    """A proxy written as a number (also as text read from a CSV: « 12,5 » or « 12.5 »)."""
    if isinstance(value, str):
        try:
            return float(value.strip().replace("\u202f", "").replace(" ", "").replace(",", "."))
        except ValueError:
            return None
    return None if value is None or pd.isna(value) else float(value)


def _proxy(row: pd.Series, year: int) -> tuple[float, float, float, str, str, list[str]]:
    proxy = row.get("proxy")
    flags: list[str] = []
    if isinstance(proxy, str) and proxy.strip() and _number(proxy) is None:
        ref: ReferenceValue = reference_value(proxy.strip(), year)
        value, low, high, unit = ref.value, ref.low, ref.high, ref.unit
        source = f"{ref.name}: {ref.source}"
        flags += list(ref.flags)
        if ref.price_year is not None and ref.method == "linear" and int(ref.price_year) < year:
            v, info = adjust_for_inflation(value, int(ref.price_year), year)
            factor = info["factor"]
            value = v
            low = None if low is None else low * factor
            high = None if high is None else high * factor
            flags += ["converted_constant_euros", *info["flags"]]
            unit = unit.replace(f"EUR{ref.price_year}", "EUR")
    else:
        # the caller values only a non-empty proxy, and a non-empty proxy that is not a catalogue
        # name is a number (a non-text cell that is not missing, or text `_number` reads)
        value = cast(float, _number(proxy))
        low = high = None
        unit = "EUR"
        source = "" if pd.isna(row.get("proxy_source")) else str(row.get("proxy_source"))
    low = row["proxy_low"] if pd.notna(row.get("proxy_low", np.nan)) else (value if low is None else low)
    high = row["proxy_high"] if pd.notna(row.get("proxy_high", np.nan)) else (value if high is None else high)
    return float(value), float(low), float(high), unit, source, flags


def _check(ledger: pd.DataFrame, conventions: pd.DataFrame | None) -> list[Issue]:
    issues = []
    for i, row in ledger.iterrows():
        where = f"ledger row {i} ({row['externality']!r})"
        if row["beneficiary_type"] not in BENEFICIARY_TYPES:
            issues.append(Issue(where, "beneficiary_type", f"one of {BENEFICIARY_TYPES}", repr(row["beneficiary_type"])))
        proxy = row.get("proxy")
        is_name = isinstance(proxy, str) and proxy.strip() != "" and _number(proxy) is None
        src = row.get("proxy_source")
        if not is_name and pd.notna(proxy) and (pd.isna(src) or not str(src).strip()):
            issues.append(Issue(where, "proxy_source", "the source of a numeric proxy (every proxy is sourced)",
                                "nothing"))
        q = row.get("quantity")
        if pd.notna(q) and float(q) < 0:
            issues.append(Issue(where, "quantity", "a non-negative number or empty", repr(q)))
    if conventions is not None:
        for col in ("beneficiary", "convention", "covers"):
            if col not in conventions.columns:
                issues.append(Issue("conventions", col, "a column", "missing"))
    return issues


def externality_ledger(ledger: pd.DataFrame, conventions: pd.DataFrame | None = None, *,
                       year: int) -> ExternalityLedger:
    """Value the externalities and say who could co-finance what.

    Parameters
    ----------
    ledger : DataFrame
        One row per externality: ``externality``, ``beneficiary`` (name),
        ``beneficiary_type`` (one of :data:`BENEFICIARY_TYPES`), ``quantity`` (empty
        when not measured), ``unit_of_measure``, ``proxy`` (a catalogue name, a number
        in euros per unit, or empty), optional ``proxy_low``, ``proxy_high``,
        ``proxy_source`` (required for a numeric proxy) and ``note``.
    conventions : DataFrame, optional
        One row per convention: ``beneficiary, convention, covers`` (externalities
        separated by ``;``, or ``*`` for all of the beneficiary's), optional ``amount``
        (euros; empty when unknown) and ``period``.
    year : int
        Year whose euros every value is expressed in.

    Returns
    -------
    ExternalityLedger

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> led = pd.DataFrame({"externality": ["repas partagés"], "beneficiary": ["Ville"],
    ...                     "beneficiary_type": ["municipality"], "quantity": [100.0],
    ...                     "unit_of_measure": ["repas"], "proxy": [5.0], "proxy_low": [4.0],
    ...                     "proxy_high": [6.0], "proxy_source": ["hypothèse de l'exemple"]})
    >>> conv = pd.DataFrame({"beneficiary": ["Ville"], "convention": ["convention triennale"],
    ...                      "covers": ["*"], "amount": [300.0]})
    >>> out = ce.valuation.externality_ledger(led, conv, year=2023)
    >>> out.cofinancing[["value", "value_low", "value_high", "convention_amount"]].iloc[0].tolist()
    [500.0, 400.0, 600.0, 300.0]
    """
    need = ["externality", "beneficiary", "beneficiary_type"]
    if not isinstance(ledger, pd.DataFrame) or ledger.empty or any(c not in ledger.columns for c in need):
        raise ValuationError(f"parameter `ledger`: expected a non-empty DataFrame with columns {need} "
                             "(+ quantity, unit_of_measure, proxy…)")
    df = ledger.reset_index(drop=True).copy()
    for col in ("quantity", "proxy", "proxy_low", "proxy_high", "proxy_source", "unit_of_measure"):
        if col not in df.columns:
            df[col] = np.nan
    conv = (conventions.reset_index(drop=True).copy() if conventions is not None
            else pd.DataFrame(columns=["beneficiary", "convention", "covers", "amount"]))
    if "amount" not in conv.columns:
        conv["amount"] = np.nan
    issues = _check(df, conv)
    if issues:
        raise ValuationError("parameter `ledger`: invalid ledger", issues=issues)
    df["quantity"] = pd.to_numeric(df["quantity"], errors="coerce")
    conv["amount"] = pd.to_numeric(conv["amount"], errors="coerce")
    rows = []
    for _, row in df.iterrows():
        has_proxy = pd.notna(row["proxy"]) and str(row["proxy"]).strip() != ""
        value, low, high, unit, source, flags = (_proxy(row, int(year)) if has_proxy
                                                 else (np.nan, np.nan, np.nan, "", "", []))
        q = row["quantity"]
        covering = [c["convention"] for _, c in conv.iterrows() if c["beneficiary"] == row["beneficiary"]
                    and (str(c["covers"]).strip() == "*"
                         or row["externality"] in [s.strip() for s in str(c["covers"]).split(";")])]
        valued = pd.notna(q) and has_proxy
        rows.append({
            "externality": row["externality"], "beneficiary": row["beneficiary"],
            "beneficiary_type": row["beneficiary_type"], "quantity": q, "unit_of_measure": row["unit_of_measure"],
            "proxy_value": value, "proxy_low": low, "proxy_high": high, "proxy_unit": unit, "proxy_source": source,
            "value": q * value if valued else np.nan, "value_low": q * low if valued else np.nan,
            "value_high": q * high if valued else np.nan, "status": "valued" if valued else "to_quantify",
            "flags": " ".join(dict.fromkeys(flags)), "conventions": "; ".join(covering),
        })
    entries = pd.DataFrame(rows)
    return ExternalityLedger(entries=entries, conventions=conv, cofinancing=_cofinancing(entries, conv),
                             year=int(year), catalogue_version=catalogue_version())


def _cofinancing(entries: pd.DataFrame, conv: pd.DataFrame) -> pd.DataFrame:
    rows = []
    for name, g in entries.groupby("beneficiary", sort=False):
        c = conv[conv["beneficiary"] == name]
        btype = g["beneficiary_type"].iloc[0]
        rows.append({
            "beneficiary": name, "beneficiary_type": btype, "can_sign": _CAN_SIGN[btype],
            "externalities": "; ".join(g["externality"]), "n_externalities": len(g),
            "n_to_quantify": int((g["status"] == "to_quantify").sum()),
            "value": float(g["value"].sum(min_count=1)), "value_low": float(g["value_low"].sum(min_count=1)),
            "value_high": float(g["value_high"].sum(min_count=1)),
            "conventions": "; ".join(c["convention"].astype(str)), "convention_amount": float(c["amount"].sum(min_count=1)) if len(c) else np.nan,
            "n_amount_unknown": int(c["amount"].isna().sum()),
            "uncovered": "; ".join(g.loc[g["conventions"] == "", "externality"]),
        })
    return pd.DataFrame(rows)
