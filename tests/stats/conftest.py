"""Fixtures of the coopeval.stats tests: tiny frameworks and a small synthetic panel."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import coopeval as ce

REFERENCE = Path(__file__).resolve().parents[1] / "reference" / "stats"


def _indicator(ind_id: str, items: list, lower=1, upper=5, direction="increase") -> dict:
    spec = {"id": ind_id, "label_fr": ind_id, "label_en": ind_id, "unit": "score",
            "kind": "likert" if items else "quantitative", "direction": direction,
            "lower": lower, "upper": upper, "source": "survey" if items else "observation"}
    if items:
        spec["items"] = [{"id": i, "label_fr": i, "label_en": i, "reverse": bool(r)} for i, r in items]
    return spec


def make_framework(dimensions: dict[str, list[dict]]) -> ce.Framework:
    """A framework from ``{dimension: [indicator spec, ...]}``."""
    return ce.Framework.from_dict({
        "id": "test_stats", "title_fr": "Test", "title_en": "Test",
        "dimensions": [{"id": d, "label_fr": d, "label_en": d, "indicators": inds}
                       for d, inds in dimensions.items()],
    })


@pytest.fixture(scope="session")
def reference() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def build_fw():
    """Factory: ``build_fw({"dim": [("ind", [("item", reverse), ...], lower, upper)]})``."""
    def build(spec: dict) -> ce.Framework:
        return make_framework({d: [_indicator(*ind) for ind in inds] for d, inds in spec.items()})
    return build


def wide_to_responses(wide: pd.DataFrame, **extra) -> pd.DataFrame:
    """Respondents × items matrix to long Responses."""
    long = wide.rename_axis(index="respondent", columns="item").stack().rename("value").reset_index()
    for k, v in extra.items():
        long[k] = v
    return long


@pytest.fixture(scope="session")
def to_responses():
    return wide_to_responses


def exact_corr_data(corr: np.ndarray, n: int, seed: int = 0) -> np.ndarray:
    """n × k data whose sample correlation matrix is exactly ``corr``."""
    rng = np.random.default_rng(seed)
    z = rng.normal(size=(n, corr.shape[0]))
    z -= z.mean(axis=0)
    q, _ = np.linalg.qr(z)
    return q * np.sqrt(n - 1) @ np.linalg.cholesky(corr).T


@pytest.fixture(scope="session")
def exact_data():
    return exact_corr_data


@pytest.fixture(scope="session")
def panel():
    """A small panel in the coopeval contracts: 8 units × 3 waves, 4 colleges.

    Built-in effects: scale ``gouv`` (items g1, g2, g3r reversed) rises by 0.4 per wave;
    college ``habitants`` is 0.6 below ``salarie_es`` on scale ``terr`` (items t1, t2, t3);
    observation indicators ``x1`` and ``x2`` are redundant (x2 = 2 x1 + small noise).
    """
    rng = np.random.default_rng(7)
    colleges = {"habitants": -0.3, "salarie_es": 0.3, "benevoles": 0.0, "financeurs": 0.0}
    rows, obs, rid = [], [], 0
    unit_eff = {f"u{u}": rng.normal(0, 0.3) for u in range(8)}
    for u, ue in unit_eff.items():
        for w in (1, 2, 3):
            for college, ce_ in colleges.items():
                for _ in range(6 if college != "financeurs" else 3):
                    rid += 1
                    gl = 3 + ue + 0.4 * (w - 1) + rng.normal(0, 0.5)
                    tl = 3 + ue + ce_ + rng.normal(0, 0.5)
                    for item, lat, rev in (("g1", gl, False), ("g2", gl, False), ("g3r", gl, True),
                                           ("t1", tl, False), ("t2", tl, False), ("t3", tl, False)):
                        x = float(np.clip(np.round(lat + rng.normal(0, 0.5)), 1, 5))
                        rows.append((f"r{rid:04d}", u, w, college, item, 6 - x if rev else x))
            x1 = 10 + 5 * ue + w + rng.normal(0, 1)
            obs += [(u, w, "x1", x1), (u, w, "x2", 2 * x1 + rng.normal(0, 0.05)),
                    (u, w, "x3", rng.normal(50, 10)), (u, w, "y1", rng.normal(0, 1)),
                    (u, w, "y2", rng.normal(0, 1))]
    responses = pd.DataFrame(rows, columns=["respondent", "unit", "wave", "college", "item", "value"])
    observations = pd.DataFrame(obs, columns=["unit", "wave", "indicator", "value"])
    fw = make_framework({
        "gouvernance": [_indicator("gouv", [("g1", 0), ("g2", 0), ("g3r", 1)])],
        "territoire": [_indicator("terr", [("t1", 0), ("t2", 0), ("t3", 0)])],
        "eco": [_indicator("x1", [], 0, 100), _indicator("x2", [], 0, 200),
                _indicator("x3", [], 0, 100, "decrease")],
        "autre": [_indicator("y1", [], -5, 5), _indicator("y2", [], -5, 5)],
    })
    return {"responses": responses, "observations": observations, "fw": fw}
