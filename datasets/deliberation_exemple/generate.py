"""Seeded generator of the ``deliberation_exemple`` dataset (synthetic weighting judgements).

Run ``python datasets/deliberation_exemple/generate.py [OUTDIR]`` (default: this folder).
Only numpy and pandas are needed; the node ids copy the default framework
``cooperation_territoriale`` (its 7 dimensions, and the 3 criteria of ``social``), which
the test suite checks against ``ce.load_framework``.

Model (see README.md): each participant has latent weights ``w = softmax(log base +
college shift + N(0, INDIV_SD))`` over a sibling group. In round 2 the individual
deviation from the college mean shrinks by ``SHRINK`` and the college means move by
``COLLEGE_PULL`` toward the overall mean, except for the participants in ``UNCHANGED``
whose judgements are copied unchanged. The ``financeurs`` college gives ``economie`` a
much larger weight (log shift ``FINANCEURS_ECONOMIE``). Judgements are then encoded by
the participant's method (points, ranking, direct, ahp, simos).
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

SEED = 2024
SESSION = "atelier_2025"
DIMENSIONS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
BASE = np.array([0.18, 0.15, 0.17, 0.14, 0.12, 0.12, 0.12])
CRITERIA = {"social": ["lien_social", "capacites_individuelles", "acces_droits_besoins"]}
CRITERIA_BASE = np.array([0.40, 0.30, 0.30])
COLLEGES = ["habitants", "salarie_es", "benevoles", "collectivites", "financeurs"]
METHODS = ["points", "ranking", "direct", "ahp", "simos"]
CRITERIA_METHODS = {"points", "direct", "ahp"}
INDIV_SD = 0.35
SHRINK = 0.5
COLLEGE_PULL = 0.2
FINANCEURS_ECONOMIE = 0.9
FINANCEURS_ECOLOGIE = -0.3
UNCHANGED = {"p03", "p09", "p14", "p20", "p22"}
AHP_NOISE = 0.15
SAATY = np.array([1 / 9, 1 / 8, 1 / 7, 1 / 6, 1 / 5, 1 / 4, 1 / 3, 1 / 2, 1, 2, 3, 4, 5, 6, 7, 8, 9])
SIMOS_TIE = 1.08
SIMOS_STEP = 1.3
REASONS = {
    "social": "Le lien entre les gens est ce qui fait tenir le projet.",
    "emploi": "Créer des emplois durables sur le territoire reste la priorité.",
    "ecologie": "Sans transition écologique, le reste n'a pas de sens.",
    "territoire": "Le projet doit d'abord servir le territoire et ses acteurs.",
    "gouvernance": "La façon de décider ensemble fait la différence avec une entreprise classique.",
    "economie": "Un projet qui n'est pas viable ne produit rien dans la durée.",
    "externalites": "Les coûts évités pour la collectivité doivent être reconnus.",
    "lien_social": "Le lien social est le cœur de l'utilité sociale.",
    "capacites_individuelles": "Chacun doit pouvoir apprendre et prendre sa place.",
    "acces_droits_besoins": "L'accès aux droits des plus précaires passe avant tout.",
}


def _softmax(x):
    e = np.exp(x - x.max())
    return e / e.sum()


def _fmt(v) -> str:
    v = float(v)
    return str(int(v)) if v == int(v) else f"{v:.10g}"


def _points(w):
    """100 points in multiples of 5, largest-remainder rounding."""
    raw = w * 20
    base = np.floor(raw).astype(int)
    order = np.argsort(-(raw - base), kind="stable")
    base[order[: 20 - base.sum()]] += 1
    return base * 5


def _encode(method, nodes, w, rng, parent):
    """Rows (node, value) of one participant's judgement of one sibling group."""
    if method == "points":
        return list(zip(nodes, _points(w), strict=True))
    if method == "ranking":
        ranks = np.empty(len(w), dtype=int)
        ranks[np.argsort(-w, kind="stable")] = np.arange(1, len(w) + 1)
        return list(zip(nodes, ranks, strict=True))
    if method == "direct":
        rating = np.clip(np.rint(2 + 8 * w / w.max() + rng.normal(0, 0.5, len(w))), 0, 10)
        return list(zip(nodes, rating, strict=True))
    if method == "ahp":
        rows = []
        for i in range(len(nodes)):
            for j in range(i + 1, len(nodes)):
                ratio = np.log(w[i] / w[j]) + rng.normal(0, AHP_NOISE)
                k = int(np.argmin(np.abs(np.log(SAATY) - 1.6 * ratio)))
                rows.append((f"{nodes[i]}|{nodes[j]}", SAATY[k]))
        return rows
    # simos: subsets from least important (position 1) upward, blank cards for large gaps,
    # then the ratio z (most / least important) on a row "<parent>:z"
    order = np.argsort(w, kind="stable")
    rows, pos, first = [], 0, None
    for k in order:
        if first is None or w[k] / w[first] >= SIMOS_TIE:
            if first is not None:
                blanks = max(0, int(np.rint(np.log(w[k] / w[first]) / np.log(SIMOS_STEP))) - 1)
                for _ in range(blanks):
                    pos += 1
                    rows.append(("__blanc__", pos))
            pos += 1
            first = k
        rows.append((nodes[k], pos))
    z = float(np.clip(np.rint(w.max() / w.min()), 2, 9))
    rows.append((f"{parent}:z", z))
    return rows


