"""Shared fixtures of the test suite."""

from __future__ import annotations

import os

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def fw():
    """The default built-in framework."""
    import coopeval as ce

    return ce.load_framework("cooperation_territoriale")


@pytest.fixture(autouse=True, scope="session")
def _pseudonym_keys_stay_in_the_test_area(tmp_path_factory):
    """Key files of PostgreSQL test projects go to a temporary config folder, and a key set in
    the developer's environment (COOPEVAL_PSEUDONYM_KEY) does not leak into the tests."""
    old = {k: os.environ.get(k) for k in ("XDG_CONFIG_HOME", "COOPEVAL_PSEUDONYM_KEY")}
    os.environ["XDG_CONFIG_HOME"] = str(tmp_path_factory.mktemp("config"))
    os.environ.pop("COOPEVAL_PSEUDONYM_KEY", None)
    yield
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
