"""The package's imports follow the pipeline: no circle between modules, no upward arrow.

Layers, lowest first (a module may import from its own layer and the ones below, never above;
imports under ``if TYPE_CHECKING`` are annotations only and do not count):
"""

from __future__ import annotations

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "coopeval"

LAYERS = [
    {"_version", "errors", "contracts", "resources"},
    {"i18n"},
    {"framework"},
    {"data", "datasets"},
    {"weighting", "scoring"},
    {"uncertainty", "valuation", "stats", "qualitative"},
    {"plots"},
    {"evaluation"},
    {"report"},
    {"store"},
    {"widgets", "web"},
    {"server"},
    {"cli"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}


def _module(path: Path) -> str:
    parts = path.relative_to(PACKAGE).with_suffix("").parts
    return ".".join(("coopeval", *parts)).removesuffix(".__init__")


def _imports(path: Path, *, module_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skip: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skip.update(id(n) for n in ast.walk(node))
    nodes = tree.body if module_level_only else list(ast.walk(tree))
    out: set[str] = set()
    for node in nodes:
        if id(node) in skip:
            continue
        if isinstance(node, ast.ImportFrom) and node.module and node.module.split(".")[0] == "coopeval":
            if node.module == "coopeval":
                out.update(f"coopeval.{a.name}" for a in node.names)
            else:
                out.add(node.module)
        elif isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.split(".")[0] == "coopeval")
    return out


def _top(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "coopeval"


def test_every_subpackage_has_a_layer():
    tops = {_top(_module(p)) for p in PACKAGE.rglob("*.py")} - {"coopeval"}
    assert tops <= set(RANK), sorted(tops - set(RANK))


def test_no_upward_arrow():
    upward = []
    for path in PACKAGE.rglob("*.py"):
        here = _module(path)
        for target in _imports(path, module_level_only=False):
            a, b = _top(here), _top(target)
            if a == "coopeval" or a == b or (a == "cli" and b == "coopeval"):
                continue  # the command line is the top: it may use the whole package
            if b == "coopeval":
                upward.append(f"{here} imports the whole package (coopeval)")
            elif RANK[b] > RANK[a]:
                upward.append(f"{here} ({a}) imports {target} ({b})")
    assert not upward, "\n".join(sorted(upward))


def test_no_import_circle_between_modules():
    modules = {_module(p): p for p in PACKAGE.rglob("*.py")}
    graph = {m: {t for t in _imports(p, module_level_only=False) if t in modules and t != m}
             for m, p in modules.items()}
    # a package importing its own submodules (re-exports) is not a circle
    graph = {m: {t for t in ts if not t.startswith(m + ".")} for m, ts in graph.items()}
    state: dict[str, int] = {}
    cycles: list[list[str]] = []

    def visit(m: str, stack: list[str]) -> None:
        state[m] = 1
        for t in sorted(graph[m]):
            if state.get(t) == 1:
                cycles.append(stack[stack.index(t):] + [t] if t in stack else [m, t])
            elif t not in state:
                visit(t, [*stack, t])
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m, [m])
    assert not cycles, "\n".join(" -> ".join(c) for c in cycles)
