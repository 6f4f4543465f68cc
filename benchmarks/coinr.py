"""COINr and coopeval side by side on COINr's ASEM example, in the same run.

::

    python benchmarks/coinr.py              # prints JSON; writes benchmarks/coinr_results.json
    python benchmarks/coinr.py --rounds 5 --pairs 12   # rounds of every case (default 3), then
                                                       # pairs of UA N = 100 alone (default 8)

Runs only where R (``Rscript``) and the R package COINr are installed; otherwise prints
why it was skipped and exits 0 (Debian packages R but not COINr, which comes from CRAN or
its GitHub source; see benchmarks/README.md).

Same model on both sides (COINr's sensitivity vignette): ASEM raw data, min-max
normalisation to [1, 100], weights of levels 2 and 3 perturbed by a uniform factor in
[0.75, 1.25] (COINr ``get_noisy_weights``, noise factor 0.25; coopeval: the same draw in a
WeightSet-like sampler), aggregation drawn between the arithmetic and the geometric mean.
Cases: uncertainty analysis with N = 100 and N = 1,000 (index scores and rank
intervals), sensitivity analysis with N = 100 (COINr: ``SA_type = "SA"``, which costs
N x (inputs + 2) model runs; coopeval: ``sensitivity_n=100`` pick-freeze design).
Ratios are COINr's wall time over coopeval's at the same N, hence per sample (for the sensitivity
analysis, per base sample: coopeval's design also treats the three levels of weights as
separate inputs, so it scores more matrices per base sample than COINr's two inputs).
COINr runs once per case (seconds to a minute each); coopeval's time is the median of
``REPEAT`` runs after one untimed warm-up call (the warm-up is reported as ``first_call``),
once from the long observations and once from the same data prepared once by
``coopeval.prepare`` (``prepared_*``): COINr's ``get_sensitivity`` receives a coin already
built, checked, normalised and aggregated, which is what a prepared matrix is; the ratios are
given both ways (``per_sample_ratio`` and ``per_sample_ratio_prepared``).
CPU times (process user + system) are reported beside the wall clock, and the load average
before, between and after the two sides, since other work may share the machine.

The same run checks that both sides compute the same model: COINr's nominal index scores
must equal coopeval's (1e-9), and the 90 % rank intervals of UA N = 1,000 (COINr's
``RankStats`` Q5 and Q95, coopeval's ``rank_low`` and ``rank_high``) are compared; these come
from different random draws, so they agree only up to sampling error (rank medians of units
whose rank distribution has two modes, one per aggregation, move by several ranks between
seeds of the same program).
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
REPEAT = 15

R_SCRIPT = r"""
suppressMessages(library(COINr))
args <- commandArgs(trailingOnly = TRUE)
out_csv <- args[1]
coin <- new_coin(ASEM_iData, ASEM_iMeta, level_names = c("Indicator", "Pillar", "Sub-index", "Index"),
                 quietly = TRUE)
coin <- suppressMessages(Normalise(coin, dset = "Raw",
                                   global_specs = list(f_n = "n_minmax", f_n_para = list(l_u = c(1, 100)))))
