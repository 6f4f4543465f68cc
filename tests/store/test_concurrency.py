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
