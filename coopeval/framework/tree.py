"""The :class:`Framework`: a validated tree dimensions > criteria > indicators.

A framework is immutable: :meth:`Framework.select`, :meth:`Framework.drop`,
:meth:`Framework.extend` and :meth:`Framework.override` return a new framework,
re-validated, whose :attr:`Framework.lineage` records the built-in it came from and
every change made to it.

This module holds the tree itself (building, identity, navigation, weights, display); the
other concepts of a framework are in sibling modules: its tables (:mod:`coopeval.framework.tables`), its
adaptation (:mod:`coopeval.framework.adapt`), its canonical YAML (:mod:`coopeval.framework.serialise`) and the plausibility limits
of an indicator (:mod:`coopeval.framework.limits`).
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pandas as pd

from coopeval.errors import FrameworkError, bad_param
from coopeval.framework.adapt import FrameworkAdaptation
from coopeval.framework.limits import plausible_limits
from coopeval.framework.model import ROOT
from coopeval.framework.serialise import dump_yaml
from coopeval.framework.tables import INDICATOR_COLUMNS, NODE_COLUMNS, FrameworkTables
from coopeval.framework.validate import load_text, validate_data

__all__ = ["Framework", "INDICATOR_COLUMNS", "NODE_COLUMNS", "ROOT", "plausible_limits"]


def _method(value: object) -> object:
    """A declared aggregation as :func:`coopeval.score` takes it (``[generalised, p]`` → tuple)."""
    return tuple(value) if isinstance(value, list) else value


class Framework(FrameworkTables, FrameworkAdaptation):
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
            text = self.__dict__["_yaml_text"] = dump_yaml(self._spec)
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Framework) and self.to_yaml() == other.to_yaml()

    def __hash__(self) -> int:
        return hash(self.hash)

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


def _lang(lang: str) -> str:
    if lang not in ("fr", "en"):
        bad_param("lang", "'fr' or 'en'", lang, FrameworkError)
    return lang
