"""Tests of ``ce.datasets.list`` / ``ce.datasets.load`` and of every bundled table's contract.

Per-dataset content tests (traceability, built-in effects, regeneration) are in
``tests/datasets/``.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
import yaml

import coopeval as ce
from coopeval.errors import CoopevalError, DataError
from coopeval.resources import datasets_dir

NAMES = ["cas_rapport_2024", "deliberation_exemple", "la_butinerie", "panel_synthetique", "qualitatif_exemple"]
KIND_TO_DTYPE = {"str": "object", "int": "int64", "Int64": "Int64", "float": "float64", "bool": "bool"}

# column contracts of ARCHITECTURE.md ("Data contracts") that the tables must start with
CONTRACTS = {
    ("panel_synthetique", "observations"): ["unit", "wave", "indicator", "value"],
    ("panel_synthetique", "responses"): ["respondent", "unit", "wave", "college", "item", "value"],
    ("panel_synthetique", "resources"): ["unit", "wave", "source", "category", "amount", "unit_of_measure"],
    ("qualitatif_exemple", "grids"): ["unit", "wave", "indicator", "value"],
    ("qualitatif_exemple", "extracts"): ["extract", "unit", "wave", "source", "date", "speaker", "college", "consent",
                                         "text"],
    ("qualitatif_exemple", "codes"): ["extract", "code", "coder"],
    ("deliberation_exemple", "judgements"): [
        "session", "round", "participant", "college", "method", "node", "value",
    ],
}


def _meta(name):
    with open(datasets_dir() / name / "meta.yaml", encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def test_list_columns_and_names():
    out = ce.datasets.list()
    assert list(out.columns) == ["name", "title_fr", "title_en", "tables", "n_rows", "licence"]
    assert out["name"].tolist() == NAMES
    assert out["n_rows"].dtype == "int64"
    assert out[["title_fr", "title_en", "licence"]].map(lambda s: len(s) > 10).all().all()


def test_list_n_rows_match_loaded_tables():
    out = ce.datasets.list().set_index("name")
    for name in NAMES:
        loaded = ce.datasets.load(name)
        frames = loaded if isinstance(loaded, dict) else {"_": loaded}
        assert out.loc[name, "n_rows"] == sum(len(df) for df in frames.values())
        assert out.loc[name, "tables"] == ", ".join(_meta(name)["tables"])


def test_load_returns_dict_or_frame():
    panel = ce.datasets.load("panel_synthetique")
    assert isinstance(panel, dict)
    assert sorted(panel) == ["observations", "resources", "responses", "units"]
    judgements = ce.datasets.load("deliberation_exemple")
    assert isinstance(judgements, pd.DataFrame)
    one = ce.datasets.load("panel_synthetique", table="units")
    pd.testing.assert_frame_equal(one, panel["units"])


def test_unknown_name_lists_available():
    with pytest.raises(DataError) as err:
        ce.datasets.load("panel")
    msg = str(err.value)
    assert "`name`" in msg and "'panel'" in msg
    for name in NAMES:
        assert name in msg
    assert isinstance(err.value, CoopevalError)


@pytest.mark.parametrize("bad", [None, 3, ["panel_synthetique"], "../datasets", ""])
def test_bad_name_types(bad):
    with pytest.raises(DataError, match="expected one of the bundled datasets"):
        ce.datasets.load(bad)


def test_unknown_table_lists_tables():
    with pytest.raises(DataError) as err:
        ce.datasets.load("cas_rapport_2024", table="chiffres")
    msg = str(err.value)
    assert "`table`" in msg and "'chiffres'" in msg
    for t in ("cases", "typology", "figures", "resources"):
        assert t in msg


def test_path_is_the_folder():
    assert ce.datasets.path("panel_synthetique") == datasets_dir() / "panel_synthetique"


@pytest.mark.parametrize("name", NAMES)
def test_tables_columns_and_dtypes(name):
    meta = _meta(name)
    for table, spec in meta["tables"].items():
        df = ce.datasets.load(name, table=table)
        assert list(df.columns) == list(spec["columns"]), table
        for col, kind in spec["columns"].items():
            assert str(df[col].dtype) == KIND_TO_DTYPE[kind], (table, col, df[col].dtype)
            if kind == "str":
                assert df[col].dropna().map(type).eq(str).all(), (table, col)
        assert len(df) > 0
        contract = CONTRACTS.get((name, table))
        if contract:
            assert list(df.columns[: len(contract)]) == contract


@pytest.mark.parametrize("name", NAMES)
def test_files_utf8_comma_and_readme(name):
    folder = datasets_dir() / name
    readme = (folder / "README.md").read_text(encoding="utf-8")
    assert "## Source" in readme and "## Licence" in readme and "English summary" in readme
    meta = _meta(name)
    for table, spec in meta["tables"].items():
        text = (folder / f"{table}.csv").read_text(encoding="utf-8")
        header = text.split("\n", 1)[0]
        assert header == ",".join(spec["columns"])
        assert f"`{table}`" in readme, f"table {table} not documented in README"
        for col in spec["columns"]:
            if not col.endswith("_section"):
                pattern = rf"`[^`\n]*\b{col}\b[^`\n]*`"
                assert re.search(pattern, readme), f"column {table}.{col} not documented in README"


def test_meta_mismatch_is_reported(tmp_path, monkeypatch):
    """A bundled CSV that does not match its meta.yaml raises a DataError naming file and line."""
    folder = tmp_path / "mini"
    folder.mkdir()
    (folder / "meta.yaml").write_text(
        "title_fr: t\ntitle_en: t\nlicence: MIT\ntables:\n  t:\n    columns:\n      a: int\n      b: str\n",
        encoding="utf-8",
    )
    (folder / "t.csv").write_text("a,c\n1,x\n", encoding="utf-8")
    monkeypatch.setattr(ce.datasets, "datasets_dir", lambda: tmp_path)
    with pytest.raises(DataError, match=r"t\.csv, line 1: expected the columns \['a', 'b'\]"):
        ce.datasets.load("mini")
    (folder / "meta.yaml").write_text(
        "tables:\n  t:\n    columns:\n      a: integer\n      c: str\n", encoding="utf-8"
    )
    with pytest.raises(DataError, match="meta.yaml is invalid"):
        ce.datasets.load("mini")


def test_only_blank_cells_are_missing():
    """Codes such as "__blanc__" stay text; a blank cell is missing."""
    j = ce.datasets.load("deliberation_exemple")
    assert (j["node"] == "__blanc__").any()
    assert j["reason"].isna().any() and j["reason"].notna().any()
    assert j["node"].notna().all()
