"""The tables of a :class:`~coopeval.Framework`: indicators, nodes, items, relative goalposts,
reference variables — the data contract other layers read (column names are part of the API).
"""

from __future__ import annotations

from typing import Any, Protocol

import pandas as pd

from coopeval.framework.limits import plausible_limits
from coopeval.framework.model import ROOT

#: Columns of :attr:`Framework.indicators` (the data contract), in order.
INDICATOR_COLUMNS = [
    "dimension",
    "criterion",
    "indicator",
    "label_fr",
    "label_en",
    "unit",
    "kind",
    "direction",
    "lower",
    "upper",
    "target",
    "transform",
    "source",
]
#: Columns of :attr:`Framework.nodes`.
NODE_COLUMNS = ["node", "parent", "level", "depth", "label_fr", "label_en", "weight"]


class _Tree(Protocol):
    """What the tables read of the tree (:class:`coopeval.framework.tree.Framework`)."""

    _spec: dict[str, Any]
    _index: dict[str, dict[str, Any]]
    _parent: dict[str, str]
    _level: dict[str, str]

    @property
    def title_fr(self) -> str: ...

    @property
    def title_en(self) -> str: ...

    @property
    def indicator_ids(self) -> list[str]: ...


class FrameworkTables:
    """The tables of a framework (a part of :class:`~coopeval.Framework`)."""

    @property
    def indicators(self: _Tree) -> pd.DataFrame:
        """One row per indicator: ``dimension, criterion, indicator, label_fr, label_en, unit,
        kind, direction, lower, upper, target, transform, source`` (``criterion`` is missing
        when the indicator hangs directly under its dimension), plus ``weight`` (its default
        weight among its siblings), ``n_items`` and ``limit_low, limit_high`` — the plausibility
        limits (:func:`plausible_limits`): ``lower, upper`` are goalposts (the normalisation
        range; a value beyond is capped), the limits are what a value can physically be (a value
        outside is refused on import)."""
        rows = []
        for ind_id in self.indicator_ids:
            ind = self._index[ind_id]
            parent = self._parent[ind_id]
            if self._level[parent] == "criterion":
                dim, crit = self._parent[parent], parent
            else:
                dim, crit = parent, None
            rows.append(
                {
                    "dimension": dim,
                    "criterion": crit,
                    "indicator": ind_id,
                    "label_fr": ind["label_fr"],
                    "label_en": ind["label_en"],
                    "unit": ind["unit"],
                    "kind": ind["kind"],
                    "direction": ind["direction"],
                    "lower": ind.get("lower"),
                    "upper": ind.get("upper"),
                    "target": ind.get("target"),
                    "transform": ind.get("transform"),
                    "source": ind["source"],
                    "weight": float(ind.get("weight", 1.0)),
                    "n_items": len(ind.get("items") or []),
                    **dict(zip(("limit_low", "limit_high"), plausible_limits(ind), strict=True)),
                }
            )
        df = pd.DataFrame(rows, columns=INDICATOR_COLUMNS + ["weight", "n_items", "limit_low", "limit_high"])
        for col in ("lower", "upper", "target"):
            df[col] = pd.to_numeric(df[col], errors="coerce").astype(float)
        return df

    @property
    def relative_goalposts(self: _Tree) -> pd.DataFrame:
        """Indicators whose goalposts apply to a relative value (issue 22): ``indicator, per,
        scale, relative_to, change`` (``per`` a reference variable or None, ``scale`` 1 by default,
        ``relative_to`` ``"baseline"`` or None, ``change`` ``"ratio"``/``"difference"`` with a
        baseline, else None). See :mod:`coopeval.scoring.relative`.

        >>> import coopeval as ce
        >>> ce.load_framework("tiers_lieu").relative_goalposts.set_index("indicator").loc[
        ...     "heures_contribution_benevole", ["per", "relative_to", "change"]].tolist()
        [None, 'baseline', 'ratio']
        """
        rows = []
        for ind_id in self.indicator_ids:
            rel = self._index[ind_id].get("goalposts")
            if rel:
                baseline = rel.get("relative_to")
                rows.append({"indicator": ind_id, "per": rel.get("per"), "scale": float(rel.get("scale") or 1),
                             "relative_to": baseline,
                             "change": (rel.get("change") or "ratio") if baseline else None})
        df = pd.DataFrame(rows, columns=["indicator", "per", "scale", "relative_to", "change"])
        for col in ("per", "relative_to", "change"):
            df[col] = pd.Series([None if pd.isna(v) else v for v in df[col]], index=df.index, dtype=object)
        return df

    @property
    def reference_variables(self: _Tree) -> pd.DataFrame:
        """Reference variables declared by the framework (issue 22): ``variable, label_fr,
        label_en, unit, source`` — observed like indicators, divided into ``goalposts: {per: …}``."""
        rows = [{"variable": v["id"], "label_fr": v["label_fr"], "label_en": v["label_en"], "unit": v["unit"],
                 "source": v.get("source")} for v in self._spec.get("reference_variables", [])]
        return pd.DataFrame(rows, columns=["variable", "label_fr", "label_en", "unit", "source"])

    @property
    def nodes(self: _Tree) -> pd.DataFrame:
        """Every node of the tree, root first then depth-first: ``node, parent, level, depth,
        label_fr, label_en, weight`` (``weight`` is the default weight among siblings)."""
        rows = [
            {"node": ROOT, "parent": None, "level": "overall", "depth": 0,
             "label_fr": self.title_fr, "label_en": self.title_en, "weight": 1.0}
        ]
        depth = {"dimension": 1, "criterion": 2}
        for node_id, node in self._index.items():
            level = self._level[node_id]
            d = depth.get(level, 2 if self._level[self._parent[node_id]] == "dimension" else 3)
            rows.append(
                {"node": node_id, "parent": self._parent[node_id], "level": level, "depth": d,
                 "label_fr": node["label_fr"], "label_en": node["label_en"],
                 "weight": float(node.get("weight", 1.0))}
            )
        return pd.DataFrame(rows, columns=NODE_COLUMNS)

    @property
    def items(self: _Tree) -> pd.DataFrame:
        """Survey items: ``indicator, item, label_fr, label_en, reverse``."""
        rows = [
            {"indicator": ind_id, "item": it["id"], "label_fr": it["label_fr"],
             "label_en": it["label_en"], "reverse": bool(it.get("reverse", False))}
            for ind_id in self.indicator_ids
            for it in self._index[ind_id].get("items") or []
        ]
        return pd.DataFrame(rows, columns=["indicator", "item", "label_fr", "label_en", "reverse"])
