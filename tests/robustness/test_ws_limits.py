"""Websocket limits against the real server: Origin, connections and runs per client, total runs
with idle runs reclaimed first, run duration, message rate, inbound command rate. Each refusal
names its setting."""

import socket
import time
from urllib.parse import urlparse

import pytest
from support.robust import events_of, pair_doc, serve, started, stopped, ws


def upgrade_status(url, origin=None, host=None, extra=()):
    """The HTTP status of a websocket upgrade request with this Origin."""
    u = urlparse(url)
    s = socket.create_connection((u.hostname, u.port), timeout=5)
    lines = [
        "GET /ws HTTP/1.1",
        f"Host: {host or u.netloc}",
        "Upgrade: websocket",
        "Connection: Upgrade",
        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==",
        "Sec-WebSocket-Version: 13",
        *extra,
    ]
    if origin is not None:
        lines.append(f"Origin: {origin}")
    s.sendall(("\r\n".join(lines) + "\r\n\r\n").encode())
    head = b""
    while b"\r\n" not in head:
        chunk = s.recv(4096)
        if not chunk:
            break
        head += chunk
    s.close()
    return int(head.split()[1])


def test_origin_check():
    with serve() as srv:
        u = urlparse(srv.url)
        assert upgrade_status(srv.url, origin=f"http://{u.netloc}") == 101
        assert upgrade_status(srv.url, origin=f"https://{u.netloc}") == 101  # behind TLS proxy
        for bad in (
            None,
            "null",
            "",
            "http://evil.example",
            f"http://{u.hostname}",
            f"http://{u.netloc}.evil.example",
            "file://",
            f"http://{u.netloc}/path",
            "javascript:alert(1)",
        ):
            assert upgrade_status(srv.url, origin=bad) == 403, bad
        # the Host header decides what "same site" is
        assert upgrade_status(srv.url, origin="http://play.example", host="play.example") == 101
    with serve(ALLOWED_ORIGINS="https://partner.example, http://other.example") as srv:
        assert upgrade_status(srv.url, origin="https://partner.example") == 101
        assert upgrade_status(srv.url, origin="http://other.example/") == 101
        assert upgrade_status(srv.url, origin="https://evil.example") == 403
    with serve(ALLOWED_ORIGINS="*") as srv:
        assert upgrade_status(srv.url, origin=None) == 101
        assert upgrade_status(srv.url, origin="https://anything.example") == 101


def test_refusal_body_names_the_setting():
    with serve() as srv:
        u = urlparse(srv.url)
        s = socket.create_connection((u.hostname, u.port), timeout=5)
        s.sendall(
            f"GET /ws HTTP/1.1\r\nHost: {u.netloc}\r\nUpgrade: websocket\r\n"
            "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
            "Sec-WebSocket-Version: 13\r\nOrigin: http://evil.example\r\n"
            "Connection: close\r\n\r\n".encode()
        )
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
        assert b" 403 " in data.split(b"\r\n")[0] and b"ALLOWED_ORIGINS" in data


def _client(srv, who):
    return ws(srv, headers=[("X-Forwarded-For", who)])


def test_connections_runs_per_client_and_total_with_idle_reclaim():
    with serve(
        TRUSTED_PROXIES=1,
        WS_MAX_PER_CLIENT=3,
        MAX_RUNS_PER_CLIENT=2,
        MAX_RUNS=3,
        RUN_IDLE_SECONDS=1.5,
    ) as srv:
        a = [_client(srv, "10.0.0.1") for _ in range(3)]
        with pytest.raises(ConnectionError):  # a 4th socket from the same address
            ws(srv, headers=[("X-Forwarded-For", "10.0.0.1")])
        assert (
            upgrade_status(
                srv.url,
                origin=f"http://{urlparse(srv.url).netloc}",
                extra=["X-Forwarded-For: 10.0.0.1"],
            )
            == 429
        )
        quiet = pair_doc(interval_ms=60000)  # one message, then nothing for a minute
        started(a[0], quiet)
        started(a[1], quiet)
        a[2].send({"op": "start", "topology": pair_doc()})
        _, msg = a[2].recv_until(lambda m: m["type"] in ("started", "error"))
        assert msg["type"] == "error" and "MAX_RUNS_PER_CLIENT" in msg["message"]
        b = _client(srv, "10.0.0.2")
        started(b, pair_doc(interval_ms=100))  # the 3rd run: the total is now full; it works
        c = _client(srv, "10.0.0.3")
        c.send({"op": "start", "topology": pair_doc()})
        _, msg = c.recv_until(lambda m: m["type"] in ("started", "error"))
        assert msg["type"] == "error" and "MAX_RUNS" in msg["message"]
        time.sleep(1.6)  # a's runs have done nothing for 1.6 s; b's sends 10 messages a second
        for _ in range(3):  # a page's commands do not make its run active
            a[0].send({"op": "ping"})
            a[0].recv_until(lambda m: m["type"] == "pong")
        started(c, pair_doc())  # reclaims a[0]'s run (idle the longest), never b's
        _, gone = a[0].recv_until(lambda m: m["type"] == "stopped")
        assert "reclaimed" in gone["reason"] and "MAX_RUNS" in gone["reason"]
        assert srv.resources()["runs"] == 3
        for client in a + [b, c]:
            client.close()
        assert srv.wait_idle()["runs"] == 0


