"""Export a whole project to CSV + YAML, import it into a new project: identical, recomputable."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa
import yaml

import coopeval as ce
from coopeval.store import schema as S

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


@pytest.fixture
def rich(project, fw):
    """A project with data, a deliberation, a collective view and a score stored."""
    p = project
    p.add_units(pd.DataFrame({"unit": ["ptce", "tera", "ressourcerie"], "name": ["PTCE", "TERA", "Ressourcerie"],
                              "parent": [None, None, "ptce"]}))
    p.add_waves(pd.DataFrame({"wave": ["2023", "2024"], "label": ["Vague 1", "Vague 2"]}))
    rng = np.random.default_rng(7)
    ind = fw.indicators.query("kind == 'quantitative'").head(6)
    obs = pd.DataFrame([{"unit": u, "wave": w, "indicator": r.indicator,
                         "value": float(rng.uniform(r.lower, r.upper)) / 3.0}
                        for u in ("ptce", "tera", "ressourcerie") for w in ("2023", "2024") for r in ind.itertuples()])
    obs.loc[0, "note"] = "valeur estimée, « à vérifier »; virgule, guillemet \""
    p.import_observations(obs, source="saisie.csv")
    items = fw.items["item"].tolist()[:4]
    p.import_responses(pd.DataFrame([{"respondent": f"pers{k}", "unit": "tera", "wave": "2024",
                                      "college": "habitants", "item": it, "value": int(rng.integers(1, 6))}
                                     for k in range(6) for it in items]))
    p.import_resources(pd.DataFrame({
        "unit": ["ptce", "ptce", "tera", "tera"], "wave": ["2024"] * 4,
        "source": ["ventes, « boutique »", "subvention Région", "bénévolat", "mise à disposition de locaux"],
        "category": ["marchand", "non_marchand", "non_monetaire", "non_monetaire"],
        "amount": [12345.67, 0.1 + 0.2, 2574.0, 1.0 / 3.0], "unit_of_measure": ["euros", "euros", "h", "euros"]}),
        source="ressources.csv")
    p.create_session("atelier", title="Atelier\nmulti-ligne")
    tok = p.add_participants("atelier", pd.DataFrame({"participant": [f"x{i}" for i in range(12)],
                                                      "college": ["habitants"] * 7 + ["elus"] * 5}))
    p.open_round("atelier", 1, methods={"habitants": "points", "elus": "direct"})
    for i, t in enumerate(tok["token"]):
        if i < 7:
            vals = [100 - 6 * (i + 1)] + [i + 1] * 6
            p.submit(t, pd.DataFrame({"node": DIMS, "value": vals, "reason": f"argument {i}"}))
        else:
            p.submit(t, pd.DataFrame({"node": DIMS, "value": [i % 10 + 0.1 * k for k in range(7)]}))
    p.close_round("atelier", 1)
    p.set_setting("min_group_size", 5)
    rid_view = p.save_collective_view("atelier", 1)
    weights = pd.Series({"social": 2.0, "emploi": 1.0 / 3.0}, name="weight")
    _, rid_score = p.score(weights=weights, normalisation="goalposts")
    return p, tok, rid_view, rid_score


def dump(engine: sa.Engine) -> dict[str, list[tuple]]:
    with engine.connect() as conn:
        return {name: [tuple(r) for r in conn.execute(sa.select(S.metadata.tables[name])
                                                      .order_by(*S.metadata.tables[name].primary_key.columns))]
                for name in S.TABLE_ORDER}


def test_round_trip_identical_and_recomputable(rich, location2, tmp_path):
    p, tok, rid_view, rid_score = rich
    folder = p.export(tmp_path / "export")
    manifest = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == S.SCHEMA_VERSION and manifest["files"]["judgements.csv"]["rows"] == 84
    assert manifest["files"]["resources.csv"]["rows"] == 4
    fw_files = list((folder / "frameworks").glob("*.yaml"))
    assert len(fw_files) == 1 and ce.Framework.from_yaml(fw_files[0]).hash == p.framework().hash
    assert "pseudonym_key," not in (folder / "meta.csv").read_text()
    readable = pd.read_csv(folder / "results" / f"result_{rid_score}_score.csv")
    pd.testing.assert_frame_equal(readable, p.result(rid_score).table, check_dtype=False, rtol=1e-12)

    q = ce.Project.import_folder(folder, location2)
    a, b = dump(p.engine), dump(q.engine)
    for name in S.TABLE_ORDER:
        if name == "meta":
            strip = [r for r in a[name] if r[0] != "pseudonym_key"], [r for r in b[name] if r[0] != "pseudonym_key"]
            assert strip[0] == strip[1]
        elif name == "audit_log":
            assert b[name][:-1] == a[name][:-1]  # the export entry is written after the dump
            assert b[name][-1][3] == "import_project"
        else:
            assert a[name] == b[name], name
    # stored results recompute to the identical table in the imported project
    assert q.verify(rid_view) and q.verify(rid_score)
    pd.testing.assert_frame_equal(q.recompute(rid_score), p.result(rid_score).table, check_exact=True)
    assert q.result(rid_score).weights.equals(p.result(rid_score).weights)
    assert q.result(rid_score).params == p.result(rid_score).params
    assert q.result(rid_score).params["spec"]["normalisation"] == "goalposts"
    # tokens still work in the imported project (only hashes were exported), ids continue
    q.open_round("atelier", 2, methods="direct")
    assert q.submit(tok["token"].iloc[7], pd.DataFrame({"node": DIMS, "value": [5.0] * 7})) == 7
    assert q.observations().shape == p.observations().shape
    pd.testing.assert_frame_equal(q.resources(), p.resources(), check_exact=True)  # 0.1 + 0.2 and 1/3 exact
    q.import_observations(pd.DataFrame({"unit": ["tera"], "wave": ["2025"], "indicator": ["emplois_etp"],
                                        "value": [1.0]}))
    assert q.imports()["id"].tolist() == [1, 2, 3, 4]


def test_recompute_detects_changed_result(rich):
    p, _tok, rid_view, _ = rich
    assert p.verify(rid_view)
    with p.engine.begin() as conn:  # someone edits a stored figure by hand
        row = conn.execute(sa.select(S.results.c.table_json).where(S.results.c.id == rid_view)).scalar_one()
        conn.execute(S.results.update().where(S.results.c.id == rid_view)
                     .values(table_json=row.replace("habitants", "habitant·es", 1)))
    assert not p.verify(rid_view)


def test_tampered_export_refused_and_nothing_created(rich, location2, tmp_path):
    p = rich[0]
    folder = p.export(tmp_path / "export")
    csv = folder / "observations.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace("tera", "terra", 1), encoding="utf-8")
    with pytest.raises(ce.StoreError, match="checksum"):
        ce.Project.import_folder(folder, location2)
    with pytest.raises(ce.StoreError):
        ce.Project.open(location2)


def test_export_with_orphan_rows_refused_and_nothing_created(rich, location2, tmp_path):
    """Rows whose parent is missing (a unit renamed in observations.csv, the checksum recomputed) are
    refused as a whole: SQLite's one check after the inserts (the write runs without row-by-row
    enforcement) or PostgreSQL's own constraint; nothing is left behind."""
    import hashlib

    p = rich[0]
    folder = p.export(tmp_path / "export")
    csv = folder / "observations.csv"
    csv.write_text(csv.read_text(encoding="utf-8").replace(",tera,", ",terra,"), encoding="utf-8")
    manifest = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    manifest["files"]["observations.csv"]["sha256"] = hashlib.sha256(csv.read_bytes()).hexdigest()
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    with pytest.raises(ce.StoreError, match=r"observations.csv: \d+ row\(s\) refer to a missing row of units|"
                                            r"a constraint refused the write"):
        ce.Project.import_folder(folder, location2)
    with pytest.raises(ce.StoreError):
        ce.Project.open(location2)
    csv.write_text(csv.read_text(encoding="utf-8").replace(",terra,", ",tera,"), encoding="utf-8")
    manifest["files"]["observations.csv"]["sha256"] = hashlib.sha256(csv.read_bytes()).hexdigest()
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    assert ce.Project.import_folder(folder, location2).counts() == p.counts()  # the same folder, repaired


