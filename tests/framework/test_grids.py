"""Progress grids (kind ``grid``): descriptors of every level, whole levels on import, ordinal scores."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError, FrameworkError
from coopeval.framework.grids import GRID_COLUMNS, describe_level, grid_levels


def test_default_framework_has_grids_on_governance_and_cooperation(fw):
    ind = fw.indicators.set_index("indicator")
    grids = ind[ind["kind"] == "grid"]
    assert set(grids["dimension"]) == {"gouvernance", "territoire"}
    assert grids.loc["grille_cooperation", "criterion"] == "cooperation_acteurs"
    table = grid_levels(fw)
    assert list(table.columns) == GRID_COLUMNS
    assert table.groupby("indicator")["level"].apply(list).to_dict() == {
        "grille_cooperation": [1, 2, 3, 4], "grille_gouvernance": [1, 2, 3, 4]}
    assert table.query("level == 1")["label_fr"].unique().tolist() == ["émergent"]
    assert table.query("level == 4")["label_en"].unique().tolist() == ["consolidated"]


def test_describe_level(fw):
    d = describe_level(fw, "grille_gouvernance", 3.0, "en")
    assert d == {"level": 3, "label": "established",
                 "descriptor": "Every college is represented and consulted before important decisions."}
    assert describe_level(fw, "grille_gouvernance", float("nan"))["level"] is None
    assert describe_level(fw, "grille_gouvernance", 2.5)["level"] is None
    with pytest.raises(FrameworkError, match="grid indicator"):
        describe_level(fw, "taux_participation_ag", 1)


def test_whole_levels_only_on_import(fw):
    obs = pd.DataFrame({"unit": ["u"] * 3, "wave": [1] * 3, "indicator": ["grille_gouvernance"] * 3,
                        "value": [2, 2.5, 5]}).iloc[[0]]
    assert len(ce.data.validate_observations(obs, fw)) == 1
    bad = obs.assign(value=2.5)
    with pytest.raises(DataError, match="whole number between 1 and 4"):
        ce.data.validate_observations(bad, fw)
    with pytest.raises(DataError, match="whole number between 1 and 4"):
        ce.data.validate_observations(obs.assign(value=5), fw)


def test_grid_scores_as_ordinal_goalposts(fw):
    """goalposts: (level - lower) / (upper - lower) on [1, 4], levels equally spaced (documented)."""
    obs = pd.DataFrame({"unit": ["a", "b", "c", "d"], "wave": 1, "indicator": "grille_cooperation",
                        "value": [1.0, 2.0, 3.0, 4.0]})
    sc = ce.score(obs, fw)
    got = sc[(sc["level"] == "indicator") & (sc["node"] == "grille_cooperation")].set_index("unit")["score"]
    assert got.tolist() == pytest.approx([0.0, 100 / 3, 200 / 3, 100.0], abs=1e-9)
    ranks = ce.score(obs, fw, normalisation="rank")
    got = ranks[(ranks["level"] == "indicator") & (ranks["node"] == "grille_cooperation")]["score"]
    assert got.tolist() == pytest.approx([0.0, 100 / 3, 200 / 3, 100.0], abs=1e-9)
