"""Leak soak: 500 runs opened and closed over the websocket, half of them by an abrupt disconnect.
Afterwards the server holds what it held before (±2): fds, greenlets, zmq sockets, runs."""

import json
import threading
import time
import urllib.request

from support.robust import pair_doc, serve, started, stopped, ws

RUNS = 500
THREADS = 5


def test_500_runs_leave_nothing_behind():
    with serve(
        WS_COMMANDS_PER_SECOND=1000, MAX_RUNS_PER_CLIENT=100, WS_MAX_PER_CLIENT=100, TRACE_RATE=1000
    ) as srv:
        with urllib.request.urlopen(srv.url + "/api/presets/pipeline") as r:
            pipeline = json.load(r)["topology"]
        docs = [
            pair_doc("ipc", interval_ms=5),
            pair_doc("tcp", interval_ms=5),
            pair_doc("inproc", interval_ms=5),
            pipeline,
        ]
        # warm up (first imports, first context) before taking the baseline
        c = ws(srv)
        for d in docs:
            started(c, d)
            stopped(c)
        c.close()
        base = srv.wait_idle()
        done = {"abrupt": 0, "clean": 0}
        errors = []
        lock = threading.Lock()

        def worker(k):
            try:
                for i in range(k, RUNS // 2, THREADS):
                    # one run ended by an abrupt disconnect (no close frame, no stop)...
                    a = ws(srv)
                    started(a, docs[i % len(docs)])
                    if i % 3 == 0:
                        a.recv_until(lambda m: m["type"] == "events")
                    a.close()
                    # ...and one stopped the proper way on a socket that stays open a while
                    b = ws(srv)
                    started(b, docs[(i + 1) % len(docs)])
                    stopped(b)
                    b.close()
                    with lock:
                        done["abrupt"] += 1
                        done["clean"] += 1
            except Exception as err:  # reported below, with the thread's context
                errors.append(repr(err))

        t0 = time.monotonic()
        threads = [threading.Thread(target=worker, args=(k,)) for k in range(THREADS)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=300)
        elapsed = time.monotonic() - t0
        assert not errors, errors[:3]
        assert done == {"abrupt": RUNS // 2, "clean": RUNS // 2}
        after = srv.wait_idle(timeout=15)
        print(f"\n{RUNS} runs in {elapsed:.1f} s; before {base}; after {after}")
        assert after["runs"] == 0 and after["sessions"] == 0
        for key in ("fds", "greenlets", "zmq_sockets", "zmq_contexts", "threads", "tmp_run_dirs"):
            assert abs(after[key] - base[key]) <= 2, (key, base[key], after[key])
        # storage and ledger calls use gevent's pool: it may grow, never past its bound
        assert after["pool_threads"] <= after["pool_max"], after
        assert "Traceback" not in srv.log()
