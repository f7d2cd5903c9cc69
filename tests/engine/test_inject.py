"""Inject on real sockets: a message sent now from any socket is observed like any other send
(sent, then delivered / filtered / dropped); libzmq's refusals come back as error events with
libzmq's own names; bad commands are refused naming the field, and nothing is sent."""

import gevent
from topo import doc, link, node, of, sock

from app.engine.run import Run

QUIET = 600_000  # a start delay (the longest allowed) that keeps a node quiet during a test


def _router_dealer(transport="ipc"):
    return doc(
        [
            node(
                "r",
                "source",
                [sock("rt", "ROUTER", "bind")],
                socket="rt",
                interval_ms=1000,
                start_delay_ms=QUIET,
            ),
            node("d", "sink", [sock("in", "DEALER", "connect", routing_id="d1")], socket="in"),
        ],
        [link("l1", "d.in", "r.rt")],
        transport,
    )


def _wait(cond, timeout=3.0):
    while timeout > 0 and not cond():
        gevent.sleep(0.02)
        timeout -= 0.02
    return cond()


def test_a_multipart_message_injected_on_a_router_reaches_the_dealer_by_its_routing_id():
    for transport in ("ipc", "tcp", "inproc"):
        run = Run(_router_dealer(transport), trace_rate=1e9)
        run.start()
        res = run.inject("r", "rt", ["d1", "hello", {"hex": "00ff"}])
        assert res["sent"] == 1 and res["error"] is None, res
        assert _wait(lambda r=run: r.socks["d.in"].received == 1)
        run.stop()
        events, _, _ = run.events.drain()
        (sent,) = of(events, "sent")
        assert sent["node"] == "r" and sent["frames"] == ["d1", "hello", {"hex": "00ff"}]
        (got,) = of(events, "delivered")
        assert got["to"] == "d.in" and got["frames"] == ["hello", {"hex": "00ff"}], transport
        assert got["msg"] == sent["msg"] == res["msgs"][0]
        assert run.links["l1"].delivered == 1


def test_a_router_inject_to_an_unknown_routing_id_is_dropped_unroutable():
    run = Run(_router_dealer(), trace_rate=1e9)
    run.start()
    res = run.inject("r", "rt", ["nobody", "x"])
    gevent.sleep(0.2)
    run.stop()
    events, _, _ = run.events.drain()
    assert res["sent"] == 1
    assert [e["reason"] for e in of(events, "dropped")] == ["unroutable"]
    assert run.socks["d.in"].received == 0


def test_req_state_machine_refuses_a_second_send_with_efsm():
    d = doc(
        [
            node(
                "c",
                "source",
                [sock("req", "REQ", "connect")],
                socket="req",
                interval_ms=1000,
                start_delay_ms=QUIET,
            ),
            node("s", "replier", [sock("rep", "REP", "bind")], socket="rep"),
        ],
        [link("l1", "c.req", "s.rep")],
    )
    run = Run(d, trace_rate=1e9)
    run.start()
    first = run.inject("c", "req", ["ping"])
    second = run.inject("c", "req", ["again"])
    assert _wait(lambda: run.socks["s.rep"].received == 1)
    gevent.sleep(0.1)
    run.stop()
    events, _, _ = run.events.drain()
    assert first == {"sent": 1, "msgs": first["msgs"], "error": None}
    assert second["sent"] == 0 and second["error"] == "EFSM"
    (err,) = of(events, "error")
    assert err["node"] == "c" and err["socket"] == "req" and err["error"] == "EFSM"
    assert [e["frames"] for e in of(events, "sent") if e["node"] == "c"] == [["ping"]]


def test_a_bound_push_with_no_peer_refuses_with_eagain_and_never_waits():
    d = doc(
        [node("p", "source", [sock("out", "PUSH", "bind")], socket="out", start_delay_ms=QUIET)],
        [],
    )
    run = Run(d, trace_rate=1e9)
    run.start()
    res = run.inject("p", "out", ["x"], 3)
    run.stop()
    events, _, _ = run.events.drain()
    assert res == {"sent": 0, "msgs": [], "error": "EAGAIN"}
    assert [e["error"] for e in of(events, "error")] == ["EAGAIN"]


def test_a_pub_inject_is_filtered_at_the_publisher_like_any_send():
    d = doc(
        [
            node("p", "source", [sock("out", "PUB", "bind")], socket="out", start_delay_ms=QUIET),
            node("s", "sink", [sock("in", "SUB", "connect", subscribe=["a"])], socket="in"),
        ],
        [link("l1", "s.in", "p.out")],
    )
    run = Run(d, trace_rate=1e9)
    run.start()
    gevent.sleep(0.2)  # the subscription travels after the handshake
    res = run.inject("p", "out", ["b", "no"], 2)
    res2 = run.inject("p", "out", ["a", "yes"])
    assert _wait(lambda: run.socks["s.in"].received == 1)
    run.stop()
    events, _, _ = run.events.drain()
    assert res["sent"] == 2 and res2["sent"] == 1
    assert len(of(events, "filtered")) == 2
    assert [e["frames"] for e in of(events, "delivered")] == [["a", "yes"]]


def test_bad_commands_are_refused_naming_the_field_and_send_nothing():
    run = Run(_router_dealer(), trace_rate=1e9)
    run.start()
    cases = {
        "node": run.inject("zz", "rt", ["x"]),
        "socket": run.inject("r", "zz", ["x"]),
        "none": run.inject(None, None, None),
        "frames": run.inject("r", "rt", []),
        "frames[1]": run.inject("r", "rt", ["x", 5]),
        "frames[0].hex": run.inject("r", "rt", [{"hex": "zz"}]),
        "count": run.inject("r", "rt", ["x"], 101),
        "larger than": run.inject("r", "rt", ["x" * 70000]),
        "at most 32": run.inject("r", "rt", ["x"] * 33),
    }
    cases["count "] = run.inject("r", "rt", ["x"], True)
    run.kill_node("r")
    cases["not running"] = run.inject("r", "rt", ["x"])
    run.stop()
    for word, res in cases.items():
        assert "problem" in res, (word, res)
    assert "node" in cases["node"]["problem"] and "'zz'" in cases["node"]["problem"]
    assert cases["socket"]["problem"].startswith("socket:")
    assert cases["frames[1]"]["problem"].startswith("frames[1]")
    assert cases["frames[0].hex"]["problem"].startswith("frames[0].hex")
    assert "larger than 65536" in cases["larger than"]["problem"]
    assert "at most 32" in cases["at most 32"]["problem"]
    assert cases["count"]["problem"].startswith("count:")
    assert "restart" in cases["not running"]["problem"]
    events, _, _ = run.events.drain()
    assert not of(events, "sent")


def test_a_sub_cannot_send():
    d = doc(
        [
            node("p", "source", [sock("out", "PUB", "bind")], socket="out", start_delay_ms=QUIET),
            node("s", "sink", [sock("in", "SUB", "connect")], socket="in"),
        ],
        [link("l1", "s.in", "p.out")],
    )
    run = Run(d, trace_rate=1e9)
    run.start()
    res = run.inject("s", "in", ["x"])
    run.stop()
    assert "SUB" in res["problem"] and "ENOTSUP" in res["problem"]
