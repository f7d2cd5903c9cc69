"""SIGTERM: every page gets close 1001 (after its run's ``stopped``), the server exits within 5 s
and leaves nothing behind: no worker process, no run temp dir, no listening port."""

import os
import signal
import socket
import time
from urllib.parse import urlparse

import pytest
from support.robust import flood_doc, pair_doc, serve, started, ws


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_sigterm_closes_every_socket_with_1001_and_exits_quickly():
    with serve(TRACE_RATE=1000000, WS_QUEUE_EVENTS=2000) as srv:
        res = srv.resources()
        worker = res["pid"]
        clients = []
        for transport in ("ipc", "tcp", "inproc"):
            c = ws(srv)
            started(c, pair_doc(transport, interval_ms=5))
            clients.append((c, True))
        idle = ws(srv)  # a page without a run
        clients.append((idle, False))
        slow = ws(srv, rcvbuf=4096)  # a page that does not read, with a backlog
        slow.send({"op": "start", "topology": flood_doc()})
        time.sleep(1.0)
        assert srv.resources()["runs"] == 4
        assert os.listdir(srv.tmpdir), "ipc runs keep their sockets in the server's TMPDIR"
        t0 = time.monotonic()
        srv.proc.send_signal(signal.SIGTERM)
        for c, _had_run in clients:
            with pytest.raises(ConnectionError):
                seen, _ = c.recv_until(lambda m: False, timeout=5)
            assert c.closed is not None and c.closed.code == 1001, c.closed
        with pytest.raises(ConnectionError):
            slow.recv_until(lambda m: False, timeout=10)
        srv.proc.wait(timeout=10)
        exited = time.monotonic() - t0
        assert exited < 5.0, exited
        assert srv.proc.returncode == 0
        assert not _alive(worker)
        assert [n for n in os.listdir(srv.tmpdir) if n.startswith("zpg-")] == []
        u = urlparse(srv.url)
        with pytest.raises(OSError):
            socket.create_connection((u.hostname, u.port), timeout=1)
        log = srv.log()
        assert "Traceback" not in log and "graceful timeout" not in log.lower()
        for c, _ in clients:
            c.close()
        slow.close()


def test_pages_get_stopped_before_the_close():
    with serve() as srv:
        c = ws(srv)
        started(c, pair_doc(interval_ms=20))
        srv.proc.send_signal(signal.SIGTERM)
        seen = []
        with pytest.raises(ConnectionError):
            while True:
                msg = c.recv(timeout=5)
                if msg is None:
                    raise ConnectionError
                seen.append(msg)
        kinds = [m["type"] for m in seen]
        assert "stopped" in kinds
        stop = next(m for m in seen if m["type"] == "stopped")
        assert "shutting down" in stop["reason"]
        assert c.closed.code == 1001
        srv.proc.wait(timeout=10)
