"""Live edits on real sockets: the plan from app.topology.diff applied to a running Run.

Each test checks what the sockets did (counters from real receipts), and where it helps, the
same operation on plain pyzmq sockets, so the engine is held to what libzmq does.
"""

import copy
import tempfile

import gevent
import pytest
import zmq
from topo import doc, link, node, of, sock

from app.engine.edits import apply_plan
from app.engine.run import Run
from app.topology import prepare
from app.topology.diff import plan


def _weather(transport="ipc", subs=("weather",)):
    return doc(
        [
            node(
                "pub",
                "source",
                [sock("out", "PUB", "bind")],
                socket="out",
                interval_ms=5,
                topics=["weather.seoul", "sports.kbo"],
                frames=["{topic}", "reading {n}"],
            ),
            node("a", "sink", [sock("in", "SUB", "connect", subscribe=list(subs))], socket="in"),
            node("b", "sink", [sock("in", "SUB", "connect", subscribe=[""])], socket="in"),
        ],
        [link("la", "a.in", "pub.out"), link("lb", "b.in", "pub.out")],
        transport,
    )


def _edit(run, fn):
    """Apply fn(copy of the running document) live, as the web command does."""
    new = copy.deepcopy(run.doc)
    fn(new)
    new, problems = prepare(new)
    assert not problems, problems
    changes = plan(run.doc, new)
    assert not changes["refused"]
    return apply_plan(run, new, changes)


def _wait(cond, timeout=5.0):
    while timeout > 0 and not cond():
        gevent.sleep(0.02)
        timeout -= 0.02
    return cond()


def _start(d):
    run = Run(d, trace_rate=1e9)
    run.start()
    return run


@pytest.mark.parametrize("transport", ["ipc", "tcp", "inproc"])
def test_deleting_a_subs_link_stops_its_receipts(transport):
    run = _start(_weather(transport))
    try:
        assert _wait(lambda: run.socks["b.in"].received > 10)
        done = _edit(run, lambda d: d["links"].remove(d["links"][1]))
        assert done == [{"change": "link removed", "target": "lb"}]
        gevent.sleep(0.1)  # what was already in b's queue may still arrive
        after = run.socks["b.in"].received
        a_before = run.socks["a.in"].received
        gevent.sleep(0.4)
        assert run.socks["b.in"].received == after  # nothing more comes over a removed link
        assert run.socks["a.in"].received > a_before  # the other subscriber goes on
        assert "lb" not in run.links and run.socks["b.in"].links == []
    finally:
        run.stop()
    events, _, _ = run.events.drain()
    assert {"ev": "link", "link": "lb", "state": "removed"}.items() <= of(events, "link")[
        -1
    ].items()


def test_plain_pyzmq_sub_that_disconnects_receives_nothing_more():
    """The reference: zmq_disconnect on a SUB ends its receipts (what 'link removed' does)."""
    ctx = zmq.Context()
    tmp = tempfile.mkdtemp()
    pub, sub = ctx.socket(zmq.PUB), ctx.socket(zmq.SUB)
    ep = f"ipc://{tmp}/p"
    pub.bind(ep)
    sub.setsockopt(zmq.SUBSCRIBE, b"")
    sub.connect(ep)
    got = 0
    try:
        for _ in range(200):
            pub.send(b"x")
            while sub.poll(5):
                sub.recv()
                got += 1
            if got > 5:
                break
        assert got > 5
        sub.disconnect(ep)
        gevent.sleep(0.1)
        while sub.poll(50):
            sub.recv()
        for _ in range(50):
            pub.send(b"x")
        assert sub.poll(200) == 0
    finally:
        pub.close(0)
        sub.close(0)
        ctx.term()


@pytest.mark.parametrize("transport", ["ipc", "inproc"])
def test_subscribing_live_brings_that_prefix(transport):
    run = _start(_weather(transport, subs=("weather",)))
    try:
        assert _wait(lambda: run.links["la"].delivered > 5)
        assert run.links["la"].filtered > 0  # sports is filtered at the publisher
        done = _edit(
            run, lambda d: d["nodes"][1]["sockets"][0]["options"]["subscribe"].append("sports")
        )
        assert {"change": "subscribed", "target": "a.in", "detail": "sports"} in done
        gevent.sleep(0.2)  # the subscription travels upstream to the PUB
        filtered = run.links["la"].filtered
        delivered = run.links["la"].delivered
        gevent.sleep(0.4)
        assert run.links["la"].filtered == filtered  # nothing filtered any more
        assert run.links["la"].delivered > delivered
        assert run.socks["a.in"].subs == (b"weather", b"sports")
        # and the other way round: unsubscribe both, nothing more arrives
        _edit(run, lambda d: d["nodes"][1]["sockets"][0]["options"].update(subscribe=[]))
        gevent.sleep(0.3)
        now = run.links["la"].delivered
        gevent.sleep(0.3)
        assert run.links["la"].delivered == now
    finally:
        run.stop()
    states = [e["state"] for e in of(run.events.drain()[0], "node") if e["node"] == "a"]
    assert "subscribed" in states and "unsubscribed" in states


