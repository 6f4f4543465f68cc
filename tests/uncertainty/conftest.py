"""Fixtures of the uncertainty tests: a small framework, a panel and duck-typed WeightSets."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest


def _ind(id_, lower=0, upper=10, direction="increase", **kw):
    return {"id": id_, "label_fr": id_, "label_en": id_, "unit": "u", "kind": "quantitative",
            "direction": direction, "lower": lower, "upper": upper, "source": "register", **kw}


@pytest.fixture(scope="session")
def small_fw():
    """d1 > (c1: a, b ; c2: c) ; d2: e, f."""
    from coopeval.framework import Framework

    return Framework.from_dict({
        "id": "petit", "title_fr": "Petit", "title_en": "Small",
        "dimensions": [
            {"id": "d1", "label_fr": "d1", "label_en": "d1", "criteria": [
                {"id": "c1", "label_fr": "c1", "label_en": "c1", "indicators": [_ind("a"), _ind("b")]},
                {"id": "c2", "label_fr": "c2", "label_en": "c2", "indicators": [_ind("c", direction="decrease")]},
            ]},
            {"id": "d2", "label_fr": "d2", "label_en": "d2", "indicators": [_ind("e"), _ind("f")]},
        ],
    })


@pytest.fixture(scope="session")
def panel():
    rng = np.random.default_rng(7)
    rows = [(f"u{u}", wave, ind, float(rng.uniform(0.5, 9.5)))
            for wave in (2023, 2024) for u in range(8) for ind in "abcef"]
    return pd.DataFrame(rows, columns=["unit", "wave", "indicator", "value"])


class DirichletWeights:
    """A duck-typed WeightSet: Dirichlet draws around the framework's default weights.

    ``only`` restricts the spread to the children of some parents (others stay fixed).
    """

    def __init__(self, fw, concentration=20.0, only=None):
        self.fw = fw
        self.local = fw.default_weights("local")
        self.concentration = concentration
        self.only = only

    def sample(self, n, rng):
        out = pd.DataFrame(np.repeat(self.local.to_numpy()[None, :], n, axis=0), columns=self.local.index)
        parents = ["overall", *[k for k in self.fw.node_ids if self.fw.level(k) != "indicator"]]
        for p in parents:
            kids = self.fw.children(p)
            if len(kids) < 2 or (self.only is not None and p not in self.only):
                continue
            out[kids] = rng.dirichlet(self.concentration * self.local[kids].to_numpy(), size=n)
        return out


@pytest.fixture(scope="session")
def dirichlet():
    return DirichletWeights
