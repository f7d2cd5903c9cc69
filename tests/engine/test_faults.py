"""Faults and stepping on a running topology; the monitor's connection events on the links."""

import gevent
from topo import doc, link, node, of, sock

from app.engine.run import Run


def _chain(transport="ipc", interval=10):
    return doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "connect")],
                socket="out",
                interval_ms=interval,
                frames=["m {n}"],
            ),
            node("dst", "sink", [sock("in", "PULL", "bind")], socket="in"),
        ],
        [link("l1", "src.out", "dst.in")],
        transport,
    )


def test_kill_and_restart_show_disconnect_and_reconnect():
    run = Run(_chain("tcp"), trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)
    assert run.kill_node("dst") is None
    gevent.sleep(0.4)
    before = run.links["l1"].delivered
    assert run.restart_node("dst") is None
    deadline = 50
    while run.socks["dst.in"].received == 0 and deadline:
        gevent.sleep(0.05)
        deadline -= 1
    gevent.sleep(0.3)
    run.stop()
    events, _, _ = run.events.drain()
    states = [e["state"] for e in of(events, "link")]
    i = states.index("disconnected")
    assert "connected" in states[:i] and "connected" in states[i:]
    nodes = [e["state"] for e in of(events, "node") if e["node"] == "dst"]
    assert "killed" in nodes and "restarted" in nodes
    assert run.socks["dst.in"].received > 0 and run.links["l1"].delivered > before


def test_unknown_targets_are_named():
    run = Run(_chain())
    run.start()
    assert "nope" in run.kill_node("nope")
    assert "zz" in run.cut_link("zz")
    assert "dst" in run.subscribe("dst", "in", "x")
    assert "delay" in run.delay_node("src", -1)
    run.stop()


def test_step_sends_exactly_one_message_per_step():
    run = Run(_chain(interval=1), trace_rate=1e9)
    run.start()
    gevent.sleep(0.1)
    run.pause()
    gevent.sleep(0.1)
    sent = run.socks["src.out"].sent
    for _ in range(3):
        run.step()
        gevent.sleep(0.05)
    assert run.socks["src.out"].sent == sent + 3
    gevent.sleep(0.1)
    assert run.socks["src.out"].sent == sent + 3
    run.resume()
    gevent.sleep(0.1)
    assert run.socks["src.out"].sent > sent + 10
    run.stop()


def test_cut_and_restore_a_link():
    run = Run(_chain(interval=2), trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)
    run.cut_link("l1")
    gevent.sleep(0.1)
    frozen = run.links["l1"].delivered
    gevent.sleep(0.3)
    assert run.links["l1"].delivered == frozen
    run.cut_link("l1", False)
    gevent.sleep(0.4)
    assert run.links["l1"].delivered > frozen
    run.stop()
    events, _, _ = run.events.drain()
    assert [e["state"] for e in of(events, "link") if e["state"] in ("cut", "restored")] == [
        "cut",
        "restored",
    ]


def test_subscribe_while_running():
    d = doc(
        [
            node(
                "p",
                "source",
                [sock("out", "PUB", "bind")],
                socket="out",
                interval_ms=2,
                topics=["a", "b"],
                frames=["{topic}", "{n}"],
            ),
            node("s", "sink", [sock("in", "SUB", "connect")], socket="in"),
        ],
        [link("l1", "s.in", "p.out")],
    )
    run = Run(d, trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)
    assert run.links["l1"].delivered == 0
    run.subscribe("s", "in", "a")
    gevent.sleep(0.3)
    got = run.links["l1"].delivered
    assert got > 0 and run.links["l1"].filtered > got
    run.stop()


def test_delay_slows_a_node():
    run = Run(_chain(interval=1), trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)
    run.delay_node("src", 100)
    gevent.sleep(0.15)
    n = run.socks["src.out"].sent
    gevent.sleep(0.5)
    assert run.socks["src.out"].sent - n <= 6
    run.stop()
