"""Serve the Voilà dashboards and drive them with headless Chromium, as a person would.

The server runs on a free loopback port with ``COOPEVAL_PROJECT`` pointing to a sample
project made for the test session; Playwright drives Debian's Chromium
(``/usr/bin/chromium``, never a downloaded browser). Screenshots are written to
``tests/_artifacts/`` to be looked at.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "_artifacts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_http(url: str, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"voila exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - loopback only
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"voila did not answer on {url} within {timeout} s")


#: The facilitator secret of the sample project, set before its links are issued.
SAMPLE_SECRET = "code-animation-exemple"


@pytest.fixture(scope="session")
def sample_secret() -> str:
    """The facilitator secret of :func:`sample_project` (what ``coopeval serve`` prints once)."""
    return SAMPLE_SECRET


@pytest.fixture(scope="session")
def sample_project(tmp_path_factory):
    """A sample project (SQLite) built from the bundled datasets as ``coopeval serve`` and
    ``coopeval init --sample`` build it: the facilitator secret (:data:`SAMPLE_SECRET`) is set
    before the sample issues its links, so the facilitator page lists them as a user sees them
    (without it every link would read « illisible »)."""
    store = pytest.importorskip("coopeval.store")
    path = tmp_path_factory.mktemp("projet") / "projet_exemple.sqlite"
    store.sample_project(path, facilitator_secret=SAMPLE_SECRET).close()
    return path


@contextlib.contextmanager
def serve_dashboards(project: Path, name: str, *, host: str = "127.0.0.1", cull_idle: int = 300):
    """Serve ``dashboards/`` with Voilà as ``coopeval serve`` does (:mod:`coopeval.server`: the
    coopeval template, idle kernels culled) on a free port for ``project``; yields the loopback
    base URL (also given to the dashboards as ``COOPEVAL_PUBLIC_URL``). ``host="0.0.0.0"`` binds
    every interface, but the tests still send traffic to 127.0.0.1 only. The server's output goes
    to ``tests/_voila_<name>.log``; the server is stopped on exit."""
    from coopeval.server import voila_command, voila_env

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = voila_env(dict(os.environ, MPLBACKEND="Agg"), project=str(project), public=base)
    log = open(ROOT / "tests" / f"_voila_{name}.log", "w")  # noqa: SIM115
    proc = subprocess.Popen(
        voila_command(ROOT / "dashboards", host=host, port=port, cull_idle=cull_idle, python=sys.executable),
        cwd=ROOT / "dashboards", env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    try:
        _wait_http(base + "/", proc)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


@pytest.fixture(scope="session")
def voila_factory():
    """``voila_factory(project, name)``: a context manager serving the dashboards on ``project``."""
    return serve_dashboards


@pytest.fixture(scope="session")
def voila_server(sample_project):
    """Base URL of a Voilà server serving ``dashboards/`` on the sample project."""
    with serve_dashboards(sample_project, "restitution") as base:
        yield base


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed (tests/run_tests.sh installs it as root)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture()
def screenshot_dir():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


@pytest.fixture(scope="session")
def a11y():
    """The accessibility checks of ``tests/support/a11y.py`` (axe-core run in Chromium)."""
    spec = importlib.util.spec_from_file_location("a11y", Path(__file__).parents[1] / "support" / "a11y.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod
