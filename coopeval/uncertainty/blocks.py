"""The cache-blocked pass of a Monte Carlo chunk: one complete wave with exact ranks.

Histogram cells, minima, maxima, sums, sums of squares, rank counts and top-k counts are
computed block by block (at least 64 samples, about 8,192 scores) while the block is in the processor's cache, instead of
one pass to memory per operation (:func:`block_pass`); :func:`add_counts` adds flat cells to a
count table. The numbers are those of the general path of :mod:`coopeval.uncertainty.chunk`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from coopeval.uncertainty.chunk import Setup

__all__ = ["add_counts", "block_pass"]

#: Tables up to this many cells are counted with one ``bincount`` per chunk.
_BINCOUNT_CELLS = 1 << 22


def add_counts(total: np.ndarray, flat: np.ndarray, keep: np.ndarray | None = None) -> None:
    """Add one count at every flat index of ``flat`` (samples x k) into ``total`` (in place).

    Indices of one sample are distinct, so a large table is updated one sample at a time
    (no temporary table the size of ``total``); a small one with one ``bincount``.
    """
    out = total.reshape(-1)
    if out.size <= max(_BINCOUNT_CELLS, flat.size):
        idx = flat.ravel() if keep is None else flat[keep]
        np.add(out, np.bincount(idx, minlength=out.size), out=out, casting="unsafe")  # counts fit out's dtype
        return
    for i in range(flat.shape[0]):
        out[flat[i] if keep is None else flat[i][keep[i]]] += 1


#: Scores of one block of :func:`block_pass` (blocks have at least 64 samples).
_BLOCK_SCORES = 8192

#: Bytes of one histogram table counted at once (rows of a group x bins, int64): small enough to
#: stay in the processor's cache while ``bincount`` adds to it.
_HIST_TABLE_BYTES = 1 << 20


def _count_hist(hist: np.ndarray, cells: np.ndarray, n: int) -> None:
    """Add the histogram cells ``cells[g, :n]`` (groups x samples x rows of a group; cell = row in
    the group x bins + bin) of every group of rows into ``hist`` (rows x bins); the last group's
    padding rows are dropped."""
    n_groups, _, w = cells.shape
    r, bins = hist.shape
    for g in range(n_groups):
        counts = np.bincount(cells[g, :n].ravel(), minlength=w * bins).reshape(w, bins)
        rows = hist[g * w:min(r, (g + 1) * w)]
        np.add(rows, counts[:len(rows)], out=rows, casting="unsafe")  # counts fit hist's dtype


def block_pass(acc: dict[str, np.ndarray], s: np.ndarray, setup: Setup, width: float, block: int | None = None,
                    group: int = 16) -> tuple[int, tuple[np.ndarray, np.ndarray] | None]:
    """Histogram cells, minima, maxima, sums, sums of squares, valid, rank counts and top-k counts of
    the scores of one wave with exact ranks, in one pass over blocks of samples that stay in the
    processor's cache, up to the first block with a missing or negative score.

    The same numbers as ``chunk._bin_index`` + ``chunk._rank_counts`` + the sums of ``chunk._run_chunk``
    (same bins, same packed keys, same order; the sums add the samples one after the other, as
    ``s.sum(axis=0)`` and ``einsum("ij,ij->j")`` do, the running total taking the place of a
    block's first sample), computed block by block: each block is summed, binned, turned into
    sort keys in place, sorted and turned into flat rank cells while it is in cache, instead of
    one pass to memory per operation. Histogram cells are counted every ``group`` blocks, by groups
    of rows whose table stays in cache. ``s`` (samples x rows, C-contiguous float64) is
    overwritten.

    Returns
    -------
    done, start
        The number of samples counted (all of them, or up to the first block with a missing or
        negative score, which is left unchanged); if some are left, the running sums and sums of
        squares of the ones counted (None if none was), for ``chunk._add_moments``.
    """
    m, r = s.shape
    if block is None:  # at least 64 samples, about 8,192 scores (64 KiB): fewer passes of few units
        block = max(64, _BLOCK_SCORES // max(r, 1))
    bits = max(1, int(r - 1).bit_length())
    low = np.uint64((1 << bits) - 1)
    # (bits | low) ^ ~position == (~bits & high) | position: the sort key of order_rows in two passes
    not_position = ~np.arange(r, dtype=np.uint64)[None, :]
    col = np.arange(1, r + 1, dtype=np.int64)[None, :]  # exact ranks: column = rank
    kmax = min(max(setup.top, default=0), r)
    w = min(r, max(1, _HIST_TABLE_BYTES // (8 * setup.bins)))  # rows of a histogram group
    w = -(-r // -(-r // w))  # as many groups, balanced
    n_groups = -(-r // w)
    cells = np.empty((n_groups, min(m, block * group), w), np.int64)  # histogram cells of `group` blocks
    offsets = np.arange(w, dtype=np.int64) * setup.bins
    firsts = np.empty((m, kmax), np.int64)
    buf = np.zeros((min(block, m), n_groups * w))  # rows past r: padding, binned and dropped
    total, total_sq = np.empty(r), np.empty(r)
    first = np.empty(r)
    inv = 1.0 / width
    done = 0
    for i0 in range(0, m, block):
        blk = s[i0:i0 + block]
        smin = blk.min(axis=0)
        smallest = smin.min()
        if not smallest >= 0:  # NaN (a missing score) or a negative score: the general path takes over
            break
        np.minimum(acc["min"], smin, out=acc["min"])
        positive, above_lo = smallest > 0, smallest >= setup.lo  # no -0.0 to turn into 0.0; no bin below 0
        tb = buf[:blk.shape[0], :r]
        np.maximum(acc["max"], blk.max(axis=0), out=acc["max"])
        np.multiply(blk, blk, out=tb)
        if i0:  # the running totals go first: (total + s[i0]) + s[i0 + 1] + ...
            tb[0] += total_sq
            first[:] = blk[0]
            blk[0] += total
        np.add.reduce(tb, axis=0, out=total_sq)
        np.add.reduce(blk, axis=0, out=total)
        if i0:
            blk[0] = first
        if setup.lo == 0:  # histogram cell, as _bin_index (x - 0.0 is x: one pass fewer)
            np.multiply(blk, inv, out=tb)
        else:
            np.subtract(blk, setup.lo, out=tb)
            tb *= inv
        if above_lo:  # x >= lo: (x - lo) / width >= 0 already, only the upper clip of _bin_index acts
            np.minimum(tb, setup.bins - 1, out=tb)
        else:
            np.clip(tb, 0, setup.bins - 1, out=tb)
        c0 = i0 % cells.shape[1]
        part = cells[:, c0:c0 + blk.shape[0]]
        np.copyto(part, buf[:blk.shape[0]].reshape(blk.shape[0], n_groups, w).transpose(1, 0, 2), casting="unsafe")
        part += offsets
        if not positive:
            np.add(blk, 0.0, out=blk)  # sort keys, as order_rows: -0.0 -> 0.0, descending, row position
        key = blk.view(np.uint64)
        key |= low
        key ^= not_position
        key.sort(axis=1)
        key &= low
        order = key.view(np.int64)
        firsts[i0:i0 + block] = order[:, :kmax]
        order *= setup.rank_cols  # flat rank cell, as _rank_counts
        order += col
        done = i0 + blk.shape[0]
        if c0 + blk.shape[0] == cells.shape[1]:
            _count_hist(acc["hist"], cells, cells.shape[1])
    if done % cells.shape[1]:
        _count_hist(acc["hist"], cells, done % cells.shape[1])
    if not done:
        return 0, None
    acc["valid"] += done
    add_counts(acc["rank"], s[:done].view(np.int64))
    for j, k in enumerate(setup.top):
        add_counts(acc["top"], firsts[:done, :min(int(k), r)] * len(setup.top) + j)
    if done < m:
        return done, (total, total_sq)
    acc["sum"] += total
    acc["sumsq"] += total_sq
    return done, None
