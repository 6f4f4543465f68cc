"""Benchmark of the named sources of uncertainty (issue 15) against the numpy lower bound.

    .venv/bin/python benchmarks/sources.py          # 1,000 units x 40 indicators, 10,000 samples
    .venv/bin/python benchmarks/sources.py --quick  # tiny sizes (smoke run)

Same synthetic data and numpy bound as ``benchmarks/run.py`` (min-max normalisation, one
matrix product and exact rank counts by sorting packed keys per chunk of samples). The weights come from a real WeightSet: 5
colleges x 8 participants who judged every sibling group (Dirichlet views around the
default weights). ``ce.uncertainty(..., nodes=["overall"], sensitivity=False)`` is timed
with each named source on and with all of them; the measurement source perturbs a quarter
of the indicators (standard errors of a mean of 10 respondents), 100 replicates. Timing:
best of 3 runs interleaved with the bound. Writes ``benchmarks/results_sources.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
from pathlib import Path

for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):  # as in run.py
    os.environ.setdefault(_var, "1")
HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from run import DirichletWeights, lower_bound, make_framework, make_obs, timeit, wide  # noqa: E402

import coopeval as ce  # noqa: E402
from coopeval.weighting.weightset import Group, WeightSet  # noqa: E402

CASES = {
    "no named source (Dirichlet weights of run.py)": None,
    "views": ["views"],
    "sampling": ["sampling"],
    "views + sampling": ["views", "sampling"],
    "views + measurement": ["views", "measurement"],
    "all four (methods: 3 normalisations x 2 aggregations)": ["views", "sampling", "methods", "measurement"],
}


def stakeholder_weights(fw, colleges: int = 5, per_college: int = 8, seed: int = 0) -> WeightSet:
    rng = np.random.default_rng(seed)
    local = fw.default_weights("local")
    groups = []
    names = np.repeat([f"college{c}" for c in range(colleges)], per_college)
    for parent in ["overall", *[k for k in fw.node_ids if fw.level(k) != "indicator"]]:
        kids = fw.children(parent)
        w = rng.dirichlet(20 * local[kids].to_numpy(), size=len(names))
        groups.append(Group(parent, kids, w, names, {c: 1 / colleges for c in dict.fromkeys(names)}))
    ws = WeightSet(fw, local, groups=groups)
    for g in groups:
        ws.local[g.kids] = g.point("mean")
    return ws


def measurement_table(fw, obs: pd.DataFrame) -> pd.DataFrame:
    survey = set(fw.indicator_ids[::4])
    me = obs[obs["indicator"].isin(survey)][["unit", "wave", "indicator"]].copy()
    me["n"], me["se"] = 10, 0.05
    return me


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke run)")
    args = parser.parse_args(argv)
    n_units, n_samples = (50, 300) if args.quick else (1000, 10_000)
    fw = make_framework()
    obs = make_obs(fw, n_units)
    ws = stakeholder_weights(fw)
    me = measurement_table(fw, obs)
    m, _, types = wide(fw, obs)
    glob = ws.global_weights(ws.sample(n_samples, np.random.default_rng(0), "views")).to_numpy()
    v = (m - m.min(axis=0)) / (m.max(axis=0) - m.min(axis=0))
    v[:, types < 0] = 1 - v[:, types < 0]

    def bound():  # the bound of run.py: chunked matmul + packed-key sort + exact rank counts (issue 21)
        return lower_bound(glob, v)

    res = {"settings": {"n_units": n_units, "n_indicators": len(fw), "n_samples": n_samples,
                        "python": platform.python_version(), "numpy": np.__version__,
                        "load_average_before": os.getloadavg()}, "cases": {}}
    t_bound = []
    for name, sources in CASES.items():
        def ours(sources=sources):
            return ce.uncertainty(obs, fw, weights=ws if sources else DirichletWeights(fw), n=n_samples, seed=0,
                                  normalisation="minmax", nodes=["overall"], sensitivity=False, sources=sources,
                                  measurement=me if sources else None)
        times = []
        for _ in range(3):
            times.append(timeit(ours, 1))
            t_bound.append(timeit(bound, 1))
        res["cases"][name] = {"seconds": min(times)}
    b = min(t_bound)
    res["numpy lower bound (chunked matmul + packed-key sort + exact rank counts)"] = {"seconds": b}
    for case in res["cases"].values():
        case["ratio_to_bound"] = case["seconds"] / b
    res["settings"]["load_average_after"] = os.getloadavg()
    if not args.quick:
        (HERE / "results_sources.json").write_text(json.dumps(res, indent=2), encoding="utf-8")
    print(f"load average before/after: {res['settings']['load_average_before']} / "
          f"{res['settings']['load_average_after']}")
    print(f"numpy lower bound: {b:.3f} s")
    for name, case in res["cases"].items():
        print(f"{name:55s} {case['seconds']:7.3f} s  {case['ratio_to_bound']:5.2f}x the bound")
    return res


if __name__ == "__main__":
    main()
