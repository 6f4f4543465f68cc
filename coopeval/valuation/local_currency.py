"""Local currencies: circulation multiplier and velocity.

- Circulation multiplier :math:`m = X / R`: value of the exchanges made in local
  currency over a period, :math:`X`, over the euro reserve (fonds de garantie)
  backing the currency, :math:`R`. The founding report uses it for L'Abeille.
- Velocity :math:`V = X / \\bar M` (equation of exchange, Fisher 1911): value of the
  exchanges of a period over the average money stock in circulation :math:`\\bar M`
  during that period.

References
----------
Fisher I. (1911). *The Purchasing Power of Money*. Macmillan, chap. 2.
Le Labo de l'ESS (2024). *Vers une société de la coopération*, section « Les monnaies
locales et citoyennes ».
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ValuationError

__all__ = ["circulation_multiplier", "velocity"]


def _positive(name: str, value, *, strict: bool = True) -> float:
    try:
        v = float(value)
    except (TypeError, ValueError):
        v = np.nan
    if not np.isfinite(v) or v < 0 or (strict and v == 0):
        raise ValuationError(f"parameter `{name}`: expected a {'positive' if strict else 'non-negative'} amount, got {value!r}")
    return v


def circulation_multiplier(exchanges: float, reserve: float) -> float:
    """Value of the exchanges in local currency over the euro reserve.

    Parameters
    ----------
    exchanges : float
        Value of goods and services exchanged in local currency over the period.
    reserve : float
        Euro reserve (fonds de garantie) backing the local currency.

    Returns
    -------
    float
        :math:`X / R`.

    Examples
    --------
    >>> import coopeval as ce
    >>> round(ce.valuation.circulation_multiplier(254_000, 114_000), 3)
    2.228
    """
    return _positive("exchanges", exchanges, strict=False) / _positive("reserve", reserve)


def velocity(
    transactions: pd.DataFrame,
    money_stock: pd.DataFrame | float,
    *,
    freq: str = "YS",
    date: str = "date",
    amount: str = "amount",
) -> pd.DataFrame:
    """Velocity of a local currency per period, from transactions.

    Parameters
    ----------
    transactions : DataFrame
        One row per payment in local currency, with a date and an amount.
    money_stock : DataFrame or float
        Money in circulation: a constant, or a table with columns ``date`` and
        ``stock`` (observations of the stock, averaged within each period).
    freq : str
        Pandas period frequency (``"YS"`` yearly, ``"MS"`` monthly…).
    date, amount : str
        Column names in ``transactions``.

    Returns
    -------
    DataFrame
        ``period, n_transactions, exchanges, mean_stock, velocity``.

    Raises
    ------
    ValuationError
        Missing columns, negative amounts, a period without stock observation.
    """
    if not isinstance(transactions, pd.DataFrame) or transactions.empty:
        raise ValuationError(f"parameter `transactions`: expected a non-empty DataFrame, got {type(transactions).__name__}")
    missing = [c for c in (date, amount) if c not in transactions.columns]
    if missing:
        raise ValuationError(f"parameter `transactions`: expected columns {date!r} and {amount!r}, missing {missing}")
    tx = transactions[[date, amount]].copy()
    tx[date] = pd.to_datetime(tx[date], errors="coerce")
    tx[amount] = pd.to_numeric(tx[amount], errors="coerce")
    bad = tx[tx[date].isna() | tx[amount].isna() | (tx[amount] < 0)]
    if not bad.empty:
        issues = [Issue(f"transactions row {i}", f"{date}/{amount}", "a date and a non-negative amount",
                        repr(tuple(transactions.loc[i, [date, amount]]))) for i in bad.index]
        raise ValuationError("parameter `transactions`: invalid rows", issues=issues)
    grouper = pd.Grouper(key=date, freq=freq)
    out = tx.groupby(grouper)[amount].agg(["count", "sum"]).reset_index()
    out.columns = ["period", "n_transactions", "exchanges"]
    if isinstance(money_stock, pd.DataFrame):
        if not {"date", "stock"} <= set(money_stock.columns):
            raise ValuationError("parameter `money_stock`: expected columns date and stock")
        ms = money_stock[["date", "stock"]].copy()
        ms["date"] = pd.to_datetime(ms["date"], errors="coerce")
        stock = ms.groupby(pd.Grouper(key="date", freq=freq))["stock"].mean().rename("mean_stock")
        out = out.merge(stock, left_on="period", right_index=True, how="left")
        if out["mean_stock"].isna().any() or (out["mean_stock"] <= 0).any():
            periods = out.loc[out["mean_stock"].isna() | (out["mean_stock"] <= 0), "period"].dt.date.tolist()
            raise ValuationError(
                f"parameter `money_stock`: expected a positive stock observation in every period, none for {periods}"
            )
    else:
        out["mean_stock"] = _positive("money_stock", money_stock)
    out["velocity"] = out["exchanges"] / out["mean_stock"]
    return out
