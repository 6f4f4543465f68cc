"""The shortcuts of a large import of responses (issue 21) give what the plain computation gives:
the same checked table, pseudonyms, plain row values and checksum; and an import, which checks the
parents of its rows itself instead of SQLite's row-by-row foreign keys, still stores no row
without its parents."""

from __future__ import annotations

import hashlib
import hmac

import numpy as np
import pandas as pd
import pytest
import sqlalchemy as sa

import coopeval as ce
from coopeval.store import checks, rows
from coopeval.store import engine as E
from coopeval.store import imports as I
from coopeval.store import respondents as R
from coopeval.store import schema as S
from coopeval.store.imports import table_digest
from coopeval.store.tokens import pseudonym, pseudonyms


@pytest.fixture(scope="module")
def fw():
    return ce.load_framework("cooperation_territoriale")


def _responses(fw, respondent: list, wave: list) -> pd.DataFrame:
    items = fw.items["item"].tolist()[:2]
    n = len(respondent)
    return pd.DataFrame({"respondent": pd.Series(respondent, dtype=object).repeat(2).to_numpy(),
                         "unit": ["tera", " tera "] * n, "wave": pd.Series(wave, dtype=object).repeat(2).to_numpy(),
                         "college": "habitants", "item": items * n, "value": [3, 4] * n})


ODD = [  # ids with spaces, ids that strip to "nan", numbers, mixed int and float waves (object columns)
    (["r1", " r2", "nan", "r4"], ["2024", "2024", "2024", "2025"]),
    ([1, 2, 3, 4], [2024, 2024.0, 2025, 2025]),
    (["a", "b", "c", "d"], [2024, 2024, 2024, 2024]),
]


@pytest.mark.parametrize(("respondent", "wave"), ODD)
def test_checks_reuse_the_validator_codes(fw, monkeypatch, respondent, wave):
    resp = _responses(fw, respondent, wave)
    fast, coded = checks.coded_responses(resp, fw)
    for col, (codes, distinct) in coded.items():
        assert distinct[codes].tolist() == fast[col].tolist()
    original = checks._validated_responses
    monkeypatch.setattr(checks, "_validated_responses", lambda r, f: (original(r, f)[0], {}))  # factorise again
    plain = checks.coded_responses(resp, fw)[0]
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert table_digest(fast, coded) == table_digest(plain)


def test_pseudonyms_are_those_of_pseudonym():
    key = "ab" * 32
    ids = ["Marie Curie", "Jean Jaurès", "", 12, "r1"]
    def one_hmac(i, n):  # the definition: one keyed HMAC-SHA-256 per identifier
        return "r_" + hmac.new(key.encode("utf-8"), str(i).encode("utf-8"), hashlib.sha256).hexdigest()[:n]

    assert pseudonyms(ids, key) == [pseudonym(i, key) for i in ids] == [one_hmac(i, 16) for i in ids]
    assert pseudonyms(ids, key, length=32) == [pseudonym(i, key, length=32) for i in ids] == [one_hmac(i, 32) for i in ids]


def test_digest_of_coded_columns_is_the_plain_checksum():
    table = pd.DataFrame({"a": ["x", "y", "x", "z"], "b": ["p", "p", "q", "p"], "value": [1.0, np.nan, 3.0, 4.0]})
    plain = hashlib.sha256(pd.util.hash_pandas_object(table, index=False).values.tobytes()).hexdigest()
    assert table_digest(table) == plain
    coded = {"a": (np.array([0, 1, 0, 3]), np.array(["x", "y", "unused", "z"], dtype=object)),
             "b": (np.array([0, 0, 1, 0]), np.array(["p", "q"], dtype=object))}
    assert table_digest(table, coded) == plain
    twice = {"a": (np.array([0, 1, 0, 2]), np.array(["x", "y", "z", "x"], dtype=object))}  # not distinct: hashed plain
    assert table_digest(table, twice) == plain


