"""The deployment of docs/deploying.md (tests/support/stack.py), started once for the module."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "web"))

from support.stack import deployment  # noqa: E402
from wsclient import WsClient  # noqa: E402

ROOT = HERE.parents[1]
STEPS: list[tuple[str, float]] = []  # (step, seconds): printed at the end for the closing note


@pytest.fixture(scope="module")
def stack():
    """PostgreSQL, two app servers, nginx with TLS: as the page says."""
    t0 = time.monotonic()
    with deployment() as st:
        STEPS.append(("start PostgreSQL, 2 app servers, nginx (TLS)", time.monotonic() - t0))
        yield st
    for step, seconds in STEPS:
        print(f"\n  {seconds:6.1f} s  {step}", end="")


@pytest.fixture(autouse=True)
def _timed(request):
    t0 = time.monotonic()
    yield
    STEPS.append((request.node.name, time.monotonic() - t0))


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
