"""(6) Budgets and fair shares (issue 14): memory, fds, hostile runs next to normal pages.

- memory: 6 pairs of PUB (flat out, 4 KB frames) → SUB on a worker with work_ms 600000, 20 s,
  worker RSS sampled; after the run, RSS again (target: ≤ MAX_RUNS_BYTES + 100 MB, back within
  20 MB of the baseline)
- fds: a 100-node document (20 sinks, 4 flat-out... sources each; ipc) 100 times in a row and
  20 at once: every run started or refused naming its limit, never "Too many open files"
- hostile: 30 flat-out 100-node runs from 3 addresses (TRUSTED_PROXIES=1, as a proxy would
  report them) next to 50 normal pages (5-node pipeline, 10 msg/s): the normal pages' event
  latency p99, and whether every hostile run was told why it was limited
"""

from __future__ import annotations

import selectors
import time

from .common import percentile, pipeline, report, server, sock

FOUR_KB = ["x" * 1000, "x" * 1000, "x" * 1000, "x" * 990 + "{n}"]


def memory_doc(pairs=6):
    nodes, links = [], []
    for i in range(pairs):
        nodes.append(
            {
                "id": f"p{i}",
                "kind": "source",
                "sockets": [sock("o", "PUB", "bind")],
                # ~4 KB messages: four frames (a frame text is at most 1000 characters)
                "behaviour": {"socket": "o", "interval_ms": 0, "frames": FOUR_KB},
            }
        )
        nodes.append(
            {
                "id": f"w{i}",
                "kind": "worker",
                "sockets": [sock("i", "SUB", "connect", subscribe=[""]), sock("o", "PUSH", "bind")],
                "behaviour": {"input": "i", "output": "o", "work_ms": 600000},
            }
        )
        links.append(
            {
                "id": f"l{i}",
                "connect": {"node": f"w{i}", "socket": "i"},
                "bind": {"node": f"p{i}", "socket": "o"},
            }
        )
    return {"version": 1, "transport": "tcp", "nodes": nodes, "links": links}


def big_doc(pairs=20, fan=4, interval_ms=0, frames=("x" * 200 + " {n}",)):
    """100 nodes: ``pairs`` sinks, each fed by ``fan`` sources (flat out by default)."""
    nodes, links = [], []
    for i in range(pairs):
        nodes.append(
            {
                "id": f"k{i}",
                "kind": "sink",
                "sockets": [sock("in", "PULL", "bind")],
                "behaviour": {"socket": "in"},
            }
        )
        for j in range(fan):
            nodes.append(
                {
                    "id": f"s{i}x{j}",
                    "kind": "source",
                    "sockets": [sock("out", "PUSH", "connect")],
                    "behaviour": {
                        "socket": "out",
                        "interval_ms": interval_ms,
                        "frames": list(frames),
                    },
                }
            )
            links.append(
                {
                    "id": f"l{i}x{j}",
                    "connect": {"node": f"s{i}x{j}", "socket": "out"},
                    "bind": {"node": f"k{i}", "socket": "in"},
                }
            )
    return {"version": 1, "transport": "ipc", "nodes": nodes, "links": links}


def _start(c, doc):
    c.send({"op": "start", "topology": doc})
    _, msg = c.recv_until(lambda m: m["type"] in ("started", "invalid", "error"), timeout=30)
    return msg


def bench_memory(seconds=20.0, budget=512 * 1024 * 1024):
    print("(6a) memory document: 6 × PUB flat out (4 KB) → SUB on a stalled worker", flush=True)
    with server(MAX_RUNS_BYTES=budget) as srv:
        base = srv.resources()["rss_bytes"]
        c = srv.client()
        msg = _start(c, memory_doc())
        peak = base
        t_end = time.monotonic() + seconds
        while time.monotonic() < t_end:
            peak = max(peak, srv.resources()["rss_bytes"])
            time.sleep(1.0)
        c.send({"op": "stop"})
        c.recv_until(lambda m: m["type"] == "stopped", timeout=30)
        time.sleep(2.0)
        after = srv.resources()["rss_bytes"]
        c.close()
        report(
            "fair",
            "memory doc: run started",
            1 if msg["type"] == "started" else 0,
            "",
            note=str(msg.get("message", ""))[:120],
        )
        report(
            "fair",
            "memory doc: worker RSS peak",
            peak / 1e6,
            "MB",
            f"≤ {(budget + 100e6) / 1e6:.0f} MB",
            peak <= budget + 100e6,
            note=f"baseline {base / 1e6:.0f} MB, MAX_RUNS_BYTES {budget / 1e6:.0f} MB",
        )
        report(
            "fair",
            "memory doc: RSS after the run − baseline",
            (after - base) / 1e6,
            "MB",
            "≤ 20 MB",
            after - base <= 20e6,
        )


