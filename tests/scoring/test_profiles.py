"""Profiles and changes between waves (checked against direct lookups in the Scores table)."""

from __future__ import annotations

import numpy as np
import pytest

import coopeval as ce
from coopeval.scoring import changes, profiles


def test_profiles_wide_and_labelled(small_fw, small_obs):
    sc = ce.score(small_obs, small_fw)
    wide = profiles(sc, level="dimension")
    assert list(wide.columns) == ["unit", "wave", "d1", "d2"] and len(wide) == 12
    row = wide[(wide["unit"] == "u3") & (wide["wave"] == 2024)]
    want = sc[(sc["unit"] == "u3") & (sc["wave"] == 2024) & (sc["node"] == "d2")]["score"].item()
    assert row["d2"].item() == pytest.approx(want)
    small = profiles(sc, level="criterion", fw=small_fw, lang="en")
    assert list(small.columns) == ["unit", "wave", "c1", "c2"]
    with pytest.raises(ce.ScoringError, match="level"):
        profiles(sc, level="pillar")


def test_changes(small_fw, small_obs):
    sc = ce.score(small_obs, small_fw)
    ch = changes(sc, level="overall")
    assert list(ch.columns) == ["unit", "level", "node", "wave_from", "wave_to", "score_from", "score_to", "change",
                                "coverage_changed"]
    assert not ch["coverage_changed"].any()  # complete data in both waves
    s = sc[sc["node"] == "overall"].set_index(["unit", "wave"])["score"]
    for _, r in ch.iterrows():
        assert r["change"] == pytest.approx(s[(r["unit"], 2024)] - s[(r["unit"], 2023)])
    one = changes(sc, from_wave=2023, to_wave=2024)
    assert len(one) == len(sc) // 2
    with pytest.raises(ce.ScoringError, match="from_wave"):
        changes(sc, from_wave=2023)
    with pytest.raises(ce.ScoringError, match="waves"):
        changes(sc, from_wave=2020, to_wave=2024)
    assert np.isfinite(ch["change"]).all()
