"""Every socket option of the inspector (app.topology.OPTIONS) reaches the real libzmq socket:
read back with getsockopt where libzmq allows it, and shown by what the socket then does.

libzmq 4.3.5 refuses getsockopt (EINVAL) for ROUTER_MANDATORY, ROUTER_HANDOVER, REQ_RELAXED,
REQ_CORRELATE, XPUB_VERBOSE and XPUB_NODROP (write-only options): those are shown by behaviour
only. Options covered elsewhere: SNDHWM/RCVHWM blocking and dropping (test_hwm.py), SUBSCRIBE
(test_pubsub.py, test_faults.test_subscribe_while_running), ROUTER_MANDATORY's EHOSTUNREACH
(test_errors.py), ``expose`` (test_outside.py).
"""

import json
import os
import signal
import subprocess
import sys
from contextlib import contextmanager

import gevent
import gevent.subprocess
import pytest
import zmq
import zmq.utils.monitor
from topo import doc, link, node, of, run_until, sock

from app.engine.run import Run
from app.topology import OPTIONS


@contextmanager
def running(d, **kwargs):
    """A started run (every message traced), stopped whatever happens."""
    kwargs.setdefault("trace_rate", 1e9)
    run = Run(d, **kwargs)
    run.start()
    try:
        yield run
    finally:
        run.stop("test")


def wait_for(pred, timeout=5.0):
    """Poll ``pred`` cooperatively; True as soon as it holds, False after ``timeout``."""
    t = 0.0
    while not pred():
        if t >= timeout:
            return False
        gevent.sleep(0.02)
        t += 0.02
    return True


def zget(run, key, option):
    """getsockopt on the real socket behind ``key`` ('node.socket')."""
    return run.socks[key].zsock.getsockopt(option)


def raw(frame):
    """A frame of an event back to bytes (events show non-UTF-8 frames as {"hex": ...})."""
    return bytes.fromhex(frame["hex"]) if isinstance(frame, dict) else frame.encode()


def events_so_far(run):
    return list(run.events._items)


def test_every_option_is_covered_here_or_named():
    shown = {
        "sndhwm",
        "rcvhwm",
        "subscribe",
        "routing_id",
        "linger",
        "immediate",
        "conflate",
        "router_mandatory",
        "router_handover",
        "req_relaxed",
        "req_correlate",
        "xpub_verbose",
        "xpub_nodrop",
        "heartbeat_ivl",
        "heartbeat_timeout",
        "heartbeat_ttl",
        "expose",
    }
    assert set(OPTIONS) == shown


# -- SNDHWM / RCVHWM ---------------------------------------------------------------------------


def test_hwm_read_back_and_inproc_holds_exactly_sndhwm_plus_rcvhwm():
    """Blocking at the HWM is test_hwm.test_push_at_hwm_blocks_and_drops_nothing; here: the
    values on the real sockets, and a paused consumer over inproc holding exactly SNDHWM +
    RCVHWM (ZMQ_SEMANTICS.md) with small HWMs versus the 1000 + 1000 of the defaults."""

    def held(out_opts, in_opts):
        d = doc(
            [
                node(
                    "src",
                    "source",
                    [sock("out", "PUSH", "bind", **out_opts)],
                    socket="out",
                    interval_ms=0,
                    count=5000,
                    frames=["m {n}"],
                ),
                node("k", "sink", [sock("in", "PULL", "connect", **in_opts)], socket="in"),
            ],
            [link("l1", "k.in", "src.out")],
            "inproc",
        )
        with running(d) as run:
            run.pause_node("k")  # before its greenlet first runs: it receives nothing
            readback = (zget(run, "src.out", zmq.SNDHWM), zget(run, "k.in", zmq.RCVHWM))
            src = run.socks["src.out"]
            assert wait_for(lambda: src.blocked)
            gevent.sleep(0.2)  # blocked means full: nothing more goes in
            return readback, src.sent, run.socks["k.in"].received

    assert held({"sndhwm": 3}, {"rcvhwm": 4}) == ((3, 4), 7, 0)
    assert held({}, {}) == ((1000, 1000), 2000, 0)


# -- SUBSCRIBE / UNSUBSCRIBE while running -----------------------------------------------------


