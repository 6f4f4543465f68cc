"""Import an index built for COINr (R, EU JRC): ``iMeta`` tree + ``iData`` table.

COINr describes an index with two tables. ``iMeta`` has one row per indicator or
aggregate: ``Level`` (1 = indicator, then upwards), ``iCode``, ``iName``,
``Direction`` (1 or -1), ``Weight`` (within the parent), ``Parent``, ``Type``
(``Indicator``, ``Aggregate``; ``Group``, ``Denominator`` and ``Other`` rows are not
part of the tree). ``iData`` has one row per unit (``uCode``, optional ``Time``) and
one column per indicator.

coopeval's frameworks have at most three levels below the root (dimension >
criterion > indicator), so a COINr tree of 3 levels (indicators > pillars > index)
maps to dimensions with indicators, and one of 4 levels (indicators > sub-pillars >
pillars > index) to dimensions > criteria > indicators. Codes become snake_case ids
(``"GDPpc"`` -> ``"gdppc"``); the original codes are kept in the framework labels and
in ``observations.attrs["coinr_codes"]``.

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E., Saisana, M. (2022).
COINr: An R package for developing composite indicators. *Journal of Open Source Software*,
7(78), 4567. https://doi.org/10.21105/joss.04567
"""

from __future__ import annotations

import re

import pandas as pd

from coopeval.errors import Issue, ScoringError
from coopeval.framework import Framework

__all__ = ["from_coinr"]

_META_COLUMNS = ("Level", "iCode", "Direction", "Weight", "Parent", "Type")


def _snake(code: str, taken: set[str]) -> str:
    base = re.sub(r"[^a-z0-9_]+", "_", str(code).strip().lower()).strip("_") or "node"
    if not base[0].isalpha():
        base = f"i_{base}"
    if base in ("overall", "dimension", "criterion", "indicator"):
        base = f"{base}_node"
    base = base[:60]
    out, k = base, 2
    while out in taken:
        out, k = f"{base}_{k}", k + 1
    taken.add(out)
    return out


