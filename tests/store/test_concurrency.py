"""Concurrency: 40 processes x 25 judgement sets submitted at once to the same open round.

Each of the 1,000 participants has a token; process k submits the sets of its 25
participants right after all 40 processes are ready (a barrier). Every set is a
'points' allocation over the seven dimensions whose values encode the participant,
so that we can check that each stored set is exactly the one sent, once.
"""

from __future__ import annotations

import multiprocessing as mp
import time

import pandas as pd
import pytest

import coopeval as ce

N_PROC, PER_PROC = 40, 25
DIMS = ["social", "emploi", "ecologie", "territoire", "gouvernance", "economie", "externalites"]


def points(i: int) -> pd.DataFrame:
    """Points (total 100) of participant i: social = i mod 41, the rest shared evenly-ish."""
    first = i % 41
    rest = 100 - first
    others = [rest // 6] * 6
    others[0] += rest - sum(others)
    return pd.DataFrame({"node": DIMS, "value": [float(first)] + [float(v) for v in others]})


def _worker(location: str, tokens: list[tuple[int, str]], barrier, errors) -> None:  # noqa: ANN001
    try:
        p = ce.Project.open(location, role="participant")
        p.framework(p.framework().hash)  # warm the framework cache before the start
        barrier.wait(timeout=120)
        for i, token in tokens:
            p.submit(token, points(i))
        p.close()
    except Exception as err:  # noqa: BLE001 - reported to the parent
        errors.put(f"{type(err).__name__}: {err}")


@pytest.mark.slow
def test_forty_processes_submit_at_once(location, fw):
    p = ce.Project.create(location, framework=fw)
    p.create_session("grand_debat")
    roster = pd.DataFrame({"participant": [f"p{i:04d}" for i in range(N_PROC * PER_PROC)],
                           "college": [("habitants", "salaries", "benevoles", "elus")[i % 4]
                                       for i in range(N_PROC * PER_PROC)]})
    tokens = p.add_participants("grand_debat", roster)["token"].tolist()
    p.as_role("facilitator").open_round("grand_debat", 1, methods="points")
    p.close()

    ctx = mp.get_context("fork")
    barrier, errors = ctx.Barrier(N_PROC), ctx.Queue()
    procs = [ctx.Process(target=_worker, args=(location, [(i, tokens[i]) for i in
                                                          range(k * PER_PROC, (k + 1) * PER_PROC)], barrier, errors))
             for k in range(N_PROC)]
    t0 = time.monotonic()
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=300)
    elapsed = time.monotonic() - t0
    failures = []
    while not errors.empty():
        failures.append(errors.get())
    assert not failures, failures[:5]
    assert all(proc.exitcode == 0 for proc in procs)

    p = ce.Project.open(location)
    j = p.judgements("grand_debat", 1)
    # all 1,000 sets present exactly once: 7,000 judgements, one per participant and node
    assert len(j) == N_PROC * PER_PROC * len(DIMS)
    assert not j.duplicated(["participant", "node"]).any()
    assert j["participant"].nunique() == N_PROC * PER_PROC
    assert p.rounds("grand_debat")["n_submissions"].tolist() == [N_PROC * PER_PROC]
    # each stored set is exactly the one its participant sent
    got = j.pivot(index="participant", columns="node", values="value")[DIMS]
    want = pd.DataFrame([points(i)["value"].tolist() for i in range(N_PROC * PER_PROC)],
                        index=roster["participant"], columns=DIMS)
    pd.testing.assert_frame_equal(got, want, check_names=False)
    assert (p.audit()["action"] == "submit").sum() == N_PROC * PER_PROC

    # after the round closes, a submission is refused and nothing changes
    p.as_role("facilitator").close_round("grand_debat", 1)
    with pytest.raises(ce.StoreError, match="submission refused"):
        p.submit(tokens[0], points(0))
    assert len(p.judgements("grand_debat")) == N_PROC * PER_PROC * len(DIMS)
    p.close()
    print(f"40 processes x 25 submissions: {elapsed:.1f} s wall clock")
    assert elapsed < 120, f"40 x 25 submissions took {elapsed:.1f} s"


