"""(2) The event stream to one websocket client, and (3) 100 concurrent runs on one worker.

Latency is measured on the server's own clock: an event's ``t`` is milliseconds since its run's
start (``perf_counter`` in the worker); ``/api/debug/resources`` gives each run's start on that
clock, and ``perf_counter`` is CLOCK_MONOTONIC, shared by every process of the machine. So
latency = client's perf_counter at receipt − (run start + t): from the moment the node's send
returned to the moment the client parsed the frame.
"""

from __future__ import annotations

import selectors
import time

from .common import percentile, pipeline, push_pull, report, server

MESSAGE_EVENTS = ("sent", "delivered")


def about_1k_per_second():
    """Two sources (1 ms and 2 ms intervals: gevent's timers give ~0.7 k/s + ~0.4 k/s) into
    one sink over ipc."""
    doc = push_pull("ipc", interval_ms=1, frames=("a {n}",))
    doc["nodes"][1]["sockets"][0]["mode"] = "bind"
    doc["nodes"][0]["sockets"][0]["mode"] = "connect"
    doc["links"] = [
        {
            "id": "l1",
            "connect": {"node": "src", "socket": "o"},
            "bind": {"node": "dst", "socket": "i"},
        },
        {
            "id": "l2",
            "connect": {"node": "src2", "socket": "o"},
            "bind": {"node": "dst", "socket": "i"},
        },
    ]
    doc["nodes"].append(
        {
            "id": "src2",
            "kind": "source",
            "sockets": [{"name": "o", "type": "PUSH", "mode": "connect"}],
            "behaviour": {"socket": "o", "interval_ms": 2, "frames": ["b {n}"]},
        }
    )
    return doc


def _count_events(client, seconds):
    """Events and left-out events received in ``seconds`` (after a 1 s warm-up)."""
    end_warm = time.monotonic() + 1.0
    while time.monotonic() < end_warm:
        client.recv(timeout=5)
    events = skipped = frames = 0
    t0 = time.perf_counter()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        msg = client.recv(timeout=5)
        if msg.get("type") == "events":
            frames += 1
            events += len(msg["events"])
            skipped += msg["skipped"]
    dt = time.perf_counter() - t0
    return events / dt, skipped / dt, frames / dt


def _latencies(srv, client, run_id, seconds, kinds=MESSAGE_EVENTS):
    t0 = srv.resources()["run_clocks"][run_id]
    lat = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        msg = client.recv(timeout=5)
        now = time.perf_counter()
        if msg.get("type") != "events":
            continue
        for e in msg["events"]:
            if e["ev"] in kinds:
                lat.append((now - (t0 + e["t"] / 1000.0)) * 1000.0)
    return lat


def bench_python_client(seconds: float) -> None:
    print("(2) event stream to one websocket client", flush=True)
    env = {"TRACE_RATE": 1e9, "MAX_RUN_RATE": 0, "WS_QUEUE_EVENTS": 50000}
    with server(**env) as srv:
        trials = []
        for _ in range(3):  # a fresh page and run each time; the median is reported
            c = srv.client()
            c.send({"op": "start", "topology": push_pull("inproc", frames=("m {n}",))})
            c.recv_until(lambda m: m["type"] == "started")
            trials.append(_count_events(c, seconds))
            c.close()
            time.sleep(0.5)
        trials.sort()
        rate, skipped, frames = trials[1]
        report(
            "stream",
            "events/s received by a Python client (every message traced)",
            rate,
            "events/s",
            "≥ 150k",
            rate >= 150_000,
            note=f"median of 3; {frames:,.0f} frames/s, {skipped:,.0f} left out/s; "
            f"trials {', '.join(f'{t[0] / 1000:.0f}k' for t in trials)}",
        )
        # send → client latency at 1 k messages/s, every message traced
        c = srv.client()
        c.send({"op": "start", "topology": about_1k_per_second()})
        _, started = c.recv_until(lambda m: m["type"] == "started")
        _latencies(srv, c, started["run"], 1.0)  # warm-up
        lat = _latencies(srv, c, started["run"], seconds, kinds=("sent",))
        rate = len(lat) / seconds
        p50, p99 = percentile(lat, 50), percentile(lat, 99)
        report(
            "stream",
            "send → client latency p50 at 1 k msg/s",
            p50,
            "ms",
            "",
            note=f"{len(lat):,} messages, {rate:,.0f}/s",
        )
        report(
            "stream",
            "send → client latency p99 at 1 k msg/s",
            p99,
            "ms",
            "≤ 5 ms",
            p99 <= 5.0,
            note=f"max {max(lat):.2f} ms",
        )
        c.close()


