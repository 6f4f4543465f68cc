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
