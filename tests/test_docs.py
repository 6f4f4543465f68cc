"""The documentation site: its guide examples run, and `make docs` builds it without warnings.

The Python examples of the user guide (``docs/guide/*.md``, ``docs/en/*.md``) and of the API
overview (``docs/api/overview.md``, the tour that used to be in the README) run as written, page by page in one namespace, in a temporary folder — like the README's.
The site build (Sphinx, ``-W``: any warning fails) is marked ``docs`` and ``slow``; it renders
the notebooks without executing them (their execution is ``tests/notebooks``'s job).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import matplotlib
import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
PAGES = sorted([*DOCS.glob("guide/*.md"), *DOCS.glob("en/*.md"), DOCS / "api" / "overview.md"])
WITH_CODE = [p for p in PAGES if "```python" in p.read_text(encoding="utf-8")]


def python_blocks(path: Path) -> list[str]:
    return re.findall(r"```python\n(.*?)```", path.read_text(encoding="utf-8"), flags=re.S)


def test_guide_pages_exist_in_french_and_english():
    fr = {p.stem for p in DOCS.glob("guide/*.md")}
    assert {"mener-une-evaluation", "animer-un-atelier", "restituer", "valoriser",
            "ecrire-sa-these"} <= fr
    assert len(list(DOCS.glob("en/*.md"))) >= 2


@pytest.mark.parametrize("page", WITH_CODE, ids=[f"{p.parent.name}/{p.stem}" for p in WITH_CODE])
def test_guide_examples_run(page, tmp_path, monkeypatch):
    matplotlib.use("Agg")
    monkeypatch.chdir(tmp_path)
    namespace: dict = {"__name__": "guide"}
    for i, code in enumerate(python_blocks(page)):
        try:
            exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)  # noqa: S102 - our docs
        finally:
            import matplotlib.pyplot as plt

            plt.close("all")
    if "p" in namespace and hasattr(namespace["p"], "close"):
        namespace["p"].close()


@pytest.mark.docs
@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    """`make docs` in short: sphinx-build -W over docs/ (the notebooks not executed)."""
    env = dict(os.environ, COOPEVAL_DOCS_EXECUTE="off", MPLBACKEND="Agg",
               PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    out = tmp_path / "html"
    proc = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html",
         "-d", str(tmp_path / "doctrees"), str(DOCS), str(out)],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert proc.returncode == 0, proc.stderr[-5000:]
    for page in ("index.html", "guide/mener-une-evaluation.html", "en/index.html",
                 "generated/methods.html", "generated/frameworks/tzcld.html",
                 "generated/api/coopeval.weighting.ahp.html",
                 "generated/notebooks/04_scores_incertitude.html"):
        assert (out / page).is_file(), page
    methods = (out / "generated/methods.html").read_text(encoding="utf-8")
    assert "Saaty" in methods and "Nicholls" in methods  # AHP and SROI references gathered
    api = (out / "generated/api/coopeval.weighting.ahp.html").read_text(encoding="utf-8")
    assert "consistency_ratio" in api