def test_records_as_opt_cell_by_cell():
    df = pd.DataFrame({"text": pd.Series(["a", None, "c"], dtype="str"), "plain": pd.Series(["a", "b", "c"], dtype="str"),
                       "obj": pd.Series([np.str_("a"), None, np.int64(3)], dtype=object),
                       "f": [1.5, np.nan, 2.0], "i": np.array([1, 2, 3], dtype=np.int32), "b": [True, False, True],
                       "na": pd.array([1, None, 3], dtype="Int64")})
    out = rows.records(df).rows
    expected = [tuple(rows.opt(v) for v in r) for r in df.astype(object).itertuples(index=False, name=None)]
    assert out == expected
    assert all(type(v) in (str, int, float, bool, type(None)) for r in out for v in r)
    assert [type(v) for v in out[0]] == [str, str, str, float, int, bool, int]


def _foreign_keys(p: ce.Project) -> int:
    with p.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA foreign_keys").scalar()


def _orphans(p: ce.Project) -> list:
    with p.engine.connect() as conn:
        return conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()


def _survey(fw, n: int, wave: str = "2024") -> pd.DataFrame:
    items = fw.items["item"].tolist()[:3]
    return pd.DataFrame([{"respondent": f"r{i}", "unit": f"u{i % 4}", "wave": wave, "college": "habitants",
                          "item": it, "value": 3} for i in range(n) for it in items])


def test_import_checks_parents_itself_and_sqlite_keeps_enforcing_elsewhere(tmp_path, fw, monkeypatch):
    p = ce.Project.create(tmp_path / "p.coopeval", framework=fw)
    seen = []
    insert = I.insert_rows

    def spy(conn, *args, **kw):  # the pragma inside the import's transaction
        seen.append(conn.exec_driver_sql("PRAGMA foreign_keys").scalar())
        return insert(conn, *args, **kw)

    monkeypatch.setattr(I, "insert_rows", spy)
    assert p.import_responses(_survey(fw, 400)) == 1200
    assert set(seen) == {0}  # per-row enforcement off during the bulk insert...
    assert _foreign_keys(p) == 1 and not _orphans(p)  # ...back on for the pooled connection; every parent stored
    with pytest.raises(ce.StoreError, match="already stored"):  # a failed import restores it too
        p.import_responses(_survey(fw, 2))
    assert _foreign_keys(p) == 1
    orphan = {"respondent_id": 999_999, "unit": "u0", "wave": "2024", "college": "habitants",
              "item": fw.items["item"].iloc[0], "value": 1.0, "import_id": 1}
    with pytest.raises(ce.StoreError, match="constraint"):  # any other write: SQLite refuses an orphan
        E.write(p.engine, lambda conn: conn.execute(S.responses.insert().values(**orphan)))
    p.close()


@pytest.mark.parametrize("skipped", ["respondents", "units", "waves"])
def test_a_parent_not_written_stops_the_import(project, fw, monkeypatch, skipped):
    """Were the import to skip writing a parent, its own check refuses the rows: nothing is written."""
    project.import_responses(_survey(fw, 4))
    before = project.counts()
    ensure = I.ensure_keys

    def lazy(conn, table, key, values, **extra):
        if table.name != skipped:
            ensure(conn, table, key, values, **extra)

    monkeypatch.setattr(I, "ensure_keys", lazy)  # units and waves
    monkeypatch.setattr(R, "ensure_keys", lazy)  # respondents
    new = _survey(fw, 8, wave="2025").assign(unit=lambda d: d["unit"] + "b")  # new respondents, units, wave
    with pytest.raises(ce.StoreError, match=f"expected every .* in table {skipped}.*nothing was written"):
        project.import_responses(new)
    assert project.counts() == before
    if "://" not in str(project.engine.url):
        assert _foreign_keys(project) == 1 and not _orphans(project)


def test_missing_keys(project):
    project.import_responses(_survey(ce.load_framework("cooperation_territoriale"), 4))
    with project.engine.connect() as conn:
        assert rows.missing_keys(conn, S.units, "unit", {"u0", "u9", "u3", "zz"}) == ["u9", "zz"]
        assert rows.missing_keys(conn, S.units, "unit", set()) == []
        many = {f"x{i:04d}" for i in range(1200)} | {"u1"}
        assert rows.missing_keys(conn, S.units, "unit", many) == sorted(many - {"u1"})


