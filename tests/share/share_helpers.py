"""Helpers shared by the share tests (a module of its own: every test folder has a conftest)."""

import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def preset_topology(name: str) -> dict:
    """A preset's topology document (a fresh copy)."""
    return json.loads((ROOT / "app" / "presets" / f"{name}.json").read_text())["topology"]