def from_coinr(idata: pd.DataFrame, imeta: pd.DataFrame, *, framework_id: str = "coinr_index") -> tuple[Framework, pd.DataFrame]:
    """Build a framework and long observations from COINr-shaped ``iData`` and ``iMeta``.

    Parameters
    ----------
    idata : pandas.DataFrame
        One row per unit: ``uCode`` (unit code), optional ``uName`` and ``Time`` (used as the
        wave, else every row is wave 1), and one numeric column per indicator code.
    imeta : pandas.DataFrame
        COINr's indicator metadata with at least ``Level, iCode, Direction, Weight, Parent,
        Type`` (``iName`` and ``Unit`` used when present).
    framework_id : str
        Id of the framework built.

    Returns
    -------
    framework : Framework
        Dimensions (the level below the index), criteria (if the tree has 4 levels) and
        indicators, with COINr's weights and directions (``1`` -> ``increase``, ``-1`` ->
        ``decrease``); indicators have no goalposts (use ``normalisation="minmax"``).
    observations : pandas.DataFrame
        Long table ``unit, wave, indicator, value`` (missing values left out), with
        ``attrs["coinr_codes"]``: a dict from coopeval id to COINr code.

    Raises
    ------
    ScoringError
        Missing columns, unknown parents, unsupported depth, non-numeric indicator columns.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> meta = pd.DataFrame({"Level": [1, 1, 2, 3], "iCode": ["A", "B", "P", "Index"],
    ...     "Direction": [1, -1, 1, 1], "Weight": [1, 1, 1, 1], "Parent": ["P", "P", "Index", None],
    ...     "Type": ["Indicator", "Indicator", "Aggregate", "Aggregate"]})
    >>> data = pd.DataFrame({"uCode": ["X", "Y"], "A": [1.0, 3.0], "B": [2.0, 1.0]})
    >>> fw, obs = ce.from_coinr(data, meta)
    >>> fw.tree(lang="en").splitlines()[1:]
    ['- P [p]', '    - A [a]', '    - B [b]']
    """
    for name, df in (("idata", idata), ("imeta", imeta)):
        if not isinstance(df, pd.DataFrame):
            raise ScoringError(f"parameter `{name}`: expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in _META_COLUMNS if c not in imeta.columns]
    if missing:
        raise ScoringError("parameter `imeta`", issues=[Issue("imeta", c, "a COINr iMeta column", "absent")
                                                         for c in missing])
    if "uCode" not in idata.columns:
        raise ScoringError("parameter `idata`: expected a column `uCode` (unit codes), found "
                           f"{list(idata.columns)[:8]}")
    meta = imeta[imeta["Type"].isin(["Indicator", "Aggregate"])].copy()
    meta["Level"] = pd.to_numeric(meta["Level"], errors="coerce")
    top = meta["Level"].max()
    issues = []
    if top not in (3, 4):
        raise ScoringError(
            f"parameter `imeta`: expected a tree of 3 or 4 levels (indicators > [sub-pillars >] pillars > "
            f"index), found {top} levels"
        )
    codes = set(meta["iCode"])
    for _, row in meta.iterrows():
        if row["Level"] < top and row["Parent"] not in codes:
            issues.append(Issue("imeta", row["iCode"], "a Parent that is an iCode of the tree", repr(row["Parent"])))
        if row["Level"] == 1 and row["iCode"] not in idata.columns:
            issues.append(Issue("idata", row["iCode"], "a column of iData for each indicator", "no column"))
    if issues:
        raise ScoringError("invalid COINr index", issues=issues)
    taken: set[str] = set()
    ids = {c: _snake(c, taken) for c in meta["iCode"]}
    rows = {r["iCode"]: r for _, r in meta.iterrows()}

    def label(code: str) -> str:
        name = rows[code].get("iName")
        return f"{name} ({code})" if isinstance(name, str) and name.strip() else str(code)

    def kids(code: str) -> list[str]:
        return [c for c in meta["iCode"] if rows[c]["Parent"] == code]

    def weight(code: str) -> float:
        w = pd.to_numeric(rows[code]["Weight"], errors="coerce")
        return float(w) if pd.notna(w) else 1.0

    def indicator(code: str) -> dict:
        r = rows[code]
        unit = r.get("Unit")
        return {
            "id": ids[code], "label_fr": label(code), "label_en": label(code),
            "unit": str(unit) if isinstance(unit, str) and unit.strip() else "-",
            "kind": "quantitative", "direction": "decrease" if r["Direction"] == -1 else "increase",
            "source": "register", "weight": weight(code),
        }

    def group(code: str) -> dict:
        node = {"id": ids[code], "label_fr": label(code), "label_en": label(code), "weight": weight(code)}
        children = kids(code)
        if rows[children[0]]["Level"] == 1:
            node["indicators"] = [indicator(c) for c in children]
        else:
            node["criteria"] = [group(c) for c in children]
        return node

    root = meta.loc[meta["Level"] == top, "iCode"].iloc[0]
    spec = {
        "id": framework_id,
        "title_fr": label(root),
        "title_en": label(root),
        "dimensions": [group(c) for c in kids(root)],
    }
    fw = Framework.from_dict(spec, source="<COINr iMeta>")
    ind_codes = meta.loc[meta["Level"] == 1, "iCode"].tolist()
    wide = idata[["uCode", *(["Time"] if "Time" in idata.columns else []), *ind_codes]].copy()
    if "Time" not in wide.columns:
        wide["Time"] = 1
    for c in ind_codes:
        num = pd.to_numeric(wide[c], errors="coerce")
        if (num.isna() & wide[c].notna()).any():
            issues.append(Issue("idata", c, "numbers", repr(wide.loc[num.isna() & wide[c].notna(), c].iloc[0])))
        wide[c] = num
    if issues:
        raise ScoringError("invalid COINr iData", issues=issues)
    obs = wide.melt(id_vars=["uCode", "Time"], value_vars=ind_codes, var_name="indicator", value_name="value")
    obs = obs.dropna(subset=["value"]).rename(columns={"uCode": "unit", "Time": "wave"})
    obs["indicator"] = obs["indicator"].map(ids)
    obs = obs[["unit", "wave", "indicator", "value"]].reset_index(drop=True)
    obs.attrs["coinr_codes"] = {v: k for k, v in ids.items() if k != root}
    return fw, obs
