"""Finances from the accounts or from a resources table: the French associative chart of
accounts (règlement ANC n° 2018-06) and the three-category resources of the store.

The mapping of accounts onto the lines of the socio-economic model is documented in
``indicators/modele_socio_economique.yaml`` (``pcg`` and ``pcg_note`` of each line).
"""

from __future__ import annotations

import pandas as pd

from coopeval.errors import ValuationError
from coopeval.valuation.finances import lines_spec as _spec

__all__ = ["from_accounts", "from_resources"]

#: Line of the model for each of the three categories of a plain resources table.
_FROM_CATEGORY = {"market": "ventes", "non_market": "non_marchand_a_preciser",
                  "non_monetary": "contributions_en_nature_a_preciser"}


def from_accounts(accounts: pd.DataFrame, *, account: str = "compte", amount: str = "montant",
                  keep: tuple[str, ...] = ("unit", "wave", "source")) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Map accounting lines (French associative chart of accounts) onto the model's lines.

    The longest account prefix of ``finance_lines()["pcg"]`` wins (``756`` before ``75``).

    Returns
    -------
    (mapped, unmapped) : tuple of DataFrame
        ``mapped``: ``line, amount, account`` (+ the ``keep`` columns present);
        ``unmapped``: the rows no prefix matches (never dropped silently).

    Examples
    --------
    >>> import pandas as pd
    >>> import coopeval as ce
    >>> acc = pd.DataFrame({"compte": ["706000", "7561", "641100", "864", "512"],
    ...                     "montant": [1000, 200, 800, 50, 10]})
    >>> mapped, unmapped = ce.valuation.from_accounts(acc)
    >>> mapped["line"].tolist(), unmapped["compte"].tolist()
    (['ventes', 'cotisations', 'charges_personnel', 'benevolat'], ['512'])
    """
    for col in (account, amount):
        if col not in accounts.columns:
            raise ValuationError(f"parameter `accounts`: expected a column `{col}`, got {list(accounts.columns)}")
    prefixes = sorted(((p, code) for code, e in _spec()["lines"].items() for p in e.get("pcg", [])),
                      key=lambda pc: -len(pc[0]))
    codes = []
    for acc in accounts[account].astype(str).str.strip():
        codes.append(next((code for p, code in prefixes if acc.startswith(p)), None))
    codes = pd.Series(codes, index=accounts.index)
    hit = codes.notna()
    mapped = accounts.loc[hit, [c for c in keep if c in accounts.columns]].copy()
    mapped["line"] = codes[hit]
    mapped["amount"] = pd.to_numeric(accounts.loc[hit, amount], errors="coerce").astype(float)
    mapped["account"] = accounts.loc[hit, account].astype(str)
    return mapped.reset_index(drop=True), accounts.loc[~hit].reset_index(drop=True)


def from_resources(resources: pd.DataFrame) -> pd.DataFrame:
    """The finances lines of a resources table (store, ``panel_synthetique``).

    A ``category`` that is a line code is kept; a plain category becomes the line that
    says no more than it: market → ``ventes``, non-market → ``non_marchand_a_preciser``,
    non-monetary → ``contributions_en_nature_a_preciser``.

    Returns
    -------
    DataFrame
        ``unit, wave, line, source, amount, unit_of_measure``.

    Examples
    --------
    >>> import coopeval as ce
    >>> res = ce.datasets.load("panel_synthetique", table="resources")
    >>> sorted(ce.valuation.from_resources(res)["line"].unique())[:2]
    ['contributions_en_nature_a_preciser', 'non_marchand_a_preciser']
    """
    from coopeval.valuation.resources import CATEGORIES

    codes = set(_spec()["lines"])
    df = resources.copy()
    cat = df["category"].astype(str).str.strip()
    df["line"] = [c if c in codes else _FROM_CATEGORY.get(CATEGORIES.get(c.lower(), ""), c) for c in cat]
    measure = "unit_of_measure" if "unit_of_measure" in df.columns else None
    df["unit_of_measure"] = df[measure] if measure else "EUR"
    df["unit_of_measure"] = df["unit_of_measure"].replace({"euros": "EUR", "euro": "EUR", "€": "EUR"})
    return df[["unit", "wave", "line", "source", "amount", "unit_of_measure"]].reset_index(drop=True)
