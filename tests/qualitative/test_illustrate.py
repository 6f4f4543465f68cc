"""Extracts shown with the numbers: consent, no speaker, small colleges hidden; theme counts suppressed."""

from __future__ import annotations

import numpy as np
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
    # speakers in u01, wave 2: bénévoles 5, collectivités 2, habitant·es 5, salarié·es 5. Collectivités
    # (2 < 5) is pooled with the smallest other college (ties broken by name: bénévoles), so that
    # neither is recoverable from the other: both shown as « autres collèges » (issue 16).
    n = src.groupby("college")["speaker"].nunique()
    assert n.to_dict() == {"benevoles": 5, "collectivites": 2, "habitants": 5, "salarie_es": 5}
    for r in ex.itertuples():
        college = expected.set_index("extract").loc[r.extract, "college"]
        pooled = college in {"benevoles", "collectivites"}
        assert r.college_hidden == pooled
        assert r.college == ("autres_colleges" if pooled else college)
    assert {"collectivites", "benevoles"} & set(expected["college"])


def test_an_unconsented_extract_is_never_shown(q, fw):
    ext = q["extracts"].assign(consent=False)
    assert extracts_for(ext, q["codes"], q["codebook"], node="gouvernance", fw=fw).empty
    with pytest.raises(DataError, match="node"):
        extracts_for(q["extracts"], q["codes"], q["codebook"], node="inconnu", fw=fw)


#: Colleges pooled into « autres collèges » in each cooperation and wave of the sample, worked by hand
#: from its speaker counts (collectivités has 2 speakers everywhere; bénévoles 4 in u01/3 and u02/1,
#: habitant·es 4 in u02/1, salarié·es 4 in u03/2; others 5): the small ones, plus the smallest other
#: college (ties by name) while the block has fewer than two colleges or five speakers.
POOLED = {("u01", 1): {"benevoles", "collectivites"}, ("u01", 2): {"benevoles", "collectivites"},
          ("u01", 3): {"benevoles", "collectivites"}, ("u02", 1): {"benevoles", "collectivites", "habitants"},
          ("u02", 2): {"benevoles", "collectivites"}, ("u02", 3): {"benevoles", "collectivites"},
          ("u03", 1): {"benevoles", "collectivites"}, ("u03", 2): {"collectivites", "salarie_es"},
          ("u03", 3): {"benevoles", "collectivites"}}


def test_theme_summary_counts_and_suppression(q):
    th = theme_summary(q["extracts"], q["codes"], q["codebook"], by=["college", "wave"])
    ex = q["extracts"].copy()
    ex["college"] = [("autres_colleges" if c in POOLED[u, w] else c)
                     for u, w, c in zip(ex["unit"], ex["wave"], ex["college"], strict=True)]
    merged = q["codes"][["extract", "code"]].drop_duplicates().merge(ex, on="extract")
    counts = merged.groupby(["code", "college", "wave"]).agg(n=("extract", "nunique"), s=("speaker", "nunique"))
    th_i = th.set_index(["code", "college", "wave"])
    assert len(th_i) == len(counts)
    assert "collectivites" not in set(th["college"])      # never a cell of its own
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
    with pytest.raises(DataError, match="by"):     # a speaker or source would split a protected group
        theme_summary(q["extracts"], q["codes"], by=["source"])
    with pytest.raises(DataError, match="min_group"):
        theme_summary(q["extracts"], q["codes"], min_group=0)
    empty = theme_summary(q["extracts"], q["codes"].iloc[:0])
    assert empty.empty and "n_speakers" in empty.columns
