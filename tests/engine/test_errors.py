"""State-machine errors, unroutable messages, PAIR's single peer, incompatible pairs."""

import gevent
from topo import doc, link, node, of, run_until, sock

from app.topology import normalize


def test_req_sending_twice_is_efsm():
    d = doc(
        [
            node(
                "c",
                "source",
                [sock("req", "REQ", "connect")],
                socket="req",
                interval_ms=10,
                count=2,
                await_reply="no",
            ),
            node("s", "replier", [sock("rep", "REP", "bind")], socket="rep", delay_ms=500),
        ],
        [link("l1", "c.req", "s.rep")],
    )
    run, events = run_until(d, lambda r: any(e["ev"] == "error" for e in r.events._items), 5)
    err = of(events, "error")[0]
    assert (err["node"], err["socket"], err["error"]) == ("c", "req", "EFSM")
    assert any(e["ev"] == "node" and e["node"] == "c" and e["state"] == "crashed" for e in events)
    assert run.socks["c.req"].sent == 1


def _router_to_ghost(mandatory):
    opts = {"router_mandatory": True} if mandatory else {}
    return doc(
        [
            node(
                "r",
                "source",
                [sock("out", "ROUTER", "bind", **opts)],
                socket="out",
                interval_ms=5,
                count=5,
                frames=["ghost", "hello {n}"],
            ),
            node("d", "sink", [sock("in", "DEALER", "connect")], socket="in"),
        ],
        [link("l1", "d.in", "r.out")],
    )


def test_router_drops_a_message_to_an_unknown_identity():
    run, events = run_until(_router_to_ghost(False), lambda r: r.socks["r.out"].sent >= 5, 5)
    gevent.sleep(0.1)
    assert run.links["l1"].delivered == 0
    drops = of(events, "dropped")
    assert len(drops) == 5 and {d["reason"] for d in drops} == {"unroutable"}
    assert not of(events, "error")


def test_router_mandatory_raises_ehostunreach():
    run, events = run_until(_router_to_ghost(True), lambda r: r.socks["r.out"].sent >= 5, 5)
    errors = of(events, "error")
    assert len(errors) == 5 and {e["error"] for e in errors} == {"EHOSTUNREACH"}
    # the node reports it and goes on (it does not crash)
    assert not any(e["ev"] == "node" and e.get("state") == "crashed" for e in events)


def test_a_second_pair_peer_gets_nothing():
    # validation refuses this; the engine API is forced with a normalized document
    d = normalize(
        {
            "version": 1,
            "nodes": [
                node(
                    "a",
                    "source",
                    [sock("p", "PAIR", "bind")],
                    socket="p",
                    interval_ms=5,
                    count=10,
                    start_delay_ms=50,
                ),
                node("b1", "sink", [sock("p", "PAIR", "connect")], socket="p"),
                node("b2", "sink", [sock("p", "PAIR", "connect")], socket="p"),
            ],
            "links": [link("l1", "b1.p", "a.p"), link("l2", "b2.p", "a.p")],
        }
    )
    # stop once all 10 arrived somewhere (the last send may still be in flight when sent == 10)
    run, events = run_until(
        d,
        lambda r: (
            r.socks["a.p"].sent >= 10 and r.socks["b1.p"].received + r.socks["b2.p"].received >= 10
        ),
        5,
    )
    got = sorted([run.socks["b1.p"].received, run.socks["b2.p"].received])
    assert got == [0, 10]


def test_incompatible_pair_forced_delivers_nothing():
    d = normalize(
        {
            "version": 1,
            "transport": "tcp",
            "nodes": [
                node(
                    "pub",
                    "source",
                    [sock("out", "PUB", "bind")],
                    socket="out",
                    interval_ms=5,
                    count=20,
                ),
                node("pull", "sink", [sock("in", "PULL", "connect")], socket="in"),
            ],
            "links": [link("l1", "pull.in", "pub.out")],
        }
    )
    run, events = run_until(d, lambda r: r.socks["pub.out"].sent >= 20, 8, ready_timeout=0.5)
    assert run.links["l1"].delivered == 0 and run.socks["pull.in"].received == 0
    states = [e["state"] for e in of(events, "link")]
    assert "connected" not in states
    assert {"disconnected", "handshake failed"} & set(states), states


def test_xpub_receives_subscriptions_as_frames():
    d = doc(
        [
            node("x", "sink", [sock("out", "XPUB", "bind")], socket="out"),
            node("s", "sink", [sock("in", "SUB", "connect", subscribe=["weather"])], socket="in"),
        ],
        [link("l1", "s.in", "x.out")],
    )
    run, events = run_until(d, lambda r: r.socks["x.out"].received >= 1, 5)
    got = [e for e in of(events, "delivered") if e["to"] == "x.out"]
    assert got[0]["frames"] == ["\x01weather"] and got[0]["kind"] == "subscription"
    assert got[0]["from"] == "s.in"


def test_dealer_to_router_envelope_has_no_delimiter():
    d = doc(
        [
            node("r", "sink", [sock("in", "ROUTER", "bind")], socket="in"),
            node(
                "d",
                "source",
                [sock("out", "DEALER", "connect", routing_id="D1")],
                socket="out",
                interval_ms=5,
                count=3,
                frames=["body {n}"],
            ),
        ],
        [link("l1", "d.out", "r.in")],
    )
    run, events = run_until(d, lambda r: r.socks["r.in"].received >= 3, 5)
    assert [e["frames"] for e in of(events, "delivered")] == [
        ["D1", f"body {n}"] for n in (1, 2, 3)
    ]


def test_dealer_to_rep_needs_the_empty_delimiter():
    def replies(frames):
        d = doc(
            [
                node("rep", "replier", [sock("in", "REP", "bind")], socket="in", transform="upper"),
                node(
                    "d",
                    "source",
                    [sock("out", "DEALER", "connect")],
                    socket="out",
                    interval_ms=5,
                    count=3,
                    frames=frames,
                ),
            ],
            [link("l1", "d.out", "rep.in")],
        )
        run, events = run_until(d, lambda r: r.socks["d.out"].sent >= 3, 5)
        gevent.sleep(0.2)
        return run.socks["rep.in"].received, [
            e["frames"] for e in of(events, "delivered") if e["to"] == "d.out"
        ]

    got, back = replies(["", "hi {n}"])
    assert got == 3 and back == [["", f"HI {n}"] for n in (1, 2, 3)]
    got, back = replies(["hi {n}"])  # no delimiter: REP silently discards
    assert got == 0 and back == []
