"""SROI waterfall and tornado, on inline data and on a real ce.valuation.sroi result."""

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.plots import tornado, waterfall


def test_waterfall_steps_total_and_ratio():
    out = pd.DataFrame({"outcome": ["a", "b", "c"], "present_value": [3000.0, 1000.0, 500.0]})
    ax = waterfall(out, inputs=1500.0)
    bars = [(p.get_x() + p.get_width() / 2, p.get_y(), p.get_height()) for p in ax.patches]
    assert np.allclose(bars, [(0, 0, 3000), (1, 3000, 1000), (2, 4000, 500), (3, 0, 4500), (4, 0, 1500)])
    assert [t.get_text() for t in ax.get_xticklabels()][-2:] == ["Valeur totale", "Investissement"]
    ratio = [t for t in ax.texts if t.get_gid() == "ratio"][0].get_text()
    assert "3,00" in ratio  # 4500 / 1500, French decimal comma


def test_waterfall_from_sroi_result():
    # Nicholls et al. (2012) guide formula, checked by hand: 100 people x 50 EUR x (1 - 0.2) = 4000 EUR,
    # one year, rate 0 -> present value 4000, ratio 4000 / 2000 = 2.
    out = pd.DataFrame({"outcome": ["repas partagés"], "quantity": [100], "proxy": [50.0],
                        "deadweight": [0.2], "duration": [1]})
    res = ce.valuation.sroi(out, inputs=2000.0, discount_rate=0.0)
    ax = waterfall(res, lang="en")
    assert np.allclose([p.get_height() for p in ax.patches], [4000, 4000, 2000])
    assert "2.00" in [t for t in ax.texts if t.get_gid() == "ratio"][0].get_text()


def test_tornado_sorted_by_swing(tornado_data):
    ax = tornado(tornado_data, base=2.0)
    assert [t.get_text() for t in ax.get_yticklabels()] == ["valeur de référence", "effet d'aubaine",
                                                            "taux d'actualisation"]
    low = [(p.get_x(), p.get_width()) for p in ax.containers[0]]
    high = [(p.get_x(), p.get_width()) for p in ax.containers[1]]
    assert np.allclose(low, [(2.0, -0.5), (2.0, 0.4), (2.0, 0.1)])
    assert np.allclose(high, [(2.0, 0.5), (2.0, -0.4), (2.0, -0.05)])


def test_tornado_from_sroi_sensitivity():
    out = pd.DataFrame({"outcome": ["emploi"], "quantity": [10], "proxy": [1000.0], "deadweight": [0.2],
                        "deadweight_low": [0.1], "deadweight_high": [0.4], "duration": [1]})
    res = ce.valuation.sroi(out, inputs=4000.0, discount_rate=0.0)
    ax = tornado(res.sensitivity())
    # ratio = 10 x 1000 x (1 - d) / 4000: base 2.0, low d -> 2.25, high d -> 1.5
    assert ax.get_yticklabels()[0].get_text() == "emploi — effet d'aubaine"
    p_low, p_high = ax.containers[0][0], ax.containers[1][0]
    assert p_low.get_x() == pytest.approx(2.0)
    assert p_low.get_x() + p_low.get_width() == pytest.approx(2.25)
    assert p_high.get_x() + p_high.get_width() == pytest.approx(1.5)


def test_tornado_needs_base(tornado_data):
    with pytest.raises(ce.PlotError, match="`base`"):
        tornado(tornado_data)