def test_key_never_exported_but_pseudonyms_kept_with_the_key_file(rich, location2, tmp_path):
    """Issue 16: the key is never exported; the copy keeps the pseudonyms when given the key file."""
    p = rich[0]
    with pytest.raises(ce.StoreError, match="never exported"):
        p.export(tmp_path / "secret", include_secrets=True)
    folder = p.export(tmp_path / "export")
    key = p._pseudonym_key()
    assert not any(key in f.read_text(encoding="utf-8") for f in folder.rglob("*") if f.is_file())
    blind = ce.Project.import_folder(folder, tmp_path / "aveugle.coopeval")  # no key: read, but no new identities
    assert len(blind.responses()) == len(p.responses())
    with pytest.raises(ce.StoreError, match="pseudonymisation key: expected the environment variable"):
        blind.import_responses(p.responses().head(1).assign(respondent="quelqu'un", wave="2026"))
    q = ce.Project.import_folder(folder, location2, key_file=p.key_path())
    again = pd.DataFrame({"respondent": ["pers0"], "unit": ["tera"], "wave": ["2025"], "college": ["habitants"],
                          "item": [p.responses()["item"].iloc[0]], "value": [3]})
    q.import_responses(again)
    r = q.responses()
    first = p.responses().query("wave == '2024'")["respondent"].iloc[0]  # pers0 comes first
    assert r.query("wave == '2025'")["respondent"].iloc[0] == first


