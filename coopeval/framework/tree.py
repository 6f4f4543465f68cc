"""The :class:`Framework`: a validated tree dimensions > criteria > indicators.

A framework is immutable: :meth:`Framework.select`, :meth:`Framework.drop`,
:meth:`Framework.extend` and :meth:`Framework.override` return a new framework,
re-validated, whose :attr:`Framework.lineage` records the built-in it came from and
every change made to it.
"""

from __future__ import annotations

import copy
import hashlib
import math
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import yaml

from coopeval.errors import FrameworkError, bad_param
from coopeval.framework.validate import load_text, validate_data

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
#: Id of the root of every framework tree (level ``overall``).
ROOT = "overall"

_NODE_ORDER = [
    "id", "label_fr", "label_en", "description_fr", "description_en", "unit", "kind", "direction",
    "lower", "upper", "target", "limits", "goalpost_source", "goalposts", "transform", "source", "weight", "aggregation", "levels", "references", "items",
    "criteria", "indicators",
]
_HEADER_ORDER = [
    "id", "version", "title_fr", "title_en", "description_fr", "description_en", "references",
    "reference_variables", "lineage", "normalisation", "aggregation", "dimensions",
]


#: Units of a share (a value between 0 and 1).
_SHARE_UNITS = ("proportion", "part ", "part de", "taux", "share")


def plausible_limits(ind: dict[str, Any]) -> tuple[float, float]:
    """The plausibility limits of an indicator: what its value can physically be.

    Written ``limits: [min, max]`` in the framework (either may be null), else: the scale
    itself for binary, Likert and ordinal indicators; ``[0, 1]`` for a share (unit
    ``proportion…``, ``part de…``, ``taux…``); otherwise no upper limit, and no lower limit
    below zero only when the goalpost ``lower`` is negative (a net result can be negative; a
    count cannot).

    >>> plausible_limits({"kind": "quantitative", "unit": "proportion", "lower": 0.2, "upper": 0.8})
    (0.0, 1.0)
    >>> plausible_limits({"kind": "quantitative", "unit": "personnes", "lower": 0, "upper": 2000})
    (0.0, inf)
    >>> plausible_limits({"kind": "quantitative", "unit": "euros", "lower": -50000, "upper": 50000})
    (-inf, inf)
    """
    written = ind.get("limits")
    if ind.get("kind") in ("binary", "likert", "ordinal", "grid"):
        default = (ind.get("lower"), ind.get("upper"))
    elif str(ind.get("unit", "")).lower().startswith(_SHARE_UNITS):
        lower = ind.get("lower")
        default = (0.0 if lower is None or lower >= 0 else -math.inf, 1.0)  # a net margin can be negative
    else:
        lower = ind.get("lower")
        default = (0.0 if lower is None or lower >= 0 else -math.inf, math.inf)
    if written is not None:
        default = (written[0] if written[0] is not None else default[0],
                   written[1] if written[1] is not None else default[1])
    low = -math.inf if default[0] is None else float(default[0])
    high = math.inf if default[1] is None else float(default[1])
    return low, high


def _method(value: object) -> object:
    """A declared aggregation as :func:`coopeval.score` takes it (``[generalised, p]`` → tuple)."""
    return tuple(value) if isinstance(value, list) else value


def _ordered(d: dict[str, Any], order: list[str]) -> dict[str, Any]:
    out = {k: d[k] for k in order if k in d}
    out.update({k: v for k, v in d.items() if k not in out})
    return out


class _Dumper(yaml.SafeDumper):
    """YAML dumper that keeps key order and writes multi-line text as blocks."""


def _str_representer(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str_representer)


