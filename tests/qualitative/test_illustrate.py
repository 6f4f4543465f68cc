"""Extracts shown with the numbers: consent, no speaker, small colleges hidden; theme counts suppressed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import coopeval as ce
from coopeval.errors import DataError
from coopeval.qualitative import extracts_for, theme_summary


@pytest.fixture(scope="module")
def q():
    return ce.datasets.load("qualitatif_exemple")


@pytest.fixture(scope="module")
def fw():
    return ce.load_framework("cooperation_territoriale")


def test_extracts_of_a_criterion_follow_the_rules(q, fw):
    ex = extracts_for(q["extracts"], q["codes"], q["codebook"], node="participation_decisions", unit="u01", wave=2,
                      fw=fw)
    # independent recomputation: codes whose node is the criterion or one of its indicators
    nodes = {"participation_decisions", *fw.leaves("participation_decisions")}
    wanted = set(q["codebook"].loc[q["codebook"]["node"].isin(nodes), "code"])
    assert wanted == {"participation_ag", "decisions_petit_groupe"}
    src = q["extracts"][(q["extracts"]["unit"] == "u01") & (q["extracts"]["wave"] == 2)]
    coded = set(q["codes"].loc[q["codes"]["code"].isin(wanted), "extract"])
    expected = src[src["extract"].isin(coded) & src["consent"]]
    assert ex["extract"].tolist() == expected["extract"].tolist() and len(ex) > 5
    assert not {"speaker", "source", "date"} & set(ex.columns)
    # college shown only when >= 5 different people of it spoke in u01, wave 2
    n = src.groupby("college")["speaker"].nunique()
    for r in ex.itertuples():
        college = expected.set_index("extract").loc[r.extract, "college"]
        assert r.college_hidden == (n[college] < 5)
        assert pd.isna(r.college) == r.college_hidden
    assert n["collectivites"] < 5  # the sample has a small college, hidden wherever it speaks


def test_an_unconsented_extract_is_never_shown(q, fw):
    ext = q["extracts"].assign(consent=False)
    assert extracts_for(ext, q["codes"], q["codebook"], node="gouvernance", fw=fw).empty
    with pytest.raises(DataError, match="node"):
        extracts_for(q["extracts"], q["codes"], q["codebook"], node="inconnu", fw=fw)


def test_theme_summary_counts_and_suppression(q):
    th = theme_summary(q["extracts"], q["codes"], q["codebook"], by=["college", "wave"])
    merged = q["codes"][["extract", "code"]].drop_duplicates().merge(q["extracts"], on="extract")
    counts = merged.groupby(["code", "college", "wave"]).agg(n=("extract", "nunique"), s=("speaker", "nunique"))
    th_i = th.set_index(["code", "college", "wave"])
    assert len(th_i) == len(counts)
    for key, row in counts.iterrows():
        got = th_i.loc[key]
        if row["s"] < 5:
            assert got["suppressed"] and np.isnan(got["n_extracts"]) and np.isnan(got["n_speakers"])
        else:
            assert not got["suppressed"] and (got["n_extracts"], got["n_speakers"]) == (row["n"], row["s"])
    assert th["suppressed"].any() and (~th["suppressed"]).any()
    assert (th["n_speakers"].dropna() >= 5).all()
    en = theme_summary(q["extracts"], q["codes"], q["codebook"], by=[], lang="en")
    assert "Social ties" in set(en["label"]) and len(en) == q["codes"]["code"].nunique()


def test_theme_summary_errors(q):
    with pytest.raises(DataError, match="by"):
        theme_summary(q["extracts"], q["codes"], by=["colour"])
    with pytest.raises(DataError, match="min_group"):
        theme_summary(q["extracts"], q["codes"], min_group=0)
    empty = theme_summary(q["extracts"], q["codes"].iloc[:0])
    assert empty.empty and "n_speakers" in empty.columns
