"""The texts of the figures and of the report are ``plot_*`` / ``report_*`` keys of
``coopeval/i18n/labels.yaml`` read with ``coopeval.i18n.t`` (one label system)."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from coopeval.i18n import labels, t
from coopeval.report.texts import REFERENCES

PACKAGE = Path(__file__).resolve().parents[2] / "coopeval"
SOURCES = sorted((PACKAGE / "plots").glob("*.py")) + sorted((PACKAGE / "report").glob("*.py"))
# a literal key passed to t(...), or a literal "plot_..." / "report_..." key anywhere in the code
KEY = re.compile(r"""\bt\(\s*["']([a-z0-9_]+)["']|["']((?:plot|report)_[a-z0-9_]+)["']""")


def _keys_used() -> set[str]:
    found = set()
    for path in SOURCES:
        for a, b in KEY.findall(path.read_text(encoding="utf-8")):
            found.add(a or b)
    return {k for k in found if not k.endswith("_")}  # "plot_" + name: a prefix, not a key


def _fields(text: str) -> set[str]:
    return {f for _, f, _, _ in string.Formatter().parse(text) if f}


def test_every_key_used_by_plots_and_report_exists():
    used = _keys_used()
    assert {"report_read_radar", "plot_rank_axis", "overall_score"} <= used  # the scan sees the code
    assert sorted(used - set(labels())) == []


@pytest.mark.parametrize("key", sorted(k for k in labels() if k.startswith(("plot_", "report_"))))
def test_french_and_english_texts_with_the_same_placeholders(key):
    entry = labels()[key]
    assert entry["fr"].strip() and entry["en"].strip()
    assert _fields(entry["fr"]) == _fields(entry["en"])


def test_texts_read_through_i18n():
    assert t("report_h_summary") == "En bref"
    assert t("report_h_summary", "en") == "In short"
    assert t("plot_ratio_text", "en", ratio="2.00") == "SROI ratio: 2.00\u00a0€ per 1\u00a0€ invested"  # never « 1 » and « € » on two lines
    assert t("plot_param_deadweight") == "effet d'aubaine"
    assert all(isinstance(r, str) and r for r in REFERENCES)
