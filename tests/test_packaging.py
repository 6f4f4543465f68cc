"""Release check: what a user installs, not the source tree.

- the sdist and the wheel build (``python -m build``) and pass ``twine check``;
- the wheel carries the built-in frameworks, catalogues, datasets, dashboards, ``py.typed``
  and the licence;
- installed in a fresh virtual environment outside the repository, the wheel runs the
  README's examples and ``coopeval --help``.

To stay offline and fast, the fresh environment gets coopeval only from the wheel, and its
third-party dependencies from the test environment (a ``.pth`` file pointing to its
site-packages, which holds no importable ``coopeval`` package): the check is about our
package, not about PyPI.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import tarfile
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"


def _run(cmd, **kw) -> subprocess.CompletedProcess:
    proc = subprocess.run(cmd, capture_output=True, text=True, **kw)
    assert proc.returncode == 0, f"{cmd}\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc


@pytest.fixture(scope="module")
def dist(tmp_path_factory) -> Path:
    """sdist and wheel built from the repository (without network: hatchling is a test dependency)."""
    pytest.importorskip("build")
    pytest.importorskip("hatchling")
    out = tmp_path_factory.mktemp("dist")
    _run([sys.executable, "-m", "build", "--no-isolation", "--sdist", "--wheel", "--outdir", str(out), str(ROOT)])
    return out


@pytest.fixture(scope="module")
def wheel(dist) -> Path:
    (whl,) = dist.glob("coopeval-*.whl")
    return whl


@pytest.mark.slow
def test_twine_check_passes(dist):
    pytest.importorskip("twine")
    files = sorted(str(p) for p in dist.iterdir())
    assert len(files) == 2, files
    out = _run([sys.executable, "-m", "twine", "check", "--strict", *files])
    assert out.stdout.count("PASSED") == 2, out.stdout


@pytest.mark.slow
def test_sdist_holds_the_sources_tests_docs_and_project_files(dist):
    (sdist,) = dist.glob("coopeval-*.tar.gz")
    names = {n.split("/", 1)[1] for n in tarfile.open(sdist).getnames() if "/" in n}
    for wanted in ("pyproject.toml", "README.md", "LICENSE", "CHANGELOG.md", "CITATION.cff",
                   "CONTRIBUTING.md", "coopeval/py.typed", "docs/conf.py", "tests/conftest.py",
                   "notebooks/_build/_nb.py", "indicators/frameworks/cooperation_territoriale.yaml"):
        assert wanted in names, wanted
    assert not any(n.startswith(("docs/_build/", "docs/generated/")) for n in names)


@pytest.mark.slow
def test_wheel_ships_bundled_files_and_works_from_another_folder(wheel, tmp_path):
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in ("coopeval/_bundled/indicators/frameworks/cooperation_territoriale.yaml",
                   "coopeval/_bundled/indicators/catalogues/valeurs_reference.yaml",
                   "coopeval/_bundled/datasets/panel_synthetique/observations.csv",
                   "coopeval/_bundled/dashboards/restitution.ipynb",
                   "coopeval/i18n/labels.yaml",
                   "coopeval/_bundled/indicators/modele_socio_economique.yaml",
                   "coopeval/_bundled/indicators/indices/ipc_insee.yaml",
                   "coopeval/_bundled/indicators/catalogue_version.yaml",
                   "coopeval/_bundled/indicators/grilles_financeurs/cerfa_12156_budget.yaml",
                   "coopeval/_bundled/datasets/la_butinerie/finances.csv",
                   "coopeval/py.typed",
                   "coopeval/_voila/voila/templates/coopeval/spinner.macro.html.j2"):  # French loading text
        assert wanted in names, wanted
    assert any(re.fullmatch(r"coopeval-[^/]+\.dist-info/licenses/LICENSE", n) for n in names), names[-8:]
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    code = ("import coopeval as ce; fws = ce.list_frameworks(); "
            f"assert ce.__file__.startswith({str(target)!r}), ce.__file__; "
            "[ce.load_framework(i) for i in fws['id']]; "
            "print(len(fws), len(ce.datasets.list()))")
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True)
    assert out.stdout.split() == ["6", "5"]


@pytest.fixture(scope="module")
def fresh_venv(wheel, tmp_path_factory) -> Path:
    """A new virtual environment outside the repository with the wheel installed in it."""
    venv = tmp_path_factory.mktemp("release") / "venv"
    _run([sys.executable, "-m", "venv", str(venv)])
    py = venv / "bin" / "python"
    site = Path(_run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"]).stdout.strip())
    deps = [sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]]
    (site / "_coopeval_release_check_deps.pth").write_text("\n".join(dict.fromkeys(deps)) + "\n")
    _run([str(py), "-m", "pip", "install", "-q", "--no-deps", "--no-index", str(wheel)])
    return venv


@pytest.mark.slow
def test_installed_wheel_runs_the_readme_example_and_the_command(fresh_venv, tmp_path):
    py, cli = fresh_venv / "bin" / "python", fresh_venv / "bin" / "coopeval"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["MPLBACKEND"] = "Agg"
    where = _run([str(py), "-c", "import coopeval, importlib.metadata as m; "
                  "print(coopeval.__file__); print(m.version('coopeval')); print(m.metadata('coopeval')['License'])"],
                 cwd=tmp_path, env=env).stdout.split("\n")
    assert where[0].startswith(str(fresh_venv)), where[0]      # from the wheel, not the repository
    assert not where[0].startswith(str(ROOT))
    assert where[1] == ce_version() and "MIT" in where[2], where
    blocks = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert blocks, "README.md has no Python example"
    for i, code in enumerate(blocks):
        script = tmp_path / f"readme_{i}.py"
        script.write_text(code, encoding="utf-8")
        _run([str(py), str(script)], cwd=tmp_path, env=env)
    help_text = _run([str(cli), "--help"], cwd=tmp_path, env=env).stdout
    assert "usage: coopeval" in help_text
    for command in ("init", "score", "report", "serve"):
        assert command in help_text


def ce_version() -> str:
    return re.search(r'__version__ = "([^"]+)"', (ROOT / "coopeval" / "_version.py").read_text()).group(1)
