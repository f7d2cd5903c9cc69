"""Every pair of socket types the model allows (app.topology.PAIRS), each way round of bind and
connect, over ipc and tcp, carrying real messages: the frames each end receives are exactly the
envelopes of ZMQ_SEMANTICS.md (REQ adds '' and REP strips it, ROUTER prepends the peer's identity
and routes on the first frame, PUB/XPUB filter on the first frame), the link counts them, and the
reply comes back where the pattern has one.

The cases are generated from PAIRS: a pair the model allows with no demonstration here fails
(``test_every_allowed_pair_is_demonstrated``), and the named pairs of the issue must stay in the
table so nothing shrinks silently.
"""

import pytest
from topo import doc, link, node, of, run_until, sock

from app.topology import PAIRS

N = 3  # request/reply and pipeline messages per case

# (connect type, bind type), straight from the model
ALLOWED = [(c, b) for c, peers in PAIRS.items() for b in peers]

# the pairs the issue names ("... and their mixes"), each wanted both ways round
NAMED = [
    ("REQ", "REP"),
    ("REQ", "ROUTER"),
    ("DEALER", "REP"),
    ("DEALER", "ROUTER"),
    ("DEALER", "DEALER"),
    ("ROUTER", "ROUTER"),
    ("PUSH", "PULL"),
    ("PAIR", "PAIR"),
    ("PUB", "SUB"),
    ("XPUB", "XSUB"),
    ("PUB", "XSUB"),
    ("XPUB", "SUB"),
]


def _delivered_to(events, key):
    return [e["frames"] for e in of(events, "delivered") if e["to"] == key]


def _modes(sender_mode):
    return sender_mode, "connect" if sender_mode == "bind" else "bind"


def _link_ab(sender_mode, a="a.s", b="b.s"):
    """The link between the two sockets, its ends given by who connects."""
    return link("l", a, b) if sender_mode == "connect" else link("l", b, a)


# -- request/reply and pipeline: two nodes, "a" starts, "b" receives (and answers) -------------


def _reqrep(a_sock, b_sock, a_frames, b_kind="replier"):
    nodes = [node("a", "source", [a_sock], socket="s", interval_ms=2, count=N, frames=a_frames)]
    if b_kind == "replier":
        nodes.append(node("b", "replier", [b_sock], socket="s", transform="upper"))
    else:
        nodes.append(node("b", b_kind, [b_sock], socket="s"))
    return nodes


