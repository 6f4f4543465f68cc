"""Fixtures of the weighting tests: a synthetic deliberative session.

25 participants in 5 colleges, 2 rounds. Each college uses its own method for the
seven dimensions (habitants: Simos cards; salarié·es: 100 points; bénévoles:
ranking; collectivités: AHP; financeurs: SWING). Everybody rates the two criteria
of ``emploi`` directly (0-10). Round 2 moves every answer halfway towards the
round-1 median of the group, as after Delphi feedback.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

REF = Path(__file__).resolve().parents[1] / "reference" / "weighting"

COLLEGES = {"habitants": 6, "salarie_es": 5, "benevoles": 5, "collectivites": 4, "financeurs": 5}
METHOD_OF = {"habitants": "simos", "salarie_es": "points", "benevoles": "ranking",
             "collectivites": "ahp", "financeurs": "swing"}


def load_ref(name: str) -> dict:
    return yaml.safe_load((REF / name).read_text(encoding="utf-8"))


def _encode(method: str, kids: list[str], w: np.ndarray, rng) -> list[tuple[str, float]]:
    if method == "points":
        pts = np.floor(w * 100).astype(int)
        pts[np.argmax(w)] += 100 - pts.sum()
        return list(zip(kids, pts.astype(float), strict=True))
    if method == "ranking":
        order = np.argsort(-w, kind="stable")
        ranks = np.empty(len(w))
        ranks[order] = np.arange(1, len(w) + 1)
        return list(zip(kids, ranks, strict=True))
    if method == "swing":
        return list(zip(kids, np.round(100 * w / w.max()), strict=True))
    if method == "simos":
        # positions 1..: least important first, a blank card when weights jump
        order = np.argsort(w, kind="stable")
        pos, out, prev = 0, {}, None
        for i in order:
            if prev is None or w[i] > prev * 1.15:
                pos += 1 if prev is None or w[i] < prev * 1.6 else 2
            out[kids[i]] = float(pos)
            prev = w[i]
        rows = [(k, out[k]) for k in kids]
        return rows + [("overall:z", float(np.clip(w.max() / w.min(), 2, 8).round(1)))]
    if method == "ahp":
        rows = []
        for a in range(len(kids)):
            for b in range(a + 1, len(kids)):
                r = np.clip(w[a] / w[b] * np.exp(rng.normal(0, 0.1)), 1 / 9, 9)
                r = float(np.round(r)) if r >= 1 else 1 / float(np.round(1 / r))
                rows.append((f"{kids[a]}|{kids[b]}", r))
        return rows
    return list(zip(kids, np.clip(np.round(10 * w / w.max()), 0, 10), strict=True))


def make_judgements(fw, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dims = fw.children("overall")
    emp = fw.children("emploi")
    base = {c: rng.dirichlet(np.full(len(dims), 4.0)) for c in COLLEGES}
    rows = []
    people = []
    for c, n in COLLEGES.items():
        for i in range(n):
            people.append((f"{c[:3]}{i + 1}", c))
    w1 = {p: rng.dirichlet(base[c] * 40) for p, c in people}
    e1 = {p: rng.dirichlet([6.0, 4.0]) for p, _ in people}
    med_w = np.median(np.stack(list(w1.values())), axis=0)
    med_e = np.median(np.stack(list(e1.values())), axis=0)
    for rnd in (1, 2):
        for p, c in people:
            w = w1[p] if rnd == 1 else (w1[p] + med_w) / 2
            e = e1[p] if rnd == 1 else (e1[p] + med_e) / 2
            for node, val in _encode(METHOD_OF[c], dims, w, rng):
                rows.append(("seance_1", rnd, p, c, METHOD_OF[c], node, val))
            for node, val in _encode("direct", emp, e, rng):
                rows.append(("seance_1", rnd, p, c, "direct", node, val))
    return pd.DataFrame(rows, columns=["session", "round", "participant", "college", "method", "node", "value"])


@pytest.fixture(scope="session")
def judgements(fw):
    """Synthetic judgements (25 participants, 5 colleges, 2 rounds)."""
    return make_judgements(fw)


@pytest.fixture(scope="session")
def ref():
    """Loader of the reference files in tests/reference/weighting/."""
    return load_ref
