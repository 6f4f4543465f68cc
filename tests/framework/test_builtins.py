"""Tests of the built-in frameworks shipped in ``indicators/frameworks/``.

The expected counts and properties are computed here from the raw YAML files with
``yaml.safe_load`` — an independent path from coopeval's validating loader — so that a
loader that drops, duplicates or re-parents nodes makes these tests fail.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
import yaml

import coopeval as ce
from coopeval.framework import Framework

FRAMEWORK_DIR = Path(__file__).resolve().parents[2] / "indicators" / "frameworks"

BUILTINS = ["cooperation_territoriale", "gadrey_2004", "loi_ess_2014", "monnaie_locale", "tiers_lieu", "tzcld"]
#: Written by this test's author (the default one is covered by the lead's tests).
NEW_BUILTINS = [b for b in BUILTINS if b != "cooperation_territoriale"]

#: The data contract of ``fw.indicators`` as written in ARCHITECTURE.md ("Data contracts").
CONTRACT_COLUMNS = [
    "dimension", "criterion", "indicator", "label_fr", "label_en", "unit", "kind", "direction",
    "lower", "upper", "target", "transform", "source",
]
KINDS = {"quantitative", "ordinal", "likert", "binary"}
SOURCES = {"survey", "accounts", "observation", "register"}
SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")
RESERVED = {"overall", "dimension", "criterion", "indicator"}


# ---------------------------------------------------------------------- raw YAML helpers
def raw(fid: str) -> dict:
    """The framework file parsed with plain PyYAML (no coopeval code involved)."""
    return yaml.safe_load((FRAMEWORK_DIR / f"{fid}.yaml").read_text(encoding="utf-8"))


def raw_nodes(data: dict) -> list[tuple[str, str, dict]]:
    """(level, parent id, node) for every dimension, criterion and indicator, depth-first."""
    out = []
    for dim in data["dimensions"]:
        out.append(("dimension", "overall", dim))
        for crit in dim.get("criteria", []):
            out.append(("criterion", dim["id"], crit))
            out.extend(("indicator", crit["id"], ind) for ind in crit["indicators"])
        out.extend(("indicator", dim["id"], ind) for ind in dim.get("indicators", []))
    return out


def raw_indicators(data: dict) -> list[dict]:
    return [n for level, _, n in raw_nodes(data) if level == "indicator"]


def raw_counts(fid: str) -> dict:
    data = raw(fid)
    nodes = raw_nodes(data)
    inds = raw_indicators(data)
    return {
        "n_dimensions": sum(1 for lv, _, _ in nodes if lv == "dimension"),
        "n_criteria": sum(1 for lv, _, _ in nodes if lv == "criterion"),
        "n_indicators": len(inds),
        "n_survey_indicators": sum(1 for i in inds if i["source"] == "survey"),
    }


# ---------------------------------------------------------------------- registry
def test_builtin_files_are_the_six_expected():
    assert sorted(p.stem for p in FRAMEWORK_DIR.glob("*.yaml")) == BUILTINS


def test_list_frameworks_lists_the_six_builtins_with_raw_counts():
    table = ce.list_frameworks()
    assert isinstance(table, pd.DataFrame)
    for col in ("id", "title_fr", "title_en", "n_dimensions", "n_indicators"):
        assert col in table.columns
    assert table["id"].tolist() == BUILTINS
    for fid in BUILTINS:
        row = table.set_index("id").loc[fid]
        expected = raw_counts(fid)
        for col, value in expected.items():
            if col in table.columns:
                assert int(row[col]) == value, (fid, col)
        data = raw(fid)
        assert row["title_fr"] == data["title_fr"]
        assert row["title_en"] == data["title_en"]


@pytest.mark.parametrize("fid", BUILTINS)
def test_builtin_loads_by_id_and_by_path(fid):
    fw = ce.load_framework(fid)
    assert isinstance(fw, Framework)
    assert fw.id == fid
    assert fw.source == f"builtin:{fid}"
    by_path = ce.load_framework(FRAMEWORK_DIR / f"{fid}.yaml")
    assert by_path == fw
    counts = raw_counts(fid)
    assert len(fw.dimension_ids) == counts["n_dimensions"]
    assert len(fw.indicator_ids) == counts["n_indicators"]


@pytest.mark.parametrize("fid", NEW_BUILTINS)
def test_builtin_size_and_mix(fid):
    """At least 3 dimensions and 10 indicators, every kind and every source used."""
    inds = raw_indicators(raw(fid))
    assert raw_counts(fid)["n_dimensions"] >= 3
    assert len(inds) >= 10
    assert {i["kind"] for i in inds} == KINDS
    assert {i["source"] for i in inds} == SOURCES


# ---------------------------------------------------------------------- round trip
@pytest.mark.parametrize("fid", BUILTINS)
def test_builtin_round_trips_through_yaml(fid, tmp_path):
    fw = ce.load_framework(fid)
    text = fw.to_yaml()
    again = Framework.from_yaml(text)
    assert again == fw
    assert again.hash == fw.hash
    pd.testing.assert_frame_equal(again.indicators, fw.indicators)
    pd.testing.assert_frame_equal(again.items, fw.items)
    pd.testing.assert_frame_equal(again.nodes, fw.nodes)
    # through a file, and the dumped YAML keeps every node of the original file
    path = tmp_path / f"{fid}.yaml"
    fw.to_yaml(path)
    assert Framework.from_yaml(path) == fw
    dumped = yaml.safe_load(text)
    assert [n["id"] for _, _, n in raw_nodes(dumped)] == [n["id"] for _, _, n in raw_nodes(raw(fid))]


# ---------------------------------------------------------------------- provenance and labels
@pytest.mark.parametrize("fid", BUILTINS)
def test_builtin_has_references_and_descriptions(fid):
    data = raw(fid)
    assert len(data["references"]) >= 1
    for key in ("description_fr", "description_en"):
        assert isinstance(data.get(key), str) and len(data[key]) > 100, key
    keys = {r["key"] for r in data["references"]}
    assert len(keys) == len(data["references"])
    for ref in data["references"]:
        assert len(ref["citation"]) > 30
        assert re.search(r"\b(19|20)\d\d\b", ref["citation"]) or "url" in ref, ref["key"]
    used = {k for _, _, n in raw_nodes(data) for k in n.get("references", [])}
    assert used, "no node cites a reference"
    assert used <= keys
    refs = ce.load_framework(fid).references
    assert refs["key"].tolist() == [r["key"] for r in data["references"]]


@pytest.mark.parametrize("fid", BUILTINS)
def test_every_node_and_item_has_french_and_english_labels(fid):
    data = raw(fid)
    labelled = [n for _, _, n in raw_nodes(data)]
    labelled += [it for ind in raw_indicators(data) for it in ind.get("items") or []]
    same = 0
    for node in labelled:
        for key in ("label_fr", "label_en"):
            assert isinstance(node.get(key), str) and node[key].strip(), (node["id"], key)
        same += node["label_fr"] == node["label_en"]
    # English labels are translations, not copies (a few words like "Social" may coincide)
    assert same / len(labelled) < 0.1
    # the same labels come out of the loader
    fw = ce.load_framework(fid)
    for level, _, node in raw_nodes(data):
        assert fw.label(node["id"]) == node["label_fr"]
        assert fw.label(node["id"], lang="en") == node["label_en"]
        assert fw.level(node["id"]) == level


@pytest.mark.parametrize("fid", BUILTINS)
def test_ids_are_snake_case_unique_and_not_reserved(fid):
    data = raw(fid)
    ids = [n["id"] for _, _, n in raw_nodes(data)]
    ids += [it["id"] for ind in raw_indicators(data) for it in ind.get("items") or []]
    assert len(ids) == len(set(ids))
    for node_id in ids:
        assert SNAKE.match(node_id), node_id
        assert node_id not in RESERVED
    assert SNAKE.match(data["id"]) and data["id"] == fid


# ---------------------------------------------------------------------- survey items
@pytest.mark.parametrize("fid", BUILTINS)
def test_survey_indicators_have_items_and_a_reverse_item(fid):
    inds = raw_indicators(raw(fid))
    survey = [i for i in inds if i["source"] == "survey"]
    assert survey
    for ind in survey:
        assert ind.get("items"), ind["id"]
    for ind in inds:
        if ind["source"] != "survey":
            assert "items" not in ind, ind["id"]
    n_reverse = sum(bool(it.get("reverse")) for i in survey for it in i["items"])
    assert n_reverse >= 1
    items = ce.load_framework(fid).items
    assert len(items) == sum(len(i["items"]) for i in survey)
    assert int(items["reverse"].sum()) == n_reverse
    assert set(items["indicator"]) == {i["id"] for i in survey}


# ---------------------------------------------------------------------- indicator table
@pytest.mark.parametrize("fid", BUILTINS)
def test_indicators_frame_has_contract_columns_and_raw_values(fid):
    table = ce.load_framework(fid).indicators
    assert table.columns[: len(CONTRACT_COLUMNS)].tolist() == CONTRACT_COLUMNS
    data = raw(fid)
    expected = []
    for dim in data["dimensions"]:
        for crit in dim.get("criteria", []):
            expected += [(dim["id"], crit["id"], i) for i in crit["indicators"]]
        expected += [(dim["id"], None, i) for i in dim.get("indicators", [])]
    assert table["indicator"].tolist() == [i["id"] for _, _, i in expected]
    for (dim, crit, ind), (_, row) in zip(expected, table.iterrows(), strict=True):
        assert row["dimension"] == dim
        assert (row["criterion"] if isinstance(row["criterion"], str) else None) == crit
        for key in ("label_fr", "label_en", "unit", "kind", "direction", "source"):
            assert row[key] == ind[key], (ind["id"], key)
        for key in ("lower", "upper", "target"):
            if key in ind:
                assert row[key] == pytest.approx(ind[key]), (ind["id"], key)
        assert (row["transform"] if isinstance(row["transform"], str) else None) == ind.get("transform")


@pytest.mark.parametrize("fid", NEW_BUILTINS)
def test_bounds_directions_and_transforms_are_sensible(fid):
    """Checked on the raw YAML, independently of the validator."""
    for ind in raw_indicators(raw(fid)):
        name = ind["id"]
        lower, upper = ind.get("lower"), ind.get("upper")
        if ind["kind"] == "binary":
            assert lower in (None, 0) and upper in (None, 1), name
            continue
        # every non-binary built-in indicator has explicit bounds, so it can be normalised
        assert lower is not None and upper is not None and lower < upper, name
        if ind["kind"] in ("likert", "ordinal"):
            assert float(lower).is_integer() and float(upper).is_integer(), name
            assert not ind.get("transform"), name
        if ind["unit"] == "proportion":
            assert 0 <= lower < upper <= 1, name
        if ind["direction"] == "target":
            assert lower <= ind["target"] <= upper, name
        else:
            assert "target" not in ind, name
        if ind.get("transform") in ("log", "log1p", "sqrt"):
            assert lower >= 0, name
            assert ind["kind"] == "quantitative", name
        for level, label in (ind.get("levels") or {}).items():
            assert lower <= level <= upper and label, name


def test_loi_ess_has_the_four_conditions_of_article_2():
    """Article 2 of loi n° 2014-856, as rewritten by loi n° 2019-486 (PACTE), has four conditions."""
    data = raw("loi_ess_2014")
    labels = [d["label_fr"] for d in data["dimensions"]]
    assert [re.search(r"condition (\d)", lab).group(1) for lab in labels] == ["1", "2", "3", "4"]
    keys = {r["key"] for r in data["references"]}
    assert {"loi_ess_2014", "loi_pacte_2019"} <= keys


def test_a_broken_builtin_copy_is_rejected(tmp_path):
    """The raw text of a built-in, with one id duplicated, must fail validation (the tests above
    would otherwise pass on a validator that accepts anything)."""
    text = (FRAMEWORK_DIR / "tzcld.yaml").read_text(encoding="utf-8")
    broken = text.replace("id: delai_embauche", "id: ppde_rencontrees", 1)
    assert broken != text
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ce.CoopevalError, match="ppde_rencontrees"):
        ce.load_framework(path)
