"""Helpers of the robustness tests (tests/robustness): the real server (gunicorn + gevent
worker) under abuse, leaks and shutdown. A module of its own, not conftest.py: tests import it
by a name no other test directory shares (two directories' ``conftest`` clashed when pytest was
given both).

Helpers:
- ``serve(**env)``   a context manager: a private server (own TMPDIR, DEBUG_RESOURCES=1) with
                     extra settings; yields a ``Srv`` with ``url``, ``proc``, ``tmpdir``,
                     ``resources()`` and ``log()``
- ``ws(srv, ...)``   a WsClient (tests/web/wsclient.py) on that server
- topology builders: ``flood_doc``, ``pair_doc``, ``paced_doc``
"""

from __future__ import annotations

import json
import shutil
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(TESTS))
sys.path.insert(0, str(TESTS / "web"))

from wsclient import WsClient  # noqa: E402

from support.server import live_server  # noqa: E402


class Srv:
    """A running test server."""

    def __init__(self, url, proc, tmpdir):
        self.url = url
        self.proc = proc
        self.tmpdir = tmpdir

    def resources(self) -> dict:
        """/api/debug/resources of the worker."""
        with urllib.request.urlopen(self.url + "/api/debug/resources", timeout=10) as r:
            return json.load(r)

    def wait_workers(self, n: int, timeout: float = 60.0) -> None:
        """Wait until ``n`` workers answer. The server answers as soon as one has loaded the
        app; on a loaded machine the others may still be importing it for seconds, and every
        request meanwhile lands on the first (a test that needs pages on both never got any)."""
        pids, deadline = set(), time.monotonic() + timeout
        while len(pids) < n:
            assert time.monotonic() < deadline, f"only workers {pids} answered:\n{self.log()}"
            pids.add(self.resources()["pid"])
            time.sleep(0.02)

    def log(self) -> str:
        """The server's output so far."""
        with open(self.proc.log_path, errors="replace") as fh:
            return fh.read()

    def wait_idle(self, timeout: float = 10.0) -> dict:
        """Wait until no run, no session and no websocket handler is left, nor a call in the
        worker's thread pool (a handler outlives its session until its ledger lease is given
        back: the leak soak's baseline once held 3 more fds than its end); return the resources
        then."""
        deadline = time.monotonic() + timeout
        while True:
            res = self.resources()
            idle = (
                res["runs"] == 0
                and res["sessions"] == 0
                and res["handlers"] == 0
                and res["pool_busy"] == 0
            )
            if idle or time.monotonic() > deadline:
                return res
            time.sleep(0.1)


@contextmanager
def serve(workers=1, **env):
    """A private server with these settings (strings or numbers) and DEBUG_RESOURCES=1."""
    tmpdir = tempfile.mkdtemp(prefix="zpg-test-tmp-")
    settings = {"DEBUG_RESOURCES": "1", "TMPDIR": tmpdir}
    settings.update({k: str(v) for k, v in env.items()})
    try:
        with live_server(settings, workers=workers) as (url, proc):
            srv = Srv(url, proc, tmpdir)
            if workers > 1:
                srv.wait_workers(workers)
            yield srv
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)


def ws(srv, **kw) -> WsClient:
    """A connected client that has read its hello."""
    c = WsClient(srv.url, **kw)
    hello = c.recv()
    assert hello["type"] == "hello", hello
    return c


def sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def pair_doc(transport="ipc", interval_ms=1000, count=0, frames=("msg {n}",)):
    """source (PUSH bind) → sink (PULL connect)."""
    return {
        "version": 1,
        "transport": transport,
        "nodes": [
            {
                "id": "src",
                "kind": "source",
                "sockets": [sock("o", "PUSH", "bind")],
                "behaviour": {
                    "socket": "o",
                    "interval_ms": interval_ms,
                    "count": count,
                    "frames": list(frames),
                },
            },
            {
                "id": "dst",
                "kind": "sink",
                "sockets": [sock("i", "PULL", "connect")],
                "behaviour": {"socket": "i"},
            },
        ],
        "links": [
            {
                "id": "l1",
                "connect": {"node": "dst", "socket": "i"},
                "bind": {"node": "src", "socket": "o"},
            }
        ],
    }


def flood_doc(body_chars=240, count=0):
    """A source sending flat out (large frames) into a sink."""
    return pair_doc(interval_ms=0, count=count, frames=("x" * body_chars + " {n}",))


def started(client, doc, **extra) -> dict:
    """Send ``start`` and return the ``started`` message (fails on anything else)."""
    client.send({"op": "start", "topology": doc, **extra})
    _, msg = client.recv_until(lambda m: m["type"] in ("started", "invalid", "error"))
    assert msg["type"] == "started", msg
    return msg


def stopped(client, timeout=10.0) -> dict:
    """Send ``stop`` and return the ``stopped`` message."""
    client.send({"op": "stop"})
    _, msg = client.recv_until(lambda m: m["type"] == "stopped", timeout=timeout)
    return msg


def events_of(messages, kind=None):
    """Every event in these messages (of one kind if given)."""
    return [
        e
        for m in messages
        if m and m.get("type") == "events"
        for e in m["events"]
        if kind is None or e["ev"] == kind
    ]


def quantile(values, q):
    """The q-quantile of ``values`` (nearest rank)."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]
