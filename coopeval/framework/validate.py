"""Read a framework YAML file and check it whole, with file and line for every problem.

The YAML is parsed once into Python data and once into PyYAML's node graph, so
that every value, key and mapping can be traced back to its line
(:mod:`coopeval.framework.yaml_lines`). Each node is checked by its pydantic model (types,
allowed values, unknown keys), each indicator by :mod:`coopeval.framework.indicator_checks`
(bounds and targets, items only on survey indicators, relative goalposts, grids), then the tree
is checked as a whole (children, unique ids, references, reference variables). All problems
are collected and raised together in one :class:`~coopeval.errors.FrameworkError`.
"""

from __future__ import annotations

from collections import Counter
from types import SimpleNamespace
from typing import Any, TypeVar, cast

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from coopeval.errors import FrameworkError, Issue
from coopeval.framework.indicator_checks import _check_indicator
from coopeval.framework.model import (
    RESERVED_IDS,
    Criterion,
    Dimension,
    Header,
    Indicator,
    NodeBase,
)
from coopeval.framework.yaml_lines import Path, _issue, _Located, _show, parse_yaml

_M = TypeVar("_M", bound=BaseModel)

_CHILD_KEYS = {"dimension": ("criteria", "indicators"), "criterion": ("indicators",)}


_EXPECTED = {
    "missing": "this key (it is required)",
    "string_pattern_mismatch": "a snake_case id (lowercase letters, digits and _, starting with a letter)",
    "int_type": "a number",
    "float_type": "a number",
    "string_type": "a text",
    "bool_type": "true or false",
    "list_type": "a list",
    "dict_type": "a mapping",
    "model_type": "a mapping",
    "string_too_short": "a non-empty text",
}


def _pydantic_issues(
    model: type[_M], data: dict, path: Path, loc: _Located, where: str, label: str
) -> _M | None:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        grouped: dict[Path, list[ErrorDetails]] = {}
        for err in exc.errors():
            # keep only the part of `loc` that walks the data (drop union branch names)
            walked: list[Any] = []
            cursor: Any = data
            for part in err["loc"]:
                if isinstance(cursor, dict) and part in cursor:
                    cursor = cursor[part]
                elif isinstance(cursor, list) and isinstance(part, int) and part < len(cursor):
                    cursor = cursor[part]
                elif err["type"] in ("missing", "extra_forbidden") and part == err["loc"][-1]:
                    pass
                else:
                    break
                walked.append(part)
            grouped.setdefault(tuple(walked), []).append(err)
        for sub, errs in grouped.items():
            err = errs[0]
            kind = err["type"]
            full = path + sub
            key = f"{label}.{'.'.join(str(s) for s in sub)}" if sub else label
            if kind == "missing":
                issue = Issue(loc.at(where, full[:-1]), key, _EXPECTED["missing"], "nothing (key missing)")
            elif kind == "extra_forbidden":
                known = ", ".join(model.model_fields)
                issue = Issue(
                    loc.at(where, full), key, f"one of the known keys ({known})", f"unknown key `{sub[-1]}`"
                )
            else:
                kinds = {e["type"] for e in errs}
                if kind == "literal_error":
                    expected = "one of " + err["ctx"]["expected"].replace("'", "")
                elif kinds & {"int_type", "float_type"}:
                    expected = "a number"
                elif kind in ("greater_than_equal", "greater_than"):
                    sign = "≥" if kind == "greater_than_equal" else ">"
                    bound = err["ctx"].get("ge", err["ctx"].get("gt"))
                    expected = f"a number {sign} {bound}"
                elif kind == "string_too_long":
                    expected = f"at most {err['ctx']['max_length']} characters"
                else:
                    expected = _EXPECTED.get(kind, err["msg"][0].lower() + err["msg"][1:])
                issue = Issue(loc.at(where, full), key, expected, _show(err.get("input")))
            loc.issues.append(issue)
        return None


def _node_fields(raw: dict, children: tuple[str, ...]) -> dict:
    return {k: v for k, v in raw.items() if k not in children}


def _check_children(
    raw: dict, level: str, path: Path, loc: _Located, where: str, label: str
) -> list[tuple[str, int, Any]]:
    """Return (child_key, index, raw_child) of a dimension or criterion, checking their shape."""
    keys = [k for k in _CHILD_KEYS[level] if k in raw]
    if not keys:
        wanted = " or ".join(f"`{k}`" for k in _CHILD_KEYS[level])
        _issue(loc, where, path, label, f"{wanted} under {level} `{label}`", "no children")
        return []
    if len(keys) > 1:
        _issue(
            loc, where, path + (keys[1],), f"{label}.{keys[1]}",
            "either `criteria` or `indicators` under a dimension, not both", "both",
        )
    out: list[tuple[str, int, Any]] = []
    for k in keys:
        children = raw[k]
        if not isinstance(children, list) or not children:
            _issue(loc, where, path + (k,), f"{label}.{k}", "a non-empty list", _show(children))
            continue
        out.extend((k, i, child) for i, child in enumerate(children))
    return out