def test_subscribe_and_unsubscribe_while_running_reach_the_publisher():
    """The XPUB publisher receives the live \\x01a and \\x00a; in between every 'a' it sent
    arrives, after the unsubscribe none does (and 'b' never)."""
    d = doc(
        [
            node(
                "p",
                "source",
                [sock("out", "XPUB", "bind")],
                socket="out",
                interval_ms=5,
                topics=["a", "b"],
                frames=["{topic}", "{n}"],
            ),
            node("s", "sink", [sock("in", "SUB", "connect")], socket="in"),
        ],
        [link("l1", "s.in", "p.out")],
    )

    def subs_at_pub(run):
        return [e for e in events_so_far(run) if e["ev"] == "delivered" and e["to"] == "p.out"]

    with running(d) as run:
        gevent.sleep(0.2)
        assert run.links["l1"].rx["s.in"] == 0 and subs_at_pub(run) == []
        assert run.subscribe("s", "in", "a") is None
        assert wait_for(lambda: len(subs_at_pub(run)) == 1 and run.socks["s.in"].received >= 5)
        assert run.subscribe("s", "in", "a", on=False) is None
        assert wait_for(lambda: len(subs_at_pub(run)) == 2)
        after = run.socks["p.out"].sent
        assert wait_for(lambda: run.socks["p.out"].sent >= after + 20)
        events = events_so_far(run)
    on, off = subs_at_pub(run)
    assert (on["frames"], off["frames"]) == (["\x01a"], ["\x00a"])
    i_on, i_off = events.index(on), events.index(off)
    i_unsub = next(
        i for i, e in enumerate(events) if e["ev"] == "node" and e["state"] == "unsubscribed"
    )
    delivered = [e for e in of(events, "delivered") if e["to"] == "s.in"]
    assert delivered and all(e["frames"][0] == "a" for e in delivered)
    got = [int(e["frames"][1]) for e in delivered]
    sent_a = [
        (i, int(e["frames"][1]))
        for i, e in enumerate(events)
        if e["ev"] == "sent" and e["node"] == "p" and e["frames"][0] == "a"
    ]
    # subscribed: from the XPUB's reading of \x01a on, every 'a' arrives in order, none skipped,
    # up to the last one the SUB read before it unsubscribed (later ones it may filter itself)
    last = max(events.index(e) for e in delivered if events.index(e) < i_unsub)
    upto = int(events[last]["frames"][1])
    wanted = [n for i, n in sent_a if i > i_on and n <= upto]
    assert len(wanted) >= 3 and [n for n in got if n >= wanted[0]][: len(wanted)] == wanted
    # unsubscribed: no 'a' sent after the XPUB read \x00a arrives (and there were many)
    late = {n for i, n in sent_a if i > i_off}
    assert len(late) >= 5 and not late & set(got)


# -- ROUTING_ID ----------------------------------------------------------------------------------


def test_routing_id_is_the_identity_the_router_sees():
    d = doc(
        [
            node("r", "sink", [sock("in", "ROUTER", "bind")], socket="in"),
            node(
                "named",
                "source",
                [sock("out", "DEALER", "connect", routing_id="D-7")],
                socket="out",
                interval_ms=5,
                count=2,
                frames=["x {n}"],
            ),
            node(
                "anon",
                "source",
                [sock("out", "DEALER", "connect")],
                socket="out",
                interval_ms=5,
                count=2,
                frames=["y {n}"],
            ),
        ],
        [link("l1", "named.out", "r.in"), link("l2", "anon.out", "r.in")],
    )
    with running(d) as run:
        assert zget(run, "named.out", zmq.ROUTING_ID) == b"D-7"
        assert zget(run, "anon.out", zmq.ROUTING_ID) == b""
        assert wait_for(lambda: run.socks["r.in"].received >= 4)
        events = events_so_far(run)
    got = [e["frames"] for e in of(events, "delivered") if e["to"] == "r.in"]
    assert [f for f in got if f[1].startswith("x")] == [["D-7", "x 1"], ["D-7", "x 2"]]
    anon = [raw(f[0]) for f in got if f[1].startswith("y")]
    # without ROUTING_ID the ROUTER makes one up: 5 bytes, a zero byte and a counter
    assert len(anon) == 2 and anon[0] == anon[1] and len(anon[0]) == 5 and anon[0][0] == 0