# ---------------------------------------------------------------------- two tabs of one link
N_RACE = 6


def _slow_checks(delay: float) -> None:
    """Make the (outside-transaction) checks of ``submit`` slow, so that two submissions of
    the same participant both pass the early 'already submitted?' read before either
    writes: only the check inside the write transaction can then refuse the second."""
    from coopeval.store import checks

    fast = checks.judgements

    def slow(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        out = fast(*args, **kwargs)
        time.sleep(delay)
        return out
    checks.judgements = slow


def _tab(location: str, tokens: list[str], tab: int, replace: bool, barrier, results) -> None:  # noqa: ANN001
    try:
        p = ce.Project.open(location, role="participant")
        p.framework(p.framework().hash)
        _slow_checks(0.4)
        for k, token in enumerate(tokens):
            barrier.wait(timeout=60)  # both tabs submit participant k at the same moment
            try:
                p.submit(token, points(10 * k + tab), replace=replace)
                results.put((k, tab, "stored"))
            except ce.StoreError as err:
                results.put((k, tab, str(err).split(":", 1)[0]))
        p.close()
    except Exception as err:  # noqa: BLE001 - reported to the parent
        results.put((-1, tab, f"{type(err).__name__}: {err}"))


def _race(location: str, fw, replace: bool) -> tuple[ce.Project, list[str], list[tuple]]:  # noqa: ANN001
    p = ce.Project.create(location, framework=fw)
    p.create_session("onglets")
    roster = pd.DataFrame({"participant": [f"p{k}" for k in range(N_RACE)], "college": "habitants"})
    tokens = p.add_participants("onglets", roster)["token"].tolist()
    p.open_round("onglets", 1, methods="points")
    ctx = mp.get_context("fork")
    barrier, results = ctx.Barrier(2), ctx.Queue()
    procs = [ctx.Process(target=_tab, args=(location, tokens, tab, replace, barrier, results)) for tab in (1, 2)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=120)
    out = []
    while not results.empty():
        out.append(results.get())
    return p, tokens, sorted(out)


def test_two_tabs_submit_at_once_one_is_refused(location, fw):
    """Two processes submit each participant's set at the same instant (replace=False):
    exactly one set stored per participant, the other refused as already submitted."""
    p, tokens, out = _race(location, fw, replace=False)
    assert len(out) == 2 * N_RACE and all(k >= 0 for k, _, _ in out), out
    for k in range(N_RACE):
        got = sorted(r for kk, _, r in out if kk == k)
        assert got == ["stored", "submitted"], (k, got)
    j = p.judgements("onglets", 1)
    assert len(j) == N_RACE * len(DIMS) and not j.duplicated(["participant", "node"]).any()
    assert p.rounds("onglets")["n_submissions"].tolist() == [N_RACE]
    # the stored set is the winner's, whole (not a mix of both tabs)
    winner = {k: tab for k, tab, r in out if r == "stored"}
    for k in range(N_RACE):
        vals = j[j["participant"] == f"p{k}"].set_index("node")["value"][DIMS].tolist()
        assert vals == points(10 * k + winner[k])["value"].tolist()
    subs = p.audit().query("action == 'submit'")
    assert len(subs) == N_RACE and not any(d["replaced"] for d in subs["detail"])
    assert p.token_info(tokens[0]).status == "submitted"
    p.close()


def test_two_tabs_revising_at_once_keep_one_set(location, fw):
    """With replace=True both submissions are accepted one after the other (the second
    replaces the first): one set per participant, one revision audited each."""
    p, _, out = _race(location, fw, replace=True)
    assert [r for _, _, r in out] == ["stored"] * (2 * N_RACE), out
    j = p.judgements("onglets", 1)
    assert len(j) == N_RACE * len(DIMS) and not j.duplicated(["participant", "node"]).any()
    assert p.rounds("onglets")["n_submissions"].tolist() == [N_RACE]
    subs = p.audit().query("action == 'submit'")
    assert len(subs) == 2 * N_RACE and sum(d["replaced"] for d in subs["detail"]) == N_RACE
    p.close()