class Framework:
    """A validated multidimensional indicator framework.

    Build one with :func:`coopeval.load_framework` (a built-in id or a YAML path),
    :meth:`Framework.from_yaml` or :meth:`Framework.from_dict`.

    Attributes
    ----------
    id, version, title_fr, title_en : str
        Identity of the framework.
    source : str
        Where it was read from (file path, ``builtin:<id>`` or ``<dict>``).

    Examples
    --------
    >>> import coopeval as ce
    >>> fw = ce.load_framework("cooperation_territoriale")
    >>> fw.dimension_ids[:3]
    ['social', 'emploi', 'ecologie']
    >>> small = fw.select(dimensions=["social", "gouvernance"]).drop("heures_formation")
    >>> small.lineage["base"], [c["op"] for c in small.lineage["changes"]]
    ('cooperation_territoriale', ['select', 'drop'])
    """

    def __init__(self, spec: dict[str, Any], source: str = "<dict[str, Any]>"):
        self._spec = spec
        self.source = source
        self._index: dict[str, dict[str, Any]] = {}
        self._parent: dict[str, str] = {}
        self._level: dict[str, str] = {ROOT: "overall"}
        for dim in spec["dimensions"]:
            self._register(dim, ROOT, "dimension")
            for crit in dim.get("criteria", []):
                self._register(crit, dim["id"], "criterion")
                for ind in crit["indicators"]:
                    self._register(ind, crit["id"], "indicator")
            for ind in dim.get("indicators", []):
                self._register(ind, dim["id"], "indicator")

    def _register(self, node: dict[str, Any], parent: str, level: str) -> None:
        self._index[node["id"]] = node
        self._parent[node["id"]] = parent
        self._level[node["id"]] = level

    # ------------------------------------------------------------------ building
    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = "<dict[str, Any]>") -> Framework:
        """Validate a framework given as Python data (same shape as the YAML)."""
        return cls(validate_data(copy.deepcopy(data), source), source)

    @classmethod
    def from_yaml(cls, text_or_path: str | Path) -> Framework:
        """Read a framework from a YAML file path or from YAML text.

        Raises
        ------
        FrameworkError
            Listing every problem of the file, each with its line and key.
        """
        if isinstance(text_or_path, Path) or (
            isinstance(text_or_path, str) and "\n" not in text_or_path and text_or_path.endswith((".yaml", ".yml"))
        ):
            path = Path(text_or_path)
            if not path.is_file():
                bad_param("path", "an existing YAML file", str(path), FrameworkError)
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError as err:
                raise FrameworkError(
                    f"{path}: expected a UTF-8 text file, found bytes that are not UTF-8 ({err.reason} "
                    f"at byte {err.start})"
                ) from None
            return cls(load_text(text, str(path)), str(path))
        if not isinstance(text_or_path, str):
            bad_param("text_or_path", "YAML text or a path to a .yaml file", text_or_path, FrameworkError)
        return cls(load_text(text_or_path, "<yaml text>"), "<yaml text>")

    # ------------------------------------------------------------------ identity
    @property
    def id(self) -> str:
        return str(self._spec["id"])

    @property
    def version(self) -> str:
        return str(self._spec.get("version", "1.0"))

    @property
    def title_fr(self) -> str:
        return str(self._spec["title_fr"])

    @property
    def title_en(self) -> str:
        return str(self._spec["title_en"])

    def title(self, lang: str = "fr") -> str:
        """Title in ``lang`` (``"fr"`` or ``"en"``)."""
        return str(self._spec["title_en" if _lang(lang) == "en" else "title_fr"])

    @property
    def references(self) -> pd.DataFrame:
        """References of the framework: columns ``key, citation, url``."""
        return pd.DataFrame(self._spec.get("references", []), columns=["key", "citation", "url"])

    @property
    def hash(self) -> str:
        """SHA-256 of the canonical YAML: two frameworks with the same content share it."""
        return hashlib.sha256(self.to_yaml().encode("utf-8")).hexdigest()

    @property
    def lineage(self) -> dict[str, Any]:
        """Provenance: ``base`` (the built-in it derives from, or None), ``base_version``,
        ``base_hash`` and ``changes`` (a list of ``{"op": ..., ...}`` in order)."""
        lin = self._spec.get("lineage") or {}
        return {
            "base": lin.get("base"),
            "base_version": lin.get("base_version"),
            "base_hash": lin.get("base_hash"),
            "changes": copy.deepcopy(lin.get("changes", [])),
        }

    @property
    def method(self) -> dict[str, Any]:
        """The scoring method the framework declares: ``normalisation`` (its default,
        ``"goalposts"`` when none is written) and ``aggregation``, a mapping ``{node: method}``
        of the nodes that declare one (``"overall"`` for the root; others are arithmetic).
        Explicit arguments of :func:`coopeval.score` override them.

        >>> import coopeval as ce
        >>> ce.load_framework("cooperation_territoriale").method
        {'normalisation': 'goalposts', 'aggregation': {}}
        """
        agg = {}
        if self._spec.get("aggregation") is not None:
            agg[ROOT] = _method(self._spec["aggregation"])
        for dim in self._spec.get("dimensions", []):
            for node in [dim, *dim.get("criteria", [])]:
                if node.get("aggregation") is not None:
                    agg[node["id"]] = _method(node["aggregation"])
        return {"normalisation": self._spec.get("normalisation") or "goalposts", "aggregation": agg}

    # ------------------------------------------------------------------ tables
    @property
    def indicators(self) -> pd.DataFrame:
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
    def relative_goalposts(self) -> pd.DataFrame:
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
    def reference_variables(self) -> pd.DataFrame:
        """Reference variables declared by the framework (issue 22): ``variable, label_fr,
        label_en, unit, source`` — observed like indicators, divided into ``goalposts: {per: …}``."""
        rows = [{"variable": v["id"], "label_fr": v["label_fr"], "label_en": v["label_en"], "unit": v["unit"],
                 "source": v.get("source")} for v in self._spec.get("reference_variables", [])]
        return pd.DataFrame(rows, columns=["variable", "label_fr", "label_en", "unit", "source"])

    @property
    def nodes(self) -> pd.DataFrame:
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
    def items(self) -> pd.DataFrame:
        """Survey items: ``indicator, item, label_fr, label_en, reverse``."""
        rows = [
            {"indicator": ind_id, "item": it["id"], "label_fr": it["label_fr"],
             "label_en": it["label_en"], "reverse": bool(it.get("reverse", False))}
            for ind_id in self.indicator_ids
            for it in self._index[ind_id].get("items") or []
        ]
        return pd.DataFrame(rows, columns=["indicator", "item", "label_fr", "label_en", "reverse"])

    # ------------------------------------------------------------------ navigation
    @property
    def dimension_ids(self) -> list[str]:
        return [d["id"] for d in self._spec["dimensions"]]

    @property
    def indicator_ids(self) -> list[str]:
        return [n for n, lv in self._level.items() if lv == "indicator"]

    @property
    def node_ids(self) -> list[str]:
        """All node ids except the root, depth-first."""
        return list(self._index)

    def __contains__(self, node_id: object) -> bool:
        return node_id == ROOT or node_id in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._index)

    def __len__(self) -> int:
        return len(self.indicator_ids)

    def node(self, node_id: str) -> dict[str, Any]:
        """A copy of the specification of one node."""
        self._require(node_id)
        if node_id == ROOT:
            return {"id": ROOT, "label_fr": self.title_fr, "label_en": self.title_en}
        return copy.deepcopy(self._index[node_id])

    def level(self, node_id: str) -> str:
        """``overall``, ``dimension``, ``criterion`` or ``indicator``."""
        self._require(node_id)
        return self._level[node_id]

    def parent(self, node_id: str) -> str | None:
        self._require(node_id)
        return self._parent.get(node_id)

    def children(self, node_id: str = ROOT) -> list[str]:
        """Ids of the direct children of a node, in order."""
        self._require(node_id)
        if node_id == ROOT:
            return self.dimension_ids
        node = self._index[node_id]
        return [c["id"] for key in ("criteria", "indicators") for c in node.get(key, [])]

    def leaves(self, node_id: str = ROOT) -> list[str]:
        """Ids of the indicators under a node (the node itself if it is an indicator)."""
        self._require(node_id)
        if self._level[node_id] == "indicator":
            return [node_id]
        return [leaf for child in self.children(node_id) for leaf in self.leaves(child)]

    def label(self, node_id: str, lang: str = "fr") -> str:
        """The label of a node in ``lang``."""
        return str(self.node(node_id)["label_en" if _lang(lang) == "en" else "label_fr"])

    def default_weights(self, kind: str = "local") -> pd.Series:
        """Default weights of every node (root excluded).

        ``kind="local"``: normalised among siblings (sum to 1 under each parent);
        ``kind="global"``: product of local weights from the root (indicators sum to 1).
        """
        local = {}
        for parent in [ROOT] + [n for n in self._index if self._level[n] != "indicator"]:
            kids = self.children(parent)
            raw = [float(self._index[k].get("weight", 1.0)) for k in kids]
            total = sum(raw)
            if kids and not total > 0:
                bad_param(f"weight of the children of {parent}", "at least one weight > 0", raw, FrameworkError)
            for k, w in zip(kids, raw, strict=True):
                local[k] = w / total
        series = pd.Series(local, name="weight")
        if kind == "local":
            return series
        if kind != "global":
            bad_param("kind", "'local' or 'global'", kind, FrameworkError)
        glob = {}
        for node_id in self._index:
            w, p = local[node_id], self._parent[node_id]
            while p != ROOT:
                w *= local[p]
                p = self._parent[p]
            glob[node_id] = w
        return pd.Series(glob, name="weight")

    def _require(self, node_id: str) -> None:
        if node_id not in self:
            close = [n for n in self._index if n.startswith(str(node_id)[:4])][:5]
            hint = f" (close ids: {', '.join(close)})" if close else ""
            raise FrameworkError(
                f"node: expected an id of framework `{self.id}`, got {node_id!r}{hint}"
            )

    # ------------------------------------------------------------------ serialisation
    def to_dict(self) -> dict[str, Any]:
        """The framework as plain Python data (the YAML's content)."""
        return copy.deepcopy(self._spec)

    def to_yaml(self, path: str | Path | None = None) -> str:
        """Write the framework as YAML; returns the text (and writes ``path`` if given).

        ``Framework.from_yaml(fw.to_yaml())`` gives back an equal framework. The text is
        computed once (a framework is immutable): :attr:`hash` and the store reuse it.
        """
        text = self.__dict__.get("_yaml_text")
        if text is None:
            text = self.__dict__["_yaml_text"] = self._dump_yaml()
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def _dump_yaml(self) -> str:
        spec = copy.deepcopy(self._spec)

        def order(node: dict[str, Any]) -> dict[str, Any]:
            if node.get("weight") == 1:
                node.pop("weight")
            if not node.get("references"):
                node.pop("references", None)
            for key in ("criteria", "indicators"):
                if key in node:
                    node[key] = [order(c) for c in node[key]]
            if "items" in node:
                node["items"] = [
                    _ordered({k: v for k, v in i.items() if not (k == "reverse" and v is False)},
                             ["id", "label_fr", "label_en", "reverse"])
                    for i in node["items"]
                ]
            return _ordered(node, _NODE_ORDER)

        spec["dimensions"] = [order(d) for d in spec["dimensions"]]
        if not spec.get("lineage") or not any(spec["lineage"].values()):
            spec.pop("lineage", None)
        return yaml.dump(
            _ordered(spec, _HEADER_ORDER), Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Framework) and self.to_yaml() == other.to_yaml()

    def __hash__(self) -> int:
        return hash(self.hash)

    # ------------------------------------------------------------------ adaptation
    def _derive(self, spec: dict[str, Any], change: dict[str, Any]) -> Framework:
        lineage = spec.get("lineage") or {}
        if not lineage.get("base"):
            lineage = {"base": self.id, "base_version": self.version, "base_hash": self.hash, "changes": []}
        lineage.setdefault("changes", []).append(change)
        spec["lineage"] = lineage
        return Framework.from_dict(spec, source=f"{self.source} (adapted)")

    def select(
        self,
        *,
        dimensions: Iterable[str] | None = None,
        criteria: Iterable[str] | None = None,
        indicators: Iterable[str] | None = None,
    ) -> Framework:
        """Keep only the named dimensions, criteria and/or indicators (and what they contain).

        Branches left without indicators are removed. The change is recorded in
        :attr:`lineage`.
        """
        keep: set[str] = set()
        asked: dict[str, list[str]] = {}
        for level, param, ids in (
            ("dimension", "dimensions", dimensions),
            ("criterion", "criteria", criteria),
            ("indicator", "indicators", indicators),
        ):
            if ids is None:
                continue
            ids = [ids] if isinstance(ids, str) else list(ids)
            for node_id in ids:
                self._require(node_id)
                if self._level[node_id] != level:
                    raise FrameworkError(
                        f"select: expected a {level} id in `{param}`, "
                        f"got {node_id!r}, which is a {self._level[node_id]}"
                    )
                keep.update(self.leaves(node_id))
            asked[param] = ids
        if not asked:
            bad_param("dimensions/criteria/indicators", "at least one list of ids", None, FrameworkError)
        spec = self._prune(lambda leaf: leaf in keep)
        return self._derive(spec, {"op": "select", **asked})

    def drop(self, ids: str | Iterable[str]) -> Framework:
        """Remove nodes (any level) and everything under them; empty branches go too."""
        ids = [ids] if isinstance(ids, str) else list(ids)
        gone: set[str] = set()
        for node_id in ids:
            self._require(node_id)
            if node_id == ROOT:
                bad_param("ids", "node ids other than the root", node_id, FrameworkError)
            gone.update(self.leaves(node_id))
        if gone >= set(self.indicator_ids):
            raise FrameworkError(f"drop: expected to keep at least one indicator, got ids {ids} removing all")
        spec = self._prune(lambda leaf: leaf not in gone)
        return self._derive(spec, {"op": "drop", "ids": ids})

    def _prune(self, keep_leaf: Any) -> dict[str, Any]:
        spec = copy.deepcopy(self._spec)
        dims = []
        for dim in spec["dimensions"]:
            if "criteria" in dim:
                crits = []
                for crit in dim["criteria"]:
                    crit["indicators"] = [i for i in crit["indicators"] if keep_leaf(i["id"])]
                    if crit["indicators"]:
                        crits.append(crit)
                dim["criteria"] = crits
                if crits:
                    dims.append(dim)
            else:
                dim["indicators"] = [i for i in dim["indicators"] if keep_leaf(i["id"])]
                if dim["indicators"]:
                    dims.append(dim)
        spec["dimensions"] = dims
        return spec

    def extend(self, parent: str, node: dict[str, Any] | str, *, position: int | None = None) -> Framework:
        """Add a node (a dimension under ``"overall"``, a criterion or indicator under a
        dimension, an indicator under a criterion), given as a dict or YAML text.

        The new node is validated like any node of a file.
        """
        if isinstance(node, str):
            try:
                node = yaml.safe_load(node)
            except yaml.YAMLError as err:
                raise FrameworkError(f"extend: `node` is not valid YAML: {err}") from None
        if not isinstance(node, dict):
            bad_param("node", "a mapping (dict or YAML text) describing one node", node, FrameworkError)
        self._require(parent)
        spec = copy.deepcopy(self._spec)
        if parent == ROOT:
            siblings = spec["dimensions"]
        else:
            target = _find(spec, parent)
            level = self._level[parent]
            if level == "indicator":
                raise FrameworkError(f"extend: expected a dimension or criterion as `parent`, got indicator {parent!r}")
            is_indicator = "kind" in node or "unit" in node
            key = "indicators" if (level == "criterion" or is_indicator) else "criteria"
            siblings = target.setdefault(key, [])
        siblings.insert(len(siblings) if position is None else position, copy.deepcopy(node))
        return self._derive(spec, {"op": "extend", "parent": parent, "node": node.get("id")})

    def override(self, node_id: str, **fields: Any) -> Framework:
        """Change fields of a node (labels, bounds, target, weight, direction, items…).

        Example: ``fw.override("taux_emploi_local", target=0.8, direction="target")``.
        """
        self._require(node_id)
        if node_id == ROOT:
            bad_param("node_id", "a node other than the root", node_id, FrameworkError)
        if not fields:
            bad_param("fields", "at least one field to change", fields, FrameworkError)
        for protected in ("id", "criteria", "indicators"):
            if protected in fields:
                bad_param(protected, "not to be changed by override (use extend/drop)", fields[protected],
                          FrameworkError)
        spec = copy.deepcopy(self._spec)
        target = _find(spec, node_id)
        old = {k: target.get(k) for k in fields}
        for key, value in fields.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
        return self._derive(spec, {"op": "override", "node": node_id, "old": old, "new": dict(fields)})

    def rename(
        self,
        id: str | None = None,  # noqa: A002 - the YAML key is `id`
        *,
        title_fr: str | None = None,
        title_en: str | None = None,
        version: str | None = None,
    ) -> Framework:
        """Give an adapted framework its own id, titles or version (recorded in :attr:`lineage`).

        Example: ``fw.select(...).rename("butinerie_2025", title_fr="Référentiel de La Butinerie")``.
        """
        fields = {k: v for k, v in
                  {"id": id, "title_fr": title_fr, "title_en": title_en, "version": version}.items()
                  if v is not None}
        if not fields:
            bad_param("id/title_fr/title_en/version", "at least one new value", None, FrameworkError)
        spec = copy.deepcopy(self._spec)
        old = {k: spec.get(k) for k in fields}
        spec.update(fields)
        return self._derive(spec, {"op": "rename", "old": old, "new": fields})

    def declare_reference_variable(self, id: str, label_fr: str, label_en: str, unit: str,  # noqa: A002
                                   *, source: str | None = None) -> Framework:
        """Declare a reference variable (members, inhabitants, FTE…) by which indicators can be
        divided with ``goalposts: {per: id}`` (issue 22; :mod:`coopeval.scoring.relative`).

        >>> import coopeval as ce
        >>> fw = (ce.load_framework("tiers_lieu").declare_reference_variable("membres", "Membres", "Members",
        ...       "personnes").override("heures_contribution_benevole",
        ...                             goalposts={"per": "membres", "relative_to": "baseline"}))
        >>> fw.relative_goalposts.set_index("indicator").loc["heures_contribution_benevole", "per"]
        'membres'
        """
        spec = copy.deepcopy(self._spec)
        var = {"id": id, "label_fr": label_fr, "label_en": label_en, "unit": unit}
        if source is not None:
            var["source"] = source
        spec.setdefault("reference_variables", []).append(var)
        return self._derive(spec, {"op": "declare_reference_variable", "variable": id})

    def reweight(self, weights: dict[str, float]) -> Framework:
        """Set the default weights of several nodes at once (``{node_id: weight}``)."""
        spec = copy.deepcopy(self._spec)
        for node_id, w in weights.items():
            self._require(node_id)
            _find(spec, node_id)["weight"] = w
        return self._derive(spec, {"op": "reweight", "weights": dict(weights)})

    # ------------------------------------------------------------------ display
    def tree(self, lang: str = "fr", weights: bool = False) -> str:
        """An indented text view of the tree."""
        key = "label_en" if _lang(lang) == "en" else "label_fr"
        local = self.default_weights() if weights else None
        lines = [f"{self.title(lang)} [{self.id} v{self.version}]"]
        for node_id in self._index:
            depth = _depth(self, node_id)
            w = f" ({local[node_id]:.0%})" if local is not None else ""
            lines.append("    " * (depth - 1) + f"- {self._index[node_id][key]} [{node_id}]{w}")
        return "\n".join(lines)

    def __repr__(self) -> str:
        n_dim = len(self.dimension_ids)
        return f"<Framework {self.id} v{self.version}: {n_dim} dimensions, {len(self)} indicators>"

    def _repr_html_(self) -> str:
        import html

        parts = [f"<b>{html.escape(self.title_fr)}</b> <code>{self.id}</code> v{html.escape(self.version)}<ul>"]
        for dim in self.dimension_ids:
            parts.append(f"<li><b>{html.escape(self.label(dim))}</b><ul>")
            for child in self.children(dim):
                if self._level[child] == "criterion":
                    inds = ", ".join(html.escape(self.label(i)) for i in self.children(child))
                    parts.append(f"<li>{html.escape(self.label(child))} : <i>{inds}</i></li>")
                else:
                    parts.append(f"<li><i>{html.escape(self.label(child))}</i></li>")
            parts.append("</ul></li>")
        parts.append("</ul>")
        return "".join(parts)


def _depth(fw: Framework, node_id: str) -> int:
    d, p = 0, node_id
    while p != ROOT:
        d += 1
        p = fw.parent(p) or ROOT
    return d


def _find(spec: dict[str, Any], node_id: str) -> dict[str, Any]:
    stack = list(spec["dimensions"])
    while stack:
        node: dict[str, Any] = stack.pop()
        if node["id"] == node_id:
            return node
        stack.extend(node.get("criteria", []))
        stack.extend(node.get("indicators", []))
    raise FrameworkError(f"node: expected an id of the framework, got {node_id!r}")  # pragma: no cover


def _lang(lang: str) -> str:
    if lang not in ("fr", "en"):
        bad_param("lang", "'fr' or 'en'", lang, FrameworkError)
    return lang