# -- ROUTER_MANDATORY (EHOSTUNREACH: test_errors.py) ---------------------------------------------


@pytest.mark.parametrize("mandatory", [False, True])
def test_router_mandatory_at_hwm_blocks_instead_of_dropping(mandatory):
    """A ROUTER deals alternately to D (paused, its queue fills) and E (reading). Without
    ROUTER_MANDATORY what D cannot take is dropped silently; with it send says EAGAIN, which
    the engine shows as blocked, and nothing is lost (ZMQ_SEMANTICS.md, ROUTER row). libzmq keeps
    reporting POLLOUT meanwhile, because E has room: the engine must still wait, not spin."""
    opts = {"router_mandatory": True} if mandatory else {}
    n = 100
    d = doc(
        [
            node(
                "r",
                "source",
                [sock("out", "ROUTER", "bind", sndhwm=5, **opts)],
                socket="out",
                interval_ms=0,
                count=n,
                frames=["m {n}"],
            ),
            node(
                "d",
                "sink",
                [sock("in", "DEALER", "connect", rcvhwm=5, routing_id="D")],
                socket="in",
            ),
            node(
                "e",
                "sink",
                [sock("in", "DEALER", "connect", rcvhwm=5, routing_id="E")],
                socket="in",
            ),
        ],
        [link("l1", "d.in", "r.out"), link("l2", "e.in", "r.out")],
        "inproc",
    )
    with running(d) as run:
        run.pause_node("d")
        r = run.socks["r.out"]
        if mandatory:
            assert wait_for(lambda: r.blocked)
            gevent.sleep(0.2)
            # D took SNDHWM + RCVHWM over inproc (m1, m3 ... m19), E kept pace; m21 waits
            assert r.sent == 20 and r.blocked
            assert run.socks["e.in"].received == 10
        else:
            assert wait_for(lambda: r.sent == n)  # never blocks: the rest for D is dropped
        run.pause_node("d", False)
        if mandatory:
            assert wait_for(
                lambda: (
                    run.socks["d.in"].received == n // 2 and run.socks["e.in"].received == n // 2
                )
            )
        else:
            assert wait_for(
                lambda: run.socks["d.in"].received >= 10 and run.socks["e.in"].received >= 10
            )
            gevent.sleep(0.3)
        events = events_so_far(run)
    at = {
        k: [int(e["frames"][0].split()[1]) for e in of(events, "delivered") if e["to"] == k]
        for k in ("d.in", "e.in")
    }
    if mandatory:
        assert at["d.in"] == list(range(1, n + 1, 2)) and at["e.in"] == list(range(2, n + 1, 2))
        assert "blocked" in [e["ev"] for e in events]
    else:
        assert at["d.in"] == list(range(1, 20, 2))  # what its pipe held; the rest dropped
        # E reads only when the flat-out sender yields: its pipe may have filled too
        assert at["e.in"][:10] == list(range(2, 21, 2)) and at["e.in"] == sorted(at["e.in"])
        assert set(at["e.in"]) <= set(range(2, n + 1, 2))
        assert "blocked" not in [e["ev"] for e in events]
    assert not of(events, "error")


# -- ROUTER_HANDOVER -----------------------------------------------------------------------------


