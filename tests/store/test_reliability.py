"""Reliability under concurrency and hostile use (issue 16): each test reproduces a defect found by hand."""

from __future__ import annotations

import threading

import pandas as pd
import pytest

import coopeval as ce

DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]
INDICATORS = ("emplois_etp", "heures_benevolat", "participants_actifs")


def _obs(unit: str, wave: str) -> pd.DataFrame:
    return pd.DataFrame([{"unit": unit, "wave": wave, "indicator": ind, "value": 1.0} for ind in INDICATORS])


def _at_once(n: int, job) -> list:  # noqa: ANN001
    """Run ``job(k)`` in ``n`` threads released together; return each result or exception."""
    barrier = threading.Barrier(n)
    out: list = [None] * n

    def run(k: int) -> None:
        barrier.wait(timeout=60)
        try:
            out[k] = job(k)
        except Exception as err:  # noqa: BLE001 - collected and checked by the test
            out[k] = err
    threads = [threading.Thread(target=run, args=(k,)) for k in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_concurrent_imports_into_a_new_wave_are_all_accepted(location, fw):
    """Defect 1: imports for different units into the same new wave, at the same time, used to
    race on adding the wave (PostgreSQL: 1 accepted, 3 refused on ``waves_pkey``)."""
    ce.Project.create(location, framework=fw).close()
    projects = [ce.Project.open(location) for _ in range(4)]
    for p in projects:
        p.framework()  # warm the cache: the threads then reach the write together
    for attempt in range(5):
        wave = f"20{30 + attempt}"
        out = _at_once(4, lambda k, wave=wave: projects[k].import_observations(_obs(f"coop{k}", wave)))
        assert out == [3, 3, 3, 3], out
        # responses go through the same step (new units, new wave, new respondents)
        items = fw.items["item"].tolist()[:2]

        def respond(k: int, wave: str = wave, items: list = items, attempt: int = attempt) -> int:
            resp = pd.DataFrame([{"respondent": f"pers{k}{j}", "unit": f"new{attempt}_{k}", "wave": f"r{wave}",
                                  "college": "habitants", "item": it, "value": 3} for j in range(2) for it in items])
            return projects[k].import_responses(resp)
        assert _at_once(4, respond) == [4, 4, 4, 4]
    p = projects[0]
    assert len(p.observations()) == 5 * 4 * 3
    assert set(p.waves()["wave"]) == {f"20{30 + a}" for a in range(5)} | {f"r20{30 + a}" for a in range(5)}
    for q in projects:
        q.close()


# ---------------------------------------------------------------------- defect 2: the small-group rule
def test_collective_cannot_lower_the_minimum_group(project):
    """Defect 2: ``collective_view(min_group=2)`` by the collective role showed a college of 3."""
    project.create_session("s")
    roster = pd.DataFrame({"participant": [f"p{i}" for i in range(9)],
                           "college": ["habitants"] * 6 + ["elus"] * 3})
    tokens = project.add_participants("s", roster)["token"].tolist()
    project.open_round("s", 1, methods="points")
    for i, tok in enumerate(tokens):
        project.submit(tok, pd.DataFrame({"node": DIMS, "value": [40.0 - i, 10.0 + i] + [10.0] * 5}))
    coll = project.as_role("collective")
    for role in ("collective", "facilitator"):
        with pytest.raises(ce.StoreError, match=r"min_group.*at least the project's min_group_size \(5\)"):
            project.as_role(role).collective_view("s", 1, min_group=2)
    shown = coll.collective_view("s", 1)
    assert shown.loc[shown["college"] == "elus", "suppressed"].all()
    assert shown.loc[shown["college"] == "elus", "mean"].isna().all()
    # raising the threshold is allowed; the researcher may lower it (her own analysis)
    assert coll.collective_view("s", 1, min_group=7)["suppressed"].any()
    low = project.collective_view("s", 1, min_group=2)
    assert not low.loc[low["college"] == "elus", "suppressed"].any()
    # the participant's feedback follows the same rule
    with pytest.raises(ce.StoreError, match="min_group"):
        project.as_role("participant").token_feedback(tokens[0], min_group=2)


# ---------------------------------------------------------------------- defect 6: bad inputs refused clearly
@pytest.mark.parametrize(("key", "value", "message"), [
    ("token_ttl_hours", -1, "positive, finite number of hours"),
    ("token_ttl_hours", float("inf"), "positive, finite number of hours"),
    ("token_ttl_hours", True, "positive, finite number of hours"),
    ("min_group_size", 1, "an integer >= 2"),
    ("min_group_size", 4.5, "an integer >= 2"),
    ("cooperation_names", "oui", "one of anonymised, named"),
    ("min_grup_size", 5, "a known setting"),
])
def test_settings_are_validated_when_set(tmp_path, fw, key, value, message):
    p = ce.Project.create(tmp_path / "p.coopeval", framework=fw)
    before = p.audit()
    with pytest.raises(ce.StoreError, match=message):
        p.set_setting(key, value)
    assert p.setting(key) == ("5" if key == "min_group_size" else None)
    assert len(p.audit()) == len(before)


def test_open_on_a_text_file_is_a_store_error(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("ceci n'est pas un projet\n" * 20)
    with pytest.raises(ce.StoreError, match="path_or_url.*not a SQLite database"):
        ce.Project.open(path)
    garbage = tmp_path / "abime.coopeval"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 2000)  # right header, corrupt body
    with pytest.raises(ce.StoreError, match="abime.coopeval"):
        ce.Project.open(garbage)


# ---------------------------------------------------------------------- defect 7: messages that help
def test_a_conflict_names_its_row_and_key(project):
    """Defect 7: a conflict at row 800 of 1,000 was reported as « rows 500–999 conflict »."""
    obs = pd.DataFrame([{"unit": f"u{i:04d}", "wave": "2024", "indicator": "emplois_etp", "value": 1.0}
                        for i in range(1000)])
    project.import_observations(obs.iloc[[800]])
    before = project.counts()
    with pytest.raises(ce.StoreError) as err:
        project.import_observations(obs, source="saisie.csv")
    msg = str(err.value)
    assert "saisie.csv, line 802" in msg and "unit='u0800', wave='2024', indicator='emplois_etp'" in msg, msg
    assert "already stored; nothing was written" in msg and "500" not in msg
    with pytest.raises(ce.StoreError, match=r"observations: row 800 \(unit='u0800'"):
        project.import_observations(obs)
    assert project.counts() == before
