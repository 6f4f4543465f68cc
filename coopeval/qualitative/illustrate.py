"""Qualitative evidence shown with the numbers: extracts of a criterion, theme counts.

Both functions apply the rules of a restitution to a collective:

* :func:`extracts_for` returns only **consented** extracts, **never the speaker** (nor the
  source or date that could point to them), and shows the speaker's **college** only when
  at least ``min_group`` different people of that college spoke in that cooperation and
  wave and it is not pooled with a smaller one; a pooled college is shown as
  « autres collèges » (:data:`~coopeval.qualitative.disclosure.OTHER_COLLEGES`), and
  nothing when every college of that cooperation and wave is pooled
  (:func:`coopeval.qualitative.disclosure.attribution`, issue 16);
* :func:`theme_summary` counts extracts and different speakers per code (and college,
  wave, unit) over those same groups — pooled colleges counted together as « autres
  collèges », cooperations and waves with fewer than ``min_group`` speakers counted
  nowhere — and hides every cell where fewer than ``min_group`` different people spoke.
  No difference between two such tables (per wave and per college, one cooperation or
  all) isolates a group under the minimum.

Example
-------
>>> import coopeval as ce
>>> q = ce.datasets.load("qualitatif_exemple")
>>> fw = ce.load_framework("cooperation_territoriale")
>>> ex = ce.qualitative.extracts_for(q["extracts"], q["codes"], q["codebook"], node="participation_decisions",
...                                  unit="u01", wave=2, fw=fw)
>>> ex.columns.tolist()
['extract', 'unit', 'wave', 'code', 'label', 'college', 'college_hidden', 'text']
>>> bool(len(ex) > 0) and "speaker" not in ex.columns
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from coopeval.data.small_groups import DEFAULT_MIN_N
from coopeval.errors import DataError, bad_param
from coopeval.qualitative.disclosure import OTHER_COLLEGES, attribution

__all__ = ["codes_of_node", "extracts_for", "theme_summary", "EXTRACTS_FOR_COLUMNS", "THEME_COLUMNS"]

#: Columns of :func:`extracts_for`.
EXTRACTS_FOR_COLUMNS = ["extract", "unit", "wave", "code", "label", "college", "college_hidden", "text"]
#: Columns of :func:`theme_summary` (plus the ``by`` columns after ``label``).
THEME_COLUMNS = ["code", "label", "n_extracts", "n_speakers", "suppressed"]
#: Columns ``theme_summary`` may count by: the dimensions of the protected groups (issue 16).
THEME_BY = ("unit", "wave", "college")


def _label(codebook: pd.DataFrame | None, lang: str) -> dict[str, str]:
    if codebook is None or not len(codebook):
        return {}
    col = "label_en" if lang == "en" and "label_en" in codebook.columns else "label_fr"
    return dict(zip(codebook["code"].astype(str), codebook[col].astype(str), strict=True))


def codes_of_node(codebook: pd.DataFrame, node: str, fw=None) -> list[str]:  # noqa: ANN001
    """Codes of the codebook that document ``node`` — or, with ``fw``, any node below it."""
    nodes = {node}
    if fw is not None:
        if node not in set(fw.nodes["node"]):
            bad_param("node", f"a node of framework {fw.id}", node, DataError)
        frontier = {node}
        while frontier:  # every node below `node`
            frontier = set(fw.nodes.loc[fw.nodes["parent"].isin(frontier), "node"])
            nodes |= frontier
    return sorted(codebook.loc[codebook["node"].isin(nodes), "code"].astype(str).unique())


def extracts_for(extracts: pd.DataFrame, codes: pd.DataFrame, codebook: pd.DataFrame, *, node: str,
                 unit: str | None = None, wave: object = None, fw=None,  # noqa: ANN001
                 min_group: int = DEFAULT_MIN_N, lang: str = "fr") -> pd.DataFrame:
    """Consented extracts that illustrate a criterion or indicator, safe to show a collective.

    Parameters
    ----------
    extracts, codes, codebook : DataFrame
        The qualitative contracts (see :mod:`coopeval.qualitative.contracts`).
    node : str
        A criterion or indicator; the extracts coded (by any coder) with a code whose
        codebook ``node`` is ``node`` or, with ``fw``, a node below it.
    unit, wave : optional
        Keep one cooperation and/or one wave.
    fw : Framework, optional
        To include codes of the indicators of a criterion.
    min_group : int, default 5
        A college is shown only if at least this many different people of it spoke in the
        same cooperation and wave (and it is not pooled with a smaller college).
    lang : {"fr", "en"}
        Language of ``label``.

    Returns
    -------
    DataFrame
        One row per extract (in the order of ``extracts``): ``extract, unit, wave``,
        ``code`` (the matching codes, ``;``-joined), ``label`` (their labels), ``college``
        (the college, ``"autres_colleges"`` when pooled, empty when nobody may be named),
        ``college_hidden`` (bool: the speaker's own college is not shown), ``text``. No
        speaker, source or date.
    """
    if not isinstance(min_group, (int, np.integer)) or min_group < 1:
        bad_param("min_group", "a positive integer", min_group, DataError)
    wanted = codes_of_node(codebook, node, fw)
    labels = _label(codebook, lang)
    ex = extracts
    if unit is not None:
        ex = ex[ex["unit"].astype(str) == str(unit)]
    if wave is not None:
        ex = ex[ex["wave"] == wave]
    group = attribution(ex, min_group)["group"].to_numpy()  # per cooperation and wave: filter-invariant
    hit = codes[codes["code"].isin(wanted)].groupby("extract")["code"].agg(lambda s: sorted(set(s)))
    keep = (ex["consent"].astype(bool) & ex["extract"].isin(hit.index)).to_numpy()
    rows = []
    for r, g in zip(ex[keep].to_dict("records"), group[keep], strict=True):
        g = None if pd.isna(g) else str(g)
        hidden = g is None or g == OTHER_COLLEGES
        found = hit[r["extract"]]
        rows.append({"extract": r["extract"], "unit": r["unit"], "wave": r["wave"], "code": ";".join(found),
                     "label": " ; ".join(labels.get(c, c) for c in found),
                     "college": g, "college_hidden": hidden, "text": r["text"]})
    return pd.DataFrame(rows, columns=EXTRACTS_FOR_COLUMNS)


def theme_summary(extracts: pd.DataFrame, codes: pd.DataFrame, codebook: pd.DataFrame | None = None, *,
                  by: tuple[str, ...] | list[str] = ("college", "wave"), unit: str | None = None,
                  min_group: int = DEFAULT_MIN_N, lang: str = "fr") -> pd.DataFrame:
    """Number of extracts and of different speakers per code and ``by`` group, small cells hidden.

    Parameters
    ----------
    extracts, codes : DataFrame
        The qualitative contracts; every extract counts (consent governs quoting, not counting),
        except those of a cooperation and wave with fewer than ``min_group`` speakers in all.
    codebook : DataFrame, optional
        Gives ``label``.
    by : sequence of str, default ("college", "wave")
        Among ``unit, wave, college`` (``()`` for one count per code). ``college`` holds
        ``"autres_colleges"`` for the colleges pooled in a cooperation and wave
        (:func:`coopeval.qualitative.disclosure.attribution`), empty for no college.
    unit : str, optional
        Keep one cooperation.
    min_group : int, default 5
        Cells where fewer different people spoke are hidden.
    lang : {"fr", "en"}

    Returns
    -------
    DataFrame
        ``code, label, *by, n_extracts, n_speakers, suppressed``: ``n_extracts`` and
        ``n_speakers`` are NaN where ``suppressed`` (fewer than ``min_group`` speakers).
        ``n_speakers`` counts a person once per cooperation and wave (a person who spoke in
        two waves counts twice in a table across waves), so that every count is a sum over
        the protected groups and no two tables can be compared to single one out.
        Sorted by code then ``by``.

    Examples
    --------
    >>> import coopeval as ce
    >>> q = ce.datasets.load("qualitatif_exemple")
    >>> th = ce.qualitative.theme_summary(q["extracts"], q["codes"], q["codebook"], by=["wave"], unit="u01")
    >>> bool((th["n_speakers"].dropna() >= 5).all())
    True
    """
    by = list(by)
    unknown = [c for c in by if c not in THEME_BY or c not in extracts.columns]
    if unknown:
        bad_param("by", f"columns among {', '.join(THEME_BY)} (groups protected from small-group disclosure)",
                  unknown, DataError)
    if not isinstance(min_group, (int, np.integer)) or min_group < 1:
        bad_param("min_group", "a positive integer", min_group, DataError)
    ex = extracts if unit is None else extracts[extracts["unit"].astype(str) == str(unit)]
    att = attribution(ex, min_group)  # issue 16: pooled colleges counted together, tiny cells nowhere
    ex = ex.assign(college=att["group"].fillna("").to_numpy(dtype=object)).loc[att["counted"].to_numpy(dtype=bool)]
    merged = codes[["extract", "code"]].drop_duplicates().merge(ex, on="extract", how="inner")
    cols = ["code", "label", *by, "n_extracts", "n_speakers", "suppressed"]
    if merged.empty:
        return pd.DataFrame(columns=cols)
    merged = merged.fillna({c: "" for c in by if merged[c].dtype == object})
    # a person counts once per cooperation and wave: every count is a sum over the protected groups
    merged["_who"] = merged["unit"].astype(str) + "\x01" + merged["wave"].astype(str) + "\x01" + merged[
        "speaker"].astype(str)
    g = merged.groupby(["code", *by], dropna=False).agg(n_extracts=("extract", "nunique"),
                                                        n_speakers=("_who", "nunique")).reset_index()
    g["suppressed"] = g["n_speakers"] < min_group
    g[["n_extracts", "n_speakers"]] = g[["n_extracts", "n_speakers"]].astype(float)
    g.loc[g["suppressed"], ["n_extracts", "n_speakers"]] = np.nan
    labels = _label(codebook, lang)
    g.insert(1, "label", [labels.get(c, c) for c in g["code"]])
    return g[cols].sort_values(["code", *by]).reset_index(drop=True)
