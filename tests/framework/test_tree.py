"""The Framework tree: tables, navigation, weights, YAML round trip and adaptation."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import yaml

import coopeval as ce
from coopeval.errors import FrameworkError
from coopeval.framework import INDICATOR_COLUMNS
from coopeval.resources import indicators_dir

RAW = yaml.safe_load((indicators_dir() / "frameworks" / "cooperation_territoriale.yaml").read_text("utf-8"))


def _raw_indicators():
    for d in RAW["dimensions"]:
        for c in d.get("criteria", []):
            for i in c["indicators"]:
                yield d, c, i
        for i in d.get("indicators", []):
            yield d, None, i


def test_indicators_contract(fw):
    df = fw.indicators
    assert list(df.columns[: len(INDICATOR_COLUMNS)]) == INDICATOR_COLUMNS
    raw = list(_raw_indicators())
    assert len(df) == len(raw) >= 30
    assert df["indicator"].tolist() == [i["id"] for _, _, i in raw]
    assert df["dimension"].tolist() == [d["id"] for d, _, _ in raw]
    crit = [None if pd.isna(c) else c for c in df["criterion"]]
    assert crit == [c["id"] if c else None for _, c, _ in raw]
    assert set(df["kind"]) == {"quantitative", "ordinal", "likert", "binary", "grid"}  # grid: issue 17
    assert set(df["source"]) == {"survey", "accounts", "observation", "register"}
    assert df[["lower", "upper"]].dtypes.eq(float).all()
    survey = df[df["source"] == "survey"]
    assert (survey["n_items"] > 0).all()


def test_nodes_and_navigation(fw):
    nodes = fw.nodes
    assert nodes.iloc[0]["node"] == "overall" and nodes.iloc[0]["level"] == "overall"
    assert fw.children() == [d["id"] for d in RAW["dimensions"]]
    assert fw.level("social") == "dimension"
    assert fw.level("lien_social") == "criterion"
    assert fw.parent("sentiment_appartenance") == "lien_social"
    # an indicator hanging directly under its dimension
    assert fw.parent("couts_publics_evites") == "externalites"
    assert nodes.set_index("node").loc["couts_publics_evites", "depth"] == 2
    assert nodes.set_index("node").loc["sentiment_appartenance", "depth"] == 3
    assert fw.leaves("lien_social") == ["sentiment_appartenance", "nouvelles_relations", "participants_actifs"]
    assert sorted(fw.leaves()) == sorted(fw.indicator_ids)
    with pytest.raises(FrameworkError, match="close ids"):
        fw.level("social_x")


def test_items_and_reverse(fw):
    items = fw.items
    raw_reverse = {
        it["id"] for _, _, i in _raw_indicators() for it in i.get("items", []) if it.get("reverse")
    }
    assert set(items.loc[items["reverse"], "item"]) == raw_reverse
    assert len(raw_reverse) >= 3


def test_default_weights_local_and_global(fw):
    local = fw.default_weights("local")
    for parent in ["overall", "social", "lien_social", "externalites"]:
        assert local[fw.children(parent)].sum() == pytest.approx(1.0)
    glob = fw.default_weights("global")
    # independent computation from the raw YAML: 1/n_dims * 1/n_crit * 1/n_ind (all weights 1)
    n_dims = len(RAW["dimensions"])
    expected = {}
    for d, c, i in _raw_indicators():
        n_crit = len(d.get("criteria", [])) or None
        siblings = c["indicators"] if c else d["indicators"]
        expected[i["id"]] = 1 / n_dims / (n_crit or 1) / len(siblings)
    np.testing.assert_allclose(glob[list(expected)].to_numpy(), list(expected.values()), rtol=1e-12)
    assert glob[fw.indicator_ids].sum() == pytest.approx(1.0)
    with pytest.raises(FrameworkError, match="'local' or 'global'"):
        fw.default_weights("globale")


def test_yaml_round_trip(fw, tmp_path):
    text = fw.to_yaml(tmp_path / "copie.yaml")
    back = ce.load_framework(tmp_path / "copie.yaml")
    assert back == fw
    assert back.to_yaml() == text
    assert back.hash == fw.hash
    pd.testing.assert_frame_equal(back.indicators, fw.indicators)
    pd.testing.assert_frame_equal(back.items, fw.items)


def test_select_drop_and_lineage(fw):
    small = fw.select(dimensions=["social", "gouvernance"]).drop("heures_formation")
    assert small.dimension_ids == ["social", "gouvernance"]
    assert "heures_formation" not in small
    lin = small.lineage
    assert lin["base"] == "cooperation_territoriale"
    assert lin["base_hash"] == fw.hash
    assert [c["op"] for c in lin["changes"]] == ["select", "drop"]
    # lineage survives the YAML round trip
    back = ce.Framework.from_yaml(small.to_yaml())
    assert back.lineage == lin
    # the original is unchanged
    assert "heures_formation" in fw and fw.lineage["base"] is None
    # dropping a whole criterion removes it; a dimension left empty goes too
    only = fw.select(indicators=["part_cdi"])
    assert only.dimension_ids == ["emploi"] and only.indicator_ids == ["part_cdi"]


def test_extend_override_reweight(fw):
    new = {
        "id": "repas_servis",
        "label_fr": "Repas servis",
        "label_en": "Meals served",
        "unit": "repas par an",
        "kind": "quantitative",
        "direction": "increase",
        "lower": 0,
        "upper": 50000,
        "source": "register",
    }
    ext = fw.extend("acces_droits_besoins", new)
    assert ext.parent("repas_servis") == "acces_droits_besoins"
    ext2 = ext.override("part_cdi", target=0.8, label_fr="Part de CDI")
    row = ext2.indicators.set_index("indicator").loc["part_cdi"]
    assert row["target"] == 0.8 and row["label_fr"] == "Part de CDI"
    rw = ext2.reweight({"social": 2, "economie": 0.5})
    local = rw.default_weights()
    assert local["social"] / local["emploi"] == pytest.approx(2.0)
    assert [c["op"] for c in rw.lineage["changes"]] == ["extend", "override", "reweight"]
    assert rw.lineage["changes"][1]["old"] == {"target": None, "label_fr": "Part des contrats à durée indéterminée"}
    # a new dimension given as YAML text under the root
    dim = """