def _latent(rng, participants, base, nodes):
    shift = np.zeros((len(COLLEGES), len(nodes)))
    if nodes == DIMENSIONS:
        shift[COLLEGES.index("financeurs"), DIMENSIONS.index("economie")] = FINANCEURS_ECONOMIE
        shift[COLLEGES.index("financeurs"), DIMENSIONS.index("ecologie")] = FINANCEURS_ECOLOGIE
    shift += rng.normal(0, 0.1, shift.shape)
    dev = {p: rng.normal(0, INDIV_SD, len(nodes)) for p, _, _ in participants}
    out = {}
    for p, college, _ in participants:
        c = COLLEGES.index(college)
        centre = np.log(base) + shift[c]
        out[(p, 1)] = _softmax(centre + dev[p])
        centre2 = np.log(base) + (1 - COLLEGE_PULL) * shift[c] + COLLEGE_PULL * shift.mean(axis=0)
        out[(p, 2)] = out[(p, 1)] if p in UNCHANGED else _softmax(centre2 + (1 - SHRINK) * dev[p])
    return out


def generate(outdir: str | Path | None = None) -> pd.DataFrame:
    """Draw the judgements and write ``judgements.csv`` into ``outdir`` (default: here)."""
    outdir = Path(outdir) if outdir is not None else Path(__file__).resolve().parent
    outdir.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    participants = [
        (f"p{i + 1:02d}", COLLEGES[i // 5], METHODS[(i + i // 5) % 5]) for i in range(25)
    ]
    groups = [(DIMENSIONS, BASE, None, "overall"), (CRITERIA["social"], CRITERIA_BASE, CRITERIA_METHODS, "social")]
    latent = [_latent(rng, participants, base, nodes) for nodes, base, _, _ in groups]
    rows = []
    for rnd in (1, 2):
        for p, college, method in participants:
            for (nodes, _base, only, parent), lat in zip(groups, latent, strict=True):
                if only is not None and method not in only:
                    continue
                w = lat[(p, rnd)]
                # unchanged participants repeat their round-1 answer exactly
                sub = np.random.default_rng([SEED, int(p[1:]), len(nodes), 1 if p in UNCHANGED else rnd])
                top = nodes[int(np.argmax(w))]
                for node, value in _encode(method, nodes, w, sub, parent):
                    reason = REASONS[node] if node == top and method != "ahp" else ""
                    rows.append((SESSION, rnd, p, college, method, node, _fmt(value), reason))
    cols = ["session", "round", "participant", "college", "method", "node", "value", "reason"]
    df = pd.DataFrame(rows, columns=cols)
    df.to_csv(outdir / "judgements.csv", index=False, lineterminator="\n", encoding="utf-8")
    return df


if __name__ == "__main__":
    generate(sys.argv[1] if len(sys.argv) > 1 else None)
