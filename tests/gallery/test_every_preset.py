"""Every preset of the gallery: explained in both languages, laid out on the canvas, and runnable
headless from the command line (``python -m app run app/presets/<id>.json``) without errors."""

import json
import subprocess
import sys
from itertools import combinations
from pathlib import Path

import pytest

from app.presets import ORDER, get_preset, list_presets

ROOT = Path(__file__).resolve().parents[2]
IDS = [p["id"] for p in list_presets()]


def test_gallery_has_every_pattern_of_the_seeds_in_order():
    assert len(IDS) >= 18 and IDS == list(ORDER)


@pytest.mark.parametrize("preset_id", IDS)
def test_layout_fits_the_canvas_without_overlaps(preset_id):
    nodes = get_preset(preset_id)["topology"]["nodes"]
    for n in nodes:
        assert 0 <= n["x"] <= 1000 and 0 <= n["y"] <= 600, n["id"]
    for a, b in combinations(nodes, 2):
        assert abs(a["x"] - b["x"]) >= 150 or abs(a["y"] - b["y"]) >= 100, (a["id"], b["id"])
    text = get_preset(preset_id)["explain"]
    assert 200 <= len(text["en"]) <= 1200 and 100 <= len(text["ko"]) <= 1200
    assert any("\uac00" <= ch <= "\ud7a3" for ch in text["ko"])  # Hangul


def test_every_preset_runs_headless_from_the_command_line():
    procs = {}
    for pid in IDS:
        procs[pid] = subprocess.Popen(
            [sys.executable, "-m", "app", "run", f"app/presets/{pid}.json", "--seconds", "2.5"],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
    failures = []
    for pid, proc in procs.items():
        out, err = proc.communicate(timeout=60)
        events = [json.loads(line) for line in out.splitlines() if line.strip()]
        totals = events[-1].get("totals") if events else None
        bad = [
            e
            for e in events
            if e.get("ev") == "error"
            or (
                e.get("ev") == "node"
                and e.get("state") == "crashed"
                and not e.get("detail", "").startswith("simulated crash")
            )
        ]
        moved = totals and sum(link["delivered"] for link in totals["links"].values())
        if proc.returncode != 0 or not totals or bad or not moved:
            failures.append((pid, proc.returncode, err[-500:], bad[:3], moved))
    assert not failures, failures
