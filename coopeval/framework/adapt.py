"""Adapting a :class:`~coopeval.Framework`: select, drop, extend, override, rename, reweight,
declare a reference variable.

Each operation returns a new framework, re-validated, whose :attr:`~coopeval.Framework.lineage`
records the built-in it came from and every change made to it.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol

import yaml

from coopeval.errors import FrameworkError, bad_param
from coopeval.framework.model import ROOT

if TYPE_CHECKING:
    from coopeval.framework.tree import Framework


class _Tree(Protocol):
    """What the adaptation reads of the tree (:class:`coopeval.framework.tree.Framework`)."""

    _spec: dict[str, Any]
    _level: dict[str, str]
    source: str

    @property
    def id(self) -> str: ...

    @property
    def version(self) -> str: ...

    @property
    def hash(self) -> str: ...

    @property
    def indicator_ids(self) -> list[str]: ...

    @classmethod
    def from_dict(cls, data: dict[str, Any], source: str = ...) -> Framework: ...

    def leaves(self, node_id: str = ...) -> list[str]: ...

    def _require(self, node_id: str) -> None: ...

    def _prune(self, keep_leaf: Any) -> dict[str, Any]: ...

    def _derive(self, spec: dict[str, Any], change: dict[str, Any]) -> Framework: ...


class FrameworkAdaptation:
    """The adaptation operations of a framework (a part of :class:`~coopeval.Framework`)."""

    def _derive(self: _Tree, spec: dict[str, Any], change: dict[str, Any]) -> Framework:
        lineage = spec.get("lineage") or {}
        if not lineage.get("base"):
            lineage = {"base": self.id, "base_version": self.version, "base_hash": self.hash, "changes": []}
        lineage.setdefault("changes", []).append(change)
        spec["lineage"] = lineage
        return type(self).from_dict(spec, source=f"{self.source} (adapted)")

    def select(
        self: _Tree,
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

    def drop(self: _Tree, ids: str | Iterable[str]) -> Framework:
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

    def _prune(self: _Tree, keep_leaf: Any) -> dict[str, Any]:
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

    def extend(self: _Tree, parent: str, node: dict[str, Any] | str, *, position: int | None = None) -> Framework:
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

    def override(self: _Tree, node_id: str, **fields: Any) -> Framework:
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
        self: _Tree,
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

    def declare_reference_variable(self: _Tree, id: str, label_fr: str, label_en: str, unit: str,  # noqa: A002
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

    def reweight(self: _Tree, weights: dict[str, float]) -> Framework:
        """Set the default weights of several nodes at once (``{node_id: weight}``)."""
        spec = copy.deepcopy(self._spec)
        for node_id, w in weights.items():
            self._require(node_id)
            _find(spec, node_id)["weight"] = w
        return self._derive(spec, {"op": "reweight", "weights": dict(weights)})


def _find(spec: dict[str, Any], node_id: str) -> dict[str, Any]:
    stack = list(spec["dimensions"])
    while stack:
        node: dict[str, Any] = stack.pop()
        if node["id"] == node_id:
            return node
        stack.extend(node.get("criteria", []))
        stack.extend(node.get("indicators", []))
    raise FrameworkError(f"node: expected an id of the framework, got {node_id!r}")  # pragma: no cover