@pytest.mark.parametrize("handover", [False, True])
def test_router_handover_decides_who_owns_a_taken_routing_id(handover):
    """A ROUTER sends to 'W' while the engine's DEALER 'W' receives; then a second DEALER with
    the same routing id connects. With ROUTER_HANDOVER it takes the id over and gets every later
    message; without, it is ignored and the first keeps receiving."""
    opts = {"router_handover": True} if handover else {}
    d = doc(
        [
            node(
                "r",
                "source",
                [sock("out", "ROUTER", "bind", **opts)],
                socket="out",
                interval_ms=5,
                frames=["m {n}"],
            ),
            node("w", "sink", [sock("in", "DEALER", "connect", routing_id="W")], socket="in"),
        ],
        [link("l1", "w.in", "r.out")],
    )
    ctx = zmq.Context()
    newcomer = ctx.socket(zmq.DEALER)
    newcomer.setsockopt(zmq.LINGER, 0)
    newcomer.setsockopt(zmq.ROUTING_ID, b"W")
    mon = newcomer.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED)
    got = []

    def take():
        while True:
            try:
                got.append(newcomer.recv_multipart(zmq.NOBLOCK))
            except zmq.Again:
                return

    try:
        with running(d) as run:
            w = run.socks["w.in"]
            assert wait_for(lambda: w.received >= 5)
            newcomer.connect(run.socks["r.out"].endpoint)
            assert wait_for(lambda: mon.poll(0))  # its handshake completed
            sent_then = run.socks["r.out"].sent
            if handover:
                assert wait_for(lambda: take() or len(got) >= 20)
            else:
                # the first peer goes on receiving what is sent after the newcomer arrived ...
                assert wait_for(lambda: w.received >= sent_then + 30)
                take()
                assert got == []  # ... and the newcomer is ignored
            events = events_so_far(run)
    finally:
        newcomer.close(0)
        mon.close(0)
        ctx.term()
    at_w = [int(e["frames"][0].split()[1]) for e in of(events, "delivered") if e["to"] == "w.in"]
    at_new = [int(f[0].split()[1]) for f in got]
    assert at_w == list(range(1, len(at_w) + 1))  # the first peer: in order, no gap
    if handover:
        # a clean switch: every message from some point on goes to the newcomer, in order, none
        # to the first peer any more
        assert at_new == list(range(at_new[0], at_new[0] + len(at_new)))
        assert at_new[0] > at_w[-1]


# -- REQ_RELAXED / REQ_CORRELATE -----------------------------------------------------------------


def test_req_relaxed_allows_sending_again_without_a_reply():
    """The same source without req_relaxed fails with EFSM
    (test_errors.test_req_sending_twice_is_efsm)."""
    d = doc(
        [
            node(
                "c",
                "source",
                [sock("req", "REQ", "connect", req_relaxed=True)],
                socket="req",
                interval_ms=10,
                count=3,
                await_reply="no",
                frames=["q {n}"],
            ),
            node("s", "replier", [sock("rep", "REP", "bind")], socket="rep", delay_ms=500),
        ],
        [link("l1", "c.req", "s.rep")],
    )
    run, events = run_until(d, lambda r: r.socks["s.rep"].received >= 3, 10)
    assert run.socks["c.req"].sent == 3 and not of(events, "error")
    states = [e["state"] for e in of(events, "node") if e["node"] == "c"]
    assert "finished" in states and "crashed" not in states
    assert [e["frames"] for e in of(events, "delivered") if e["to"] == "s.rep"] == [
        ["q 1"],
        ["q 2"],
        ["q 3"],
    ]


def test_req_correlate_puts_a_request_id_on_the_wire():
    """ROUTER sees [identity, request id, '', body]; the replier keeps that envelope, so the
    REQ accepts each reply (plain REQ: [identity, '', body], test_pairs)."""
    d = doc(
        [
            node(
                "c",
                "source",
                [sock("req", "REQ", "connect", routing_id="C", req_correlate=True)],
                socket="req",
                interval_ms=5,
                count=3,
                frames=["q {n}"],
            ),
            node("s", "replier", [sock("r", "ROUTER", "bind")], socket="r", transform="upper"),
        ],
        [link("l1", "c.req", "s.r")],
    )
    run, events = run_until(d, lambda r: r.socks["c.req"].received >= 3, 10)
    at_router = [e["frames"] for e in of(events, "delivered") if e["to"] == "s.r"]
    assert [(f[0], f[2], f[3]) for f in at_router] == [("C", "", f"q {k}") for k in (1, 2, 3)]
    ids = [int.from_bytes(raw(f[1]), sys.byteorder) for f in at_router]
    assert all(len(raw(f[1])) == 4 for f in at_router)
    assert ids == [ids[0], ids[0] + 1, ids[0] + 2]  # one id per request, counting up
    assert [e["frames"] for e in of(events, "delivered") if e["to"] == "c.req"] == [
        ["Q 1"],
        ["Q 2"],
        ["Q 3"],
    ]
    assert not of(events, "error")


# -- LINGER ------------------------------------------------------------------------------------


