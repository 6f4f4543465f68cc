"""Benchmarks of coopeval's scoring and Monte Carlo against peer libraries.

Run from the repository root::

    .venv/bin/python benchmarks/run.py            # full sizes (a few minutes; COINr too where R has it)
    .venv/bin/python benchmarks/run.py --quick    # tiny sizes (smoke test; COINr not run)

Prints a Markdown table (paste it into ``benchmarks/README.md``) and writes
``benchmarks/results.json``.

Cases (same synthetic data for every contender; 1,000 units x 40 indicators in a 3-level
tree: 5 dimensions x 2 criteria x 4 indicators; 25 % of indicators "decrease"):

1. score one decision matrix: min-max + weighted sum — coopeval ``ce.score`` (long table in,
   tidy table with every node out), coopeval's array core, scikit-criteria
   ``NegateMinimize`` + ``MinMaxScaler`` + ``WeightedSumModel``, pymcdm ``WSM`` (min-max normalisation);
2. Monte Carlo of 10,000 weight samples (Dirichlet around the default weights, every sibling
   group): coopeval ``ce.uncertainty`` (overall score and rank intervals, top-k, no
   sensitivity), a loop calling scikit-criteria once per sample (timed on a few hundred
   samples and extrapolated linearly), and a bare numpy lower bound (one matrix product of the
   pre-computed global weights with the normalised matrix, plus one argsort per sample);
3. one dashboard update: re-score 100 cooperations x the default framework after a weight change;
4. first use: in three fresh Python processes, ``import coopeval``, ``Evaluation.sample()`` and
   the first ``what_if`` (as in a fresh kernel or the CLI).

Peak memory is measured with ``tracemalloc`` in a separate run of each case (numpy reports
its allocations to tracemalloc). BLAS is limited to one thread for every contender
(``OPENBLAS_NUM_THREADS=1``, set before numpy is imported).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time
import tracemalloc
import warnings
from pathlib import Path

# One BLAS thread for every contender: the machine's cores are shared, and nested BLAS threads
# oversubscribe them (coopeval pins its chunks to one BLAS thread anyway).
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import coopeval as ce  # noqa: E402
from coopeval.framework import Framework  # noqa: E402

HERE = Path(__file__).resolve().parent


def make_framework(n_dim: int = 5, n_crit: int = 2, n_ind: int = 4) -> Framework:
    dims = []
    k = 0
    for d in range(n_dim):
        crits = []
        for c in range(n_crit):
            inds = []
            for _ in range(n_ind):
                inds.append({"id": f"i{k:02d}", "label_fr": f"i{k}", "label_en": f"i{k}", "unit": "u",
                             "kind": "quantitative", "direction": "decrease" if k % 4 == 3 else "increase",
                             "lower": 0, "upper": 1, "source": "register"})
                k += 1
            crits.append({"id": f"c{d}{c}", "label_fr": "c", "label_en": "c", "indicators": inds})
        dims.append({"id": f"d{d}", "label_fr": "d", "label_en": "d", "criteria": crits})
    return Framework.from_dict({"id": "bench", "title_fr": "b", "title_en": "b", "dimensions": dims})


def make_obs(fw: Framework, n_units: int, seed: int = 0) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x = rng.uniform(0, 1, (n_units, len(fw)))
    return pd.DataFrame({
        "unit": np.repeat([f"u{i:04d}" for i in range(n_units)], len(fw)),
        "wave": 1,
        "indicator": np.tile(fw.indicator_ids, n_units),
        "value": x.ravel(),
    })


class DirichletWeights:
    """WeightSet-like: Dirichlet draws (concentration 50) around the default local weights."""

    def __init__(self, fw: Framework, concentration: float = 50.0):
        self.local = fw.default_weights("local")
        self.groups = [fw.children(p) for p in ["overall", *[k for k in fw.node_ids if fw.level(k) != "indicator"]]]
        self.concentration = concentration
        # every sibling group at once: independent Gamma(alpha_j) draws, divided by their group's sum
        # (a Dirichlet draw per group); columns laid out group after group, then put in `local` order
        order = [k for g in self.groups for k in g]
        self._alpha = concentration * self.local[order].to_numpy()
        self._starts = np.cumsum([0, *[len(g) for g in self.groups[:-1]]])
        self._group_of = np.repeat(np.arange(len(self.groups)), [len(g) for g in self.groups])
        self._columns = pd.Index(order).get_indexer(self.local.index)

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        g = rng.standard_gamma(self._alpha, size=(n, len(self._alpha)))
        g /= np.add.reduceat(g, self._starts, axis=1)[:, self._group_of]
        return pd.DataFrame(g[:, self._columns], columns=self.local.index)


class Replay:
    """A sampler that hands out local weights drawn beforehand, in order (the lower bound is given its
    weights already drawn; so is coopeval with this sampler): ``rewind()`` before each run."""

    def __init__(self, frame: pd.DataFrame, local: pd.Series):
        self.frame, self.local, self._next = frame, local, 0

    def rewind(self) -> Replay:
        self._next = 0
        return self

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        out = self.frame.iloc[self._next:self._next + n]
        self._next += n
        return out


def timeit(func, repeat: int = 3, cpu: list | None = None) -> float:
    """Best wall-clock time of ``repeat`` runs; the CPU time of each run (``time.process_time``:
    less sensitive to other jobs on a shared machine) is appended to ``cpu`` when given."""
    times = []
    for _ in range(repeat):
        t, c = time.perf_counter(), time.process_time()
        func()
        times.append(time.perf_counter() - t)
        if cpu is not None:
            cpu.append(time.process_time() - c)
    return min(times)


def peak_mb(func) -> float:
    tracemalloc.start()
    func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 1e6


def wide(fw: Framework, obs: pd.DataFrame) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    m = obs.pivot(index="unit", columns="indicator", values="value")[fw.indicator_ids].to_numpy()
    w = fw.default_weights("global").loc[fw.indicator_ids].to_numpy()
    types = np.where(fw.indicators["direction"].to_numpy() == "decrease", -1, 1)
    return m, w, types


def case_scoring(fw, obs, repeat):
    import skcriteria as skc
    from pymcdm.methods import WSM
    from pymcdm.normalizations import minmax_normalization
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.preprocessing.invert_objectives import NegateMinimize
    from skcriteria.preprocessing.scalers import MinMaxScaler

    from coopeval.scoring.aggregate import resolve_methods
    from coopeval.scoring.matrix import to_matrix
    from coopeval.scoring.normalise import indicator_meta, normalise_matrix
    from coopeval.scoring.plan import compile_plan
    from coopeval.scoring.tree import evaluate

    m, w, types = wide(fw, obs)
    plan = compile_plan(fw)
    meta = indicator_meta(fw, plan)
    methods = resolve_methods(plan, "arithmetic")
    w_local = plan.normalise_weights(fw.default_weights().loc[plan.nodes].to_numpy()[None, :])
    dm = to_matrix(obs, plan)

    def coopeval_public():
        return ce.score(obs, fw, normalisation="minmax")

    def coopeval_core():
        v = normalise_matrix(dm.values, meta, dm.wave_index, "minmax")
        return evaluate(plan, v, w_local, methods)

    def skcriteria_wsm():
        d = skc.mkdm(m, types, weights=w)
        d = MinMaxScaler(target="matrix").transform(NegateMinimize().transform(d))
        return WeightedSumModel().evaluate(d)

    def pymcdm_wsm():
        return WSM(normalization_function=minmax_normalization)(m, w, types)

    # the three agree on the overall ranking (min-max + weighted sum)
    ours = coopeval_public().query("node == 'overall'").set_index("unit")["score"].sort_index()
    sk = skcriteria_wsm().rank_
    pm = pymcdm_wsm()
    agree = bool(np.array_equal(np.argsort(-ours.to_numpy()), np.argsort(-pm))
                 and np.array_equal(pd.Series(-ours.to_numpy()).rank(method="first").to_numpy(), sk))
    out = {}
    for name, f in [("coopeval ce.score (long in, every node out)", coopeval_public),
                    ("coopeval array core", coopeval_core),
                    ("scikit-criteria NegateMinimize + MinMaxScaler + WeightedSumModel", skcriteria_wsm),
                    ("pymcdm WSM (minmax)", pymcdm_wsm)]:
        out[name] = {"seconds": timeit(f, repeat), "peak_mb": peak_mb(f)}
    out["_rankings_agree"] = agree
    return out


def case_monte_carlo(fw, obs, n_samples, n_loop):
    import skcriteria as skc
    from skcriteria.agg.simple import WeightedSumModel
    from skcriteria.preprocessing.invert_objectives import NegateMinimize
    from skcriteria.preprocessing.scalers import MinMaxScaler

    ws = DirichletWeights(fw)
    m, _, types = wide(fw, obs)

    def coopeval_mc():
        return ce.uncertainty(obs, fw, weights=ws, n=n_samples, seed=0, normalisation="minmax", nodes=["overall"],
                              sensitivity=False)

    # the loop: draw the same kind of weights, then one scikit-criteria evaluation per sample
    rng = np.random.default_rng(0)
    frame = ws.sample(n_loop, rng)
    glob = np.ones((n_loop, len(fw)))
    for j, ind in enumerate(fw.indicator_ids):
        p = ind
        while p != "overall":
            glob[:, j] *= frame[p].to_numpy()
            p = fw.parent(p)

    def loop():
        ranks = []
        for i in range(n_loop):
            d = skc.mkdm(m, types, weights=glob[i])
            d = MinMaxScaler(target="matrix").transform(NegateMinimize().transform(d))
            ranks.append(WeightedSumModel().evaluate(d).rank_)
        return ranks

    # numpy lower bound: global weights already drawn, normalised matrix already built; per chunk of
    # samples one matrix product and exact rank counts by one sort of packed keys per sample
    big = np.repeat(glob, int(np.ceil(n_samples / n_loop)), axis=0)[:n_samples]
    lo, hi = m.min(axis=0), m.max(axis=0)
    v = (m - lo) / (hi - lo)
    v[:, types < 0] = 1 - v[:, types < 0]

    def bound():
        return lower_bound(big, v)

    # like for like with the bound: the data prepared once (the bound's normalised matrix) and the weights
    # drawn beforehand (the bound's global weights); coopeval still validates and normalises them
    prepared = ce.prepare(obs, fw)
    replay = Replay(ws.sample(n_samples, np.random.default_rng(0)), ws.local)

    def coopeval_given():
        return ce.uncertainty(prepared, fw, weights=replay.rewind(), n=n_samples, seed=0, normalisation="minmax",
                              nodes=["overall"], sensitivity=False)

    def coopeval_mc_dims():
        return ce.uncertainty(obs, fw, weights=ws, n=n_samples, seed=0, normalisation="minmax", nodes="dimensions",
                              sensitivity=False)

    # interleave repeats (the machine is shared): best of 5 for both fast contenders
    t_ours, t_bound, c_ours, c_bound, t_given, c_given = [], [], [], [], [], []
    for _ in range(5):
        t_ours.append(timeit(coopeval_mc, 1, c_ours))
        t_given.append(timeit(coopeval_given, 1, c_given))
        t_bound.append(timeit(bound, 1, c_bound))
    t_loop = timeit(loop, 1)
    return {
        "coopeval ce.uncertainty": {"seconds": min(t_ours), "cpu_seconds": min(c_ours),
                                    "peak_mb": peak_mb(coopeval_mc)},
        GIVEN: {"seconds": min(t_given), "cpu_seconds": min(c_given)},
        "coopeval ce.uncertainty, root + 5 dimensions": {"seconds": timeit(coopeval_mc_dims, 1),
                                                          "peak_mb": peak_mb(coopeval_mc_dims)},
        "scikit-criteria loop (extrapolated)": {"seconds": t_loop * n_samples / n_loop,
                                                "measured_samples": n_loop, "measured_seconds": t_loop},
        "numpy lower bound (chunked matmul + packed-key sort + exact rank counts)": {
            "seconds": min(t_bound), "cpu_seconds": min(c_bound), "peak_mb": peak_mb(bound)},
    }


def lower_bound(glob: np.ndarray, v: np.ndarray, chunk: int = 1000) -> np.ndarray:
    """Exact rank counts (units x ranks) of the weighted sums ``glob @ v.T``, the least work any
    Monte Carlo of ranks does: per chunk of samples one matrix product, then per sample one sort
    of 64-bit keys packing the score (its order-preserving bits, descending) above the unit's
    position, and one ``bincount``. Scores here are positive (weighted sums of values in [0, 1])."""
    r = v.shape[0]
    bits = max(1, (r - 1).bit_length())
    counts = np.zeros(r * (r + 1), dtype=np.int64)
    rank = np.arange(1, r + 1)
    for i0 in range(0, glob.shape[0], chunk):
        key = ~(glob[i0:i0 + chunk] @ v.T).view(np.uint64)  # positive floats: bits grow with the value
        key >>= np.uint64(bits)
        key <<= np.uint64(bits)
        key |= np.arange(r, dtype=np.uint64)
        key.sort(axis=1)
        unit = (key & np.uint64((1 << bits) - 1)).astype(np.int64)
        counts += np.bincount((unit * (r + 1) + rank).ravel(), minlength=counts.size)
    return counts.reshape(r, r + 1)[:, 1:]


FIRST_USE = r"""
import json, sys, time
t0 = time.perf_counter(); c0 = time.process_time()
import coopeval as ce
t1 = time.perf_counter(); c1 = time.process_time()
ev = ce.Evaluation.sample()
t2 = time.perf_counter(); c2 = time.process_time()
ev.what_if({ev.fw.dimension_ids[0]: 30})
t3 = time.perf_counter(); c3 = time.process_time()
print(json.dumps({"import": t1 - t0, "sample": t2 - t1, "what_if": t3 - t2, "what_if_cpu": c3 - c2,
                  "total_cpu": c3 - c0, "scipy_stats_imported": "scipy.stats" in sys.modules}))