id: culture
label_fr: Culture
label_en: Culture
indicators:
  - id: evenements_culturels
    label_fr: Événements culturels
    label_en: Cultural events
    unit: événements
    kind: quantitative
    direction: increase
    lower: 0
    upper: 200
    source: register
"""
    assert fw.extend("overall", dim).dimension_ids[-1] == "culture"


def test_adaptations_are_validated(fw):
    with pytest.raises(FrameworkError, match="target inside the bounds"):
        fw.override("part_cdi", target=1.5)
    with pytest.raises(FrameworkError, match="ids unique"):
        fw.extend("lien_social", {**fw.node("part_cdi")})
    with pytest.raises(FrameworkError, match="not to be changed"):
        fw.override("part_cdi", id="autre")
    with pytest.raises(FrameworkError, match="at least one indicator"):
        fw.drop(fw.dimension_ids)
    with pytest.raises(FrameworkError, match="expected a dimension id"):
        fw.select(dimensions=["lien_social"])
    with pytest.raises(FrameworkError, match="dimension or criterion"):
        fw.extend("part_cdi", {"id": "x"})


def test_display(fw):
    text = fw.tree(weights=True)
    assert text.splitlines()[1].startswith("- Social [social] (")
    assert "Sense of belonging" in fw.tree(lang="en")
    assert "<ul>" in fw._repr_html_()
    assert "38 indicators" in repr(fw) or "indicators" in repr(fw)
    with pytest.raises(ce.CoopevalError, match="'fr' or 'en'"):
        fw.label("social", lang="de")


def test_lineage_can_be_replayed_and_renamed(fw):
    adapted = fw.select(dimensions=["social"], indicators=["part_cdi"]).rename(
        "mon_referentiel", title_fr="Mon référentiel"
    )
    assert adapted.id == "mon_referentiel" and adapted.title_fr == "Mon référentiel"
    select, rename = adapted.lineage["changes"]
    args = {k: v for k, v in select.items() if k != "op"}
    replay = fw.select(**args).rename(**{"id": rename["new"]["id"], "title_fr": rename["new"]["title_fr"]})
    assert replay == adapted
    # defaults are not written out
    text = fw.to_yaml()
    assert "weight: 1.0" not in text and "references: []" not in text and "reverse: false" not in text
