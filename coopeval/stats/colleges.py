"""Differences between colleges (stakeholder groups), respecting the small-group rule."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
import pingouin as pg

from coopeval.stats._checks import (
    check_choice,
    check_int,
    numeric_rows,
    quiet,
    warn,
)

__all__ = ["college_differences", "college_posthoc", "college_summary", "MIN_GROUP"]

#: Default minimum number of respondents of a group shown to a collective (data contract).
MIN_GROUP = 5
TESTS = ["anova", "welch", "kruskal"]
#: Readable headers of :func:`college_summary` (French first).
HEADERS = {
    "variable": {"fr": "Indicateur", "en": "Indicator"},
    "group": {"fr": "Collège", "en": "College"},
    "n": {"fr": "Effectif", "en": "Count"},
    "mean": {"fr": "Moyenne", "en": "Mean"},
    "sd": {"fr": "Écart-type", "en": "Standard deviation"},
    "median": {"fr": "Médiane", "en": "Median"},
    "suppressed": {"fr": "Masqué (moins de {min_group} personnes)",
                   "en": "Hidden (fewer than {min_group} people)"},
}
POSTHOC = {"tukey": "tukey", "games_howell": "games_howell", "mann_whitney": "mann_whitney"}


def _prepare(data, group, variable, value, min_group, small_groups):
    check_int(min_group, "min_group", 1)
    check_choice(small_groups, "small_groups", ["suppress", "flag"])
    cols = [group, value] + ([variable] if variable else [])
    d = numeric_rows(data, "data", cols, value)
    d = d[d[group].notna()]
    if variable is None:
        variable = "_variable"
        d[variable] = value
    return d, variable


def _keep_groups(grp, group, value, min_group, small_groups, need):
    """Groups kept for a test: ``suppress`` drops groups under ``min_group``; every mode drops
    groups under ``need`` (the minimum the test can use)."""
    sizes = grp.groupby(group)[value].size()
    small = sorted(map(str, sizes.index[sizes < min_group]))
    floor = min_group if small_groups == "suppress" else need
    keep = sizes.index[sizes >= max(floor, need)]
    return grp[grp[group].isin(keep)], small


def college_differences(
    data: pd.DataFrame,
    *,
    group: str = "college",
    variable: str | None = "indicator",
    value: str = "value",
    tests: Sequence[str] = ("anova", "welch", "kruskal"),
    min_group: int = MIN_GROUP,
    small_groups: str = "suppress",
) -> pd.DataFrame:
    """Omnibus tests of differences between colleges, per indicator, with effect sizes.

    Parameters
    ----------
    data : DataFrame
        Respondent-level values with a group column, e.g. the output of
        :func:`scale_scores` (``respondent, unit, wave, college, indicator, value``).
    group, variable, value : str
        Column names (``variable=None``: one variable).
    tests : sequence of {"anova", "welch", "kruskal"}
        Classic one-way ANOVA (:func:`pingouin.anova`), Welch's ANOVA for unequal variances
        (:func:`pingouin.welch_anova`), Kruskal–Wallis (:func:`pingouin.kruskal`).
    min_group : int, default 5
        **Small-group rule.** Groups with fewer than ``min_group`` respondents are never shown to
        a collective: with ``small_groups="suppress"`` they are excluded from the tests (and
        listed in ``small_groups``); with ``"flag"`` they are kept but the row is flagged
        (``has_small_groups``) — for the researcher's eyes only.
    small_groups : {"suppress", "flag"}, default "suppress"
        See ``min_group``. Groups with fewer than 2 respondents are always excluded.

    Returns
    -------
    DataFrame
        One row per variable and test: ``variable, test, statistic`` (F or H), ``df1, df2``
        (``df2`` NaN for Kruskal–Wallis), ``p_value``, ``effect_size``, ``effect_size_name``
        (``eta_squared`` for the ANOVAs, ``epsilon_squared`` for Kruskal–Wallis), ``n``
        (respondents tested), ``n_groups``, ``small_groups`` (comma-separated groups under
        ``min_group``), ``has_small_groups`` (a small group is among those tested), ``note``.

    Notes
    -----
    :math:`\\eta^2 = SS_{between}/SS_{total}` (pingouin's ``np2`` of a one-way design, also
    reported for Welch's test); :math:`\\varepsilon^2_R = H/((n^2-1)/(n+1)) = H/(n-1)`
    (Tomczak & Tomczak, 2014). Fewer than 2 tested groups gives NaN with a warning.

    References
    ----------
    Welch, B. L. (1951). On the comparison of several mean values: an alternative approach.
    *Biometrika*, 38(3/4), 330–336.
    Kruskal, W. H., & Wallis, W. A. (1952). Use of ranks in one-criterion variance analysis.
    *JASA*, 47(260), 583–621.
    Tomczak, M., & Tomczak, E. (2014). The need to report effect size estimates revisited.
    *Trends in Sport Sciences*, 1(21), 19–25.

    Examples
    --------
    >>> import pandas as pd, pingouin as pg, coopeval as ce
    >>> df = pg.read_dataset("anova")
    >>> res = ce.stats.college_differences(df, group="Hair color", variable=None,
    ...                                    value="Pain threshold", min_group=4)
    >>> res[["test", "n", "n_groups"]].to_dict("records")[0]
    {'test': 'anova', 'n': 19, 'n_groups': 4}
    """
    for t in tests:
        check_choice(t, "tests", TESTS)
    d, var = _prepare(data, group, variable, value, min_group, small_groups)
    rows = []
    for v, grp in d.groupby(var, sort=True):
        for t in tests:
            rows.append(_omnibus(v, grp, t, group, value, min_group, small_groups))
    out = pd.DataFrame(rows, columns=["variable", "test", "statistic", "df1", "df2", "p_value",
                                      "effect_size", "effect_size_name", "n", "n_groups",
                                      "small_groups", "has_small_groups", "note"])
    sup = out.loc[out["small_groups"] != "", ["variable", "small_groups"]].drop_duplicates()
    if not sup.empty:
        verb = "excluded" if small_groups == "suppress" else "kept but flagged"
        warn(f"groups with fewer than {min_group} respondents {verb}: "
             + "; ".join(f"{a}: {b}" for a, b in sup.itertuples(index=False)))
    bad = out.loc[out["note"] != "", ["variable", "test", "note"]]
    if not bad.empty:
        warn("test NaN for: " + "; ".join(f"{a}/{b} ({c})" for a, b, c in bad.itertuples(index=False)))
    return out


def _omnibus(v, grp, test, group, value, min_group, small_groups) -> dict:
    need = 2 if test == "welch" else 1
    kept, small = _keep_groups(grp, group, value, min_group, small_groups, need)
    n, k = len(kept), kept[group].nunique()
    row = {"variable": v, "test": test, "statistic": np.nan, "df1": np.nan, "df2": np.nan,
           "p_value": np.nan, "effect_size": np.nan,
           "effect_size_name": "epsilon_squared" if test == "kruskal" else "eta_squared",
           "n": n, "n_groups": k, "small_groups": ", ".join(small),
           "has_small_groups": bool(set(small) & set(map(str, kept[group].unique()))), "note": ""}
    if k < 2 or n <= k:
        row["note"] = "fewer_than_2_groups"
        return row
    if kept[value].std() == 0:
        row["note"] = "constant_values"
        return row
    with quiet():
        if test == "anova":
            r = pg.anova(data=kept, dv=value, between=group, detailed=True)
            row.update(statistic=r.loc[0, "F"], df1=r.loc[0, "DF"], df2=r.loc[1, "DF"],
                       p_value=r.loc[0, "p_unc"], effect_size=r.loc[0, "np2"])
        elif test == "welch":
            r = pg.welch_anova(data=kept, dv=value, between=group)
            row.update(statistic=r.loc[0, "F"], df1=r.loc[0, "ddof1"], df2=r.loc[0, "ddof2"],
                       p_value=r.loc[0, "p_unc"], effect_size=r.loc[0, "np2"])
        else:
            r = pg.kruskal(data=kept, dv=value, between=group)
            h = float(r["H"].iloc[0])
            row.update(statistic=h, df1=r["ddof1"].iloc[0], p_value=r["p_unc"].iloc[0],
                       effect_size=h / (n - 1))
    if not np.isfinite(row["statistic"]):
        row["note"] = "zero_within_group_variance"
    return row


def college_posthoc(
    data: pd.DataFrame,
    *,
    group: str = "college",
    variable: str | None = "indicator",
    value: str = "value",
    method: str = "games_howell",
    min_group: int = MIN_GROUP,
    small_groups: str = "suppress",
) -> pd.DataFrame:
    """Pairwise post-hoc comparisons of colleges, per indicator.

    Parameters
    ----------
    data, group, variable, value, min_group, small_groups
        As in :func:`college_differences` (same small-group rule).
    method : {"games_howell", "tukey", "mann_whitney"}, default "games_howell"
        :func:`pingouin.pairwise_gameshowell` (unequal variances),
        :func:`pingouin.pairwise_tukey` (Tukey HSD) or Mann–Whitney tests with Holm correction
        (:func:`pingouin.pairwise_tests`, ``parametric=False``).

    Returns
    -------
    DataFrame
        One row per variable and pair: ``variable, group_a, group_b, mean_a, mean_b``
        (medians are not reported), ``estimate`` (mean_a − mean_b), ``std_error``,
        ``statistic`` (T or U), ``dof``, ``p_value`` (adjusted for the family of pairs: Tukey,
        Games–Howell or Holm), ``effect_size`` (Hedges' g), ``n_a, n_b``, ``method``.

    Notes
    -----
    Hedges' :math:`g = J\\,(\\bar x_a - \\bar x_b)/s_{pooled}` with
    :math:`J = 1 - 3/(4(n_a+n_b)-9)`.

    References
    ----------
    Games, P. A., & Howell, J. F. (1976). Pairwise multiple comparison procedures with unequal
    n's and/or variances. *Journal of Educational Statistics*, 1(2), 113–125.
    Tukey, J. W. (1949). Comparing individual means in the analysis of variance.
    *Biometrics*, 5(2), 99–114.

    Examples
    --------
    >>> import pingouin as pg, coopeval as ce
    >>> df = pg.read_dataset("anova")
    >>> ph = ce.stats.college_posthoc(df, group="Hair color", variable=None,
    ...                               value="Pain threshold", method="tukey", min_group=4)
    >>> len(ph)
    6
    """
    check_choice(method, "method", list(POSTHOC))
    d, var = _prepare(data, group, variable, value, min_group, small_groups)
    frames = []
    for v, grp in d.groupby(var, sort=True):
        kept, small = _keep_groups(grp, group, value, min_group, small_groups, 2)
        if small:
            warn(f"{v}: groups with fewer than {min_group} respondents "
                 f"{'excluded' if small_groups == 'suppress' else 'flagged'}: {', '.join(small)}")
        if kept[group].nunique() < 2 or kept[value].std() == 0:
            warn(f"{v}: no post-hoc comparison (fewer than 2 groups or constant values)")
            continue
        sizes = kept.groupby(group)[value].size()
        with quiet():
            if method == "tukey":
                r = pg.pairwise_tukey(data=kept, dv=value, between=group)
                r = r.rename(columns={"se": "std_error", "T": "statistic", "p_tukey": "p_value"})
                r["dof"] = len(kept) - sizes.size
            elif method == "games_howell":
                r = pg.pairwise_gameshowell(data=kept, dv=value, between=group)
                r = r.rename(columns={"se": "std_error", "T": "statistic", "df": "dof",
                                      "pval": "p_value"})
            else:
                r = pg.pairwise_tests(data=kept, dv=value, between=group, parametric=False,
                                      padjust="holm", return_desc=True)
                r = r.rename(columns={"U_val": "statistic", "p_corr": "p_value"})
                r["std_error"] = np.nan
                r["dof"] = np.nan
                r["mean_A"] = r["A"].map(kept.groupby(group)[value].mean())
                r["mean_B"] = r["B"].map(kept.groupby(group)[value].mean())
        r = r.rename(columns={"A": "group_a", "B": "group_b", "mean_A": "mean_a",
                              "mean_B": "mean_b", "hedges": "effect_size"})
        r["estimate"] = r["mean_a"] - r["mean_b"]
        r["n_a"] = r["group_a"].map(sizes).to_numpy()
        r["n_b"] = r["group_b"].map(sizes).to_numpy()
        r["variable"] = v
        r["method"] = method
        frames.append(r)
    cols = ["variable", "group_a", "group_b", "mean_a", "mean_b", "estimate", "std_error",
            "statistic", "dof", "p_value", "effect_size", "n_a", "n_b", "method"]
    if not frames:
        return pd.DataFrame(columns=cols)
    return pd.concat(frames, ignore_index=True)[cols]


def college_summary(
    data: pd.DataFrame,
    *,
    group: str = "college",
    variable: str | None = "indicator",
    value: str = "value",
    min_group: int = MIN_GROUP,
    lang: str | None = None,
) -> pd.DataFrame:
    """Descriptive statistics per college, with groups under ``min_group`` suppressed.

    Parameters
    ----------
    data, group, variable, value
        As in :func:`college_differences`.
    min_group : int, default 5
        Groups with fewer respondents have ``mean, sd, median`` set to NaN and
        ``suppressed=True`` (their ``n`` is kept so that the suppression is visible); this
        table can be shown to a collective.
    lang : {None, "fr", "en"}, default None
        ``None`` keeps the snake_case columns below; ``"fr"`` / ``"en"`` renames them to
        readable headers for a collective (``Indicateur, Collège, Effectif, Moyenne,
        Écart-type, Médiane, Masqué (moins de 5 personnes)``).

    Returns
    -------
    DataFrame
        ``variable, group, n, mean, sd, median, suppressed``.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> d = pd.DataFrame({"college": ["a"] * 6 + ["b"] * 2, "value": range(8)})
    >>> ce.stats.college_summary(d, variable=None, min_group=5)["suppressed"].tolist()
    [False, True]
    """
    if lang is not None:
        check_choice(lang, "lang", ["fr", "en"])
    d, var = _prepare(data, group, variable, value, min_group, "suppress")
    g = d.groupby([var, group], sort=True)[value]
    out = pd.DataFrame({"n": g.size(), "mean": g.mean(), "sd": g.std(), "median": g.median()})
    out = out.reset_index().rename(columns={var: "variable", group: "group"})
    out["suppressed"] = out["n"] < min_group
    out.loc[out["suppressed"], ["mean", "sd", "median"]] = np.nan
    if out["suppressed"].any():
        warn(f"{int(out['suppressed'].sum())} group(s) with fewer than {min_group} respondents "
             "suppressed")
    out = out[["variable", "group", "n", "mean", "sd", "median", "suppressed"]]
    if lang is not None:
        out = out.rename(columns={k: v[lang].format(min_group=min_group) for k, v in HEADERS.items()})
    return out