def bench_concurrent(runs: int, seconds: float) -> None:
    print(
        f"(3) {runs} concurrent runs of a 5-node pipeline at 10 msg/s each, one gevent worker",
        flush=True,
    )
    env = {"MAX_RUNS_PER_CLIENT": runs * 2, "WS_MAX_PER_CLIENT": runs * 2, "MAX_RUNS": runs * 2}
    with server(**env) as srv:
        clients, run_ids = [], []
        errors = []
        for _ in range(runs):
            c = srv.client()
            c.send({"op": "start", "topology": pipeline(interval_ms=100, work_ms=10)})
            _, msg = c.recv_until(lambda m: m["type"] in ("started", "invalid", "error"))
            if msg["type"] != "started":
                errors.append(msg)
                continue
            clients.append(c)
            run_ids.append(msg["run"])
        res_before = srv.resources()  # (a full gc in the worker: keep it out of the window)
        clocks = res_before["run_clocks"]
        time.sleep(1.0)
        start = time.perf_counter()  # only events sent from now on are counted
        # one thread reads every socket (a selector): no client-side thread scheduling in the
        # figures; a message's latency is taken when its frame is parsed
        lat_all: list[float] = []
        per_run = {id(c): 0 for c in clients}
        sel = selectors.DefaultSelector()
        for c, run_id in zip(clients, run_ids, strict=True):
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, (c, clocks[run_id]))
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for key, _ in sel.select(timeout=0.5):
                c, t0 = key.data
                try:
                    data = c.sock.recv(262144)
                except BlockingIOError:
                    continue
                if not data:
                    errors.append("closed")
                    sel.unregister(c.sock)
                    continue
                c.conn.receive_data(data)
                for ev in c.conn.events():
                    c._handle(ev)
                now = time.perf_counter()
                while c.pending:
                    msg = c.pending.pop(0)
                    if msg["type"] in ("error", "invalid", "notice"):
                        errors.append(msg)
                    if msg["type"] != "events":
                        continue
                    for e in msg["events"]:
                        at = t0 + e["t"] / 1000.0
                        if e["ev"] in ("sent", "delivered") and at >= start:
                            lat_all.append((now - at) * 1000.0)
                            per_run[id(c)] += 1
        sel.close()
        counts = list(per_run.values())
        res = srv.resources()
        for c in clients:
            c.close()
        p50, p99 = percentile(lat_all, 50), percentile(lat_all, 99)
        report(
            "concurrent",
            "runs started / running",
            len(clients),
            "runs",
            f"{runs}",
            len(clients) == runs and res_before["runs"] == runs,
        )
        report(
            "concurrent",
            "event latency p50",
            p50,
            "ms",
            note=f"{len(lat_all):,} events in {seconds:g} s "
            f"({len(lat_all) / seconds:,.0f}/s), min per run {min(counts or [0])}",
        )
        report(
            "concurrent",
            "event latency p99",
            p99,
            "ms",
            "≤ 100 ms",
            p99 <= 100.0,
            note=f"max {max(lat_all or [0]):.1f} ms",
        )
        report(
            "concurrent",
            "errors",
            len(errors),
            "",
            "0",
            not errors,
            note="; ".join(map(str, errors[:3])),
        )
        report(
            "concurrent",
            "worker RSS with the runs open",
            res["rss_bytes"] / 1e6,
            "MB",
            note=f"{res['threads']} threads, {res['fds']} fds, {res['zmq_sockets']} sockets",
        )


def bench(quick: bool = False) -> None:
    bench_python_client(3.0 if quick else 5.0)
    bench_concurrent(100, 10.0 if quick else 20.0)
