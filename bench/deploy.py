"""(deploy) docs/deploying.md under load: 200 pages through nginx (TLS) split over the two app
servers (two gevent workers each), one PostgreSQL; the p99 event latency a page sees.

The deployment is the tested one (tests/support/stack.py: the page's nginx config, environment
and Procfile line, placeholders filled); the bench raises only the per-client limits, since all
200 pages come from 127.0.0.1 (MAX_RUNS_PER_CLIENT, WS_MAX_PER_CLIENT).

Latency: an event's ``t`` is ms since its run started on the worker's clock, which a page
behind nginx cannot read. So each run's start is placed on the client's clock by its fastest
event (receipt − t, the smallest over the run): latency = receipt − (that start + t). The
figures are therefore low by the fastest event's own latency (the same for every event of a
run, well under a millisecond on one machine); what they show is the spread a page sees.
``python -m bench --only deploy``
"""

from __future__ import annotations

import selectors
import ssl
import sys
import time

from .common import ROOT, WsClient, percentile, pipeline, report

sys.path.insert(0, str(ROOT / "tests"))

from support.stack import deployment  # noqa: E402

PAGES = 200


def _metrics(url: str) -> dict:
    import urllib.request

    with urllib.request.urlopen(url + "/metrics", timeout=30) as r:
        text = r.read().decode()
    return {
        line.rsplit(" ", 1)[0]: float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line and not line.startswith("#")
    }


def _read(c) -> list:
    """Every complete message the TLS socket has for us now (non-blocking)."""
    while True:
        try:
            data = c.sock.recv(262144)
        except (BlockingIOError, ssl.SSLWantReadError):
            break
        if not data:
            raise ConnectionError("closed")
        c.conn.receive_data(data)
        for ev in c.conn.events():
            c._handle(ev)
        if not c.sock.pending():
            break
    out, c.pending = c.pending, []
    return out


def bench(quick: bool = False) -> None:
    pages = 60 if quick else PAGES
    seconds = 5.0 if quick else 15.0
    print(
        f"(deploy) {pages} pages through nginx (TLS) on 2 app servers x 2 workers, one "
        f"PostgreSQL; a 5-node pipeline at 10 msg/s per page",
        flush=True,
    )
    limits = {"MAX_RUNS_PER_CLIENT": "1000", "WS_MAX_PER_CLIENT": "1000", "MAX_RUNS": "1000"}
    t_up = time.monotonic()
    with deployment(extra_env=limits) as st:
        up = time.monotonic() - t_up
        clients, errors = [], []
        t_open = time.monotonic()
        for _ in range(pages):  # every page connects first (TLS, upgrade, hello) ...
            c = WsClient(st.url, ssl_context=st.ssl)
            assert c.recv()["type"] == "hello"
            clients.append(c)
        sel = selectors.DefaultSelector()
        offsets: dict = {}  # id(client) -> smallest (receipt - t) seen: its run's start
        samples: dict = {id(c): [] for c in clients}  # id(client) -> [(receipt, t)]
        started: set = set()
        for c in clients:  # ... then all start at once, and from now on every socket is read
            c.send({"op": "start", "topology": pipeline(interval_ms=100, work_ms=10)})
            c.sock.setblocking(False)
            sel.register(c.sock, selectors.EVENT_READ, c)

        def pump(until: float) -> None:
            while time.monotonic() < until:
                for key, _ in sel.select(timeout=0.2):
                    c = key.data
                    try:
                        msgs = _read(c)
                    except ConnectionError:
                        errors.append("closed")
                        sel.unregister(c.sock)
                        continue
                    now = time.perf_counter()
                    for msg in msgs:
                        if msg["type"] == "started":
                            started.add(id(c))
                        if msg["type"] in ("error", "invalid", "notice"):
                            errors.append(msg)
                        if msg["type"] != "events":
                            continue
                        for e in msg["events"]:
                            if e["ev"] in ("sent", "delivered"):
                                t = e["t"] / 1000.0
                                samples[id(c)].append((now, t))
                                off = offsets.get(id(c))
                                if off is None or now - t < off:
                                    offsets[id(c)] = now - t

        deadline = time.monotonic() + 60
        while len(started) < len(clients) and time.monotonic() < deadline and not errors:
            pump(time.monotonic() + 0.2)
        opened = time.monotonic() - t_open
        split = [int(_metrics(s.url)["zpg_runs"]) for s in st.servers]
        pump(time.monotonic() + 2.0)  # warm-up, read and left out
        start = time.perf_counter()
        pump(time.monotonic() + seconds)
        elapsed = time.perf_counter() - start
        sel.close()
        lat = [
            (now - (offsets[k] + t)) * 1000.0
            for k, pairs in samples.items()
            for now, t in pairs
            if offsets[k] + t >= start  # made after the window opened (not a backlog)
        ]
        after = [_metrics(s.url) for s in st.servers]
        for c in clients:
            c.close()
    report("deploy", "deployment up (PostgreSQL, 2 servers, nginx)", up, "s")
    report(
        "deploy",
        "pages running, split over the servers",
        len(started),
        "pages",
        f"{pages}",
        len(started) == pages,
        note=f"runs on A {split[0]}, on B {split[1]}; all up in {opened:.1f} s",
    )
    report(
        "deploy",
        "event latency p50 through nginx",
        percentile(lat, 50),
        "ms",
        note=f"{len(lat):,} events in {elapsed:.0f} s ({len(lat) / elapsed:,.0f}/s)",
    )
    report(
        "deploy",
        "event latency p99 through nginx",
        percentile(lat, 99),
        "ms",
        "≤ 100 ms",
        percentile(lat, 99) <= 100.0,
        note=f"max {max(lat or [0]):.1f} ms; hub lag at the end A "
        f"{after[0]['zpg_hub_lag_seconds'] * 1000:.0f} ms, B "
        f"{after[1]['zpg_hub_lag_seconds'] * 1000:.0f} ms (worst worker, last 2 s)",
    )
    report(
        "deploy",
        "events written to pages (zpg_events_total, both servers)",
        sum(m["zpg_events_total"] for m in after),
        "events",
    )
    report(
        "deploy", "errors", len(errors), "", "0", not errors, note="; ".join(map(str, errors[:3]))
    )
