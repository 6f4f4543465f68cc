"""Every quote of datasets/la_butinerie is in the founding report (whitespace normalised)."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

import coopeval as ce

# ../shared/seed/ next to the repository (as tests/datasets/test_cas_rapport_2024.py); the
# environment variable lets a worktree point at it.
SEED = Path(os.environ.get("COOPEVAL_SEED", Path(__file__).resolve().parents[3] / "shared" / "seed"
                           / "vers-une-societe-de-la-cooperation-2024.md"))


def _norm(text: str) -> str:
    text = re.sub(r"<sup>\d+</sup>", "", text).replace("m<sup>2</sup>", "m²")
    text = re.sub(r"<[^>]+>", "", text).replace("*", "")
    return re.sub(r"\s+", " ", text)


@pytest.mark.skipif(not SEED.is_file(), reason="the founding report is not on this machine")
@pytest.mark.parametrize("table", ["finances", "externalites", "conventions"])
def test_quotes_and_sections_are_in_the_report(table):
    report = _norm(SEED.read_text(encoding="utf-8"))
    df = ce.datasets.load("la_butinerie", table=table)
    for quote, section in zip(df["quote"], df["section"], strict=True):
        assert _norm(quote) in report, quote
        assert _norm(section) in report, section


def test_figures_of_the_report():
    fin = ce.datasets.load("la_butinerie", table="finances").set_index("line")
    assert fin.loc["emprunts", "amount"] == 287_000
    assert fin.loc["charges_personnel", "amount"] == 100_000
    assert fin.loc["charges_fixes", "amount"] == 75_000
    hyp = fin[fin["basis"] == "hypothese"]
    assert sorted(hyp.index) == ["charges_non_ventilees", "ressources_non_ventilees"]
    assert fin.loc[["ressources_non_ventilees"], "amount"].sum() == 230_000 - 100_000 - 40_000 - 25_000
