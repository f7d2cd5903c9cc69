"""(5) Memory: RSS of an idle run, and RSS growth over 1000 run open/close cycles.

- engine level, in a fresh process (``python -m bench.memory idle|cycles``): N idle runs (a
  source whose next message is minutes away, and a sink) opened side by side → ΔRSS / N; then
  1000 start/stop cycles of that run → RSS after − RSS after the first 20 cycles (warm-up)
- through the server: 1000 start/stop cycles over one websocket, the worker's RSS from
  /api/debug/resources before and after
"""

from __future__ import annotations

import json
import sys

from .common import push_pull, report, run_worker, server


def _rss() -> int:
    import os

    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _idle_doc(transport):
    from app.topology import prepare

    doc, problems = prepare(push_pull(transport, interval_ms=600000))
    assert not problems
    return doc


def idle(transport: str, n: int) -> dict:
    import gc

    import gevent

    from app.engine.run import Run

    doc = _idle_doc(transport)
    for _ in range(5):  # warm-up: imports, first context, allocator arenas
        r = Run(doc)
        r.start()
        r.stop()
    gc.collect()
    gevent.sleep(0.2)
    base = _rss()
    runs = []
    for _ in range(n):
        r = Run(doc)
        r.start()
        runs.append(r)
    gevent.sleep(0.5)
    gc.collect()
    held = _rss()
    for r in runs:
        r.stop()
    return {"per_run": (held - base) / n, "base": base}


def cycles(transport: str, n: int) -> dict:
    import gc

    import gevent

    from app.engine.run import Run

    doc = _idle_doc(transport)
    for _ in range(20):
        r = Run(doc)
        r.start()
        r.stop()
    gc.collect()
    base = _rss()
    for _ in range(n):
        r = Run(doc)
        r.start()
        gevent.sleep(0)
        r.stop()
    gc.collect()
    return {"growth": _rss() - base, "base": base}


def bench(quick: bool = False) -> None:
    print("(5) memory", flush=True)
    n = 1000
    for transport in ("ipc", "inproc"):
        out = run_worker("bench.memory", "idle", transport, 50)
        kb = out["per_run"] / 1024
        report(
            "memory",
            f"RSS of an idle run, engine ({transport}, 50 side by side)",
            kb,
            "KB",
            "≤ 2048 KB",
            kb <= 2048,
            note=f"process base {out['base'] / 1e6:.0f} MB",
        )
    out = run_worker("bench.memory", "cycles", "ipc", n)
    mb = out["growth"] / 1e6
    report(
        "memory",
        f"RSS growth over {n} run open/close cycles, engine",
        mb,
        "MB",
        "≤ 20 MB",
        mb <= 20,
    )
    with server(WS_COMMANDS_PER_SECOND=100000) as srv:
        c = srv.client()
        doc = push_pull("ipc", interval_ms=600000)

        def cycle():
            c.send({"op": "start", "topology": doc})
            c.recv_until(lambda m: m["type"] == "started")
            c.send({"op": "stop"})
            c.recv_until(lambda m: m["type"] == "stopped")

        for _ in range(20):
            cycle()
        res = srv.resources()
        base = res["rss_bytes"]
        c.send({"op": "start", "topology": doc})
        c.recv_until(lambda m: m["type"] == "started")
        one = srv.resources()["rss_bytes"] - base
        c.send({"op": "stop"})
        c.recv_until(lambda m: m["type"] == "stopped")
        for _ in range(n):
            cycle()
        after = srv.resources()
        c.close()
        mb = (after["rss_bytes"] - base) / 1e6
        report(
            "memory",
            f"RSS growth over {n} run open/close cycles, server worker",
            mb,
            "MB",
            "≤ 20 MB",
            mb <= 20,
            note=f"worker {base / 1e6:.0f} → {after['rss_bytes'] / 1e6:.0f} MB; one idle run "
            f"there: {one / 1024:.0f} KB; fds {res['fds']} → {after['fds']}",
        )


if __name__ == "__main__":
    mode, transport, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    print(json.dumps({"idle": idle, "cycles": cycles}[mode](transport, count)))