coin <- suppressMessages(Aggregate(coin, dset = "Normalised"))
w <- coin$Meta$Weights$Original
specs <- function(n) {
  noise <- data.frame(Level = c(2, 3), NoiseFactor = c(0.25, 0.25))
  list(Weights = list(Address = "$Log$Aggregate$w", Type = "discrete",
                      Distribution = get_noisy_weights(w = w, noise_specs = noise, Nrep = n)),
       Aggregation = list(Address = "$Log$Aggregate$f_ag", Type = "discrete",
                          Distribution = c("a_amean", "a_gmean")))
}
res <- NULL
time_it <- function(n, type) {
  s <- specs(n)
  t <- system.time(r <- suppressMessages(get_sensitivity(coin, SA_specs = s, N = n, SA_type = type,
                                                         dset = "Aggregated", iCode = "Index", quietly = TRUE)))
  if (n == 1000) res <<- r
  unname(c(t["elapsed"], t["user.self"] + t["sys.self"]))
}
pipeline <- function() {  # from the raw tables to the index, as the Python side does (from_coinr + score)
  k <- new_coin(ASEM_iData, ASEM_iMeta, level_names = c("Indicator", "Pillar", "Sub-index", "Index"), quietly = TRUE)
  k <- suppressMessages(Normalise(k, dset = "Raw",
                                  global_specs = list(f_n = "n_minmax", f_n_para = list(l_u = c(1, 100)))))
  suppressMessages(Aggregate(k, dset = "Normalised"))
}
if (length(args) > 1 && args[2] == "ua_100") {  # one pair: uncertainty analysis with N = 100 alone
  set.seed(1)
  t <- time_it(100, "UA")
  cat(sprintf('{"ua_100": %f, "ua_100_cpu": %f}\n', t[1], t[2]))
  quit(save = "no")
}
invisible(pipeline())
pipe <- median(replicate(20, unname(system.time(pipeline())["elapsed"])))
set.seed(1)
times <- c(time_it(100, "UA"), time_it(1000, "UA"), time_it(100, "SA"))
agg <- merge(res$Nominal[, c("uCode", "Score")], res$RankStats[, c("uCode", "Q5", "Median", "Q95")], by = "uCode")
write.csv(agg, out_csv, row.names = FALSE)
cat(sprintf(paste0('{"version": "%s", "r_version": "%s", "ua_100": %f, "ua_100_cpu": %f, "ua_1000": %f, ',
                   '"ua_1000_cpu": %f, "sa_100": %f, "sa_100_cpu": %f, "pipeline": %f}\n'),
            packageVersion("COINr"), R.version.string, times[1], times[2], times[3], times[4], times[5], times[6],
            pipe))
"""


def coinr_available() -> str | None:
    """None when Rscript and COINr are there, else the reason."""
    if shutil.which("Rscript") is None:
        return "Rscript not found (install R, then COINr from CRAN)"
    probe = subprocess.run(["Rscript", "-e", "suppressMessages(library(COINr))"], capture_output=True, text=True)
    if probe.returncode != 0:
        return "R package COINr not installed (install.packages('COINr'))"
    return None


class NoisyWeights:
    """COINr's ``get_noisy_weights`` for coopeval: every weight of the perturbed levels times U(1 - f, 1 + f)."""

    def __init__(self, fw, factor: float = 0.25):
        self.local = fw.default_weights("local")
        self.perturbed = [n for n in self.local.index if fw.level(n) in ("dimension", "criterion")]
        self._cols = self.local.index.get_indexer(self.perturbed)
        self.factor = factor

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        w = np.tile(self.local.to_numpy(dtype=float), (n, 1))
        w[:, self._cols] *= rng.uniform(1 - self.factor, 1 + self.factor, (n, len(self._cols)))
        return pd.DataFrame(w, columns=self.local.index, copy=False)


def load_average() -> list[float]:
    """The 1, 5 and 15 minute load averages (Linux), or an empty list elsewhere."""
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def _asem():
    from coopeval.scoring.coinr import from_coinr

    ref = HERE.parent / "tests" / "reference" / "scoring" / "coinr_asem"
    return from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))


def coopeval_times(repeat: int = REPEAT, only: tuple[str, ...] | None = None) -> tuple[dict, pd.DataFrame | None]:
    """Median wall time of ``repeat`` runs per case (after one untimed warm-up call, whose
    time is reported as ``first_call``), and the summary of the N = 1,000 run.

    Each case is timed twice, the runs interleaved: from the long observations (``ua_100``…:
    every call checks, pivots and normalises them) and from the same data prepared once
    (``prepared_ua_100``…: :func:`coopeval.prepare`, the counterpart of the COINr "coin" that
    ``get_sensitivity`` receives already built, checked, normalised and aggregated). The
    preparation itself is timed as ``prepare``. Both give the same tables (checked here)."""
    import coopeval as ce

    fw, obs = _asem()
    kw = dict(weights=NoisyWeights(fw), normalisation="minmax", output_range=(1, 100), min_coverage=0,
              aggregations=["arithmetic", "geometric"], nodes=["overall"], seed=0)
    cases = {"ua_100": dict(n=100, sensitivity=False), "ua_1000": dict(n=1000, sensitivity=False),
             "sa_100": dict(n=2, sensitivity_n=100)}
    cases = {k: v for k, v in cases.items() if only is None or k in only}
    summary = None
    t = time.perf_counter()
    ce.uncertainty(obs, fw, **cases["ua_100"], **kw)
    out: dict = {"first_call": time.perf_counter() - t, "repeat": repeat}
    t = time.perf_counter()
    dm = ce.prepare(obs, fw)
    out["prepare"] = time.perf_counter() - t
    for name, case in cases.items():
        times: dict[str, tuple[list, list]] = {name: ([], []), f"prepared_{name}": ([], [])}
        for _ in range(repeat):
            for key, data in ((name, obs), (f"prepared_{name}", dm)):
                t, c = time.perf_counter(), time.process_time()
                mc = ce.uncertainty(data, fw, **case, **kw)
                times[key][0].append(time.perf_counter() - t)
                times[key][1].append(time.process_time() - c)
                if key == name:
                    first = mc
                else:
                    pd.testing.assert_frame_equal(mc.summary, first.summary, check_exact=True)
        if name == "ua_1000":
            summary = mc.summary
        if name == "sa_100":
            out["sa_inputs"] = int(mc.sensitivity["input"].nunique())
        for key, (runs, cpu) in times.items():
            out[key] = float(np.median(runs))
            out[f"{key}_cpu"] = float(np.median(cpu))
            out[f"{key}_runs"] = runs
    return out, summary


