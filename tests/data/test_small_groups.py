"""Small-group suppression (coopeval.data.suppress_small_groups).

Rule (ARCHITECTURE.md, convention 10): no table shown to a collective reveals a
group of fewer than the configured minimum (default 5) respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import coopeval as ce
from coopeval.errors import DataError


def table():
    return pd.DataFrame({
        "wave": [2024, 2024, 2024, 2024],
        "college": ["habitants", "salarié·es", "bénévoles", "financeurs"],
        "score": [3.8, 2.0, 4.1, 3.0],
        "sd": [0.9, 0.1, 0.7, np.nan],
        "n": [12, 4, 5, 1],
    })


def test_default_minimum_is_five():
    out = ce.data.suppress_small_groups(table())
    assert out["suppressed"].tolist() == [False, True, False, True]
    assert out["score"].isna().tolist() == [False, True, False, True]
    assert out["sd"].isna().tolist() == [False, True, False, True]
    assert out["n"].isna().tolist() == [False, True, False, True]
    assert out["wave"].tolist() == [2024] * 4  # integer keys untouched
    assert out["college"].tolist() == table()["college"].tolist()


def test_configurable_minimum_and_columns():
    out = ce.data.suppress_small_groups(table(), min_n=10, columns=["score"], keep_count=True)
    assert out["suppressed"].tolist() == [False, True, True, True]
    assert out["n"].tolist() == [12, 4, 5, 1]
    assert out["sd"].notna().sum() == 3  # sd not listed: kept


def test_with_score_scales(fw, ref_dir, ls_mapping, ls_options):
    resp = ce.data.read_limesurvey(ref_dir / "limesurvey_full.csv", fw, ls_mapping,
                                   **ls_options)
    agg = ce.data.score_scales(resp, fw, by=("college",))
    out = ce.data.suppress_small_groups(agg, min_n=3)
    shown = out[~out["suppressed"]]
    assert (shown["n"] >= 3).all()
    assert out.loc[out["suppressed"], "score"].isna().all()
    assert set(out.loc[out["suppressed"], "college"]) == {"benevoles"}  # 2 respondents


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"min_n": 0}, "min_n"), ({"min_n": 2.5}, "min_n"), ({"count_col": "effectif"}, "count_col"),
    ({"columns": ["moyenne"]}, "columns"),
])
def test_bad_parameters(kwargs, match):
    with pytest.raises(DataError, match=match):
        ce.data.suppress_small_groups(table(), **kwargs)


# --- secondary suppression -----------------------------------------------------------------

def handbook_table():
    """Hundepool et al. (2012), *Statistical Disclosure Control*, Wiley, ch. 4, Table 4.1
    ("Turnover (number of respondents) by Region and Industry"): Region 1: A 540 (12),
    B 231 (15); Region 2: A 48 (2), B 125 (8). The row totals are added by hand:
    771 (27) and 173 (10)."""
    return pd.DataFrame({
        "region": ["R1", "R1", "R1", "R2", "R2", "R2"],
        "industry": ["A", "B", "Total", "A", "B", "Total"],
        "turnover": [540.0, 231.0, 771.0, 48.0, 125.0, 173.0],
        "n": [12, 15, 27, 2, 8, 10],
    })


def test_secondary_handbook_example():
    """Worked by hand from the principle of ch. 4 (Hundepool et al., 2012): the cell
    Region 2 × A has 2 respondents (primary suppression, minimum 5). With the row total
    shown it is recovered as 173 − 125 = 48, so the only other cell of the row (B, 125)
    must be suppressed too; the total 173 then only gives A + B. Region 1 is untouched."""
    tab = handbook_table()
    primary = ce.data.suppress_small_groups(tab)
    assert primary["suppressed"].tolist() == [False, False, False, True, False, False]
    shown = primary[primary["region"] == "R2"].set_index("industry")["turnover"]
    assert shown["Total"] - shown["B"] == 48.0          # the disclosure being prevented
    out = ce.data.suppress_small_groups(tab, secondary=True, by="region",
                                        total=("industry", "Total"))
    assert out["suppressed"].tolist() == [False, False, False, True, True, False]
    assert out["turnover"].isna().tolist() == [False, False, False, True, True, False]
    assert out["n"].isna().tolist() == [False, False, False, True, True, False]
    assert out.loc[5, "turnover"] == 173.0              # the margin stays published


def test_secondary_hides_the_next_smallest_college_for_means():
    """Means with counts kept: without secondary suppression the hidden mean is recovered
    exactly, n_h·m_h = N·M − Σ n_i·m_i: (20·3.56 − 12·3.5 − 6·4.0) / 2 = 2.6 (by hand).
    With it, the smallest other college (bénévoles, 6) is hidden too, not habitants (12)."""
    agg = pd.DataFrame({"college": ["habitants", "salarié·es", "bénévoles", "ensemble"],
                        "score": [3.5, 2.6, 4.0, 3.56], "n": [12, 2, 6, 20]})
    prim = ce.data.suppress_small_groups(agg, keep_count=True)
    v = prim.set_index("college")
    recovered = (v.loc["ensemble", "n"] * v.loc["ensemble", "score"]
                 - v.loc["habitants", "n"] * v.loc["habitants", "score"]
                 - v.loc["bénévoles", "n"] * v.loc["bénévoles", "score"]) / v.loc["salarié·es",
                                                                                  "n"]
    assert recovered == pytest.approx(2.6, abs=1e-12)
    out = ce.data.suppress_small_groups(agg, keep_count=True, secondary=True,
                                        total=("college", "ensemble"))
    assert out["suppressed"].tolist() == [False, True, True, False]
    assert out["score"].isna().tolist() == [False, True, True, False]


def test_secondary_without_total_row_margins_published_elsewhere():
    tab = handbook_table()
    cells = tab[tab["industry"] != "Total"]
    out = ce.data.suppress_small_groups(cells, secondary=True, by="region")
    assert out["suppressed"].tolist() == [False, False, True, True]


def test_secondary_single_cell_group_hides_its_total_and_hidden_total_hides_a_cell():
    tab = pd.DataFrame({"g": ["a", "a", "b", "b", "b"],
                        "c": ["x", "Total", "x", "y", "Total"],
                        "n": [3, 6, 6, 9, 4]})    # group b: inconsistent total (4 < 6 + 9)
    out = ce.data.suppress_small_groups(tab, secondary=True, by="g", total=("c", "Total"))
    # a: the only cell is hidden, its total would show it -> hidden;
    # b: the total is hidden, the cells would add up to it -> smallest cell hidden
    assert out["suppressed"].tolist() == [True, True, True, False, True]


def test_secondary_ties_first_in_row_order_and_no_extra_when_two_hidden():
    tab = pd.DataFrame({"c": ["p", "q", "r", "s", "T"], "n": [3, 7, 7, 9, 26]})
    out = ce.data.suppress_small_groups(tab, secondary=True, total=("c", "T"))
    assert out["suppressed"].tolist() == [True, True, False, False, False]
    tab2 = pd.DataFrame({"c": ["p", "q", "r", "T"], "n": [3, 4, 9, 16]})
    out2 = ce.data.suppress_small_groups(tab2, secondary=True, total=("c", "T"))
    assert out2["suppressed"].tolist() == [True, True, False, False]   # already protected


@pytest.mark.parametrize(("kwargs", "match"), [
    ({"secondary": True, "by": "région"}, "`by`"),
    ({"secondary": True, "by": []}, "`by`"),
    ({"secondary": True, "total": "ensemble"}, "`total`"),
    ({"secondary": True, "total": ("collège", "ensemble")}, "`total`"),
    ({"by": "college"}, "`secondary`"),
])
def test_secondary_bad_parameters(kwargs, match):
    with pytest.raises(DataError, match=match):
        ce.data.suppress_small_groups(table(), **kwargs)


@st.composite
def tables(draw):
    rows = []
    for g in range(draw(st.integers(1, 4))):
        sizes = draw(st.lists(st.integers(0, 25), min_size=1, max_size=6))
        values = draw(st.lists(st.integers(-50, 50), min_size=len(sizes),
                               max_size=len(sizes)))
        rows += [{"g": g, "c": f"c{i}", "n": n, "v": float(v)}
                 for i, (n, v) in enumerate(zip(sizes, values, strict=True))]
        if draw(st.booleans()):
            rows.append({"g": g, "c": "Total", "n": sum(sizes), "v": float(sum(values))})
    return pd.DataFrame(rows), draw(st.integers(1, 10))


@settings(max_examples=300, deadline=None)
@given(tables())
def test_property_no_hidden_cell_recoverable_by_subtraction(case):
    """For random tables (groups of 1-6 cells, totals shown or not), no hidden cell equals
    a visible total minus visible cells, no hidden total equals a sum of visible cells, the
    primary cells stay hidden, what a visible total minus the visible cells gives is a block
    of two cells or more and ``min_n`` respondents or more, and the cells hidden beyond the
    primary ones are the fewest that do it (without the last one added, the block fails)."""
    tab, min_n = case
    out = ce.data.suppress_small_groups(tab, min_n=min_n, secondary=True, by="g",
                                        total=("c", "Total"))
    assert (out["suppressed"] >= (tab["n"] < min_n)).all()
    assert out["v"].isna().equals(out["suppressed"])
    for _, grp in out.groupby("g"):
        cells, tot = grp[grp["c"] != "Total"], grp[grp["c"] == "Total"]
        hidden = cells["v"].isna()
        n = tab.loc[cells.index, "n"]
        primary = n < min_n

        def protected(h, n=n):
            return h.sum() >= 2 and n[h].sum() >= min_n

        if hidden.any() and len(tot) and tot["v"].notna().all():
            assert protected(hidden)     # total − visible cells = the hidden block
        if hidden.any() and not len(tot) and not hidden.all():
            assert protected(hidden)     # margins published elsewhere: the same
        if len(tot) and tot["v"].isna().all():
            assert hidden.any()   # a hidden total is never the sum of visible cells
            if not protected(hidden):   # hidden only because no block of cells could protect
                assert hidden.all() or not primary.any()
        extra = hidden & ~primary
        if extra.any() and primary.any():
            last = n[extra].sort_values(kind="stable").index[-1]
            assert not protected(hidden.drop(last).reindex(hidden.index, fill_value=False))


def test_secondary_hides_until_the_block_holds_min_n():
    """Colleges of 8, 2 and 2 people (minimum 5): the two small ones hidden together are a
    block of 4 people that the total minus the 8 gives (here, their mean weight
    (12·m − 8·m₈)/4); the 8 are hidden as well. With 8, 3, 3 the block of 6 is enough."""
    agg = pd.DataFrame({"college": ["a", "b", "c", "ensemble"], "n": [8, 2, 2, 12]})
    out = ce.data.suppress_small_groups(agg, secondary=True, total=("college", "ensemble"),
                                        columns=[])
    assert out["suppressed"].tolist() == [True, True, True, False]
    agg2 = agg.assign(n=[8, 3, 3, 14])
    out2 = ce.data.suppress_small_groups(agg2, secondary=True, total=("college", "ensemble"),
                                         columns=[])
    assert out2["suppressed"].tolist() == [False, True, True, False]


def test_collective_view_no_block_under_min_group_by_subtraction():
    """Adversarial: 8 habitants, 2 élu·es, 2 salarié·es weight a node. The collective view
    (what the collective role reads) must not let N·mean(all) − n·mean(shown colleges)
    give the mean of fewer than min_group people."""
    from coopeval.store.collective import ALL_COLLEGES, collective_table

    rng = np.random.default_rng(3)
    colleges = ["habitants"] * 8 + ["elus"] * 2 + ["salaries"] * 2
    raw = pd.DataFrame({"round": 1, "participant": [f"p{i}" for i in range(12)],
                        "college": colleges, "method": "direct", "node": "x",
                        "value": rng.uniform(0, 1, 12)})
    view = collective_table(raw, "s", 5).set_index("college")
    shown = view.drop(ALL_COLLEGES).dropna(subset=["n"])
    total = view.loc[ALL_COLLEGES]
    assert total["n"] == 12
    left = total["n"] - shown["n"].sum()
    assert left == 0 or left >= 5, f"a block of {left} people is recoverable"


def test_same_rule_as_the_deliberation_store():
    """Independent cross-check: the store's collective view (coopeval.store, written
    separately) and suppress_small_groups(secondary=True) hide the same rows."""
    from coopeval.store.collective import ALL_COLLEGES, collective_table

    rng = np.random.default_rng(11)
    for k in (2, 3, 5):
        raw = pd.DataFrame({
            "round": rng.integers(1, 3, 400), "participant": [f"p{i}" for i in range(400)],
            "college": rng.choice(["a", "b", "c", "d"], 400, p=[0.5, 0.3, 0.15, 0.05]),
            "method": "direct", "node": rng.choice(["x", "y", "z", "w", "v"], 400),
            "value": rng.uniform(0, 1, 400)})
        store = collective_table(raw, "s", k)
        keys = ["round", "method", "node"]
        both = pd.concat([raw, raw.assign(college=ALL_COLLEGES)], ignore_index=True)
        agg = both.groupby(keys + ["college"], sort=True)["value"].agg(
            n="count", mean="mean").reset_index()
        ours = ce.data.suppress_small_groups(agg, min_n=k, secondary=True, by=keys,
                                             total=("college", ALL_COLLEGES))
        assert ours["suppressed"].sum() > (agg["n"] < k).sum()   # secondary did something
        assert ours["suppressed"].tolist() == store["suppressed"].tolist()
