"""One responsibility per file: no source file of the product over 400 lines unless its top says
why ("Longer than 400 lines because ..." in its first 20 lines). Vendored libraries are not ours;
data (JSON: presets, catalogs, fixtures) is not code."""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CODE = ("app", "static/js", "static/css", "bench", "scripts", "templates")
SUFFIXES = {".py", ".js", ".mjs", ".css", ".html", ".sh"}
LIMIT = 400


def test_no_file_over_400_lines_without_a_reason_at_its_top():
    long = []
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*")):
            if path.suffix not in SUFFIXES or "vendor" in path.parts:
                continue
            lines = path.read_text("utf-8").splitlines()
            head = "\n".join(lines[:20]).lower()
            if len(lines) > LIMIT and "longer than 400 lines because" not in head:
                long.append(f"{path.relative_to(ROOT)}: {len(lines)} lines")
    assert long == []
