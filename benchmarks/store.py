"""Store and interaction at the scale of a regional observatory (issue 21).

A project of 100 cooperations x 5 waves, 20,000 respondents (17 answers each: 340,000
response rows) and the observations of every quantitative indicator; the bundled
deliberation (592 judgements) gives the weights of the « Et si… ? » timings. Each step is
timed once (wall clock, seconds) in a fresh temporary folder::

    python benchmarks/store.py            # prints JSON
    python benchmarks/store.py --quick    # 10 cooperations, 2,000 respondents
    python benchmarks/store.py --scaling  # the steps at 68,000 to 680,000 answer rows (``scaling``)

Steps: ``import_observations``, ``import_responses`` (validation, pseudonymisation,
insert), ``read_responses`` (``p.responses()``), ``score`` (``p.score()``: score and store
the result), ``export``, ``import_folder``, ``verify`` (recompute the stored score in the
imported project), ``from_project`` (``Evaluation.from_project``), ``first_what_if``
(first « Et si… ? » answer: aggregation of the judgements, survey scales, scores),
``what_if_dimension`` and ``what_if_college`` (median of 9 slider moves, milliseconds).

A bound beside the import: ``insert_bound`` is the driver alone writing the same stored rows
(the pseudonymised responses read back) into the same ``responses`` table of a fresh project
(same indexes, unique key and foreign keys, WAL, the import's page cache, one transaction, 500
rows to a statement as the import's insert), with no validation, no pseudonymisation and no Python-side conversion. Like the
import, whose transaction writes and checks the parents of its rows itself, it inserts with SQLite's
row-by-row foreign-key enforcement off (``PRAGMA foreign_keys=OFF``; its parents are written
beforehand, untimed), so that the two stay like for like. ``import_responses`` over
``insert_bound`` is what coopeval adds to what SQLite itself costs on this machine.
"""

from __future__ import annotations

import json
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import coopeval as ce  # noqa: E402

COLLEGES = ["benevoles", "habitants", "entreprises", "collectivites", "financeurs", "salarie_es"]