def test_forwarded_for_is_ignored_without_a_trusted_proxy():
    with serve(MAX_RUNS_PER_CLIENT=1) as srv:
        first = _client(srv, "10.0.0.1")
        started(first, pair_doc())
        forged = _client(srv, "10.9.9.9")  # another address, written by the client itself
        forged.send({"op": "start", "topology": pair_doc()})
        _, msg = forged.recv_until(lambda m: m["type"] in ("started", "error"))
        assert msg["type"] == "error" and "MAX_RUNS_PER_CLIENT" in msg["message"]
        first.close()
        forged.close()


def test_two_workers_share_one_clients_limits():
    with serve(workers=2, MAX_RUNS_PER_CLIENT=2, WS_MAX_PER_CLIENT=100) as srv:
        pages, pids = [], set()
        # new connections land on either worker: open pages until both workers hold runs
        while len(pids) < 2 and len(pages) < 40:
            c = ws(srv)
            pages.append(c)
            pids.add(srv.resources()["pid"])
        held = []
        for c in pages:
            c.send({"op": "start", "topology": pair_doc()})
            _, msg = c.recv_until(lambda m: m["type"] in ("started", "error"))
            held.append(msg["type"])
        assert len(pids) == 2
        assert held.count("started") == 2, held  # two in all, not two per worker
        refused = [m for m in held if m == "error"]
        assert len(refused) == len(pages) - 2
        for c in pages:
            c.close()


def test_run_duration_limit():
    with serve(MAX_RUN_SECONDS=1) as srv:
        c = ws(srv)
        started(c, pair_doc(interval_ms=50))
        _, msg = c.recv_until(lambda m: m["type"] == "stopped", timeout=5)
        assert "MAX_RUN_SECONDS" in msg["reason"] and msg["totals"]["links"]["l1"]["delivered"] > 0
        c.close()


def test_message_rate_per_run_is_held_to_the_limit():
    with serve(MAX_RUN_RATE=2000, TRACE_RATE=100) as srv:
        c = ws(srv)
        started(c, pair_doc(interval_ms=0, frames=("x",)))
        t0 = time.monotonic()
        seen, _ = c.recv_until(lambda m: m["type"] == "notice" and m["code"] == "rate-limit")
        assert "MAX_RUN_RATE" in seen[-1]["message"]
        time.sleep(3.0)
        msg = stopped(c)
        elapsed = time.monotonic() - t0
        sent = msg["totals"]["sockets"]["src.o"]["sent"]
        # on top of the rate: a quarter second of burst, plus what a flat-out source sends
        # between two checks of the governor (5 ms: ~1.5 k messages here)
        assert sent <= 2000 * elapsed + 6000, (sent, elapsed)
        assert sent >= 2000 * elapsed * 0.5, (sent, elapsed)
        c.close()


def test_user_pause_survives_the_rate_governor():
    with serve(MAX_RUN_RATE=500, TRACE_RATE=100) as srv:
        c = ws(srv)
        started(c, pair_doc(interval_ms=0, frames=("x",)))
        c.recv_until(lambda m: m["type"] == "notice")
        c.send({"op": "pause"})
        _, st = c.recv_until(lambda m: m["type"] == "state")
        assert st["paused"] is True
        time.sleep(1.0)  # several governor rounds: it must not resume a paused run
        seen = []
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            try:
                seen.append(c.recv(timeout=0.2))
            except TimeoutError:
                pass
        stats = [e for e in events_of(seen, "stats")]
        if len(stats) >= 2:
            assert stats[0]["sockets"]["src.o"]["sent"] == stats[-1]["sockets"]["src.o"]["sent"]
        c.close()


def test_inbound_command_rate():
    with serve(WS_COMMANDS_PER_SECOND=10) as srv:
        c = ws(srv)
        for _ in range(60):
            c.send({"op": "ping"})
        seen = []
        try:
            while True:
                seen.append(c.recv(timeout=1))
        except TimeoutError:
            pass
        pongs = [m for m in seen if m["type"] == "pong"]
        errors = [m for m in seen if m["type"] == "error"]
        assert 15 <= len(pongs) <= 30
        assert len(errors) == 1 and "WS_COMMANDS_PER_SECOND" in errors[0]["message"]
        assert c.closed is None
        time.sleep(1.0)
        c.send({"op": "ping"})
        assert c.recv()["type"] == "pong"  # the bucket refills: the socket is fine
        # a flood (far beyond the rate) closes the socket with 1008
        for _ in range(400):
            c.send({"op": "ping"})
        with pytest.raises(ConnectionError):
            c.recv_until(lambda m: False, timeout=5)
        assert c.closed is not None and c.closed.code == 1008