"""


def case_first_use(runs: int = 3) -> list[dict]:
    """First « Et si… ? » answer in fresh Python processes, as in a fresh kernel or the CLI:
    seconds to ``import coopeval``, to build ``Evaluation.sample()`` (the bundled project), then
    the first ``what_if`` (the computation the target of 1 s is about), and whether
    ``scipy.stats`` (~2 s to import) was pulled in."""
    import subprocess

    out = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", FIRST_USE], capture_output=True, text=True, check=True,
                              cwd=HERE.parent, env={**os.environ, "PYTHONPATH": str(HERE.parent)})
        out.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return out


def case_memory(fw, obs, sizes):
    """Peak traced memory of ce.uncertainty for growing n (same default chunk size)."""
    ws = DirichletWeights(fw)
    out = {}
    for n in sizes:
        out[str(n)] = peak_mb(lambda n=n: ce.uncertainty(obs, fw, weights=ws, n=n, seed=0, normalisation="minmax",
                                                       nodes=["overall"], sensitivity=False))
    return out


def case_dashboard(n_units, repeat=15):
    fw = ce.load_framework("cooperation_territoriale")
    rng = np.random.default_rng(3)
    ind = fw.indicators
    lo, hi = ind["lower"].to_numpy(), ind["upper"].to_numpy()
    x = rng.uniform(lo, hi, (n_units, len(ind)))
    obs = pd.DataFrame({"unit": np.repeat([f"coop{i:03d}" for i in range(n_units)], len(ind)), "wave": 2024,
                        "indicator": np.tile(ind["indicator"].to_numpy(), n_units), "value": x.ravel()})
    ce.score(obs, fw)  # not timed: the first call compiles and caches the framework's plan (once per session)
    times, cpu = [], []
    for k in range(repeat):
        weights = {"social": 1 + k % 3, "emploi": 1, "ecologie": 2, "territoire": 1, "gouvernance": 1,
                   "economie": 1, "externalites": 1}
        t, c = time.perf_counter(), time.process_time()
        ce.score(obs, fw, weights=weights)
        times.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
    return {"median_ms": 1000 * statistics.median(times), "min_ms": 1000 * min(times),
            "cpu_median_ms": 1000 * statistics.median(cpu), "cpu_min_ms": 1000 * min(cpu)}


BOUND = "numpy lower bound (chunked matmul + packed-key sort + exact rank counts)"
GIVEN = "coopeval ce.uncertainty, prepared matrix, weights drawn beforehand (as the bound)"


def case_sensitivity_asem(base_samples: int) -> dict:
    """Sobol shares on COINr's ASEM example (51 countries x 49 indicators; tests/reference):
    Dirichlet weights of every sibling group, two normalisations, ``n=100`` Monte Carlo samples and
    ``sensitivity_n`` base samples (the design scores (k + 2) x sensitivity_n matrices)."""
    from coopeval.scoring.coinr import from_coinr

    ref = HERE.parent / "tests" / "reference" / "scoring" / "coinr_asem"
    fw, obs = from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))
    ws = DirichletWeights(fw)
    t = time.perf_counter()
    mc = ce.uncertainty(obs, fw, weights=ws, n=100, seed=0, sensitivity_n=base_samples,
                        normalisations=["minmax", "rank"])
    return {"seconds": time.perf_counter() - t, "base_samples": base_samples, "inputs": int(mc.sensitivity["input"].nunique()),
            "units": int(obs["unit"].nunique()), "indicators": len(fw)}


def case_scaling(quick: bool) -> dict:
    """Monte Carlo scaling in units (1,000 samples) and in samples (1,000 units), one process per point."""
    from scale import run_point

    units = (500, 2000) if quick else (1000, 10_000, 100_000)
    samples = (200, 1000) if quick else (1000, 10_000, 100_000)
    return {"units": [run_point(u, samples[0] if quick else 1000) for u in units],
            "samples": [run_point(units[0], n) for n in samples],
            "units_dimensions": [run_point(u, samples[0] if quick else 1000, "dimensions") for u in units[:2]]}


def case_coinr(quick: bool) -> dict:
    """COINr side by side (``coinr.py``: rounds and pairs, its own ``coinr_results.json``), summarised:
    the UA N = 100 pairings and each side's best round; skipped with the reason where R or COINr is
    missing, and in a quick run (COINr alone takes about a minute)."""
    if quick:
        return {"skipped": "--quick"}
    import coinr

    res = coinr.main(echo=False)
    if "skipped" in res:
        return res
    return {"ua_100_pairs": res["ua_100_pairs"], "per_sample_ratio_prepared": res["per_sample_ratio_prepared"],
            "per_sample_ratio": res["per_sample_ratio"], "nominal_equal": res["agreement"]["nominal_equal"],
            "coinr_version": res["coinr"].get("version")}


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="tiny sizes (smoke test)")
    parser.add_argument("--only", nargs="*", default=None,
                        help="cases to run among core, scaling, sensitivity, store, coinr (default: all)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    only = set(args.only or ["core", "scaling", "sensitivity", "store", "coinr"])
    n_units, n_samples, n_loop = (50, 200, 20) if args.quick else (1000, 10_000, 200)
    fw = make_framework()
    obs = make_obs(fw, n_units)
    res = {
        "machine": {"python": platform.python_version(), "numpy": np.__version__, "processor": platform.machine(),
                    "cpus": os.cpu_count(), "load_average_before": os.getloadavg(), "quick": args.quick},
        "sizes": {"units": n_units, "indicators": len(fw), "samples": n_samples, "loop_samples": n_loop},
    }
    if "core" in only:
        res["scoring"] = case_scoring(fw, obs, 3)
        res["monte_carlo"] = case_monte_carlo(fw, obs, n_samples, n_loop)
        res["dashboard"] = case_dashboard(100)
        res["memory_mb_by_n"] = case_memory(fw, obs, (n_samples // 5, n_samples * 4))
        res["first_use"] = case_first_use(1 if args.quick else 3)
        mc = res["monte_carlo"]
        ours = mc["coopeval ce.uncertainty"]["seconds"]
        res["ratios"] = {
            "loop_over_coopeval": mc["scikit-criteria loop (extrapolated)"]["seconds"] / ours,
            "coopeval_over_numpy_bound": ours / mc[BOUND]["seconds"],
            "coopeval_over_numpy_bound_cpu": mc["coopeval ce.uncertainty"]["cpu_seconds"] / mc[BOUND]["cpu_seconds"],
            "given_over_numpy_bound": mc[GIVEN]["seconds"] / mc[BOUND]["seconds"],
            "given_over_numpy_bound_cpu": mc[GIVEN]["cpu_seconds"] / mc[BOUND]["cpu_seconds"],
        }
    if "sensitivity" in only:
        res["sensitivity_asem"] = case_sensitivity_asem(500 if args.quick else 10_000)
    if "scaling" in only:
        res["scaling"] = case_scaling(args.quick)
    if "store" in only:
        import store

        res["store"] = store.run(10, 2000) if args.quick else store.run()
        res["store_scaling"] = store.scaling(((2, 200), (5, 500)) if args.quick else store.SCALING)
    if "coinr" in only:
        res["coinr"] = case_coinr(args.quick)
    res["machine"]["load_average_after"] = os.getloadavg()
    print(report(res))
    if not args.quick:
        path = HERE / "results.json"
        old = json.loads(path.read_text()) if path.exists() else {}
        path.write_text(json.dumps({**old, **res}, indent=2))
    return res


def report(res: dict) -> str:
    lines = [f"Sizes: {res['sizes']}; load average before/after: {res['machine']['load_average_before']} / "
             f"{res['machine']['load_average_after']}"]
    if "scoring" in res:
        lines += ["", "| case | contender | seconds | peak MB |", "|---|---|---|---|"]
        for case in ("scoring", "monte_carlo"):
            for name, r in res[case].items():
                if name.startswith("_"):
                    continue
                peak = f"{r['peak_mb']:.1f}" if "peak_mb" in r else "—"
                lines.append(f"| {case} | {name} | {r['seconds']:.4f} | {peak} |")
        lines += ["", f"Rankings of coopeval, scikit-criteria and pymcdm agree: {res['scoring']['_rankings_agree']}",
                  f"Loop / coopeval: {res['ratios']['loop_over_coopeval']:.0f}x; "
                  f"coopeval / numpy bound: {res['ratios']['coopeval_over_numpy_bound']:.2f}x (CPU time: "
                  f"{res['ratios']['coopeval_over_numpy_bound_cpu']:.2f}x); with the data prepared and the "
                  f"weights drawn beforehand, as the bound: {res['ratios']['given_over_numpy_bound']:.2f}x (CPU time: "
                  f"{res['ratios']['given_over_numpy_bound_cpu']:.2f}x)",
                  f"Dashboard update (100 cooperations, default framework): median "
                  f"{res['dashboard']['median_ms']:.1f} ms (CPU time: median "
                  f"{res['dashboard']['cpu_median_ms']:.1f} ms, best {res['dashboard']['cpu_min_ms']:.1f} ms)",
                  f"Peak MB of ce.uncertainty by number of samples: {res['memory_mb_by_n']}"]
        for r in res.get("first_use", []):
            lines.append(f"Fresh process: import coopeval {r['import']:.2f} s, Evaluation.sample() {r['sample']:.2f} s, "
                         f"first what_if {r['what_if']:.2f} s (CPU {r['what_if_cpu']:.2f} s); scipy.stats imported: "
                         f"{r['scipy_stats_imported']}")
    if "sensitivity_asem" in res:
        r = res["sensitivity_asem"]
        lines += ["", f"Sobol on ASEM ({r['units']} units, {r['indicators']} indicators, {r['inputs']} inputs, "
                      f"{r['base_samples']} base samples): {r['seconds']:.2f} s"]
    if "scaling" in res:
        lines += ["", "| nodes ranked | units | samples | seconds | peak RSS MB | RSS before MB | rank width |",
                  "|---|---|---|---|---|---|---|"]
        for key in ("units", "samples", "units_dimensions"):
            for r in res["scaling"][key]:
                lines.append(f"| {r['nodes']} | {r['units']:,} | {r['samples']:,} | {r['seconds']:.2f} | "
                             f"{r['peak_rss_mb']:.0f} | {r['rss_before_mb']:.0f} | {r['rank_width']} |")
    if "store" in res:
        st = res["store"]
        cpu = st.get("cpu_seconds", {})
        lines += ["", f"Store: {st['sizes']}", "| step | seconds | CPU seconds |", "|---|---|---|"]
        lines += [f"| {k} | {v:.2f} | {cpu[k]:.2f} |" if k in cpu else f"| {k} | {v:.2f} | — |"
                  for k, v in st["seconds"].items()]
        lines += [f"| {k} (ms, median of 9) | {v:.1f} |" for k, v in st["ms"].items()]
        if "import_over_bound" in st:
            lines.append(f"Import of the responses / SQLite's own insert of the same rows: {st['import_over_bound']:.2f}x")
        lines.append(f"Imported copy verifies the stored score: {st['verified']}")
    if "store_scaling" in res:
        import store

        rows = res["store_scaling"]
        steps = store.SCALING_STEPS
        lines += ["", "Store scaling (seconds; one run per size)",
                  "| answer rows | cooperations | " + " | ".join(steps) + " | import / bound |",
                  "|---|---|" + "---|" * (len(steps) + 1)]
        lines += [f"| {r['response_rows']:,} | {r['units']} | " + " | ".join(f"{r[k]:.2f}" for k in steps)
                  + f" | {r['import_over_bound']:.2f}x |" for r in rows]
        lines.append("Growth exponent, smallest to largest (1 = linear in the rows): "
                     + ", ".join(f"{k} {store.growth(rows, k):.2f}" for k in steps))
    if "coinr" in res:
        lines += ["", _coinr_line(res["coinr"])]
    return "\n".join(lines)


def _coinr_line(c: dict) -> str:
    """One paragraph on COINr side by side (issue 21, target 4: at least 1,000x per sample at UA N = 100)."""
    if "skipped" in c:
        return f"COINr side by side: skipped ({c['skipped']})"
    p, best = c["ua_100_pairs"], c["per_sample_ratio_prepared"]
    return (f"COINr {c['coinr_version']} side by side, per sample, from a prepared matrix: UA N = 100 median "
            f"{p['median_prepared']:,.0f}x over {p['n']} pairings ({p['min_prepared']:,.0f}-{p['max_prepared']:,.0f}x, "
            f"{p['at_least_1000_prepared']} at 1,000x or more); best rounds UA N = 1,000 {best['ua_1000']:,.0f}x, "
            f"SA N = 100 {best['sa_100']:,.0f}x; from the long table UA N = 100 median {p['median']:,.0f}x; "
            f"nominal scores equal: {c['nominal_equal']}")


if __name__ == "__main__":
    main()
