"""The sources benchmark script runs (tiny sizes); its numbers live in benchmarks/README.md."""

from __future__ import annotations

import importlib.util
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "benchmarks" / "sources.py"


def test_sources_benchmark_quick_run():
    spec = importlib.util.spec_from_file_location("bench_sources", BENCH)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    res = mod.main(["--quick"])
    assert set(res["cases"]) == set(mod.CASES)
    assert all(c["seconds"] > 0 and c["ratio_to_bound"] > 0 for c in res["cases"].values())
