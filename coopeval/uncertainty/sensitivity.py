"""Variance-based sensitivity shares of the uncertain inputs (pick-freeze estimators).

Uncertain inputs are groups of weights (by default one group per level of the tree:
the weights of the dimensions, of the criteria, of the indicators; or one group per
sibling set with ``by="parent"``) — each drawn from the stakeholder spread of the
WeightSet — and, when several are offered, the choice of normalisation and of
aggregation. Two independent sample matrices ``A`` and ``B`` are drawn; ``AB_i`` is
``A`` with input ``i`` taken from ``B``. For every unit, wave and node, with ``f`` the
score::

    V    = Var([f(A), f(B)])
    S_i  = mean((f(B) - m) (f(AB_i) - f(A))) / V    (first order; Saltelli et al. 2010)
    ST_i = mean((f(A) - f(AB_i))**2) / (2 V)       (total effect; Jansen 1999)

with ``m`` the mean of ``[f(A), f(B)]`` (centring, as SALib does). These are the estimators of SALib's ``sobol.analyze`` (tested against it), computed for
all cells at once and accumulated over chunks. An input whose draws are identical in ``A``
and ``B`` (weights that never vary, e.g. a single indicator per criterion) is not re-scored:
``f(AB_i) = f(A)`` exactly, its shares are 0. Inputs are treated as independent (the
groups of weights of one sample are recombined across samples).

Credibility flags: ``few_samples`` (fewer base samples than ``min_samples``),
``negative`` (a share below ``-tol``), ``first_order_above_total`` (``S_i > ST_i + tol``),
``sum_above_one`` (first-order shares of a cell summing above ``1 + tol``),
``no_variance`` (the score does not vary: shares undefined).

References
----------
Saltelli, A., Annoni, P., Azzini, I., Campolongo, F., Ratto, M., Tarantola, S. (2010).
Variance based sensitivity analysis of model output. Design and estimator for the total
sensitivity index. *Computer Physics Communications*, 181(2), 259–270.
Jansen, M. J. W. (1999). Analysis of variance designs for model output. *Computer Physics
Communications*, 117(1–2), 35–43.
Herman, J., Usher, W. (2017). SALib: An open-source Python library for sensitivity
analysis. *Journal of Open Source Software*, 2(9), 97.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from coopeval.uncertainty.chunk import Setup, draw_inputs, score_batch, single_thread_blas

__all__ = ["estimates", "flags", "input_groups", "run_sensitivity_chunk"]

_LEVEL_FR = {"dimension": "poids des dimensions", "criterion": "poids des critères",
             "indicator": "poids des indicateurs"}


_CHOICE_FR = {"normalisation": "choix de normalisation", "aggregation": "choix d'agrégation"}
_LEVEL_EN = {"dimension": "dimension weights", "criterion": "criterion weights", "indicator": "indicator weights"}
_CHOICE_EN = {"normalisation": "choice of normalisation", "aggregation": "choice of aggregation"}


def input_groups(setup: Setup, by: str = "level") -> list[tuple[str, str, np.ndarray | None]]:
    """The uncertain inputs: ``(name, kind, weight columns)`` with kind ``weights``, ``norm`` or ``agg``."""
    plan = setup.plan
    out: list[tuple[str, str, np.ndarray | None]] = []
    if setup.source is not None:
        if by == "parent":
            for parent, idx in zip(plan.children, plan.groups, strict=True):
                if len(idx) > 1:
                    out.append((f"weights:{parent}", "weights", idx))
        else:
            for level in ("dimension", "criterion", "indicator"):
                idx = np.array([plan.node_pos[n] for n in plan.nodes if plan.level[n] == level], dtype=int)
                if len(idx):
                    out.append((f"weights:{level}", "weights", idx))
    if len(setup.values) > 1:
        out.append(("normalisation", "norm", None))
    if len(setup.methods) > 1:
        out.append(("aggregation", "agg", None))
    return out


def run_sensitivity_chunk(task: tuple[Setup, list, int, Any]) -> dict[str, dict[str, np.ndarray]]:
    """Accumulate the sums of the pick-freeze estimators over ``n`` base samples."""
    with single_thread_blas():
        return _run_sensitivity_chunk(task)


def _run_sensitivity_chunk(task: tuple[Setup, list, int, Any]) -> dict[str, dict[str, np.ndarray]]:
    setup, groups, n, seed = task
    rng = np.random.default_rng(seed)
    a = draw_inputs(setup, n, rng)
    b = draw_inputs(setup, n, rng)
    ya, yb = score_batch(setup, *a), score_batch(setup, *b)
    yab = []
    for _, kind, cols in groups:
        w, kn, ka = a[0], a[1], a[2]
        if kind == "weights":
            if np.array_equal(w[:, cols], b[0][:, cols]):  # inert input: AB_i is A, f(AB_i) = f(A)
                yab.append(ya)
                continue
            w = w.copy()
            w[:, cols] = b[0][:, cols]
        elif kind == "norm":
            kn = b[1]
        else:
            ka = b[2]
        yab.append(score_batch(setup, w, kn, ka))
    out = {}
    for node in setup.nodes:
        fa, fb = ya[node], yb[node]
        ok = ~np.isnan(fa) & ~np.isnan(fb)
        for y in yab:
            ok &= ~np.isnan(y[node])
        fa0, fb0 = np.where(ok, fa, 0.0), np.where(ok, fb, 0.0)
        acc = {"n": ok.sum(axis=0), "sa": fa0.sum(0), "sb": fb0.sum(0), "sa2": (fa0**2).sum(0),
               "sb2": (fb0**2).sum(0)}
        acc["s1"] = np.stack([(fb0 * (np.where(ok, y[node], 0.0) - fa0)).sum(0) for y in yab]) if yab else np.zeros((0, fa.shape[1]))
        acc["sd"] = np.stack([(np.where(ok, y[node], 0.0) - fa0).sum(0) for y in yab]) if yab else np.zeros((0, fa.shape[1]))
        acc["st"] = np.stack([((fa0 - np.where(ok, y[node], 0.0)) ** 2).sum(0) for y in yab]) if yab else np.zeros((0, fa.shape[1]))
        out[node] = acc
    return out


def estimates(acc: dict[str, np.ndarray]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """First-order and total shares (inputs x cells) and the variance per cell."""
    n = acc["n"].astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = (acc["sa"] + acc["sb"]) / (2 * n)
        var = (acc["sa2"] + acc["sb2"]) / (2 * n) - mean**2
        ok = var > 1e-12 * np.maximum(1.0, mean**2)
        # centred as SALib does (f - mean): sum((fB - c)(fAB - fA)) = s1 - c * sd
        s1 = np.where(ok, (acc["s1"] - mean * acc["sd"]) / n / var, np.nan)
        st = np.where(ok, 0.5 * acc["st"] / n / var, np.nan)
    return s1, st, np.where(ok, var, 0.0)


def flags(s1: np.ndarray, st: np.ndarray, n: np.ndarray, var: np.ndarray, *, tol: float, min_samples: int) -> list[list[str]]:
    """Credibility flags for every (input, cell), row-major."""
    k, c = s1.shape
    total_first = np.nansum(s1, axis=0)
    out = []
    for i in range(k):
        for j in range(c):
            f = []
            if n[j] < min_samples:
                f.append("few_samples")
            if var[j] <= 0:
                f.append("no_variance")
            else:
                if s1[i, j] < -tol or st[i, j] < -tol:
                    f.append("negative")
                if s1[i, j] > st[i, j] + tol:
                    f.append("first_order_above_total")
                if total_first[j] > 1 + tol:
                    f.append("sum_above_one")
            out.append(f)
    return out


def sensitivity_frame(rows: pd.DataFrame, node: str, level: str, names: list[str], acc: dict, *, tol: float,
                      min_samples: int) -> pd.DataFrame:
    """Tidy sensitivity table of one node."""
    s1, st, var = estimates(acc)
    fl = flags(s1, st, acc["n"], var, tol=tol, min_samples=min_samples)
    k, c = s1.shape
    label = [_LEVEL_FR.get(nm.split(":", 1)[1], f"poids sous {nm.split(':', 1)[1]}") if nm.startswith("weights:")
             else _CHOICE_FR.get(nm, nm) for nm in names]
    label_en = [_LEVEL_EN.get(nm.split(":", 1)[1], f"weights under {nm.split(':', 1)[1]}") if nm.startswith("weights:")
                else _CHOICE_EN.get(nm, nm) for nm in names]
    return pd.DataFrame(
        {
            "unit": np.tile(rows["unit"].to_numpy(), k),
            "wave": np.tile(rows["wave"].to_numpy(), k),
            "node": node,
            "level": level,
            "input": np.repeat(names, c),
            "label_fr": np.repeat(label, c),
            "label_en": np.repeat(label_en, c),
            "first_order": s1.ravel(),
            "total": st.ravel(),
            "variance": np.tile(var, k),
            "n": np.tile(acc["n"], k),
            "credible": [not f for f in fl],
            "flag": [";".join(f) for f in fl],
        }
    )
