"""The tidy output tables of :func:`coopeval.uncertainty.uncertainty`, from the folded accumulators.

One table per kind (summary, top-k, improvement) holds every reported node: its columns are
built as whole arrays (the nodes one after the other, the rows of :attr:`DataMatrix.rows` in
each) and the frame is made once, so that the cost does not grow with the number of nodes by a
frame and a concatenation each; identifiers keep the dtype of ``rows`` (no re-inference of
strings). The rank-count tables of all the nodes share one row index.
"""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from coopeval.scoring._long import take
from coopeval.uncertainty.accumulate import hist_quantile, rank_quantile, row_keys, top_k
from coopeval.uncertainty.chunk import Setup, order_rows

__all__ = ["consecutive_pairs", "output_tables"]

IMPROVEMENT_COLUMNS = ["unit", "node", "wave_from", "wave_to", "probability", "n"]
#: The improvement table of a single wave, copied for each result (a frame built from column
#: names alone costs ten times the copy).
_NO_IMPROVEMENT = pd.DataFrame(columns=IMPROVEMENT_COLUMNS)


def consecutive_pairs(rows: pd.DataFrame, waves: list) -> np.ndarray:
    """Rows ``(from, to)`` of the same unit in consecutive waves, ``(n_pairs, 2)``."""
    if len(waves) < 2:  # no consecutive waves: no pairs (skips a dict of every row)
        return np.zeros((0, 2), dtype=int)
    pos = {(u, w): i for i, (u, w) in enumerate(zip(rows["unit"], rows["wave"], strict=True))}
    out = [(pos[(u, a)], pos[(u, b)]) for a, b in zip(waves[:-1], waves[1:], strict=True)
           for u in rows["unit"].unique() if (u, a) in pos and (u, b) in pos]
    return np.array(out, dtype=int).reshape(-1, 2)


def _quantiles(a: dict, setup: Setup, qs: tuple[float, ...], block: int = 8192) -> dict[str, np.ndarray]:
    """Score and rank quantiles of every row (``(len(qs), rows)`` each), by blocks of rows (bounded
    temporary memory)."""
    r = len(a["valid"])
    out = {"score": np.empty((len(qs), r)), "rank": np.empty((len(qs), r))}
    q = np.array(qs, dtype=float)
    for b0 in range(0, r, block):
        sl = slice(b0, min(r, b0 + block))
        hist, rk = a["hist"][sl], a["rank"][sl]
        # counts of a row add up to at most n: their own dtype holds the cumulative sums (and is faster)
        cum_h, cum_r = np.cumsum(hist, axis=1, dtype=hist.dtype), np.cumsum(rk[:, 1:], axis=1, dtype=rk.dtype)
        r_min, r_max = (a["rank_min"][sl], a["rank_max"][sl]) if "rank_min" in a else (None, None)
        out["score"][:, sl] = hist_quantile(hist, setup.lo, setup.hi, q, a["min"][sl], a["max"][sl], cum_h,
                                            row_keys(cum_h))
        out["rank"][:, sl] = rank_quantile(rk, q, setup.rank_width, r_min, r_max, cum_r, row_keys(cum_r))
    return out


def _nominal_ranks(s0: np.ndarray, setup: Setup) -> np.ndarray:
    """Nominal rank of every row in its wave (NaN without a score)."""
    r0 = np.full(len(s0), np.nan)
    for idx in setup.waves:
        order, n_valid = order_rows(s0[None, idx])  # best first, missing scores last
        r0[idx[order[0, :n_valid[0]]]] = np.arange(1, n_valid[0] + 1)
    return r0


def _summary_columns(a: dict, setup: Setup, s0: np.ndarray, q_lo: float, q_hi: float) -> dict[str, np.ndarray]:
    """The numerical columns of one node's summary rows, each a new array (the summary frame holds them
    without a copy; the nominal scores a prepared matrix keeps are copied)."""
    valid = a["valid"].astype(float)
    quant = _quantiles(a, setup, (0.5, q_lo, q_hi))
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = a["sum"] / valid
        sd = np.sqrt(np.maximum(a["sumsq"] / valid - mean**2, 0.0) * valid / np.maximum(valid - 1, 1))
    return {"score": s0.copy(), "rank": _nominal_ranks(s0, setup),
            "score_median": quant["score"][0], "score_low": quant["score"][1], "score_high": quant["score"][2],
            "score_mean": mean, "score_sd": sd,
            "rank_median": quant["rank"][0], "rank_low": quant["rank"][1], "rank_high": quant["rank"][2],
            "n": a["valid"].astype(int)}


def _labels(dm: Any, values: list[str], each: int) -> Any:
    """``values`` repeated ``each`` times one after the other, as the pandas array inferred from ``values``
    (inferred once per matrix and list of labels)."""
    base = dm.memo(("labels", tuple(values)), lambda: take(values, np.arange(len(values))))
    return base.take(np.repeat(np.arange(len(values)), each))


