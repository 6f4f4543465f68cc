"""Framework YAML with the line of every value and key, and problems reported at their line.

The YAML is parsed once into Python data and once into PyYAML's node graph, so that every
value, key and mapping can be traced back to its line (:func:`parse_yaml`). The checks of
:mod:`coopeval.framework.validate` and :mod:`coopeval.framework.indicator_checks` report each
problem as an :class:`~coopeval.errors.Issue` naming the file, the line and the key.
"""

from __future__ import annotations

from typing import Any

import yaml

from coopeval.errors import Issue

Path = tuple[Any, ...]
#: libyaml's safe loader, when PyYAML was built with it.
_FAST_LOADER: type | None = getattr(yaml, "CSafeLoader", None) if getattr(yaml, "__with_libyaml__", False) else None


class _Located:
    """YAML data with the line (1-based) of every value and of every key."""

    def __init__(self) -> None:
        self.value_line: dict[Path, int] = {}
        self.key_line: dict[Path, int] = {}
        self.issues: list[Issue] = []
        self.from_text = False

    def at(self, where: str, path: Path) -> str:
        """``"file, line N"`` for data read from text; just ``where`` for Python data."""
        if not self.from_text:
            return where
        return f"{where}, line {self.line(path)}"

    def line(self, path: Path) -> int:
        """Line of the key at ``path`` or, failing that, of its nearest ancestor."""
        p = tuple(path)
        while True:
            if p in self.key_line:
                return self.key_line[p]
            if p in self.value_line:
                return self.value_line[p]
            if not p:
                return 1
            p = p[:-1]


def _compose(text: str, loader_class: type) -> tuple[Any, Any]:
    """The node graph and the data of ``text`` read by ``loader_class``."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        return node, loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()


def parse_yaml(text: str, where: str) -> tuple[Any, _Located]:
    """Parse YAML text, recording lines; syntax errors and duplicate keys become issues.

    Read by libyaml when PyYAML has it (the same nodes, lines and data, ten times faster: a
    framework is read at every first use); text it refuses is read again by PyYAML's own parser,
    whose messages are the ones reported."""
    loc = _Located()
    loc.from_text = True
    try:
        try:
            node, data = _compose(text, _FAST_LOADER or yaml.SafeLoader)
        except yaml.YAMLError:
            if _FAST_LOADER is None:
                raise
            node, data = _compose(text, yaml.SafeLoader)
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        line = mark.line + 1 if mark is not None else 1
        problem = " ".join(str(x) for x in (err.context, err.problem) if x)
        loc.issues.append(
            Issue(f"{where}, line {line}", "(YAML syntax)", "valid YAML (check the indentation)", problem)
        )
        return None, loc
    except yaml.YAMLError as err:  # pragma: no cover - non-marked YAML errors are rare
        loc.issues.append(Issue(f"{where}, line 1", "(YAML syntax)", "valid YAML", str(err)))
        return None, loc
    if node is not None:
        cycle = _alias_cycle(node)
        if cycle is not None:  # issue 16: an anchor used inside itself made everything below recurse forever
            loc.issues.append(Issue(f"{where}, line {cycle}", "(YAML alias)",
                                    "no alias (*name) inside the node its anchor (&name) marks",
                                    "an alias that refers to itself (a cycle)"))
            return None, loc
        _walk(node, (), loc, where)
    return data, loc


def _alias_cycle(root: yaml.Node) -> int | None:
    """Line of a node that contains itself through an alias, or None (iterative, no recursion)."""
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    open_: set[int] = set()
    done: set[int] = set()
    while stack:
        node, leaving = stack.pop()
        if leaving:
            open_.discard(id(node))
            done.add(id(node))
            continue
        if id(node) in open_:
            return node.start_mark.line + 1
        if id(node) in done:
            continue
        open_.add(id(node))
        stack.append((node, True))
        if isinstance(node, yaml.MappingNode):
            children = [n for pair in node.value for n in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        else:
            children = []
        for child in children:
            if id(child) in open_:
                return child.start_mark.line + 1
            stack.append((child, False))
    return None


def _walk(node: yaml.Node, path: Path, loc: _Located, where: str) -> None:
    loc.value_line[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: dict[Any, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                loc.issues.append(
                    Issue(
                        f"{where}, line {line}",
                        _dotted(path + (key,)),
                        "each key once in a mapping",
                        f"`{key}` again (first at line {seen[key]})",
                    )
                )
                continue
            seen[key] = line
            loc.key_line[path + (key,)] = line
            _walk(value_node, path + (key,), loc, where)
    elif isinstance(node, yaml.SequenceNode):
        for i, child in enumerate(node.value):
            _walk(child, path + (i,), loc, where)


def _dotted(path: Path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "(file)"


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."



def _issue(loc: _Located, where: str, path: Path, key: str, expected: str, found: str) -> None:
    loc.issues.append(Issue(loc.at(where, path), key, expected, found))

