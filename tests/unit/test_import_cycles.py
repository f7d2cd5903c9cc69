"""No import circles in app/: every module can be understood (and imported) before the ones that
import it. Read from the source (no import is executed), counting imports inside functions too:
a lazy import that closes a circle (web/debug.py → ws.py → limits.py → debug.py) is still one."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "app"


def _modules() -> dict[str, Path]:
    """Dotted name → file, for every module of the app package."""
    out = {}
    for path in APP.rglob("*.py"):
        parts = list(path.relative_to(ROOT).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _imports(name: str, path: Path, modules: dict) -> set[str]:
    """The app modules that module ``name`` imports (explicitly; a package's parents, which
    Python imports first, are left out: they are not a circle anyone wrote)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found.update(a.name for a in node.names if a.name in modules)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                if sub in modules:
                    found.add(sub)  # from package import module
                elif target in modules:
                    found.add(target)
    found.discard(name)
    return found


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index, low, stack, on_stack, out = {}, {}, [], set(), []
    counter = [0]

    def visit(v):
        index[v] = low[v] = counter[0]
        counter[0] += 1
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                out.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return out


def _graph() -> dict[str, set[str]]:
    modules = _modules()
    return {name: _imports(name, path, modules) for name, path in modules.items()}


def test_no_module_of_app_imports_itself_through_others():
    assert _cycles(_graph()) == []


def test_the_cycle_finder_finds_a_lazy_circle():
    # the circle this test was written for, as it was: ws → limits, limits → debug (inside a
    # function), debug → ws
    graph = _graph()
    assert "app.web.debug" in graph and "app.web.registry" in graph["app.web.debug"]
    graph["app.web.limits"] = graph["app.web.limits"] | {"app.web.debug"}
    graph["app.web.debug"] = graph["app.web.debug"] | {"app.web.ws"}
    assert _cycles(graph) == [["app.web.debug", "app.web.limits", "app.web.session", "app.web.ws"]]