def test_export_refuses_non_empty_folder(project, tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "autre.txt").write_text("déjà là")
    with pytest.raises(ce.StoreError, match="empty or new folder"):
        project.export(tmp_path / "x")


def _as_schema10(folder) -> dict:  # noqa: ANN001
    """Rewrite an export's respondents.csv and responses.csv as schema 10 wrote them (no ``id``; the
    pseudonym in each response), with their checksums; returns the manifest, marked version 10."""
    import hashlib

    who = pd.read_csv(folder / "respondents.csv", dtype=str, keep_default_na=False)
    resp = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    name = dict(zip(who["id"], who["respondent"], strict=True))
    who = who.drop(columns="id").iloc[::-1]  # schema 10 listed them by pseudonym: another order than the ids
    resp = resp.assign(respondent_id=resp["respondent_id"].map(name)).rename(columns={"respondent_id": "respondent"})
    manifest = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    for file, table in (("respondents.csv", who), ("responses.csv", resp)):
        table.to_csv(folder / file, index=False, lineterminator="\n")
        manifest["files"][file]["sha256"] = hashlib.sha256((folder / file).read_bytes()).hexdigest()
    manifest["schema_version"] = 10
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    return manifest


def test_schema10_export_imported_with_respondent_ids(rich, location2, tmp_path):
    """Schema 11: responses refer to their respondent by ``respondents.id``. An export of schema 10
    (the pseudonym in each response) is imported: respondents numbered in file order, the same
    responses read back, and new responses imported after them."""
    p, _, _, rid_score = rich
    folder = p.export(tmp_path / "export")
    _as_schema10(folder)
    q = ce.Project.import_folder(folder, location2)
    pd.testing.assert_frame_equal(q.responses(), p.responses(), check_exact=True)
    with q.engine.connect() as conn:
        who = conn.execute(sa.select(S.respondents.c.id, S.respondents.c.respondent).order_by(S.respondents.c.id)).all()
    assert [r[1] for r in who] == sorted(p.responses()["respondent"].unique(), reverse=True)  # file order
    assert [r[0] for r in who] == list(range(1, len(who) + 1))
    assert q.verify(rid_score)
    more = p.responses().head(2).assign(wave="2025", respondent=["r_0123456789abcdef", "r_0123456789abcdef"])
    assert q.import_responses(more, pseudonymise=False) == 2
    assert len(q.responses()) == len(p.responses()) + 2
    # a response whose pseudonym is not among the respondents is named, and nothing is created
    resp = pd.read_csv(folder / "responses.csv", dtype=str, keep_default_na=False)
    resp.loc[0, "respondent"] = "r_inconnu"
    resp.to_csv(folder / "responses.csv", index=False, lineterminator="\n")
    import hashlib
    manifest = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    manifest["files"]["responses.csv"]["sha256"] = hashlib.sha256((folder / "responses.csv").read_bytes()).hexdigest()
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    with pytest.raises(ce.StoreError, match=r"responses\.csv, line 2: respondent 'r_inconnu' is not in respondents\.csv"):
        ce.Project.import_folder(folder, tmp_path / "autre.coopeval")
    assert not (tmp_path / "autre.coopeval").exists()


