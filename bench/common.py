"""What every benchmark shares: a real server (gunicorn + gevent worker), a websocket client,
statistics and the table of results."""

from __future__ import annotations

import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "web"))
sys.path.insert(0, str(ROOT))

from wsclient import WsClient  # noqa: E402  (the raw websocket client of the web tests)

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-dev-shm-usage",
]


@dataclass
class Figure:
    """One measured figure, its target and whether it was met."""

    bench: str
    name: str
    value: float
    unit: str
    target: str = ""
    ok: bool | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


RESULTS: list[Figure] = []


def report(bench, name, value, unit, target="", ok=None, note="", **extra) -> Figure:
    """Record a figure and print it at once."""
    f = Figure(bench, name, value, unit, target, ok, note, extra)
    RESULTS.append(f)
    mark = {True: "met", False: "MISSED", None: ""}[ok]
    shown = f"{value:,.3f}" if isinstance(value, float) and abs(value) < 100 else f"{value:,.0f}"
    print(f"  {name:<58} {shown:>14} {unit:<10} {target:<14} {mark:<6} {note}", flush=True)
    return f


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A running server: its URL, process and debug resources."""

    def __init__(self, url, proc, log_path):
        self.url = url
        self.proc = proc
        self.log_path = log_path

    def resources(self) -> dict:
        with urllib.request.urlopen(self.url + "/api/debug/resources", timeout=30) as r:
            return json.load(r)

    def get(self, path):
        with urllib.request.urlopen(self.url + path, timeout=30) as r:
            return json.load(r)

    def client(self, **kw) -> WsClient:
        c = WsClient(self.url, **kw)
        assert c.recv()["type"] == "hello"
        return c


@contextmanager
def server(**env):
    """gunicorn -k gevent, one worker, as the Procfile runs it; DEBUG_RESOURCES on."""
    port = free_port()
    log = tempfile.NamedTemporaryFile("w+", prefix="zpg-bench-", suffix=".log", delete=False)
    settings = {"DEBUG_RESOURCES": "1", **{k: str(v) for k, v in env.items()}}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "-k",
            "gevent",
            "--no-control-socket",
            "-w",
            "1",
            "--graceful-timeout",
            "5",
            "-b",
            f"127.0.0.1:{port}",
            "app:create_app()",
        ],
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        env={**os.environ, **settings},
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError("server did not start:\n" + log.read()[-3000:])
            try:
                with urllib.request.urlopen(url + "/api/meta", timeout=2):
                    break
            except OSError:
                time.sleep(0.2)
        yield Server(url, proc, log.name)
    finally:
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        log.close()
        os.unlink(log.name)


def percentile(values, q):
    """Nearest-rank percentile (q in 0..100)."""
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100.0 * (len(ordered) - 1))))]


def median(values):
    return statistics.median(values) if values else float("nan")


def sock(name, type_, mode, **options):
    return {"name": name, "type": type_, "mode": mode, "options": options}


def push_pull(transport="inproc", count=0, interval_ms=0, frames=("x" * 32,)):
    """source (PUSH bind) → sink (PULL connect): the benchmarks' basic topology."""
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


def pipeline(prefix="", interval_ms=100, work_ms=10, workers=3, transport="ipc"):
    """vent → ``workers`` workers → sink (the 5-node topology with 3 workers)."""
    p = prefix
    nodes = [
        {
            "id": f"{p}vent",
            "kind": "source",
            "sockets": [sock("out", "PUSH", "bind")],
            "behaviour": {"socket": "out", "interval_ms": interval_ms, "frames": ["task {n}"]},
        },
        {
            "id": f"{p}sink",
            "kind": "sink",
            "sockets": [sock("in", "PULL", "bind")],
            "behaviour": {"socket": "in"},
        },
    ]
    links = []
    for i in range(1, workers + 1):
        nodes.append(
            {
                "id": f"{p}w{i}",
                "kind": "worker",
                "sockets": [sock("in", "PULL", "connect"), sock("out", "PUSH", "connect")],
                "behaviour": {"input": "in", "output": "out", "work_ms": work_ms},
            }
        )
        links.append(
            {
                "id": f"{p}a{i}",
                "connect": {"node": f"{p}w{i}", "socket": "in"},
                "bind": {"node": f"{p}vent", "socket": "out"},
            }
        )
        links.append(
            {
                "id": f"{p}b{i}",
                "connect": {"node": f"{p}w{i}", "socket": "out"},
                "bind": {"node": f"{p}sink", "socket": "in"},
            }
        )
    return {"version": 1, "transport": transport, "nodes": nodes, "links": links}


def run_worker(module: str, *args, timeout=300) -> dict:
    """Run ``python -m <module> args...`` in a fresh process; its last stdout line is JSON."""
    out = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if out.returncode != 0:
        raise RuntimeError(f"{module} {args} failed:\n{out.stderr[-3000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])
