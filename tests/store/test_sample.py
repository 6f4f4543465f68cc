"""The sample project built from the bundled datasets: complete, replayed, idempotent."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import coopeval as ce
from coopeval.store import sample_project


def test_sample_project_built_once(tmp_path):
    panel = ce.datasets.load("panel_synthetique")
    delib = ce.datasets.load("deliberation_exemple")
    delib = delib if not isinstance(delib, dict) else delib["judgements"]
    path = tmp_path / "exemple.coopeval"
    p = sample_project(path)
    counts = p.counts()
    assert counts["units"] == len(panel["units"])
    qual = ce.datasets.load("qualitatif_exemple")  # issue 17: grids, extracts, codes, actions
    assert counts["observations"] == len(panel["observations"]) + len(qual["grids"])
    assert (counts["extracts"], counts["codes"], counts["codebook"], counts["actions"]) == (
        len(qual["extracts"]), len(qual["codes"]), len(qual["codebook"]), len(qual["actions"]))
    assert counts["responses"] == len(panel["responses"])
    assert counts["resources"] == len(panel["resources"]) == 310
    pd.testing.assert_frame_equal(p.resources(), panel["resources"].astype({"wave": str}), check_dtype=False)
    # an Evaluation assembled from the project sees the resources (socio-economic model)
    from coopeval.evaluation import Evaluation

    ev = Evaluation.from_project(p)
    assert ev.resources is not None and len(ev.resources) == 310
    u, w = ev.resources["unit"].iloc[0], ev.resources["wave"].iloc[0]
    assert len(ev.resources_of(u, w)) == int(((panel["resources"]["unit"] == u)
                                                & (panel["resources"]["wave"] == w)).sum()) > 0
    assert counts["judgements"] == len(delib)
    # ... and its qualitative evidence, speakers pseudonymised
    assert len(ev.evidence.extracts) == len(qual["extracts"])
    assert not set(ev.evidence.extracts["speaker"]) & set(qual["extracts"]["speaker"])
    assert ev.actions("u01", "3")["action"].unique().tolist() == ["a01", "a02", "a03", "a04"]
    # the replayed deliberation: every round closed, every participant's set stored as sent
    rounds = p.rounds()
    rounds = rounds[rounds["session"].isin(delib["session"].astype(str))]  # not the framework round (issue 22)
    assert (rounds["status"] == "closed").all() and len(rounds) == delib.groupby(["session", "round"]).ngroups
    j = p.judgements().sort_values(["session", "round", "participant", "node", "value"]).reset_index(drop=True)
    want = (delib.astype({"round": int, "value": float})
            .sort_values(["session", "round", "participant", "node", "value"]).reset_index(drop=True))
    pd.testing.assert_frame_equal(j, want[j.columns], check_dtype=False)
    # pseudonymised respondents, none of the dataset's ids
    assert not set(p.responses()["respondent"]) & set(panel["responses"]["respondent"].astype(str))
    n_audit = len(p.audit())
    p.close()
    q = sample_project(path)  # idempotent: opens, adds nothing
    assert q.counts() == counts and len(q.audit()) == n_audit
    q.close()


def test_sample_framework_round_shows_in_restitution(tmp_path):
    """Issue 22: the sample's framework round is in the register and in the restitution."""
    p = sample_project(tmp_path / "exemple.coopeval")
    reg = p.decisions()
    assert reg[["op", "outcome"]].values.tolist() == [["keep", "adopted"], ["reword", "adopted"],
                                                       ["remove", "rejected"], ["add", "rejected"],
                                                       ["material", "adopted"]]
    assert (reg["votes"].iloc[0]["financeurs"] == {"hidden": True}  # 2 people: hidden, and one more with them
            and reg["votes"].iloc[0]["salarie_es"] == {"hidden": True})
    assert reg["votes"].iloc[0]["ensemble"] == {"n": 13, "for": 13, "against": 0, "abstain": 0}
    versions = p.framework_versions()
    assert versions["number"].tolist() == [1, 2] and versions["parent"].iloc[1] == versions["hash"].iloc[0]
    ev = p.evaluation(n=50)
    assert ev.fw.hash == versions["hash"].iloc[1] and ev.decisions is not None
    _scores, rid = p.score(n=50)
    assert p.results().set_index("id").loc[rid, "framework_number"] == 2
    doc = ce.report.restitution(ev, ev.units["unit"].iloc[0], 2)
    assert "Ce que nous avons décidé de mesurer" in doc and "Retirer « Surface de lieux mutualisés" in doc
    assert "Financeurs : non affiché" in doc and "version n° 2" in doc
    p.close()


