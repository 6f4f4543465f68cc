"""Direct rating and point allocation: w_i = v_i / sum(v) (computed by hand below)."""

import pytest

import coopeval as ce
from coopeval.errors import WeightingError


def test_direct_proportional_to_ratings():
    # by hand: 8 / 20 = 0.4, 6 / 20 = 0.3
    w = ce.weighting.direct({"a": 8, "b": 6, "c": 6})
    assert w.to_dict() == pytest.approx({"a": 0.4, "b": 0.3, "c": 0.3}, abs=1e-15)


def test_direct_scale_is_checked():
    with pytest.raises(WeightingError, match="out of range") as err:
        ce.weighting.direct([11, -1, 3], ["a", "b", "c"])
    assert [i.key for i in err.value.issues] == ["a", "b"]


def test_points_total_and_dot_vote():
    assert ce.weighting.points([50, 30, 20], ["a", "b", "c"]).tolist() == pytest.approx([0.5, 0.3, 0.2])
    with pytest.raises(WeightingError, match="adding up to 100"):
        ce.weighting.points([50, 30], ["a", "b"])
    # dot vote: 3 dots, 1 dot -> 0.75, 0.25
    assert ce.weighting.points({"a": 3, "b": 1}, total=None).tolist() == pytest.approx([0.75, 0.25])


def test_all_zero_and_non_numeric():
    with pytest.raises(WeightingError, match="positive"):
        ce.weighting.points({"a": 0, "b": 0}, total=None)
    with pytest.raises(WeightingError, match="non-numeric"):
        ce.weighting.direct({"a": "beaucoup", "b": 3})
