"""Export to COINr (R, EU JRC): a framework and long observations written as ``iData`` and ``iMeta``.

The inverse of :func:`coopeval.scoring.from_coinr` (see :mod:`coopeval.scoring.coinr` for COINr's
two tables); the codes kept by the import are written back.

References
----------
Becker, W., Caperna, G., Del Sorbo, M., Norlén, H., Papadimitriou, E., Saisana, M. (2022).
COINr: An R package for developing composite indicators. *Journal of Open Source Software*,
7(78), 4567. https://doi.org/10.21105/joss.04567
"""

from __future__ import annotations

import pandas as pd

from coopeval.errors import Issue, ScoringError
from coopeval.framework import Framework

__all__ = ["to_coinr"]


def _code_map(fw: Framework, codes: dict | None, obs: pd.DataFrame) -> dict[str, str]:
    known = dict(codes if codes is not None else obs.attrs.get("coinr_codes", {}))
    known.setdefault("overall", obs.attrs.get("coinr_root", "Index") if codes is None else "Index")
    return {n: str(known.get(n, n)) for n in ["overall", *fw.node_ids]}


def _levels(fw: Framework) -> tuple[dict[str, int], list[Issue]]:
    nodes = fw.nodes.set_index("node")
    deep = (nodes["level"] == "criterion").any()
    level = {"indicator": 1, "criterion": 2, "dimension": 3 if deep else 2}
    out = {n: level[lv] for n, lv in nodes["level"].items() if lv != "overall"}
    out["overall"] = 4 if deep else 3
    issues = [Issue("framework", d, "criteria under every dimension (COINr needs one level per tier)",
                    "indicators directly under the dimension")
              for d in fw.dimension_ids if deep and any(fw.level(k) == "indicator" for k in fw.children(d))]
    return out, issues


