"""Import an index built for COINr (R, EU JRC): ``iMeta`` tree + ``iData`` table.

The way back (a framework and observations written as ``iData`` and ``iMeta``) is
:func:`~coopeval.scoring.coinr_export.to_coinr`, also importable from here.

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

import numpy as np
import pandas as pd

from coopeval.errors import Issue, ScoringError
from coopeval.framework import Framework
from coopeval.scoring.coinr_export import to_coinr

__all__ = ["coinr_denominators", "coinr_units", "from_coinr", "to_coinr"]

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
    meta, top, records = _checked_meta(idata, imeta)
    ids = _ids(meta)
    spec, root = _framework_spec(meta, records, top, ids, framework_id)
    fw = Framework.from_dict(spec, source="<COINr iMeta>")
    ind_codes = meta.loc[meta["Level"] == 1, "iCode"].tolist()
    values = _indicator_values(idata, ind_codes)
    obs = _long_table(idata, values, [ids[c] for c in ind_codes])
    obs.attrs["coinr_codes"] = {v: k for k, v in ids.items() if k != root}
    obs.attrs["coinr_root"] = root
    return fw, obs


def _checked_meta(idata: pd.DataFrame, imeta: pd.DataFrame) -> tuple[pd.DataFrame, object, list[dict]]:
    """The tree rows of iMeta (numeric ``Level``), its top level and its records, checked: the
    columns, a depth of 3 or 4, known parents and an iData column per indicator."""
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
    records = meta.to_dict("records")  # plain dicts: a row as a Series costs ~0.1 ms (issue 21)
    columns = set(idata.columns)
    for row in records:
        if row["Level"] < top and row["Parent"] not in codes:
            issues.append(Issue("imeta", row["iCode"], "a Parent that is an iCode of the tree", repr(row["Parent"])))
        if row["Level"] == 1 and row["iCode"] not in columns:
            issues.append(Issue("idata", row["iCode"], "a column of iData for each indicator", "no column"))
    if issues:
        raise ScoringError("invalid COINr index", issues=issues)
    return meta, top, records


def _framework_spec(meta: pd.DataFrame, records: list[dict], top: object, ids: dict[str, str],
                    framework_id: str) -> tuple[dict, str]:
    """The framework dict of the tree (dimensions, criteria, indicators) and the index's code."""
    rows = {r["iCode"]: r for r in records}
    children: dict[object, list[str]] = {}
    for r in records:  # in iMeta order, as before
        children.setdefault(r["Parent"], []).append(r["iCode"])

    def label(code: str) -> str:
        name = rows[code].get("iName")
        return f"{name} ({code})" if isinstance(name, str) and name.strip() else str(code)

    def kids(code: str) -> list[str]:
        return children.get(code, [])

    def weight(code: str) -> float:
        try:
            w = float(rows[code]["Weight"])
        except (TypeError, ValueError):  # not a number: the default weight, as pd.to_numeric(coerce) gave
            return 1.0
        return 1.0 if np.isnan(w) else w  # an infinite weight is refused by the framework's validation

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
    return spec, root


def _indicator_values(idata: pd.DataFrame, ind_codes: list[str]) -> np.ndarray:
    """The indicator columns of iData as floats (units × indicators); text cells refused, named per column."""
    issues = []
    block = idata[ind_codes]
    if all(pd.api.types.is_numeric_dtype(t) for t in block.dtypes):
        values = block.to_numpy(dtype=float)
    else:  # text cells: find the first one that is not a number, per column
        num = block.apply(pd.to_numeric, errors="coerce")
        bad = num.isna() & block.notna()
        for c in bad.columns[bad.any().to_numpy()]:
            issues.append(Issue("idata", c, "numbers", repr(block.loc[bad[c], c].iloc[0])))
        values = num.to_numpy(dtype=float)
    if issues:
        raise ScoringError("invalid COINr iData", issues=issues)
    return values


def _long_table(idata: pd.DataFrame, values: np.ndarray, indicator_ids: list[str]) -> pd.DataFrame:
    """``unit, wave, indicator, value`` in the order of DataFrame.melt (indicator by indicator, units
    within), missing values left out; the wave is iData's ``Time``, else 1."""
    n_units = len(idata)
    flat = values.T.reshape(-1)
    keep = ~np.isnan(flat)
    unit_pos = np.tile(np.arange(n_units), len(indicator_ids))[keep]
    wave = idata["Time"].to_numpy()[unit_pos] if "Time" in idata.columns else np.ones(int(keep.sum()), dtype=int)
    return pd.DataFrame({
        "unit": idata["uCode"].to_numpy()[unit_pos],
        "wave": wave,
        "indicator": np.repeat(np.array(indicator_ids, dtype=object), n_units)[keep],
        "value": flat[keep],
    })


