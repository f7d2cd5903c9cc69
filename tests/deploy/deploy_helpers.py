"""Helpers of the deployment tests (a module of its own: every test folder has a conftest)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "web"))

from wsclient import WsClient  # noqa: E402

ROOT = HERE.parents[1]
LIMITS = {"MAX_RUNS_PER_CLIENT": "8", "WS_MAX_PER_CLIENT": "16"}  # every app server's
STEPS: list[tuple[str, float]] = []  # (step, seconds): printed at the end for the closing note


def preset(name: str) -> dict:
    """A preset's topology document."""
    return json.loads((ROOT / "app" / "presets" / f"{name}.json").read_text())["topology"]


def page(st, **kw) -> tuple[WsClient, dict]:
    """A websocket through nginx (wss://, the page's own Origin) and its hello."""
    c = WsClient(st.url, ssl_context=st.ssl, **kw)
    hello = c.recv()
    assert hello["type"] == "hello"
    return c, hello


def metrics(url: str, opener=None) -> dict:
    """{sample name with labels: value} of a /metrics page."""
    import urllib.request

    with (opener or urllib.request.urlopen)(url + "/metrics", timeout=10) as r:
        text = r.read().decode()
    out = {}
    for line in text.splitlines():
        if line and not line.startswith("#"):
            name, value = line.rsplit(" ", 1)
            out[name] = float(value)
    return out
