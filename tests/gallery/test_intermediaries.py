"""Proxies and brokers: every hop is a real receive and send, so envelopes and subscriptions can
be checked where they travel."""

from collections import Counter

from gallery import load, numbers, started


def raw(frame) -> bytes:
    """A frame preview as bytes (text, or {"hex": ...} when not valid UTF-8)."""
    return bytes.fromhex(frame["hex"]) if isinstance(frame, dict) else frame.encode()


def test_rrbroker_envelopes_and_replies_to_the_right_client():
    r = started(load("rrbroker", scale=4))
    r.sleep(1.5)
    r.stop()
    for client in ("client1", "client2"):
        replies = r.delivered(f"{client}.req")
        assert len(replies) >= 3
        # each client gets the upper-cased echo of its own requests, in order: no cross-talk
        assert replies == [[f"{client.upper()} HELLO {k}"] for k in range(1, len(replies) + 1)]
    # ROUTER prepends the client identity to [“”, body]; REP sees only the body
    # (libzmq's automatic id: 5 bytes, a NUL then a counter; shown as text when those happen to
    # be valid UTF-8, else as {"hex": ...})
    assert all(
        len(f) == 3 and f[1] == "" and len(raw(f[0])) == 5 and raw(f[0])[0] == 0
        for f in r.delivered("broker.frontend")
    )
    for w in ("worker1", "worker2"):
        assert all(len(f) == 1 and " hello " in f[0] for f in r.delivered(f"{w}.rep"))
    # replies come back to the DEALER with the envelope the REP kept
    assert all(len(f) == 3 and f[1] == "" for f in r.delivered("broker.backend"))
    w1, w2 = r.sock("worker1.rep").received, r.sock("worker2.rep").received
    assert abs(w1 - w2) <= 1  # DEALER deals in turn
    assert r.sock("broker.frontend").received == r.sock("broker.backend").sent


def test_msgqueue_capture_copies_every_hop():
    r = started(load("msgqueue", scale=4))
    r.sleep(1.5)
    r.stop()
    front, back, cap = (r.sock(f"queue.{s}") for s in ("frontend", "backend", "capture"))
    assert front.received >= 6
    assert cap.sent == front.received + back.received  # each crossing copied once
    assert cap.sent - 2 <= r.sock("tap.sub").received <= cap.sent
    for k in (1, 2, 3):
        replies = r.delivered(f"client{k}.req")
        assert replies and replies == [
            [f"done: client{k} job {n}"] for n in range(1, len(replies) + 1)
        ]
    counts = [d for s, d in r.states("tap") if s == "counts"]
    assert counts and len(counts[-1].split(", ")) == 3  # one topic per client identity


def test_xsub_xpub_proxy_sends_subscriptions_upstream():
    r = started(load("pubsub-proxy", scale=2))
    r.sleep(1.3)
    r.stop()
    upstream = [f[0] for f in r.sent("proxy", "xsub")]
    # XPUB passes the first subscription per topic; the proxy forwards it through its XSUB
    assert sorted(upstream) == ["\x01sports", "\x01weather", "\x01weather.seoul"]
    assert sorted(f[0] for f in r.delivered("proxy.xpub")) == sorted(upstream)
    # the publisher side sees them: publisher 1 is an XPUB and receives \x01topic
    assert sorted(f[0] for f in r.delivered("pub1.out")) == sorted(upstream)
    pub1, pub2 = r.sock("pub1.out").sent, r.sock("pub2.out").sent
    assert pub1 >= 4 and pub2 >= 4
    sub1, sub2, sub3 = (r.delivered(f"sub{k}.in") for k in (1, 2, 3))
    assert {f[0] for f in sub1} == {"weather.seoul", "weather.busan"}
    assert {f[0] for f in sub2} == {"weather.seoul"}
    assert {f[0] for f in sub3} == {"sports.kbo", "sports.epl"}
    # the publishers started after the subscriptions were in place: nothing lost
    assert pub1 - 1 <= len(sub1) <= pub1
    assert (pub1 + 1) // 2 - 1 <= len(sub2) <= (pub1 + 1) // 2
    assert pub2 - 1 <= len(sub3) <= pub2


def test_sub_pub_bridge_forwards_only_what_it_subscribed_to():
    r = started(load("bridge", scale=3))
    r.sleep(1.2)
    r.stop()
    sent = r.sock("server.out").sent
    inside = r.delivered("bridge.internal")
    assert sent >= 9
    assert {f[0] for f in inside} == {"weather.seoul", "weather.busan"}
    # the server filters for the bridge: sports.kbo is never sent to it (exact)
    assert r.link("l1").filtered == sum(1 for k in range(sent) if k % 3 == 2)
    assert r.sock("bridge.external").sent == len(inside)  # every hop republished
    assert [f for f in r.delivered("ext1.in")] == inside[: len(r.delivered("ext1.in"))]
    assert len(r.delivered("ext1.in")) >= len(inside) - 1
    assert {f[0] for f in r.delivered("ext2.in")} == {"weather.busan"}
    assert Counter(f[0] for f in r.delivered("ext1.in"))["sports.kbo"] == 0
    assert (
        numbers(r.delivered("ext2.in"))
        == [n for n in numbers(inside) if n % 3 == 2][: len(r.delivered("ext2.in"))]
    )
