"""One client's limits hold across both app servers of docs/deploying.md (the ledger in
PostgreSQL, app/web/ledger_pg.py): runs and websockets opened through nginx land on A and B and
are refused at the per-client limit exactly, naming the setting; a server killed with -9 gives
its places back as soon as the next lease is taken on its machine (docs/deploying.md)."""

from __future__ import annotations

import json
import os
import signal
import time

import psycopg
from deploy_helpers import LIMITS, STEPS, page, preset

CLIENT = "127.0.0.1"  # every page of these tests, as nginx's X-Forwarded-For says
RUNS = int(LIMITS["MAX_RUNS_PER_CLIENT"])
SOCKETS = int(LIMITS["WS_MAX_PER_CLIENT"])
UPGRADE = {
    "Upgrade": "websocket",
    "Connection": "Upgrade",
    "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
    "Sec-WebSocket-Version": "13",
}


def _ppid(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            return int(fh.read().rsplit(b")", 1)[1].split()[1])
    except (OSError, ValueError, IndexError):
        return None


def _leases(stack, kind: str) -> dict:
    """{"a": n, "b": n, "gone": n}: the client's leases of ``kind`` in the shared ledger, by the
    server whose worker holds them (the worker's parent is that server's gunicorn)."""
    masters = {s.proc.pid: s.name for s in stack.servers if s.proc.poll() is None}
    out = {"a": 0, "b": 0, "gone": 0}
    with psycopg.connect(stack.database_url) as db:
        rows = db.execute(
            "SELECT pid FROM zpg_leases WHERE kind = %s AND client = %s", (kind, CLIENT)
        ).fetchall()
    for (pid,) in rows:
        out[masters.get(_ppid(pid), "gone")] += 1
    return out


def _until_no_leases(stack) -> None:
    """Pages of earlier tests give their leases back as their sessions end."""
    deadline = time.monotonic() + 20
    while sum(_leases(stack, "ws").values()) + sum(_leases(stack, "run").values()):
        assert time.monotonic() < deadline, "leases of earlier tests were never given back"
        time.sleep(0.1)


def _start(c) -> dict:
    c.send({"op": "start", "topology": preset("pipeline")})
    _, msg = c.recv_until(lambda m: m["type"] in ("started", "error", "invalid"))
    return msg


def _runs_up_to_the_limit(stack) -> list:
    """Pages through nginx, each with a run, up to MAX_RUNS_PER_CLIENT (nginx alternates)."""
    pages = []
    for _ in range(RUNS):
        c, _ = page(stack)
        assert _start(c)["type"] == "started"
        pages.append(c)
    return pages


def test_one_client_is_refused_at_its_limits_across_both_servers(stack):
    _until_no_leases(stack)
    t0 = time.monotonic()
    pages = _runs_up_to_the_limit(stack)
    runs = _leases(stack, "run")
    assert runs["a"] >= 1 and runs["b"] >= 1 and runs["a"] + runs["b"] == RUNS, runs
    # the next run is refused on whichever server its page lands, naming the setting
    for _ in range(2):
        c, _ = page(stack)
        msg = _start(c)
        assert msg["type"] == "error", msg
        assert f"(MAX_RUNS_PER_CLIENT = {RUNS})" in msg["message"]
        assert f"already has {RUNS} runs open on this service's servers" in msg["message"]
        pages.append(c)
    assert _leases(stack, "run") == runs
    assert _leases(stack, "ws")["gone"] == 0
    # websockets up to WS_MAX_PER_CLIENT over both servers, then the upgrade is refused (429)
    while len(pages) < SOCKETS:
        pages.append(page(stack)[0])
    sockets = _leases(stack, "ws")
    assert sockets["a"] >= 1 and sockets["b"] >= 1 and sockets["a"] + sockets["b"] == SOCKETS
    for forged in ({}, {"X-Forwarded-For": "198.51.100.7"}):  # nginx overwrites a client's
        own = {"Origin": stack.url}  # the page's own
        status, _, body = stack.request("/ws", headers={**UPGRADE, **own, **forged})
        assert status == 429, body
        assert f"at most {SOCKETS} (WS_MAX_PER_CLIENT)" in json.loads(body)["error"]
    # a run stopped on one server is a place for the client on either
    pages[0].send({"op": "stop"})
    pages[0].recv_until(lambda m: m["type"] == "stopped")
    refused = pages[RUNS]
    assert _start(refused)["type"] == "started"
    for c in pages:
        c.close()
    STEPS.append(("one client at its limits over A and B", time.monotonic() - t0))


def test_a_server_killed_with_9_frees_its_leases(stack):
    _until_no_leases(stack)
    pages = _runs_up_to_the_limit(stack)
    held = _leases(stack, "run")
    assert held["a"] >= 1 and held["b"] >= 1, held
    a = stack.servers[0]
    master = a.proc.pid
    workers = [int(p) for p in open(f"/proc/{master}/task/{master}/children").read().split()]
    t0 = time.monotonic()
    os.kill(master, signal.SIGSTOP)  # it cannot start new workers meanwhile
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    os.kill(master, signal.SIGKILL)
    a.proc.wait()
    # nothing released A's leases: they are still in the ledger, their holders gone
    assert _leases(stack, "run") == {"a": 0, "b": held["b"], "gone": held["a"]}
    # the next run taken (on B, the only server left) drops them: the client gets every place
    # A held, and not one more
    for _ in range(held["a"]):
        c, _ = page(stack)
        assert _start(c)["type"] == "started"
        pages.append(c)
    assert _leases(stack, "run") == {"a": 0, "b": RUNS, "gone": 0}
    c, _ = page(stack)
    msg = _start(c)
    assert msg["type"] == "error" and "MAX_RUNS_PER_CLIENT" in msg["message"], msg
    pages.append(c)
    STEPS.append(("server a killed with -9: its places back on b", time.monotonic() - t0))
    for c in pages:
        try:
            c.close()
        except OSError:
            pass  # a page of the killed server
    t1 = time.monotonic()
    a.start()
    STEPS.append(("server a started again, ready", time.monotonic() - t1))