def _pipeline(transport="ipc"):
    return doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "bind")],
                socket="out",
                interval_ms=5,
                frames=["m {n}"],
            ),
            node("w1", "sink", [sock("in", "PULL", "connect")], socket="in"),
        ],
        [link("l1", "w1.in", "src.out")],
        transport,
    )


@pytest.mark.parametrize("transport", ["ipc", "tcp"])
def test_adding_a_node_and_a_link_live_connects_them(transport):
    run = _start(_pipeline(transport))
    try:
        assert _wait(lambda: run.socks["w1.in"].received > 3)

        def add(d):
            d["nodes"].append(node("w2", "sink", [sock("in", "PULL", "connect")], socket="in"))
            d["links"].append(link("l2", "w2.in", "src.out"))

        done = _edit(run, add)
        assert [c["change"] for c in done] == ["link added", "node added"]
        assert _wait(lambda: run.socks["w2.in"].received > 3)
        assert run.links["l2"].delivered == run.socks["w2.in"].received
        # the first sink still has its own link's exact count
        assert run.links["l1"].delivered == run.socks["w1.in"].received
    finally:
        run.stop()
    events = run.events.drain()[0]
    assert [e["state"] for e in of(events, "link") if e["link"] == "l2"][:1] == ["added"]
    assert "connected" in [e["state"] for e in of(events, "link") if e["link"] == "l2"]


def test_removing_a_node_closes_it_and_its_links():
    run = _start(_pipeline())
    try:
        assert _wait(lambda: run.socks["w1.in"].received > 3)

        def drop(d):
            d["nodes"] = d["nodes"][:1]
            d["links"] = []

        done = _edit(run, drop)
        assert {"change": "node removed", "target": "w1"} in done
        assert "w1" not in run.nodes and "w1.in" not in run.socks and not run.links
        assert run.totals()["links"] == {}
    finally:
        run.stop()


def test_sndhwm_applies_at_once_and_immediate_recreates_the_socket():
    run = _start(_pipeline())
    try:
        assert _wait(lambda: run.socks["w1.in"].received > 2)
        z = run.socks["src.out"].zsock
        done = _edit(run, lambda d: d["nodes"][0]["sockets"][0]["options"].update(sndhwm=7))
        assert done == [{"change": "option", "target": "src.out", "detail": "sndhwm = 7"}]
        assert run.socks["src.out"].zsock is z and z.getsockopt(zmq.SNDHWM) == 7
        done = _edit(run, lambda d: d["nodes"][0]["sockets"][0]["options"].update(immediate=True))
        assert (
            done[0]["change"] == "sockets re-created" and "before bind/connect" in done[0]["detail"]
        )
        fresh = run.socks["src.out"].zsock
        assert fresh is not z and fresh.getsockopt(zmq.IMMEDIATE) == 1
        assert fresh.getsockopt(zmq.SNDHWM) == 7
        n = run.socks["w1.in"].received
        assert _wait(lambda: run.socks["w1.in"].received > n + 3)  # same endpoint, same link
    finally:
        run.stop()


def test_rate_and_template_change_in_place():
    run = _start(_pipeline())
    try:
        assert _wait(lambda: run.socks["w1.in"].received > 2)
        g = list(run.nodes["src"].greenlets)
        done = _edit(
            run, lambda d: d["nodes"][0]["behaviour"].update(interval_ms=200, frames=["slow {n}"])
        )
        assert done == [{"change": "behaviour", "target": "src"}]
        assert run.nodes["src"].greenlets == g  # not restarted
        gevent.sleep(0.25)
        n = run.socks["w1.in"].received
        gevent.sleep(0.5)
        assert run.socks["w1.in"].received - n <= 4  # 200 ms apart now, not 5
    finally:
        run.stop()
    bodies = [e["frames"][0] for e in of(run.events.drain()[0], "delivered")]
    assert bodies[0].startswith("m ") and bodies[-1].startswith("slow ")


def test_a_field_read_at_start_restarts_the_node():
    run = _start(_pipeline())
    try:
        assert _wait(lambda: run.socks["w1.in"].received > 2)
        done = _edit(run, lambda d: d["nodes"][0]["behaviour"].update(start_delay_ms=10))
        assert done == [
            {
                "change": "node restarted",
                "target": "src",
                "detail": "start_delay_ms: read when the node starts",
            }
        ]
        n = run.socks["w1.in"].received
        assert _wait(lambda: run.socks["w1.in"].received > n + 3)
    finally:
        run.stop()


def test_changing_the_transport_is_refused_with_why():
    old = _pipeline("ipc")
    new = copy.deepcopy(old)
    new["transport"] = "tcp"
    changes = plan(old, new)
    assert changes["refused"][0]["field"] == "transport"
    assert "restarts" in changes["refused"][0]["message"]
