"""One point of the Monte Carlo scaling tables, run in its own process (peak memory is per process).

::

    python benchmarks/scale.py UNITS SAMPLES [NODES]   # NODES: overall (default) or dimensions
    python benchmarks/scale.py pair UNITS SAMPLES CHUNK  # in-process and dask, compared (results_executor.json)

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



# --- 10⁶ units through the ``executor=`` path (dask) -------------------------------------------------

def large_obs(fw, units: int, seed: int = 0):
    """The synthetic data of ``run.make_obs`` (same values for the same seed) with integer unit ids
    and a categorical indicator column: 40 × 10⁶ rows as ~1 GB instead of 40 million strings."""
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (units, len(fw)))
    ids = pd.Categorical.from_codes(np.tile(np.arange(len(fw), dtype=np.int8), units), categories=fw.indicator_ids)
    return pd.DataFrame({"unit": np.repeat(np.arange(units, dtype=np.int64), len(fw)), "wave": np.int8(1),
                         "indicator": ids, "value": x.ravel()})


def executor_point(units: int, samples: int, chunk: int, bins: int, rank_bins: int, mode: str, out: str) -> dict:
    """One ``ce.uncertainty`` (overall score and rank intervals, no sensitivity) in-process
    (``mode="inprocess"``) or on a ``distributed.LocalCluster(n_workers=2, threads_per_worker=1)``
    (``mode="dask"``); the summary table is pickled to ``out``."""
    import run as bench

    import coopeval as ce

    fw = bench.make_framework()
    obs = large_obs(fw, units)
    ws = bench.DirichletWeights(fw)
    before = _rss_mb()
    kw = dict(weights=ws, n=samples, seed=0, normalisation="minmax", nodes=["overall"], sensitivity=False,
              chunk_size=chunk, bins=bins, rank_bins=rank_bins)
    workers_peak = None
    if mode == "dask":
        from distributed import Client, LocalCluster

        with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
                Client(cluster) as client:
            t = time.perf_counter()
            mc = ce.uncertainty(obs, fw, executor=client.get_executor(), **kw)
            seconds = time.perf_counter() - t
            workers_peak = sorted(client.run(_peak_mb).values())
    else:
        t = time.perf_counter()
        mc = ce.uncertainty(obs, fw, **kw)
        seconds = time.perf_counter() - t
    peak = _peak_mb()
    mc.summary.to_pickle(out)
    return {"mode": mode, "units": units, "samples": samples, "chunk_size": chunk, "n_chunks": mc.settings["n_chunks"],
            "bins": bins, "rank_bins": rank_bins, "rank_width": mc.settings["rank_width"], "seconds": seconds,
            "rss_before_mb": before, "peak_rss_mb": peak, "workers_peak_rss_mb": workers_peak,
            "load_average": os.getloadavg()}


def run_executor_pair(units: int, samples: int, chunk: int, bins: int = 50, rank_bins: int = 50) -> dict:
    """In-process, then on a 2-worker LocalCluster, each in a fresh process, same seed; the two
    summary tables compared exactly (``assert_frame_equal(check_exact=True)``)."""
    import subprocess
    import tempfile

    import pandas as pd

    res = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ("inprocess", "dask"):
            path = os.path.join(tmp, f"{mode}.pkl")
            done = subprocess.run([sys.executable, __file__, "executor", str(units), str(samples), str(chunk), str(bins),
                                   str(rank_bins), mode, path], capture_output=True, text=True, check=True)
            res[mode] = json.loads(done.stdout.strip().splitlines()[-1])
        a, b = pd.read_pickle(os.path.join(tmp, "inprocess.pkl")), pd.read_pickle(os.path.join(tmp, "dask.pkl"))
        try:
            pd.testing.assert_frame_equal(a, b, check_exact=True)
            res["summary_equal"] = True
        except AssertionError as err:
            res["summary_equal"] = False
            res["difference"] = str(err)[:500]
        res["rows"] = len(a)
    return res


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and args[0] == "executor":  # executor UNITS SAMPLES CHUNK BINS RANK_BINS MODE OUT
        print(json.dumps(executor_point(*map(int, args[1:6]), args[6], args[7])))
    elif args and args[0] == "pair":  # pair UNITS SAMPLES CHUNK: both runs, compared, written to results_executor.json
        r = run_executor_pair(*map(int, args[1:4]))
        path = Path(__file__).resolve().parent / "results_executor.json"
        old = json.loads(path.read_text()) if path.exists() else {}
        old[f"{r['inprocess']['units']}x{r['inprocess']['samples']}"] = r
        path.write_text(json.dumps(old, indent=2))
        print(json.dumps(r, indent=2))
    else:
        print(json.dumps(point(int(args[0]), int(args[1]), *(args[2:3] or ["overall"]))))
