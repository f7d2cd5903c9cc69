"""The engine alone owns zmq (docs/architecture.md): no other package of app/ imports it."""

import ast
from pathlib import Path

APP = Path(__file__).resolve().parents[2] / "app"


def _imports(path: Path) -> set[str]:
    roots = set()
    for stmt in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(stmt, ast.Import):
            roots |= {a.name.split(".")[0] for a in stmt.names}
        elif isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
            roots.add(stmt.module.split(".")[0])
    return roots


def test_only_the_engine_imports_zmq():
    outside = [
        str(p.relative_to(APP))
        for p in APP.rglob("*.py")
        if p.relative_to(APP).parts[0] != "engine" and "zmq" in _imports(p)
    ]
    assert outside == []


def test_the_check_sees_an_import():
    assert "zmq" in _imports(APP / "engine" / "facts.py")