def to_coinr(
    fw: Framework,
    obs: pd.DataFrame,
    *,
    units: pd.DataFrame | None = None,
    denominators: pd.DataFrame | None = None,
    by: pd.DataFrame | None = None,
    codes: dict[str, str] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write a framework and long observations as COINr's ``iData`` and ``iMeta`` (for ``new_coin``).

    Parameters
    ----------
    fw : Framework
        The tree. Every dimension must have criteria, or none must (COINr has one level per tier).
    obs : pandas.DataFrame
        Long observations ``unit, wave, indicator, value`` (framework indicators only are written).
    units : pandas.DataFrame, optional
        ``unit`` (and ``wave``), optional ``name`` (-> ``uName``) and group columns (-> ``Group``
        rows), e.g. from :func:`~coopeval.scoring.coinr_units`.
    denominators, by : pandas.DataFrame, optional
        Long denominator values and the indicator -> denominator mapping (as returned by
        :func:`~coopeval.scoring.coinr_denominators`), written as ``Denominator`` columns and iMeta's
        ``Denominator`` column.
    codes : dict, optional
        coopeval id -> COINr code (``"overall"`` for the index). By default the codes kept by
        :func:`~coopeval.scoring.from_coinr` in ``obs.attrs`` are used, else the coopeval ids (and ``Index``).

    Returns
    -------
    idata, imeta : pandas.DataFrame
        ``iData``: ``uName, uCode``, groups, ``Time``, denominators, indicators; ``iMeta``:
        ``Level, iCode, iName, Direction, Weight, Unit, Denominator, Parent, Type``.

    Notes
    -----
    Mapping: indicator -> ``Level 1`` / ``Indicator``; criterion -> level 2; dimension -> level 2
    (no criteria) or 3; the root -> the top level, ``Parent`` NA; ``direction`` increase -> 1,
    decrease -> -1 (``target`` has no COINr equivalent and is refused); ``weight`` is the raw
    weight of the node (COINr rescales within groups, as coopeval does); ``iName`` is the English
    label without the `` (CODE)`` suffix that :func:`~coopeval.scoring.from_coinr` adds; ``unit`` ``"-"`` -> NA.
    Goalposts, targets and transforms are not exported (COINr normalises on the data); the unit of
    aggregates is left empty.

    Examples
    --------
    >>> import pandas as pd, coopeval as ce
    >>> meta = pd.DataFrame({"Level": [1, 1, 2, 3], "iCode": ["A", "B", "P", "Index"],
    ...     "Direction": [1, -1, 1, 1], "Weight": [1, 2, 1, 1], "Parent": ["P", "P", "Index", None],
    ...     "Type": ["Indicator", "Indicator", "Aggregate", "Aggregate"]})
    >>> data = pd.DataFrame({"uCode": ["X", "Y"], "A": [1.0, 3.0], "B": [2.0, 1.0]})
    >>> idata, imeta = ce.scoring.to_coinr(*ce.from_coinr(data, meta))
    >>> imeta[["Level", "iCode", "Direction", "Weight", "Parent"]].values.tolist()
    [[1, 'A', 1, 1.0, 'P'], [1, 'B', -1, 2.0, 'P'], [2, 'P', 1, 1.0, 'Index'], [3, 'Index', 1, nan, nan]]
    """
    if not isinstance(fw, Framework):
        raise ScoringError(f"parameter `fw`: expected a Framework, got {type(fw).__name__}")
    code = _code_map(fw, codes, obs)
    level, issues = _levels(fw)
    ind = fw.indicators.set_index("indicator")
    issues += [Issue("framework", i, "direction increase or decrease", "target")
               for i in ind.index if ind.at[i, "direction"] == "target"]
    issues += [Issue("codes", n, "a COINr code without blanks", repr(c)) for n, c in code.items() if " " in c]
    if issues:
        raise ScoringError("cannot export to COINr", issues=issues)
    nodes = fw.nodes.set_index("node")
    den_map = dict(zip(by["indicator"], by["denominator"], strict=True)) if by is not None else {}

    def name(n: str) -> str:
        label = str(nodes.at[n, "label_en"])
        suffix = f" ({code[n]})"
        return label[: -len(suffix)] if label.endswith(suffix) else label

    order = sorted(nodes.index.drop("overall"), key=lambda n: level[n]) + ["overall"]
    rows = []
    for n in order:
        is_ind = n in ind.index
        unit_ = ind.at[n, "unit"] if is_ind else None
        rows.append({"Level": level[n], "iCode": code[n], "iName": name(n),
                     "Direction": -1 if is_ind and ind.at[n, "direction"] == "decrease" else 1,
                     "Weight": float(nodes.at[n, "weight"]) if n != "overall" else float("nan"),
                     "Unit": unit_ if isinstance(unit_, str) and unit_ != "-" else None,
                     "Denominator": den_map.get(n), "Parent": code[nodes.at[n, "parent"]] if n != "overall" else None,
                     "Type": "Indicator" if is_ind else "Aggregate"})
    wide = obs[obs["indicator"].isin(ind.index)].pivot_table(index=["unit", "wave"], columns="indicator",
                                                            values="value", aggfunc="first", dropna=False)
    seen = obs.loc[obs["indicator"].isin(ind.index), ["unit", "wave"]].drop_duplicates()
    wide = wide.reindex(index=pd.MultiIndex.from_frame(seen), columns=list(ind.index)).rename(columns=code)
    idata = wide.reset_index().rename(columns={"unit": "uCode", "wave": "Time"})
    extra_cols, group_cols = [], []
    if units is not None:
        keys = ["unit", "wave"] if "wave" in units.columns else ["unit"]
        u = units.rename(columns={"unit": "uCode", "wave": "Time", "name": "uName"})
        group_cols = [g for g in units.columns if g not in ("unit", "wave", "name")]
        idata = idata.merge(u, on=[{"unit": "uCode", "wave": "Time"}[k] for k in keys], how="left")
    if denominators is not None:
        d = denominators.pivot_table(index=["unit", "wave"], columns="indicator", values="value", aggfunc="first")
        extra_cols = list(d.columns)
        idata = idata.merge(d.reset_index().rename(columns={"unit": "uCode", "wave": "Time"}), on=["uCode", "Time"],
                            how="left")
    if "uName" not in idata.columns:
        idata["uName"] = idata["uCode"]
    lead = ["uName", "uCode", *group_cols, "Time", *extra_cols]
    idata = idata[lead + [code[i] for i in ind.index]]
    rows += [{"iCode": g, "iName": g, "Type": "Group"} for g in group_cols]
    rows += [{"iCode": d, "iName": d, "Type": "Denominator"} for d in extra_cols]
    imeta = pd.DataFrame(rows, columns=["Level", "iCode", "iName", "Direction", "Weight", "Unit", "Denominator",
                                        "Parent", "Type"])
    imeta["Level"] = imeta["Level"].astype("Int64")
    imeta["Direction"] = imeta["Direction"].astype("Int64")
    return idata, imeta
