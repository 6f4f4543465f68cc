"""One point of the Monte Carlo scaling tables, run in its own process (peak memory is per process).

::

    python benchmarks/scale.py UNITS SAMPLES [NODES]   # NODES: overall (default) or dimensions

Prints JSON: ``seconds`` (wall clock of ``ce.uncertainty``: overall score and rank intervals,
top-k, no sensitivity; synthetic data of ``run.py``: 40 indicators, 5 dimensions),
``rss_before_mb`` (resident memory once the data are built), ``peak_rss_mb`` (peak resident
memory of the process, ``VmHWM``), ``rank_width`` (1 = exact rank counts).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    """Peak resident memory of this process (``VmHWM``: reset by exec, unlike ``ru_maxrss``, which
    keeps the parent's size at fork)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1e3
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def point(units: int, samples: int, nodes: str = "overall") -> dict:
    import run as bench

    import coopeval as ce

    fw = bench.make_framework()
    obs = bench.make_obs(fw, units)
    ws = bench.DirichletWeights(fw)
    before = _rss_mb()
    t = time.perf_counter()
    mc = ce.uncertainty(obs, fw, weights=ws, n=samples, seed=0, normalisation="minmax",
                        nodes=["overall"] if nodes == "overall" else nodes, sensitivity=False)
    seconds = time.perf_counter() - t
    peak = _peak_mb()
    return {"units": units, "samples": samples, "nodes": nodes, "seconds": seconds, "rss_before_mb": before,
            "peak_rss_mb": peak, "rank_width": mc.settings["rank_width"]}


def run_point(units: int, samples: int, nodes: str = "overall") -> dict:
    """:func:`point` in a fresh Python process."""
    import subprocess

    out = subprocess.run([sys.executable, __file__, str(units), str(samples), nodes], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    args = sys.argv[1:]
    print(json.dumps(point(int(args[0]), int(args[1]), *(args[2:3] or ["overall"]))))