def bench_fds(times=100, together=20):
    print("(6b) fds: the 100-node document 100× in a row and 20 at once", flush=True)
    doc = big_doc(interval_ms=1000)
    with server(MAX_RUNS_PER_CLIENT=100, WS_MAX_PER_CLIENT=100) as srv:
        c = srv.client()
        bad = []
        for _ in range(times):
            msg = _start(c, doc)
            if msg["type"] != "started":
                bad.append(msg)
            c.send({"op": "stop"})
            c.recv_until(lambda m: m["type"] == "stopped", timeout=30)
        res = srv.resources()
        report(
            "fair",
            "fds: 100 runs in a row, not started",
            len(bad),
            "",
            "0",
            not bad,
            note=f"worker fds after: {res['fds']}",
        )
        pages = [srv.client() for _ in range(together)]
        outcomes = [_start(p, doc) for p in pages]
        res = srv.resources()
        started = sum(m["type"] == "started" for m in outcomes)
        named = all(m["type"] == "started" or "MAX_RUN" in m.get("message", "") for m in outcomes)
        emfile = any("Too many open files" in str(m) for m in outcomes)
        report(
            "fair",
            "fds: 20 at once, started",
            started,
            "runs",
            "20 or refused by name",
            named and not emfile,
            note=f"worker {res['fds']} fds, ledger {res['ledger'].get('run', {})}",
        )
        for p in pages + [c]:
            p.close()


def bench_hostile(seconds=15.0, hostile=30, normal=50):
    print(
        f"(6c) {hostile} hostile flat-out runs from 3 addresses next to {normal} normal pages",
        flush=True,
    )
    with server(TRUSTED_PROXIES=1, WS_MAX_PER_CLIENT=200, MAX_RUNS=300) as srv:
        pages, clocks = [], {}
        for i in range(normal):
            c = srv.client(headers=[("X-Forwarded-For", f"10.1.{i // 250}.{i % 250}")])
            msg = _start(c, pipeline(interval_ms=100, work_ms=10))
            assert msg["type"] == "started", msg
            pages.append((c, msg["run"]))
        # every hostile page connects first, then all ask at once (replies read below)
        hostile_pages = [
            srv.client(headers=[("X-Forwarded-For", f"10.66.0.{i % 3}")]) for i in range(hostile)
        ]
        for c in hostile_pages:
            c.send({"op": "start", "topology": big_doc()})
        bad = []
        for c in hostile_pages:
            _, msg = c.recv_until(lambda m: m["type"] in ("started", "invalid", "error"), 60)
            bad.append((c, msg))
        time.sleep(2.0)
        clocks = srv.resources()["run_clocks"]
        start = time.perf_counter()
        lat = []
        sel = selectors.DefaultSelector()
        for c, run_id in pages:
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, (c, clocks[run_id]))
        told = {id(c): (m["type"] != "started") for c, m in bad}
        for c, _m in bad:
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, (c, None))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                c, t0 = key.data
                try:
                    data = c.sock.recv(262144)
                except BlockingIOError:
                    continue
                if not data:
                    sel.unregister(c.sock)
                    continue
                c.conn.receive_data(data)
                for ev in c.conn.events():
                    c._handle(ev)
                now = time.perf_counter()
                while c.pending:
                    msg = c.pending.pop(0)
                    if t0 is None:
                        if msg["type"] == "notice":
                            told[id(c)] = True
                        continue
                    if msg["type"] != "events":
                        continue
                    for e in msg["events"]:
                        at = t0 + e["t"] / 1000.0
                        if e["ev"] in ("sent", "delivered") and at >= start:
                            lat.append((now - at) * 1000.0)
        sel.close()
        res = srv.resources()
        refused = sum(m["type"] != "started" for _c, m in bad)
        report(
            "fair",
            "hostile: normal pages' event latency p50",
            percentile(lat, 50),
            "ms",
            note=f"{len(lat):,} events",
        )
        p99 = percentile(lat, 99)
        report(
            "fair",
            "hostile: normal pages' event latency p99",
            p99,
            "ms",
            "≤ 50 ms",
            p99 <= 50.0,
            note=f"max {max(lat or [0]):.0f} ms",
        )
        report(
            "fair",
            "hostile runs told why they were limited",
            sum(told.values()),
            "runs",
            f"{hostile}",
            all(told.values()),
            note=f"{refused} refused at admission ({bad[-1][1].get('message', '')[:60]}…)",
        )
        report(
            "fair",
            "worker with it all",
            res["rss_bytes"] / 1e6,
            "MB",
            note=f"{res['fds']} fds, {res['runs']} runs",
        )
        for c, _ in pages:
            c.close()
        for c, _ in bad:
            c.close()


def bench(quick: bool = False) -> None:
    bench_fds(times=30 if quick else 100)
    bench_hostile(seconds=8.0 if quick else 15.0)
    bench_memory(seconds=10.0 if quick else 20.0)
