"""What runs cost, budgeted (app/web/admission.py, ledger.py, fairshare.py): each limit refuses
or slows a run with a message naming its setting, and never takes the server down."""

from __future__ import annotations

import os
import re
import signal
import time

from support.robust import pair_doc, serve, started, stopped, ws

from app import create_app
from app.engine.budget import run_fds
from app.topology import prepare


def _start(client, doc):
    client.send({"op": "start", "topology": doc})
    _, msg = client.recv_until(lambda m: m["type"] in ("started", "invalid", "error"))
    return msg


def test_fd_budget_refuses_a_run_naming_the_limit():
    doc = pair_doc()
    cost = run_fds(prepare(doc)[0])
    fits = 3
    with serve(MAX_RUN_FDS=cost * fits + cost // 2, MAX_RUNS_PER_CLIENT=100) as srv:
        pages = [ws(srv) for _ in range(fits + 1)]
        for page in pages[:fits]:
            started(page, doc)
        msg = _start(pages[fits], doc)
        assert msg["type"] == "error" and "MAX_RUN_FDS" in msg["message"], msg
        assert f"needs {cost} file descriptors" in msg["message"]
        stopped(pages[0])  # its lease is given back: the next run fits again
        started(pages[fits], doc)
        assert srv.resources()["ledger"]["run"]["fds"] == cost * fits
        for page in pages:
            page.close()


def test_memory_budget_refuses_a_run_naming_the_limit():
    with serve(MAX_RUNS_BYTES=1_000_000) as srv:
        page = ws(srv)
        msg = _start(page, pair_doc())
        assert msg["type"] == "error" and "MAX_RUNS_BYTES" in msg["message"], msg
        page.close()


def test_expose_is_off_unless_the_operator_allows_it():
    doc = pair_doc(transport="tcp")
    doc["nodes"][0]["sockets"][0]["options"]["expose"] = True
    with serve() as srv:
        page = ws(srv)
        msg = _start(page, doc)
        assert msg["type"] == "invalid"
        assert any("allow_expose" in e["message"] and e["field"] == "expose" for e in msg["errors"])
        page.close()
    with serve(ALLOW_EXPOSE=1) as srv:
        page = ws(srv)
        msg = started(page, doc)
        assert msg["exposed"]["src.o"].startswith("tcp://127.0.0.1:")
        page.close()


def test_busy_worker_slows_runs_to_fair_shares_and_says_why():
    with serve(CPU_TARGET=0.05, MAX_RUN_RATE=0, TRACE_RATE=100) as srv:
        pages = [ws(srv) for _ in range(2)]  # shares are between runs: two flat-out ones
        for page in pages:
            started(page, pair_doc(interval_ms=0, frames=("x",)))
        for page in pages:
            seen, _ = page.recv_until(
                lambda m: m["type"] == "notice" and m["code"] == "busy", timeout=10
            )
            assert "CPU_TARGET" in seen[-1]["message"]
        for page in pages:
            page.close()


def test_a_lagging_hub_counts_as_busy_too():
    """With CPU_TARGET off, a hub that wakes its timers later than BUSY_LAG_MS (two flat-out
    runs make it lag more than 1 ms) slows the runs to fair shares and says why."""
    with serve(CPU_TARGET=0, BUSY_LAG_MS=1, MAX_RUN_RATE=0, TRACE_RATE=100) as srv:
        pages = [ws(srv) for _ in range(2)]
        for page in pages:
            started(page, pair_doc(interval_ms=0, frames=("x",)))
        for page in pages:
            seen, _ = page.recv_until(
                lambda m: m["type"] == "notice" and m["code"] == "busy", timeout=10
            )
            assert "BUSY_LAG_MS" in seen[-1]["message"]
        assert srv.resources()["share"]["capped"] >= 1
        for page in pages:
            page.close()


def test_a_run_joining_others_starts_slowly_and_says_why():
    """A run that starts beside another on the worker is held to RUN_START_RATE from its first
    message (its credit is granted before its nodes run), and its page is told; the quiet run
    beside it sends far below any share, so the worker is never called busy here."""
    with serve(RUN_START_RATE=100, MAX_RUN_RATE=0, TRACE_RATE=100) as srv:
        quiet, flat = ws(srv), ws(srv)
        started(quiet, pair_doc(interval_ms=1000))
        started(flat, pair_doc(interval_ms=0, frames=("x",)))
        seen, _ = flat.recv_until(
            lambda m: m["type"] == "notice" and m["code"] in ("starting", "busy"), timeout=10
        )
        note = seen[-1]
        assert note["code"] == note["key"] == "starting", note
        assert "RUN_START_RATE" in note["message"]
        # 100, or 100 doubled by the quiet quarter seconds before the governor's first check
        rate = int(re.search(r"may send (\d+) messages per second", note["message"])[1])
        assert rate % 100 == 0 and (rate // 100) & (rate // 100 - 1) == 0, rate
        assert note["vars"] == {"rate": rate}  # what the page words in its own language
        for page in (quiet, flat):
            page.close()


def test_a_killed_worker_leaves_no_temp_dir():
    with serve() as srv:
        page = ws(srv)
        started(page, pair_doc())
        assert [n for n in os.listdir(srv.tmpdir) if n.startswith("zpg-")]
        old = srv.resources()["pid"]
        os.kill(old, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while True:  # gunicorn starts a new worker, which cleans up after the dead one
            try:
                if srv.resources()["pid"] != old:
                    break
            except OSError:
                pass
            assert time.monotonic() < deadline, "no new worker"
            time.sleep(0.2)
        assert [n for n in os.listdir(srv.tmpdir) if n.startswith("zpg-")] == []
        assert srv.resources()["ledger"] == {}  # the dead worker's leases are gone too


def test_saves_are_limited_per_client(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "STORAGE_PATH": str(tmp_path / "s.sqlite3"),
            "LEDGER_PATH": str(tmp_path / "ledger.sqlite3"),
            "SAVES_PER_MINUTE": 2,
        }
    )
    c = app.test_client()
    doc = pair_doc()
    for n in range(2):
        doc["title"] = f"t{n}"
        assert c.post("/api/topologies", json=doc).status_code == 201
    r = c.post("/api/topologies", json=doc)
    assert r.status_code == 429 and "SAVES_PER_MINUTE" in r.get_json()["error"]
    app2 = create_app(
        {
            "TESTING": True,
            "STORAGE_PATH": str(tmp_path / "s.sqlite3"),
            "LEDGER_PATH": str(tmp_path / "ledger2.sqlite3"),
            "SAVE_BYTES_PER_HOUR": 500,
        }
    )
    r = app2.test_client().post("/api/topologies", json=doc)
    assert r.status_code == 429 and "SAVE_BYTES_PER_HOUR" in r.get_json()["error"]