def make_data(fw, n_units: int, n_respondents: int, n_waves: int = 5, seed: int = 21):
    rng = np.random.default_rng(seed)
    units = [f"coop{i:03d}" for i in range(n_units)]
    waves = [str(2021 + k) for k in range(n_waves)]
    ind = fw.indicators[fw.indicators["kind"] == "quantitative"]
    lo, hi = ind["lower"].to_numpy(float), ind["upper"].to_numpy(float)
    grid = pd.MultiIndex.from_product([units, waves], names=["unit", "wave"]).to_frame(index=False)
    obs = grid.loc[grid.index.repeat(len(ind))].reset_index(drop=True)
    obs["indicator"] = np.tile(ind["indicator"].to_numpy(), len(grid))
    obs["value"] = np.round(rng.uniform(np.tile(lo, len(grid)), np.tile(hi, len(grid))), 3)
    items = fw.items["item"].to_numpy()[:17]
    who = pd.DataFrame({"respondent": [f"pers{i:05d}" for i in range(n_respondents)],
                        "unit": np.array(units)[np.arange(n_respondents) % n_units],
                        "wave": np.array(waves)[(np.arange(n_respondents) // n_units) % n_waves],
                        "college": np.array(COLLEGES)[rng.integers(0, len(COLLEGES), n_respondents)]})
    resp = who.loc[who.index.repeat(len(items))].reset_index(drop=True)
    resp["item"] = np.tile(items, n_respondents)
    resp["value"] = rng.integers(1, 6, len(resp))
    return obs, resp


_CPU: dict = {}


def insert_bound(path: Path, fw, stored: pd.DataFrame, per: int = 500) -> float:
    """Seconds for SQLite alone to insert ``stored`` (pseudonymised responses) into the
    ``responses`` table of a fresh project: one transaction, ``per`` rows to a statement
    (``VALUES (…), (…), …``: the driver's ``executemany`` of a one-row statement took 1.3-1.6× as
    long, 3 Dec), their parameters laid out before the clock starts (their parents, units, waves,
    respondents and an import, are written first, untimed, with foreign keys enforced; the timed
    insert runs without SQLite's row-by-row enforcement, as the import's own insert: see the
    module docstring)."""
    ce.Project.create(path, framework=fw).close()
    people = stored["respondent"].unique()
    number = {r: i for i, r in enumerate(people, start=1)}  # the ids the respondents get below
    columns = [stored["respondent"].map(number).tolist(),
               *(stored[c].tolist() for c in ["unit", "wave", "college", "item", "value"])]
    con = sqlite3.connect(path, isolation_level=None)
    try:
        from coopeval.store.rows import BULK_CACHE_KIB

        # as coopeval's engine, and the page cache of its bulk inserts
        for pragma in ("journal_mode=WAL", "foreign_keys=ON", "synchronous=NORMAL", f"cache_size=-{BULK_CACHE_KIB}"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN")
        con.executemany("INSERT INTO units (unit) VALUES (?)", [(u,) for u in stored["unit"].unique()])
        con.executemany("INSERT INTO waves (wave) VALUES (?)", [(w,) for w in stored["wave"].unique()])
        con.executemany("INSERT INTO respondents (id, respondent, created_at) VALUES (?, ?, '2026-01-01')",
                        [(number[r], r) for r in people])
        import_id = con.execute("INSERT INTO imports (kind, sha256, framework_hash, n_rows, at, role) VALUES "
                                "('responses', '', (SELECT hash FROM frameworks LIMIT 1), 0, '2026-01-01', 'researcher') "
                                "RETURNING id").fetchone()[0]
        con.execute("COMMIT")
        flat = [v for row in zip(*columns, [import_id] * len(stored), strict=True) for v in row]
        n_cols = len(columns) + 1
        whole = len(stored) - len(stored) % per
        head = "INSERT INTO responses (respondent_id, unit, wave, college, item, value, import_id) VALUES "
        group = "(?, ?, ?, ?, ?, ?, ?)"
        chunks = [flat[i:i + per * n_cols] for i in range(0, whole * n_cols, per * n_cols)]
        rest = flat[whole * n_cols:]
        con.execute("PRAGMA foreign_keys=OFF")  # as the import's transaction (its parents are written above)
        t = time.perf_counter()
        con.execute("BEGIN")
        con.executemany(head + ", ".join([group] * per), chunks)
        if rest:
            con.execute(head + ", ".join([group] * (len(rest) // n_cols)), rest)
        con.execute("COMMIT")
        return time.perf_counter() - t
    finally:
        con.close()


def _time(f, name: str | None = None):
    """Wall-clock seconds and result of ``f()``; its CPU seconds (``time.process_time``) are kept
    under ``name`` (reported beside the wall clock: the machine is shared)."""
    t, c = time.perf_counter(), time.process_time()
    out = f()
    if name is not None:
        _CPU[name] = time.process_time() - c
    return time.perf_counter() - t, out


def store_steps(fw, obs: pd.DataFrame, resp: pd.DataFrame) -> dict:
    """The store's steps on these observations and responses, in a fresh temporary folder:
    ``seconds`` of each (and their CPU seconds in ``_CPU``), ``verified`` and ``import_over_bound``."""
    sec: dict = {}
    res: dict = {"seconds": sec}
    with tempfile.TemporaryDirectory() as tmp:
        p = ce.Project.create(Path(tmp) / "obs.coopeval", framework=fw)
        sec["import_observations"], _ = _time(lambda: p.import_observations(obs), "import_observations")
        sec["import_responses"], _ = _time(lambda: p.import_responses(resp), "import_responses")
        sec["read_responses"], _ = _time(p.responses, "read_responses")
        sec["score"], (_, rid) = _time(lambda: p.score(normalisation="goalposts"), "score")
        sec["export"], folder = _time(lambda: p.export(Path(tmp) / "export"), "export")
        sec["import_folder"], q = _time(lambda: ce.Project.import_folder(folder, Path(tmp) / "copy.coopeval"), "import_folder")
        sec["verify"], ok = _time(lambda: q.verify(rid), "verify")
        res["verified"] = bool(ok)
        sec["from_project"], _ = _time(lambda: ce.Evaluation.from_project(p), "from_project")
        stored = p.responses()
        p.close()
        q.close()
        sec["insert_bound"] = insert_bound(Path(tmp) / "bound.coopeval", fw, stored)
        _CPU["insert_bound"] = sec["insert_bound"]  # the timed call is the driver's, in this process
        res["import_over_bound"] = sec["import_responses"] / sec["insert_bound"]
    return res


def run(n_units: int = 100, n_respondents: int = 20_000) -> dict:
    fw = ce.load_framework("cooperation_territoriale")
    obs, resp = make_data(fw, n_units, n_respondents)
    res: dict = {"sizes": {"units": n_units, "waves": 5, "respondents": n_respondents, "response_rows": len(resp),
                           "observation_rows": len(obs)}, **store_steps(fw, obs, resp)}
    sec = res["seconds"]
    judgements = ce.datasets.load("deliberation_exemple")
    judgements = judgements["judgements"] if isinstance(judgements, dict) else judgements
    ev = ce.Evaluation(fw, obs, resp, judgements, min_group=3)  # unequal voices: « Social » has 3 per college
    sec["first_what_if"], _ = _time(lambda: ev.what_if({fw.dimension_ids[0]: 30}), "first_what_if")
    dims, cols = [], []
    colleges = ev.colleges
    for k in range(9):
        dims.append(_time(lambda k=k: ev.what_if({fw.dimension_ids[0]: 10 + 5 * k}))[0])
        shares = dict.fromkeys(colleges, 1 / len(colleges))
        shares[colleges[0]] += 0.01 * (k + 1)
        shares[colleges[1]] -= 0.01 * (k + 1)
        cols.append(_time(lambda s=shares: ev.what_if(college_shares=s))[0])
    res["cpu_seconds"] = dict(_CPU)
    res["ms"] = {"what_if_dimension": 1000 * statistics.median(dims), "what_if_college": 1000 * statistics.median(cols)}
    return res


#: Sizes of the store's scaling table: cooperations and respondents (17 answers each, 5 waves).
SCALING = ((20, 4_000), (50, 10_000), (100, 20_000), (200, 40_000))
#: The steps of the scaling table, in its column order (each a key of a row of :func:`scaling`).
SCALING_STEPS = ("import_responses", "insert_bound", "read_responses", "score", "export", "import_folder", "verify",
                 "from_project")


def scaling(sizes=SCALING) -> list[dict]:
    """The store's steps at each size (one run each, smallest first): how their cost grows with the
    number of answer rows. Each row: ``units, respondents, response_rows``, the seconds of every step
    and the import over SQLite's own insert of the same rows."""
    fw = ce.load_framework("cooperation_territoriale")
    out = []
    for n_units, n_respondents in sizes:
        obs, resp = make_data(fw, n_units, n_respondents)
        res = store_steps(fw, obs, resp)
        out.append({"units": n_units, "respondents": n_respondents, "response_rows": len(resp),
                    **res["seconds"], "import_over_bound": res["import_over_bound"], "verified": res["verified"]})
    return out


def growth(rows: list[dict], step: str) -> float:
    """Exponent ``b`` of ``seconds ~ rows^b`` for ``step`` between the smallest and the largest size
    (1: linear in the answer rows)."""
    a, z = rows[0], rows[-1]
    return float(np.log(z[step] / a[step]) / np.log(z["response_rows"] / a["response_rows"]))


if __name__ == "__main__":
    quick = "--quick" in sys.argv
    if "--scaling" in sys.argv:
        print(json.dumps(scaling(((2, 200), (5, 500)) if quick else SCALING), indent=2))
    else:
        print(json.dumps(run(10, 2000) if quick else run(), indent=2))
