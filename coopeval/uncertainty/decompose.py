"""Variance decomposition between the named sources of uncertainty, for scores and ranks.

Each source (:mod:`coopeval.uncertainty.sources`) is one independent group of inputs.
Two independent designs ``A`` and ``B`` of the sources' random inputs are drawn; ``AB_i``
is ``A`` with the inputs of source ``i`` taken from ``B``. For every unit, wave and node,
with ``f`` the score — or the rank within the wave (1 = best) — the first-order share
``S_i`` (Saltelli et al. 2010) and the total share ``ST_i`` (Jansen 1999) are::

    V    = Var([f(A), f(B)])
    S_i  = mean((f(B) - m) (f(AB_i) - f(A))) / V
    ST_i = mean((f(A) - f(AB_i))**2) / (2 V)

the estimators of SALib's ``sobol.analyze`` (the test feeds SALib the same outputs).
``S_i`` reads « x % of the uncertainty on your rank comes from source i alone »; with
interactions the ``S_i`` sum below 1 and ``ST_i - S_i`` is the share ``i`` has in them.

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Computer Physics Communications*, 181(2), 259–270.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer Physics
Communications*, 117(1–2), 35–43.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.errors import UncertaintyError
from coopeval.uncertainty.chunk import Setup, ranks, score_batch, single_thread_blas
from coopeval.uncertainty.sensitivity import estimates

__all__ = ["decomposition_frame", "pick_freeze", "run_source_chunk", "run_source_decomposition", "shares"]


def pick_freeze(fa: np.ndarray, fb: np.ndarray, fab: list[np.ndarray]) -> dict[str, np.ndarray]:
    """Sums of the pick-freeze estimators over samples (axis 0), NaN cells skipped.

    ``fa``, ``fb`` (n, cells), ``fab`` one (n, cells) array per input.
    """
    ok = ~np.isnan(fa) & ~np.isnan(fb)
    for y in fab:
        ok &= ~np.isnan(y)
    a, b = np.where(ok, fa, 0.0), np.where(ok, fb, 0.0)
    ys = [np.where(ok, y, 0.0) for y in fab]
    empty = np.zeros((0, fa.shape[1]))
    return {"n": ok.sum(0), "sa": a.sum(0), "sb": b.sum(0), "sa2": (a**2).sum(0), "sb2": (b**2).sum(0),
            "s1": np.stack([(b * (y - a)).sum(0) for y in ys]) if ys else empty,
            "sd": np.stack([(y - a).sum(0) for y in ys]) if ys else empty,
            "st": np.stack([((a - y) ** 2).sum(0) for y in ys]) if ys else empty}


def shares(acc: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-order and total shares (inputs x cells) and the variance of each cell: the same
    estimator as the Sobol shares of the weights (:func:`coopeval.uncertainty.sensitivity.estimates`,
    centred as SALib does). Cells whose output does not vary get NaN shares and variance 0."""
    return estimates(acc)


def _ranks(setup: Setup, s: np.ndarray) -> np.ndarray:
    out = np.full(s.shape, np.nan)
    for rows in setup.waves:
        rk = ranks(s, rows).astype(float)
        out[:, rows] = np.where(rk > 0, rk, np.nan)
    return out


def run_source_chunk(task: tuple[Setup, Any, list[str], int, Any]) -> dict[str, dict[str, np.ndarray]]:
    """Pick-freeze sums of one chunk of ``n`` base samples: ``{node/quantity: sums}``."""
    from coopeval.scoring.weights import sample_matrix

    setup, sampler, names, n, seed = task
    rng = np.random.default_rng(seed)
    a, b = sampler.draw(n, rng), sampler.draw(n, rng)

    def run(raw):
        frame, kn, ka = sampler.assemble(raw)
        w = sample_matrix(setup.plan, setup.framework, frame, UncertaintyError)
        return score_batch(setup, w, kn, ka)

    with single_thread_blas():
        ya, yb = run(a), run(b)
        yab = [run(sampler.swap(a, b, s)) for s in names]
    out = {}
    for node in setup.nodes:
        out[f"{node}/score"] = pick_freeze(ya[node], yb[node], [y[node] for y in yab])
        ra, rb = _ranks(setup, ya[node]), _ranks(setup, yb[node])
        out[f"{node}/rank"] = pick_freeze(ra, rb, [_ranks(setup, y[node]) for y in yab])
    return out


def decomposition_frame(rows: pd.DataFrame, node: str, level: str, quantity: str, names: list[str],
                        acc: dict[str, np.ndarray]) -> pd.DataFrame:
    """Tidy shares of one node and quantity: ``unit, wave, node, level, quantity, source,
    first_order, total, variance, n``."""
    s1, st, var = shares(acc)
    k, c = s1.shape
    return pd.DataFrame({
        "unit": np.tile(rows["unit"].to_numpy(), k), "wave": np.tile(rows["wave"].to_numpy(), k),
        "node": node, "level": level, "quantity": quantity, "source": np.repeat(names, c),
        "first_order": s1.ravel(), "total": st.ravel(), "variance": np.tile(var, k),
        "n": np.tile(acc["n"], k),
    })


def run_source_decomposition(setup: Setup, sampler: Any, rows: pd.DataFrame, n: int, chunk_size: int,
                             seed: np.random.SeedSequence, mapper: Any = map) -> pd.DataFrame:
    """Shares of every varied source for the score and the rank of every cell (``n`` base samples)."""
    from coopeval.uncertainty.chunk import combine

    names = list(sampler.varied())
    cs = max(1, min(n, chunk_size // (len(names) + 2) or 1))
    sizes = [cs] * (n // cs) + ([n % cs] if n % cs else [])
    seeds = seed.spawn(len(sizes) + 1)[1:]
    acc = combine(mapper(run_source_chunk, [(setup, sampler, names, s, seeds[i]) for i, s in enumerate(sizes)]))
    out = []
    for key, sums in acc.items():
        node, quantity = key.split("/")
        out.append(decomposition_frame(rows, node, setup.plan.level[node], quantity, names, sums))
    return pd.concat(out, ignore_index=True)
