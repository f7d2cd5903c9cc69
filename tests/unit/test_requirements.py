"""requirements.txt is complete: every top-level module app/ imports (at module level or inside a
function) comes from the standard library or from a package pinned there, and every package
pinned there has what it depends on pinned too. A fresh virtualenv installing only these pins
then has everything the server needs (gunicorn's gevent worker once lacked ``packaging``)."""

import ast
import sys
from importlib.metadata import PackageNotFoundError, distribution, packages_distributions
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

ROOT = Path(__file__).resolve().parents[2]


def pins() -> dict[str, set[str]]:
    """Canonical package name → the extras asked for, for every ``name==version`` line."""
    return {name: extras for name, (extras, _version) in pinned_versions().items()}


def pinned_versions() -> dict[str, tuple[set[str], str]]:
    """Canonical package name → (extras, the pinned version)."""
    out = {}
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        req = Requirement(line)
        assert str(req.specifier).startswith("=="), f"not pinned exactly: {line}"
        extras, _ = out.get(canonicalize_name(req.name), (set(), ""))
        out[canonicalize_name(req.name)] = (extras | req.extras, str(req.specifier)[2:])
    return out


def imported_top_level_modules() -> dict[str, str]:
    """Top-level module → a file of app/ that imports it (relative imports left out)."""
    found = {}
    for path in sorted((ROOT / "app").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text("utf-8"))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name.split(".")[0], str(path.relative_to(ROOT)))
    return found


def test_every_module_app_imports_is_the_standard_library_or_pinned():
    pinned = pins()
    providers = packages_distributions()
    missing = []
    for module, where in sorted(imported_top_level_modules().items()):
        if module == "app" or module in sys.stdlib_module_names or module == "__future__":
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if not dists & set(pinned):
            missing.append(f"{module} (imported by {where}; installed from {sorted(dists)})")
    assert missing == []


def test_every_pinned_package_has_its_own_dependencies_pinned():
    pinned = pins()
    missing = []
    for name, extras in sorted(pinned.items()):
        try:
            requires = distribution(name).requires or []
        except PackageNotFoundError:
            missing.append(f"{name} is pinned but not installed")
            continue
        for line in requires:
            req = Requirement(line)
            wanted = any(
                req.marker is None or req.marker.evaluate({"extra": extra})
                for extra in extras | {""}
            )
            if wanted and canonicalize_name(req.name) not in pinned:
                missing.append(f"{req.name} (needed by {name})")
    assert missing == []


def test_the_pins_are_what_is_installed():
    for name, (_extras, version) in pinned_versions().items():
        assert distribution(name).version == version, name


LOADED = """
import json, sys
print(json.dumps(sorted({m.split(".")[0] for m in list(sys.modules)})))
"""
LOAD_THE_SERVER = """
import json, sys
import gunicorn.app.wsgiapp, gunicorn.workers.ggevent  # the Procfile's gunicorn -k gevent
from app import create_app
create_app({"TESTING": True})
print(json.dumps(sorted({m.split(".")[0] for m in list(sys.modules)})))
"""


def test_every_module_the_server_loads_comes_from_a_pin():
    # What app/ imports is not all: gunicorn's gevent worker imports packaging without declaring
    # it, so only loading the server shows it. The test venv has more than the pins (pytest
    # brings packaging too): installed is not enough, pinned is what a fresh venv gets.
    import json
    import subprocess

    def loaded(code):
        out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
        assert out.returncode == 0, out.stderr[-2000:]
        return set(json.loads(out.stdout.splitlines()[-1]))

    # what the interpreter loads before any code of ours (site-packages' .pth hooks) is not ours
    at_start = loaded(LOADED)
    pinned = pins()
    providers = packages_distributions()
    missing = []
    for module in sorted(loaded(LOAD_THE_SERVER) - at_start):
        if module in ("app", "__main__") or module in sys.stdlib_module_names:
            continue
        dists = {canonicalize_name(d) for d in providers.get(module, [])}
        if dists and not dists & set(pinned):
            missing.append(f"{module} (from {sorted(dists)})")
    assert missing == []