def test_linger_read_back():
    """The engine's default is 0; a set value reaches the socket. Readback only: the engine closes
    every socket with linger 0 (GreenSocket.close on kill, reopen and stop), so the value never
    changes what a run does."""
    d = doc(
        [
            node(
                "a",
                "source",
                [sock("out", "PUSH", "bind", linger=250)],
                socket="out",
                interval_ms=50,
            ),
            node("b", "sink", [sock("in", "PULL", "connect")], socket="in"),
            node("c", "sink", [sock("in", "PULL", "connect", linger=-1)], socket="in"),
        ],
        [link("l1", "b.in", "a.out"), link("l2", "c.in", "a.out")],
    )
    with running(d) as run:
        assert [zget(run, k, zmq.LINGER) for k in ("a.out", "b.in", "c.in")] == [250, 0, -1]


# -- IMMEDIATE ----------------------------------------------------------------------------------


@pytest.mark.parametrize("immediate", [False, True])
def test_immediate_queues_nothing_for_an_absent_peer(immediate):
    """A connecting PUSH whose peer went away: by default it queues up to SNDHWM for the peer's
    return; with IMMEDIATE it queues nothing and send blocks. Either way the peer, back, gets
    every message from the first, in order."""
    d = doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "connect", immediate=immediate, sndhwm=5)],
                socket="out",
                interval_ms=5,
                frames=["m {n}"],
            ),
            node("k", "sink", [sock("in", "PULL", "bind")], socket="in"),
        ],
        [link("l1", "src.out", "k.in")],
    )
    with running(d) as run:
        assert zget(run, "src.out", zmq.IMMEDIATE) == int(immediate)
        run.pause_node("src")
        run.kill_node("k")
        assert wait_for(lambda: run.links["l1"].state in ("disconnected", "retrying"))
        run.pause_node("src", False)
        src = run.socks["src.out"]
        assert wait_for(lambda: src.blocked)
        gevent.sleep(0.2)
        assert src.blocked and src.sent == (0 if immediate else 5)
        run.restart_node("k")
        assert wait_for(lambda: run.socks["k.in"].received >= 10)
        events = events_so_far(run)
    got = [e["frames"] for e in of(events, "delivered")]
    assert got == [[f"m {k}"] for k in range(1, len(got) + 1)]


# -- CONFLATE -----------------------------------------------------------------------------------


@pytest.mark.parametrize("conflate", [False, True])
def test_conflate_keeps_only_the_latest_message(conflate):
    d = doc(
        [
            node(
                "src",
                "source",
                [sock("out", "PUSH", "bind")],
                socket="out",
                interval_ms=5,
                count=20,
                frames=["m {n}"],
                start_delay_ms=100,
            ),
            node("k", "sink", [sock("in", "PULL", "connect", conflate=conflate)], socket="in"),
        ],
        [link("l1", "k.in", "src.out")],
    )
    with running(d) as run:
        assert zget(run, "k.in", zmq.CONFLATE) == int(conflate)
        run.pause_node("k")  # a consumer that is not reading
        assert wait_for(lambda: run.socks["src.out"].sent == 20)
        gevent.sleep(0.5)  # everything has crossed to the consumer's side
        run.pause_node("k", False)
        assert wait_for(
            lambda: any(
                e.get("frames") == ["m 20"] for e in events_so_far(run) if e["ev"] == "delivered"
            )
        )
        gevent.sleep(0.2)
        events = events_so_far(run)
    got = [e["frames"] for e in of(events, "delivered")]
    assert got == ([["m 20"]] if conflate else [[f"m {k}"] for k in range(1, 21)])
    assert run.links["l1"].delivered == len(got)


# -- XPUB_VERBOSE / XPUB_NODROP -----------------------------------------------------------------


