"""Pseudonymisation (coopeval.data.pseudonym).

The keyed hash is checked against the published HMAC-SHA256 test vectors of
RFC 4231 (Nystrom M., 2005, "Identifiers and Test Vectors for HMAC-SHA-224,
HMAC-SHA-256, HMAC-SHA-384, and HMAC-SHA-512", section 4, test cases 1–3 and 6),
exact match of the hex digests.
"""

from __future__ import annotations

import pandas as pd
import pytest

import coopeval as ce
from coopeval.data.pseudonym import keyed_hash
from coopeval.errors import DataError


@pytest.mark.parametrize(
    ("key", "data", "digest"),
    [
        (b"\x0b" * 20, b"Hi There",
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"),
        (b"Jefe", b"what do ya want for nothing?",
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"),
        (b"\xaa" * 20, b"\xdd" * 50,
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"),
        (b"\xaa" * 131, b"Test Using Larger Than Block-Size Key - Hash Key First",
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"),
    ],
)
def test_rfc4231_vectors(key, data, digest):
    assert keyed_hash(data, key) == digest
    assert keyed_hash(data, key, length=16) == digest[:16]


def survey():
    return pd.DataFrame({
        "respondent": ["marie.dupont", "marie.dupont", "1042", 1042.0],
        "unit": "TERA", "wave": [2023, 2024, 2024, 2024], "college": "habitants",
        "item": ["qvt_sens", "qvt_sens", "qvt_sens", "qvt_charge"],
        "value": [4, 5, 3, 2],
        "Prénom": ["Marie", "Marie", "Yann", "Yann"],
        "E-mail": ["marie@exemple.fr"] * 2 + ["yann@exemple.fr"] * 2,
        "telephone": ["06 12 34 56 78"] * 4,
        "ipaddr": ["10.0.0.1"] * 4,
        "verbatim": ["J'adore", "Super", "Bof", "Bof"],
    })


def test_pseudonymise_removes_every_identifier(secret):
    df = survey()
    out = ce.data.pseudonymise(df, secret, personal=["verbatim"])
    assert list(out.columns) == ["respondent", "unit", "wave", "college", "item", "value"]
    # same person, same pseudonym across waves; 1042 and 1042.0 are the same id
    assert out["respondent"].tolist()[0] == out["respondent"].tolist()[1]
    assert out["respondent"].tolist()[2] == out["respondent"].tolist()[3]
    assert out["respondent"].iloc[0] == "p_" + keyed_hash("marie.dupont", secret)[:16]
    text = out.astype(str).to_csv() + repr(out.attrs)
    for raw in ["marie.dupont", "1042", "Marie", "Yann", "exemple.fr", "06 12", "10.0.0.1",
                "J'adore", secret]:
        assert raw not in text
    assert out.attrs["pseudonymisation"]["dropped_columns"] == [
        "Prénom", "E-mail", "telephone", "ipaddr", "verbatim"]
    # input unchanged
    assert df["respondent"].iloc[0] == "marie.dupont"


def test_other_secret_other_pseudonyms(secret):
    a = ce.data.pseudonymise(survey(), secret, personal=["verbatim"])
    b = ce.data.pseudonymise(survey(), secret + "-autre", personal=["verbatim"])
    assert set(a["respondent"]).isdisjoint(b["respondent"])


def test_refuse_mode_lists_identifier_columns(secret):
    with pytest.raises(DataError) as info:
        ce.data.pseudonymise(survey(), secret, identifiers="refuse")
    assert {i.key for i in info.value.issues} == {"Prénom", "E-mail", "telephone", "ipaddr"}


def test_identifier_values_in_unflagged_columns_are_refused(secret):
    df = survey().drop(columns=["Prénom", "E-mail", "telephone", "ipaddr"])
    df.loc[2, "verbatim"] = "écrivez-moi : yann@exemple.fr"
    with pytest.raises(DataError) as info:
        ce.data.pseudonymise(df, secret)
    assert info.value.issues[0].where == "row 2" and info.value.issues[0].key == "verbatim"
    assert "yann@" not in str(info.value)  # the message does not leak the value


def test_short_secret_refused():
    with pytest.raises(DataError, match="secret"):
        ce.data.pseudonymise(survey(), "court")
