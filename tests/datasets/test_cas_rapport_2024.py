"""Content of ``cas_rapport_2024``: every value traceable to the founding report.

The report (Le Labo de l'ESS, 2024, *Vers une société de la coopération*) is read from
``../shared/seed/`` next to the repository; the traceability tests are skipped with a
reason when it is absent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import coopeval as ce

SEED = (
    Path(ce.__file__).resolve().parents[1].parent
    / "shared" / "seed" / "vers-une-societe-de-la-cooperation-2024.md"
)
needs_seed = pytest.mark.skipif(
    not SEED.is_file(), reason=f"founding report not found at {SEED} (it is present in CI)"
)
ATTRS = ["territory", "legal_forms", "created", "stage", "modelled", "scope", "economic_model"]
ALLOWED = {
    "stage": {"emergence", "creation", "consolidation", "changement_echelle"},
    "modelled": {"oui", "non"},
    "scope": {"ciblee", "systemique"},
    "economic_model": {"marchand", "hybride", "non_marchand"},
}


def _norm(text: str) -> str:
    """Normalisation documented in the dataset README."""
    text = text.replace("<sup>2</sup>", "²")
    text = re.sub(r"<sup>[^<]*</sup>", "", text)
    text = re.sub(r"<[^>]+>", " ", text)
    text = text.replace("*", "")
    return re.sub(r"\s+", " ", text).strip()


@pytest.fixture(scope="module")
def data():
    return ce.datasets.load("cas_rapport_2024")


@pytest.fixture(scope="module")
def report():
    """Map heading text -> list of normalised section texts (heading and its subsections)."""
    lines = SEED.read_text(encoding="utf-8").split("\n")
    heads = []
    for i, line in enumerate(lines):
        m = re.match(r"^(#+)\s+(.*)$", line)
        if m:
            heads.append((len(m.group(1)), _norm(m.group(2)), i))
    spans: dict[str, list[str]] = {}
    for k, (level, head, start) in enumerate(heads):
        end = next((i for lv, _h, i in heads[k + 1:] if lv <= level), len(lines))
        spans.setdefault(head, []).append(_norm("\n".join(lines[start + 1:end])))
    return spans, _norm("\n".join(lines))


@needs_seed
@pytest.mark.parametrize("table", ["typology", "figures", "resources"])
def test_every_quote_is_in_its_section(data, report, table):
    spans, full = report
    df = data[table]
    assert df["quote"].notna().all() and df["section"].notna().all()
    missing = [q for q in df["quote"] if _norm(q) not in full]
    assert not missing, f"quotes not found in the report: {missing}"
    misplaced = [
        (s, q) for s, q in zip(df["section"], df["quote"], strict=True)
        if not any(_norm(q) in body for body in spans.get(s, []))
    ]
    assert not misplaced, f"quotes not under their section: {misplaced}"


@needs_seed
def test_case_sections_are_report_headings(data, report):
    spans, _ = report
    cases = data["cases"]
    cols = ["section"] + [f"{a}_section" for a in ATTRS]
    for col in cols:
        for sec in cases[col].dropna():
            assert sec in spans, (col, sec)


def test_named_cases_present(data):
    names = " | ".join(data["cases"]["name"])
    for expected in ("TERA", "La Butinerie", "T.E.T.R.I.S.", "Super Cafoutch", "Coopérative Carbone",
                     "PTCE Pays de France", "Générateur Bourgogne", "J'adopte un projet",
                     "Strasbourg", "L'Abeille"):
        assert expected in names
    assert data["cases"]["case"].is_unique


def test_cases_are_the_pivot_of_typology(data):
    cases = data["cases"].set_index("case")
    typ = data["typology"]
    assert not typ.duplicated(["case", "attribute"]).any()
    assert set(typ["attribute"]) <= set(ATTRS)
    assert set(typ["basis"]) <= {"explicite", "deduit"}
    for case, row in cases.iterrows():
        sub = typ[typ["case"] == case].set_index("attribute")
        for attr in ATTRS:
            value, section = row[attr], row[f"{attr}_section"]
            if attr in sub.index:
                assert str(value) == sub.loc[attr, "value"], (case, attr)
                assert section == sub.loc[attr, "section"], (case, attr)
            else:
                assert pd.isna(value) and pd.isna(section), (case, attr)
    for attr, allowed in ALLOWED.items():
        assert set(cases[attr].dropna()) <= allowed, attr


def test_figures_and_resources_values(data, fw):
    cases = set(data["cases"]["case"])
    fig, res = data["figures"], data["resources"]
    assert set(fig["case"]) <= cases and set(res["case"]) <= cases
    assert set(data["typology"]["case"]) == cases
    assert not fig.duplicated(["case", "indicator"]).any()
    assert set(fig["qualifier"]) <= {"exact", "environ", "fourchette", "au plus", "plus de"}
    assert set(res["qualifier"]) <= {"exact", "environ", "fourchette", "au plus", "plus de"}
    assert fig["value"].notna().all()
    ranges = fig[fig["qualifier"] == "fourchette"]
    assert (ranges["value_max"] > ranges["value"]).all()
    assert fig.loc[fig["qualifier"] != "fourchette", "value_max"].isna().all()
    prop = fig["unit"] == "proportion"
    assert fig.loc[prop, "value"].between(0, 1).all()
    assert set(res["category"]) == {"marchand", "non_marchand", "non_monetaire"}
    assert (res["amount"].dropna() > 0).all()
    # figures linked to a framework indicator lie within its bounds
    ind = fw.indicators.set_index("indicator")
    linked = fig.dropna(subset=["framework_indicator"])
    assert len(linked) >= 5
    relative = set(fw.relative_goalposts["indicator"])  # issue 22: their goalposts bound a relative value
    for _, r in linked.iterrows():
        cols = ["limit_low", "limit_high"] if r["framework_indicator"] in relative else ["lower", "upper"]
        lo, hi = ind.loc[r["framework_indicator"], cols]
        assert lo <= r["value"] <= hi, (r["case"], r["indicator"])


def test_some_published_key_figures(data):
    """Spot checks typed by hand from the report's CHIFFRES CLÉS boxes."""
    fig = data["figures"].set_index(["case", "indicator"])["value"]
    assert fig[("tetris", "etp")] == 12
    assert fig[("la_butinerie", "budget")] == 230_000
    assert fig[("super_cafoutch", "cooperateurs")] == 1_800
    assert fig[("jadopte_un_projet", "taux_succes")] == pytest.approx(0.837)
    assert fig[("generateur_bfc", "emplois")] == 67
    assert fig[("cooperative_carbone", "societaires")] == 70