def coopeval_pipeline(repeat: int = 20) -> float:
    """Median wall time from the raw COINr tables to the index, as COINr's ``new_coin`` +
    ``Normalise`` + ``Aggregate``: :func:`coopeval.from_coinr` + :func:`coopeval.score` (min-max to
    [1, 100]); the tables are read from CSV once, before timing (R has them in memory)."""
    import coopeval as ce
    from coopeval.scoring.coinr import from_coinr

    ref = HERE.parent / "tests" / "reference" / "scoring" / "coinr_asem"
    idata, imeta = pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv")

    def run() -> pd.DataFrame:
        fw, obs = from_coinr(idata, imeta)
        return ce.score(obs, fw, normalisation="minmax", output_range=(1, 100), min_coverage=0)

    run()
    runs = []
    for _ in range(repeat):
        t = time.perf_counter()
        run()
        runs.append(time.perf_counter() - t)
    return float(np.median(runs))


def agreement(coinr: pd.DataFrame, summary: pd.DataFrame) -> dict:
    """Nominal index scores (same model, must be equal) and 90 % rank intervals at N = 1,000
    (different random draws on each side: close, not equal) of COINr and coopeval."""
    ours = summary.set_index("unit")
    theirs = coinr.set_index("uCode").loc[ours.index]
    d_score = (ours["score"] - theirs["Score"]).abs()
    d_low = (ours["rank_low"] - theirs["Q5"]).abs()
    d_high = (ours["rank_high"] - theirs["Q95"]).abs()
    d_med = (ours["rank_median"] - theirs["Median"]).abs()
    return {"units": len(ours), "nominal_max_abs_diff": float(d_score.max()),
            "nominal_equal": bool(np.allclose(ours["score"], theirs["Score"], rtol=1e-9, atol=1e-9)),
            "rank_q5_max_abs_diff": float(d_low.max()), "rank_q95_max_abs_diff": float(d_high.max()),
            "rank_median_max_abs_diff": float(d_med.max()),
            "rank_bounds_within_1": float(((d_low <= 1) & (d_high <= 1)).mean()),
            "rank_bounds_within_2": float(((d_low <= 2) & (d_high <= 2)).mean())}


CASES = ("ua_100", "ua_1000", "sa_100")


def _ratios(coinr: dict, ours: dict) -> dict:
    """COINr's time over coopeval's, per case: from the long table, prepared, and in CPU time."""
    return {"per_sample_ratio": {k: coinr[k] / ours[k] for k in CASES},
            "per_sample_ratio_prepared": {k: coinr[k] / ours[f"prepared_{k}"] for k in CASES},
            "pipeline_ratio": coinr["pipeline"] / ours["pipeline"],
            "per_sample_ratio_cpu": {k: coinr[f"{k}_cpu"] / ours[f"{k}_cpu"] for k in CASES},
            "per_sample_ratio_prepared_cpu": {k: coinr[f"{k}_cpu"] / ours[f"prepared_{k}_cpu"] for k in CASES}}


