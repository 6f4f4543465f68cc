"""The canonical YAML of a framework: key order, blocks for multi-line text.

:meth:`coopeval.Framework.to_yaml` writes it, :attr:`coopeval.Framework.hash` hashes it: the
text must not change for a given content (framework hashes are stored in projects).
"""

from __future__ import annotations

import copy
from typing import Any

import yaml

_NODE_ORDER = [
    "id", "label_fr", "label_en", "description_fr", "description_en", "unit", "kind", "direction",
    "lower", "upper", "target", "limits", "goalpost_source", "goalposts", "transform", "source", "weight", "aggregation", "levels", "references", "items",
    "criteria", "indicators",
]
_HEADER_ORDER = [
    "id", "version", "title_fr", "title_en", "description_fr", "description_en", "references",
    "reference_variables", "lineage", "normalisation", "aggregation", "dimensions",
]


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


def dump_yaml(spec: dict[str, Any]) -> str:
    """The canonical YAML text of a framework specification (the content of ``Framework.to_dict()``)."""
    spec = copy.deepcopy(spec)

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
