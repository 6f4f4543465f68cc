"""Price index: adjust a euro value from one year's euros to another's.

The index is Insee's consumer price index (all households, base 100 in 2015),
stored with its sources in ``indicators/indices/ipc_insee.yaml``: the published
annual-average index up to its last year, then extended with the annual-average
inflation rates published by Insee, :math:`I_y = I_{y-1}(1 + r_y)`. A value :math:`v` in euros of year :math:`a` is
worth :math:`v \\, I_b / I_a` in euros of year :math:`b`.

Example
-------
>>> import coopeval as ce
>>> round(ce.valuation.price_factor(2021, 2023), 5)
1.10355
>>> round(ce.valuation.price_factor(2013, 2017), 4)  # 101.23 / 99.45, published indices
1.0179
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd
import yaml

from coopeval.errors import ValuationError
from coopeval.resources import indicators_dir

__all__ = ["price_index", "price_factor", "adjust_for_inflation"]


@lru_cache(maxsize=1)
def _spec() -> dict:
    path = indicators_dir() / "indices" / "ipc_insee.yaml"
    spec = yaml.safe_load(path.read_text(encoding="utf-8"))
    index = {int(y): float(v) for y, v in spec["annual_average_index"].items()}
    rates = {int(y): float(r) for y, r in spec["annual_inflation"].items()}
    for y in sorted(rates):
        if y - 1 not in index:
            raise ValuationError(f"price index file {path.name}: rate of {y} without an index for {y - 1}")
        index[y] = index[y - 1] * (1 + rates[y])
    published = {y: index[y] / index[y - 1] - 1 for y in index if y - 1 in index}
    spec["_index"] = dict(sorted(index.items()))
    spec["_inflation"] = {**published, **rates}
    return spec


def price_index() -> pd.DataFrame:
    """The chained consumer price index, one row per year.

    Returns
    -------
    DataFrame
        ``year, inflation, index, published_index`` (base 100 in 2015);
        ``published_index`` is True where the index is Insee's published annual average,
        False where it is extended with the published rate; ``inflation`` is the
        annual-average rate (NaN for the first year); ``attrs["source"]`` holds the citations.

    Examples
    --------
    >>> import coopeval as ce
    >>> float(ce.valuation.price_index().set_index("year").loc[2015, "index"])
    100.0
    """
    spec = _spec()
    index = spec["_index"]
    years = list(index)
    out = pd.DataFrame({"year": years, "inflation": [spec["_inflation"].get(y, float("nan")) for y in years],
                        "index": [index[y] for y in years],
                        "published_index": [y in spec["annual_average_index"] for y in years]})
    out.attrs["source"] = " ".join(f"{spec['source']} {spec['index_source']}".split())
    return out


def price_factor(from_year: int, to_year: int) -> float:
    """Factor turning euros of ``from_year`` into euros of ``to_year``.

    Raises
    ------
    ValuationError
        A year outside the published index (the message gives its span).
    """
    idx = price_index().set_index("year")["index"]
    for name, y in (("from_year", from_year), ("to_year", to_year)):
        if int(y) not in idx.index:
            raise ValuationError(
                f"parameter `{name}`: expected a year of the published price index "
                f"[{idx.index.min()}, {idx.index.max()}], got {y!r}"
            )
    return float(idx[int(to_year)] / idx[int(from_year)])


def adjust_for_inflation(value: float, from_year: int, to_year: int) -> tuple[float, dict]:
    """Adjust a euro value to ``to_year`` euros, as far as the index is published.

    Returns
    -------
    (value, info) : tuple
        ``info`` holds ``from_year``, ``to_year`` (the year actually reached: the last
        published year when ``to_year`` is later), ``factor``, ``flags`` (codes:
        ``adjusted_cpi``, ``index_not_published``) and ``source``.

    Examples
    --------
    >>> import coopeval as ce
    >>> v, info = ce.valuation.adjust_for_inflation(100.0, 2022, 2030)
    >>> info["to_year"], info["flags"]
    (2025, ('adjusted_cpi', 'index_not_published'))
    """
    idx = price_index()
    first, last = int(idx["year"].min()), int(idx["year"].max())
    flags = []
    if int(from_year) < first:
        raise ValuationError(f"parameter `from_year`: expected a year >= {first} (start of the index), got {from_year!r}")
    reached = max(min(int(to_year), last), int(from_year))
    factor = price_factor(int(from_year), reached) if int(from_year) <= last else 1.0
    if reached > int(from_year):
        flags.append("adjusted_cpi")
    if int(to_year) > last:
        flags.append("index_not_published")
    return float(value) * factor, {"from_year": int(from_year), "to_year": reached, "factor": factor,
                                   "flags": tuple(flags), "source": idx.attrs["source"]}
