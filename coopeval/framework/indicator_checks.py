"""The checks of one indicator beyond its types: bounds and goalposts, target, plausibility
limits, transform, survey items, level labels, relative goalposts and progress grids.

Each problem is reported at its line (:mod:`coopeval.framework.yaml_lines`); the walk of the
whole tree is :func:`coopeval.framework.validate.validate_data`.
"""

from __future__ import annotations

import math
from types import SimpleNamespace

from coopeval.framework.model import Indicator
from coopeval.framework.yaml_lines import Path, _issue, _Located, _show


def _check_indicator(ind: Indicator | SimpleNamespace, path: Path, loc: _Located, where: str) -> None:
    key = ind.id
    lower, upper, target = ind.lower, ind.upper, ind.target
    if ind.kind == "binary":
        for name, value, want in (("lower", lower, 0), ("upper", upper, 1)):
            if value is not None and value != want:
                _issue(loc, where, path + (name,), f"{key}.{name}", f"{want} for a binary indicator", _show(value))
    if ind.kind in ("likert", "ordinal", "grid"):
        for name, value in (("lower", lower), ("upper", upper)):
            if value is None:
                _issue(loc, where, path, f"{key}.{name}", f"the bound `{name}` of the {ind.kind} scale", "nothing")
            elif float(value) != int(value):
                _issue(loc, where, path + (name,), f"{key}.{name}", "a whole number for a scale bound", _show(value))
    for name, value in (("lower", lower), ("upper", upper), ("target", target)):
        if isinstance(value, float) and not math.isfinite(value):
            _issue(loc, where, path + (name,), f"{key}.{name}", "a finite number", _show(value))
    if lower is not None and upper is not None and not lower < upper:
        _issue(loc, where, path + ("upper",), f"{key}.upper", f"a value greater than lower ({lower})", _show(upper))
    limits = getattr(ind, "limits", None)
    if limits is not None:
        lo_lim = -math.inf if limits[0] is None else float(limits[0])
        hi_lim = math.inf if limits[1] is None else float(limits[1])
        if not lo_lim < hi_lim:
            _issue(loc, where, path + ("limits",), f"{key}.limits", "[min, max] with min < max", _show(list(limits)))
        relative = getattr(ind, "goalposts", None) is not None  # goalposts of a relative value (issue 22)
        for name, value in (("lower", lower), ("upper", upper)):
            if value is not None and not relative and not lo_lim <= value <= hi_lim:
                _issue(loc, where, path + (name,), f"{key}.{name}",
                       f"a goalpost inside the plausibility limits {list(limits)}", _show(value))
    if ind.direction == "target" and target is None:
        _issue(loc, where, path + ("direction",), f"{key}.target", "a `target` when direction is target", "nothing")
    if target is not None:
        if (lower is not None and target < lower) or (upper is not None and target > upper):
            _issue(
                loc, where, path + ("target",), f"{key}.target",
                f"a target inside the bounds [{lower}, {upper}]", _show(target),
            )
    if ind.transform is not None and lower is not None:
        minimum = {"log": (0, "> 0"), "log1p": (-1, "> -1"), "sqrt": (0, "≥ 0")}[ind.transform]
        bad = lower < minimum[0] if ind.transform == "sqrt" else lower <= minimum[0]
        if bad:
            _issue(
                loc, where, path + ("lower",), f"{key}.lower",
                f"a lower bound {minimum[1]} with transform {ind.transform}", _show(lower),
            )
    if ind.items is not None:
        if ind.source != "survey":
            _issue(
                loc, where, path + ("items",), f"{key}.items",
                "survey items only on an indicator whose source is survey", f"source {ind.source!r}",
            )
        if not ind.items:
            _issue(loc, where, path + ("items",), f"{key}.items", "at least one item", "an empty list")
    _check_relative(ind, path, loc, where)
    _check_grid(ind, path, loc, where)
    if ind.levels is not None:
        if ind.kind not in ("ordinal", "likert", "grid"):
            _issue(
                loc, where, path + ("levels",), f"{key}.levels",
                "level labels only on an ordinal or likert indicator", f"kind {ind.kind!r}",
            )
        elif lower is not None and upper is not None:
            outside = [lv for lv in ind.levels if not lower <= lv <= upper]
            if outside:
                _issue(
                    loc, where, path + ("levels",), f"{key}.levels",
                    f"levels inside [{lower}, {upper}]", _show(outside),
                )


def _check_relative(ind: Indicator | SimpleNamespace, path: Path, loc: _Located, where: str) -> None:
    """Relative goalposts (``goalposts: {per, scale, relative_to, change}``, issue 22): on a
    quantitative indicator with both goalposts; around the baseline when relative to it."""
    rel = getattr(ind, "goalposts", None)
    if rel is None:
        return
    get = rel.get if isinstance(rel, dict) else lambda k, d=None: getattr(rel, k, d)
    key, here = f"{ind.id}.goalposts", path + ("goalposts",)
    if ind.kind != "quantitative":
        _issue(loc, where, here, key, "relative goalposts only on a quantitative indicator", f"kind {ind.kind!r}")
    if get("per") is None and get("relative_to") is None:
        _issue(loc, where, here, key, "`per` (a reference variable) and/or `relative_to: baseline`", "neither")
    if get("change") is not None and get("relative_to") is None:
        _issue(loc, where, here + ("change",), f"{key}.change", "`change` only with `relative_to: baseline`",
               _show(get("change")))
    lower, upper = ind.lower, ind.upper
    for name, value in (("lower", lower), ("upper", upper)):
        if value is None:
            _issue(loc, where, here, f"{ind.id}.{name}", f"the goalpost `{name}` of the relative value", "nothing")
    if get("relative_to") == "baseline" and isinstance(lower, (int, float)) and isinstance(upper, (int, float)):
        change = get("change") or "ratio"
        neutral = 1 if change == "ratio" else 0
        if not lower <= neutral <= upper:
            _issue(loc, where, here, f"{key}.relative_to",
                   f"goalposts around the baseline (lower ≤ {neutral} ≤ upper with change: {change})",
                   f"[{lower}, {upper}]")


def _check_grid(ind: Indicator | SimpleNamespace, path: Path, loc: _Located, where: str) -> None:
    """A progress grid (kind ``grid``) describes every level; descriptors only on a grid."""
    key, levels = ind.id, ind.levels
    described = isinstance(levels, dict) and any(not isinstance(v, str) for v in levels.values())
    if ind.kind != "grid":
        if described:
            _issue(loc, where, path + ("levels",), f"{key}.levels",
                   "level descriptors (label_fr, descriptor_fr…) only on a grid indicator", f"kind {ind.kind!r}")
        return
    if not isinstance(levels, dict) or not levels:
        _issue(loc, where, path + ("kind",), f"{key}.levels", "the levels of the grid, each with label_fr, "
               "label_en, descriptor_fr and descriptor_en", "nothing")
        return
    plain = sorted(k for k, v in levels.items() if isinstance(v, str))
    if plain:
        _issue(loc, where, path + ("levels",), f"{key}.levels", "a mapping label_fr, label_en, descriptor_fr, "
               "descriptor_en for each level of a grid", f"a plain label for level(s) {_show(plain)}")
    lower, upper = ind.lower, ind.upper
    if isinstance(lower, (int, float)) and isinstance(upper, (int, float)) and lower < upper:
        absent = [lv for lv in range(int(lower), int(upper) + 1) if lv not in levels]
        if absent:
            _issue(loc, where, path + ("levels",), f"{key}.levels",
                   f"a descriptor for every level from {int(lower)} to {int(upper)}", f"none for {_show(absent)}")