@pytest.mark.parametrize("verbose", [False, True])
def test_xpub_verbose_passes_every_duplicate_subscription(verbose):
    opts = {"xpub_verbose": True} if verbose else {}
    d = doc(
        [
            node("x", "sink", [sock("out", "XPUB", "bind", **opts)], socket="out"),
            node("s1", "sink", [sock("in", "SUB", "connect", subscribe=["weather"])], socket="in"),
            node("s2", "sink", [sock("in", "SUB", "connect", subscribe=["weather"])], socket="in"),
        ],
        [link("l1", "s1.in", "x.out"), link("l2", "s2.in", "x.out")],
    )
    with running(d) as run:
        x = run.socks["x.out"]
        assert wait_for(lambda: x.received >= 1)
        if verbose:
            assert wait_for(lambda: x.received >= 2)
        else:
            gevent.sleep(0.5)  # both handshakes were complete before the nodes started
        events = events_so_far(run)
    got = [e for e in of(events, "delivered") if e["to"] == "x.out"]
    assert [e["frames"] for e in got] == [["\x01weather"]] * (2 if verbose else 1)
    if verbose:
        assert {e["from"] for e in got} == {"s1.in", "s2.in"}


@pytest.mark.parametrize("nodrop", [False, True])
def test_xpub_nodrop_blocks_at_hwm_instead_of_dropping(nodrop):
    opts = {"xpub_nodrop": True} if nodrop else {}
    n = 200
    d = doc(
        [
            node(
                "x",
                "source",
                [sock("out", "XPUB", "bind", sndhwm=5, **opts)],
                socket="out",
                interval_ms=0,
                count=n,
                frames=["m {n}"],
                start_delay_ms=100,
            ),
            node(
                "s", "sink", [sock("in", "SUB", "connect", subscribe=[""], rcvhwm=5)], socket="in"
            ),
        ],
        [link("l1", "s.in", "x.out")],
        "inproc",
    )
    with running(d) as run:
        run.pause_node("s")
        x = run.socks["x.out"]
        if nodrop:
            assert wait_for(lambda: x.blocked)
            gevent.sleep(0.2)
            assert x.sent == 10 and x.blocked  # SNDHWM + RCVHWM, then EAGAIN
        else:
            assert wait_for(lambda: x.sent == n)  # never blocks: the rest is dropped
        run.pause_node("s", False)
        assert wait_for(lambda: x.sent == n and run.socks["s.in"].received >= 10)
        gevent.sleep(0.3)
        events = events_so_far(run)
    l1 = run.links["l1"]
    got = [e["frames"] for e in of(events, "delivered") if e["to"] == "s.in"]
    if nodrop:
        assert got == [[f"m {k}"] for k in range(1, n + 1)] and l1.dropped == 0
        assert "blocked" in [e["ev"] for e in events]
    else:
        assert got[:10] == [[f"m {k}"] for k in range(1, 11)]
        assert l1.delivered - l1.rx["x.out"] == len(got) < n
        assert "blocked" not in [e["ev"] for e in events]


# -- HEARTBEAT_IVL / HEARTBEAT_TIMEOUT / HEARTBEAT_TTL -------------------------------------------


def test_heartbeat_options_read_back():
    d = doc(
        [
            node(
                "a",
                "source",
                [
                    sock(
                        "out",
                        "PUSH",
                        "bind",
                        heartbeat_ivl=200,
                        heartbeat_timeout=700,
                        heartbeat_ttl=1500,
                    )
                ],
                socket="out",
                interval_ms=50,
            ),
            node("b", "sink", [sock("in", "PULL", "connect")], socket="in"),
        ],
        [link("l1", "b.in", "a.out")],
    )
    with running(d) as run:
        assert [
            zget(run, "a.out", o)
            for o in (zmq.HEARTBEAT_IVL, zmq.HEARTBEAT_TIMEOUT, zmq.HEARTBEAT_TTL)
        ] == [200, 700, 1500]
        assert [
            zget(run, "b.in", o)
            for o in (zmq.HEARTBEAT_IVL, zmq.HEARTBEAT_TIMEOUT, zmq.HEARTBEAT_TTL)
        ] == [0, -1, 0]


SILENT_PEER = r"""
import sys, time, zmq
s = zmq.Context().socket(zmq.PUSH)
s.setsockopt(zmq.LINGER, 0)
s.connect(sys.argv[1])
s.send(b"hello")
print("sent", flush=True)
time.sleep(60)
"""


def _outside_link_states(run, link_id):
    return [e["state"] for e in events_so_far(run) if e["ev"] == "link" and e["link"] == link_id]