def _ids(meta: pd.DataFrame) -> dict[str, str]:
    """COINr code -> coopeval id, in the order of iMeta (as :func:`from_coinr` assigns them)."""
    taken: set[str] = set()
    return {c: _snake(c, taken) for c in meta.loc[meta["Type"].isin(["Indicator", "Aggregate"]), "iCode"]}


def _wave_col(idata: pd.DataFrame) -> pd.Series:
    return idata["Time"] if "Time" in idata.columns else pd.Series(1, index=idata.index)


def coinr_units(idata: pd.DataFrame, imeta: pd.DataFrame) -> pd.DataFrame:
    """Units of a COINr ``iData`` with their groups: ``unit, wave, name`` and one column per ``Group``.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> meta = pd.DataFrame({"Level": [1, 2, 3, None], "iCode": ["A", "P", "Index", "Size"],
    ...     "Direction": [1, 1, 1, None], "Weight": [1, 1, 1, None], "Parent": ["P", "Index", None, None],
    ...     "Type": ["Indicator", "Aggregate", "Aggregate", "Group"]})
    >>> data = pd.DataFrame({"uCode": ["X", "Y"], "Size": ["S", "L"], "A": [1.0, 3.0]})
    >>> ce.scoring.coinr_units(data, meta).to_dict("records")
    [{'unit': 'X', 'wave': 1, 'name': 'X', 'Size': 'S'}, {'unit': 'Y', 'wave': 1, 'name': 'Y', 'Size': 'L'}]
    """
    groups = [c for c in imeta.loc[imeta["Type"] == "Group", "iCode"] if c in idata.columns]
    out = pd.DataFrame({"unit": idata["uCode"], "wave": _wave_col(idata),
                        "name": idata["uName"] if "uName" in idata.columns else idata["uCode"]})
    for g in groups:
        out[g] = idata[g]
    return out.reset_index(drop=True)


def coinr_denominators(idata: pd.DataFrame, imeta: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Denominators of a COINr index: long values and the mapping for :func:`~coopeval.scoring.denominate`.

    Returns
    -------
    values : pandas.DataFrame
        ``unit, wave, indicator, value`` with the COINr code of each ``Denominator`` variable.
    by : pandas.DataFrame
        ``indicator`` (coopeval id), ``denominator`` (COINr code), ``scale`` (1, or iMeta's
        ``ScaleFactor`` when present), one row per indicator whose ``Denominator`` is set.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> meta = pd.DataFrame({"Level": [1, 2, 3, None], "iCode": ["A", "P", "Index", "Pop"],
    ...     "Direction": [1, 1, 1, None], "Weight": [1, 1, 1, None], "Parent": ["P", "Index", None, None],
    ...     "Denominator": ["Pop", None, None, None], "Type": ["Indicator", "Aggregate", "Aggregate", "Denominator"]})
    >>> data = pd.DataFrame({"uCode": ["X", "Y"], "Pop": [10.0, 20.0], "A": [1.0, 3.0]})
    >>> values, by = ce.scoring.coinr_denominators(data, meta)
    >>> by.to_dict("records"), values["value"].tolist()
    ([{'indicator': 'a', 'denominator': 'Pop', 'scale': 1.0}], [10.0, 20.0])
    """
    codes = [c for c in imeta.loc[imeta["Type"] == "Denominator", "iCode"] if c in idata.columns]
    wide = idata[["uCode", *codes]].assign(Time=_wave_col(idata))
    values = wide.melt(id_vars=["uCode", "Time"], var_name="indicator", value_name="value")
    values = values.rename(columns={"uCode": "unit", "Time": "wave"})[["unit", "wave", "indicator", "value"]]
    ids = _ids(imeta)
    ind = imeta[(imeta["Type"] == "Indicator") & imeta.get("Denominator", pd.Series(index=imeta.index)).notna()]
    scale = ind["ScaleFactor"] if "ScaleFactor" in ind.columns else pd.Series(1.0, index=ind.index)
    by = pd.DataFrame({"indicator": ind["iCode"].map(ids), "denominator": ind["Denominator"],
                       "scale": pd.to_numeric(scale, errors="coerce").fillna(1.0)}).reset_index(drop=True)
    return values.dropna(subset=["value"]).reset_index(drop=True), by