def validate_data(data: Any, where: str, loc: _Located | None = None) -> dict:
    """Check framework data (already parsed) and return it normalised.

    Raises
    ------
    FrameworkError
        With every problem found, each naming ``where`` (the file), line and key.
    """
    loc = loc or _Located()
    if data is None:
        _issue(loc, where, (), "(file)", "a mapping with id, title_fr, title_en and dimensions", "an empty file")
        raise FrameworkError(f"invalid framework {where}", issues=loc.issues)
    if not isinstance(data, dict):
        _issue(loc, where, (), "(file)", "a mapping with id, title_fr, title_en and dimensions", type(data).__name__)
        raise FrameworkError(f"invalid framework {where}", issues=loc.issues)

    label = str(data.get("id", "framework"))
    header = _pydantic_issues(Header, _node_fields(data, ("dimensions",)), (), loc, where, label)
    clean: dict[str, Any] = {}
    if header is not None:
        clean = _lists(header.model_dump(exclude_none=True))
        clean["version"] = str(clean.get("version", "1.0"))
    ids: list[tuple[str, Path]] = []
    ref_keys = {r.key for r in header.references} if header is not None else None
    dims_raw = data.get("dimensions")
    dims: list[dict] = []
    if dims_raw is None:
        _issue(loc, where, (), f"{label}.dimensions", "a list of dimensions", "nothing (key missing)")
    elif not isinstance(dims_raw, list) or not dims_raw:
        _issue(loc, where, ("dimensions",), f"{label}.dimensions", "a non-empty list of dimensions", _show(dims_raw))
    else:
        for i, raw in enumerate(dims_raw):
            dim = _node(raw, "dimension", ("dimensions", i), loc, where, ids, ref_keys)
            if dim is not None:
                dims.append(dim)
        if dims and all(d.get("weight", 1.0) == 0 for d in dims):  # issue 16: scores were 0 everywhere
            _issue(loc, where, ("dimensions",), f"{label}.dimensions", "at least one dimension with a weight > 0",
                   "all weights 0")
    clean["dimensions"] = dims
    _check_reference_variables(data, clean, loc, where, label, ids)

    counts = Counter(i for i, _ in ids)
    for node_id, path in ids:
        if counts[node_id] > 1:
            first = next(p for i, p in ids if i == node_id)
            if path != first:
                _issue(
                    loc, where, path + ("id",), node_id, "ids unique across the framework (nodes and items)",
                    f"`{node_id}` again (first at {loc.at('', first + ('id',)).lstrip(', ') or 'an earlier node'})",
                )
    if loc.issues:
        raise FrameworkError(f"invalid framework {where}", issues=loc.issues)
    return clean


def _indicators_of(dims: list[dict]) -> list[dict]:
    out = []
    for dim in dims:
        out.extend(dim.get("indicators", []))
        for crit in dim.get("criteria", []):
            out.extend(crit.get("indicators", []))
    return out


def _check_reference_variables(data: dict, clean: dict, loc: _Located, where: str, label: str,
                               ids: list[tuple[str, Path]]) -> None:
    """Reference variables have ids of their own; every ``goalposts.per`` names one (issue 22)."""
    declared = [v["id"] for v in clean.get("reference_variables", [])]
    if not declared:
        clean.pop("reference_variables", None)  # no empty list written (the hash of older frameworks)
    nodes = {i for i, _ in ids}
    for j, var in enumerate(declared):
        if var in nodes or declared.index(var) != j:
            _issue(loc, where, ("reference_variables", j, "id"), f"{label}.reference_variables",
                   "ids unique across the framework (nodes, items and reference variables)", var)
    raw: dict[str | None, Path] = {}
    for i, dim in enumerate(data.get("dimensions") or []):
        if not isinstance(dim, dict):
            continue
        for k, ind in enumerate(dim.get("indicators") or []):
            raw[_id_key(ind)] = ("dimensions", i, "indicators", k)
        for c, crit in enumerate(dim.get("criteria") or []):
            for k, ind in enumerate((crit.get("indicators") or []) if isinstance(crit, dict) else []):
                raw[_id_key(ind)] = ("dimensions", i, "criteria", c, "indicators", k)
    for ind in _indicators_of(clean["dimensions"]):
        per = (ind.get("goalposts") or {}).get("per")
        if per is not None and per not in declared:
            known = ", ".join(declared) or "none declared"
            _issue(loc, where, raw.get(ind["id"], ()) + ("goalposts", "per"), f"{ind['id']}.goalposts.per",
                   f"a reference variable declared in `reference_variables` ({known})", _show(per))