def test_sample_refuses_other_project(tmp_path):
    path = tmp_path / "autre.coopeval"
    ce.Project.create(path).close()
    with pytest.raises(ce.StoreError, match="sample project"):
        sample_project(path)


def _euros(cell: str) -> list[int]:
    """The euro amounts written in a report cell (« 7 208 € (7 208 € – 7 208 €) » → [7208, 7208, 7208])."""
    return [int(re.sub(r"\D", "", m)) for m in re.findall(r"(\d[\d\u202f ]*)\s*€", cell)]


def test_sample_ledger_in_restitution(tmp_path):
    """Issue 18: the sample's « Qui pourrait co-financer quoi » shows, in the restitution report, the
    numbers of Evaluation.ledger_of — each value being the panel's observation times the catalogue's
    reference value, each convention amount the panel's resource line — and the ledger leaves the scores
    alone (they are compared across doors in tests/dashboards/test_doors.py)."""
    import html as H

    p = sample_project(tmp_path / "exemple.coopeval")
    ev = p.evaluation(n=50)
    unit, wave = "u01", "3"
    led = ev.ledger_of(unit, wave)
    doc = ce.report.restitution(ev, unit, wave)
    section = doc.split('<h2 id="ledger">')[1].split("<h2")[0]
    assert "Qui pourrait co-financer quoi" in doc and "à quantifier" in section
    rows = [[H.unescape(re.sub(r"<[^>]+>", "", c)) for c in re.findall(r"<td[^>]*>(.*?)</td>", r)]
            for r in re.findall(r"<tr>(.*?)</tr>", section)[1:]]
    cof = led.cofinancing.set_index("beneficiary")
    assert [r[0] for r in rows] == cof.index.tolist() == ["Commune et intercommunalité", "climat"]
    for r in rows:
        want = cof.loc[r[0]]
        amounts = [round(want["value"]), round(want["value_low"]), round(want["value_high"])]
        assert _euros(r[3]) == (amounts[:1] if len(set(amounts)) == 1 else amounts)  # no range: one amount
        assert _euros(r[5]) == ([] if pd.isna(want["convention_amount"]) else [round(want["convention_amount"])])
    # independently: quantity = the panel's observation, proxy = the catalogue at the ledger's year
    panel = ce.datasets.load("panel_synthetique")
    obs = panel["observations"].query("unit == @unit and wave == 3").set_index("indicator")["value"]
    omr = ce.valuation.reference_value("cout_aide_omr_ademe_2006", led.year).value
    assert cof.loc["Commune et intercommunalité", "value"] == pytest.approx(obs["dechets_detournes"] * omr)
    assert _euros(rows[0][3])[0] == round(obs["dechets_detournes"] * omr)
    res = panel["resources"].query("unit == @unit and wave == 3 and source == 'subvention commune ou intercommunalité'")
    assert _euros(rows[0][5]) == [round(float(res["amount"].sum()))]
    assert rows[0][6] == "déchets détournés de l'enfouissement (réemploi, recyclage)"  # no convention covers it yet
    # the EBE's avoided costs: FTE of the wave times the TZCLD committee's value and its published range
    ebe = ev.ledger_of("u10", wave).entries.set_index("externality").iloc[0]
    ref = ce.valuation.reference_value("couts_evites_tzcld_comite_2025", led.year)
    etp = panel["observations"].query("unit == 'u10' and wave == 3 and indicator == 'emplois_etp'")["value"].iloc[0]
    assert (ebe["value"], ebe["value_low"], ebe["value_high"]) == pytest.approx((etp * ref.value, etp * ref.low,
                                                                                 etp * ref.high))
    p.close()
