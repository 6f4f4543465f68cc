"""Internalisation of positive externalities through conventions.

La Butinerie (founding report) seeks to internalise the positive externalities it
generates on its territory through conventions with their beneficiaries (the City
of Pantin, the regional health agency, a mutual insurer). This module measures how
much of a cooperation's externalities is covered by such conventions, in count and
in euros.

Formulas: with :math:`E` the externalities, :math:`C \\subseteq E` those covered by
a convention, internalised share in count :math:`|C| / |E|`; in euros
:math:`\\sum_{e \\in C} a_e / \\sum_{e \\in E} v_e` where :math:`a_e` is the amount
paid under the convention and :math:`v_e` the estimated value of the externality
(when values are given).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError

__all__ = ["internalisation"]


def internalisation(externalities: pd.DataFrame, *, by: str | None = "beneficiary") -> dict[str, pd.DataFrame]:
    """Internalised share of externalities, in count and in euros.

    Parameters
    ----------
    externalities : DataFrame
        One row per externality: ``externality`` (label), ``beneficiary`` (who
        benefits: city, health agency, insurer…), ``covered`` (bool: a convention
        with the beneficiary covers it), optional ``convention_amount`` (euros paid
        under the convention; NaN when unknown) and ``value`` (estimated value of the
        externality in euros; NaN when not estimated).
    by : str or None
        Column to break the summary down by (default ``beneficiary``).

    Returns
    -------
    dict of DataFrame
        ``"summary"``: one row with ``n_externalities, n_covered, share_covered,
        internalised_eur, n_amount_unknown, value_total, share_internalised_eur``
        (``share_internalised_eur`` is NaN unless every externality has a value);
        ``"by_group"``: the same per ``by`` group.

    Raises
    ------
    ValuationError
        Missing columns, ``covered`` not boolean, negative amounts, an amount for an
        externality not covered by a convention.

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> ext = pd.DataFrame({"externality": ["lien social", "santé"], "beneficiary": ["Ville", "ARS"],
    ...                     "covered": [True, False], "convention_amount": [40000.0, None]})
    >>> ce.valuation.internalisation(ext)["summary"][["n_covered", "share_covered", "internalised_eur"]]
       n_covered  share_covered  internalised_eur
    0          1            0.5           40000.0
    """
    if not isinstance(externalities, pd.DataFrame) or externalities.empty:
        raise ValuationError(
            f"parameter `externalities`: expected a non-empty DataFrame, got {type(externalities).__name__}"
        )
    missing = [c for c in ("externality", "beneficiary", "covered") if c not in externalities.columns]
    if missing:
        raise ValuationError(
            f"parameter `externalities`: expected columns externality, beneficiary, covered, missing {missing}"
        )
    df = externalities.reset_index(drop=True).copy()
    for col in ("convention_amount", "value"):
        if col not in df.columns:
            df[col] = np.nan
        df[col] = pd.to_numeric(df[col], errors="coerce")
    issues = []
    for i, row in df.iterrows():
        where = f"externalities row {i} ({row['externality']!r})"
        if not isinstance(row["covered"], (bool, np.bool_)):
            issues.append(Issue(where, "covered", "True or False", repr(row["covered"])))
        for col in ("convention_amount", "value"):
            if pd.notna(row[col]) and row[col] < 0:
                issues.append(Issue(where, col, "a non-negative amount", repr(row[col])))
        if row["covered"] is False and pd.notna(row["convention_amount"]) and row["convention_amount"] > 0:
            issues.append(Issue(where, "convention_amount", "no amount for an externality without convention",
                                repr(row["convention_amount"])))
    if by is not None and by not in df.columns:
        issues.append(Issue("externalities", "by", "an existing column", repr(by)))
    if issues:
        raise ValuationError("parameter `externalities`: invalid table", issues=issues)
    df["covered"] = df["covered"].astype(bool)

    def summarise(g: pd.DataFrame) -> dict:
        covered = g[g["covered"]]
        has_all_values = g["value"].notna().all()
        internalised = float(covered["convention_amount"].sum(min_count=0))
        value_total = float(g["value"].sum()) if has_all_values else np.nan
        return {
            "n_externalities": len(g),
            "n_covered": len(covered),
            "share_covered": len(covered) / len(g),
            "internalised_eur": internalised,
            "n_amount_unknown": int(covered["convention_amount"].isna().sum()),
            "value_total": value_total,
            "share_internalised_eur": internalised / value_total if has_all_values and value_total > 0 else np.nan,
        }

    summary = pd.DataFrame([summarise(df)])
    if by is None:
        by_group = pd.DataFrame()
    else:
        by_group = pd.DataFrame([{by: key, **summarise(g)} for key, g in df.groupby(by, sort=False)])
    return {"summary": summary, "by_group": by_group}