def _id_key(node: object) -> str | None:
    """A node's id as a dictionary key (an id written as a mapping or a list is reported elsewhere)."""
    ident = node.get("id") if isinstance(node, dict) else None
    return ident if isinstance(ident, str) else None


def _lists(fields: dict) -> dict:
    """A declared ``[generalised, p]`` aggregation kept as a YAML list."""
    if isinstance(fields.get("aggregation"), tuple):
        fields["aggregation"] = list(fields["aggregation"])
    return fields


def _node(
    raw: Any,
    level: str,
    path: Path,
    loc: _Located,
    where: str,
    ids: list[tuple[str, Path]],
    ref_keys: set[str] | None,
) -> dict | None:
    label = str(raw.get("id", f"{path[-2]}[{path[-1]}]")) if isinstance(raw, dict) else f"{path[-2]}[{path[-1]}]"
    if not isinstance(raw, dict):
        _issue(loc, where, path, label, f"a {level} (a mapping with id, label_fr, label_en…)", _show(raw))
        return None
    models: dict[str, type[NodeBase]] = {"dimension": Dimension, "criterion": Criterion, "indicator": Indicator}
    model = models[level]
    children_keys = _CHILD_KEYS.get(level, ())
    parsed = _pydantic_issues(model, _node_fields(raw, children_keys), path, loc, where, label)
    if isinstance(raw.get("id"), str):
        ids.append((raw["id"], path))
        if raw["id"] in RESERVED_IDS:
            _issue(loc, where, path + ("id",), label, f"an id other than {', '.join(RESERVED_IDS)}", raw["id"])
    if parsed is not None and ref_keys is not None:
        for r in parsed.references:
            if r not in ref_keys:
                known = ", ".join(sorted(ref_keys)) or "none declared"
                _issue(loc, where, path + ("references",), f"{label}.references",
                       f"a key of the framework's references ({known})", _show(r))
    if level == "indicator":
        if isinstance(raw.get("items"), list):
            for j, item in enumerate(raw["items"]):
                if isinstance(item, dict) and isinstance(item.get("id"), str):
                    ids.append((item["id"], path + ("items", j)))
        if parsed is None:
            # still run the tree-level checks on the fields that are valid, so that every
            # problem of the indicator is reported at once
            bad = {i.key.split(".")[1] for i in loc.issues if i.key.startswith(f"{label}.") and "." in i.key}
            partial = SimpleNamespace(**{f: None for f in Indicator.model_fields})
            partial.id = label
            for field, value in raw.items():
                if field in Indicator.model_fields and field not in bad:
                    setattr(partial, field, value)
            _check_indicator(partial, path, loc, where)
            return None
        indicator = cast(Indicator, parsed)  # the level "indicator" is validated by the Indicator model
        _check_indicator(indicator, path, loc, where)
        fields = _lists(indicator.model_dump(exclude_none=True))
        if indicator.kind == "binary":
            fields.setdefault("lower", 0)
            fields.setdefault("upper", 1)
        return fields
    children = _check_children(raw, level, path, loc, where, label)
    out = _lists(parsed.model_dump(exclude_none=True)) if parsed is not None else None
    kids: dict[str, list] = {}
    for key, i, child in children:
        child_level = "criterion" if key == "criteria" else "indicator"
        node = _node(child, child_level, path + (key, i), loc, where, ids, ref_keys)
        if node is not None:
            kids.setdefault(key, []).append(node)
    for key, nodes in kids.items():
        if nodes and all(n.get("weight", 1.0) == 0 for n in nodes):
            _issue(loc, where, path + (key,), f"{label}.{key}", "at least one child with a weight > 0", "all weights 0")
    if out is None:
        return None
    out.update(kids)
    return out


def load_text(text: str, where: str) -> dict:
    """Parse and validate framework YAML text; ``where`` names the file in messages."""
    data, loc = parse_yaml(text, where)
    if loc.issues and data is None:
        raise FrameworkError(f"invalid framework {where}", issues=loc.issues)
    return validate_data(data, where, loc)