def _case_req_rep(m):
    sm, rm = _modes(m)
    nodes = _reqrep(sock("s", "REQ", sm), sock("s", "REP", rm), ["hello {n}"])
    # REP strips the '' delimiter REQ added; REQ strips it again from the reply
    return nodes, {
        "b.s": [[f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [[f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_req_router(m):
    sm, rm = _modes(m)
    nodes = _reqrep(sock("s", "REQ", sm, routing_id="C1"), sock("s", "ROUTER", rm), ["hello {n}"])
    # ROUTER sees [identity, '', body]; its reply keeps the '' so the REQ accepts it
    return nodes, {
        "b.s": [["C1", "", f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [[f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_dealer_rep(m):
    sm, rm = _modes(m)
    # a DEALER talking to REP must add the '' delimiter itself (without it REP discards:
    # test_errors.test_dealer_to_rep_needs_the_empty_delimiter)
    nodes = _reqrep(sock("s", "DEALER", sm), sock("s", "REP", rm), ["", "hello {n}"])
    return nodes, {
        "b.s": [[f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [["", f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_dealer_router(m):
    sm, rm = _modes(m)
    nodes = _reqrep(
        sock("s", "DEALER", sm, routing_id="D1"), sock("s", "ROUTER", rm), ["hello {n}"]
    )
    # from a DEALER the ROUTER sees [identity, body]: no delimiter
    return nodes, {
        "b.s": [["D1", f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [[f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_router_dealer(m):
    sm, rm = _modes(m)
    # the ROUTER source addresses its peer by the routing id the peer was given
    nodes = _reqrep(
        sock("s", "ROUTER", sm), sock("s", "DEALER", rm, routing_id="D1"), ["hello {n}"]
    )
    # the DEALER gets the body only (the ROUTER consumed the identity frame to route it); its
    # answer arrives at the ROUTER behind the DEALER's identity
    return nodes, {
        "b.s": [[f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [["D1", f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_dealer_dealer(m):
    sm, rm = _modes(m)
    nodes = _reqrep(sock("s", "DEALER", sm), sock("s", "DEALER", rm), ["hello {n}"])
    return nodes, {
        "b.s": [[f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [[f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_router_router(m):
    sm, rm = _modes(m)
    # each ROUTER must know the other's identity: both are set, and ZMTP 3 exchanges them in the
    # handshake, which the run waits for before the nodes start
    nodes = _reqrep(
        sock("s", "ROUTER", sm, routing_id="A"),
        sock("s", "ROUTER", rm, routing_id="B"),
        ["hello {n}"],
    )
    return nodes, {
        "b.s": [["A", f"hello {k}"] for k in range(1, N + 1)],
        "a.s": [["B", f"HELLO {k}"] for k in range(1, N + 1)],
    }


def _case_push_pull(m):
    sm, rm = _modes(m)
    nodes = _reqrep(sock("s", "PUSH", sm), sock("s", "PULL", rm), ["hello {n}"], b_kind="sink")
    return nodes, {"b.s": [[f"hello {k}"] for k in range(1, N + 1)], "a.s": []}


def _case_pair_pair(m):
    sm, rm = _modes(m)
    # both ends send and receive: two sources, each counting what the other sent
    nodes = [
        node(
            "a",
            "source",
            [sock("s", "PAIR", sm)],
            socket="s",
            interval_ms=2,
            count=N,
            frames=["from {node} {n}"],
        ),
        node(
            "b",
            "source",
            [sock("s", "PAIR", rm)],
            socket="s",
            interval_ms=2,
            count=N,
            frames=["from {node} {n}"],
        ),
    ]
    return nodes, {
        "b.s": [[f"from a {k}"] for k in range(1, N + 1)],
        "a.s": [[f"from b {k}"] for k in range(1, N + 1)],
    }


P2P = {
    ("REQ", "REP"): _case_req_rep,
    ("REQ", "ROUTER"): _case_req_router,
    ("DEALER", "REP"): _case_dealer_rep,
    ("DEALER", "ROUTER"): _case_dealer_router,
    ("ROUTER", "DEALER"): _case_router_dealer,
    ("DEALER", "DEALER"): _case_dealer_dealer,
    ("ROUTER", "ROUTER"): _case_router_router,
    ("PUSH", "PULL"): _case_push_pull,
    ("PAIR", "PAIR"): _case_pair_pair,
}

# -- publish/subscribe: the sender publishes "weather" and "sports" in turn; the receiving end
# subscribes to "weather". An XSUB subscribes by sending \x01weather, which a node does as the
# frontend of a proxy (XSUB -> XPUB) whose subscriber's subscription it forwards upstream.
PUBSUB = {("PUB", "SUB"), ("XPUB", "SUB"), ("PUB", "XSUB"), ("XPUB", "XSUB")}

SCENARIOS = sorted(set(P2P) | PUBSUB)  # (sender type, receiver type)


def _pubsub_nodes(sender, receiver, m):
    sm, rm = _modes(m)
    nodes = [
        node(
            "a",
            "source",
            [sock("s", sender, sm)],
            socket="s",
            interval_ms=10,
            topics=["weather", "sports"],
            frames=["{topic}", "n {n}"],
            # subscriptions travel after the handshake; see the checks for what a late one
            # costs (a prefix, shown as slow-joiner drops)
            start_delay_ms=300,
        )
    ]
    links = [_link_ab(m)]
    if receiver == "SUB":
        nodes.append(node("b", "sink", [sock("s", "SUB", rm, subscribe=["weather"])], socket="s"))
    else:
        nodes.append(
            node(
                "b",
                "proxy",
                [sock("s", "XSUB", rm), sock("x", "XPUB", "bind")],
                frontend="s",
                backend="x",
            )
        )
        nodes.append(
            node("c", "sink", [sock("s", "SUB", "connect", subscribe=["weather"])], socket="s")
        )
        links.append(link("down", "c.s", "b.x"))
    return nodes, links


def _cases():
    """(connect type, bind type, sender type, receiver type, sender's mode, transport) for every
    allowed pair; a pair without a scenario still yields a case (sender None) that fails, never
    a skip."""
    out = []
    for c, b in ALLOWED:
        found = False
        for sender, receiver in SCENARIOS:
            for mode, (st, rt) in (("connect", (c, b)), ("bind", (b, c))):
                if (sender, receiver) == (st, rt):
                    found = True
                    for transport in ("ipc", "tcp"):
                        out.append(
                            pytest.param(
                                c,
                                b,
                                sender,
                                receiver,
                                mode,
                                transport,
                                id=f"{c}-connects-{b}:{sender}-{mode}s-and-sends:{transport}",
                            )
                        )
        if not found:
            out.append(pytest.param(c, b, None, None, None, "ipc", id=f"{c}-connects-{b}:none"))
    return out


def test_the_named_pairs_are_allowed_both_ways_round():
    for x, y in NAMED:
        assert (x, y) in ALLOWED and (y, x) in ALLOWED, (x, y)
    assert len(ALLOWED) == 21 and len(set(ALLOWED)) == 21


def test_every_allowed_pair_is_demonstrated():
    demonstrated = {(p.values[0], p.values[1]) for p in _cases() if p.values[2] is not None}
    assert demonstrated == set(ALLOWED)
    # same-type pairs are shown with the sender connecting and with it binding
    for t in ("DEALER", "ROUTER", "PAIR"):
        modes = {p.values[4] for p in _cases() if p.values[:2] == (t, t)}
        assert modes == {"connect", "bind"}, t


@pytest.mark.parametrize("connect_type,bind_type,sender,receiver,sender_mode,transport", _cases())
def test_pair_carries_messages(connect_type, bind_type, sender, receiver, sender_mode, transport):
    assert sender is not None, f"no demonstration for {connect_type} connecting to {bind_type}"
    if (sender, receiver) in PUBSUB:
        _check_pubsub(sender, receiver, sender_mode, transport)
        return
    nodes, expect = P2P[(sender, receiver)](sender_mode)
    d = doc(nodes, [_link_ab(sender_mode)], transport)
    # the link really joins the types under test, connect end to bind end
    spec = d["links"][0]
    types = {f"{n['id']}.{s['name']}": s["type"] for n in d["nodes"] for s in n["sockets"]}
    ends = [f"{spec[end]['node']}.{spec[end]['socket']}" for end in ("connect", "bind")]
    assert (types[ends[0]], types[ends[1]]) == (connect_type, bind_type)
    run, events = run_until(
        d, lambda r: all(r.socks[k].received >= len(v) for k, v in expect.items()), timeout=10
    )
    for key, frames in expect.items():
        assert _delivered_to(events, key) == frames, key
    lk = run.links["l"]
    assert lk.rx == {k: len(v) for k, v in expect.items()}
    assert lk.delivered == sum(len(v) for v in expect.values())
    assert not of(events, "error") and not of(events, "dropped")
    assert not [e for e in of(events, "node") if e["state"] == "crashed"]


def _check_pubsub(sender, receiver, m, transport):
    nodes, links = _pubsub_nodes(sender, receiver, m)
    d = doc(nodes, links, transport)
    rkey = "b.s"  # the receiving end of the pair under test (a SUB, or the proxy's XSUB)
    want = 4
    done = (
        (lambda r: r.socks[rkey].received >= want)
        if receiver == "SUB"
        else (lambda r: r.socks[rkey].received >= want and r.socks["c.s"].received >= want)
    )
    run, events = run_until(d, done, timeout=15)
    lk, a = run.links["l"], run.socks["a.s"]
    got = _delivered_to(events, rkey)
    assert len(got) >= want and len(got) == lk.rx[rkey]
    assert lk.delivered == lk.rx[rkey] + lk.rx["a.s"]
    # prefix filtering on the first frame: only "weather" (odd n) arrives, in order, whole
    first = int(got[0][1].split()[1])
    assert got == [["weather", f"n {k}"] for k in range(first, first + 2 * len(got), 2)]
    # every message the sender sent is accounted for on the link: delivered, filtered (sports,
    # or weather before the receiving end had subscribed), dropped, or still on its way
    assert lk.rx[rkey] + lk.filtered + lk.dropped + len(lk.queue) == a.sent
    drops = [e for e in of(events, "dropped") if e["link"] == "l"]
    assert len(drops) == lk.dropped
    assert all(e["reason"].startswith("not subscribed yet") for e in drops)
    if receiver == "SUB":
        # the SUB's subscription is known from the start: exactly the even n are filtered,
        # and what a late subscription cost is the first weathers, shown as slow-joiner drops
        assert lk.filtered == a.sent // 2
        assert lk.dropped == (first - 1) // 2
    else:
        # the proxy passed its subscriber's subscription upstream as \x01weather
        assert run.socks["b.s"].subs == (b"weather",)
        sent_up = [
            e["frames"] for e in of(events, "sent") if e["node"] == "b" and e["socket"] == "s"
        ]
        assert sent_up == [["\x01weather"]]
        # and forwarded everything its XSUB received to the SUB behind it
        downstream = _delivered_to(events, "c.s")
        assert len(downstream) >= want and downstream == got[: len(downstream)]
    if sender == "XPUB":
        # the other direction of the pair: the XPUB receives the subscription as a message
        subs = [e for e in of(events, "delivered") if e["to"] == "a.s"]
        assert [e["frames"] for e in subs] == [["\x01weather"]]
        assert subs[0]["link"] == "l" and lk.rx["a.s"] == 1
        # once the XPUB has read the subscription libzmq applies it to every later send
        first_send = min(i for i, e in enumerate(events) if e["ev"] == "sent" and e["node"] == "a")
        if events.index(subs[0]) < first_send:
            assert first == 1 and lk.dropped == 0
    else:
        assert lk.rx["a.s"] == 0
    assert not of(events, "error")