def _best(runs: list[dict]) -> dict:
    """Every number's smallest value over the rounds (the lists of single runs left out)."""
    keys = [k for k, v in runs[0].items() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    out = {k: min(r[k] for r in runs) for k in keys}
    out.update({k: v for k, v in runs[0].items() if isinstance(v, str)})
    return out


def main(rounds: int = 3, pairs: int = 8, echo: bool = True) -> dict:
    """``rounds`` rounds, each COINr (one run per case) then coopeval (medians of ``REPEAT`` runs), then
    ``pairs`` pairs of the target case alone (UA N = 100: one COINr run, then coopeval's).

    This machine's speed changes from one minute to the next (a shared host): one round can time
    the two sides at different speeds. Rounds and pairs interleave them. Every round's and pair's
    own ratios are kept (``rounds``, ``pairs``); the headline ratios are each side's best round
    (its time on the quietest machine it met), and for UA N = 100 the median ratio of the pairs
    (``ua_100_pairs``: each COINr run beside the coopeval runs that follow it). ``echo=False``:
    nothing printed (``run.py`` reports a summary)."""
    reason = coinr_available()
    if reason is not None:
        res = {"skipped": reason}
        if echo:
            print(json.dumps(res))
        return res
    per_round, per_pair = [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(rounds):
            csv = Path(tmp) / f"coinr_ua_1000_{i}.csv"
            load_before = load_average()
            r = subprocess.run(["Rscript", "-e", R_SCRIPT, str(csv)], capture_output=True, text=True, check=True)
            coinr = json.loads(r.stdout.strip().splitlines()[-1])
            load_between = load_average()
            ours, summary = coopeval_times()
            ours["pipeline"] = coopeval_pipeline()
            per_round.append({"load_average": {"before": load_before, "between": load_between,
                                               "after": load_average()},
                              "coinr": coinr, "coopeval": ours, **_ratios(coinr, ours)})
            if i == 0:
                coinr_ranks, first_summary = pd.read_csv(csv), summary
        for _ in range(pairs):
            r = subprocess.run(["Rscript", "-e", R_SCRIPT, str(Path(tmp) / "unused.csv"), "ua_100"],
                               capture_output=True, text=True, check=True)
            coinr = json.loads(r.stdout.strip().splitlines()[-1])
            ours, _ = coopeval_times(only=("ua_100",))
            per_pair.append({"load_average": load_average(), "coinr": coinr,
                             "coopeval": {k: v for k, v in ours.items() if not k.endswith("_runs")},
                             "ratio": coinr["ua_100"] / ours["ua_100"],
                             "ratio_prepared": coinr["ua_100"] / ours["prepared_ua_100"]})
    coinr_best, ours_best = _best([r["coinr"] for r in per_round]), _best([r["coopeval"] for r in per_round])
    res = {"rounds": per_round, "pairs": per_pair, "coinr": coinr_best, "coopeval": ours_best,
           **_ratios(coinr_best, ours_best), "ua_100_pairs": _pair_summary(per_round, per_pair),
           "agreement": agreement(coinr_ranks, first_summary)}
    if echo:
        print(json.dumps(res, indent=2))
    (HERE / "coinr_results.json").write_text(json.dumps(res, indent=2) + "\n")
    if not res["agreement"]["nominal_equal"]:
        sys.exit("COINr's and coopeval's nominal index scores differ: not the same model")
    return res


def _pair_summary(per_round: list[dict], per_pair: list[dict]) -> dict:
    """UA N = 100 ratios of every round and pair (each COINr run beside the coopeval runs after it):
    median, smallest and largest, from the long table and prepared."""
    both = [(r["per_sample_ratio"]["ua_100"], r["per_sample_ratio_prepared"]["ua_100"]) for r in per_round]
    both += [(p["ratio"], p["ratio_prepared"]) for p in per_pair]
    if not both:
        return {}
    obs, prep = np.array([b[0] for b in both]), np.array([b[1] for b in both])
    return {"n": len(both), "median": float(np.median(obs)), "min": float(obs.min()), "max": float(obs.max()),
            "median_prepared": float(np.median(prep)), "min_prepared": float(prep.min()),
            "max_prepared": float(prep.max()),
            "at_least_1000_prepared": int((prep >= 1000).sum())}


if __name__ == "__main__":
    def _opt(name: str, default: int) -> int:
        return int(sys.argv[sys.argv.index(name) + 1]) if name in sys.argv else default

    main(_opt("--rounds", 3), _opt("--pairs", 8))