def test_version2_export_imported_without_resources(rich, location2, tmp_path):
    """An export written at schema version 2 (no resources.csv) is imported; resources start empty."""
    p = rich[0]
    folder = p.export(tmp_path / "export")
    manifest = _as_schema10(folder)
    manifest["schema_version"] = 2
    del manifest["files"]["resources.csv"]
    (folder / "resources.csv").unlink()
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    q = ce.Project.import_folder(folder, location2)
    assert q.schema_version == S.SCHEMA_VERSION and q.resources().empty
    assert q.counts()["observations"] == p.counts()["observations"]
    assert q.audit()["detail"].iloc[-1]["from_schema_version"] == 2
    manifest["schema_version"] = 1
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    with pytest.raises(ce.StoreError, match=f"expected 2 to {S.SCHEMA_VERSION}, found 1"):
        ce.Project.import_folder(folder, tmp_path / "autre.coopeval")


def test_results_of_any_size_round_trip(project, location2, tmp_path):
    """A result table above the csv module's 131,072-character field limit (here > 1 MB of JSON)
    is exported in its own file and imported back exactly; the recomputation still verifies
    (issue 21: import_folder failed with `field larger than field limit`)."""
    from coopeval.store.results import table_to_json

    p = project
    fw = p.framework()
    units = [f"coop{i:03d}" for i in range(120)]
    rng = np.random.default_rng(21)
    ind = fw.indicators.query("kind == 'quantitative'")
    p.import_observations(pd.DataFrame([{"unit": u, "wave": w, "indicator": r.indicator,
                                         "value": float(rng.uniform(r.lower, r.upper))}
                                        for u in units for w in ("2023", "2024") for r in ind.itertuples()]))
    table, rid = p.score(normalisation="goalposts")
    assert len(table_to_json(table)) > 1_000_000
    big = pd.DataFrame({"text": ["« long » texte, avec virgules\net retours"] * 30_000, "x": np.arange(30_000) / 7})
    rid_big = p.save_result("note", big)
    folder = p.export(tmp_path / "export")
    assert (folder / "results" / f"result_{rid}.json").stat().st_size > 1_000_000
    assert "table_json" not in (folder / "results.csv").read_text(encoding="utf-8").splitlines()[0]
    q = ce.Project.import_folder(folder, location2)
    assert q.verify(rid)
    pd.testing.assert_frame_equal(q.result(rid).table, p.result(rid).table, check_exact=True)
    pd.testing.assert_frame_equal(q.result(rid_big).table, big, check_exact=True)


def test_old_exports_with_large_json_in_results_csv_import(rich, location2, tmp_path):
    """Exports written before result tables had their own file (JSON in results.csv) still import,
    whatever the size of the field."""
    import csv
    import hashlib

    p, _, _, rid_score = rich
    folder = p.export(tmp_path / "export")
    path = folder / "results.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for r in rows:
        r["table_json"] = (folder / r.pop("table_file")).read_text(encoding="utf-8") + " " * 200_000
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    manifest = yaml.safe_load((folder / "project.yaml").read_text(encoding="utf-8"))
    manifest["files"]["results.csv"]["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    (folder / "project.yaml").write_text(yaml.safe_dump(manifest, sort_keys=False), encoding="utf-8")
    q = ce.Project.import_folder(folder, location2)
    assert q.verify(rid_score)
