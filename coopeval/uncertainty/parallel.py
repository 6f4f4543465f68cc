"""Chunks of a Monte Carlo on an executor: results in order, a bounded number in flight.

``Executor.map`` submits every task at once: the results of all the chunks may then wait in
memory (a worker keeps a result until the caller takes it), each the size of the accumulators
(units x (score bins + rank columns) counts: about 0.9 GB at 10⁶ units with 100 bins of each).
Here at most ``2 x workers`` chunks are submitted ahead of the one being folded, and the results
come back in chunk order, so the fold — hence the result — is the in-process one.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor
from typing import Any

__all__ = ["in_flight", "ordered_map"]


def in_flight(executor: Executor) -> int:
    """Chunks submitted ahead: twice the executor's workers when it tells them (the standard
    library's pools, a dask client's threads), else 4."""
    workers = getattr(executor, "_max_workers", None)  # ThreadPoolExecutor, ProcessPoolExecutor
    client = getattr(executor, "_client", None)  # dask.distributed's ClientExecutor
    if workers is None and client is not None and hasattr(client, "nthreads"):
        workers = sum(client.nthreads().values())
    return 2 * int(workers) if workers else 4


def ordered_map(executor: Executor | None, fn: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
    """``map(fn, items)`` in-process (``executor=None``), else on the executor, in order, with at
    most :func:`in_flight` items submitted and not yet taken."""
    if executor is None:
        yield from map(fn, items)
        return
    ahead = in_flight(executor)
    pending: deque = deque()
    try:
        for item in items:
            pending.append(executor.submit(fn, item))
            if len(pending) >= ahead:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:  # a failed or abandoned run: do not leave work queued
            future.cancel()