def test_key_rows_distinct_and_within(project):
    """``key_rows``: the rows of the keys, each tuple once with ``distinct``, only those of the values
    ``within`` gives (chunks of 500 keys, each with the values), or every row beyond 400 values."""
    fw = ce.load_framework("cooperation_territoriale")
    project.import_responses(_survey(fw, 4))
    project.import_responses(_survey(fw, 4, wave="2025"))
    t = S.responses
    with project.engine.connect() as conn:
        stored = [tuple(r) for r in conn.execute(sa.select(t.c.respondent_id, t.c.wave, t.c.college))]
        ids = sorted({r[0] for r in stored}) + list(range(10_000, 10_700))  # two chunks; unknown ids
        assert sorted(rows.key_rows(conn, t, "respondent_id", ids, "wave", "college")) == sorted(stored)
        assert sorted(rows.key_rows(conn, t, "respondent_id", ids, "wave", "college", distinct=True)) == sorted(set(stored))
        in_2025 = sorted({r for r in stored if r[1] == "2025"})
        assert sorted(rows.key_rows(conn, t, "respondent_id", ids, "wave", "college", distinct=True,
                                    within={"wave": ["2025", "2030"]})) == in_2025
        assert sorted(rows.key_rows(conn, t, "respondent_id", ids, "wave", "college", distinct=True,
                                    within={"wave": [str(w) for w in range(401)]})) == sorted(set(stored))


def test_large_import_chunks_progress_and_conflict(tmp_path):
    """Above 50,000 rows a chunk is a hundredth of the import: progress by ~1 %, and a conflict in a
    chunk of more than 500 distinct units is still found and named."""
    p = ce.Project.create(tmp_path / "p.coopeval", framework="cooperation_territoriale")
    obs = pd.DataFrame({"unit": [f"u{i:05d}" for i in range(51_000)], "wave": "2024", "indicator": "emplois_etp",
                        "value": 1.0})
    p.import_observations(obs.iloc[[50_990]])
    before = p.counts()
    with pytest.raises(ce.StoreError, match=r"big\.csv, line 50992 \(unit='u50990', wave='2024'.*already stored"):
        p.import_observations(obs, source="big.csv")
    assert p.counts() == before
    calls = []
    assert p.import_observations(obs.drop(index=50_990), progress=lambda done, total: calls.append((done, total))) \
        == 50_999
    assert calls[0] == (510, 50_999) and calls[-1] == (50_999, 50_999) and len(calls) == 100
    p.close()


@pytest.mark.parametrize("n", [1, 6, 7, 13, 501, 1003])
def test_sqlite_many_inserts_every_row_in_order(tmp_path, n):
    """``sqlite_many``: many rows to a statement, as many as the connection's parameter limit allows
    (here lowered to 7: three rows of two parameters), the last statement shorter; every row
    inserted once, in order (ids follow it), missing values as NULL, literal marks kept; an
    ``ON CONFLICT`` tail skips the stored keys."""
    import sqlite3

    p = ce.Project.create(tmp_path / "p.coopeval", framework="cooperation_territoriale")
    rows_in = [(f"u{i:04d}", f"nom {i}" if i % 3 else None) for i in range(n)]
    with p.engine.begin() as conn:
        conn.connection.dbapi_connection.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, 7)
        rows.sqlite_many(conn, S.units, ["unit", "name"], ["?", "?"], rows_in)
        back = conn.exec_driver_sql("SELECT unit, name FROM units ORDER BY rowid").fetchall()
        assert back == rows_in
        again = [(f"u{i:04d}", "autre") for i in range(n + 2)]  # n stored, two new
        rows.sqlite_many(conn, S.units, ["unit", "name"], ["?", "?"], again, " ON CONFLICT (unit) DO NOTHING")
        back = conn.exec_driver_sql("SELECT unit, name FROM units ORDER BY rowid").fetchall()
        assert back == rows_in + again[n:]
        rows.sqlite_many(conn, S.waves, ["wave"], ["'2030'"], [()])  # no parameter: written as it is
        assert conn.exec_driver_sql("SELECT wave FROM waves").fetchall() == [("2030",)]
    p.close()
