"""Stored uncertainty results recompute identically (same seed, data, weights and options)."""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.store.results import table_from_json, table_to_json

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


@pytest.fixture
def deliberated(project):
    """The panel's observations and a closed round of direct ratings by two colleges."""
    obs = ce.datasets.load("panel_synthetique")["observations"]
    project.import_observations(obs[obs["unit"].isin(sorted(obs["unit"].unique())[:5])])
    project.create_session("atelier")
    roster = pd.DataFrame({"participant": [f"p{i}" for i in range(8)], "college": ["habitants", "elus"] * 4})
    tokens = project.add_participants("atelier", roster)["token"]
    project.open_round("atelier", 1, methods="direct")
    for i, tok in enumerate(tokens):
        project.submit(tok, pd.DataFrame({"node": DIMS, "value": [(i * 3 + 2 * k) % 10 + 1 for k in range(7)]}))
    project.close_round("atelier", 1)
    return project


def test_uncertainty_recomputed_identically(deliberated, location2, tmp_path):
    p = deliberated
    opts = {"normalisations": ["goalposts", "minmax"], "sensitivity": False}
    res, rid = p.uncertainty(session="atelier", n=300, seed=11, **opts)
    stored = p.result(rid)
    spec = stored.params["spec"]
    assert stored.kind == "uncertainty" and (spec["n"], spec["seed"], spec["uncertainty"]) == (300, 11, opts)
    assert (spec["weights"]["session"], spec["weights"]["round"]) == ("atelier", 1)
    assert len(stored.inputs["judgements_sha256"]) == 64
    # the weights really vary between draws, so the same seed is what makes the result identical
    assert res.summary["score_high"].gt(res.summary["score_low"]).any()
    again = p.recompute(rid)
    pd.testing.assert_frame_equal(again, res.summary, check_exact=True)
    assert p.verify(rid)
    other, _ = p.uncertainty(session="atelier", n=300, seed=12, save=False, **opts)
    assert not other.summary.equals(res.summary)  # another seed: other draws
    # identical after export and import into a new project
    q = ce.Project.import_folder(p.export(tmp_path / "export"), location2)
    assert q.verify(rid)
    # new data change the recomputation: verify says so
    p.import_observations(pd.DataFrame({"unit": ["nouvelle"], "wave": [1], "indicator": ["emplois_etp"],
                                        "value": [3.0]}))
    assert not p.verify(rid)


def test_uncertainty_with_fixed_weights_and_options_checked(project):
    obs = ce.datasets.load("panel_synthetique")["observations"]
    project.import_observations(obs[obs["unit"].isin(sorted(obs["unit"].unique())[:4])])
    weights = {"social": 2.0, "emploi": 1.0}
    res, rid = project.uncertainty(weights=weights, n=150, seed=2, aggregations=["arithmetic", "geometric"], output_range=(1, 100),
                                   sensitivity=False)
    assert project.result(rid).params["spec"]["weights"] == {"kind": "fixed", "session": None, "round": None,
                                                             "college_shares": None, "values": weights}
    assert project.verify(rid)
    exact = table_from_json(table_to_json(res.summary))
    pd.testing.assert_frame_equal(project.result(rid).table, exact, check_exact=True)
    with pytest.raises(ce.StoreError, match="executor"):
        project.uncertainty(n=10, executor=object())
    with pytest.raises(ce.StoreError, match="session"):  # no such session in this project
        project.uncertainty(session="atelier", n=10)


def test_stored_weights_hide_a_group_of_fewer_than_min_group(project, tmp_path):
    """Four people weighted the dimensions (fewer than the minimum of 5): their mean weights were
    stored with every score result, which the collective role reads and the export writes. They
    are stored hidden (NaN); the scores still use them and recompute identically."""
    obs = ce.datasets.load("panel_synthetique")["observations"]
    project.import_observations(obs[obs["unit"].isin(sorted(obs["unit"].unique())[:3])])
    project.create_session("atelier")
    roster = pd.DataFrame({"participant": [f"p{i}" for i in range(4)], "college": ["habitants", "elus"] * 2})
    tokens = project.add_participants("atelier", roster)["token"]
    project.open_round("atelier", 1, methods="direct")
    for i, tok in enumerate(tokens):
        project.submit(tok, pd.DataFrame({"node": DIMS, "value": [(i * 3 + 2 * k) % 10 + 1 for k in range(7)]}))
    project.close_round("atelier", 1)
    _, rid = project.score(session="atelier")
    secret = project.evaluation(session="atelier").weightset().local[DIMS]
    stored = project.as_role("collective").result(rid).weights
    assert stored[DIMS].isna().all()
    assert stored.drop(DIMS).notna().all()      # the framework's weights of the groups nobody weighted
    exported = project.export(tmp_path / "export")
    text = " ".join(f.read_text(encoding="utf-8") for f in sorted(exported.rglob("result*")) if f.is_file())
    assert "series" in text                     # the stored weights are in the export (results.csv)
    assert not [v for v in secret if repr(float(v)) in text]
    assert project.verify(rid)


def test_verify_tells_rounding_from_a_change(project, monkeypatch):
    """A recomputation that differs by floating-point rounding alone (one unit in the last place, as
    another machine's linear-algebra library may give) fails the exact check and passes
    ``rtol=1e-12``; a change of 1e-6 relative, or of an identifier, fails both. ``verification``
    says which (``same``, ``rounding``, ``changed``)."""
    import numpy as np

    from coopeval.errors import StoreError

    obs = ce.datasets.load("panel_synthetique")["observations"]
    project.import_observations(obs[obs["unit"].isin(sorted(obs["unit"].unique())[:4])])
    _, rid = project.score()
    exact = project.recompute(rid)
    assert project.verify(rid) and project.verify(rid, rtol=1e-12) and project.verification(rid) == "same"
    for table, exactly, within in (
        (exact.assign(score=np.nextafter(exact["score"], np.inf)), False, True),  # one ulp up
        (exact.assign(score=exact["score"] * (1 + 1e-6)), False, False),
        (exact.assign(unit=exact["unit"].iloc[::-1].to_numpy()), False, False),
    ):
        assert exact["score"].notna().sum() > 100 and not table.equals(exact)
        monkeypatch.setattr(project, "recompute", lambda _rid, table=table: table)
        assert (project.verify(rid), project.verify(rid, rtol=1e-12)) == (exactly, within)
        # verification: the same verdict, and why (rounding: accepted within 1e-12, not exactly)
        assert project.verification(rid) == ("rounding" if within else "changed")
        assert project.verification(rid, rtol=1e-12) == ("same" if within else "changed")
    for bad in (0.01, -1e-12, True, "1e-12"):
        with pytest.raises(StoreError, match=r"parameter `rtol`: expected a number between 0 and 1e-6"):
            project.verify(rid, rtol=bad)
        with pytest.raises(StoreError, match=r"parameter `rtol`"):
            project.verification(rid, rtol=bad)
