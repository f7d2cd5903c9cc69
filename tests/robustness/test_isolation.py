"""RUN_ISOLATION=process: each run in a process of its own (app/web/remote.py,
app/engine/child.py). Real servers, real processes: a run's process killed with -9, a limit hit,
a process that stops answering, the worker's SIGTERM and kill -9. The page is always told why
its run stopped, and nothing is left behind (processes, temp dirs)."""

import os
import signal
import subprocess
import time

import pytest
from support.robust import flood_doc, pair_doc, serve, started, stopped, ws


def _children(pid: int) -> list[int]:
    out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    return [int(p) for p in out.split()]


def _run_processes(worker: int) -> list[int]:
    """The worker's children that are runs' processes."""
    found = []
    for pid in _children(worker):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as fh:
                if b"app.engine.child" in fh.read():
                    found.append(pid)
        except OSError:
            pass
    return found


def _gone(pid: int, timeout: float = 10.0) -> bool:
    """True once ``pid`` has exited (a zombie counts as gone: it holds nothing)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as fh:
                if fh.read().rsplit(")", 1)[1].split()[0] == "Z":
                    return True
        except OSError:
            return True
        time.sleep(0.05)
    return False


def _told_stopped(client, timeout=10.0) -> dict:
    """The ``stopped`` message of a run that stopped by itself (no ``stop`` sent)."""
    _, msg = client.recv_until(lambda m: m["type"] == "stopped", timeout=timeout)
    return msg


def _stats_with_deliveries(msg) -> bool:
    """A ``stats`` event whose counters show a delivered message."""
    events = msg.get("events", []) if msg["type"] == "events" else []
    return any(e["ev"] == "stats" and e["links"]["l1"]["delivered"] > 0 for e in events)


def _zpg_dirs(tmpdir: str) -> list[str]:
    return [n for n in os.listdir(tmpdir) if n.startswith("zpg-")]


def test_a_run_in_process_mode_runs_in_a_child_niced_below_its_worker():
    with serve(RUN_ISOLATION="process", RUN_NICE=7) as srv:
        worker = srv.resources()["pid"]
        c = ws(srv)
        started(c, pair_doc("ipc", interval_ms=5))
        [child] = _run_processes(worker)
        assert os.getpriority(os.PRIO_PROCESS, child) == os.getpriority(os.PRIO_PROCESS, worker) + 7
        limits = open(f"/proc/{child}/limits").read()
        assert "Max data size" in limits and "Max open files" in limits
        # the run's ipc sockets and its channel live in one dir named after the worker
        assert [d.split("-")[1] for d in _zpg_dirs(srv.tmpdir)] == [str(worker)]
        c.send({"op": "stop"})
        msg = stopped(c)
        assert msg["reason"] == "user" and msg["totals"]["links"]["l1"]["delivered"] > 0
        assert _gone(child)
        srv.wait_idle()
        assert _zpg_dirs(srv.tmpdir) == []
        c.close()


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_a_run_process_killed_with_9_stops_the_run_with_why_and_leaves_no_dir(transport):
    with serve(RUN_ISOLATION="process") as srv:
        worker = srv.resources()["pid"]
        c = ws(srv)
        started(c, pair_doc(transport, interval_ms=5))
        c.recv_until(lambda m: _stats_with_deliveries(m), timeout=10)
        [child] = _run_processes(worker)
        os.kill(child, signal.SIGKILL)
        msg = _told_stopped(c)
        assert msg["reason"] == "the run's process was killed (SIGKILL)"
        assert msg["totals"]["links"]["l1"]["delivered"] > 0  # the last counters it reported
        assert _gone(child)
        srv.wait_idle()
        assert _zpg_dirs(srv.tmpdir) == []
        # the page goes on: a new run starts and stops as usual
        started(c, pair_doc(transport, interval_ms=5))
        c.send({"op": "stop"})
        assert stopped(c)["reason"] == "user"
        c.close()


def test_a_run_at_its_cpu_limit_stops_naming_the_limit():
    with serve(RUN_ISOLATION="process", RUN_CPU_SECONDS=1) as srv:
        c = ws(srv)
        started(c, flood_doc())
        msg = _told_stopped(c, timeout=60)
        assert msg["reason"] == (
            "cpu limit: the run's process used its 1 s of CPU time (RLIMIT_CPU, RUN_CPU_SECONDS)"
        )
        assert msg["totals"]["links"]["l1"]["delivered"] > 0
        srv.wait_idle()
        assert _zpg_dirs(srv.tmpdir) == []
        c.close()


def test_a_run_over_its_memory_limit_is_refused_naming_the_limit():
    """RUN_MEMORY_MARGIN far below what the interpreter needs: the run's process cannot even
    start, and the page is told that the memory limit stopped it."""
    with serve(RUN_ISOLATION="process", RUN_MEMORY_MARGIN=-60 * 1024 * 1024) as srv:
        c = ws(srv)
        c.send({"op": "start", "topology": pair_doc("ipc")})
        _, msg = c.recv_until(lambda m: m["type"] in ("started", "error"), timeout=30)
        assert msg["type"] == "error", msg
        assert "RLIMIT_DATA" in msg["message"] and "RUN_MEMORY_MARGIN" in msg["message"]
        srv.wait_idle()
        assert _zpg_dirs(srv.tmpdir) == []
        c.close()


def test_stop_is_answered_when_the_run_process_does_not_answer():
    with serve(RUN_ISOLATION="process") as srv:
        worker = srv.resources()["pid"]
        c = ws(srv)
        started(c, pair_doc("ipc", interval_ms=5))
        [child] = _run_processes(worker)
        os.kill(child, signal.SIGSTOP)  # frozen: it reads nothing, answers nothing
        msg = stopped(c, timeout=30)
        assert msg["reason"].startswith("user (the run's process did not stop within")
        assert msg["reason"].endswith("and was killed)")
        assert _gone(child)
        srv.wait_idle()
        assert _zpg_dirs(srv.tmpdir) == []
        c.close()


def test_the_workers_sigterm_ends_its_run_processes():
    with serve(RUN_ISOLATION="process") as srv:
        worker = srv.resources()["pid"]
        clients = []
        for transport in ("ipc", "tcp", "inproc"):
            c = ws(srv)
            started(c, pair_doc(transport, interval_ms=5))
            clients.append(c)
        kids = _run_processes(worker)
        assert len(kids) == 3
        srv.proc.send_signal(signal.SIGTERM)
        for c in clients:
            msg = _told_stopped(c)
            assert msg["reason"] == "server shutting down"
        srv.proc.wait(timeout=30)
        assert all(_gone(k) for k in kids)
        assert _zpg_dirs(srv.tmpdir) == []
        for c in clients:
            c.close()


def test_a_worker_killed_with_9_takes_its_run_processes_with_it():
    with serve(RUN_ISOLATION="process") as srv:
        worker = srv.resources()["pid"]
        clients = []
        for transport in ("ipc", "tcp"):
            c = ws(srv)
            started(c, pair_doc(transport, interval_ms=5))
            clients.append(c)
        kids = _run_processes(worker)
        assert len(kids) == 2
        os.kill(worker, signal.SIGKILL)
        assert all(_gone(k) for k in kids)  # PR_SET_PDEATHSIG
        # the worker the master starts in its place sweeps the dead one's dir
        deadline = time.monotonic() + 30
        while _zpg_dirs(srv.tmpdir) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert _zpg_dirs(srv.tmpdir) == []
        for c in clients:
            c.close()
