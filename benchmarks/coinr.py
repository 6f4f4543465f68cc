"""COINr and coopeval side by side on COINr's ASEM example, in the same run.

::

    python benchmarks/coinr.py          # prints JSON; writes benchmarks/coinr_results.json

Runs only where R (``Rscript``) and the R package COINr are installed; otherwise prints
why it was skipped and exits 0 (this is the case on the project's CI machine: Debian offers
R but not COINr, which comes from CRAN).

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
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

R_SCRIPT = r"""
suppressMessages(library(COINr))
coin <- new_coin(ASEM_iData, ASEM_iMeta, level_names = c("Indicator", "Pillar", "Sub-index", "Index"),
                 quietly = TRUE)
coin <- Normalise(coin, dset = "Raw", global_specs = list(f_n = "n_minmax", f_n_para = list(l_u = c(1, 100))))
coin <- Aggregate(coin, dset = "Normalised")
w <- coin$Meta$Weights$Original
specs <- function(n) {
  noise <- data.frame(Level = c(2, 3), NoiseFactor = c(0.25, 0.25))
  list(Weights = list(Address = "$Log$Aggregate$w", Type = "discrete",
                      Distribution = get_noisy_weights(w = w, noise_specs = noise, Nrep = n)),
       Aggregation = list(Address = "$Log$Aggregate$f_ag", Type = "discrete",
                          Distribution = c("a_amean", "a_gmean")))
}
time_it <- function(n, type) {
  s <- specs(n)
  t <- system.time(suppressMessages(get_sensitivity(coin, SA_specs = s, N = n, SA_type = type,
                                                    dset = "Aggregated", iCode = "Index", quietly = TRUE)))
  unname(t["elapsed"])
}
cat(sprintf('{"version": "%s", "ua_100": %f, "ua_1000": %f, "sa_100": %f}\n', packageVersion("COINr"),
            time_it(100, "UA"), time_it(1000, "UA"), time_it(100, "SA")))
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
        self.factor = factor

    def sample(self, n: int, rng: np.random.Generator) -> pd.DataFrame:
        out = pd.DataFrame(np.tile(self.local.to_numpy(), (n, 1)), columns=self.local.index)
        u = rng.uniform(1 - self.factor, 1 + self.factor, (n, len(self.perturbed)))
        out[self.perturbed] = out[self.perturbed].to_numpy() * u
        return out


def coopeval_times() -> dict:
    import coopeval as ce
    from coopeval.scoring.coinr import from_coinr

    ref = HERE.parent / "tests" / "reference" / "scoring" / "coinr_asem"
    fw, obs = from_coinr(pd.read_csv(ref / "asem_idata.csv"), pd.read_csv(ref / "asem_imeta.csv"))
    kw = dict(weights=NoisyWeights(fw), normalisation="minmax", output_range=(1, 100),
              aggregations=["arithmetic", "geometric"], nodes=["overall"], seed=0)
    out = {}
    for n in (100, 1000):
        t = time.perf_counter()
        ce.uncertainty(obs, fw, n=n, sensitivity=False, **kw)
        out[f"ua_{n}"] = time.perf_counter() - t
    t = time.perf_counter()
    mc = ce.uncertainty(obs, fw, n=2, sensitivity_n=100, **kw)
    out["sa_100"] = time.perf_counter() - t
    out["sa_inputs"] = int(mc.sensitivity["input"].nunique())
    return out


def main() -> dict:
    reason = coinr_available()
    if reason is not None:
        res = {"skipped": reason}
        print(json.dumps(res))
        return res
    r = subprocess.run(["Rscript", "-e", R_SCRIPT], capture_output=True, text=True, check=True)
    coinr = json.loads(r.stdout.strip().splitlines()[-1])
    ours = coopeval_times()
    res = {"coinr": coinr, "coopeval": ours,
           "per_sample_ratio": {k: coinr[k] / ours[k] for k in ("ua_100", "ua_1000", "sa_100")}}
    print(json.dumps(res, indent=2))
    (HERE / "coinr_results.json").write_text(json.dumps(res, indent=2))
    return res


if __name__ == "__main__":
    main()
