"""French Likert labels and number parsing (coopeval.data.likert).

The canonical labels are the French wording of the five-point agreement scale
(Likert R., 1932, "A technique for the measurement of attitudes", Archives of
Psychology 140): "Pas du tout d'accord" … "Tout à fait d'accord", ranked 0 … 4.
"""

from __future__ import annotations

import math

import pytest

from coopeval.data.likert import (
    LIKERT_LABELS_FR,
    binary_code,
    is_missing,
    likert_rank,
    normalise_text,
    parse_number,
)


def test_canonical_labels_in_order():
    assert [likert_rank(lab) for lab in LIKERT_LABELS_FR] == [0, 1, 2, 3, 4]


@pytest.mark.parametrize(
    ("label", "rank"),
    [
        ("PAS DU TOUT D'ACCORD", 0),
        ("pas du tout d’accord", 0),  # typographic apostrophe
        ("Plutot pas d'accord", 1),  # no accent
        ("  Ni d'accord, ni pas d'accord ", 2),
        ("Plutôt d'accord.", 3),
        ("D'accord", 3),
        ("Tout-à-fait d'accord", 4),
        ("Strongly disagree", 0),
        ("Bof", None),
        ("", None),
    ],
)
def test_label_variants(label, rank):
    assert likert_rank(label) == rank


def test_normalise_text():
    assert normalise_text("Élève  d’Île-de-France !") == "eleve d ile de france"


@pytest.mark.parametrize(
    ("raw", "value"),
    [("3,5", 3.5), ("  12 ", 12.0), ("1\u202f200", 1200.0), ("-0.25", -0.25), (7, 7.0),
     ("1e3", 1000.0), ("abc", None), ("3,5,1", None), (True, None), (math.inf, None)],
)
def test_parse_number(raw, value):
    assert parse_number(raw) == value


def test_missing_and_binary():
    assert is_missing(None) and is_missing(float("nan")) and is_missing("Ne sais pas")
    assert is_missing("NSP") and not is_missing("0") and not is_missing(0)
    assert binary_code("Oui") == 1.0 and binary_code("NON") == 0.0 and binary_code("peut-être") is None
