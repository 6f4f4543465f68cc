"""Disclosure control of qualitative evidence (issue 16): no extract or theme count lets a college
under the minimum be recovered — not by its attribution, not by comparing two outputs.

The reproduction first (the attacks by hand on the sample), then two properties on generated
evidence: (1) every attribution names a group of at least ``min_group`` speakers and is the same
whatever the filter; (2) indistinguishability — two evidence tables that differ only inside a
pooled block (an extract of a small college and one of another pooled college exchange their
speakers) give exactly the same outputs, every one of them (theme counts per code, wave, college,
unit, one cooperation or all; extracts of every criterion with every filter — what the report and
the dashboard's section are made of):
so no combination of outputs can tell the small college's counts, which did change.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.qualitative import extracts_for, theme_summary
from coopeval.qualitative.disclosure import OTHER_COLLEGES, attribution
from coopeval.report.learning import evidence_html

FW = ce.load_framework("cooperation_territoriale")
Q = ce.datasets.load("qualitatif_exemple")
CODEBOOK = Q["codebook"][Q["codebook"]["node"].notna()].head(4).reset_index(drop=True)
CODES = CODEBOOK["code"].tolist()
CRITERIA = sorted({FW.parent(n) if FW.level(n) == "indicator" else n for n in CODEBOOK["node"]})
BY = [(), ("wave",), ("college",), ("college", "wave"), ("unit",), ("unit", "college", "wave")]


def test_sample_attack_by_subtraction_is_closed():
    """Before: per wave minus the colleges shown gave the hidden college's count. In u01 (sample, minimum 3),
    collectivités (2 speakers) was hidden per college but counted in the per-wave table, so
    ``n_extracts(code, wave) - sum over shown colleges`` was its number of extracts. Now it is
    the count of « autres collèges » (collectivités with bénévoles: 7 speakers)."""
    ex, codes = Q["extracts"], Q["codes"]
    per_wave = theme_summary(ex, codes, by=["wave"], unit="u01", min_group=3).set_index(["code", "wave"])["n_extracts"]
    per_college = theme_summary(ex, codes, by=["college", "wave"], unit="u01", min_group=3)
    assert "collectivites" not in set(per_college["college"])
    named = per_college[per_college["college"] != OTHER_COLLEGES]
    complete = named.groupby(["code", "wave"])["n_extracts"].agg(lambda v: v.notna().all())
    shown = named.groupby(["code", "wave"])["n_extracts"].sum()
    merged = codes.merge(ex[ex["unit"] == "u01"], on="extract")
    secret = merged[merged["college"] == "collectivites"].groupby(["code", "wave"])["extract"].nunique()
    block = merged[merged["college"].isin(["collectivites", "benevoles"])].groupby(["code", "wave"])[
        "extract"].nunique()
    keys = [k for k in secret.index if k in complete.index and complete[k] and not np.isnan(per_wave[k])]
    assert len(keys) >= 2
    for key in keys:        # the subtraction gives the block's count, never the small college's alone
        assert per_wave[key] - shown[key] == block[key]
    assert any(secret[key] != block[key] for key in keys)


def test_quotes_say_autres_colleges_in_the_report():
    scores = pd.DataFrame({"unit": "u01", "wave": 2, "node": CRITERIA, "score": 50.0})
    html = evidence_html(ce.qualitative.Evidence(Q["extracts"], Q["codes"], Q["codebook"], Q["actions"]), FW,
                         "u01", 2, scores, min_group=5, lang="fr", figure_format="svg")
    assert "Autres collèges, vague 2" in html and "Collectivités" not in html
    assert "Bénévoles" not in html   # pooled with collectivités so as not to give it by difference


# ---------------------------------------------------------------------------------- generated evidence
@st.composite
def evidence(draw):
    rows, k = [], draw(st.integers(3, 6))
    colleges = ["habitants", "salarie_es", "benevoles", "collectivites"][:draw(st.integers(2, 4))]
    for unit in ("u1", "u2")[:draw(st.integers(1, 2))]:
        for wave in (1, 2)[:draw(st.integers(1, 2))]:
            for college in colleges:
                for s in range(draw(st.integers(0, 8))):
                    for e in range(draw(st.integers(1, 3))):
                        rows.append({"extract": f"{unit}_{wave}_{college}_{s}_{e}", "unit": unit, "wave": wave,
                                     "source": "entretien", "date": None, "speaker": f"{unit}{college}{s}",
                                     "college": college, "consent": draw(st.booleans()), "text": f"t{len(rows)}"})
    assume(rows)
    ex = pd.DataFrame(rows)
    codes = pd.DataFrame([{"extract": x, "code": c, "coder": "c1"} for x in ex["extract"]
                          for c in draw(st.sets(st.sampled_from(CODES), min_size=1, max_size=2))])
    return ex, codes, k


def outputs(ex: pd.DataFrame, codes: pd.DataFrame, k: int) -> list:
    """Everything a collective or a reader of the reports can get from the evidence."""
    out = []
    for unit in [None, *sorted(ex["unit"].unique())]:
        out += [theme_summary(ex, codes, CODEBOOK, by=list(by), unit=unit, min_group=k) for by in BY]
    for node in CRITERIA:
        out.append(extracts_for(ex, codes, CODEBOOK, node=node, fw=FW, min_group=k))
        for (unit, wave), _ in ex.groupby(["unit", "wave"]):
            out.append(extracts_for(ex, codes, CODEBOOK, node=node, unit=unit, wave=wave, fw=FW, min_group=k))
    return out


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(evidence())
def test_attributions_name_large_groups_and_do_not_depend_on_the_filter(case):
    ex, codes, k = case
    att = attribution(ex, k).set_index("extract")
    speakers = ex.groupby(["unit", "wave", "college"])["speaker"].nunique()
    cell_total = ex.groupby(["unit", "wave"])["speaker"].nunique()
    for r in ex.itertuples():
        a = att.loc[r.extract]
        if a["group"] == r.college:
            assert speakers[r.unit, r.wave, r.college] >= k
        elif a["group"] == OTHER_COLLEGES:
            block = att.index.isin(ex.loc[(ex["unit"] == r.unit) & (ex["wave"] == r.wave), "extract"]) & (
                att["group"] == OTHER_COLLEGES).to_numpy()
            pooled = set(ex.set_index("extract").loc[att.index[block], "college"])
            assert len(pooled) >= 2 and a["group_size"] >= k
            assert sum(speakers[r.unit, r.wave, c] for c in pooled) >= k
        else:
            assert pd.isna(a["group"]) and a["counted"] == (cell_total[r.unit, r.wave] >= k)
    for node in CRITERIA:
        every = extracts_for(ex, codes, CODEBOOK, node=node, fw=FW, min_group=k).set_index("extract")
        for (unit, wave), _ in ex.groupby(["unit", "wave"]):
            one = extracts_for(ex, codes, CODEBOOK, node=node, unit=unit, wave=wave, fw=FW, min_group=k)
            assert one["college"].fillna("").tolist() == every.loc[one["extract"], "college"].fillna("").tolist()
    for th in outputs(ex, codes, k)[: len(BY)]:
        assert (th["n_speakers"].dropna() >= k).all()


def _swap_inside_a_block(ex: pd.DataFrame, att: pd.DataFrame, data: st.DataObject) -> pd.DataFrame | None:
    """Exchange speaker and college of an extract of a small college and one of another pooled college."""
    k_small = ex.groupby(["unit", "wave", "college"])["speaker"].transform("nunique")
    pooled = ex.assign(_n=k_small)[(att["group"] == OTHER_COLLEGES).to_numpy()]
    cells = [g for _, g in pooled.groupby(["unit", "wave"]) if g["college"].nunique() >= 2]
    if not cells:
        return None
    cell = data.draw(st.sampled_from(cells))
    a = data.draw(st.sampled_from(cell.index[cell["_n"] == cell["_n"].min()].tolist()))  # the smallest college
    others = cell.index[cell["college"] != cell.at[a, "college"]].tolist()
    b = data.draw(st.sampled_from(others))
    out = ex.copy()
    out.loc[[a, b], ["speaker", "college"]] = ex.loc[[b, a], ["speaker", "college"]].to_numpy()
    return out


def _block_stats(ex: pd.DataFrame, codes: pd.DataFrame, att: pd.DataFrame) -> pd.DataFrame:
    m = codes.merge(ex.assign(group=att["group"].to_numpy()), on="extract")
    return m.groupby(["unit", "wave", "group", "code"], dropna=False).agg(
        n=("extract", "nunique"), s=("speaker", "nunique")).sort_index()


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(evidence(), st.data())
def test_no_output_tells_two_colleges_of_a_block_apart(case, data):
    ex, codes, k = case
    att = attribution(ex, k)
    swapped = _swap_inside_a_block(ex, att, data)
    assume(swapped is not None)
    att2 = attribution(swapped, k)
    assume(att2["group"].equals(att["group"]))   # the same blocks (sizes unchanged by construction)
    # the block's own statistics are unchanged (what may legitimately be published)…
    assume(_block_stats(ex, codes, att).equals(_block_stats(swapped, codes, att2)))
    # …while the colleges' own counts did change: that is the secret
    per_college = [codes.merge(e, on="extract").groupby(["unit", "wave", "college", "code"])["extract"].nunique()
                   for e in (ex, swapped)]
    assume(not per_college[0].equals(per_college[1]))
    for before, after in zip(outputs(ex, codes, k), outputs(swapped, codes, k), strict=True):
        pd.testing.assert_frame_equal(before, after)


def test_bad_min_group():
    with pytest.raises(ce.CoopevalError, match="min_group"):
        attribution(Q["extracts"], 0)
