"""m4ml.optim's modules import one another one way only (issue 10: no import cycles).

Every import of an ``m4ml.optim`` module, at module level or inside a function, is an edge; the
graph must be acyclic, so no solver calls back into the dispatcher that calls it.
"""

import ast
from pathlib import Path

OPTIM = Path(__file__).resolve().parents[2] / "src" / "m4ml" / "optim"


def _edges():
    graph = {}
    for path in OPTIM.glob("*.py"):
        name = path.stem
        deps = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                mods = [node.module]
                if node.module == "m4ml.optim":
                    mods = [f"m4ml.optim.{a.name}" for a in node.names]
            elif isinstance(node, ast.Import):
                mods = [a.name for a in node.names]
            else:
                continue
            for m in mods:
                parts = m.split(".")
                inside = parts[:2] == ["m4ml", "optim"] and len(parts) > 2
                if inside and (OPTIM / f"{parts[2]}.py").exists() and parts[2] != name:
                    deps.add(parts[2])
        graph[name] = deps
    return graph


def _find_cycle(graph):
    state, stack = {}, []

    def visit(v):
        state[v] = 1
        stack.append(v)
        for w in graph.get(v, ()):
            if state.get(w) == 1:
                return [*stack[stack.index(w) :], w]
            if w not in state:
                cyc = visit(w)
                if cyc:
                    return cyc
        stack.pop()
        state[v] = 2
        return None

    for v in sorted(graph):
        if v not in state and v != "__init__":
            cyc = visit(v)
            if cyc:
                return cyc
    return None


def test_optim_has_no_import_cycle():
    graph = _edges()
    assert "constrained" in graph["minimize"]  # the graph is really read
    graph.pop("__init__", None)
    assert _find_cycle(graph) is None, " -> ".join(_find_cycle(graph))


def test_cycle_finder_finds_a_cycle():
    assert _find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
