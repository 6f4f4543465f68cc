"""The shortcuts of a large import of responses (issue 21) give what the plain computation gives:
the same checked table, pseudonyms, plain row values and checksum."""

from __future__ import annotations

import hashlib

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.store import checks
from coopeval.store.imports import table_digest
from coopeval.store.rows import opt, records
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
    plain = checks.responses(resp, fw)
    pd.testing.assert_frame_equal(fast, plain, check_exact=True)
    assert table_digest(fast, coded) == table_digest(plain)


def test_pseudonyms_are_those_of_pseudonym():
    key = "ab" * 32
    ids = ["Marie Curie", "Jean Jaurès", "", 12, "r1"]
    assert pseudonyms(ids, key) == [pseudonym(i, key) for i in ids]
    assert pseudonyms(ids, key, length=32) == [pseudonym(i, key, length=32) for i in ids]


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
    rows = records(df).rows
    expected = [tuple(opt(v) for v in r) for r in df.astype(object).itertuples(index=False, name=None)]
    assert rows == expected
    assert all(type(v) in (str, int, float, bool, type(None)) for r in rows for v in r)
    assert [type(v) for v in rows[0]] == [str, str, str, float, int, bool, int]
