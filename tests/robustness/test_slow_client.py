"""A page that never reads while its run produces events: the server's queue for it stays bounded,
another page's stream goes on whole, and the slow page is told events were left out.

The other page's latency used to be asserted here (p99 < max(50 ms, 5 × before)); it failed
about 1 run in 3 because it is a timing figure of a shared machine, not a behaviour. It is
measured by ``python -m bench --only fair`` ("slow page") and reported in docs/performance.md."""

import threading
import time

from support.robust import events_of, flood_doc, pair_doc, serve, started, stopped, ws

QUEUE = 2000


def read_for(client, seconds):
    """Every message ``client`` gets during ``seconds``."""
    seen = []
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            seen.append(client.recv(timeout=0.5))
        except TimeoutError:
            continue
    return seen


def test_a_page_that_never_reads():
    with serve(
        TRACE_RATE=1000000, WS_QUEUE_EVENTS=QUEUE, MAX_RUN_RATE=20000, WS_MAX_PER_CLIENT=100
    ) as srv:
        base_rss = srv.resources()["rss_bytes"]
        # the other page: 100 messages/s, every one traced
        other = ws(srv)
        started(other, pair_doc(interval_ms=10))
        read_for(other, 1.0)
        # the slow page: a tiny receive buffer, a flat-out run of 240-byte frames, no reading
        slow = ws(srv, rcvbuf=4096)
        slow.send({"op": "start", "topology": flood_doc()})
        queued, rss = [], []
        stop = threading.Event()

        def watch():
            while not stop.is_set():
                res = srv.resources()
                queued.append(res["queued_max"])
                rss.append(res["rss_bytes"])
                time.sleep(0.25)

        watcher = threading.Thread(target=watch)
        watcher.start()
        during = read_for(other, 4.0)
        stop.set()
        watcher.join()
        # bounded: the slow page's queue never holds more than its cap (+ control messages)
        assert max(queued) <= 2 * QUEUE + 50, max(queued)
        assert max(queued) >= QUEUE // 2, "the slow page did build a backlog"
        assert max(rss) - base_rss < 60 * 1024 * 1024, (max(rss) - base_rss) / 1e6
        # the other page did not notice: its stream went on, whole (nothing left out for it).
        # How fast it went on is a figure, not a test: python -m bench --only fair ("slow
        # page"), docs/performance.md
        batches = [m for m in during if m["type"] == "events"]
        assert batches and not any(m["sampled"] or m["skipped"] for m in batches)
        sent = [e["msg"] for e in events_of(during, "sent")]
        delivered = {e["msg"] for e in events_of(during, "delivered")}
        assert len(sent) > 100
        assert set(sent[:-20]) <= delivered  # every message it sent was reported delivered
        assert not any(m["type"] == "notice" for m in during)
        # the slow page starts reading: it is told, batches say sampled, stats still arrive
        seen, notice = slow.recv_until(
            lambda m: m["type"] == "notice" and m["code"] == "slow-client", timeout=30
        )
        assert "left out" in notice["message"]
        # before it, at most the slow start (it joined a running page: RUN_START_RATE)
        assert {m["code"] for m in seen if m["type"] == "notice"} <= {"starting", "slow-client"}
        assert any(m["type"] == "events" and m["sampled"] and m["skipped"] > 0 for m in seen)
        slow.recv_until(lambda m: events_of([m], "stats"), timeout=30)  # counters still come
        msg = stopped(slow, timeout=30)
        assert msg["totals"]["sockets"]["src.o"]["sent"] > QUEUE
        stopped(other)
        slow.close()
        other.close()
        assert srv.wait_idle()["runs"] == 0


def test_a_page_that_never_reads_is_dropped_after_the_send_timeout():
    with serve(TRACE_RATE=1000000, WS_QUEUE_EVENTS=QUEUE, WS_SEND_TIMEOUT=2) as srv:
        slow = ws(srv, rcvbuf=4096)
        slow.send({"op": "start", "topology": flood_doc()})
        deadline = time.monotonic() + 15
        while srv.resources()["runs"] == 0 and time.monotonic() < deadline:
            time.sleep(0.1)
        res = srv.wait_idle(timeout=15)
        assert res["runs"] == 0 and res["sessions"] == 0, res
        slow.close()
