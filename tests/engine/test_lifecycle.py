"""Runs start and stop cleanly: nothing of a stopped run survives (sockets, greenlets, fds)."""

import gc
import os
import time

import gevent
import pytest
import zmq
from topo import doc, link, node, run_until, sock

from app.engine.run import Run


def _open_fds():
    return len(os.listdir("/proc/self/fd"))


def _live_greenlets():
    gc.collect()
    return [g for g in gc.get_objects() if isinstance(g, gevent.Greenlet) and not g.dead]


def _open_zmq_sockets():
    gc.collect()
    return [s for s in gc.get_objects() if isinstance(s, zmq.Socket) and not s.closed]


def _pipeline(transport):
    nodes = [
        node("vent", "source", [sock("out", "PUSH", "bind")], socket="out", interval_ms=1),
        node("sink", "sink", [sock("in", "PULL", "bind")], socket="in"),
    ]
    links = []
    for i in (1, 2):
        nodes.append(
            node(
                f"w{i}",
                "worker",
                [sock("in", "PULL", "connect"), sock("out", "PUSH", "connect")],
                input="in",
                output="out",
                work_ms=5,
            )
        )
        links += [link(f"a{i}", f"w{i}.in", "vent.out"), link(f"b{i}", f"w{i}.out", "sink.in")]
    return doc(nodes, links, transport)


@pytest.mark.parametrize("transport", ["ipc", "tcp", "inproc"])
def test_stop_leaves_nothing_behind(transport):
    # the gevent hub (its libev loop: an epoll and an eventfd) is made on first use and lives as
    # long as the process: made here, so the baseline is taken with it and counts only the run
    gevent.sleep(0)
    before = (_open_fds(), len(_live_greenlets()), len(_open_zmq_sockets()))
    run = Run(_pipeline(transport))
    run.start()
    gevent.sleep(0.3)
    assert run.socks["sink.in"].received > 0
    assert len(_open_zmq_sockets()) > before[2]
    tmpdir = run.tmpdir
    t0 = time.perf_counter()
    run.stop()
    assert time.perf_counter() - t0 < 1.0
    after = (_open_fds(), len(_live_greenlets()), len(_open_zmq_sockets()))
    assert after == before
    assert tmpdir is None or not os.path.exists(tmpdir)


def test_many_runs_do_not_leak():
    base_fds, base_greenlets = _open_fds(), len(_live_greenlets())
    for _ in range(30):
        run = Run(_pipeline("ipc"))
        run.start()
        gevent.sleep(0.01)
        run.stop()
    assert _open_fds() == base_fds
    assert len(_live_greenlets()) == base_greenlets
    assert not _open_zmq_sockets()


def test_pause_holds_messages_and_resume_continues():
    d = _pipeline("ipc")
    run = Run(d, trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)
    run.pause()
    gevent.sleep(0.05)
    frozen = run.socks["sink.in"].received
    gevent.sleep(0.3)
    assert run.socks["sink.in"].received == frozen
    run.resume()
    gevent.sleep(0.2)
    assert run.socks["sink.in"].received > frozen
    run.stop()


def test_speed_scales_the_timers():
    def rate(speed):
        nodes = [
            node("s", "source", [sock("o", "PUSH", "bind")], socket="o", interval_ms=20),
            node("k", "sink", [sock("i", "PULL", "connect")], socket="i"),
        ]
        run, _ = run_until(
            doc(nodes, [link("l", "k.i", "s.o")]), lambda r: False, timeout=0.5, speed=speed
        )
        return run.links["l"].delivered

    fast, slow = rate(1.0), rate(0.1)
    assert fast >= 15  # ~25 at 20 ms
    assert slow <= 4  # ~2.5 at 200 ms
