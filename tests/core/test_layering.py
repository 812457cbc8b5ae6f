"""The layers import one way only (README "Architecture"): cli/serve -> render -> service -> core -> store -> errors.

The import graph is built from the source (every `import` statement, at module level or inside a
function: a lazy import still ties two modules together), so a new module is covered without
editing these tests.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.util import REPO

PACKAGE = Path(REPO) / "vmss_cli"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph() -> dict[str, set[str]]:
    """module -> the vmss_cli modules it imports."""
    modules = {_module_name(p): p for p in PACKAGE.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        edges: set[str] = set()
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                # `from package import module` imports the module; `from module import name` the module
                targets = [f"{node.module}.{alias.name}" if f"{node.module}.{alias.name}" in modules else node.module
                           for alias in node.names]
            else:
                continue
            edges.update(t for t in targets if t in modules and t != name)
        graph[name] = edges
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(10000)
    try:
        for v in sorted(graph):
            if v not in index:
                visit(v)
    finally:
        sys.setrecursionlimit(limit)  # other tests rely on the default (a TOML nested too deeply)
    return found


def test_the_cycle_finder_finds_a_cycle():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycle_anywhere():
    graph = import_graph()
    assert {"vmss_cli.core.rollout.engine", "vmss_cli.store.state", "vmss_cli.errors"} <= set(graph)
    assert cycles(graph) == []


def _layer_violations(prefix: str, allowed: tuple[str, ...]) -> list[tuple[str, str]]:
    return sorted((m, t) for m, targets in import_graph().items() if m == prefix or m.startswith(prefix + ".")
                  for t in targets if not (t == "vmss_cli" or t.startswith(allowed)))


def test_store_imports_nothing_above_it():
    assert _layer_violations("vmss_cli.store", ("vmss_cli.store", "vmss_cli.errors")) == []


def test_errors_import_nothing_of_vmss():
    assert _layer_violations("vmss_cli.errors", ("vmss_cli.errors",)) == []


def test_core_imports_only_core_store_and_errors():
    assert _layer_violations("vmss_cli.core", ("vmss_cli.core", "vmss_cli.store", "vmss_cli.errors")) == []


# What a front door may import from core/: code that az itself runs on the client, and that decides
# nothing Azure would decide (README "Architecture"): the generic update grammar and az's AAZ types
# (core.update), az's flattener (core.arm.shape), and reading or writing ISO 8601 times and durations
# (core.world.timeutil). Everything else a front door needs is a service call.
CLIENT_SIDE = ("vmss_cli.core.update", "vmss_cli.core.arm.shape", "vmss_cli.core.world.timeutil")
FRONT_DOOR_MAY_IMPORT = ("vmss_cli.cli", "vmss_cli.serve", "vmss_cli.render", "vmss_cli.service", "vmss_cli.store",
                         "vmss_cli.errors") + CLIENT_SIDE


def test_front_doors_import_from_core_only_client_side_code():
    """cli/ and serve/ call the service layer for every Azure decision."""
    assert _layer_violations("vmss_cli.cli", FRONT_DOOR_MAY_IMPORT) == []
    assert _layer_violations("vmss_cli.serve", FRONT_DOOR_MAY_IMPORT) == []


def test_the_front_door_rule_catches_a_core_import():
    graph = import_graph()
    assert "vmss_cli.service.scale_sets" in graph["vmss_cli.cli.reads"]  # the rule sees lazy imports
    assert not "vmss_cli.core.resources.scaleset".startswith(FRONT_DOOR_MAY_IMPORT)
    assert "vmss_cli.core.update.generic".startswith(FRONT_DOOR_MAY_IMPORT)


def test_serve_imports_nothing_of_the_cli():
    assert _layer_violations("vmss_cli.serve", tuple(m for m in FRONT_DOOR_MAY_IMPORT if m != "vmss_cli.cli")) == []


def test_service_imports_neither_a_front_door_nor_render():
    assert _layer_violations("vmss_cli.service", ("vmss_cli.service", "vmss_cli.core", "vmss_cli.store",
                                                  "vmss_cli.errors")) == []


FORBIDDEN = ("typer", "rich", "click", "http", "socketserver", "ssl")

# Every module under vmss_cli/core and vmss_cli/service, found at run time.
PROBE = r"""
import importlib, json, pkgutil, sys
import vmss_cli.core, vmss_cli.service
modules = sorted(m.name for pkg in (vmss_cli.core, vmss_cli.service)
                 for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + "."))
for name in modules:
    importlib.import_module(name)
print(json.dumps({"modules": modules, "loaded": sorted(sys.modules)}))
"""


def test_core_and_service_import_neither_typer_nor_rich_nor_an_http_server():
    result = subprocess.run([sys.executable, "-c", PROBE], cwd=REPO, env=dict(os.environ), capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert {"vmss_cli.core.resources.scaleset", "vmss_cli.core.rollout.health"} <= set(report["modules"])
    offenders = [m for m in report["loaded"] if m.split(".")[0] in FORBIDDEN]
    assert offenders == []
    upward = [m for m in report["loaded"] if m.startswith(("vmss_cli.cli", "vmss_cli.render", "vmss_cli.serve"))]
    assert upward == []
