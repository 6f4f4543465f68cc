"""An installed wheel (not the source tree) carries the built-in frameworks, catalogues,
datasets and dashboards: `pip install .` then `import coopeval` from another folder works."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_ships_bundled_files_and_works_from_another_folder(tmp_path):
    wheel_dir, target = tmp_path / "wheel", tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-q", "-w", str(wheel_dir)],
                   check=True, capture_output=True)
    (wheel,) = wheel_dir.glob("coopeval-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for wanted in ("coopeval/_bundled/indicators/frameworks/cooperation_territoriale.yaml",
                   "coopeval/_bundled/indicators/catalogues/valeurs_reference.yaml",
                   "coopeval/_bundled/datasets/panel_synthetique/observations.csv",
                   "coopeval/_bundled/dashboards/restitution.ipynb",
                   "coopeval/i18n/labels.yaml",
                   "coopeval/_voila/voila/templates/coopeval/spinner.macro.html.j2"):  # French loading text
        assert wanted in names, wanted
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    code = ("import coopeval as ce; fws = ce.list_frameworks(); "
            f"assert ce.__file__.startswith({str(target)!r}), ce.__file__; "
            "[ce.load_framework(i) for i in fws['id']]; "
            "print(len(fws), len(ce.datasets.list()))")
    env = dict(os.environ, PYTHONPATH=str(target))
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env, check=True,
                         capture_output=True, text=True)
    assert out.stdout.split() == ["6", "3"]