def output_tables(dm: Any, plan: Any, setup: Setup, acc: dict, nominal: dict, level: float,
                  top: tuple[int, ...]) -> tuple[pd.DataFrame, Any, Any, Any]:
    """``summary`` of the reported nodes, and the builders of their ``top_k``, ``improvement`` and
    ``rank_counts`` (picklable callables of no argument: :class:`~coopeval.uncertainty.result.UncertaintyResult`
    builds each table the first time it is read, from the accumulators it needs)."""
    q_lo, q_hi = (1 - level) / 2, 1 - (1 - level) / 2
    rows, nodes = dm.rows, setup.nodes
    r, k = len(rows), len(nodes)
    unit, wave = _ids(dm)
    cols = [_summary_columns(acc[node], setup, nominal[node][0][0], q_lo, q_hi) for node in nodes]
    tiled = np.tile(np.arange(r), k)
    numbers = cols[0] if k == 1 else {c: np.concatenate([b[c] for b in cols]) for c in cols[0]}
    summary = pd.DataFrame({"unit": unit.take(tiled), "wave": wave.take(tiled),
                            "level": _labels(dm, [plan.level[n] for n in nodes], r), "node": _labels(dm, nodes, r),
                            **numbers}, index=pd.RangeIndex(r * k), copy=False)  # every column is a new array
    n_units = np.zeros(r, dtype=int)
    for idx in setup.waves:
        n_units[idx] = len(idx)
    tops = functools.partial(_top_table, dm, nodes, [(acc[node]["top"], acc[node]["valid"]) for node in nodes],
                             n_units, tuple(top))
    if len(setup.pairs):
        improvement = functools.partial(_improvement_table, dm, nodes, setup.pairs,
                                        [(acc[node]["up"], acc[node]["both"]) for node in nodes])
    else:
        improvement = _NO_IMPROVEMENT.copy
    counts = functools.partial(_rank_count_tables, dm, nodes, [acc[node]["rank"] for node in nodes], setup.rank_width)
    return summary, tops, improvement, counts


def _ids(dm: Any) -> tuple[Any, Any]:
    """The unit and wave columns of the rows as pandas arrays (taken once per matrix)."""
    return dm.memo("ids", lambda: (dm.rows["unit"].array, dm.rows["wave"].array))


def _top_table(dm: Any, nodes: list[str], counts: list[tuple[np.ndarray, np.ndarray]], n_units: np.ndarray,
               top: tuple[int, ...]) -> pd.DataFrame:
    """``unit, wave, node, k, probability``: per node, one block per ``k``, as many rows as the matrix
    (a ``k`` not below its wave's size is left out)."""
    unit, wave = _ids(dm)
    r, k, n_top = len(n_units), len(nodes), len(top)
    ks = np.tile(np.repeat(np.array(top, dtype=np.int64), r), k)
    keep = ks < np.tile(n_units, n_top * k)
    row_of = np.tile(np.arange(r), n_top * k)[keep]
    prob = np.concatenate([top_k(t, valid[:, None]).T.ravel() for t, valid in counts])
    return pd.DataFrame({"unit": unit.take(row_of), "wave": wave.take(row_of),
                         "node": _labels(dm, nodes, r * n_top)[keep], "k": ks[keep], "probability": prob[keep]})


def _improvement_table(dm: Any, nodes: list[str], pairs: np.ndarray,
                       counts: list[tuple[np.ndarray, np.ndarray]]) -> pd.DataFrame:
    """``unit, node, wave_from, wave_to, probability, n`` of every pair of consecutive waves."""
    unit, wave = _ids(dm)
    k = len(nodes)
    up = np.concatenate([u for u, _ in counts])
    both = np.concatenate([b for _, b in counts])
    with np.errstate(invalid="ignore", divide="ignore"):
        prob_up = np.where(both > 0, up / both, np.nan)
    return pd.DataFrame({"unit": unit.take(np.tile(pairs[:, 0], k)), "node": _labels(dm, nodes, len(pairs)),
                         "wave_from": wave.take(np.tile(pairs[:, 0], k)), "wave_to": wave.take(np.tile(pairs[:, 1], k)),
                         "probability": prob_up, "n": both.astype(int)})


def _rank_count_tables(dm: Any, nodes: list[str], counts: list[np.ndarray], rank_width: int) -> dict[str, pd.DataFrame]:
    """Node -> rank counts (rows ``unit, wave``; one column per rank or rank bin), sharing one row index."""
    index = dm.index()  # memoised: a prepared matrix scored again reuses it
    return {node: pd.DataFrame(rk[:, 1:], index=index, columns=range(1, rank_width * (rk.shape[1] - 1) + 1, rank_width),
                               copy=False)  # the accumulators are not reused
            for node, rk in zip(nodes, counts, strict=True)}
