"""Chunks on an executor: results in chunk order, a bounded number submitted ahead."""

from __future__ import annotations

import time
from concurrent.futures import ThreadPoolExecutor

from coopeval.uncertainty.parallel import in_flight, ordered_map


def _slow_square(x):
    time.sleep(0.002 * (x % 3))  # later items may finish first
    return x * x


def test_ordered_map_keeps_order_and_bounds_what_is_submitted():
    pulled = []

    def items():
        for i in range(40):
            pulled.append(i)
            yield i

    with ThreadPoolExecutor(2) as ex:
        assert in_flight(ex) == 4
        it = ordered_map(ex, _slow_square, items())
        assert next(it) == 0
        assert len(pulled) == 4  # the first result is taken once 4 chunks are submitted, not 40
        assert list(it) == [i * i for i in range(1, 40)]
    assert list(ordered_map(None, _slow_square, range(5))) == [0, 1, 4, 9, 16]
