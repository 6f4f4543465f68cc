"""Benchmark: 1,000 judgement submissions from 32 concurrent clients, on SQLite and PostgreSQL.

Run from the repository root::

    .venv/bin/python benchmarks/concurrency.py                      # SQLite (a temporary file)
    .venv/bin/python benchmarks/concurrency.py --pg URL             # and PostgreSQL (an empty database)
    .venv/bin/python benchmarks/concurrency.py --submissions 200    # smaller run

Each client is a separate process (as participants' browser sessions are served by separate
kernels) that opens the project with the ``participant`` role and submits its share of the
1,000 sets (a ``points`` allocation over the seven dimensions) one after another, all clients
starting together after a barrier. The latency of a submission is the wall time of one
``Project.submit`` call (checks, token lookup, write transaction, retries included);
throughput is the number of submissions divided by the time from the first start to the last
end. Afterwards the store is checked: every set stored exactly once, as sent.

Prints a Markdown table (paste it into ``benchmarks/README.md``) and writes
``benchmarks/concurrency_results.json``. Targets (issue 16): >= 200 submissions/s and p99
latency < 1 s on each database.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import os
import platform
import sys
import tempfile
import time
import uuid
from pathlib import Path

import numpy as np
import pandas as pd
import sqlalchemy as sa

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import coopeval as ce  # noqa: E402

HERE = Path(__file__).resolve().parent
DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


def points(i: int) -> pd.DataFrame:
    first = float(i % 41)
    rest = [(100 - first) / 6] * 6
    return pd.DataFrame({"node": DIMS, "value": [first, *rest]})


def setup(location: str, n: int) -> list[str]:
    p = ce.Project.create(location, framework="cooperation_territoriale")
    p.create_session("bench")
    roster = pd.DataFrame({"participant": [f"p{i:05d}" for i in range(n)],
                           "college": [("habitants", "salaries", "benevoles", "elus")[i % 4] for i in range(n)]})
    tokens = p.add_participants("bench", roster)["token"].tolist()
    p.open_round("bench", 1, methods="points")
    p.close()
    return tokens


def client(location: str, jobs: list[tuple[int, str]], barrier, out) -> None:  # noqa: ANN001
    try:
        p = ce.Project.open(location, role="participant")
        p.framework(p.framework().hash)  # warm the framework cache, as a served page would
        sets = [(i, tok, points(i)) for i, tok in jobs]
        barrier.wait(timeout=300)
        times = []
        for _i, tok, js in sets:
            t0 = time.perf_counter()
            p.submit(tok, js)
            times.append((t0, time.perf_counter()))
        p.close()
        out.put(("ok", times))
    except Exception as err:  # noqa: BLE001 - reported by the parent
        out.put(("error", f"{type(err).__name__}: {err}"))


def bound_client(location: str, jobs: list[tuple[int, str]], barrier, out) -> None:  # noqa: ANN001
    """The same rows written with the bare driver, one transaction per set (no checks, no token,
    no audit): a lower bound on what the database itself costs, measured in the same run."""
    try:
        engine = sa.create_engine(location if "://" in location else f"sqlite:///{location}",
                                  connect_args={"timeout": 60} if "://" not in location else {})
        raw = engine.raw_connection()
        if "://" not in location:
            raw.isolation_level = None
        cur = raw.cursor()
        mark = "?" if "://" not in location else "%s"
        rows = [[(f"b{i:05d}", d, float(v)) for d, v in zip(DIMS, points(i)["value"], strict=True)] for i, _ in jobs]
        barrier.wait(timeout=300)
        times = []
        for one in rows:
            t0 = time.perf_counter()
            if "://" not in location:
                cur.execute("BEGIN IMMEDIATE")
            cur.executemany(f"INSERT INTO bench_bound (participant, node, value) VALUES ({mark}, {mark}, {mark})", one)
            raw.commit() if "://" in location else cur.execute("COMMIT")
            times.append((t0, time.perf_counter()))
        raw.close()
        engine.dispose()
        out.put(("ok", times))
    except Exception as err:  # noqa: BLE001 - reported by the parent
        out.put(("error", f"{type(err).__name__}: {err}"))


def _timed(target, location: str, jobs: list, clients: int) -> list[tuple[float, float]]:  # noqa: ANN001
    ctx = mp.get_context("fork")
    barrier, out = ctx.Barrier(clients), ctx.Queue()
    procs = [ctx.Process(target=target, args=(location, jobs[k], barrier, out)) for k in range(clients)]
    for proc in procs:
        proc.start()
    results = [out.get(timeout=900) for _ in procs]
    for proc in procs:
        proc.join(timeout=60)
    errors = [r[1] for r in results if r[0] == "error"]
    if errors:
        raise RuntimeError(f"{len(errors)} client(s) failed: {errors[:3]}")
    return [t for r in results for t in r[1]]


def _stats(spans: list[tuple[float, float]], n: int) -> dict:
    starts, ends = np.array([s for s, _ in spans]), np.array([e for _, e in spans])
    lat = ends - starts
    wall = float(ends.max() - starts.min())
    return {"wall_s": round(wall, 3), "throughput_per_s": round(n / wall, 1),
            "latency_ms": {q: round(float(np.percentile(lat, v)) * 1000, 1)
                           for q, v in (("p50", 50), ("p95", 95), ("p99", 99), ("max", 100))}}


def run(location: str, n: int, clients: int) -> dict:
    tokens = setup(location, n)
    jobs = [[(i, tokens[i]) for i in range(k, n, clients)] for k in range(clients)]
    out = _stats(_timed(client, location, jobs, clients), n)
    p = ce.Project.open(location)
    j = p.judgements("bench", 1)
    stored = j.pivot(index="participant", columns="node", values="value")[DIMS]
    sent = pd.DataFrame([points(i)["value"].tolist() for i in range(n)],
                        index=[f"p{i:05d}" for i in range(n)], columns=DIMS)
    exact = len(j) == n * len(DIMS) and stored.sort_index().equals(sent)
    with p.engine.begin() as conn:  # a scratch table for the bare-driver bound
        conn.exec_driver_sql("CREATE TABLE bench_bound (participant TEXT, node TEXT, value FLOAT)")
    p.close()
    bound = _stats(_timed(bound_client, location, jobs, clients), n)
    return {"submissions": n, "clients": clients, **out, "all_stored_once_as_sent": bool(exact),
            "bare_driver_bound": bound,
            "ratio_to_bound": round(bound["throughput_per_s"] / out["throughput_per_s"], 2)}


def pg_database(url: str) -> tuple[str, str]:
    """A fresh database on the server of ``url`` (dropped afterwards)."""
    name = f"coopeval_bench_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    admin.dispose()
    return sa.make_url(url).set(database=name).render_as_string(hide_password=False), name


def drop_pg(url: str, name: str) -> None:
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{name}'")
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}"')
    admin.dispose()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--submissions", type=int, default=1000)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--pg", metavar="URL", default=os.environ.get("COOPEVAL_TEST_PG_URL"),
                    help="PostgreSQL server URL (a database is created and dropped on it)")
    ap.add_argument("--no-write", action="store_true", help="do not write concurrency_results.json")
    args = ap.parse_args()
    os.environ.setdefault("XDG_CONFIG_HOME", tempfile.mkdtemp())  # PostgreSQL projects' key files
    rows = {}
    with tempfile.TemporaryDirectory() as tmp:
        rows["SQLite"] = run(str(Path(tmp) / "bench.coopeval"), args.submissions, args.clients)
    if args.pg:
        url, name = pg_database(args.pg)
        try:
            rows["PostgreSQL"] = run(url, args.submissions, args.clients)
        finally:
            drop_pg(args.pg, name)
    print(f"\n{args.submissions} submissions, {args.clients} client processes, "
          f"{os.cpu_count()} CPUs, Python {platform.python_version()}, load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}\n")
    print("| database | contender | submissions/s | p50 ms | p95 ms | p99 ms | max ms | all stored once, as sent |")
    print("|---|---|---|---|---|---|---|---|")
    for db, r in rows.items():
        for who, x in (("coopeval `Project.submit`", r), ("bare driver bound", r["bare_driver_bound"])):
            lat = x["latency_ms"]
            ok = ("yes" if r["all_stored_once_as_sent"] else "NO") if x is r else "—"
            print(f"| {db} | {who} | {x['throughput_per_s']} | {lat['p50']} | {lat['p95']} | {lat['p99']} "
                  f"| {lat['max']} | {ok} |")
        print(f"| {db} | bound / coopeval throughput | {r['ratio_to_bound']}× | | | | | |")
    if not args.no_write:
        (HERE / "concurrency_results.json").write_text(json.dumps(
            {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                         "loadavg_after": os.getloadavg()}, "results": rows}, indent=2) + "\n")


if __name__ == "__main__":
    main()