@pytest.mark.parametrize("heartbeat", [False, True, "timeout 0"])
def test_heartbeat_timeout_detects_a_silent_peer(heartbeat):
    """An outside program connects, then is stopped (SIGSTOP): its TCP connection stays open but
    it no longer answers PINGs. With HEARTBEAT_IVL/TIMEOUT the engine's socket drops the
    connection within the timeout; without, nothing notices until the process really dies.
    A timeout of 0 is "not set": the interval is the timeout (an explicit 0 would turn it off in
    libzmq 4.3.5, so the engine does not pass it on)."""
    opts = (
        {"heartbeat_ivl": 100, "heartbeat_timeout": 0 if heartbeat == "timeout 0" else 300}
        if heartbeat
        else {}
    )
    d = doc([node("k", "sink", [sock("in", "PULL", "bind", expose=True, **opts)], socket="in")], [])
    with running(d) as run:
        endpoint = run.socks["k.in"].exposed
        proc = gevent.subprocess.Popen(
            [sys.executable, "-c", SILENT_PEER, endpoint],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        try:
            assert wait_for(lambda: run.socks["k.in"].received >= 1, 15)
            assert _outside_link_states(run, "k.in~outside") == ["connected"]
            os.kill(proc.pid, signal.SIGSTOP)
            if heartbeat:
                assert wait_for(lambda: "disconnected" in _outside_link_states(run, "k.in~outside"))
            else:
                gevent.sleep(1.5)  # five times the timeout above
                assert _outside_link_states(run, "k.in~outside") == ["connected"]
        finally:
            proc.kill()  # SIGKILL ends a stopped process too
            proc.wait()
        if not heartbeat:
            # the kernel closes the dead process's connection: now the engine sees it go
            assert wait_for(lambda: "disconnected" in _outside_link_states(run, "k.in~outside"))


ENGINE_PROCESS = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
import gevent
from app.engine.run import Run
from app.topology import prepare
d, problems = prepare(json.loads(sys.argv[1]))
assert not problems, problems
run = Run(d)
print(run.start()["exposed"]["k.in"], flush=True)
gevent.sleep(60)
"""


@pytest.mark.parametrize("ttl", [0, 500])
def test_heartbeat_ttl_tells_the_peer_when_to_give_up(ttl):
    """TTL is obeyed by the other end: the engine's PINGs carry it, and a peer that then hears
    nothing for that long drops the connection. To silence the engine without closing its socket
    it runs in a process of its own, stopped (SIGSTOP) once the peer is connected; the peer is a
    plain socket with no heartbeat settings of its own."""
    opts = {"heartbeat_ivl": 100}
    if ttl:
        opts["heartbeat_ttl"] = ttl
    d = {
        "version": 1,
        "nodes": [
            node("k", "sink", [sock("in", "PULL", "bind", expose=True, **opts)], socket="in")
        ],
    }
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    proc = gevent.subprocess.Popen(
        [sys.executable, "-c", ENGINE_PROCESS, json.dumps(d), root],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    ctx = zmq.Context()
    peer = ctx.socket(zmq.PUSH)
    peer.setsockopt(zmq.LINGER, 0)
    mon = peer.get_monitor_socket(zmq.EVENT_HANDSHAKE_SUCCEEDED | zmq.EVENT_DISCONNECTED)
    seen = []

    def events():
        while mon.poll(0):
            seen.append(zmq.utils.monitor.recv_monitor_message(mon)["event"])
        return seen

    try:
        with gevent.Timeout(20):
            endpoint = proc.stdout.readline().decode().strip()
        assert endpoint.startswith("tcp://127.0.0.1:"), proc.stderr.read().decode()
        peer.connect(endpoint)
        assert wait_for(lambda: zmq.EVENT_HANDSHAKE_SUCCEEDED in events(), 10)
        gevent.sleep(0.3)  # PINGs (with the TTL, if any) have reached the peer
        os.kill(proc.pid, signal.SIGSTOP)
        if ttl:
            assert wait_for(lambda: zmq.EVENT_DISCONNECTED in events(), 5)
        else:
            gevent.sleep(1.5)  # three times the TTL above
            assert zmq.EVENT_DISCONNECTED not in events()
    finally:
        proc.kill()
        proc.wait()
        peer.close(0)
        mon.close(0)
        ctx.term()
