"""Workshop load: N participant pages opened and submitted through Voilà in headless Chromium.

Run from the repository root (Debian's Chromium at /usr/bin/chromium, never a download)::

    .venv/bin/python benchmarks/workshop.py -n 20            # N phones at once
    .venv/bin/python benchmarks/workshop.py -n 5 --quick     # smoke run

The server is started as ``coopeval serve`` starts it (:mod:`coopeval.server`: one Voilà
process, one kernel per page, idle kernels of closed pages culled) on a free loopback port,
on a project with one open round (100 points) and N personal links. Every page is opened at
once (one browser context per "phone", 390 x 844) — ``--page light`` (default): the page the
personal links open, served without a kernel; ``--page kernel``: the Voilà notebook page
``participation.ipynb``, one kernel per phone; then each participant's points are filled
in and every submission is fired at once. Measured:

* **peak server memory**: resident set size (RSS) of the Voilà process and all its children
  (the kernels), sampled every 0.5 s with psutil (Chromium, which stands for the phones, is
  not counted);
* **time to interactive** of each page: from ``goto`` to the send button being in the page
  (p50, p95, max);
* **submit latency** of each page: from the click to the « Merci » confirmation (p50, p95,
  max), all submissions in flight together;
* **after closing**: the pages are closed and the server memory is sampled again once the
  culler has had time to run (``--cull-idle`` seconds + one interval), to show the kernels
  freed.

Writes ``benchmarks/workshop_results.json`` and prints a Markdown table.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import pandas as pd
import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
POINTS = [30, 10, 15, 10, 20, 10, 5]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class MemorySampler(threading.Thread):
    """RSS of a process and its descendants, sampled every ``every`` seconds."""

    def __init__(self, pid: int, every: float = 0.5):
        super().__init__(daemon=True)
        self.proc, self.every, self.samples = psutil.Process(pid), every, []
        self._stop = threading.Event()

    def rss(self) -> tuple[int, int]:
        total, kernels = 0, 0
        for p in [self.proc, *self.proc.children(recursive=True)]:
            try:
                total += p.memory_info().rss
                kernels += p is not self.proc
            except psutil.Error:
                continue
        return total, kernels

    def run(self) -> None:
        while not self._stop.wait(self.every):
            self.samples.append((time.monotonic(), *self.rss()))

    def stop(self) -> None:
        self._stop.set()


def _project(n: int, folder: Path) -> tuple[Path, list[str]]:
    from coopeval.store import Project

    path = folder / "atelier.sqlite"
    p = Project.create(path, framework="cooperation_territoriale")
    p.create_session("charge")
    roster = pd.DataFrame({"participant": [f"hab-{i:03d}" for i in range(n)], "college": "habitants"})
    tokens = p.add_participants("charge", roster)["token"].tolist()
    p.open_round("charge", 1, methods="points")
    p.close()
    return path, tokens


def _pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1] if len(values) > 1 else values[0]


async def _phone(browser, url: str, kids: list[str], t_open: dict, ready: asyncio.Event, submit: asyncio.Event,
                 lat: dict, key: str, timeout_ms: int) -> None:
    ctx = await browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                    locale="fr-FR")
    page = await ctx.new_page()
    page.set_default_timeout(timeout_ms)
    t0 = time.monotonic()
    await page.goto(url, wait_until="commit")
    await page.wait_for_selector("button.ce-submit")
    t_open[key] = time.monotonic() - t0
    for node, v in zip(kids, POINTS, strict=True):
        box = page.locator(f".ce-points-{node} input")
        await box.fill(str(v))
        await box.press("Tab")
    await page.wait_for_function("() => !document.querySelector('button.ce-submit').disabled")
    ready.set()
    await submit.wait()
    t1 = time.monotonic()
    await page.click("button.ce-submit", no_wait_after=True)
    await page.wait_for_selector(".ce-stored")
    lat[key] = time.monotonic() - t1
    await ctx.close()


async def _drive(base: str, page: str, tokens: list[str], kids: list[str], timeout_ms: int
                 ) -> tuple[dict, dict, float]:
    from playwright.async_api import async_playwright

    t_open: dict[str, float] = {}
    lat: dict[str, float] = {}
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        readies = [asyncio.Event() for _ in tokens]
        submit = asyncio.Event()
        tasks = [asyncio.create_task(_phone(browser, f"{base}/{page}?token={t}", kids,
                                            t_open, readies[i], submit, lat, t, timeout_ms))
                 for i, t in enumerate(tokens)]
        started = time.monotonic()
        waiting = asyncio.gather(*[r.wait() for r in readies])
        done, _ = await asyncio.wait([asyncio.ensure_future(waiting), *tasks], return_when=asyncio.FIRST_COMPLETED)
        if any(t in done and t.exception() for t in tasks):
            raise next(t.exception() for t in tasks if t in done and t.exception())
        await waiting
        all_open = time.monotonic() - started
        submit.set()
        await asyncio.gather(*tasks)
        await browser.close()
    return t_open, lat, all_open


def _http(base: str, tokens: list[str], kids: list[str]) -> tuple[dict, dict, float]:
    """Server-side timings without a browser: every form fetched at once (GET), then every answer
    posted at once (POST), one thread per phone — what the server answers, the phones' own
    rendering left out."""
    from concurrent.futures import ThreadPoolExecutor
    from urllib.parse import urlencode

    def get(t: str) -> float:
        t0 = time.monotonic()
        with urllib.request.urlopen(f"{base}/coopeval/participation?token={t}", timeout=600) as r:  # noqa: S310
            assert b"ce-submit" in r.read()
        return time.monotonic() - t0

    body = urlencode(dict(zip(kids, map(str, POINTS), strict=True))).encode()

    def post(t: str) -> float:
        t0 = time.monotonic()
        with urllib.request.urlopen(f"{base}/coopeval/participation?token={t}", data=body, timeout=600) as r:  # noqa: S310
            assert b"ce-stored" in r.read()
        return time.monotonic() - t0

    with ThreadPoolExecutor(len(tokens)) as pool:
        started = time.monotonic()
        opens = dict(zip(tokens, pool.map(get, tokens), strict=True))
        all_open = time.monotonic() - started
        lats = dict(zip(tokens, pool.map(post, tokens), strict=True))
    return opens, lats, all_open


def main(argv: list[str] | None = None) -> dict:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=20, help="participant pages at once")
    ap.add_argument("--cull-idle", type=int, default=60, help="seconds before a closed page's kernel is culled")
    ap.add_argument("--quick", action="store_true", help="smoke run: skip waiting for the culler")
    ap.add_argument("--http", action="store_true",
                    help="light page only: time the server with plain HTTP requests (no browser)")
    ap.add_argument("--page", choices=["light", "kernel"], default="light",
                    help="light: the participant page without a kernel (the links' page); kernel: the Voilà "
                         "notebook page participation.ipynb (one kernel per phone)")
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "workshop_results.json"))
    args = ap.parse_args(argv)
    from coopeval.framework import load_framework
    from coopeval.server import voila_command, voila_env

    kids = load_framework("cooperation_territoriale").children("overall")
    tmp = Path(tempfile.mkdtemp(prefix="coopeval_bench_"))
    project, tokens = _project(args.n, tmp)
    port = _port()
    base = f"http://127.0.0.1:{port}"
    env = voila_env(dict(os.environ, MPLBACKEND="Agg", PYTHONPATH=str(ROOT)), project=str(project), public=base)
    cmd = voila_command(ROOT / "dashboards", host="127.0.0.1", port=port, cull_idle=args.cull_idle,
                        cull_interval=10, python=sys.executable)
    log = open(tmp / "voila.log", "w")  # noqa: SIM115
    server = subprocess.Popen(cmd, cwd=ROOT / "dashboards", env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base + "/", timeout=2).close()  # noqa: S310 - loopback
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.5)
        sampler = MemorySampler(server.pid)
        idle_rss = sampler.rss()[0]
        sampler.start()
        page = "coopeval/participation" if args.page == "light" else "voila/render/participation.ipynb"
        if args.http:
            t_open, lat, all_open = _http(base, tokens, kids)
        else:
            t_open, lat, all_open = asyncio.run(_drive(base, page, tokens, kids, timeout_ms=900_000))
        peak = max(s[1] for s in sampler.samples)
        peak_kernels = max(s[2] for s in sampler.samples)
        after = None
        if not args.quick:
            time.sleep(args.cull_idle + 25)
            after = sampler.rss()
        sampler.stop()
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
    from coopeval.store import Project

    stored = int(Project.open(project).rounds("charge")["n_submissions"].iloc[0])
    opens, lats = list(t_open.values()), list(lat.values())
    gib = 1024 ** 3
    res = {
        "page": args.page + (" (HTTP, no browser)" if args.http else ""), "n_pages": args.n, "stored_submissions": stored,
        "server_rss_idle_gib": idle_rss / gib, "server_rss_peak_gib": peak / gib, "kernels_at_peak": peak_kernels,
        "per_page_mib": (peak - idle_rss) / max(peak_kernels, 1) / 1024 ** 2,
        "tti_p50_s": _pct(opens, 50), "tti_p95_s": _pct(opens, 95), "tti_max_s": max(opens),
        "all_open_s": all_open,
        "submit_p50_s": _pct(lats, 50), "submit_p95_s": _pct(lats, 95), "submit_max_s": max(lats),
        "after_close_rss_gib": None if after is None else after[0] / gib,
        "after_close_kernels": None if after is None else after[1],
        "cull_idle_s": args.cull_idle,
        "machine": {"cpus": os.cpu_count(), "ram_gib": psutil.virtual_memory().total / gib,
                    "python": platform.python_version()},
    }
    Path(args.out).write_text(json.dumps(res, indent=2) + "\n", encoding="utf-8")
    print("| page | N pages | stored | peak server RSS | per page | TTI p50 / p95 / max | submit p50 / p95 / max |"
          " after close |")
    print("|---|---|---|---|---|---|---|---|")
    after_txt = "—" if after is None else f"{res['after_close_rss_gib']:.2f} GiB, {res['after_close_kernels']} kernels"
    print(f"| {res['page']} | {args.n} | {stored} | {res['server_rss_peak_gib']:.2f} GiB ({peak_kernels} kernels) | "
          f"{res['per_page_mib']:.0f} MiB | {res['tti_p50_s']:.1f} / {res['tti_p95_s']:.1f} / {res['tti_max_s']:.1f} s | "
          f"{res['submit_p50_s']:.2f} / {res['submit_p95_s']:.2f} / {res['submit_max_s']:.2f} s | {after_txt} |")
    return res


if __name__ == "__main__":
    main()
